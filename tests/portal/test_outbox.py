"""Tasks queued with the change that asks for them (portal.outbox): kept in the database
until the broker takes them, gone with a change that rolls back. The broker down is in
tests/trust/test_faults.py."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory.tasks import send_signup_confirmation
from portal.models import PendingTask
from portal.outbox import RETRY_AFTER, publish_pending, queue_after_commit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SIGNUP_TASK = "directory.tasks.send_signup_confirmation"


def waiting_since(age: timedelta, name: str = SIGNUP_TASK, args=None) -> PendingTask:
    return PendingTask.objects.create(name=name, args=args or [], created_at=timezone.now() - age)


def test_a_task_is_kept_with_its_change_and_sent_once_the_change_commits(mailoutbox):
    user = UserFactory(is_active=False, email="nouveau@coop.example")

    with transaction.atomic():
        queue_after_commit(send_signup_confirmation, user.pk, "https://portail.example", False)
        assert PendingTask.objects.count() == 1
        assert mailoutbox == []

    assert not PendingTask.objects.exists()
    assert [message.to for message in mailoutbox] == [["nouveau@coop.example"]]


def test_a_change_that_rolls_back_leaves_no_task_and_sends_nothing(mailoutbox):
    user = UserFactory(is_active=False)

    def failing_change():
        with transaction.atomic():
            queue_after_commit(send_signup_confirmation, user.pk, "https://portail.example", False)
            raise RuntimeError("the change fails")

    with pytest.raises(RuntimeError):
        failing_change()

    assert not PendingTask.objects.exists()
    assert mailoutbox == []


def test_the_beat_leaves_a_young_task_to_its_own_commit(mailoutbox):
    user = UserFactory(is_active=False)
    waiting = waiting_since(timedelta(seconds=5), args=[user.pk, "https://portail.example", False])

    assert publish_pending() == 0
    assert PendingTask.objects.filter(pk=waiting.pk).exists()

    PendingTask.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - RETRY_AFTER)
    assert publish_pending() == 1
    assert not PendingTask.objects.exists()
    assert len(mailoutbox) == 1


def test_a_task_no_longer_known_is_kept_and_does_not_hold_up_the_others(mailoutbox):
    user = UserFactory(is_active=False)
    unknown = waiting_since(timedelta(hours=2), name="directory.tasks.renamed_since")
    waiting_since(timedelta(hours=1), args=[user.pk, "https://portail.example", False])

    assert publish_pending() == 1

    assert list(PendingTask.objects.values_list("pk", flat=True)) == [unknown.pk]
    unknown.refresh_from_db()
    assert unknown.attempts == 1
    assert "renamed_since" in unknown.last_error
    assert len(mailoutbox) == 1


def test_health_tells_how_many_tasks_wait_and_since_when(client):
    assert client.get("/health/").json()["pending_tasks"] == {"count": 0, "oldest": None}
    oldest = waiting_since(timedelta(hours=3))
    waiting_since(timedelta(minutes=2))

    with CaptureQueriesContext(connection) as queries:
        body = client.get("/health/").json()

    assert body["pending_tasks"] == {"count": 2, "oldest": oldest.created_at.isoformat()}
    assert sum("portal_pendingtask" in query["sql"] for query in queries) == 1  # one read


def test_the_beat_hands_waiting_tasks_to_the_broker_every_minute():
    from portal.celery import app

    app.loader.import_default_modules()  # the tasks a worker registers when it starts
    entry = settings.CELERY_BEAT_SCHEDULE["publish-pending-tasks"]

    assert entry["task"] == "portal.tasks.publish_pending_tasks"
    assert entry["schedule"] == timedelta(minutes=1)
    assert entry["task"] in app.tasks
