"""Indicators for a cohort of an initiative, and their snapshot rows.

A cohort (portal.initiatives.Cohort) has organizations, EÉS and dates. Its scope,
`Scope.for_cohort(cohort)`, holds the organizations and the EÉS; its period is the cohort's
`start`..`end` unless another one is asked for. Every indicator of the catalogue reads it
with the same definitions as for one organization (indicators.kpis), with these readings:

- Records of the cohort are those of its organizations (awards, registrations, invitations
  and bids through the process's organization, business contacts).
- Counts and sums about EÉS are restricted to the cohort's EÉS: `ees_spend*`, `ees_contracts*`
  (including new relationship and after matchmaking), the funnel (`ees_registered`,
  `ees_invited`, `ees_bidding`, `ees_winning`, `ees_registered_winning_share`),
  `business_contacts*` (contacts between a cohort organization and a cohort EÉS) and the
  numerator of `organizations_with_ees_contract_share` (organizations with a contract with
  one of the cohort's EÉS). Whether a contract is a *new* relationship, or a contact a *new*
  one, is still judged on the whole history of the pair, inside or outside the cohort.
- Denominators over every supplier stay every supplier of the cohort's organizations:
  `total_spend` (and so the denominator of `ees_spend_share`); the denominator of
  `organizations_with_ees_contract_share` is the cohort's active organizations.
- The offer (`ees_published`, `sectors_represented`, `offerings`) is the cohort's EÉS that are
  verified and published in the directory as of `end`, their sectors and their offerings.
- Activities (`matchmaking_activities`, `activity_participants`) are those dated in the
  period at which one of the cohort's organizations *or* one of its EÉS was present: the
  pilot's trainings were for the EÉS, its awareness sessions for the institutions, and both
  were the cohort's activities. Each activity counts once.
- `people_trained` counts the people of the cohort's organizations who completed an online
  training module in the period.

Snapshots: cohorts are few, so `write_cohort_measurements` computes each cohort's values over
its own dates with the live functions of indicators.kpis (snapshot and live agree by
construction) and stores them beside the organizations' rows, with `cohort` set and no
organization. Every breakdown is stored as rows of the cohort's own (month and organization
parts included, unlike the standard scopes, which derive them from other scopes' rows).
indicators.report.read_snapshot reads them for a cohort scope over the cohort's dates;
any other period of a cohort is computed live.
"""

import datetime as dt

from indicators.catalogue import BY_CODE, CODES
from indicators.kpis import KPIS
from indicators.models import Measurement, Snapshot
from indicators.report import (
    ALL_BREAKDOWNS,
    SHARE_DIGITS,
    Report,
    Scope,
    Value,
    breakdowns_for,
    get_report,
)
from portal.accounts.roles import roles_for
from portal.initiatives.models import Cohort

PERIOD = "cohort"  # Measurement.period of a cohort's own dates


def cohort_report(
    cohort: Cohort,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    breakdown: str | None = None,
) -> Report:
    """Every indicator for a cohort, over its own dates unless others are given."""
    return get_report(
        scope=Scope.for_cohort(cohort),
        start=start or cohort.start,
        end=end or cohort.end,
        breakdown=breakdown,
    )


def can_read_cohort(user, cohort: Cohort) -> bool:
    """Coordinators, and the staff (buyers, officers, managers) of an organization taking part
    in the cohort: the figures add up the records of every organization of the cohort, which
    its members share, as they share the pilot's published results. EÉS representatives and
    other organizations' staff do not read them."""
    roles = roles_for(user)
    if roles.coordinator:
        return True
    if not roles.memberships:
        return False
    return cohort.participating_organizations.filter(
        organization_id__in=sorted(roles.organization_ids)
    ).exists()


def cohort_values(scope: Scope, start: dt.date, end: dt.date) -> dict[str | None, list[Value]]:
    """{breakdown: values}: None for every total, then each breakdown's values (with raw
    parts) for the indicators it applies to."""
    values = {None: [KPIS[code](scope, start, end) for code in CODES]}
    for breakdown in ALL_BREAKDOWNS:
        values[breakdown] = [
            KPIS[code](scope, start, end, breakdown)
            for code in CODES
            if breakdown in breakdowns_for(code)
        ]
    return values


def measurements_of(snapshot: Snapshot, cohort: Cohort) -> list[Measurement]:
    """The unsaved rows of one cohort: every total, and every part that is not empty (the
    reader lists the empty parts of fixed breakdowns itself)."""
    scope = Scope.for_cohort(cohort)
    rows = []

    def add(code: str, breakdown: str, key: str, value, numerator, denominator) -> None:
        if value is not None and BY_CODE[code].is_share:
            value = value.quantize(SHARE_DIGITS)  # the reader recomputes it exactly
        rows.append(
            Measurement(
                snapshot=snapshot,
                cohort=cohort,
                organization=None,
                period=PERIOD,
                start=cohort.start,
                end=cohort.end,
                code=code,
                breakdown=breakdown,
                key=key,
                value=value,
                numerator=numerator,
                denominator=denominator,
            )
        )

    for breakdown, values in cohort_values(scope, cohort.start, cohort.end).items():
        for value in values:
            if breakdown is None:
                add(value.code, "", "", value.value, value.numerator, value.denominator)
                continue
            for part in value.parts:
                if not part.is_empty:
                    numbers = (part.value, part.numerator, part.denominator)
                    add(value.code, breakdown, part.key, *numbers)
    return rows


def write_cohort_measurements(snapshot: Snapshot) -> int:
    """Write every cohort's rows into the snapshot (inside its writing transaction); returns
    how many were written."""
    rows = []
    for cohort in Cohort.objects.order_by("pk"):
        rows += measurements_of(snapshot, cohort)
    Measurement.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
