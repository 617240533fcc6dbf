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


# Changing who the enterprise is sends a verified enterprise back to verification.
IDENTITY_FIELDS = ("name", "neq", "legal_form")


@transaction.atomic
def update_enterprise_profile(*, enterprise: Enterprise, by, changes: dict) -> Enterprise:
    """Apply profile changes (plain fields); identity changes of an EÉS need re-verification."""
    from directory.search import refresh_search_document

    identity_changed = any(
        field in changes and changes[field] != getattr(enterprise, field)
        for field in IDENTITY_FIELDS
    )
    for field, value in changes.items():
        setattr(enterprise, field, value)
    enterprise.full_clean(exclude=["slug", "search_document"])
    enterprise.save()
    if identity_changed and enterprise.status == Enterprise.Status.VERIFIED:
        enterprise.set_status(Enterprise.Status.PENDING, by=by)
    refresh_search_document(enterprise)
    return enterprise
