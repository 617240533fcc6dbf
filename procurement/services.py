"""Procurement workflows: keyword-only, atomic functions named with verbs.

Every rule that keeps the records exact lives here (methods and thresholds, who may bid, what
may be awarded), so the HTML views, the API and the OCDS importer all obey the same rules.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from procurement.models import (
    Activity,
    Award,
    Bid,
    BusinessContact,
    Invitation,
    Method,
    ProcurementProcess,
    Threshold,
)

DEFAULT_INVITATION_THRESHOLD = Decimal("25000")


def threshold_warning(*, method: str, value: Decimal | None, on: dt.date) -> str:
    """A sentence when the method does not fit the value for the date, '' when it fits.

    Below the invitation threshold any method fits; from it to the public-tender threshold an
    invitation (or a direct award where the by-law allows it, hence a warning); at or above
    the public-tender threshold only a public tender fits.
    """
    if value is None:
        return ""
    public = Threshold.in_force(Threshold.Kind.PUBLIC_TENDER, on)
    invitation = Threshold.in_force(Threshold.Kind.INVITATION, on) or DEFAULT_INVITATION_THRESHOLD
    if public is not None and value >= public and method != Method.OPEN:
        return _(
            "%(value)s $ is at or above the public-tender threshold of %(threshold)s $ "
            "in force on %(date)s."
        ) % {"value": value, "threshold": public, "date": on.isoformat()}
    if value >= invitation and method == Method.DIRECT:
        return _(
            "%(value)s $ is at or above %(threshold)s $: a written invitation to at least two "
            "suppliers is expected unless your contract-management by-law allows a direct award."
        ) % {"value": value, "threshold": invitation}
    return ""


def _check_method(process: ProcurementProcess) -> None:
    on = process.published_on or timezone.localdate()
    warning = threshold_warning(method=process.method, value=process.estimated_value, on=on)
    if warning and not process.method_justification.strip():
        raise ValidationError(
            {
                "method_justification": _(
                    "The method does not fit the estimated value (%(warning)s) "
                    "Write a justification to go ahead."
                )
                % {"warning": warning}
            }
        )
    process.threshold_warning = warning[:300]


@transaction.atomic
def create_process(*, organization, by=None, **fields) -> ProcurementProcess:
    process = ProcurementProcess(organization=organization, created_by=by, **fields)
    process.full_clean(exclude=["threshold_warning"])
    _check_method(process)
    process.save()
    return process


@transaction.atomic
def update_process(*, process: ProcurementProcess, by=None, changes: dict) -> ProcurementProcess:
    locked = ProcurementProcess.objects.select_for_update().get(pk=process.pk)
    if locked.status in (ProcurementProcess.Status.CANCELLED, ProcurementProcess.Status.AWARDED):
        protected = {"method", "estimated_value", "organization"}
        if protected & set(changes):
            raise ValidationError(_("An awarded or cancelled process can no longer be changed."))
    changes.pop("status", None)  # status moves only through change_process_status
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.full_clean(exclude=["threshold_warning"])
    _check_method(locked)
    locked.save()
    return locked


def change_process_status(*, process: ProcurementProcess, status: str) -> ProcurementProcess:
    process.set_status(status)
    return process


def _refuse_if_closed_for_business(process: ProcurementProcess) -> None:
    if process.status == ProcurementProcess.Status.CANCELLED:
        raise ValidationError(_("This process is cancelled."))


@transaction.atomic
def invite_enterprise(
    *, process: ProcurementProcess, enterprise, invited_on: dt.date | None = None, by=None
) -> Invitation:
    _refuse_if_closed_for_business(process)
    if process.status == ProcurementProcess.Status.AWARDED:
        raise ValidationError(_("This process is already awarded."))
    if process.method == Method.OPEN:
        raise ValidationError(
            _("A public tender is published on SEAO: suppliers are not invited to it.")
        )
    invited_on = invited_on or timezone.localdate()
    if process.published_on and invited_on < process.published_on - dt.timedelta(days=365):
        raise ValidationError({"invited_on": _("The invitation date is far before the process.")})
    if Invitation.objects.filter(process=process, enterprise=enterprise).exists():
        raise ValidationError(_("This enterprise is already invited to this process."))
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                process=process, enterprise=enterprise, invited_on=invited_on, created_by=by
            )
    except IntegrityError as exc:  # a concurrent duplicate
        raise ValidationError(_("This enterprise is already invited to this process.")) from exc
    from procurement.tasks import notify_invitation

    transaction.on_commit(lambda: notify_invitation.delay(invitation.pk))
    return invitation


@transaction.atomic
def respond_to_invitation(*, invitation: Invitation, response: str) -> Invitation:
    invitation.response = response
    invitation.responded_on = timezone.localdate()
    invitation.save(update_fields=["response", "responded_on"])
    return invitation


@transaction.atomic
def record_bid(
    *,
    process: ProcurementProcess,
    enterprise,
    submitted_on: dt.date,
    amount: Decimal,
    status: str = Bid.Status.RECEIVED,
    by=None,
) -> Bid:
    process = ProcurementProcess.objects.select_for_update().get(pk=process.pk)
    _refuse_if_closed_for_business(process)
    if (
        process.method == Method.INVITATION
        and not process.invitations.filter(enterprise=enterprise).exists()
    ):
        raise ValidationError(
            _("Only invited suppliers may bid on an invitation tender: invite this one first.")
        )
    first_award = (
        process.awards.exclude(status=Award.Status.CANCELLED)
        .order_by("awarded_on")
        .values_list("awarded_on", flat=True)
        .first()
    )
    if first_award is not None and submitted_on > first_award:
        raise ValidationError(_("A bid cannot be dated after the process's award."))
    if process.published_on and submitted_on < process.published_on:
        raise ValidationError({"submitted_on": _("A bid cannot precede the publication date.")})
    if Bid.objects.filter(process=process, enterprise=enterprise).exists():
        raise ValidationError(_("This supplier already bid on this process."))
    bid = Bid(
        process=process,
        enterprise=enterprise,
        submitted_on=submitted_on,
        amount=amount,
        status=status,
        created_by=by,
    )
    bid.full_clean(exclude=["process", "enterprise"])
    try:
        with transaction.atomic():
            bid.save()
    except IntegrityError as exc:
        raise ValidationError(_("This supplier already bid on this process.")) from exc
    return bid


@transaction.atomic
def award_contract(
    *,
    process: ProcurementProcess,
    enterprise,
    awarded_on: dt.date,
    amount: Decimal,
    status: str = Award.Status.ACTIVE,
    contract_number: str = "",
    bid: Bid | None = None,
    ocds_award_id: str = "",
    by=None,
) -> Award:
    """Award a contract (one lot); the process row is locked so two awards of one bid can't race."""
    process = ProcurementProcess.objects.select_for_update().get(pk=process.pk)
    _refuse_if_closed_for_business(process)
    if bid is not None:
        if bid.process_id != process.pk or bid.enterprise_id != enterprise.pk:
            raise ValidationError(_("The winning bid must be this supplier's bid on this process."))
        if bid.status in (Bid.Status.WITHDRAWN, Bid.Status.NON_COMPLIANT):
            raise ValidationError(_("A withdrawn or non-compliant bid cannot win."))
        if process.awards.filter(bid=bid).exclude(status=Award.Status.CANCELLED).exists():
            raise ValidationError(_("This bid has already been awarded."))
    if process.published_on and awarded_on < process.published_on:
        raise ValidationError({"awarded_on": _("The award cannot precede the publication date.")})
    award = Award(
        process=process,
        organization_id=process.organization_id,
        enterprise=enterprise,
        awarded_on=awarded_on,
        amount=amount,
        status=status,
        contract_number=contract_number,
        bid=bid,
        ocds_award_id=ocds_award_id,
        created_by=by,
    )
    award.full_clean(exclude=["process", "enterprise", "bid", "organization"])
    award.save()
    if process.status != ProcurementProcess.Status.AWARDED:
        if process.status == ProcurementProcess.Status.OPEN:
            process.set_status(ProcurementProcess.Status.CLOSED)
        process.set_status(ProcurementProcess.Status.AWARDED)
    return award


