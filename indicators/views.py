"""Indicator pages: dashboards, exports, the accountability report, targets and refresh.

Pages read values through indicators.report.get_report: the latest snapshot for a calendar
year, quarter or month (a fixed, small number of queries whatever the data volume), a live
computation for a custom range.
"""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators import charts, exports
from indicators.catalogue import BY_CODE, CATALOGUE, Family, Unit
from indicators.cohorts import can_read_cohort
from indicators.forms import Period, PeriodForm, PlatformPeriodForm, TargetForm
from indicators.kpis import activities
from indicators.models import Snapshot, Target
from indicators.report import KIND, Reading, Report, get_report, get_reports
from indicators.report import Scope as EngineScope
from indicators.services import queue_refresh
from indicators.targets import can_set_targets, progress_for, set_target
from portal.accounts.models import Organization
from portal.accounts.roles import MANAGE_ROLES, roles_for
from portal.initiatives.models import Cohort
from portal.templatetags.portal import percent

DASHBOARD_BREAKDOWNS = ("month", "sector", "region")
DASHBOARD_TEMPLATE = "indicators/dashboard.html"
# "kind": people reached by activity type (activity_participants only).
EXPORT_BREAKDOWNS = ("method", "sector", "region", "month", "kind")
FAMILY_LABELS = {
    Family.SPEND: gettext_lazy("Spend"),
    Family.FUNNEL: gettext_lazy("The supplier funnel"),
    Family.CONTRACTS: gettext_lazy("Contracts"),
    Family.CONTACTS: gettext_lazy("Business contacts and activities"),
    Family.OFFER: gettext_lazy("The offer in the directory"),
    Family.TRAINING: gettext_lazy("Online training"),
}
# Rendered figures of a snapshot; a new snapshot or target changes the key anyway.
FIGURES_CACHE_SECONDS = 24 * 3600
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Scope:
    """Whose figures a page shows (one organization, all, or a cohort) and through which
    page."""

    page: str  # organization, platform, public or cohort
    organization: Organization | None = None
    cohort: Cohort | None = None

    @property
    def organization_id(self) -> int | None:
        return self.organization.pk if self.organization else None

    @property
    def engine_scope(self) -> EngineScope:
        if self.cohort is not None:
            return EngineScope.for_cohort(self.cohort)
        return EngineScope.of(self.organization_id)

    @property
    def name(self) -> str:
        if self.cohort is not None:
            return str(self.cohort)
        return self.organization.name if self.organization else _("All organizations")

    @property
    def slug(self) -> str:
        if self.cohort is not None:
            return f"cohorte-{self.cohort.pk}"
        if self.organization:
            return self.organization.slug
        return "public" if self.page == "public" else "plateforme"

    @property
    def breakdowns(self) -> tuple[str, ...]:
        """Breakdown by organization only for coordinators' all-organizations scope."""
        if self.page == "platform" and self.organization is None:
            return (*EXPORT_BREAKDOWNS, "organization")
        return EXPORT_BREAKDOWNS

    def url(self, view: str, period: Period, fmt: str | None = None) -> str:
        """This scope's dashboard, report or export for a period."""
        args = [self.organization.pk] if self.page == "organization" else []
        if fmt:
            args.append(fmt)
        params = period.query()
        if self.page == "platform" and self.organization is not None:
            params["organization"] = str(self.organization.pk)
        return reverse(f"indicators:{self.page}-{view}", args=args) + "?" + urlencode(params)


# --- reading ------------------------------------------------------------------------------
def read_reports(
    scope: Scope,
    period: Period,
    breakdowns,
    *,
    snapshot: Snapshot | None = None,
    shown: bool = False,
) -> dict[str, Report]:
    """One report per breakdown; each one also carries every indicator's total.

    `shown`: only the parts that the charts and tables show (a sector breakdown holds about a
    thousand parts; a page shows those of three indicators); exports need them all.
    """
    reports = get_reports(
        scope.engine_scope, _readings(period, breakdowns, shown=shown), snapshot=snapshot
    )
    return dict(zip(breakdowns, reports, strict=True))


def _readings(period: Period, breakdowns, *, shown: bool) -> list[Reading]:
    return [
        Reading(
            period.start, period.end, breakdown, charts.shown_codes(breakdown) if shown else None
        )
        for breakdown in breakdowns
    ]


