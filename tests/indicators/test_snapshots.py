"""Snapshots: the set-based writer agrees with the one-function-per-code definitions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone
from kombu.exceptions import OperationalError

from indicators import services, tasks
from indicators.catalogue import CODES
from indicators.kpis import compute_report
from indicators.models import Measurement, Snapshot
from indicators.report import (
    ALL_BREAKDOWNS,
    LIVE_ORGANIZATION_BREAKDOWNS,
    OFFER_CODES,
    PRESENCE_CODE,
    Scope,
    get_report,
    read_snapshot,
    standard_periods,
)
from indicators.services import refresh_snapshot
from tests.factories import EnterpriseFactory, OrganizationFactory
from tests.indicators.factories_engine import award, rich_data_set, worked_example

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 15)
YEAR_2025 = {"start": dt.date(2025, 1, 1), "end": dt.date(2025, 12, 31)}


def flat(report):
    return {
        value.code: (
            value.value,
            value.numerator,
            value.denominator,
            value.parts_add_up,
            [(p.key, p.label, p.value, p.numerator, p.denominator) for p in value.parts],
        )
        for value in report.ordered()
    }


def assert_same(scope, period, breakdown=None):
    snapshot = read_snapshot(scope=scope, start=period.start, end=period.end, breakdown=breakdown)
    live = compute_report(scope=scope, start=period.start, end=period.end, breakdown=breakdown)
    if not scope.is_all and breakdown in LIVE_ORGANIZATION_BREAKDOWNS and period.kind != "year":
        assert snapshot is None  # an organization's quarter or month parts are live
        return
    assert snapshot is not None
    assert snapshot.source == "snapshot"
    expected, actual = flat(live), flat(snapshot)
    for code in expected:
        assert actual[code] == expected[code], (code, period.key, scope, breakdown)


@pytest.fixture
def data():
    records = rich_data_set()
    refresh_snapshot(trigger="command", today=TODAY)
    return records


def scopes(data):
    return [Scope.everyone()] + [
        Scope.of(data[name].pk) for name in ("montreal", "longueuil", "inactive")
    ]


def test_snapshot_and_live_agree_on_every_code_for_every_scope_and_period(data):
    everyone, *organizations = scopes(data)
    for period in standard_periods(TODAY):
        assert_same(everyone, period)
        if period.kind != "month" or period.key.startswith("2025"):
            for scope in organizations:
                assert_same(scope, period)


@pytest.mark.parametrize("breakdown", ALL_BREAKDOWNS)
def test_snapshot_and_live_agree_part_by_part(data, breakdown):
    periods = {period.key: period for period in standard_periods(TODAY)}
    for key in ("2025", "2025-Q1", "2025-04", "2024"):
        for scope in scopes(data):
            assert_same(scope, periods[key], breakdown)


def test_a_refresh_that_crashes_halfway_leaves_the_previous_snapshot_in_place(
    organization, monkeypatch
):
    worked_example(organization)
    previous = refresh_snapshot(trigger="command", today=TODAY)
    award(organization, EnterpriseFactory(), dt.date(2025, 7, 1), "5000.00")
    monkeypatch.setattr(services, "WRITE_BATCH", 500)
    insert = services.insert_measurements
    batches = []

    def crash_on_the_second_batch(snapshot_id, rows, **into):
        rows = list(rows)  # a batch is built as it is written
        batches.append(len(rows))
        if len(batches) == 2:
            raise RuntimeError("killed halfway")
        insert(snapshot_id, rows, **into)

    monkeypatch.setattr(services, "insert_measurements", crash_on_the_second_batch)

    with pytest.raises(RuntimeError, match="killed halfway"):
        refresh_snapshot(trigger="schedule", today=TODAY)

    failed = Snapshot.objects.exclude(pk=previous.pk).get()
    assert failed.status == Snapshot.Status.FAILED
    assert not Measurement.objects.filter(snapshot=failed).exists()  # the first batch too
    assert failed.pk not in services.partitions()  # nor its table, on PostgreSQL
    assert Snapshot.objects.latest_complete() == previous
    report = read_snapshot(organization_id=organization.pk, **YEAR_2025)
    assert report.computed_at == previous.computed_at
    assert report["ees_spend"].value == Decimal("40000.00")  # not the new 45 000
    assert Measurement.objects.filter(snapshot=previous).count() == previous.measurements_count


def test_a_running_snapshot_is_never_read(organization):
    worked_example(organization)
    previous = refresh_snapshot(trigger="command", today=TODAY)
    running = Snapshot.objects.create(trigger="schedule")
    Measurement.objects.filter(snapshot=previous).update(snapshot=running)

    assert read_snapshot(organization_id=organization.pk, **YEAR_2025) is None


def test_only_the_last_three_complete_snapshots_are_kept(
    organization, django_capture_on_commit_callbacks
):
    worked_example(organization)
    snapshots = []
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):  # the pruning task, queued
            snapshots.append(refresh_snapshot(trigger="schedule", today=TODAY))

    kept = list(Snapshot.objects.order_by("pk"))
    assert kept == snapshots[2:]
    assert set(Measurement.objects.values_list("snapshot", flat=True).distinct()) == {
        snapshot.pk for snapshot in snapshots[2:]
    }


def test_old_snapshots_are_deleted_after_the_refresh_commits_even_without_a_broker(
    organization, django_capture_on_commit_callbacks, monkeypatch
):
    worked_example(organization)
    old = [refresh_snapshot(trigger="schedule", today=TODAY) for _ in range(3)]
    assert Snapshot.objects.count() == 3  # nothing committed yet: nothing pruned

    def unreachable():
        raise OperationalError("Connection refused")

    monkeypatch.setattr(tasks.prune_old_snapshots, "delay", unreachable)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        latest = refresh_snapshot(trigger="schedule", today=TODAY)
        assert Snapshot.objects.filter(pk=old[0].pk).exists()  # not during the refresh

    assert len(callbacks) == 2  # pruning, then warming
    assert set(Snapshot.objects.all()) == {*old[1:], latest}
    assert not Measurement.objects.filter(snapshot_id=old[0].pk).exists()


def test_a_refresh_killed_long_ago_is_marked_failed_but_one_in_progress_is_left_alone(
    django_capture_on_commit_callbacks,
):
    killed = Snapshot.objects.create(trigger="schedule")
    Snapshot.objects.filter(pk=killed.pk).update(started_at=timezone.now() - dt.timedelta(hours=2))
    in_progress = Snapshot.objects.create(trigger="change")

    with django_capture_on_commit_callbacks(execute=True):
        refresh_snapshot(trigger="schedule", today=TODAY)

    assert not Snapshot.objects.filter(pk=killed.pk).exists()  # failed, then pruned
    assert Snapshot.objects.get(pk=in_progress.pk).status == Snapshot.Status.RUNNING


def test_a_snapshot_holds_every_code_for_every_scope_and_standard_period(organization):
    worked_example(organization)
    snapshot = refresh_snapshot(trigger="command", today=TODAY)

    totals = Measurement.objects.filter(snapshot=snapshot, breakdown="")
    everyone = totals.filter(organization=None)
    assert everyone.count() == len(standard_periods(TODAY)) * len(CODES)
    assert set(totals.values_list("organization", flat=True)) == {None, organization.pk}
    assert set(totals.values_list("period", flat=True)) >= {"2024", "2026-Q4", "2025-12"}
    # An organization's zero totals and the offer are read from the all-organizations rows.
    own = totals.filter(organization=organization)
    assert own.filter(code=PRESENCE_CODE).count() == len(standard_periods(TODAY))
    assert not own.filter(code__in=OFFER_CODES).exists()
    assert not own.exclude(code=PRESENCE_CODE).filter(value=0, numerator__isnull=True).exists()
    for period in standard_periods(TODAY):
        report = read_snapshot(organization_id=organization.pk, start=period.start, end=period.end)
        assert report.source == "snapshot"
        assert len(report.values) == len(CODES)
    # Empty breakdown parts are not stored: the reader lists them.
    parts = Measurement.objects.filter(snapshot=snapshot).exclude(breakdown="")
    assert not parts.filter(value=0, numerator__isnull=True).exists()


def test_an_organization_added_after_the_snapshot_is_computed_live(organization):
    worked_example(organization)
    refresh_snapshot(trigger="command", today=TODAY)
    newcomer = OrganizationFactory()

    assert read_snapshot(organization_id=newcomer.pk, **YEAR_2025) is None
    report = get_report(organization_id=newcomer.pk, **YEAR_2025)
    assert report.source == "live"
    assert report["organizations_with_ees_contract_share"].denominator == 1


def test_measurements_go_with_their_organization_and_snapshot_without_database_constraints(
    organization,
):
    # Measurements have no foreign-key constraints in the database (models.Measurement):
    # Django's on_delete still removes them with what they measure.
    worked_example(organization)
    leaving = OrganizationFactory()  # no records of its own: it can be deleted
    first = refresh_snapshot(trigger="command", today=TODAY)
    assert Measurement.objects.filter(organization=leaving).exists()

    leaving_id = leaving.pk
    leaving.delete()

    assert not Measurement.objects.filter(organization_id=leaving_id).exists()
    assert Measurement.objects.filter(snapshot=first, organization=organization).exists()
    first_id = first.pk
    first.delete()
    assert not Measurement.objects.filter(snapshot_id=first_id).exists()


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="measurements are partitioned on PostgreSQL only"
)


def rows_in(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - a partition's name
        return cursor.fetchone()[0]


@on_postgresql
def test_on_postgresql_a_snapshots_rows_are_a_partition_of_their_own(organization):
    worked_example(organization)

    snapshot = refresh_snapshot(trigger="command", today=TODAY)

    table = services.partitions()[snapshot.pk]
    assert rows_in(table) == snapshot.measurements_count
    assert rows_in(f"{Measurement._meta.db_table}_default") == 0
    # Read through the measurement table, as every reader does.
    assert Measurement.objects.filter(snapshot=snapshot).count() == snapshot.measurements_count
    report = read_snapshot(organization_id=organization.pk, **YEAR_2025)
    assert report.source == "snapshot"
    assert report["ees_spend"].value == Decimal("40000.00")


@on_postgresql
def test_on_postgresql_pruning_drops_the_old_snapshots_tables(organization):
    worked_example(organization)
    snapshots = [refresh_snapshot(trigger="schedule", today=TODAY) for _ in range(5)]
    deleted_by_django = snapshots[0].pk
    snapshots[0].delete()  # its rows go, its empty table stays until pruning
    assert deleted_by_django in services.partitions()

    services.prune_snapshots()

    assert set(services.partitions()) == {snapshot.pk for snapshot in snapshots[2:]}
    assert set(Snapshot.objects.values_list("pk", flat=True)) == set(services.partitions())


@on_postgresql
def test_on_postgresql_rows_of_a_snapshot_without_a_table_go_to_the_default_partition(
    organization,
):
    running = Snapshot.objects.create(trigger="command")
    Measurement.objects.create(
        snapshot=running, period="2025", start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31),
        code="ees_spend", value=Decimal("1.00"),
    )  # fmt: skip

    assert rows_in(f"{Measurement._meta.db_table}_default") == 1
    Snapshot.objects.filter(pk=running.pk).update(status=Snapshot.Status.FAILED)
    services.prune_snapshots()
    assert not Measurement.objects.exists()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_pruning_does_not_queue_readers_behind_a_busy_table(
    organization, monkeypatch
):
    worked_example(organization)
    snapshots = [
        refresh_snapshot(trigger="schedule", today=TODAY, warm=False, prune=False) for _ in range(4)
    ]
    monkeypatch.setattr(services, "DROP_LOCK_TIMEOUT", "100ms")
    reader = connections.create_connection("default")  # a dashboard reading the oldest one
    try:
        reader.set_autocommit(False)
        with reader.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM indicators_measurement WHERE snapshot_id = %s",
                [snapshots[0].pk],
            )

        services.prune_snapshots()

        assert snapshots[0].pk in services.partitions()  # left for the next pruning
        assert Snapshot.objects.filter(pk=snapshots[0].pk).exists()
    finally:
        reader.rollback()
        reader.close()
    services.prune_snapshots()
    assert set(services.partitions()) == {snapshot.pk for snapshot in snapshots[1:]}
    assert not Snapshot.objects.filter(pk=snapshots[0].pk).exists()
