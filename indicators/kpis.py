"""Every indicator of indicators.md, one function per code, computed in the database.

This is the readable definition of each indicator. It serves live reports (periods that are
not a standard year, quarter or month) and is the reference the snapshot writer
(indicators.services, which computes every scope and period at once) is tested against.

Every function takes a scope, a period (`start`..`end`, both inclusive) and an optional
breakdown, and returns a report.Value; its parts are raw (report.finish labels, prunes and
sorts them). The breakdown rules are described in indicators.report.

Readings the specification leaves open, decided here:
- EÉS status is the directory's *current* status (verified now), not the status on the
  award date: the directory keeps no dated history of statuses.
- The offer (`ees_published`, `sectors_represented`, `offerings`) is the whole directory as of
  `end`, the same for every scope: verified, published EÉS whose record was created on or
  before `end` (current status and publication, for the same reason).
- Business contacts count contacts with EÉS only ("organization × EÉS").
- A bid counts for `ees_bidding` whatever its status (a withdrawn bid was still submitted).
- `organizations_with_ees_contract_share` counts *active* organizations over active
  organizations, so the share stays within 0..1 when an inactive organization has awards.
- `people_trained` counts distinct people who completed an online training module in the
  period, for the organization they belonged to at completion (TrainingCompletion); someone
  without an organization is never counted. Its only breakdown is by organization.

A cohort's scope (Scope.for_cohort) also names enterprises: how each indicator reads it is
described in indicators.cohorts. Here it only means that every record set of EÉS
(awards to EÉS, registrations, invitations, bids, contacts, the offer) is also filtered by
`scope.filter_enterprises`, and that activities count when one of the cohort's organizations
*or* EÉS was present. Without enterprise ids (organization and all-organizations scopes)
nothing changes.
"""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from directory.models import Enterprise, Offering, SupplierRegistration
from indicators.report import (
    KIND,
    Report,
    Scope,
    Value,
    finish,
    fixed_keys,
    make_part,
    make_value,
    month_key,
    months_between,
)
from portal.accounts.models import Organization
from portal.initiatives.models import TrainingCompletion
from procurement.models import Activity, Award, Bid, BusinessContact, Invitation, Method

VERIFIED = Enterprise.Status.VERIFIED
TENDER_METHODS = [Method.OPEN, Method.INVITATION]


# --- Record sets ------------------------------------------------------------------------
def awards(scope: Scope, start: dt.date, end: dt.date):
    """Active awards of the scope dated in the period, any supplier."""
    return scope.filter(Award.objects.active().between(start, end))


def ees_awards(scope: Scope, start: dt.date, end: dt.date):
    """Active awards of the scope to EÉS (of the scope's EÉS for a cohort)."""
    return scope.filter_enterprises(awards(scope, start, end).to_social_economy())


def is_scope_ees(scope: Scope) -> Q:
    """An award's supplier is an EÉS of the scope, as a condition for aggregates."""
    condition = Q(enterprise__status=VERIFIED)
    if scope.enterprise_ids is not None:
        condition &= Q(enterprise__in=sorted(scope.enterprise_ids))
    return condition


def registrations(scope: Scope):
    """Supplier-file registrations of EÉS in the scope, whatever their dates."""
    return scope.filter_enterprises(
        scope.filter(SupplierRegistration.objects.filter(enterprise__status=VERIFIED))
    )


def active_on(day: dt.date) -> Q:
    """SupplierRegistrationQuerySet.active_on() as a condition, for conditional aggregates."""
    return Q(registered_on__lte=day) & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))


def ees_invitations(scope: Scope, start: dt.date, end: dt.date):
    invitations = scope.filter(
        Invitation.objects.filter(
            process__method=Method.INVITATION,
            enterprise__status=VERIFIED,
            invited_on__gte=start,
            invited_on__lte=end,
        ),
        "process__organization",
    )
    return scope.filter_enterprises(invitations)


def ees_bids(scope: Scope, start: dt.date, end: dt.date):
    bids = scope.filter(
        Bid.objects.filter(
            enterprise__status=VERIFIED, submitted_on__gte=start, submitted_on__lte=end
        ),
        "process__organization",
    )
    return scope.filter_enterprises(bids)


def ees_contacts(scope: Scope, start: dt.date, end: dt.date):
    contacts = scope.filter(BusinessContact.objects.filter(enterprise__status=VERIFIED))
    return scope.filter_enterprises(contacts).between(start, end)