def _value(report: Report, code: str):
    value = report.values.get(code)
    return value.value if value is not None else None


def indicator_groups(report: Report, previous: Report, targets) -> list[dict]:
    """Every indicator by family: this period, the previous one, the change and the target."""
    by_code = {target.code: target.value for target in targets}
    groups: dict[str, list[dict]] = {}
    for indicator in CATALOGUE:
        value, before = _value(report, indicator.code), _value(previous, indicator.code)
        target = by_code.get(indicator.code)
        groups.setdefault(indicator.family, []).append(
            {
                "code": indicator.code,
                "label": indicator.label,
                "value": charts.format_value(value, indicator.unit),
                "previous": charts.format_value(before, indicator.unit),
                "change": charts.format_delta(value, before, indicator.unit),
                "target": "" if target is None else charts.format_value(target, indicator.unit),
            }
        )
    return [{"label": FAMILY_LABELS[family], "rows": rows} for family, rows in groups.items()]


def results_in_figures(report: Report, previous: Report, scope: Scope) -> list[dict]:
    """The pilot's "results in figures", in its order and wording."""
    lines = [
        (_("Contracts signed with SEEs"), "ees_contracts", Unit.COUNT),
        (_("Value of these contracts"), "ees_spend", Unit.MONEY),
        (_("From a new business relationship"), "ees_contracts_new_relationship_share", Unit.SHARE),
        (
            _("Signed after matchmaking activities"),
            "ees_contracts_after_matchmaking_share",
            Unit.SHARE,
        ),
        (_("Business contacts"), "business_contacts", Unit.COUNT),
        (_("New business contacts"), "business_contacts_new_share", Unit.SHARE),
        (_("Participating SEEs"), "ees_published", Unit.COUNT),
        (_("Participating organizations"), None, Unit.COUNT),
        (_("Sectors represented"), "sectors_represented", Unit.COUNT),
        (_("Products and services offered"), "offerings", Unit.COUNT),
        (_("Matchmaking activities held"), "matchmaking_activities", Unit.COUNT),
        (_("People reached"), "activity_participants", Unit.COUNT),
    ]
    rows = []
    for label, code, unit in lines:
        if code is None:
            if scope.organization is not None:
                continue  # an organization's own figures: "1 participating organization"
            now, before = _participating(report), _participating(previous)
        else:
            now, before = _value(report, code), _value(previous, code)
        rows.append(
            {
                "label": label,
                "value": charts.format_value(now, unit),
                "previous": charts.format_value(before, unit),
                "change": charts.format_delta(now, before, unit),
            }
        )
    return rows


def _participating(report: Report):
    # The active organizations in scope are the denominator of this share.
    value = report.values.get("organizations_with_ees_contract_share")
    return value.denominator if value is not None else None


def progress_rows(targets, report: Report) -> list[dict]:
    rows = []
    for progress in progress_for(targets, report.values):
        unit, ratio = progress.indicator.unit, progress.ratio
        rows.append(
            {
                "code": progress.code,
                "label": progress.indicator.label,
                "target": charts.format_value(progress.target, unit),
                "actual": charts.format_value(progress.actual, unit),
                "progress": percent(ratio, 0),
                "meter": min(ratio, 1) if ratio is not None else None,
                "gap": charts.format_delta(progress.actual, progress.target, unit),
                "reached": progress.reached,
            }
        )
    return rows


