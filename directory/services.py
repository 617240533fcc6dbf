"""Directory workflows: each a keyword-only, atomic function with a verb for a name."""

from django.db import transaction

from directory.models import Enterprise
from directory.tasks import notify_status_decision


@transaction.atomic
def submit_for_verification(*, enterprise: Enterprise, by=None) -> Enterprise:
    enterprise.set_status(Enterprise.Status.PENDING, by=by)
    return enterprise


@transaction.atomic
def verify_enterprise(*, enterprise: Enterprise, by) -> Enterprise:
    enterprise.set_status(Enterprise.Status.VERIFIED, by=by)
    transaction.on_commit(lambda: notify_status_decision.delay(enterprise.pk))
    return enterprise


@transaction.atomic
def reject_enterprise(*, enterprise: Enterprise, by, reason: str) -> Enterprise:
    enterprise.set_status(Enterprise.Status.REJECTED, by=by, reason=reason)
    transaction.on_commit(lambda: notify_status_decision.delay(enterprise.pk))
    return enterprise


@transaction.atomic
def revoke_enterprise(*, enterprise: Enterprise, by, reason: str = "") -> Enterprise:
    enterprise.set_status(Enterprise.Status.REVOKED, by=by, reason=reason)
    transaction.on_commit(lambda: notify_status_decision.delay(enterprise.pk))
    return enterprise
