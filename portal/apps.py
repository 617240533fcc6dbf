from django.apps import AppConfig
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from portal.history import skip_history_of_fixture_rows

        pre_save.connect(skip_history_of_fixture_rows, dispatch_uid="portal.history.fixtures")