def activities(scope: Scope, start: dt.date, end: dt.date):
    """Activities dated in the period with at least one organization of the scope present
    (or, for a cohort, one of its organizations or one of its EÉS)."""
    dated = Activity.objects.filter(date__gte=start, date__lte=end)
    if scope.is_all:
        return dated
    present = Exists(
        scope.filter(
            Activity.organizations.through.objects.filter(activity=OuterRef("pk")), "organization"
        )
    )
    if scope.enterprise_ids is not None:
        present |= Exists(
            scope.filter_enterprises(
                Activity.enterprises.through.objects.filter(activity=OuterRef("pk"))
            )
        )
    return dated.filter(present)


def published_enterprises(end: dt.date, scope: Scope | None = None):
    """Verified, published EÉS whose record existed at the end of `end` (Toronto time); for
    a cohort, those of its EÉS."""
    cutoff = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    published = Enterprise.objects.published().filter(created_at__lt=cutoff)
    return scope.filter_enterprises(published, "pk") if scope is not None else published


# --- Grouping ---------------------------------------------------------------------------
# The field leading from each record to a breakdown part (month is read from the date).
AWARD_PARTS = {
    "method": "process__method",
    "sector": "enterprise__primary_sector_id",
    "region": "enterprise__region_id",
    "organization": "organization_id",
    "month": "awarded_on",
}
INVITATION_PARTS = {
    **AWARD_PARTS,
    "organization": "process__organization_id",
    "month": "invited_on",
}
BID_PARTS = {**INVITATION_PARTS, "month": "submitted_on"}
REGISTRATION_PARTS = {
    "sector": "enterprise__primary_sector_id",
    "region": "enterprise__region_id",
    "organization": "organization_id",
}


def grouped(queryset, breakdown: str, fields: dict[str, str], **aggregates) -> dict[str, dict]:
    """{part key: aggregates} for the records of each part of the breakdown."""
    if breakdown == "month":
        date = fields["month"]
        rows = (
            queryset.annotate(_year=ExtractYear(date), _month=ExtractMonth(date))
            .values("_year", "_month")
            .annotate(**aggregates)
            .order_by()
        )
        return {month_key(row["_year"], row["_month"]): row for row in rows}
    path = fields[breakdown]
    rows = queryset.values(path).annotate(**aggregates).order_by()
    return {("" if row[path] is None else str(row[path])): row for row in rows}


def measured(code, queryset, breakdown, fields, start, end, **aggregates) -> Value:
    """A sum or count over a record set (aggregate 'value'), with its breakdown parts."""
    value = make_value(code, queryset.aggregate(**aggregates)["value"])
    if breakdown:
        rows = grouped(queryset, breakdown, fields, **aggregates)
        keys = fixed_keys(breakdown, start, end) or list(rows)
        value.parts = [make_part(code, key, rows.get(key, {}).get("value")) for key in keys]
    return value


def shared(code, queryset, breakdown, fields, start, end, *, numerator, denominator) -> Value:
    """A share of two aggregates over the same record set, part by part."""
    aggregates = {"numerator": numerator, "denominator": denominator}
    totals = queryset.aggregate(**aggregates)
    value = make_value(code, numerator=totals["numerator"], denominator=totals["denominator"])
    if breakdown:
        rows = grouped(queryset, breakdown, fields, **aggregates)
        keys = fixed_keys(breakdown, start, end) or list(rows)
        value.parts = [
            make_part(
                code,
                key,
                numerator=rows.get(key, {}).get("numerator"),
                denominator=rows.get(key, {}).get("denominator"),
            )
            for key in keys
        ]
    return value


def amount() -> Sum:
    return Sum("amount")


def enterprises() -> Count:
    return Count("enterprise", distinct=True)


# --- Spend ------------------------------------------------------------------------------
def ees_spend(scope, start, end, breakdown=None) -> Value:
    """Σ amount of active awards to EÉS dated in the period."""
    return measured(
        "ees_spend",
        ees_awards(scope, start, end),
        breakdown,
        AWARD_PARTS,
        start,
        end,
        value=amount(),
    )


def ees_spend_open(scope, start, end, breakdown=None) -> Value:
    """ees_spend of public tenders."""
    queryset = ees_awards(scope, start, end).filter(process__method=Method.OPEN)
    return measured("ees_spend_open", queryset, breakdown, AWARD_PARTS, start, end, value=amount())


def ees_spend_invitation(scope, start, end, breakdown=None) -> Value:
    """ees_spend of invitation tenders."""
    queryset = ees_awards(scope, start, end).filter(process__method=Method.INVITATION)
    return measured(
        "ees_spend_invitation", queryset, breakdown, AWARD_PARTS, start, end, value=amount()
    )


