"""Faults: the broker down, a worker killed during a refresh, the database unreachable."""

import logging
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from celery import current_app
from django.conf import settings as django_settings
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directory.models import Enterprise
from indicators import services as indicator_services
from indicators.models import Measurement, Snapshot
from portal.accounts.models import Membership, User
from portal.models import PendingTask
from portal.outbox import publish_pending
from procurement.models import Award, Invitation, Method
from tests.directory.factories_members import PendingEnterpriseFactory, complete_enterprise
from tests.factories import (
    AwardFactory,
    BidFactory,
    EnterpriseFactory,
    MembershipFactory,
    OrganizationFactory,
    ProcessFactory,
    UserFactory,
)

committing = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker_down(settings):
    """A real broker on a closed port; tasks no longer run in process."""
    app = current_app
    # Read Celery's configuration before changing the settings it is loaded from (lazily,
    # on first use): otherwise "saved" would already hold the broken values.
    saved = app.conf.task_always_eager, app.conf.broker_url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.INDICATORS_REFRESH_ON_CHANGE = True
    app.conf.task_always_eager, app.conf.broker_url = False, "redis://127.0.0.1:1/0"
    app._pool = None  # no connection kept from an earlier test
    app.amqp._producer_pool = None

    def back():
        """The broker is up again (tasks run in process, as in the other tests)."""
        settings.CELERY_TASK_ALWAYS_EAGER = True
        app.conf.task_always_eager, app.conf.broker_url = saved
        app._pool = None
        app.amqp._producer_pool = None

    yield back
    back()


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


# --- the broker down -------------------------------------------------------------------------
@committing
def test_with_the_broker_down_a_sign_up_still_creates_the_account(broker_down):
    response = Client(raise_request_exception=False).post(
        reverse("directory:signup"),
        {
            "email": "nouvelle@coop.example",
            "full_name": "Nouvelle Représentante",
            "password1": "un-mot-de-passe-solide-42",
            "password2": "un-mot-de-passe-solide-42",
        },
    )

    assert response.status_code == 302, response.content[:500]
    assert User.objects.filter(email="nouvelle@coop.example").exists()


@committing
def test_with_the_broker_down_the_confirmation_e_mail_waits_and_goes_once_it_is_back(
    broker_down, mailoutbox
):
    response = Client(raise_request_exception=False).post(
        reverse("directory:signup"),
        {
            "email": "en-attente@coop.example",
            "full_name": "Représentante en attente",
            "password1": "un-mot-de-passe-solide-42",
            "password2": "un-mot-de-passe-solide-42",
        },
    )
    assert response.status_code == 302
    waiting = PendingTask.objects.get()
    assert waiting.name == "directory.tasks.send_signup_confirmation"
    assert waiting.attempts == 1
    assert waiting.last_error
    assert mailoutbox == []

    # The beat tries while the broker is still down: the task stays, one more attempt.
    assert publish_pending(older_than=timedelta(0)) == 0
    assert PendingTask.objects.get().attempts == 2

    broker_down()  # the broker is back
    assert publish_pending(older_than=timedelta(0)) == 1

    assert not PendingTask.objects.exists()
    assert [message.to for message in mailoutbox] == [["en-attente@coop.example"]]
    assert "/inscription/compte/confirmer/" in mailoutbox[0].body


@committing
def test_with_the_broker_down_a_coordinator_still_verifies_an_enterprise(broker_down):
    coordinator = UserFactory(is_coordinator=True)
    enterprise = complete_enterprise(PendingEnterpriseFactory())

    response = signed_in(coordinator).post(
        reverse("directory:verification-approve", args=[enterprise.pk])
    )

    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.status == Enterprise.Status.VERIFIED


@committing
def test_with_the_broker_down_an_officer_still_invites_and_awards(broker_down, caplog):
    organization = OrganizationFactory()
    officer = MembershipFactory(organization=organization, role=Membership.Role.OFFICER).user
    process = ProcessFactory(organization=organization, method=Method.INVITATION)
    client = signed_in(officer)
    enterprise = EnterpriseFactory()

    invited = client.post(
        "/api/invitations/",
        {"process": process.pk, "enterprise": enterprise.pk, "invited_on": "2025-02-01"},
        content_type="application/json",
    )
    bid = BidFactory(process=process, enterprise=enterprise)
    with caplog.at_level(logging.WARNING, logger="indicators.services"):
        awarded = client.post(
            "/api/awards/",
            {
                "process": process.pk,
                "enterprise": enterprise.pk,
                "bid": bid.pk,
                "awarded_on": "2025-03-01",
                "amount": "30000.00",
            },
            content_type="application/json",
        )

    assert (invited.status_code, awarded.status_code) == (201, 201)
    assert Invitation.objects.filter(process=process).count() == 1
    assert Award.objects.filter(process=process).count() == 1
    # The refresh could not be queued: it is said, and the schedule catches up.
    assert "Could not queue an indicator refresh" in caplog.text


