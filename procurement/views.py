"""Procurement pages: annual needs, processes, invitations, bids, awards, activities,
business contacts, organizations, the toolkit and the EÉS's own invitations.

Views stay thin: they read through QuerySet `visible_to(user)` methods, ask
portal.accounts.roles who may write, and call one service per change. A record another
organization owns is a 404 (its existence is not revealed); a record the user may read but
not change is a 403 on the change.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory.models import Enterprise
from portal.accounts.models import Organization
from portal.accounts.roles import WRITE_ROLES, roles_for
from procurement import services, services_pages
from procurement.forms import (
    TOOLKIT_KIND_LABELS,
    ActivityForm,
    AnnualNeedForm,
    AwardFilterForm,
    AwardForm,
    BidForm,
    BusinessContactForm,
    CommitmentForm,
    ContactFilterForm,
    CumulativeForm,
    DirectAwardForm,
    InvitationForm,
    InvitationResponseForm,
    InviteSuggestedForm,
    NeedFilterForm,
    ProcessFilterForm,
    ProcessForm,
    ProcessStatusForm,
    ToolkitEntryForm,
    ToolkitFilterForm,
    apply_service_errors,
    readable_organizations,
    supplier_options,
    writable_organizations,
)
from procurement.models import (
    Activity,
    AnnualNeed,
    Award,
    Bid,
    BusinessContact,
    Invitation,
    Method,
    NeedsDigestSubscription,
    ProcurementProcess,
    Threshold,
    ToolkitEntry,
)
from procurement.suggestions import suggest_enterprises

PAGE_SIZE = 25
NEED_FIELDS = [
    "fiscal_year",
    "title",
    "description",
    "category",
    "estimated_value",
    "planned_quarter",
    "planned_method",
    "region",
    "is_published",
]
# A new supplier's errors, named by the service, shown on the quick form's own fields.
NEW_SUPPLIER_ERRORS = {"name": "supplier", "neq": "new_supplier_neq"}


def _page(request, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _require_write(request, organization_id: int) -> None:
    if not roles_for(request.user).can_write(organization_id):
        raise PermissionDenied(_("Only the organization's procurement officers can do this."))


def _writes_somewhere(roles) -> bool:
    return bool(roles.coordinator or roles.organizations_with(WRITE_ROLES))


def _require_some_write(request) -> None:
    if not _writes_somewhere(roles_for(request.user)):
        raise PermissionDenied(_("Only procurement officers and coordinators can do this."))


def _require_staff(request) -> None:
    roles = roles_for(request.user)
    if not (roles.coordinator or roles.is_org_staff):
        raise PermissionDenied(_("This page is for buying organizations' staff."))


def _require_coordinator(request) -> None:
    if not roles_for(request.user).coordinator:
        raise PermissionDenied(_("Only coordinators can do this."))


# --- Audit trail ----------------------------------------------------------------------
HIDDEN_HISTORY_FIELDS = {"updated_at", "created_at", "search_document"}


@dataclass
class HistoryEntry:
    date: dt.datetime
    user: object
    change_type: str
    changes: list[str] = field(default_factory=list)


def history_entries(obj, limit: int = 50) -> list[HistoryEntry]:
    """Who changed what and when, newest first, with the names of the changed fields."""
    labels = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in HIDDEN_HISTORY_FIELDS:
                    continue
                model_field = obj._meta.get_field(change.field)
                changes.append(str(model_field.verbose_name))
        entries.append(
            HistoryEntry(
                date=record.history_date,
                user=record.history_user,
                change_type=labels.get(record.history_type, record.history_type),
                changes=changes,
            )
        )
    return entries


# --- Home -----------------------------------------------------------------------------
@login_required
def index(request):
    """Staff home: the latest processes of the user's organizations, with quick links."""
    roles = roles_for(request.user)
    processes = (
        ProcurementProcess.objects.visible_to(request.user)
        .select_related("organization")
        .order_by("-created_at")[:15]
    )
    context = {
        "processes": processes,
        "organizations": readable_organizations(request.user),
        "can_write": _writes_somewhere(roles),
        "is_staff_member": roles.coordinator or roles.is_org_staff,
    }
    return render(request, "procurement/index.html", context)