def dashboard_context(
    scope: Scope,
    period: Period,
    breakdowns=DASHBOARD_BREAKDOWNS,
    targets=None,
    snapshot: Snapshot | None = None,
) -> dict:
    """Everything a dashboard or the accountability report shows, for one scope and period
    (from `snapshot`, the latest complete one by default, for standard periods)."""
    # The period's breakdowns and the previous period's totals, read together.
    previous_period = period.previous()
    readings = _readings(period, breakdowns, shown=True)
    readings.append(Reading(previous_period.start, previous_period.end))
    *read, previous = get_reports(scope.engine_scope, readings, snapshot=snapshot)
    reports = dict(zip(breakdowns, read, strict=True))
    report = reports["month"]
    if targets is None:
        targets = list(Target.objects.for_scope(scope.organization_id, period.start, period.end))
    share_target = next((t.value for t in targets if t.code == "ees_spend_share"), None)
    tables = []
    if "method" in reports:
        tables.append(
            charts.breakdown_table(
                reports["method"], breakdown="method", title=_("SEEs by procurement method")
            )
        )
    if "kind" in reports:
        tables.append(
            charts.breakdown_table(
                reports["kind"],
                breakdown="kind",
                title=_("People reached by activity type"),
                codes=["activity_participants"],
            )
        )
    if "organization" in reports:
        tables.append(
            charts.breakdown_table(
                reports["organization"], breakdown="organization", title=_("SEEs by organization")
            )
        )
    return {
        "period": period,
        "previous_period": previous_period,
        "report": report,
        "previous": previous,
        "figures": results_in_figures(report, previous, scope),
        "groups": indicator_groups(report, previous, targets),
        "progress": progress_rows(targets, report),
        "charts": [
            charts.spend_by_method_chart(report, start=period.start, end=period.end),
            charts.funnel_chart(report, previous),
            charts.share_chart(report, previous, share_target),
            charts.breakdown_chart(
                reports["sector"], breakdown="sector", title=_("Spend with SEEs by sector")
            ),
            charts.breakdown_chart(
                reports["region"], breakdown="region", title=_("Spend with SEEs by region")
            ),
        ],
        "tables": tables,
    }


def figures_template(template: str) -> str:
    """The template of a page's cached figures: dashboard.html -> dashboard_figures.html."""
    return template.replace(".html", "_figures.html")


def figures_key(
    scope: Scope, period: Period, breakdowns, template: str, snapshot: Snapshot, targets
) -> str:
    """The cache key of a page's figures: what they show is fixed by these (and the language).

    The only place the key is made: pages read it and indicators.warm fills it.
    """
    targets = [(t.code, t.value, t.updated_at) for t in targets]
    return snapshot.cache_key(
        "figures", template, scope.organization_id, period, breakdowns, get_language(), targets
    )


