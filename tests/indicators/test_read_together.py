"""Reading several reports of a scope at once (a dashboard's breakdowns and the previous
period) gives exactly what reading each alone gives, in one query for the snapshot's rows."""

import datetime as dt
from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Measurement, Snapshot
from indicators.report import (
    ALL_BREAKDOWNS,
    Reading,
    Scope,
    get_report,
    get_reports,
    read_snapshots,
    standard_periods,
)
from indicators.services import refresh_snapshot
from tests.indicators.factories_engine import rich_data_set

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 15)
SHOWN = ["ees_spend", "ees_contracts", "ees_winning"]


@pytest.fixture
def data():
    records = rich_data_set()
    refresh_snapshot(trigger="command", today=TODAY)
    return records


def scopes(data):
    return [Scope.everyone()] + [
        Scope.of(data[name].pk) for name in ("montreal", "longueuil", "inactive")
    ]


def every_reading() -> list[Reading]:
    """Every breakdown of two years, a quarter and a month, with and without a choice of
    codes: a year by sector is a snapshot read, a quarter by sector is live for an
    organization."""
    periods = {period.key: period for period in standard_periods(TODAY)}
    readings = []
    for key in ("2025", "2026", "2025-Q2", "2025-11"):
        period = periods[key]
        readings.append(Reading(period.start, period.end))
        for breakdown in ALL_BREAKDOWNS:
            readings.append(Reading(period.start, period.end, breakdown))
            readings.append(Reading(period.start, period.end, breakdown, SHOWN))
    return readings


def alone(scope: Scope, reading: Reading):
    return get_report(
        scope=scope,
        start=reading.start,
        end=reading.end,
        breakdown=reading.breakdown,
        codes=reading.codes,
    )


def comparable(reports):
    """Live reports say when they were computed: the only thing two readings may differ by."""
    return [
        replace(report, computed_at=None) if report.source == "live" else report
        for report in reports
    ]


def test_reports_read_together_are_those_read_alone_for_every_scope_and_breakdown(data):
    readings = every_reading()

    for scope in scopes(data):
        together = get_reports(scope, readings)

        assert comparable(together) == comparable(alone(scope, r) for r in readings), scope


def test_a_dashboards_readings_are_one_query_on_the_snapshot(data):
    year = standard_periods(TODAY)[0]
    previous = Reading(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    readings = [
        Reading(year.start, year.end, breakdown, SHOWN) for breakdown in ("month", "region")
    ] + [previous]
    snapshot = Snapshot.objects.latest_complete()

    with CaptureQueriesContext(connection) as captured:
        reports = read_snapshots(Scope.of(data["montreal"].pk), readings, snapshot=snapshot)

    measurements = Measurement._meta.db_table
    reads = [q for q in captured.captured_queries if measurements in q["sql"]]
    assert len(reads) == 1
    assert all(report is not None for report in reports)
    assert reports[0]["ees_spend"].parts  # the months
    assert reports[2].start == dt.date(2025, 1, 1)


def test_a_reading_that_is_not_in_the_snapshot_is_computed_live_among_the_others(data):
    scope = Scope.of(data["montreal"].pk)
    quarter = next(p for p in standard_periods(TODAY) if "-Q" in p.key)
    custom = Reading(dt.date(2025, 2, 3), dt.date(2025, 8, 19), "sector")
    readings = [
        Reading(quarter.start, quarter.end, "sector"),
        custom,
        Reading(quarter.start, quarter.end),
    ]

    reports = get_reports(scope, readings)

    assert [report.source for report in reports] == ["live", "live", "snapshot"]
    assert comparable(reports) == comparable(alone(scope, r) for r in readings)
