"""Members' pages of the directory: sign-up and registration, "my enterprise", the
coordinators' verification queue, supplier files, shortlists, exports and the CSV import.

Who may see what is decided by portal.accounts.roles; a representative reaches only the
enterprises `Enterprise.objects.represented_by(user)` returns (others are a 404).
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from directory import services
from directory.exports import (
    REGISTRATION_COLUMNS,
    SHORTLIST_COLUMNS,
    export_response,
    pick_columns,
    prefetch_for_export,
)
from directory.forms import (
    AchievementFormSet,
    AddToShortlistForm,
    ContactFormSet,
    ExportForm,
    IdentityForm,
    ImpactsForm,
    ImportUploadForm,
    ItemsOnlyForm,
    LocationForm,
    OfferForm,
    OfferingFormSet,
    PublicationForm,
    RegistrationIdentityForm,
    RejectionForm,
    ShortlistEntryForm,
    ShortlistForm,
    SignupForm,
    SubmitForm,
    SupplierFileAddForm,
    SupplierFileJoinForm,
    SupplierRegistrationFilterSet,
)
from directory.models import (
    Enterprise,
    Representative,
    Shortlist,
    ShortlistEntry,
    SupplierRegistration,
)
from portal.accounts.models import Organization
from portal.accounts.roles import roles_for
from portal.ratelimit import ratelimit_post

PAGE_SIZE = 50


def _require_coordinator(request) -> None:
    if not roles_for(request.user).coordinator:
        raise PermissionDenied


def _require_buyer_tools(request) -> None:
    """Shortlists and exports are for buying organizations' staff and coordinators."""
    roles = roles_for(request.user)
    if not (roles.coordinator or roles.is_org_staff):
        raise PermissionDenied


def _my_enterprise(request, pk: int) -> Enterprise:
    return get_object_or_404(Enterprise.objects.represented_by(request.user), pk=pk)


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _add_errors(form, error: ValidationError) -> None:
    form.add_error(None, error.messages)


# --- Sign-up --------------------------------------------------------------------------
@ratelimit_post("signup", "signup")
def signup(request):
    if request.user.is_authenticated:
        return redirect("directory:registration-start")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.sign_up_representative(
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
            # SITE_URL when set: a link built from the request's Host could be forged.
            site_url=settings.SITE_URL or request.build_absolute_uri("/"),
        )
        request.session["signup_email"] = form.cleaned_data["email"]
        return redirect("directory:signup-sent")
    return render(request, "directory/registration/signup.html", {"form": form})


def signup_sent(request):
    return render(
        request,
        "directory/registration/signup_sent.html",
        {"email": request.session.get("signup_email", "")},
    )


def signup_confirm(request, uidb64: str, token: str):
    """GET shows a button; the POST activates. Link scanners that follow e-mail links only
    GET, so they cannot use up the token."""
    User = get_user_model()
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    valid = (
        user is not None
        and not user.is_active
        and services.signup_token_generator.check_token(user, token)
    )
    if request.method == "POST" and valid and services.confirm_sign_up(user=user, token=token):
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your e-mail address is confirmed. Welcome!"))
        return redirect("directory:registration-start")
    return render(
        request,
        "directory/registration/signup_confirm.html",
        {"valid": valid},
        status=200 if valid else 400,
    )


# --- Registration in steps ------------------------------------------------------------
@dataclass(frozen=True)
class Section:
    slug: str
    title: Any
    form_class: type
    formset_class: type | None = None
    formset_title: Any = ""


SECTIONS = {
    section.slug: section
    for section in [
        Section("identite", gettext_lazy("Identity"), IdentityForm),
        Section(
            "lieu",
            gettext_lazy("Location and contact"),
            LocationForm,
            ContactFormSet,
            gettext_lazy("Managers to contact"),
        ),
        Section(
            "offre",
            gettext_lazy("Offerings and sectors"),
            OfferForm,
            OfferingFormSet,
            gettext_lazy("Products and services"),
        ),
        Section("impacts", gettext_lazy("Social impacts"), ImpactsForm),
        Section(
            "realisations",
            gettext_lazy("Achievements"),
            ItemsOnlyForm,
            AchievementFormSet,
            gettext_lazy("Achievements"),
        ),
    ]
}
REGISTRATION_STEPS = ["identite", "lieu", "offre", "impacts", "envoi"]
STEP_TITLES = {
    **{slug: SECTIONS[slug].title for slug in REGISTRATION_STEPS[:-1]},
    "envoi": gettext_lazy("Consent and submission"),
}


