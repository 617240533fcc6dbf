"""The one API router: each app adds its viewsets through `register(router)`."""

from rest_framework.routers import DefaultRouter

import directory.api
import indicators.api
import portal.accounts.api
import portal.initiatives.api
import portal.reference.api
import procurement.api

router = DefaultRouter()
for module in (
    portal.reference.api,
    portal.accounts.api,
    portal.initiatives.api,
    directory.api,
    procurement.api,
):
    module.register(router)

urlpatterns = router.urls + indicators.api.urlpatterns