@committing
def test_with_the_broker_down_pages_render_and_the_dashboard_shows_its_last_snapshot(
    broker_down,
):
    organization = OrganizationFactory()
    AwardFactory(process__organization=organization)
    snapshot = indicator_services.refresh_snapshot(trigger="schedule")
    manager = MembershipFactory(organization=organization, role=Membership.Role.MANAGER).user
    client = signed_in(manager)

    for url in ("/", "/annuaire/", "/approvisionnement/besoins/", "/indicateurs/public/"):
        assert client.get(url).status_code == 200, url
    dashboard = client.get(reverse("indicators:organization-dashboard", args=[organization.pk]))
    assert dashboard.status_code == 200
    when = timezone.localtime(snapshot.computed_at)
    assert f"{when:%H:%M}" in dashboard.content.decode()
    assert str(when.year) in dashboard.content.decode()
    health = Client().get("/health/").json()
    assert health["broker"] == "unavailable"
    assert health["database"] == "ok"


def test_the_refresh_is_retried_by_the_beat_schedule_whatever_happened_to_the_changes():
    """Nothing is lost when a change could not queue its refresh: beat refreshes everything,
    from the records themselves, every INDICATORS_REFRESH_MINUTES."""
    entry = django_settings.CELERY_BEAT_SCHEDULE["refresh-indicators"]
    assert entry["task"] == "indicators.tasks.refresh_indicators"
    assert entry["schedule"].total_seconds() == django_settings.INDICATORS_REFRESH_MINUTES * 60


@committing
def test_a_failed_queueing_leaves_no_pending_flag_so_the_next_change_tries_again(broker_down):
    from django.core.cache import cache

    assert indicator_services.send_refresh(trigger="change") is False
    assert cache.get(indicator_services.PENDING_KEY.format(trigger="change")) is None


# --- a worker killed during a refresh -----------------------------------------------------------
def _complete_snapshot_values(snapshot_id):
    rows = Measurement.objects.filter(snapshot_id=snapshot_id).values_list(
        "code", "organization_id", "start", "end", "breakdown", "key", "value"
    )
    return sorted(rows, key=str)


@pytest.mark.postgres
@committing
def test_a_worker_killed_during_a_refresh_leaves_the_previous_snapshot_whole():
    organization = OrganizationFactory()
    for _ in range(3):
        AwardFactory(process__organization=organization)
    previous = indicator_services.refresh_snapshot(trigger="schedule")
    before = _complete_snapshot_values(previous.pk)
    assert before

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": _test_database_url(),
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "refresh_indicators"],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        running = _wait_for(lambda: Snapshot.objects.filter(status="running").first())
        assert running is not None, "the refresh never started"
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()

    # The killed run left a "running" row and no measurement visible; the previous is whole.
    assert Snapshot.objects.get(pk=running.pk).status == "running"
    assert _complete_snapshot_values(previous.pk) == before
    assert Snapshot.objects.latest_complete().pk == previous.pk
    manager = MembershipFactory(organization=organization, role=Membership.Role.MANAGER).user
    page = signed_in(manager).get(
        reverse("indicators:organization-dashboard", args=[organization.pk])
    )
    assert page.status_code == 200

    # A refresh that comes once the run is older than STALE_AFTER (the longest a refresh may
    # take) marks it failed; failed snapshots are then pruned. It never held a measurement.
    Snapshot.objects.filter(pk=running.pk).update(
        started_at=timezone.now() - indicator_services.STALE_AFTER * 2
    )
    latest = indicator_services.refresh_snapshot(trigger="schedule")
    assert not Snapshot.objects.filter(pk=running.pk, status="running").exists()
    assert not Measurement.objects.filter(snapshot_id=running.pk).exists()
    assert Snapshot.objects.latest_complete().pk == latest.pk


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _wait_for(probe, timeout=60.0, step=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(step)
    return None


# --- the database unreachable -------------------------------------------------------------------
@pytest.fixture
def database_down(monkeypatch):
    """Every new query fails as if PostgreSQL were gone."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    monkeypatch.setattr(connection, "cursor", refuse)


@pytest.mark.parametrize(
    ("language", "text"),
    [("fr", "Service temporairement indisponible"), ("en", "Service temporarily unavailable")],
)
def test_an_unreachable_database_gives_a_clean_bilingual_503_page(database_down, language, text):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)

    response = client.get("/annuaire/", headers={"accept-language": language})

    assert response.status_code == 503
    body = response.content.decode()
    assert text in body
    assert "Traceback" not in body
    assert "OperationalError" not in body


def test_an_unreachable_database_gives_the_api_a_json_503(database_down):
    response = Client(raise_request_exception=False).get("/api/enterprises/")

    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()
    assert "Traceback" not in response.content.decode()