def ees_spend_direct(scope, start, end, breakdown=None) -> Value:
    """ees_spend of direct awards."""
    queryset = ees_awards(scope, start, end).filter(process__method=Method.DIRECT)
    return measured(
        "ees_spend_direct", queryset, breakdown, AWARD_PARTS, start, end, value=amount()
    )


def ees_spend_tender(scope, start, end, breakdown=None) -> Value:
    """ees_spend_open + ees_spend_invitation."""
    queryset = ees_awards(scope, start, end).filter(process__method__in=TENDER_METHODS)
    return measured(
        "ees_spend_tender", queryset, breakdown, AWARD_PARTS, start, end, value=amount()
    )


def total_spend(scope, start, end, breakdown=None) -> Value:
    """Σ amount of all active awards dated in the period, any supplier."""
    return measured(
        "total_spend",
        awards(scope, start, end),
        breakdown,
        AWARD_PARTS,
        start,
        end,
        value=amount(),
    )


def ees_spend_share(scope, start, end, breakdown=None) -> Value:
    """ees_spend / total_spend."""
    return shared(
        "ees_spend_share",
        awards(scope, start, end),
        breakdown,
        AWARD_PARTS,
        start,
        end,
        numerator=Sum("amount", filter=is_scope_ees(scope)),
        denominator=amount(),
    )


# --- The supplier funnel ----------------------------------------------------------------
def registered_by_month(queryset, start, end, extra: dict | None = None) -> dict[str, int]:
    """Distinct EÉS registered as of the (clipped) end of each month, in one query.

    `extra` adds a condition per month key (e.g. "also won that month").
    """
    months = months_between(start, end)
    aggregates = {
        f"m{index}": Count(
            "enterprise",
            distinct=True,
            filter=active_on(last) & (extra[key] if extra else Q()),
        )
        for index, (key, _first, last) in enumerate(months)
    }
    totals = queryset.aggregate(**aggregates)
    return {key: totals[f"m{index}"] for index, (key, _first, _last) in enumerate(months)}


def ees_registered(scope, start, end, breakdown=None) -> Value:
    """Distinct EÉS with a supplier-file registration of the scope active on `end`."""
    code = "ees_registered"
    if breakdown == "month":
        counts = registered_by_month(registrations(scope), start, end)
        value = make_value(code, counts[max(counts)])
        value.parts = [make_part(code, key, count) for key, count in counts.items()]
        return value
    return measured(
        code,
        registrations(scope).active_on(end),
        breakdown,
        REGISTRATION_PARTS,
        start,
        end,
        value=enterprises(),
    )


def ees_invited(scope, start, end, breakdown=None) -> Value:
    """Distinct EÉS invited in the period to a process of method `invitation`."""
    return measured(
        "ees_invited",
        ees_invitations(scope, start, end),
        breakdown,
        INVITATION_PARTS,
        start,
        end,
        value=enterprises(),
    )


def ees_bidding(scope, start, end, breakdown=None) -> Value:
    """Distinct EÉS with at least one bid dated in the period, any method."""
    return measured(
        "ees_bidding",
        ees_bids(scope, start, end),
        breakdown,
        BID_PARTS,
        start,
        end,
        value=enterprises(),
    )


def ees_winning(scope, start, end, breakdown=None) -> Value:
    """Distinct EÉS with at least one active award dated in the period."""
    return measured(
        "ees_winning",
        ees_awards(scope, start, end),
        breakdown,
        AWARD_PARTS,
        start,
        end,
        value=enterprises(),
    )


def ees_registered_winning_share(scope, start, end, breakdown=None) -> Value:
    """EÉS counted in ees_registered that also count in ees_winning / ees_registered."""
    code = "ees_registered_winning_share"

    def won(first, last, same_organization=False):
        won = ees_awards(scope, first, last).filter(enterprise=OuterRef("enterprise"))
        if same_organization:
            won = won.filter(organization=OuterRef("organization"))
        return Exists(won)

    if breakdown == "month":
        value = ees_registered_winning_share(scope, start, end)
        both = registered_by_month(
            registrations(scope),
            start,
            end,
            extra={key: Q(won(first, last)) for key, first, last in months_between(start, end)},
        )
        registered = registered_by_month(registrations(scope), start, end)
        value.parts = [
            make_part(code, key, numerator=both[key], denominator=registered[key])
            for key in registered
        ]
        return value
    if breakdown == "organization":
        # An organization's part is its own share: registration and award both its own.
        value = ees_registered_winning_share(scope, start, end)
        rows = grouped(
            registrations(scope).active_on(end).annotate(has_won=won(start, end, True)),
            breakdown,
            REGISTRATION_PARTS,
            numerator=Count("enterprise", distinct=True, filter=Q(has_won=True)),
            denominator=enterprises(),
        )
        value.parts = [
            make_part(code, key, numerator=row["numerator"], denominator=row["denominator"])
            for key, row in rows.items()
        ]
        return value
    return shared(
        code,
        registrations(scope).active_on(end).annotate(has_won=won(start, end)),
        breakdown,
        REGISTRATION_PARTS,
        start,
        end,
        numerator=Count("enterprise", distinct=True, filter=Q(has_won=True)),
        denominator=enterprises(),
    )