# --- Annual needs ---------------------------------------------------------------------
def need_list(request):
    """Published annual needs, public; staff also see their organization's drafts."""
    form = NeedFilterForm(request.GET or None)
    needs = AnnualNeed.objects.visible_to(request.user).select_related(
        "organization", "category", "region"
    )
    if request.GET:
        needs = form.filter(needs)
    page = _page(request, needs.order_by("-fiscal_year", "planned_quarter", "title", "pk"))
    roles = roles_for(request.user)
    context = {
        "form": form,
        "page": page,
        "can_write": _writes_somewhere(roles),
        "is_representative": roles.is_representative,
    }
    return render(request, "procurement/need_list.html", context)


def need_detail(request, pk: int):
    need = get_object_or_404(
        AnnualNeed.objects.visible_to(request.user).select_related(
            "organization", "category", "region"
        ),
        pk=pk,
    )
    roles = roles_for(request.user)
    can_read = roles.can_read(need.organization_id)
    context = {
        "need": need,
        "can_write": roles.can_write(need.organization_id),
        "history": history_entries(need) if can_read else None,
        "processes": need.processes.all() if can_read else None,
    }
    return render(request, "procurement/need_detail.html", context)


@login_required
def need_create(request):
    _require_some_write(request)
    form = AnnualNeedForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in NEED_FIELDS}
        try:
            need = services.create_annual_need(
                organization=data["organization"], by=request.user, **fields
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The annual need was saved."))
            return redirect("procurement:need-detail", pk=need.pk)
    return render(
        request, "procurement/need_form.html", {"form": form, "title": _("New annual need")}
    )


@login_required
def need_update(request, pk: int):
    need = get_object_or_404(AnnualNeed.objects.visible_to(request.user), pk=pk)
    _require_write(request, need.organization_id)
    form = AnnualNeedForm(request.POST or None, instance=need, user=request.user)
    if request.method == "POST" and form.is_valid():
        changed = [name for name in form.changed_data if name in NEED_FIELDS]
        changes = {name: form.cleaned_data[name] for name in changed}
        try:
            need = services.update_annual_need(need=need, by=request.user, changes=changes)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The annual need was saved."))
            return redirect("procurement:need-detail", pk=need.pk)
    return render(
        request,
        "procurement/need_form.html",
        {"form": form, "need": need, "title": _("Edit the annual need")},
    )


@login_required
@require_POST
def need_publish(request, pk: int):
    need = get_object_or_404(AnnualNeed.objects.visible_to(request.user), pk=pk)
    _require_write(request, need.organization_id)
    publish = request.POST.get("publish") == "1"
    services.update_annual_need(need=need, by=request.user, changes={"is_published": publish})
    if publish:
        messages.success(request, _("The need is published."))
    else:
        messages.success(request, _("The need is no longer published."))
    return redirect("procurement:need-detail", pk=need.pk)


# --- Processes ------------------------------------------------------------------------
@login_required
def process_list(request):
    form = ProcessFilterForm(request.GET or None, user=request.user)
    processes = (
        ProcurementProcess.objects.visible_to(request.user)
        .select_related("organization", "category")
        .annotate(
            invitation_count=Count("invitations", distinct=True),
            bid_count=Count("bids", distinct=True),
        )
    )
    if request.GET:
        processes = form.filter(processes)
    page = _page(request, processes.order_by("-created_at", "-pk"))
    roles = roles_for(request.user)
    context = {
        "form": form,
        "page": page,
        "can_write": _writes_somewhere(roles),
    }
    return render(request, "procurement/process_list.html", context)


def _threshold_warning_for(form) -> str:
    """The warning the service would give, to show above the form after a refused submit."""
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    method = data.get("method") or getattr(form.instance, "method", "")
    value = data.get("estimated_value")
    on = data.get("published_on") or timezone.localdate()
    if not method or value is None:
        return ""
    return services.threshold_warning(method=method, value=value, on=on)


PROCESS_FIELDS = [
    "reference",
    "title",
    "description",
    "category",
    "method",
    "estimated_value",
    "published_on",
    "closing_on",
    "annual_need",
    "method_justification",
]


@login_required
def process_create(request):
    _require_some_write(request)
    initial = {}
    need_id = request.GET.get("need")
    if need_id and need_id.isdigit():
        need = AnnualNeed.objects.visible_to(request.user).filter(pk=need_id).first()
        if need is not None:
            initial = {
                "annual_need": need,
                "organization": need.organization,
                "title": need.title,
                "description": need.description,
                "category": need.category,
                "estimated_value": need.estimated_value,
                "method": need.planned_method,
            }
    form = ProcessForm(request.POST or None, user=request.user, initial=initial)
    warning = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            process = services.create_process(
                organization=data["organization"],
                by=request.user,
                **{name: data[name] for name in PROCESS_FIELDS},
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            warning = _threshold_warning_for(form)
        else:
            if process.is_flagged:
                messages.warning(request, process.threshold_warning)
            messages.success(request, _("The process was created."))
            return redirect("procurement:process-detail", pk=process.pk)
    return render(
        request,
        "procurement/process_form.html",
        {"form": form, "warning": warning, "title": _("New procurement process")},
    )


def _visible_process(request, pk: int) -> ProcurementProcess:
    return get_object_or_404(
        ProcurementProcess.objects.visible_to(request.user).select_related(
            "organization", "category", "annual_need"
        ),
        pk=pk,
    )


@login_required
def process_detail(request, pk: int):
    process = _visible_process(request, pk)
    roles = roles_for(request.user)
    can_write = roles.can_write(process.organization_id)
    awards = (
        process.awards.with_relationship_flags()
        .select_related("enterprise", "bid")
        .order_by("awarded_on", "pk")
    )
    context = {
        "process": process,
        "can_write": can_write,
        "next_statuses": [
            ProcurementProcess.Status(status)
            for status in ProcurementProcess.Status.values
            if process.can_move_to(status) and status != ProcurementProcess.Status.AWARDED
        ]
        if can_write
        else [],
        "invitations": process.invitations.select_related("enterprise").order_by(
            "invited_on", "pk"
        ),
        "bids": process.bids.select_related("enterprise").prefetch_related(
            Prefetch("awards", queryset=Award.objects.exclude(status=Award.Status.CANCELLED))
        ),
        "awards": awards,
        "history": history_entries(process),
        "invitation_form": InvitationForm() if can_write else None,
        "supplier_options": supplier_options()
        if can_write and process.method != Method.OPEN
        else [],
        "accepts_invitations": process.method != Method.OPEN
        and process.status
        not in (ProcurementProcess.Status.CANCELLED, ProcurementProcess.Status.AWARDED),
    }
    return render(request, "procurement/process_detail.html", context)


@login_required
def process_update(request, pk: int):
    process = _visible_process(request, pk)
    _require_write(request, process.organization_id)
    form = ProcessForm(request.POST or None, instance=process, user=request.user)
    warning = ""
    if request.method == "POST" and form.is_valid():
        changes = {
            name: form.cleaned_data[name] for name in form.changed_data if name != "organization"
        }
        try:
            process = services.update_process(process=process, by=request.user, changes=changes)
        except ValidationError as error:
            apply_service_errors(form, error)
            warning = _threshold_warning_for(form)
        else:
            if process.is_flagged:
                messages.warning(request, process.threshold_warning)
            messages.success(request, _("The process was saved."))
            return redirect("procurement:process-detail", pk=process.pk)
    return render(
        request,
        "procurement/process_form.html",
        {"form": form, "process": process, "warning": warning, "title": _("Edit the process")},
    )


@login_required
@require_POST
def process_status(request, pk: int):
    process = _visible_process(request, pk)
    _require_write(request, process.organization_id)
    form = ProcessStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown status."))
    else:
        try:
            process = services.change_process_status(
                process=process, status=form.cleaned_data["status"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The process is now “%(status)s”.") % {"status": process.get_status_display()},
            )
    return redirect("procurement:process-detail", pk=process.pk)


@login_required
def process_suggestions(request, pk: int):
    process = _visible_process(request, pk)
    roles = roles_for(request.user)
    context = {
        "process": process,
        "suggestions": suggest_enterprises(process),
        "can_invite": roles.can_write(process.organization_id)
        and process.method != Method.OPEN
        and process.status
        not in (ProcurementProcess.Status.CANCELLED, ProcurementProcess.Status.AWARDED),
        "invited_count": process.invitations.count(),
    }
    return render(request, "procurement/process_suggestions.html", context)


@login_required
@require_POST
def process_invite_suggested(request, pk: int):
    """One-click invitation from the suggestions page."""
    process = _visible_process(request, pk)
    _require_write(request, process.organization_id)
    form = InviteSuggestedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This enterprise cannot be suggested."))
    else:
        enterprise = form.cleaned_data["enterprise"]
        try:
            services.invite_enterprise(process=process, enterprise=enterprise, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s is invited.") % {"name": enterprise.name})
    return redirect("procurement:process-suggestions", pk=process.pk)


@login_required
def invitation_create(request, pk: int):
    process = _visible_process(request, pk)
    _require_write(request, process.organization_id)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enterprise = form.cleaned_data["supplier"]
        try:
            services.invite_enterprise(
                process=process,
                enterprise=enterprise,
                invited_on=form.cleaned_data["invited_on"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is invited.") % {"name": enterprise.name})
            return redirect("procurement:process-detail", pk=process.pk)
    return render(
        request,
        "procurement/record_form.html",
        {
            "form": form,
            "process": process,
            "title": _("Invite a supplier"),
            "submit": _("Invite"),
            "supplier_options": supplier_options(),
        },
    )


@login_required
def bid_create(request, pk: int):
    process = _visible_process(request, pk)
    _require_write(request, process.organization_id)
    form = BidForm(request.POST or None, process=process)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_bid(
                process=process,
                enterprise=data["supplier"],
                submitted_on=data["submitted_on"],
                amount=data["amount"],
                status=data["status"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The bid was recorded."))
            return redirect("procurement:process-detail", pk=process.pk)
    return render(
        request,
        "procurement/record_form.html",
        {
            "form": form,
            "process": process,
            "title": _("Record a bid"),
            "submit": _("Record the bid"),
            "supplier_options": [] if process.method == Method.INVITATION else supplier_options(),
        },
    )


@login_required
def award_create(request, pk: int):
    process = _visible_process(request, pk)
    _require_write(request, process.organization_id)
    initial = {}
    bid_id = request.GET.get("bid")
    if bid_id and bid_id.isdigit():
        bid = process.bids.filter(pk=bid_id).first()
        if bid is not None:
            initial = {"bid": bid, "amount": bid.amount}
    form = AwardForm(request.POST or None, process=process, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            award = services.award_contract(
                process=process,
                enterprise=data["supplier"],
                awarded_on=data["awarded_on"],
                amount=data["amount"],
                status=data["status"],
                contract_number=data["contract_number"],
                bid=data["bid"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The contract was awarded."))
            return redirect("procurement:award-detail", pk=award.pk)
    return render(
        request,
        "procurement/record_form.html",
        {
            "form": form,
            "process": process,
            "title": _("Award the contract"),
            "submit": _("Award"),
            "supplier_options": supplier_options(),
        },
    )


# --- Awards ---------------------------------------------------------------------------
@login_required
def award_list(request):
    form = AwardFilterForm(request.GET or None, user=request.user)
    awards = (
        Award.objects.visible_to(request.user)
        .with_relationship_flags()
        .select_related("process", "enterprise", "organization")
    )
    if request.GET:
        awards = form.filter(awards)
    page = _page(request, awards.order_by("-awarded_on", "-pk"))
    return render(
        request,
        "procurement/award_list.html",
        {"form": form, "page": page},
    )


def _visible_award(request, pk: int) -> Award:
    return get_object_or_404(
        Award.objects.visible_to(request.user)
        .with_relationship_flags()
        .select_related("process", "enterprise", "organization", "bid"),
        pk=pk,
    )


@login_required
def award_detail(request, pk: int):
    award = _visible_award(request, pk)
    roles = roles_for(request.user)
    context = {
        "award": award,
        "can_write": roles.can_write(award.organization_id),
        "history": history_entries(award),
    }
    return render(request, "procurement/award_detail.html", context)


@login_required
@require_POST
def award_cancel(request, pk: int):
    award = _visible_award(request, pk)
    _require_write(request, award.organization_id)
    try:
        services.cancel_award(award=award, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The award is cancelled. It stays in the record."))
    return redirect("procurement:award-detail", pk=award.pk)


@login_required
@require_POST
def award_activate(request, pk: int):
    award = _visible_award(request, pk)
    _require_write(request, award.organization_id)
    try:
        services.activate_award(award=award, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The award is active."))
    return redirect("procurement:award-detail", pk=award.pk)


@login_required
def direct_award(request):
    """The quick form for the most common record: a direct award."""
    _require_some_write(request)
    form = DirectAwardForm(request.POST or None, user=request.user)
    warning = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            award = services_pages.log_quick_direct_award(
                organization=data["organization"],
                enterprise=data["enterprise"],
                new_supplier_name=data.get("new_supplier_name", ""),
                new_supplier_neq=data["new_supplier_neq"],
                title=data["title"],
                amount=data["amount"],
                awarded_on=data["awarded_on"],
                category=data["category"],
                contract_number=data["contract_number"],
                method_justification=data["method_justification"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error, aliases=NEW_SUPPLIER_ERRORS)
            warning = services.threshold_warning(
                method=Method.DIRECT, value=data["amount"], on=data["awarded_on"]
            )
        else:
            messages.success(request, _("The direct award was recorded."))
            return redirect("procurement:award-detail", pk=award.pk)
    invitation_threshold = (
        Threshold.in_force(Threshold.Kind.INVITATION, timezone.localdate())
        or services.DEFAULT_INVITATION_THRESHOLD
    )
    if warning:
        form.show_justification(True)
    context = {
        "form": form,
        "warning": warning,
        "invitation_threshold": invitation_threshold,
        "supplier_options": supplier_options(),
    }
    return render(request, "procurement/direct_award.html", context)


@login_required
def cumulative(request):
    """Per supplier, a year's active awards of one organization; flagged above 25 000 $."""
    organizations = readable_organizations(request.user)
    first = organizations.first()
    if first is None:
        raise PermissionDenied(_("This page is for buying organizations' staff."))
    data = request.GET or {"organization": first.pk, "year": timezone.localdate().year}
    form = CumulativeForm(data, user=request.user)
    context = {"form": form, "rows": [], "organization": None}
    if form.is_valid():
        organization, year = form.cleaned_data["organization"], form.cleaned_data["year"]
        result = services.cumulative_awards(organization_id=organization.pk, year=year)
        context.update(
            organization=organization,
            year=year,
            rows=result["rows"],
            threshold=result["threshold"],
            above_count=sum(1 for row in result["rows"] if row["above_threshold"]),
        )
    return render(request, "procurement/cumulative.html", context)


# --- Activities -----------------------------------------------------------------------
@login_required
def activity_list(request):
    _require_staff(request)
    kind = request.GET.get("kind", "")
    activities = Activity.objects.annotate(
        organization_count=Count("organizations", distinct=True),
        enterprise_count=Count("enterprises", distinct=True),
    )
    if kind in Activity.Kind.values:
        activities = activities.filter(kind=kind)
    page = _page(request, activities.order_by("-date", "-pk"))
    roles = roles_for(request.user)
    context = {
        "page": page,
        "kind": kind,
        "kinds": Activity.Kind.choices,
        "can_write": _writes_somewhere(roles),
    }
    return render(request, "procurement/activity_list.html", context)


def _can_edit_activity(request, activity: Activity) -> bool:
    roles = roles_for(request.user)
    return roles.coordinator or activity.created_by_id == request.user.pk


@login_required
def activity_detail(request, pk: int):
    _require_staff(request)
    activity = get_object_or_404(Activity, pk=pk)
    context = {
        "activity": activity,
        "organizations": activity.organizations.order_by("name"),
        "enterprises": activity.enterprises.order_by("name"),
        "contacts": BusinessContact.objects.visible_to(request.user)
        .filter(activity=activity)
        .with_is_new()
        .select_related("organization", "enterprise"),
        "can_edit": _can_edit_activity(request, activity),
        "can_record_contact": writable_organizations(request.user).exists(),
        "history": history_entries(activity),
    }
    return render(request, "procurement/activity_detail.html", context)


def _activity_fields(data) -> dict:
    return {name: data[name] for name in services_pages.ACTIVITY_FIELDS}


@login_required
def activity_create(request):
    _require_some_write(request)
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = services_pages.record_activity(
                by=request.user,
                organizations=data["organizations"],
                enterprises=data["enterprises"],
                **_activity_fields(data),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The activity was recorded."))
            return redirect("procurement:activity-detail", pk=activity.pk)
    return render(
        request, "procurement/activity_form.html", {"form": form, "title": _("New activity")}
    )


@login_required
def activity_update(request, pk: int):
    _require_staff(request)
    activity = get_object_or_404(Activity, pk=pk)
    if not _can_edit_activity(request, activity):
        raise PermissionDenied(_("Only coordinators and the person who recorded it can edit it."))
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = services_pages.update_activity(
                activity=activity,
                changes=_activity_fields(data),
                organizations=data["organizations"],
                enterprises=data["enterprises"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("procurement:activity-detail", pk=activity.pk)
    return render(
        request,
        "procurement/activity_form.html",
        {"form": form, "activity": activity, "title": _("Edit the activity")},
    )


# --- Business contacts ----------------------------------------------------------------
@login_required
def contact_list(request):
    _require_staff(request)
    form = ContactFilterForm(request.GET or None, user=request.user)
    contacts = (
        BusinessContact.objects.visible_to(request.user)
        .with_is_new()
        .select_related("organization", "enterprise", "activity")
    )
    if request.GET:
        contacts = form.filter(contacts)
    page = _page(request, contacts.order_by("-date", "-pk"))
    roles = roles_for(request.user)
    context = {
        "form": form,
        "page": page,
        "can_write": _writes_somewhere(roles),
    }
    return render(request, "procurement/contact_list.html", context)


@login_required
def contact_create(request):
    _require_some_write(request)
    initial = {}
    activity_id = request.GET.get("activity")
    if activity_id and activity_id.isdigit():
        activity = Activity.objects.filter(pk=activity_id).first()
        if activity is not None:
            initial = {"activity": activity, "date": activity.date}
    form = BusinessContactForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact = services.record_business_contact(
                organization=data["organization"],
                enterprise=data["supplier"],
                date=data["date"],
                activity=data["activity"],
                notes=data["notes"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The business contact was recorded."))
            return redirect("procurement:contact-detail", pk=contact.pk)
    return render(
        request,
        "procurement/record_form.html",
        {
            "form": form,
            "title": _("New business contact"),
            "submit": _("Record the contact"),
            "supplier_options": supplier_options(),
        },
    )


@login_required
def contact_detail(request, pk: int):
    contact = get_object_or_404(
        BusinessContact.objects.visible_to(request.user)
        .with_is_new()
        .select_related("organization", "enterprise", "activity"),
        pk=pk,
    )
    context = {"contact": contact, "history": history_entries(contact)}
    return render(request, "procurement/contact_detail.html", context)


# --- Organizations --------------------------------------------------------------------
def organization_list(request):
    organizations = Organization.objects.active().select_related("region").order_by("name")
    return render(request, "procurement/organization_list.html", {"organizations": organizations})


def organization_detail(request, slug: str):
    organization = get_object_or_404(
        Organization.objects.active().select_related("region", "municipality"), slug=slug
    )
    roles = roles_for(request.user)
    needs = (
        AnnualNeed.objects.published()
        .filter(organization=organization)
        .select_related("category", "region")
        .order_by("-fiscal_year", "planned_quarter", "title")
    )
    context = {
        "organization": organization,
        "needs": needs,
        "can_read": roles.can_read(organization.pk),
        "can_manage": roles.can_manage(organization.pk),
    }
    return render(request, "procurement/organization_detail.html", context)


@login_required
def organization_commitment(request, slug: str):
    organization = get_object_or_404(Organization.objects.active(), slug=slug)
    if not roles_for(request.user).can_manage(organization.pk):
        raise PermissionDenied(_("Only the organization's managers and coordinators can do this."))
    form = CommitmentForm(
        request.POST or None,
        initial={
            "commitment_signed_on": organization.commitment_signed_on,
            "commitment_signatory": organization.commitment_signatory,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_pages.record_commitment(
                organization=organization,
                signed_on=form.cleaned_data["commitment_signed_on"],
                signatory=form.cleaned_data["commitment_signatory"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The commitment declaration was saved."))
            return redirect("procurement:organization-detail", slug=organization.slug)
    return render(
        request,
        "procurement/commitment_form.html",
        {"form": form, "organization": organization},
    )


# --- Toolkit --------------------------------------------------------------------------
def _toolkit_entries(request):
    if roles_for(request.user).coordinator:
        return ToolkitEntry.objects.all()
    return ToolkitEntry.objects.filter(is_published=True)


def toolkit(request):
    form = ToolkitFilterForm(request.GET or None)
    entries = _toolkit_entries(request)
    if form.is_valid():
        if form.cleaned_data["step"]:
            entries = entries.filter(step=form.cleaned_data["step"])
        if form.cleaned_data["kind"]:
            entries = entries.filter(kind=form.cleaned_data["kind"])
    by_step = {step: [] for step in ToolkitEntry.Step.values}
    for entry in entries.order_by("position", "slug"):
        entry.kind_label = TOOLKIT_KIND_LABELS[entry.kind]
        by_step[entry.step].append(entry)
    steps = [
        {
            "number": number,
            "value": step,
            "label": ToolkitEntry.Step(step).label,
            "entries": by_step[step],
        }
        for number, step in enumerate(ToolkitEntry.Step.values, start=1)
        if by_step[step]
    ]
    context = {
        "form": form,
        "steps": steps,
        "count": sum(len(step["entries"]) for step in steps),
        "is_coordinator": roles_for(request.user).coordinator,
    }
    return render(request, "procurement/toolkit.html", context)


def toolkit_entry(request, slug: str):
    entry = get_object_or_404(_toolkit_entries(request), slug=slug)
    entry.kind_label = TOOLKIT_KIND_LABELS[entry.kind]
    roles = roles_for(request.user)
    context = {
        "entry": entry,
        "is_coordinator": roles.coordinator,
        "history": history_entries(entry) if roles.coordinator else None,
    }
    return render(request, "procurement/toolkit_entry.html", context)


@login_required
def toolkit_edit(request, slug: str | None = None):
    _require_coordinator(request)
    entry = get_object_or_404(ToolkitEntry, slug=slug) if slug else None
    form = ToolkitEntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services_pages.save_toolkit_entry(
                entry=entry,
                **{name: form.cleaned_data[name] for name in services_pages.TOOLKIT_FIELDS},
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The toolkit entry was saved."))
            return redirect("procurement:toolkit-entry", slug=entry.slug)
    title = _("Edit the toolkit entry") if entry else _("New toolkit entry")
    return render(
        request, "procurement/toolkit_form.html", {"form": form, "entry": entry, "title": title}
    )


# --- The EÉS's own records ------------------------------------------------------------
@login_required
def my_invitations(request):
    """For representatives: their enterprises' invitations (to answer), bids and awards."""
    enterprise_ids = roles_for(request.user).enterprise_ids
    enterprises = Enterprise.objects.filter(pk__in=enterprise_ids).order_by("name")
    subscribed = set(
        NeedsDigestSubscription.objects.of_user(request.user).values_list(
            "enterprise_id", flat=True
        )
    )
    context = {
        "enterprises": [
            {"enterprise": enterprise, "subscribed": enterprise.pk in subscribed}
            for enterprise in enterprises
        ],
        "invitations": Invitation.objects.of_enterprises(enterprise_ids)
        .select_related("process__organization", "enterprise")
        .order_by("-invited_on", "-pk"),
        "bids": Bid.objects.of_enterprises(enterprise_ids)
        .select_related("process__organization", "enterprise")
        .order_by("-submitted_on", "-pk"),
        "awards": Award.objects.filter(enterprise_id__in=enterprise_ids)
        .select_related("process", "organization", "enterprise")
        .order_by("-awarded_on", "-pk"),
        "responses": [
            (Invitation.Response.INTERESTED, _("I am interested")),
            (Invitation.Response.DECLINED, _("I decline")),
        ],
    }
    return render(request, "procurement/my_invitations.html", context)


@login_required
@require_POST
def invitation_respond(request, pk: int):
    enterprise_ids = roles_for(request.user).enterprise_ids
    invitation = get_object_or_404(Invitation.objects.of_enterprises(enterprise_ids), pk=pk)
    form = InvitationResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose “interested” or “declined”."))
    else:
        services.respond_to_invitation(
            invitation=invitation, response=form.cleaned_data["response"], by=request.user
        )
        messages.success(request, _("Your answer was sent to the organization."))
    return redirect(reverse("procurement:my-invitations") + f"#invitation-{invitation.pk}")


@login_required
@require_POST
def digest_subscription(request):
    roles = roles_for(request.user)
    enterprise_id = request.POST.get("enterprise", "")
    if not enterprise_id.isdigit() or int(enterprise_id) not in roles.enterprise_ids:
        raise PermissionDenied(_("Only a representative of the enterprise can subscribe."))
    enterprise = get_object_or_404(Enterprise, pk=enterprise_id)
    if request.POST.get("subscribe") == "1":
        services_pages.subscribe_to_needs_digest(user=request.user, enterprise=enterprise)
        messages.success(
            request,
            _("You will receive one e-mail a day when new matching needs are published."),
        )
    else:
        services_pages.unsubscribe_from_needs_digest(user=request.user, enterprise=enterprise)
        messages.success(request, _("You will no longer receive the needs digest."))
    return redirect("procurement:my-invitations")
