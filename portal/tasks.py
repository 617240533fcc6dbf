from celery import shared_task

from portal.models import Heartbeat


@shared_task
def record_heartbeat() -> None:
    """Scheduled by beat; /health/ reads the row to tell that beat and a worker are alive."""
    Heartbeat.record("beat")


@shared_task
def publish_pending_tasks() -> int:
    """Scheduled by beat: queue the tasks the broker refused when their change committed."""
    from portal.outbox import publish_pending

    return publish_pending()
