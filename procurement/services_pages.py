"""Workflows of the procurement pages that procurement.services does not cover.

Activities with the organizations and enterprises present, the needs digest opt-in,
commitment declarations, toolkit entries, and the quick direct award to a supplier not yet in
the portal. Same shape as services.py: keyword-only, typed, atomic functions with verb names;
callers decide who may act, these decide what may happen.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Enterprise
from portal.accounts.models import Organization
from procurement import services
from procurement.models import Activity, Award, NeedsDigestSubscription, ToolkitEntry

# --- Activities -----------------------------------------------------------------------
ACTIVITY_FIELDS = {"kind", "date", "title", "description", "organizer", "participants"}


def _check_activity(activity: Activity, organizations, enterprises) -> None:
    activity.full_clean()
    present = len(set(organizations)) + len(set(enterprises))
    if activity.participants and present > activity.participants:
        raise ValidationError(
            {
                "participants": _(
                    "The number of participants cannot be lower than the number of "
                    "organizations and enterprises present (%(count)d)."
                )
                % {"count": present}
            }
        )


@transaction.atomic
def record_activity(*, by=None, organizations=(), enterprises=(), **fields) -> Activity:
    unknown = set(fields) - ACTIVITY_FIELDS
    if unknown:
        raise TypeError(f"Unknown activity fields: {sorted(unknown)}")
    activity = Activity(created_by=by, **fields)
    _check_activity(activity, organizations, enterprises)
    activity.save()
    activity.organizations.set(organizations)
    activity.enterprises.set(enterprises)
    return activity


@transaction.atomic
def update_activity(
    *, activity: Activity, changes: dict, organizations=None, enterprises=None
) -> Activity:
    for name, value in changes.items():
        if name not in ACTIVITY_FIELDS:
            raise TypeError(f"Unknown activity field: {name}")
        setattr(activity, name, value)
    organizations = (
        list(activity.organizations.all()) if organizations is None else list(organizations)
    )
    enterprises = list(activity.enterprises.all()) if enterprises is None else list(enterprises)
    earliest_contact = (
        activity.business_contacts.order_by("date").values_list("date", flat=True).first()
    )
    if earliest_contact is not None and activity.date > earliest_contact:
        raise ValidationError(
            {"date": _("Contacts were recorded at this activity before this date.")}
        )
    _check_activity(activity, organizations, enterprises)
    activity.save()
    activity.organizations.set(organizations)
    activity.enterprises.set(enterprises)
    return activity


# --- Needs digest ---------------------------------------------------------------------
@transaction.atomic
def subscribe_to_needs_digest(*, user, enterprise: Enterprise) -> NeedsDigestSubscription:
    """Opt in to the daily e-mail of new needs matching the enterprise's offerings."""
    if not enterprise.representatives.filter(user=user, is_approved=True).exists():
        raise ValidationError(_("Only a representative of the enterprise can subscribe."))
    try:
        with transaction.atomic():
            subscription, _created = NeedsDigestSubscription.objects.get_or_create(
                user=user, enterprise=enterprise
            )
    except IntegrityError:  # the same click twice at once
        subscription = NeedsDigestSubscription.objects.get(user=user, enterprise=enterprise)
    return subscription


@transaction.atomic
def unsubscribe_from_needs_digest(*, user, enterprise: Enterprise) -> None:
    NeedsDigestSubscription.objects.filter(user=user, enterprise=enterprise).delete()


@transaction.atomic
def mark_digest_sent(*, subscription: NeedsDigestSubscription, at: dt.datetime) -> None:
    NeedsDigestSubscription.objects.filter(pk=subscription.pk).update(last_sent_at=at)
    subscription.last_sent_at = at


# --- Organizations --------------------------------------------------------------------
@transaction.atomic
def record_commitment(
    *, organization: Organization, signed_on: dt.date | None, signatory: str
) -> Organization:
    """Record (or clear, with no date) the organization's commitment declaration."""
    signatory = signatory.strip()
    if signed_on is not None and not signatory:
        raise ValidationError(
            {"commitment_signatory": _("A signed commitment declaration needs a signatory.")}
        )
    if signed_on is not None and signed_on > timezone.localdate():
        raise ValidationError(
            {"commitment_signed_on": _("The declaration cannot be signed in the future.")}
        )
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    locked.commitment_signed_on = signed_on
    locked.commitment_signatory = signatory if signed_on else ""
    locked.save(update_fields=["commitment_signed_on", "commitment_signatory"])
    return locked


# --- Toolkit --------------------------------------------------------------------------
TOOLKIT_FIELDS = {
    "step",
    "kind",
    "slug",
    "title_fr",
    "title_en",
    "body_fr",
    "body_en",
    "position",
    "is_published",
}


@transaction.atomic
def save_toolkit_entry(*, entry: ToolkitEntry | None = None, **fields) -> ToolkitEntry:
    unknown = set(fields) - TOOLKIT_FIELDS
    if unknown:
        raise TypeError(f"Unknown toolkit fields: {sorted(unknown)}")
    entry = entry or ToolkitEntry()
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.full_clean()
    entry.save()
    return entry


# --- Quick direct award ---------------------------------------------------------------
@transaction.atomic
def log_quick_direct_award(
    *,
    organization: Organization,
    title: str,
    amount: Decimal,
    awarded_on: dt.date,
    enterprise: Enterprise | None = None,
    new_supplier_name: str = "",
    new_supplier_neq: str = "",
    category=None,
    contract_number: str = "",
    method_justification: str = "",
    by=None,
) -> Award:
    """The quick form: a known supplier, or a new one recorded in the same transaction."""
    if enterprise is None:
        enterprise = services.find_or_create_supplier(
            name=new_supplier_name, neq=new_supplier_neq or None, by=by
        )
    return services.log_direct_award(
        organization=organization,
        enterprise=enterprise,
        title=title,
        amount=amount,
        awarded_on=awarded_on,
        category=category,
        contract_number=contract_number,
        method_justification=method_justification,
        by=by,
    )
