"""Procurement workflows: keyword-only, atomic functions named with verbs.

Every rule that keeps the records exact lives here (methods and thresholds, who may bid, what
may be awarded, which dates may follow which), so the HTML views, the API and the OCDS importer
all obey the same rules. Rules on dates are checked against the records' own dates rather than
the process status, so a coordinator can load a whole history (awards dated in the past, a
process created directly as `closed` or `awarded`) in any order without tripping them.

Every function raises django.core.exceptions.ValidationError with a translated message when
the input is refused, and then nothing is saved (each function is one transaction).
"""

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.outbox import queue_after_commit
from procurement.models import (
    Activity,
    AnnualNeed,
    Award,
    Bid,
    BusinessContact,
    Invitation,
    Method,
    ProcurementProcess,
    Threshold,
)

DEFAULT_INVITATION_THRESHOLD = Decimal("25000")
DEFAULT_CUMULATIVE_THRESHOLD = Decimal("25000")
UNSPSC_CODE = re.compile(r"^\d{8}$")

# Invitations recorded long after the fact (loading a history) are not news: no e-mail.
INVITATION_NOTICE_DAYS = 30

PROCESS_EDITABLE_FIELDS = {
    "reference",
    "title",
    "description",
    "category",
    "unspsc_codes",
    "method",
    "estimated_value",
    "published_on",
    "closing_on",
    "annual_need",
    "method_justification",
}
# Fields that decide whether the method fits the thresholds.
PROCESS_METHOD_FIELDS = {"method", "estimated_value", "published_on", "method_justification"}
ANNUAL_NEED_EDITABLE_FIELDS = {
    "fiscal_year",
    "title",
    "description",
    "category",
    "estimated_value",
    "planned_quarter",
    "planned_method",
    "region",
    "is_published",
}
AWARD_EDITABLE_FIELDS = {"amount", "awarded_on", "contract_number"}
CONTACT_EDITABLE_FIELDS = {"date", "activity", "notes"}


def _as_user(by):
    return by if getattr(by, "is_authenticated", False) else None


def _save(instance, by=None, **kwargs) -> None:
    """Save, naming the author in the audit trail even outside a web request."""
    if _as_user(by) is not None:
        instance._history_user = by
    instance.save(**kwargs)


def _refuse_unknown_fields(changes: dict, allowed: set[str]) -> None:
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(unknown)}
        )


# --- thresholds ------------------------------------------------------------------------------


def threshold_warning(
    *, method: str, value: Decimal | None, on: dt.date, in_force=Threshold.in_force
) -> str:
    """A sentence when the method does not fit the value for the date, '' when it fits.

    Below the invitation threshold any method fits; from it to the public-tender threshold an
    invitation (or a direct award where the by-law allows it, hence a warning); at or above
    the public-tender threshold only a public tender fits. `in_force(kind, on)` may be a cached
    lookup (the importer checks thousands of processes against the same few thresholds).
    """
    if value is None:
        return ""
    public = in_force(Threshold.Kind.PUBLIC_TENDER, on)
    invitation = in_force(Threshold.Kind.INVITATION, on) or DEFAULT_INVITATION_THRESHOLD
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


def _check_method(process: ProcurementProcess, *, strict: bool = True) -> None:
    """Flag a method that does not fit the value; a person must justify it, an import may not.

    Imported records (OCDS) come from another system of record whose own rules applied (a
    government body is not bound by the municipal thresholds): they are flagged, not refused.
    """
    on = process.published_on or timezone.localdate()
    warning = threshold_warning(method=process.method, value=process.estimated_value, on=on)
    if warning and strict and not process.method_justification.strip():
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


def normalize_unspsc_codes(value: str) -> str:
    """'72102903, 30180000' -> '72102903,30180000'; refuses anything but 8-digit codes."""
    codes = [code.strip() for code in (value or "").split(",") if code.strip()]
    wrong = [code for code in codes if not UNSPSC_CODE.match(code)]
    if wrong:
        raise ValidationError(
            {
                "unspsc_codes": _("UNSPSC codes have 8 digits; not valid: %(codes)s.")
                % {"codes": ", ".join(wrong)}
            }
        )
    return ",".join(dict.fromkeys(codes))


