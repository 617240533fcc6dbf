"""Indicators of a cohort: its organizations and EÉS over its dates, live and in snapshots."""

import datetime as dt
from decimal import Decimal

import pytest

from indicators.catalogue import CODES
from indicators.cohorts import cohort_report
from indicators.kpis import compute_report
from indicators.models import Measurement
from indicators.report import ALL_BREAKDOWNS, Scope, get_report, read_snapshot
from indicators.services import refresh_snapshot
from tests.indicators.factories_cohort import COHORT_COUNTS, COHORT_END, COHORT_START
from tests.indicators.factories_cohort import cohort_data_set as cohort_data
from tests.indicators.test_snapshots import flat

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 15)


@pytest.fixture
def data():
    return cohort_data_set_with_ids()


def cohort_data_set_with_ids():
    records = cohort_data()
    records["organization_ids"] = frozenset({records["inside_a"].pk, records["inside_b"].pk})
    records["enterprise_ids"] = frozenset({records["e1"].pk, records["e2"].pk})
    return records


def explicit_scope(data) -> Scope:
    """The cohort's organizations and EÉS, named by hand rather than read from the cohort."""
    return Scope(organization_ids=data["organization_ids"], enterprise_ids=data["enterprise_ids"])


def test_a_cohort_scope_holds_its_organizations_its_enterprises_and_its_id(data):
    scope = Scope.for_cohort(data["cohort"])

    assert scope.organization_ids == data["organization_ids"]
    assert scope.enterprise_ids == data["enterprise_ids"]
    assert scope.cohort_id == data["cohort"].pk
    assert scope.organization_id is None
    assert not scope.is_all


def test_a_cohort_report_covers_the_cohort_dates_by_default(data):
    report = cohort_report(data["cohort"])

    assert (report.start, report.end) == (COHORT_START, COHORT_END)
    assert report.scope.cohort_id == data["cohort"].pk


def test_a_cohorts_indicators_equal_those_of_its_organizations_and_ees_over_its_dates(data):
    cohort_values = cohort_report(data["cohort"]).values
    independent = compute_report(scope=explicit_scope(data), start=COHORT_START, end=COHORT_END)

    assert set(cohort_values) == set(CODES)
    for code in CODES:
        actual, expected = cohort_values[code], independent[code]
        assert (actual.value, actual.numerator, actual.denominator) == (
            expected.value,
            expected.numerator,
            expected.denominator,
        ), code


def test_a_cohorts_indicators_match_the_hand_counts(data):
    report = cohort_report(data["cohort"])

    for code, expected in COHORT_COUNTS.items():
        assert report[code].value == expected, code
    assert report["ees_spend_share"].numerator == Decimal("40000.00")
    assert report["ees_spend_share"].denominator == Decimal("145000.00")
    assert report["organizations_with_ees_contract_share"].value == 1
    assert report["organizations_with_ees_contract_share"].denominator == 2
    assert report["ees_contracts_new_relationship_share"].value == Decimal("0.5")


def test_an_all_suppliers_total_is_the_one_of_the_cohorts_organizations(data):
    organizations_only = Scope(organization_ids=data["organization_ids"])
    expected = compute_report(scope=organizations_only, start=COHORT_START, end=COHORT_END)

    assert cohort_report(data["cohort"])["total_spend"].value == expected["total_spend"].value


@pytest.mark.parametrize("breakdown", ALL_BREAKDOWNS)
def test_a_cohorts_breakdowns_equal_the_explicit_scopes(data, breakdown):
    report = cohort_report(data["cohort"], breakdown=breakdown)
    independent = compute_report(
        scope=explicit_scope(data), start=COHORT_START, end=COHORT_END, breakdown=breakdown
    )

    assert flat(report) == flat(independent)


def test_people_reached_by_kind_count_an_activity_for_the_cohorts_ees_only(data):
    report = cohort_report(data["cohort"], breakdown="kind")

    parts = {part.key: part.value for part in report["activity_participants"].parts}
    assert parts == {"matchmaking": 40, "training": 12, "awareness": 0, "trade_fair": 0}


def test_a_cohort_asked_for_other_dates_is_computed_over_them(data):
    report = cohort_report(data["cohort"], start=dt.date(2025, 6, 1), end=dt.date(2025, 12, 31))

    assert report["ees_contracts"].value == 1  # only B–e2 on 2025-06-01
    assert report["ees_spend"].value == Decimal("10000.00")


