"""Queue a debounced indicator refresh whenever a record the indicators read changes.

The house style keeps business logic out of signals; this is not business logic but cache
invalidation, an infrastructure hook: every write path (services, the admin, the API, OCDS
imports, the shell, other apps' code not written yet) must mark the snapshot stale, and none
of them should have to remember to. The handler only asks services.queue_refresh() to queue
one refresh after the transaction commits; it never computes anything itself.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from indicators.models import Snapshot


def record_changed(sender, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata: fixtures are not changes made by users
        return
    from indicators.services import queue_refresh

    queue_refresh(trigger=Snapshot.Trigger.CHANGE)


def relation_changed(sender, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        record_changed(sender)


def watched_models() -> list:
    from directory.models import Enterprise, Offering, SupplierRegistration
    from portal.accounts.models import Organization
    from portal.initiatives.models import (
        Cohort,
        CohortEnterprise,
        CohortOrganization,
        TrainingCompletion,
    )
    from procurement.models import (
        Activity,
        Award,
        Bid,
        BusinessContact,
        Invitation,
        ProcurementProcess,
    )

    return [
        Award,
        Bid,
        Invitation,
        BusinessContact,
        Activity,
        SupplierRegistration,
        Enterprise,
        Offering,
        # A process's method and an organization's activity change indicators too.
        ProcurementProcess,
        Organization,
        # A cohort's dates and members (its snapshot rows), and people trained online.
        Cohort,
        CohortOrganization,
        CohortEnterprise,
        TrainingCompletion,
    ]


def connect() -> None:
    from directory.models import Enterprise
    from procurement.models import Activity

    for model in watched_models():
        uid = f"indicators-refresh-{model._meta.label_lower}"
        post_save.connect(record_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(record_changed, sender=model, dispatch_uid=uid)
    # Who attended an activity (scope of activities) and an enterprise's sectors (the offer).
    for through in (Activity.organizations.through, Enterprise.sectors.through):
        m2m_changed.connect(
            relation_changed,
            sender=through,
            dispatch_uid=f"indicators-refresh-{through._meta.label_lower}",
        )