def cumulative_awards(*, organization_id: int, year: int) -> dict:
    """Active awards per supplier in a calendar year, flagged above the cumulative threshold.

    The law asks organizations to list the suppliers from which they bought more than
    25 000 $ in a year; the threshold is dated data (in force on December 31 of the year).
    """
    threshold = (
        Threshold.in_force(Threshold.Kind.CUMULATIVE_SUPPLIER, dt.date(year, 12, 31))
        or DEFAULT_CUMULATIVE_THRESHOLD
    )
    rows = [
        {
            "enterprise": row["enterprise"],
            "enterprise_name": row["enterprise__name"],
            "neq": row["enterprise__neq"] or "",
            "total": row["total"],
            "contracts": row["contracts"],
            "above_threshold": row["total"] > threshold,
        }
        for row in Award.objects.cumulative_by_supplier(organization_id=organization_id, year=year)
    ]
    return {"organization": organization_id, "year": year, "threshold": threshold, "rows": rows}


# --- annual needs ----------------------------------------------------------------------------


def _stamp_publication(need: AnnualNeed) -> None:
    if need.is_published and need.published_at is None:
        need.published_at = timezone.now()
    if not need.is_published:
        need.published_at = None


@transaction.atomic
def create_annual_need(*, organization, by=None, **fields) -> AnnualNeed:
    _refuse_unknown_fields(fields, ANNUAL_NEED_EDITABLE_FIELDS)
    need = AnnualNeed(organization=organization, created_by=_as_user(by), **fields)
    _stamp_publication(need)
    need.full_clean()
    _save(need, by)
    return need


@transaction.atomic
def update_annual_need(*, need: AnnualNeed, by=None, changes: dict) -> AnnualNeed:
    _refuse_unknown_fields(changes, ANNUAL_NEED_EDITABLE_FIELDS)
    locked = AnnualNeed.objects.select_for_update().get(pk=need.pk)
    for field, value in changes.items():
        setattr(locked, field, value)
    _stamp_publication(locked)
    locked.full_clean()
    _save(locked, by)
    return locked


# --- processes -------------------------------------------------------------------------------


