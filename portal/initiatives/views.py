"""Pages of initiatives: cohorts, calls for interest and selection, portfolios, training."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory.models import Enterprise
from indicators.cohorts import can_read_cohort
from indicators.views import cohort_dashboard
from portal.accounts.roles import roles_for
from portal.initiatives import portfolio, services
from portal.initiatives.forms import (
    DEFAULT_CRITERIA,
    ApplicationForm,
    CallForm,
    CohortEnterpriseForm,
    CohortForm,
    CohortOrganizationForm,
    CriterionFormSet,
    DecisionForm,
    InitiativeForm,
    QuizForm,
    ScoreForm,
)
from portal.initiatives.models import (
    Application,
    Call,
    Cohort,
    Initiative,
    TrainingCompletion,
    TrainingModule,
)


def coordinator_required(view):
    """Visitors are sent to log in; signed-in people without the role get a 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not roles_for(request.user).coordinator:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Initiatives and cohorts -----------------------------------------------------------------


def index(request):
    initiatives = Initiative.objects.annotate(cohort_count=Count("cohorts"))
    return render(request, "initiatives/index.html", {"initiatives": initiatives})


@coordinator_required
def initiative_create(request):
    form = InitiativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.create_initiative(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The initiative was created."))
            return redirect(initiative)
    status = 400 if request.method == "POST" else 200
    return render(request, "initiatives/initiative_form.html", {"form": form}, status=status)


def initiative(request, slug):
    initiative = get_object_or_404(Initiative, slug=slug)
    cohorts = initiative.cohorts.with_counts().order_by("start", "name")
    return render(
        request, "initiatives/initiative.html", {"initiative": initiative, "cohorts": cohorts}
    )


@coordinator_required
def cohort_create(request, slug):
    initiative = get_object_or_404(Initiative, slug=slug)
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.create_cohort(
                initiative=initiative, **form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The cohort was created."))
            return redirect(cohort)
    return render(
        request,
        "initiatives/cohort_form.html",
        {"form": form, "initiative": initiative},
        status=400 if request.method == "POST" else 200,
    )


def cohort(request, pk):
    cohort = get_object_or_404(Cohort.objects.select_related("initiative"), pk=pk)
    roles = roles_for(request.user)
    organization_form = enterprise_form = None
    status = 200
    if roles.coordinator:
        action = request.POST.get("action") if request.method == "POST" else None
        organization_form = CohortOrganizationForm(
            request.POST if action == "add-organization" else None, prefix="organization"
        )
        enterprise_form = CohortEnterpriseForm(
            request.POST if action == "add-enterprise" else None, prefix="enterprise"
        )
        form = {"add-organization": organization_form, "add-enterprise": enterprise_form}.get(
            action
        )
        if form is not None and form.is_valid():
            try:
                if action == "add-organization":
                    services.add_organization_to_cohort(
                        cohort=cohort, **form.cleaned_data, by=request.user
                    )
                    messages.success(request, _("The organization joined the cohort."))
                else:
                    services.add_enterprise_to_cohort(
                        cohort=cohort, **form.cleaned_data, by=request.user
                    )
                    messages.success(request, _("The enterprise joined the cohort."))
                return redirect(cohort)
            except ValidationError as error:
                add_service_errors(form, error)
        if form is not None:
            status = 400
    elif request.method == "POST":
        raise PermissionDenied
    visible = Enterprise.objects.visible_to(request.user)
    context = {
        "cohort": cohort,
        "organizations": cohort.participating_organizations.select_related("organization"),
        "enterprises": cohort.participating_enterprises.filter(
            enterprise__in=visible
        ).select_related("enterprise__region", "enterprise__municipality"),
        "calls": cohort.calls.with_counts(),
        "organization_form": organization_form,
        "enterprise_form": enterprise_form,
        # The cohort's results in figures, for those who may read its indicators.
        "dashboard": cohort_dashboard(cohort) if can_read_cohort(request.user, cohort) else None,
    }
    return render(request, "initiatives/cohort.html", context, status=status)


# --- Calls for interest and selection --------------------------------------------------------


@coordinator_required
def call_create(request, pk):
    cohort = get_object_or_404(Cohort.objects.select_related("initiative"), pk=pk)
    form = CallForm(request.POST or None)
    formset = CriterionFormSet(
        request.POST or None,
        initial=None if request.method == "POST" else DEFAULT_CRITERIA,
        prefix="criteria",
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        criteria = [
            services.CriterionSpec(
                label_fr=data["label_fr"],
                label_en=data["label_en"],
                weight=data["weight"],
                max_score=data["max_score"],
            )
            for data in (criterion.cleaned_data for criterion in formset.forms)
            if data and not data.get("DELETE")
        ]
        try:
            call = services.open_call(
                cohort=cohort, **form.cleaned_data, criteria=criteria, by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The call for interest is open."))
            return redirect(call)
    return render(
        request,
        "initiatives/call_form.html",
        {"cohort": cohort, "form": form, "formset": formset},
        status=400 if request.method == "POST" else 200,
    )


def _eligible_enterprises(user, call: Call):
    """Verified EÉS the user represents that have not applied to this call yet."""
    roles = roles_for(user)
    return (
        Enterprise.objects.social_economy()
        .filter(pk__in=roles.enterprise_ids)
        .exclude(cohort_applications__call=call)
        .order_by("name")
    )


def call(request, pk):
    call = get_object_or_404(Call.objects.with_counts().select_related("cohort__initiative"), pk=pk)
    roles = roles_for(request.user)
    context = {
        "call": call,
        "criteria": call.criteria.all(),
        "my_applications": Application.objects.filter(
            call=call, enterprise_id__in=roles.enterprise_ids
        ).select_related("enterprise"),
        "can_apply": roles.is_representative
        and call.accepts_applications
        and _eligible_enterprises(request.user, call).exists(),
    }
    return render(request, "initiatives/call.html", context)


@login_required
def call_apply(request, pk):
    call = get_object_or_404(Call.objects.select_related("cohort__initiative"), pk=pk)
    roles = roles_for(request.user)
    if not roles.is_representative:
        raise PermissionDenied
    enterprises = _eligible_enterprises(request.user, call)
    form = None
    if enterprises.exists():
        form = ApplicationForm(request.POST or None, call=call, enterprises=enterprises)
        if request.method == "POST" and form.is_valid():
            try:
                services.apply_to_call(
                    call=call,
                    enterprise=form.cleaned_data["enterprise"],
                    answers=form.answers(),
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Your application was sent. A confirmation is on its way by e-mail."),
                )
                return redirect(call)
    elif request.method == "POST":
        messages.error(request, _("None of your enterprises can apply to this call."))
        return redirect(call)
    return render(
        request,
        "initiatives/call_apply.html",
        {"call": call, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@coordinator_required
@require_POST
def call_close(request, pk):
    call = get_object_or_404(Call, pk=pk)
    services.close_call(call=call, by=request.user)
    messages.success(request, _("The call for interest is closed."))
    return redirect(call)


@coordinator_required
def call_review(request, pk):
    call = get_object_or_404(Call.objects.with_counts().select_related("cohort__initiative"), pk=pk)
    criteria = list(call.criteria.all())
    max_points = sum(c.weight * c.max_score for c in criteria)
    applications = list(
        call.applications.with_points().select_related("enterprise").order_by("submitted_at", "id")
    )
    for application in applications:
        application.share = Application.share_of(application.points, max_points)
    return render(
        request,
        "initiatives/call_review.html",
        {"call": call, "criteria": criteria, "applications": applications},
    )


def _application_page(request, application, score_form=None, decision_form=None, status=200):
    criteria = list(application.call.criteria.all())
    scores = {score.criterion_id: score for score in application.scores.all()}
    coordinator = roles_for(request.user).coordinator
    undecided = application.status == Application.Status.SUBMITTED
    if coordinator and undecided:
        score_form = score_form or ScoreForm(
            criteria=criteria, scores={pk: s.score for pk, s in scores.items()}
        )
        decision_form = decision_form or DecisionForm()
    rows = [
        {"criterion": c, "answer": answer, "score": scores.get(c.pk)}
        for c in criteria
        for answer in [next((a for a in application.answers.all() if a.criterion_id == c.pk), None)]
    ]
    context = {
        "application": application,
        "call": application.call,
        "rows": rows,
        "share": services.weighted_total(application),
        "coordinator": coordinator,
        "score_form": score_form if coordinator and undecided else None,
        "decision_form": decision_form if coordinator and undecided else None,
    }
    return render(request, "initiatives/application.html", context, status=status)


def _get_application(request, pk):
    return get_object_or_404(
        Application.objects.visible_to(request.user)
        .select_related("enterprise", "submitted_by", "decided_by", "call__cohort__initiative")
        .prefetch_related("answers", "scores", "call__criteria"),
        pk=pk,
    )


@login_required
def application(request, pk):
    return _application_page(request, _get_application(request, pk))


@coordinator_required
@require_POST
def application_score(request, pk):
    application = _get_application(request, pk)
    form = ScoreForm(request.POST, criteria=list(application.call.criteria.all()), scores={})
    if form.is_valid():
        try:
            services.score_application(
                application=application, scores=form.scores(), by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The scores were saved."))
            return redirect(application)
    return _application_page(request, application, score_form=form, status=400)


@coordinator_required
@require_POST
def application_decide(request, pk):
    application = _get_application(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if form.cleaned_data["decision"] == DecisionForm.KEEP:
                services.keep_application(application=application, reason=reason, by=request.user)
                messages.success(
                    request, _("The application was kept: the enterprise joined the cohort.")
                )
            else:
                services.decline_application(
                    application=application, reason=reason, by=request.user
                )
                messages.success(request, _("The application was declined."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("initiatives:call-review", pk=application.call_id)
    return _application_page(request, application, decision_form=form, status=400)


# --- Portfolios ------------------------------------------------------------------------------


def _portfolio_context(request, enterprises, *, title, pdf_url, back_url) -> dict:
    return {
        "enterprises": enterprises,
        "title": title,
        "pdf_url": pdf_url,
        "back_url": back_url,
        "sees_contacts": roles_for(request.user).sees_contacts,
    }


def _pdf_response(request, context: dict, filename: str) -> HttpResponse:
    pdf = portfolio.render_pdf("initiatives/portfolio_pdf.html", context, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _cohort_portfolio_context(request, pk) -> tuple[Cohort, dict]:
    cohort = get_object_or_404(Cohort.objects.select_related("initiative"), pk=pk)
    enterprises = portfolio.with_portfolio_data(
        Enterprise.objects.published().filter(cohort_participations__cohort=cohort).order_by("name")
    )
    context = _portfolio_context(
        request,
        enterprises,
        title=_("Portfolio of the EÉS of %(cohort)s") % {"cohort": cohort},
        pdf_url=reverse("initiatives:cohort-portfolio-pdf", kwargs={"pk": cohort.pk}),
        back_url=cohort.get_absolute_url(),
    )
    return cohort, context


def cohort_portfolio(request, pk):
    _cohort, context = _cohort_portfolio_context(request, pk)
    return render(request, "initiatives/portfolio.html", context)


def cohort_portfolio_pdf(request, pk):
    cohort, context = _cohort_portfolio_context(request, pk)
    return _pdf_response(request, context, f"portfolio-{slugify(cohort.name) or cohort.pk}.pdf")


def _search_portfolio_context(request) -> tuple[dict, bool]:
    queryset = portfolio.search_enterprises(request.GET, request)
    count = queryset.count()
    too_many = count > portfolio.MAX_ENTERPRISES
    enterprises = (
        portfolio.with_portfolio_data(queryset) if not too_many else Enterprise.objects.none()
    )
    query = request.GET.urlencode()
    context = _portfolio_context(
        request,
        enterprises,
        title=_("Portfolio of social-economy enterprises"),
        pdf_url=reverse("initiatives:portfolio-pdf") + (f"?{query}" if query else ""),
        back_url=None,
    )
    context.update(count=count, too_many=too_many, max_enterprises=portfolio.MAX_ENTERPRISES)
    context["query"] = request.GET.get("q", "")
    return context, too_many


def search_portfolio(request):
    # A search too wide is not an error on this page: it shows the search box and says so.
    context, _too_many = _search_portfolio_context(request)
    return render(request, "initiatives/portfolio.html", context)


def search_portfolio_pdf(request):
    context, too_many = _search_portfolio_context(request)
    if too_many:
        return render(request, "initiatives/portfolio.html", context, status=400)
    return _pdf_response(request, context, "portfolio.pdf")


# --- Training --------------------------------------------------------------------------------


def training(request):
    modules = (
        TrainingModule.objects.visible_to(request.user)
        .annotate(
            lesson_count=Count("lessons", distinct=True),
            question_count=Count("questions", distinct=True),
        )
        .order_by("position", "slug")
    )
    completed = set()
    if request.user.is_authenticated:
        completed = set(
            TrainingCompletion.objects.filter(user=request.user).values_list("module_id", flat=True)
        )
    return render(
        request, "initiatives/training.html", {"modules": modules, "completed": completed}
    )


def training_module(request, slug):
    module = get_object_or_404(TrainingModule.objects.visible_to(request.user), slug=slug)
    questions = list(module.questions.prefetch_related("choices"))
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = QuizForm(request.POST or None, questions=questions)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = services.complete_training_module(
                    module=module, user=request.user, answers=form.answers()
                )
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
        else:
            status = 400
    completion = None
    if request.user.is_authenticated:
        completion = TrainingCompletion.objects.filter(module=module, user=request.user).first()
    review = []
    if result is not None:
        answers = form.answers()
        for question in questions:
            choices = list(question.choices.all())
            chosen = next((c for c in choices if c.pk == answers[question.pk]), None)
            review.append(
                {
                    "question": question,
                    "chosen": chosen,
                    "correct": [c for c in choices if c.is_correct],
                    "is_correct": bool(chosen and chosen.is_correct),
                }
            )
    context = {
        "module": module,
        "lessons": module.lessons.all(),
        "questions": questions,
        "form": form,
        "result": result,
        "review": review,
        "completion": completion,
    }
    return render(request, "initiatives/training_module.html", context, status=status)
