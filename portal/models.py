from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last time a periodic job ran: Celery beat proves it is alive through this row."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    beat_at = models.DateTimeField(_("last run"), default=timezone.now)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def record(cls, name: str) -> "Heartbeat":
        heartbeat, _created = cls.objects.update_or_create(
            name=name, defaults={"beat_at": timezone.now()}
        )
        return heartbeat

    @classmethod
    def last(cls, name: str):
        return cls.objects.filter(name=name).values_list("beat_at", flat=True).first()