def _steps(current: str, enterprise: Enterprise | None):
    return [
        {
            "slug": slug,
            "number": number,
            "title": STEP_TITLES[slug],
            "current": slug == current,
            "url": (
                reverse("directory:registration-step", args=[enterprise.pk, slug])
                if enterprise is not None
                else ""
            ),
        }
        for number, slug in enumerate(REGISTRATION_STEPS, start=1)
    ]


def _handle_section(request, enterprise: Enterprise, section: Section):
    """Bind the section's form (and list) and save them; True when saved."""
    # The form works on its own copy, so a refused value never shows up elsewhere on the page.
    instance = Enterprise.objects.get(pk=enterprise.pk)
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = section.form_class(data, files, instance=instance)
    formset = (
        section.formset_class(data, instance=instance, prefix=section.slug)
        if section.formset_class
        else None
    )
    saved = False
    if data is not None and form.is_valid() and (formset is None or formset.is_valid()):
        try:
            services.update_enterprise_profile(
                enterprise=enterprise, by=request.user, changes=form.changes(), items=formset
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            saved = True
    return form, formset, saved


@login_required
def registration_start(request):
    """Step 1: the enterprise's identity. A known NEQ becomes a request to join it."""
    form = RegistrationIdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register_enterprise(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if registration.is_join_request:
                messages.info(
                    request,
                    _(
                        "%(name)s is already in the directory. Your request to represent it "
                        "was sent to the coordinators."
                    )
                    % {"name": registration.enterprise.name},
                )
                return redirect("directory:my-enterprises")
            return redirect("directory:registration-step", registration.enterprise.pk, "lieu")
    drafts = Enterprise.objects.represented_by(request.user).filter(
        status=Enterprise.Status.NOT_SUBMITTED
    )
    return render(
        request,
        "directory/registration/step.html",
        {
            "form": form,
            "steps": _steps("identite", None),
            "step_title": STEP_TITLES["identite"],
            "drafts": drafts,
            "start": True,
        },
    )


@login_required
def registration_step(request, pk: int, step: str):
    enterprise = _my_enterprise(request, pk)
    if step not in REGISTRATION_STEPS:
        raise Http404
    if enterprise.status != Enterprise.Status.NOT_SUBMITTED:
        return redirect("directory:my-enterprise", enterprise.pk)
    if step == "envoi":
        return _registration_submit(request, enterprise)
    form, formset, saved = _handle_section(request, enterprise, SECTIONS[step])
    if saved:
        following = REGISTRATION_STEPS[REGISTRATION_STEPS.index(step) + 1]
        return redirect("directory:registration-step", enterprise.pk, following)
    return render(
        request,
        "directory/registration/step.html",
        {
            "enterprise": enterprise,
            "form": form,
            "formset": formset,
            "formset_title": SECTIONS[step].formset_title,
            "steps": _steps(step, enterprise),
            "step_title": STEP_TITLES[step],
            "previous": REGISTRATION_STEPS[REGISTRATION_STEPS.index(step) - 1]
            if step != REGISTRATION_STEPS[0]
            else None,
        },
    )


def _registration_submit(request, enterprise: Enterprise):
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_registration(
                enterprise=enterprise, by=request.user, consent=form.cleaned_data["consent"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you! A coordinator will verify %(name)s; you will get an e-mail.")
                % {"name": enterprise.name},
            )
            return redirect("directory:my-enterprise", enterprise.pk)
    return render(
        request,
        "directory/registration/submit.html",
        {
            "enterprise": enterprise,
            "form": form,
            "missing": services.missing_for_submission(enterprise),
            "steps": _steps("envoi", enterprise),
            "step_title": STEP_TITLES["envoi"],
        },
    )


# --- My enterprise --------------------------------------------------------------------
@login_required
def my_enterprises(request):
    enterprises = list(Enterprise.objects.represented_by(request.user).order_by("name"))
    requests = Representative.objects.filter(user=request.user, is_approved=False).select_related(
        "enterprise"
    )
    if len(enterprises) == 1 and not requests:
        return redirect("directory:my-enterprise", enterprises[0].pk)
    return render(
        request,
        "directory/members/my_enterprises.html",
        {"enterprises": enterprises, "join_requests": requests},
    )


@login_required
def my_enterprise(request, pk: int):
    enterprise = _my_enterprise(request, pk)
    registrations = enterprise.supplier_registrations.select_related("organization").order_by(
        "-registered_on", "organization__name"
    )
    return render(
        request,
        "directory/members/my_enterprise.html",
        {
            "enterprise": enterprise,
            "sections": SECTIONS.values(),
            "missing": services.missing_for_submission(enterprise),
            "registrations": registrations,
            "join_form": SupplierFileJoinForm(enterprise=enterprise),
            "publication_form": PublicationForm(),
            "can_submit": enterprise.can_move_to(Enterprise.Status.PENDING)
            and enterprise.status != Enterprise.Status.VERIFIED,
        },
    )


@login_required
def my_enterprise_section(request, pk: int, section: str):
    enterprise = _my_enterprise(request, pk)
    if section not in SECTIONS:
        raise Http404
    was_verified = enterprise.status == Enterprise.Status.VERIFIED
    form, formset, saved = _handle_section(request, enterprise, SECTIONS[section])
    if saved:
        if was_verified and enterprise.status == Enterprise.Status.PENDING:
            messages.warning(
                request,
                _(
                    "The name, NEQ or legal form changed: a coordinator will verify the "
                    "enterprise again."
                ),
            )
        else:
            messages.success(request, _("Changes saved."))
        return redirect("directory:my-enterprise", enterprise.pk)
    return render(
        request,
        "directory/members/section.html",
        {
            "enterprise": enterprise,
            "form": form,
            "formset": formset,
            "formset_title": SECTIONS[section].formset_title,
            "section": SECTIONS[section],
        },
    )


@login_required
@require_POST
def my_enterprise_submit(request, pk: int):
    enterprise = _my_enterprise(request, pk)
    try:
        services.submit_registration(enterprise=enterprise, by=request.user, consent=False)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The enterprise was sent for verification."))
    return redirect("directory:my-enterprise", enterprise.pk)


@login_required
@require_POST
def my_enterprise_publication(request, pk: int):
    enterprise = _my_enterprise(request, pk)
    if request.POST.get("action") == "withdraw":
        services.withdraw_publication_consent(enterprise=enterprise, by=request.user)
        messages.success(request, _("The profile is no longer in the public directory."))
        return redirect("directory:my-enterprise", enterprise.pk)
    form = PublicationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the consent box to publish the profile."))
    else:
        services.record_publication_consent(enterprise=enterprise, by=request.user)
        if enterprise.is_published:
            messages.success(request, _("The profile is now in the public directory."))
        else:
            messages.success(
                request, _("Your consent is recorded: the profile is published once verified.")
            )
    return redirect("directory:my-enterprise", enterprise.pk)


@login_required
@require_POST
def my_enterprise_supplier_join(request, pk: int):
    enterprise = _my_enterprise(request, pk)
    form = SupplierFileJoinForm(request.POST, enterprise=enterprise)
    if not form.is_valid():
        messages.error(request, _("Choose a buying organization."))
        return redirect("directory:my-enterprise", enterprise.pk)
    try:
        services.register_in_supplier_file(
            enterprise=enterprise, organization=form.cleaned_data["organization"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is registered in the supplier file of %(organization)s.")
            % {"name": enterprise.name, "organization": form.cleaned_data["organization"].name},
        )
    return redirect("directory:my-enterprise", enterprise.pk)


@login_required
@require_POST
def my_enterprise_supplier_withdraw(request, pk: int, registration_pk: int):
    enterprise = _my_enterprise(request, pk)
    registration = get_object_or_404(enterprise.supplier_registrations, pk=registration_pk)
    try:
        services.withdraw_from_supplier_file(registration=registration, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The registration was withdrawn."))
    return redirect("directory:my-enterprise", enterprise.pk)


# --- Verification (coordinators) ------------------------------------------------------
@login_required
def verification_queue(request):
    _require_coordinator(request)
    pending = (
        Enterprise.objects.filter(status=Enterprise.Status.PENDING)
        .select_related("region", "municipality")
        .order_by("submitted_at", "pk")
    )
    join_requests = (
        Representative.objects.filter(is_approved=False)
        .select_related("user", "enterprise")
        .order_by("requested_at", "pk")
    )
    return render(
        request,
        "directory/members/verification_queue.html",
        {"pending": pending, "join_requests": join_requests},
    )


@login_required
def verification_detail(request, pk: int):
    _require_coordinator(request)
    enterprise = get_object_or_404(
        Enterprise.objects.select_related(
            "region", "municipality", "primary_sector", "publication_consent_by"
        ).prefetch_related("sectors", "offerings__category", "contacts", "impacts"),
        pk=pk,
    )
    representatives = enterprise.representatives.select_related("user").order_by("requested_at")
    same_name = Enterprise.objects.filter(name__iexact=enterprise.name).exclude(pk=enterprise.pk)
    return render(
        request,
        "directory/members/verification_detail.html",
        {
            "enterprise": enterprise,
            "representatives": representatives,
            "same_name": same_name,
            "rejection_form": RejectionForm(),
            "missing": services.missing_for_submission(enterprise),
        },
    )


@login_required
@require_POST
def verification_approve(request, pk: int):
    _require_coordinator(request)
    enterprise = get_object_or_404(Enterprise, pk=pk)
    try:
        services.verify_enterprise(enterprise=enterprise, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("directory:verification-detail", enterprise.pk)
    messages.success(request, _("%(name)s is verified.") % {"name": enterprise.name})
    return redirect("directory:verification-queue")


@login_required
@require_POST
def verification_reject(request, pk: int):
    _require_coordinator(request)
    enterprise = get_object_or_404(Enterprise, pk=pk)
    form = RejectionForm(request.POST)
    if form.is_valid():
        try:
            services.reject_enterprise(
                enterprise=enterprise, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(name)s is rejected.") % {"name": enterprise.name})
            return redirect("directory:verification-queue")
    representatives = enterprise.representatives.select_related("user")
    return render(
        request,
        "directory/members/verification_detail.html",
        {
            "enterprise": enterprise,
            "representatives": representatives,
            "rejection_form": form,
            "missing": services.missing_for_submission(enterprise),
        },
        status=400,
    )


@login_required
@require_POST
def join_request_decide(request, pk: int, decision: str):
    _require_coordinator(request)
    representative = get_object_or_404(
        Representative.objects.select_related("user", "enterprise"), pk=pk, is_approved=False
    )
    names = {"user": representative.user, "name": representative.enterprise.name}
    if decision == "approve":
        services.approve_join_request(representative=representative, by=request.user)
        messages.success(request, _("%(user)s now represents %(name)s.") % names)
    else:
        services.decline_join_request(representative=representative, by=request.user)
        messages.success(
            request, _("The request of %(user)s to represent %(name)s was declined.") % names
        )
    return redirect("directory:verification-queue")


# --- Supplier files (organization staff) ----------------------------------------------
def _supplier_file(request):
    """The filtered registrations the user may see, and the FilterSet that chose them."""
    roles = roles_for(request.user)
    if not (roles.coordinator or roles.is_org_staff):
        raise PermissionDenied
    organizations = (
        Organization.objects.all()
        if roles.coordinator
        else Organization.objects.filter(pk__in=roles.organization_ids)
    )
    data = request.GET.copy()
    # Today's file by default; an emptied date shows every registration, withdrawn ones too.
    data.setdefault("active_on", timezone.localdate().isoformat())
    if len(roles.organization_ids) == 1 and not roles.coordinator:
        data.setdefault("organization", str(next(iter(roles.organization_ids))))
    queryset = (
        SupplierRegistration.objects.visible_to(request.user)
        .filter(organization__in=organizations)
        .select_related("organization", "enterprise__region", "enterprise__municipality")
        .order_by("organization__name", "enterprise__name", "-registered_on")
    )
    filterset = SupplierRegistrationFilterSet(data, queryset=queryset, request=request)
    filterset.form.fields["organization"].queryset = organizations
    return filterset, organizations


@login_required
def supplier_file(request):
    filterset, organizations = _supplier_file(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    roles = roles_for(request.user)
    editable = [
        organization
        for organization in organizations
        if roles.can_write(organization.pk) or roles.can_manage(organization.pk)
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/members/supplier_file.html",
        {
            "filterset": filterset,
            "page": page,
            "editable_ids": {organization.pk for organization in editable},
            "add_organizations": editable,
            "add_form": SupplierFileAddForm(),
            "export_form": ExportForm(
                sees_contacts=roles.sees_contacts, extra_columns=REGISTRATION_COLUMNS
            ),
            "query": query.urlencode(),
            "filter_params": [
                (name, value)
                for name, values in filterset.data.lists()
                if name not in {"format", "columns", "page"}
                for value in values
            ],
        },
    )


@login_required
def supplier_file_export(request):
    filterset, _organizations = _supplier_file(request)
    response = _export(
        request,
        items=filterset.qs.select_related("organization"),
        filename=_("supplier-file"),
        extra_columns=REGISTRATION_COLUMNS,
        prefix="enterprise__",
        enterprise_of=lambda registration: registration.enterprise,
    )
    if response is None:
        messages.error(request, _("Choose a format and at least one column."))
        return redirect(reverse("directory:supplier-file") + "?" + request.GET.urlencode())
    return response


@login_required
@require_POST
def supplier_file_add(request):
    roles = roles_for(request.user)
    organization = get_object_or_404(Organization, pk=request.POST.get("organization") or 0)
    if not (roles.can_write(organization.pk) or roles.can_manage(organization.pk)):
        raise PermissionDenied
    form = SupplierFileAddForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    else:
        try:
            services.register_in_supplier_file(
                enterprise=form.enterprise,
                organization=organization,
                by=request.user,
                registered_on=form.cleaned_data["registered_on"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(name)s is registered in the supplier file of %(organization)s.")
                % {"name": form.enterprise.name, "organization": organization.name},
            )
    return redirect(f"{reverse('directory:supplier-file')}?organization={organization.pk}")


@login_required
@require_POST
def supplier_file_withdraw(request, pk: int):
    roles = roles_for(request.user)
    registration = get_object_or_404(
        SupplierRegistration.objects.visible_to(request.user).select_related("enterprise"), pk=pk
    )
    if not (
        roles.can_write(registration.organization_id)
        or roles.can_manage(registration.organization_id)
    ):
        raise PermissionDenied
    try:
        services.withdraw_from_supplier_file(registration=registration, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s was withdrawn from the supplier file.")
            % {"name": registration.enterprise.name},
        )
    return redirect(_safe_next(request, reverse("directory:supplier-file")))


# --- Exports --------------------------------------------------------------------------
def _export(request, *, items, filename, extra_columns=(), prefix="", enterprise_of=None):
    """The export chosen in GET (format, columns), or None when the choice is invalid."""
    roles = roles_for(request.user)
    form = ExportForm(request.GET, sees_contacts=roles.sees_contacts, extra_columns=extra_columns)
    if not form.is_valid():
        return None
    columns = pick_columns(
        form.cleaned_data["columns"], sees_contacts=roles.sees_contacts, extra=extra_columns
    )
    return export_response(
        items=prefetch_for_export(items, columns, prefix=prefix),
        columns=columns,
        fmt=form.cleaned_data["format"],
        filename=filename,
        enterprise_of=enterprise_of,
    )


def search_results(request):
    """The enterprises the search page would list for the same GET parameters."""
    queryset = Enterprise.objects.visible_to(request.user)
    try:
        from directory.filters import EnterpriseFilterSet
    except ImportError:  # until the search page's FilterSet exists: filter by name only
        q = request.GET.get("q", "").strip()
        return queryset.filter(name__icontains=q) if q else queryset
    return EnterpriseFilterSet(request.GET, queryset=queryset, request=request).qs


EXPORT_PARAMETERS = {"format", "columns", "csrfmiddlewaretoken"}


@login_required
def export_search(request):
    """Export the results of a search; without a format, the page to choose the columns."""
    _require_buyer_tools(request)
    roles = roles_for(request.user)
    search_params = [
        (name, value)
        for name, values in request.GET.lists()
        if name not in EXPORT_PARAMETERS
        for value in values
    ]
    form = ExportForm(sees_contacts=roles.sees_contacts)
    if "format" in request.GET:
        response = _export(request, items=search_results(request), filename=_("enterprises"))
        if response is not None:
            return response
        form = ExportForm(request.GET, sees_contacts=roles.sees_contacts)
    return render(
        request,
        "directory/members/export.html",
        {"form": form, "search_params": search_params, "count": search_results(request).count()},
    )


# --- Shortlists -----------------------------------------------------------------------
def _my_shortlist(request, pk: int) -> Shortlist:
    return get_object_or_404(Shortlist, pk=pk, owner=request.user)


def _organization_of(request):
    organizations = roles_for(request.user).organization_ids
    return (
        Organization.objects.get(pk=next(iter(organizations))) if len(organizations) == 1 else None
    )


@login_required
def shortlist_list(request):
    _require_buyer_tools(request)
    form = ShortlistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        shortlist = services.create_shortlist(
            owner=request.user, organization=_organization_of(request), **form.cleaned_data
        )
        return redirect("directory:shortlist-detail", shortlist.pk)
    shortlists = Shortlist.objects.filter(owner=request.user).annotate(size=Count("entries"))
    return render(
        request, "directory/members/shortlist_list.html", {"form": form, "shortlists": shortlists}
    )


@login_required
def shortlist_detail(request, pk: int):
    _require_buyer_tools(request)
    shortlist = _my_shortlist(request, pk)
    entries = shortlist.entries.select_related(
        "enterprise__region", "enterprise__municipality"
    ).order_by("added_at", "pk")
    roles = roles_for(request.user)
    return render(
        request,
        "directory/members/shortlist_detail.html",
        {
            "shortlist": shortlist,
            "entries": entries,
            "rename_form": ShortlistForm(instance=shortlist),
            "export_form": ExportForm(
                sees_contacts=roles.sees_contacts, extra_columns=SHORTLIST_COLUMNS
            ),
        },
    )


@login_required
@require_POST
def shortlist_update(request, pk: int):
    _require_buyer_tools(request)
    shortlist = _my_shortlist(request, pk)
    form = ShortlistForm(request.POST, instance=Shortlist.objects.get(pk=shortlist.pk))
    if form.is_valid():
        services.rename_shortlist(shortlist=shortlist, **form.cleaned_data)
        messages.success(request, _("The list was saved."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("directory:shortlist-detail", shortlist.pk)


@login_required
@require_POST
def shortlist_delete(request, pk: int):
    _require_buyer_tools(request)
    shortlist = _my_shortlist(request, pk)
    services.delete_shortlist(shortlist=shortlist)
    messages.success(request, _("The list “%(name)s” was deleted.") % {"name": shortlist.name})
    return redirect("directory:shortlist-list")


@login_required
def shortlist_export(request, pk: int):
    _require_buyer_tools(request)
    shortlist = _my_shortlist(request, pk)
    response = _export(
        request,
        items=shortlist.entries.order_by("added_at", "pk"),
        filename=shortlist.name,
        extra_columns=SHORTLIST_COLUMNS,
        prefix="enterprise__",
        enterprise_of=lambda entry: entry.enterprise,
    )
    if response is None:
        messages.error(request, _("Choose a format and at least one column."))
        return redirect("directory:shortlist-detail", shortlist.pk)
    return response


def _add_form(request, data=None, initial=None):
    return AddToShortlistForm(
        data,
        initial=initial,
        user=request.user,
        enterprises=Enterprise.objects.visible_to(request.user),
    )


@login_required
def shortlist_add_page(request, enterprise_pk: int):
    """A page of its own for the "add to a list" form (the profile page can link here)."""
    _require_buyer_tools(request)
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=enterprise_pk)
    return render(
        request,
        "directory/members/shortlist_add.html",
        {
            "enterprise": enterprise,
            "shortlists": Shortlist.objects.filter(owner=request.user),
        },
    )


@login_required
@require_POST
def shortlist_add(request):
    _require_buyer_tools(request)
    form = _add_form(request, request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(_safe_next(request, reverse("directory:shortlist-list")))
    shortlist = form.cleaned_data["shortlist"]
    new_list = form.cleaned_data["new_list"].strip()
    if new_list:
        shortlist = services.create_shortlist(
            owner=request.user, name=new_list, organization=_organization_of(request)
        )
    enterprise = form.cleaned_data["enterprise"]
    services.add_to_shortlist(
        shortlist=shortlist, enterprise=enterprise, note=form.cleaned_data["note"]
    )
    messages.success(
        request,
        _("%(name)s was added to the list “%(list)s”.")
        % {"name": enterprise.name, "list": shortlist.name},
    )
    return redirect(_safe_next(request, reverse("directory:shortlist-detail", args=[shortlist.pk])))


@login_required
@require_POST
def shortlist_entry_update(request, pk: int):
    _require_buyer_tools(request)
    entry = get_object_or_404(ShortlistEntry, pk=pk, shortlist__owner=request.user)
    form = ShortlistEntryForm(request.POST)
    if form.is_valid():
        services.update_shortlist_entry(entry=entry, note=form.cleaned_data["note"])
        messages.success(request, _("The note was saved."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("directory:shortlist-detail", entry.shortlist_id)


@login_required
@require_POST
def shortlist_entry_remove(request, pk: int):
    _require_buyer_tools(request)
    entry = get_object_or_404(
        ShortlistEntry.objects.select_related("enterprise", "shortlist"),
        pk=pk,
        shortlist__owner=request.user,
    )
    services.remove_from_shortlist(entry=entry)
    messages.success(
        request, _("%(name)s was removed from the list.") % {"name": entry.enterprise.name}
    )
    return redirect("directory:shortlist-detail", entry.shortlist_id)


# --- Import (coordinators) ------------------------------------------------------------
IMPORT_SESSION_KEY = "directory_import"


IMPORT_KEPT_FOR = timedelta(days=1)


def _forget_upload(request) -> None:
    pending = request.session.pop(IMPORT_SESSION_KEY, None)
    if pending and default_storage.exists(pending["name"]):
        default_storage.delete(pending["name"])


def _forget_abandoned_uploads() -> None:
    """Files checked but never confirmed are not kept past a day."""
    if not default_storage.exists("imports"):
        return
    too_old = timezone.now() - IMPORT_KEPT_FOR
    for name in default_storage.listdir("imports")[1]:
        path = f"imports/{name}"
        if default_storage.get_modified_time(path) < too_old:
            default_storage.delete(path)


@login_required
def import_upload(request):
    """Upload a CSV: it is kept server-side and dry-run; the report offers to confirm."""
    _require_coordinator(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        _forget_upload(request)
        _forget_abandoned_uploads()
        upload = form.cleaned_data["file"]
        name = default_storage.save(f"imports/{uuid.uuid4().hex}.csv", upload)
        with default_storage.open(name, "rb") as source:
            report = services.import_enterprises(source=source, by=request.user, commit=False)
        if report.ok:
            request.session[IMPORT_SESSION_KEY] = {"name": name, "filename": upload.name}
        else:
            default_storage.delete(name)
    return render(
        request,
        "directory/members/import.html",
        {
            "form": form,
            "report": report,
            "filename": request.FILES["file"].name if report else "",
        },
    )


@login_required
@require_POST
def import_confirm(request):
    _require_coordinator(request)
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending or not default_storage.exists(pending["name"]):
        messages.error(request, _("The uploaded file is no longer available: upload it again."))
        return redirect("directory:import")
    with default_storage.open(pending["name"], "rb") as source:
        report = services.import_enterprises(source=source, by=request.user, commit=True)
    _forget_upload(request)
    return render(
        request,
        "directory/members/import.html",
        {
            "form": ImportUploadForm(),
            "report": report,
            "filename": pending["filename"],
        },
        status=200 if report.ok else 400,
    )