def test_the_one_organization_and_all_organization_scopes_ignore_the_cohort(data):
    period = {"start": COHORT_START, "end": COHORT_END}
    laval = compute_report(scope=Scope.of(data["inside_a"].pk), **period)
    everyone = compute_report(scope=Scope.everyone(), **period)

    assert laval["ees_contracts"].value == 2  # A–e1 and A–e3: any EÉS for an organization
    assert everyone["ees_contracts"].value == 4  # and Sherbrooke–e2, Gatineau–e1


# --- snapshots --------------------------------------------------------------------------
@pytest.fixture
def refreshed(data):
    refresh_snapshot(trigger="command", today=TODAY)
    return data


@pytest.mark.parametrize("breakdown", [None, *ALL_BREAKDOWNS])
def test_the_snapshot_and_live_agree_for_a_cohort(refreshed, breakdown):
    scope = Scope.for_cohort(refreshed["cohort"])

    stored = read_snapshot(scope=scope, start=COHORT_START, end=COHORT_END, breakdown=breakdown)
    live = compute_report(scope=scope, start=COHORT_START, end=COHORT_END, breakdown=breakdown)

    assert stored is not None
    assert stored.source == "snapshot"
    assert flat(stored) == flat(live)


def test_a_cohort_report_over_its_dates_reads_the_snapshot(refreshed):
    report = cohort_report(refreshed["cohort"])

    assert report.source == "snapshot"
    assert report["ees_spend"].value == Decimal("40000.00")


def test_a_cohort_report_over_other_dates_is_live(refreshed):
    report = cohort_report(refreshed["cohort"], start=dt.date(2025, 1, 1), end=COHORT_END)

    assert report.source == "live"


def test_the_snapshot_stores_the_cohorts_rows_without_an_organization(refreshed):
    rows = Measurement.objects.filter(cohort=refreshed["cohort"], breakdown="")

    assert rows.count() == len(CODES)
    assert not rows.filter(organization__isnull=False).exists()
    assert rows.get(code="ees_contracts").value == 2


@pytest.mark.parametrize("breakdown", [None, "organization", "month", "sector"])
def test_all_organizations_reads_ignore_the_cohorts_rows(refreshed, breakdown):
    year = {"start": dt.date(2025, 1, 1), "end": dt.date(2025, 12, 31)}
    # A cohort over a standard period: its rows share the dates of the platform's rows.
    cohort = refreshed["cohort"]
    cohort.start, cohort.end = year["start"], year["end"]
    cohort.save()
    refresh_snapshot(trigger="command", today=TODAY)

    stored = read_snapshot(scope=Scope.everyone(), breakdown=breakdown, **year)
    live = compute_report(scope=Scope.everyone(), breakdown=breakdown, **year)

    assert stored is not None
    assert stored.source == "snapshot"
    assert flat(stored) == flat(live)
    assert get_report(scope=Scope.of(refreshed["inside_a"].pk), **year).source == "snapshot"


# --- people trained ---------------------------------------------------------------------
def test_people_trained_counts_distinct_people_of_the_scope_in_the_period(data):
    year = {"start": dt.date(2025, 1, 1), "end": dt.date(2025, 12, 31)}

    everyone = compute_report(scope=Scope.everyone(), breakdown="organization", **year)

    assert everyone["people_trained"].value == 2  # one in Laval (twice), one in Gatineau
    parts = {part.key: part.value for part in everyone["people_trained"].parts}
    assert parts == {str(data["inside_a"].pk): 1, str(data["outside"].pk): 1}
    assert compute_report(scope=Scope.of(data["inside_b"].pk), **year)["people_trained"].value == 0


@pytest.mark.parametrize("period", [("2025-01-01", "2025-12-31"), ("2025-03-01", "2025-03-31")])
@pytest.mark.parametrize("breakdown", [None, "organization"])
def test_people_trained_in_the_snapshot_equal_the_live_count(refreshed, period, breakdown):
    start, end = (dt.date.fromisoformat(day) for day in period)
    for scope in (Scope.everyone(), Scope.of(refreshed["inside_a"].pk)):
        stored = read_snapshot(scope=scope, start=start, end=end, breakdown=breakdown)
        live = compute_report(scope=scope, start=start, end=end, breakdown=breakdown)
        assert stored is not None
        assert flat(stored)["people_trained"] == flat(live)["people_trained"]
        assert stored["people_trained"].value >= 1