def figures_html(
    scope: Scope, period: Period, breakdowns, template: str, *, snapshot: Snapshot | None = None
) -> str:
    """The figures, charts and tables of a page, rendered once per snapshot.

    A snapshot never changes, so what a page shows for a scope and period is fixed by the
    snapshot, the targets and the language: the rendered sections are cached under those and
    a new snapshot or target simply makes a new key. Live (custom-range) figures are not kept.
    `snapshot`: the latest complete one unless given (indicators.warm gives the new one).
    """
    if snapshot is None:
        snapshot = Snapshot.objects.latest_complete()
    targets = list(Target.objects.for_scope(scope.organization_id, period.start, period.end))
    key = None
    if snapshot is not None:
        key = figures_key(scope, period, breakdowns, template, snapshot, targets)
        cached = cache.get(key)
        if cached is not None:
            return mark_safe(cached)  # noqa: S308 - rendered by our own template below
    context = dashboard_context(scope, period, breakdowns, targets, snapshot)
    html = render_to_string(template, context)
    if key and context["report"].source == context["previous"].source == "snapshot":
        cache.set(key, html, FIGURES_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308


# --- permissions --------------------------------------------------------------------------
def _readable_organization(request, organization_id: int) -> Organization:
    organization = get_object_or_404(Organization, pk=organization_id)
    if not roles_for(request.user).can_read(organization.pk):
        raise PermissionDenied(_("Only this organization's staff and coordinators see this page."))
    return organization


def _require_coordinator(request) -> None:
    if not roles_for(request.user).coordinator:
        raise PermissionDenied(_("Only coordinators see the platform dashboard."))


def _can_refresh(user) -> bool:
    roles = roles_for(user)
    return roles.coordinator or bool(roles.organizations_with(MANAGE_ROLES))


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# --- dashboards ---------------------------------------------------------------------------
def index(request):
    """Members land on their organization, coordinators on the platform, visitors in public."""
    roles = roles_for(request.user)
    if roles.coordinator:
        return redirect("indicators:platform-dashboard")
    if roles.memberships:
        return redirect("indicators:organization-dashboard", min(roles.memberships))
    return redirect("indicators:public-dashboard")


def _period(form: PeriodForm, default: Period | None = None) -> Period | None:
    """The chosen period, today's year (or `default`) when nothing was chosen, None when the
    input is bad."""
    if not form.is_bound:
        return default or Period.default()
    return form.period if form.is_valid() else None


@lru_cache(maxsize=64)
def _period_form_html(language: str, today: dt.date, query: tuple | None) -> str:
    """The period selector (PeriodForm) as the pages render it, for a language, a day and a
    valid query: nothing else changes its HTML, and rendering its widgets took about a third
    of a dashboard whose figures are cached."""
    form = PeriodForm(dict(query) if query is not None else None)
    return render_to_string("indicators/partials.html#period-form", {"form": form})


def _page(request, scope: Scope, form: PeriodForm, template: str, breakdowns):
    period = _period(form)
    context = {"scope": scope, "form": form}
    if period is None:
        return render(request, template, context, status=400)
    if type(form) is PeriodForm:  # the platform's form lists the organizations: rendered
        query = tuple(sorted(request.GET.items())) if form.is_bound else None
        context["period_form"] = mark_safe(  # noqa: S308 - rendered by our own template
            _period_form_html(get_language(), timezone.localdate(), query)
        )
    body = figures_template(template)
    context.update(
        period=period,
        previous_period=period.previous(),
        figures_html=figures_html(scope, period, breakdowns, body),
        dashboard_url=scope.url("dashboard", period),
        csv_url=scope.url("export", period, "csv"),
        xlsx_url=scope.url("export", period, "xlsx"),
    )
    if scope.page != "public":
        context["can_set_targets"] = can_set_targets(request.user, scope.organization)
        context["can_refresh"] = _can_refresh(request.user)
        context["report_url"] = scope.url("report", period)
        target_query = {
            "organization": scope.organization_id or "",
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "next": scope.url("dashboard", period),
        }
        context["target_url"] = reverse("indicators:target-set") + "?" + urlencode(target_query)
    roles = roles_for(request.user)
    if scope.page == "organization" and len(roles.memberships) > 1:
        context["other_organizations"] = Organization.objects.filter(
            pk__in=roles.organization_ids - {scope.organization.pk}
        )
    return render(request, template, context)


@login_required
def organization_dashboard(request, organization_id: int):
    organization = _readable_organization(request, organization_id)
    form = PeriodForm(request.GET or None)
    scope = Scope("organization", organization)
    return _page(request, scope, form, DASHBOARD_TEMPLATE, DASHBOARD_BREAKDOWNS)


def _platform_scope(request) -> tuple[Scope, PlatformPeriodForm]:
    _require_coordinator(request)
    form = PlatformPeriodForm(request.GET or None)
    organization = (
        form.cleaned_data.get("organization") if form.is_bound and form.is_valid() else None
    )
    return Scope("platform", organization), form


@login_required
def platform_dashboard(request):
    scope, form = _platform_scope(request)
    return _page(request, scope, form, DASHBOARD_TEMPLATE, DASHBOARD_BREAKDOWNS)


def public_dashboard(request):
    """Platform-wide aggregates for everyone: never broken down by organization."""
    form = PeriodForm(request.GET or None)
    scope = Scope("public")
    return _page(request, scope, form, DASHBOARD_TEMPLATE, DASHBOARD_BREAKDOWNS)


# --- the accountability report ------------------------------------------------------------
def _report_page(request, scope: Scope, form: PeriodForm):
    breakdowns = (*DASHBOARD_BREAKDOWNS, "method", "kind")
    if scope.page == "platform" and scope.organization is None:
        breakdowns = (*breakdowns, "organization")
    return _page(request, scope, form, "indicators/report.html", breakdowns)


@login_required
def organization_report(request, organization_id: int):
    organization = _readable_organization(request, organization_id)
    return _report_page(
        request, Scope("organization", organization), PeriodForm(request.GET or None)
    )


@login_required
def platform_report(request):
    scope, form = _platform_scope(request)
    return _report_page(request, scope, form)


# --- exports ------------------------------------------------------------------------------
def _export(request, scope: Scope, form: PeriodForm, fmt: str, default: Period | None = None):
    if fmt not in EXPORT_TYPES:
        raise Http404
    period = _period(form, default)
    if period is None:
        return render(
            request, "indicators/dashboard.html", {"scope": scope, "form": form}, status=400
        )
    reports = read_reports(scope, period, scope.breakdowns)
    rows = exports.rows(reports, scope_name=scope.name)
    body = exports.to_csv(rows) if fmt == "csv" else exports.to_xlsx(rows)
    filename = f"indicateurs-{scope.slug}-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}.{fmt}"
    return HttpResponse(
        body,
        content_type=EXPORT_TYPES[fmt],
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


@login_required
def organization_export(request, organization_id: int, fmt: str):
    organization = _readable_organization(request, organization_id)
    return _export(
        request, Scope("organization", organization), PeriodForm(request.GET or None), fmt
    )


@login_required
def platform_export(request, fmt: str):
    scope, form = _platform_scope(request)
    return _export(request, scope, form, fmt)


def public_export(request, fmt: str):
    return _export(request, Scope("public"), PeriodForm(request.GET or None), fmt)


# --- cohorts ------------------------------------------------------------------------------
def _readable_cohort(request, cohort_id: int) -> Cohort:
    cohort = get_object_or_404(Cohort.objects.select_related("initiative"), pk=cohort_id)
    if not can_read_cohort(request.user, cohort):
        raise PermissionDenied(
            _("Only coordinators and the staff of the cohort's organizations see its indicators.")
        )
    return cohort


@login_required
def cohort_export(request, cohort_id: int, fmt: str):
    """Every indicator of a cohort with its breakdowns, over the cohort's dates by default."""
    cohort = _readable_cohort(request, cohort_id)
    scope = Scope("cohort", cohort=cohort)
    default = Period.spanning(cohort.start, cohort.end)
    return _export(request, scope, PeriodForm(request.GET or None), fmt, default)


# The pilot's "results in figures" for a cohort: (label, code, what to show).
COHORT_FIGURES = (
    (gettext_lazy("Contracts signed with SEEs"), "ees_contracts", "value"),
    (gettext_lazy("Value of these contracts"), "ees_spend", "value"),
    (
        gettext_lazy("From a new business relationship"),
        "ees_contracts_new_relationship_share",
        "value",
    ),
    (
        gettext_lazy("Signed after matchmaking activities"),
        "ees_contracts_after_matchmaking_share",
        "value",
    ),
    (gettext_lazy("Business contacts"), "business_contacts", "value"),
    (gettext_lazy("New business contacts"), "business_contacts_new_share", "value"),
    (gettext_lazy("SEEs taking part"), "ees_published", "value"),
    # The active organizations of the cohort are the denominator of this share.
    (gettext_lazy("Organizations taking part"), "organizations_with_ees_contract_share", "den"),
    (gettext_lazy("Sectors represented"), "sectors_represented", "value"),
    (gettext_lazy("Products and services offered"), "offerings", "value"),
    (gettext_lazy("Matchmaking activities held"), "matchmaking_activities", "value"),
    (gettext_lazy("People reached"), "activity_participants", "value"),
    (gettext_lazy("People trained online"), "people_trained", "value"),
)


def cohort_dashboard(cohort: Cohort) -> dict:
    """The cohort's results in figures over its dates, people reached by activity type, and
    its exports: read from the snapshot (a few queries whatever the volume) when it holds the
    cohort, computed live otherwise."""
    scope = Scope("cohort", cohort=cohort)
    period = Period.spanning(cohort.start, cohort.end)
    report = get_report(
        scope=scope.engine_scope, start=period.start, end=period.end, breakdown=KIND
    )
    rows = []
    for label, code, shown in COHORT_FIGURES:
        value = report[code]
        number = value.denominator if shown == "den" else value.value
        unit = Unit.COUNT if shown == "den" else value.unit
        row = {"label": label, "code": code, "value": charts.format_value(number, unit)}
        if value.indicator.is_share and shown == "value":
            row["detail"] = _("%(numerator)s of %(denominator)s") % {
                "numerator": charts.format_value(value.numerator, Unit.COUNT),
                "denominator": charts.format_value(value.denominator, Unit.COUNT),
            }
        rows.append(row)
    # Activities held per type: one count over the cohort's activities (few rows), beside the
    # people they reached from the report.
    held = dict(
        activities(scope.engine_scope, period.start, period.end)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    kinds = [
        {
            "key": part.key,
            "label": part.label,
            "held": charts.format_value(held.get(part.key, 0), Unit.COUNT),
            "value": charts.format_value(part.value, Unit.COUNT),
        }
        for part in report["activity_participants"].parts
    ]
    return {
        "report": report,
        "period": period,
        "figures": rows,
        "people_by_kind": kinds,
        "csv_url": reverse("indicators:cohort-export", args=[cohort.pk, "csv"]),
        "xlsx_url": reverse("indicators:cohort-export", args=[cohort.pk, "xlsx"]),
    }


# --- targets and refresh ------------------------------------------------------------------
@login_required
def target_set(request):
    """Managers set targets for their organizations; coordinators for any scope."""
    roles = roles_for(request.user)
    organizations = Organization.objects.active()
    if not roles.coordinator:
        organizations = organizations.filter(pk__in=roles.organizations_with(MANAGE_ROLES))
    organizations = list(organizations)
    if not organizations and not roles.coordinator:
        raise PermissionDenied(_("Only managers and coordinators set targets."))
    options = {"organizations": organizations, "allow_platform": roles.coordinator}
    status = 200
    if request.method == "POST":
        form = TargetForm(request.POST, **options)
        if form.is_valid():
            data = form.cleaned_data
            try:
                target = set_target(
                    code=data["code"],
                    organization=data["organization"],
                    start=data["start"],
                    end=data["end"],
                    value=form.target_value(),
                    by=request.user,
                )
            except ValidationError as error:
                for field, field_errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, field_errors)
            else:
                messages.success(request, _("The target is saved."))
                return redirect(_safe_next(request, _dashboard_of(target)))
        status = 400
    else:
        form = TargetForm(
            initial=_target_initial(request, organizations, roles.coordinator), **options
        )
    targets = Target.objects.select_related("organization").order_by("-start", "code")
    if not roles.coordinator:
        targets = targets.filter(organization__in=organizations)
    context = {
        "form": form,
        "targets": [_target_row(target) for target in targets[:100]],
        "next": _safe_next(request, ""),
    }
    return render(request, "indicators/target_form.html", context, status=status)


def _target_initial(request, organizations, allow_platform: bool) -> dict:
    """Scope, indicator and period from the dashboard's link; the value when one is set."""
    keys = ("organization", "code", "start", "end")
    initial = {key: request.GET[key] for key in keys if request.GET.get(key)}
    if "organization" not in request.GET and organizations:
        initial["organization"] = str(organizations[0].pk)
    period = Period.default()
    initial.setdefault("start", period.start)
    initial.setdefault("end", period.end)
    existing = _existing_target(initial, organizations, allow_platform)
    if existing is not None:
        indicator = BY_CODE[existing.code]
        initial["value"] = existing.value * 100 if indicator.is_share else existing.value
    return initial


def _existing_target(initial: dict, organizations, allow_platform: bool) -> Target | None:
    """The target a link points at, when the link is well-formed and the scope is the user's."""
    organization = initial.get("organization", "")
    manageable = {str(org.pk) for org in organizations} | ({""} if allow_platform else set())
    if organization not in manageable:
        return None
    try:
        start = dt.date.fromisoformat(str(initial["start"]))
        end = dt.date.fromisoformat(str(initial["end"]))
    except ValueError:
        return None
    return Target.objects.filter(
        code=initial.get("code", ""), organization_id=organization or None, start=start, end=end
    ).first()


def _target_row(target: Target) -> dict:
    indicator = BY_CODE.get(target.code)
    period = Period.spanning(target.start, target.end)
    query = {
        "organization": target.organization_id or "",
        "code": target.code,
        "start": target.start.isoformat(),
        "end": target.end.isoformat(),
    }
    return {
        "label": indicator.label if indicator else target.code,
        "scope": target.organization.name if target.organization else _("All organizations"),
        "period": period.label,
        "value": charts.format_value(target.value, indicator.unit if indicator else ""),
        "edit_url": reverse("indicators:target-set") + "?" + urlencode(query),
    }


def _dashboard_of(target: Target) -> str:
    period = Period.spanning(target.start, target.end)
    if target.organization_id is None:
        return Scope("platform").url("dashboard", period)
    return Scope("organization", target.organization).url("dashboard", period)


@login_required
@require_POST
def refresh(request):
    """The "refresh now" button: queue one recomputation of every snapshot."""
    if not _can_refresh(request.user):
        raise PermissionDenied(_("Only managers and coordinators refresh the indicators."))
    queue_refresh(trigger=Snapshot.Trigger.MANUAL)
    messages.success(
        request,
        _("The indicators are being recomputed. Reload the page in a moment to see new figures."),
    )
    return redirect(_safe_next(request, reverse("indicators:index")))
