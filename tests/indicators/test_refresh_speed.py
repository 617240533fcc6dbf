"""What the faster refresh stores, what it leaves to live reads, and its query budget."""

import datetime as dt
import threading

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import services
from indicators.kpis import compute_report
from indicators.models import Measurement
from indicators.report import PRESENCE_CODE, Scope, get_report, read_snapshot, standard_periods
from indicators.services import refresh_snapshot
from tests.factories import EnterpriseFactory, OrganizationFactory
from tests.indicators.factories_engine import award, rich_data_set, worked_example
from tests.indicators.factories_pages import write_snapshot

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 15)
YEAR_2025 = {"start": dt.date(2025, 1, 1), "end": dt.date(2025, 12, 31)}
Q1_2025 = {"start": dt.date(2025, 1, 1), "end": dt.date(2025, 3, 31)}


def flat(report):
    return {
        value.code: (
            value.value,
            value.numerator,
            value.denominator,
            [(p.key, p.label, p.value, p.numerator, p.denominator) for p in value.parts],
        )
        for value in report.ordered()
    }


def test_an_organization_keeps_its_parts_for_years_and_only_its_totals_for_shorter_periods():
    data = rich_data_set()
    snapshot = refresh_snapshot(trigger="command", today=TODAY)

    montreal = Measurement.objects.filter(snapshot=snapshot, organization=data["montreal"])
    held = montreal.filter(breakdown="", code=PRESENCE_CODE)  # its non-zero totals, and this
    assert held.count() == len(standard_periods(TODAY))
    years = montreal.filter(period="2025").values_list("breakdown", flat=True).distinct()
    assert set(years) == {"", "method", "sector", "region", "kind"}
    shorter = montreal.exclude(period__in=["2024", "2025", "2026"])
    assert set(shorter.values_list("breakdown", flat=True).distinct()) == {"", "kind"}
    assert not snapshot.organization_parts


def test_the_all_organizations_scope_keeps_its_method_sector_and_region_parts():
    rich_data_set()
    snapshot = refresh_snapshot(trigger="command", today=TODAY)

    everyone = Measurement.objects.filter(snapshot=snapshot, organization__isnull=True)
    assert {"method", "sector", "region", "kind"} <= set(
        everyone.values_list("breakdown", flat=True).distinct()
    )
    report = get_report(breakdown="sector", **YEAR_2025)
    assert report.source == "snapshot"
    assert [part.key for part in report["ees_spend"].parts] == ["23", "72", ""]


@pytest.mark.parametrize("breakdown", ["method", "sector", "region"])
def test_an_organizations_quarter_parts_are_computed_live_beside_its_stored_totals(breakdown):
    data = rich_data_set()
    refresh_snapshot(trigger="command", today=TODAY)
    scope = Scope.of(data["montreal"].pk)

    assert read_snapshot(scope=scope, breakdown=breakdown, **Q1_2025) is None
    report = get_report(scope=scope, breakdown=breakdown, **Q1_2025)
    assert report.source == "live"
    assert flat(report) == flat(compute_report(scope=scope, breakdown=breakdown, **Q1_2025))
    assert report["ees_spend"].parts  # the live parts are there
    assert read_snapshot(scope=scope, **Q1_2025).source == "snapshot"  # and its totals
    year = get_report(scope=scope, breakdown=breakdown, **YEAR_2025)
    assert year.source == "snapshot"
    assert flat(year) == flat(compute_report(scope=scope, breakdown=breakdown, **YEAR_2025))


def test_a_snapshot_that_stored_an_organizations_parts_is_still_read_from_them(organization):
    quarter = {"start": dt.date(2025, 1, 1), "end": dt.date(2025, 3, 31)}
    write_snapshot(scopes=[organization.pk], periods=[(quarter["start"], quarter["end"])])

    report = read_snapshot(organization_id=organization.pk, breakdown="method", **quarter)

    assert report is not None
    assert report.source == "snapshot"


def computing(queries) -> list[str]:
    measurements = Measurement._meta.db_table
    return [
        query["sql"].split(" ")[0]
        for query in queries.captured_queries
        if f'INSERT INTO "{measurements}"' not in query["sql"]
    ]


def test_the_refresh_takes_the_same_queries_whatever_the_data_volume(organization):
    worked_example(organization)
    refresh_snapshot(trigger="command", today=TODAY)  # content types, first-run caches
    with CaptureQueriesContext(connection) as small:
        refresh_snapshot(trigger="command", today=TODAY)

    rich_data_set()
    rich_data_set()
    others = [OrganizationFactory() for _ in range(5)]
    for number, other in enumerate(others):
        award(other, EnterpriseFactory(), dt.date(2025, 1 + number, 1), "1000.00")
    with CaptureQueriesContext(connection) as large:
        snapshot = refresh_snapshot(trigger="command", today=TODAY)

    # Rows are written by batches of services.WRITE_BATCH: only those grow with the data.
    assert computing(large) == computing(small)
    assert snapshot.measurements_count > 0


def test_an_organizations_dashboard_takes_the_same_queries_whatever_the_volume(
    client, manager, organization
):
    worked_example(organization)
    rich_data_set()
    refresh_snapshot(trigger="command", today=TODAY)
    client.force_login(manager)
    url = reverse("indicators:organization-dashboard", args=[organization.pk])
    client.get(url, {"year": 2025})  # the session is warm
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, {"year": 2025}).status_code == 200

    rich_data_set()
    for month in range(1, 13):
        award(organization, EnterpriseFactory(), dt.date(2025, month, 2), "2500.00")
    refresh_snapshot(trigger="command", today=TODAY)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        response = client.get(url, {"year": 2025})

    assert response.status_code == 200
    assert len(large) == len(small)


@pytest.mark.django_db(transaction=True)
def test_a_refresh_outside_a_transaction_counts_distinct_enterprises_on_other_connections(
    monkeypatch,
):
    data = rich_data_set()
    threads = []

    def recording(function):
        def run(*args):
            threads.append(threading.get_ident())
            return function(*args)

        return run

    counts = tuple(recording(function) for function in services.DISTINCT_COUNTS)
    monkeypatch.setattr(services, "DISTINCT_COUNTS", counts)
    refresh_snapshot(trigger="command", today=TODAY)

    assert len(threads) == len(counts)
    if connection.vendor == "postgresql":
        assert threading.get_ident() not in threads  # threads, and connections, of their own
    for scope in (Scope.everyone(), Scope.of(data["montreal"].pk), Scope.of(data["longueuil"].pk)):
        for period in standard_periods(TODAY):
            dates = {"start": period.start, "end": period.end}
            snapshot, live = (
                read_snapshot(scope=scope, **dates),
                compute_report(scope=scope, **dates),
            )
            for code in ("ees_invited", "ees_bidding", "ees_winning"):
                assert snapshot[code].value == live[code].value, (code, period.key)
