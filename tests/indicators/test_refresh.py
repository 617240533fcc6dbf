"""Refreshing snapshots: the task, the command, debounced changes, a broker that is down."""

import datetime as dt
import logging
import time
from decimal import Decimal

import pytest
from celery import current_app
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from indicators import services
from indicators.models import Measurement, Snapshot
from indicators.report import read_snapshot
from indicators.tasks import refresh_indicators
from procurement.models import Award
from tests.factories import ActivityFactory, AwardFactory, EnterpriseFactory, OfferingFactory
from tests.indicators.factories_engine import award, worked_example

pytestmark = pytest.mark.django_db

YEAR_2025 = {"start": dt.date(2025, 1, 1), "end": dt.date(2025, 12, 31)}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def on_change(settings):
    settings.INDICATORS_REFRESH_ON_CHANGE = True
    return settings


@pytest.fixture
def queued(monkeypatch):
    """The refresh tasks sent to the broker (kwargs, countdown), without a broker."""
    sent = []

    def apply_async(kwargs=None, countdown=None, **options):
        sent.append((kwargs, countdown))

    monkeypatch.setattr(refresh_indicators, "apply_async", apply_async)
    return sent


def test_the_task_writes_a_complete_snapshot_with_its_trigger(organization):
    worked_example(organization)

    snapshot_id = refresh_indicators.delay(trigger="manual").get()

    snapshot = Snapshot.objects.get(pk=snapshot_id)
    assert (snapshot.status, snapshot.trigger) == ("complete", "manual")
    assert snapshot.computed_at is not None
    assert snapshot.duration_ms is not None
    assert snapshot.measurements_count == Measurement.objects.filter(snapshot=snapshot).count()


def test_beat_runs_the_task_on_the_schedule_set_in_settings():
    entry = django_settings.CELERY_BEAT_SCHEDULE["refresh-indicators"]

    assert entry["task"] == refresh_indicators.name
    assert entry["schedule"] == dt.timedelta(minutes=django_settings.INDICATORS_REFRESH_MINUTES)
    assert entry["kwargs"] == {"trigger": "schedule"}


def test_the_command_refreshes_synchronously_and_says_what_it_wrote(organization, capsys):
    worked_example(organization)

    call_command("refresh_indicators")

    snapshot = Snapshot.objects.get()
    assert (snapshot.status, snapshot.trigger) == ("complete", "command")
    output = capsys.readouterr().out
    assert f"Snapshot #{snapshot.pk}: {snapshot.measurements_count} measurements in" in output
    assert output.strip().endswith(" s.")


# Queuing follows real commits: these tests commit (transaction=True).
committing = pytest.mark.django_db(transaction=True)


@committing
def test_a_change_queues_one_debounced_refresh_after_commit(on_change, queued, organization):
    services.clear_pending(trigger="change")
    queued.clear()
    with transaction.atomic():
        AwardFactory(process__organization=organization)
        EnterpriseFactory()
        assert queued == []  # nothing before the commit

    assert queued == [({"trigger": "change"}, on_change.INDICATORS_REFRESH_DEBOUNCE_SECONDS)]


@committing
def test_changes_while_a_refresh_is_pending_ride_on_it(on_change, queued):
    OfferingFactory()
    ActivityFactory()

    assert len(queued) == 1


@committing
def test_a_change_after_the_refresh_started_queues_the_next_one(on_change, queued):
    OfferingFactory()
    services.clear_pending(trigger="change")  # what the task does first
    OfferingFactory()

    assert len(queued) == 2


@committing
def test_a_change_rolled_back_queues_nothing(on_change, queued):
    def change_then_fail():
        with transaction.atomic():
            OfferingFactory()
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        change_then_fail()

    assert queued == []


@committing
def test_activity_attendance_counts_as_a_change(on_change, queued, organization):
    activity = ActivityFactory()
    services.clear_pending(trigger="change")
    queued.clear()

    activity.organizations.add(organization)

    assert len(queued) == 1


@committing
def test_the_refresh_button_queues_at_once_and_once(queued):
    services.queue_refresh(trigger="manual")
    services.queue_refresh(trigger="manual")

    assert queued == [({"trigger": "manual"}, 0)]


def test_one_transaction_registers_one_callback(
    on_change, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        services.queue_refresh(trigger="change")
        services.queue_refresh(trigger="change")
        services.queue_refresh(trigger="manual")

    assert len(callbacks) == 2


@committing
def test_changes_do_not_refresh_when_switched_off(settings, queued):
    settings.INDICATORS_REFRESH_ON_CHANGE = False

    OfferingFactory()

    assert queued == []


def test_changes_refresh_by_default_only_when_a_worker_runs_the_tasks(settings):
    if hasattr(settings, "INDICATORS_REFRESH_ON_CHANGE"):
        del settings.INDICATORS_REFRESH_ON_CHANGE
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert services.refresh_on_change() is False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert services.refresh_on_change() is True


@committing
def test_a_change_refreshes_the_snapshot_when_tasks_run_in_process(organization, settings):
    worked_example(organization)
    settings.INDICATORS_REFRESH_ON_CHANGE = True

    with transaction.atomic():
        award(organization, EnterpriseFactory(), dt.date(2025, 7, 1), "5000.00")

    snapshot = Snapshot.objects.get()
    assert (snapshot.trigger, snapshot.status) == ("change", "complete")
    report = read_snapshot(organization_id=organization.pk, **YEAR_2025)
    assert report["ees_spend"].value == Decimal("45000.00")


@pytest.fixture
def broker_down(settings):
    """A real broker connection to a closed port, tasks no longer run in process."""
    # Read Celery's configuration before changing the settings it is loaded from (lazily,
    # on first use): otherwise "saved" would already hold the broken values.
    conf = current_app.conf
    saved = conf.task_always_eager, conf.broker_url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.INDICATORS_REFRESH_ON_CHANGE = True
    conf.task_always_eager, conf.broker_url = False, "redis://127.0.0.1:1/0"
    current_app._pool = None
    yield
    conf.task_always_eager, conf.broker_url = saved
    current_app._pool = None


@committing
def test_a_broker_that_is_down_does_not_break_the_write(broker_down, organization, caplog):
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="indicators.services"):
        saved = AwardFactory(process__organization=organization)

    assert Award.objects.filter(pk=saved.pk).exists()
    assert "Could not queue an indicator refresh (change)" in caplog.text
    assert time.monotonic() - started < 5  # one attempt, no retries
    # The flag is cleared so that the next change tries again.
    assert cache.get(services.PENDING_KEY.format(trigger="change")) is None
    assert Snapshot.objects.count() == 0


@committing
def test_the_refresh_button_survives_a_broker_that_is_down(broker_down, caplog):
    services.queue_refresh(trigger="manual")

    assert "Could not queue an indicator refresh (manual)" in caplog.text
    assert cache.get(services.PENDING_KEY.format(trigger="manual")) is None