@transaction.atomic
def activate_award(*, award: Award) -> Award:
    locked = Award.objects.select_for_update().get(pk=award.pk)
    if locked.status != Award.Status.PENDING:
        raise ValidationError(_("Only a pending award can be activated."))
    locked.status = Award.Status.ACTIVE
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def cancel_award(*, award: Award) -> Award:
    """Awards are never deleted: a cancelled one stays in the record and stops counting."""
    locked = Award.objects.select_for_update().get(pk=award.pk)
    if locked.status == Award.Status.CANCELLED:
        raise ValidationError(_("This award is already cancelled."))
    locked.status = Award.Status.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def log_direct_award(
    *,
    organization,
    enterprise,
    title: str,
    amount: Decimal,
    awarded_on: dt.date,
    reference: str = "",
    category=None,
    contract_number: str = "",
    method_justification: str = "",
    by=None,
) -> Award:
    """The quick form: one direct-award process and its award in one step."""
    reference = reference or _next_direct_reference(organization, awarded_on)
    process = create_process(
        organization=organization,
        by=by,
        reference=reference,
        title=title,
        method=Method.DIRECT,
        estimated_value=amount,
        published_on=awarded_on,
        category=category,
        method_justification=method_justification,
    )
    return award_contract(
        process=process,
        enterprise=enterprise,
        awarded_on=awarded_on,
        amount=amount,
        contract_number=contract_number,
        by=by,
    )


def _next_direct_reference(organization, on: dt.date) -> str:
    prefix = f"GG-{on.year}-"
    count = ProcurementProcess.objects.filter(
        organization=organization, reference__startswith=prefix
    ).count()
    reference = f"{prefix}{count + 1:04d}"
    while ProcurementProcess.objects.filter(
        organization=organization, reference=reference
    ).exists():
        count += 1
        reference = f"{prefix}{count + 1:04d}"
    return reference


@transaction.atomic
def record_business_contact(
    *, organization, enterprise, date: dt.date, activity: Activity | None = None, notes="", by=None
) -> BusinessContact:
    if activity is not None and date < activity.date:
        raise ValidationError({"date": _("A contact at an activity cannot precede the activity.")})
    contact = BusinessContact(
        organization=organization,
        enterprise=enterprise,
        date=date,
        activity=activity,
        notes=notes,
        created_by=by,
    )
    contact.full_clean(exclude=["organization", "enterprise", "activity"])
    contact.save()
    return contact