# --- Contracts --------------------------------------------------------------------------
def ees_contracts(scope, start, end, breakdown=None) -> Value:
    """Number of active awards to EÉS dated in the period."""
    return measured(
        "ees_contracts",
        ees_awards(scope, start, end),
        breakdown,
        AWARD_PARTS,
        start,
        end,
        value=Count("id"),
    )


def ees_contracts_new_relationship(scope, start, end, breakdown=None) -> Value:
    """Awards to EÉS that are the first active award ever between the organization and the
    enterprise (AwardQuerySet.with_relationship_flags)."""
    queryset = ees_awards(scope, start, end).with_relationship_flags()
    return measured(
        "ees_contracts_new_relationship",
        queryset,
        breakdown,
        AWARD_PARTS,
        start,
        end,
        value=Count("id", filter=Q(is_new_relationship=True)),
    )


def ees_contracts_new_relationship_share(scope, start, end, breakdown=None) -> Value:
    """ees_contracts_new_relationship / ees_contracts."""
    return shared(
        "ees_contracts_new_relationship_share",
        ees_awards(scope, start, end).with_relationship_flags(),
        breakdown,
        AWARD_PARTS,
        start,
        end,
        numerator=Count("id", filter=Q(is_new_relationship=True)),
        denominator=Count("id"),
    )


def ees_contracts_after_matchmaking(scope, start, end, breakdown=None) -> Value:
    """Awards to EÉS preceded (on or before the award date) by a business contact of the same
    organization and enterprise recorded at a matchmaking activity."""
    queryset = ees_awards(scope, start, end).with_relationship_flags()
    return measured(
        "ees_contracts_after_matchmaking",
        queryset,
        breakdown,
        AWARD_PARTS,
        start,
        end,
        value=Count("id", filter=Q(follows_matchmaking=True)),
    )


def ees_contracts_after_matchmaking_share(scope, start, end, breakdown=None) -> Value:
    """ees_contracts_after_matchmaking / ees_contracts."""
    return shared(
        "ees_contracts_after_matchmaking_share",
        ees_awards(scope, start, end).with_relationship_flags(),
        breakdown,
        AWARD_PARTS,
        start,
        end,
        numerator=Count("id", filter=Q(follows_matchmaking=True)),
        denominator=Count("id"),
    )


def organizations_with_ees_contract_share(scope, start, end, breakdown=None) -> Value:
    """Active organizations of the scope with ≥ 1 EÉS award in the period / active
    organizations of the scope."""
    code = "organizations_with_ees_contract_share"
    organizations = scope.filter(Organization.objects.all(), "id")
    active = organizations.filter(is_active=True).count()
    queryset = ees_awards(scope, start, end).filter(organization__is_active=True)
    value = make_value(
        code,
        numerator=queryset.aggregate(n=Count("organization", distinct=True))["n"],
        denominator=active,
    )
    if breakdown == "organization":
        # Each organization's own share: 1/1, 0/1, or nothing when it is inactive.
        rows = organizations.annotate(
            has_award=Exists(ees_awards(scope, start, end).filter(organization=OuterRef("pk")))
        ).values_list("pk", "is_active", "has_award")
        value.parts = [
            make_part(code, pk, numerator=int(is_active and has_award), denominator=int(is_active))
            for pk, is_active, has_award in rows
        ]
    elif breakdown:
        # Parts of the awards; the denominator (active organizations) stays whole. Sector
        # and region parts are those holding at least one EÉS award.
        rows = grouped(
            ees_awards(scope, start, end),
            breakdown,
            AWARD_PARTS,
            n=Count("organization", distinct=True, filter=Q(organization__is_active=True)),
        )
        keys = fixed_keys(breakdown, start, end) or list(rows)
        value.parts = [
            make_part(code, key, numerator=rows.get(key, {}).get("n"), denominator=active)
            for key in keys
        ]
    return value


# --- Business contacts and activities ---------------------------------------------------
def business_contacts(scope, start, end, breakdown=None) -> Value:
    """Business contacts between an organization of the scope and an EÉS, dated in the
    period."""
    return make_value("business_contacts", ees_contacts(scope, start, end).count())