def _check_process_fields(process: ProcurementProcess) -> None:
    """Checks whose messages must name the field (the model's own are generic)."""
    errors = {}
    if process.unspsc_codes:
        try:
            process.unspsc_codes = normalize_unspsc_codes(process.unspsc_codes)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if process.published_on and process.closing_on and process.closing_on < process.published_on:
        errors["closing_on"] = [_("The closing date must follow the publication date.")]
    if process.annual_need_id and process.annual_need.organization_id != process.organization_id:
        errors["annual_need"] = [_("This annual need belongs to another organization.")]
    if (
        process.reference
        and ProcurementProcess.objects.filter(
            organization_id=process.organization_id, reference=process.reference
        )
        .exclude(pk=process.pk)
        .exists()
    ):
        errors["reference"] = [
            _("This reference is already used by another process of this organization.")
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_process(
    *,
    organization,
    by=None,
    status: str = ProcurementProcess.Status.DRAFT,
    source: str = ProcurementProcess.Source.MANUAL,
    **fields,
) -> ProcurementProcess:
    """Create a process; any status is accepted so that a history can be loaded as it was.

    The status machine governs later moves (change_process_status); a process created
    directly as `closed` or `awarded` is how past processes are loaded before their awards.
    """
    _refuse_unknown_fields(fields, PROCESS_EDITABLE_FIELDS | {"ocid"})
    if status not in ProcurementProcess.Status.values:
        raise ValidationError({"status": _("Unknown status: %(status)s.") % {"status": status}})
    process = ProcurementProcess(
        organization=organization, created_by=_as_user(by), status=status, source=source, **fields
    )
    _check_process_fields(process)
    process.full_clean(exclude=["threshold_warning"])
    _check_method(process, strict=source != ProcurementProcess.Source.OCDS)
    try:
        with transaction.atomic():
            _save(process, by)
    except IntegrityError as exc:  # a concurrent process took the same reference
        raise ValidationError(
            {
                "reference": _(
                    "This reference is already used by another process of this organization."
                )
            }
        ) from exc
    return process


def _first_dates(process: ProcurementProcess) -> dict:
    """Earliest invitation, bid and (standing) award dates of a process."""
    return {
        "invitation": process.invitations.aggregate(d=Min("invited_on"))["d"],
        "bid": process.bids.aggregate(d=Min("submitted_on"))["d"],
        "award": process.awards.exclude(status=Award.Status.CANCELLED).aggregate(
            d=Min("awarded_on")
        )["d"],
    }


@transaction.atomic
def update_process(*, process: ProcurementProcess, by=None, changes: dict) -> ProcurementProcess:
    changes = dict(changes)
    status = changes.pop("status", None)
    locked = ProcurementProcess.objects.select_for_update().get(pk=process.pk)
    if status is not None and status != locked.status:
        raise ValidationError(
            {"status": _("The status changes only through a transition (open, close, award…).")}
        )
    _refuse_unknown_fields(changes, PROCESS_EDITABLE_FIELDS)
    if locked.status in (ProcurementProcess.Status.CANCELLED, ProcurementProcess.Status.AWARDED):
        protected = {"method", "estimated_value"}
        if any(getattr(locked, field) != changes[field] for field in protected & set(changes)):
            raise ValidationError(
                _("The method and value of an awarded or cancelled process can no longer change.")
            )
    for field, value in changes.items():
        setattr(locked, field, value)
    if locked.published_on:
        first = _first_dates(locked)
        later = [day for day in first.values() if day is not None and day < locked.published_on]
        if later:
            raise ValidationError(
                {
                    "published_on": _(
                        "The publication date cannot follow the invitations, bids or awards "
                        "already recorded (earliest: %(date)s)."
                    )
                    % {"date": min(later).isoformat()}
                }
            )
    _check_process_fields(locked)
    locked.full_clean(exclude=["threshold_warning"])
    if PROCESS_METHOD_FIELDS & set(changes):
        _check_method(locked, strict=True)
    _save(locked, by)
    return locked


@transaction.atomic
def change_process_status(
    *, process: ProcurementProcess, status: str, by=None
) -> ProcurementProcess:
    """Move a process through its status machine; `awarded` needs a standing award."""
    if status not in ProcurementProcess.Status.values:
        raise ValidationError({"status": _("Unknown status: %(status)s.") % {"status": status}})
    if (
        status == ProcurementProcess.Status.AWARDED
        and not process.awards.exclude(status=Award.Status.CANCELLED).exists()
    ):
        raise ValidationError(
            _("A process is awarded by recording its award: record the award instead.")
        )
    if _as_user(by) is not None:
        process._history_user = by
    process.set_status(status)
    process.refresh_from_db()
    return process


def _lock(process: ProcurementProcess) -> ProcurementProcess:
    return ProcurementProcess.objects.select_for_update().get(pk=process.pk)


def _refuse_if_cancelled(process: ProcurementProcess) -> None:
    if process.status == ProcurementProcess.Status.CANCELLED:
        raise ValidationError(_("This process is cancelled."))


def _first_award_date(process: ProcurementProcess) -> dt.date | None:
    return process.awards.exclude(status=Award.Status.CANCELLED).aggregate(d=Min("awarded_on"))["d"]


# --- suppliers -------------------------------------------------------------------------------


def find_or_create_supplier(*, name: str, neq: str | None = None, by=None):
    """The enterprise with this NEQ (else this exact name), or a new non-EÉS supplier.

    A supplier known only from procurement records is not a social-economy enterprise: it is
    created unpublished, with status `not_submitted`, and only a coordinator's verification can
    make it an EÉS.
    """
    from directory.models import Enterprise, normalize_neq

    name = (name or "").strip()[:200]
    neq = normalize_neq(neq)
    if neq is not None and not re.fullmatch(r"\d{10}", neq):
        raise ValidationError(
            {"neq": _("The NEQ is the 10-digit Québec enterprise number, for example 1140000001.")}
        )
    if neq:
        found = Enterprise.objects.filter(neq=neq).first()
        if found:
            return found
    if not name:
        raise ValidationError({"name": _("A supplier needs a name.")})
    found = Enterprise.objects.filter(name=name).filter(Q(neq__isnull=True) | Q(neq="")).first()
    if found is None and not neq:
        found = Enterprise.objects.filter(name=name).order_by("pk").first()
    if found:
        return found
    enterprise = Enterprise(
        name=name,
        neq=neq,
        status=Enterprise.Status.NOT_SUBMITTED,
        is_published=False,
        legal_form=Enterprise.LegalForm.OTHER,
    )
    try:
        with transaction.atomic():
            _save(enterprise, by)
    except IntegrityError:  # created meanwhile by a concurrent import
        if neq is None:
            raise
        return Enterprise.objects.get(neq=neq)
    return enterprise


# --- invitations -----------------------------------------------------------------------------


@transaction.atomic
def invite_enterprise(
    *, process: ProcurementProcess, enterprise, invited_on: dt.date | None = None, by=None
) -> Invitation:
    process = _lock(process)
    _refuse_if_cancelled(process)
    if process.method == Method.OPEN:
        raise ValidationError(
            _("A public tender is published on SEAO: suppliers are not invited to it.")
        )
    invited_on = invited_on or timezone.localdate()
    if process.published_on and invited_on < process.published_on:
        raise ValidationError(
            {"invited_on": _("An invitation cannot precede the process's publication date.")}
        )
    if process.closing_on and invited_on > process.closing_on:
        raise ValidationError(
            {"invited_on": _("An invitation cannot follow the process's closing date.")}
        )
    first_award = _first_award_date(process)
    if first_award is not None and invited_on > first_award:
        raise ValidationError(
            {"invited_on": _("An invitation cannot be dated after the process's award.")}
        )
    if Invitation.objects.filter(process=process, enterprise=enterprise).exists():
        raise ValidationError(_("This enterprise is already invited to this process."))
    invitation = Invitation(
        process=process, enterprise=enterprise, invited_on=invited_on, created_by=_as_user(by)
    )
    try:
        with transaction.atomic():
            _save(invitation, by)
    except IntegrityError as exc:  # a concurrent duplicate
        raise ValidationError(_("This enterprise is already invited to this process.")) from exc
    if invited_on >= timezone.localdate() - dt.timedelta(days=INVITATION_NOTICE_DAYS):
        from procurement.tasks import notify_invitation

        queue_after_commit(notify_invitation, invitation.pk)
    return invitation


@transaction.atomic
def respond_to_invitation(
    *, invitation: Invitation, response: str, responded_on: dt.date | None = None, by=None
) -> Invitation:
    if response not in Invitation.Response.values:
        raise ValidationError(
            {"response": _("Unknown response: %(response)s.") % {"response": response}}
        )
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    responded_on = responded_on or timezone.localdate()
    if response == Invitation.Response.NONE:
        responded_on = None
    elif responded_on < locked.invited_on:
        raise ValidationError({"responded_on": _("A response cannot precede the invitation.")})
    locked.response = response
    locked.responded_on = responded_on
    _save(locked, by, update_fields=["response", "responded_on"])
    return locked


@transaction.atomic
def remove_invitation(*, invitation: Invitation) -> None:
    """Remove an invitation entered by mistake, as long as the enterprise has not bid."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if Bid.objects.filter(
        process_id=locked.process_id, enterprise_id=locked.enterprise_id
    ).exists():
        raise ValidationError(
            _("This enterprise has bid on the process: its invitation must stay on record.")
        )
    locked.delete()


# --- bids ------------------------------------------------------------------------------------


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
    process = _lock(process)
    _refuse_if_cancelled(process)
    if process.method == Method.INVITATION:
        invitation = process.invitations.filter(enterprise=enterprise).first()
        if invitation is None:
            raise ValidationError(
                _("Only invited suppliers may bid on an invitation tender: invite this one first.")
            )
        if submitted_on < invitation.invited_on:
            raise ValidationError(
                {"submitted_on": _("A bid cannot precede the supplier's invitation.")}
            )
    first_award = _first_award_date(process)
    if first_award is not None and submitted_on > first_award:
        raise ValidationError(
            {"submitted_on": _("A bid cannot be dated after the process's award.")}
        )
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
        created_by=_as_user(by),
    )
    bid.full_clean(exclude=["process", "enterprise"], validate_constraints=False)
    try:
        with transaction.atomic():
            _save(bid, by)
    except IntegrityError as exc:
        raise ValidationError(_("This supplier already bid on this process.")) from exc
    return bid


@transaction.atomic
def change_bid_status(*, bid: Bid, status: str, by=None) -> Bid:
    if status not in Bid.Status.values:
        raise ValidationError({"status": _("Unknown status: %(status)s.") % {"status": status}})
    locked = Bid.objects.select_for_update().get(pk=bid.pk)
    if (
        status in (Bid.Status.WITHDRAWN, Bid.Status.NON_COMPLIANT)
        and locked.awards.exclude(status=Award.Status.CANCELLED).exists()
    ):
        raise ValidationError(
            _("This bid won an award: cancel the award before withdrawing or rejecting the bid.")
        )
    locked.status = status
    _save(locked, by, update_fields=["status"])
    return locked


# --- awards ----------------------------------------------------------------------------------


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
    """Award a contract (one lot); the process row is locked so two awards of one bid can't race.

    Any enterprise may be awarded (suppliers that are not EÉS are recorded too). The process
    moves to `awarded` unless the award is recorded as cancelled.
    """
    process = _lock(process)
    _refuse_if_cancelled(process)
    if status not in Award.Status.values:
        raise ValidationError({"status": _("Unknown status: %(status)s.") % {"status": status}})
    if bid is not None:
        bid = Bid.objects.get(pk=bid.pk)  # fresh, under the process lock
        if bid.process_id != process.pk or bid.enterprise_id != enterprise.pk:
            raise ValidationError(
                {"bid": _("The winning bid must be this supplier's bid on this process.")}
            )
        if bid.status in (Bid.Status.WITHDRAWN, Bid.Status.NON_COMPLIANT):
            raise ValidationError({"bid": _("A withdrawn or non-compliant bid cannot win.")})
        if process.awards.filter(bid=bid).exclude(status=Award.Status.CANCELLED).exists():
            raise ValidationError({"bid": _("This bid has already been awarded.")})
        if awarded_on < bid.submitted_on:
            raise ValidationError({"awarded_on": _("The award cannot precede the winning bid.")})
    if process.published_on and awarded_on < process.published_on:
        raise ValidationError({"awarded_on": _("The award cannot precede the publication date.")})
    award = Award(
        process=process,
        organization_id=process.organization_id,
        enterprise=enterprise,
        awarded_on=awarded_on,
        amount=amount,
        status=status,
        contract_number=contract_number or "",
        bid=bid,
        ocds_award_id=ocds_award_id,
        created_by=_as_user(by),
    )
    award.full_clean(exclude=["process", "enterprise", "bid", "organization"])
    _save(award, by)
    if status != Award.Status.CANCELLED and process.status != ProcurementProcess.Status.AWARDED:
        if _as_user(by) is not None:
            process._history_user = by
        if process.status == ProcurementProcess.Status.OPEN:
            process.set_status(ProcurementProcess.Status.CLOSED)
        process.set_status(ProcurementProcess.Status.AWARDED)
    return award


@transaction.atomic
def update_award(*, award: Award, by=None, changes: dict) -> Award:
    """Correct an award's amount, date or contract number (each change is in the history)."""
    _refuse_unknown_fields(changes, AWARD_EDITABLE_FIELDS)
    # Lock the award only: the winning bid is an outer join PostgreSQL cannot lock.
    locked = (
        Award.objects.select_for_update(of=("self",))
        .select_related("process", "bid")
        .get(pk=award.pk)
    )
    if locked.status == Award.Status.CANCELLED:
        raise ValidationError(_("A cancelled award can no longer be changed."))
    for field, value in changes.items():
        setattr(locked, field, value)
    published_on = locked.process.published_on
    if published_on and locked.awarded_on < published_on:
        raise ValidationError({"awarded_on": _("The award cannot precede the publication date.")})
    if locked.bid and locked.awarded_on < locked.bid.submitted_on:
        raise ValidationError({"awarded_on": _("The award cannot precede the winning bid.")})
    locked.full_clean(exclude=["process", "enterprise", "bid", "organization"])
    _save(locked, by)
    return locked


@transaction.atomic
def activate_award(*, award: Award, by=None) -> Award:
    locked = Award.objects.select_for_update().get(pk=award.pk)
    if locked.status != Award.Status.PENDING:
        raise ValidationError(_("Only a pending award can be activated."))
    locked.status = Award.Status.ACTIVE
    _save(locked, by, update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def cancel_award(*, award: Award, by=None) -> Award:
    """Awards are never deleted: a cancelled one stays in the record and stops counting."""
    locked = Award.objects.select_for_update().get(pk=award.pk)
    if locked.status == Award.Status.CANCELLED:
        raise ValidationError(_("This award is already cancelled."))
    locked.status = Award.Status.CANCELLED
    _save(locked, by, update_fields=["status", "updated_at"])
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


# --- business contacts -----------------------------------------------------------------------


def _check_contact(contact: BusinessContact) -> None:
    if contact.activity_id is not None and contact.date < contact.activity.date:
        raise ValidationError({"date": _("A contact at an activity cannot precede the activity.")})


@transaction.atomic
def record_business_contact(
    *, organization, enterprise, date: dt.date, activity: Activity | None = None, notes="", by=None
) -> BusinessContact:
    contact = BusinessContact(
        organization=organization,
        enterprise=enterprise,
        date=date,
        activity=activity,
        notes=notes or "",
        created_by=_as_user(by),
    )
    _check_contact(contact)
    contact.full_clean(exclude=["organization", "enterprise", "activity"])
    _save(contact, by)
    return contact


@transaction.atomic
def update_business_contact(*, contact: BusinessContact, by=None, changes: dict) -> BusinessContact:
    _refuse_unknown_fields(changes, CONTACT_EDITABLE_FIELDS)
    locked = BusinessContact.objects.select_for_update().get(pk=contact.pk)
    for field, value in changes.items():
        setattr(locked, field, value)
    if "notes" in changes:
        locked.notes = locked.notes or ""
    _check_contact(locked)
    locked.full_clean(exclude=["organization", "enterprise", "activity"])
    _save(locked, by)
    return locked
