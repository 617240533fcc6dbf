from celery import shared_task

from portal.models import Heartbeat


@shared_task
def record_heartbeat() -> None:
    """Scheduled by beat; /health/ reads the row to tell that beat and a worker are alive."""
    Heartbeat.record("beat")