def business_contacts_new(scope, start, end, breakdown=None) -> Value:
    """Those whose pair had no earlier contact and no earlier active award
    (BusinessContactQuerySet.with_is_new)."""
    return make_value(
        "business_contacts_new",
        ees_contacts(scope, start, end).with_is_new().filter(is_new=True).count(),
    )


def business_contacts_new_share(scope, start, end, breakdown=None) -> Value:
    """business_contacts_new / business_contacts."""
    totals = (
        ees_contacts(scope, start, end)
        .with_is_new()
        .aggregate(numerator=Count("id", filter=Q(is_new=True)), denominator=Count("id"))
    )
    return make_value("business_contacts_new_share", **totals)


def matchmaking_activities(scope, start, end, breakdown=None) -> Value:
    """Matchmaking activities dated in the period (with an organization of the scope
    present; every activity in the all-organizations scope)."""
    return make_value(
        "matchmaking_activities",
        activities(scope, start, end).filter(kind=Activity.Kind.MATCHMAKING).count(),
    )


def activity_participants(scope, start, end, breakdown=None) -> Value:
    """Σ participants of every activity dated in the period; parts by activity kind."""
    code = "activity_participants"
    queryset = activities(scope, start, end)
    value = make_value(code, queryset.aggregate(n=Sum("participants"))["n"])
    if breakdown == KIND:
        rows = dict(queryset.values_list("kind").annotate(n=Sum("participants")).order_by())
        value.parts = [make_part(code, kind, rows.get(kind)) for kind in Activity.Kind.values]
    return value


# --- The offer (directory, as of `end`) -------------------------------------------------
def ees_published(scope, start, end, breakdown=None) -> Value:
    """Verified, published EÉS (the whole directory, or a cohort's EÉS, as of `end`)."""
    return make_value("ees_published", published_enterprises(end, scope).count())


def sectors_represented(scope, start, end, breakdown=None) -> Value:
    """Distinct sectors (Enterprise.sectors) among the published EÉS."""
    count = Enterprise.sectors.through.objects.filter(
        enterprise__in=published_enterprises(end, scope)
    ).aggregate(n=Count("sector", distinct=True))["n"]
    return make_value("sectors_represented", count)


def offerings(scope, start, end, breakdown=None) -> Value:
    """Offerings of the published EÉS."""
    count = Offering.objects.filter(enterprise__in=published_enterprises(end, scope)).count()
    return make_value("offerings", count)


# --- Online training --------------------------------------------------------------------
def people_trained(scope, start, end, breakdown=None) -> Value:
    """Distinct people of the scope's organizations who completed a training module in the
    period; parts by organization (a person counts once per organization)."""
    code = "people_trained"
    completions = TrainingCompletion.objects
    organization_ids = None if scope.is_all else sorted(scope.organization_ids)
    value = make_value(code, completions.people_trained(organization_ids, start, end))
    if breakdown == "organization":
        rows = completions.people_trained_by_organization(organization_ids, start, end)
        value.parts = [make_part(code, pk, count) for pk, count in rows.items()]
    return value


KPIS = {
    function.__name__: function
    for function in (
        ees_spend,
        ees_spend_open,
        ees_spend_invitation,
        ees_spend_direct,
        ees_spend_tender,
        total_spend,
        ees_spend_share,
        ees_registered,
        ees_invited,
        ees_bidding,
        ees_winning,
        ees_registered_winning_share,
        ees_contracts,
        ees_contracts_new_relationship,
        ees_contracts_new_relationship_share,
        ees_contracts_after_matchmaking,
        ees_contracts_after_matchmaking_share,
        organizations_with_ees_contract_share,
        business_contacts,
        business_contacts_new,
        business_contacts_new_share,
        matchmaking_activities,
        activity_participants,
        ees_published,
        sectors_represented,
        offerings,
        people_trained,
    )
}


def compute_report(
    *,
    organization_id: int | None = None,
    start: dt.date,
    end: dt.date,
    breakdown: str | None = None,
    scope: Scope | None = None,
) -> Report:
    """Every indicator for one scope and period, computed now."""
    from indicators.catalogue import CODES
    from indicators.report import breakdowns_for

    scope = scope or Scope.of(organization_id)
    values = {
        code: KPIS[code](
            scope, start, end, breakdown if breakdown in breakdowns_for(code) else None
        )
        for code in CODES
    }
    finish(values, breakdown, start, end)
    return Report(
        organization_id=scope.organization_id,
        start=start,
        end=end,
        computed_at=timezone.now(),
        source="live",
        values=values,
        breakdown=breakdown,
        scope=scope,
    )
