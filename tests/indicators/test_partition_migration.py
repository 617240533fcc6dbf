"""Migration 0007 turns the measurement table into one partitioned by snapshot on PostgreSQL,
and back: no row is lost either way, and new rows still get new ids."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from indicators.models import Measurement, Snapshot

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
    pytest.mark.django_db(transaction=True),
]

BEFORE = [("indicators", "0006_measurement_without_constraints")]
AFTER = [("indicators", "0007_measurement_partitioned_by_snapshot")]


def migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def kind_of_table() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relkind FROM pg_class WHERE relname = %s", ["indicators_measurement"]
        )
        return cursor.fetchone()[0]


def partitions() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'indicators_measurement'::regclass"
        )
        return {name for (name,) in cursor.fetchall()}


def measure(snapshot, code: str, value: str) -> Measurement:
    return Measurement.objects.create(
        snapshot=snapshot, period="2025", start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31),
        code=code, value=Decimal(value),
    )  # fmt: skip


def every_row() -> list[tuple]:
    return list(
        Measurement.objects.order_by("id").values_list("id", "snapshot_id", "code", "value")
    )


def test_the_partitioning_migration_keeps_every_row_both_ways():
    try:
        migrate(BEFORE)
        assert kind_of_table() == "r"
        first, second = (
            Snapshot.objects.create(trigger="command"),
            Snapshot.objects.create(trigger="command"),
        )
        for snapshot in (first, second):
            measure(snapshot, "ees_spend", "12.50")
            measure(snapshot, "total_spend", "100.00")
        rows = every_row()

        migrate(AFTER)

        assert kind_of_table() == "p"
        assert partitions() == {
            "indicators_measurement_default",
            f"indicators_measurement_s{first.pk}",
            f"indicators_measurement_s{second.pk}",
        }
        assert every_row() == rows
        added = measure(second, "ees_contracts", "3")
        assert added.pk > max(row[0] for row in rows)

        migrate(BEFORE)

        assert kind_of_table() == "r"
        assert every_row() == [*rows, (added.pk, second.pk, "ees_contracts", Decimal("3.000000"))]
        assert measure(first, "ees_winning", "1").pk > added.pk
    finally:
        migrate(AFTER)
    assert kind_of_table() == "p"
