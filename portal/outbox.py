"""Tasks queued with the change that asks for them: a transactional outbox.

A service that wants an e-mail sent (or an upload imported) once its change commits calls
`queue_after_commit(task, *args)` inside its transaction. The request is written as a
`PendingTask` row in that transaction; after the commit it is handed to the broker and
deleted. When the broker is down the row stays, and the beat's `publish_pending_tasks`
hands it over once the broker is back: a confirmation e-mail is late, not lost. Delivery
is at least once: a process that dies between queueing and deleting queues the task again
later, so the tasks read the database and do nothing twice that matters.
"""

import logging
from datetime import timedelta

from celery import current_app
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from portal.models import PendingTask

logger = logging.getLogger(__name__)

# Left to the commit's own attempt before the beat tries (the commit hands it over at once).
RETRY_AFTER = timedelta(minutes=1)
RETRY_BATCH = 500


def queue_after_commit(task, *args) -> PendingTask:
    """Queue `task(*args)` once the current transaction commits (at once outside one)."""
    pending = PendingTask.objects.create(name=task.name, args=list(args))
    transaction.on_commit(lambda: _publish(pending), robust=True)
    return pending


def _publish(pending: PendingTask) -> bool:
    """Hand the task to the broker and forget it; keep it, with the error, if refused."""
    try:
        current_app.tasks[pending.name].delay(*pending.args)
    except (BrokerError, OSError, KeyError) as error:  # KeyError: no such task (renamed?)
        logger.warning("Could not queue %s, kept for the beat: %s", pending, error)
        PendingTask.objects.filter(pk=pending.pk).update(
            attempts=pending.attempts + 1, last_error=str(error)[:1000]
        )
        return False
    PendingTask.objects.filter(pk=pending.pk).delete()
    return True


def publish_pending(older_than: timedelta = RETRY_AFTER) -> int:
    """Queue the tasks the broker refused, oldest first; the number queued. Rows another
    worker is publishing are skipped; the first refusal by the broker ends the run."""
    published = 0
    with transaction.atomic():
        due = (
            PendingTask.objects.filter(created_at__lte=timezone.now() - older_than)
            .select_for_update(skip_locked=True)
            .order_by("created_at", "id")[:RETRY_BATCH]
        )
        for pending in due:
            if _publish(pending):
                published += 1
            elif pending.name in current_app.tasks:  # the broker is down: try next time
                break
    return published
