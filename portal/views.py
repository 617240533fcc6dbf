import sys
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, OperationalError, connection
from django.db.models import Count, Min
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache

from portal.models import Heartbeat, PendingTask

BEAT_STALE_AFTER = timedelta(minutes=5)


def home(request):
    return render(request, "portal/home.html")


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except DatabaseError:
        return "unavailable"


def _broker_status() -> str:
    from portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:  # noqa: BLE001 - any failure means the broker is unreachable
        return "unavailable"


@never_cache
def health(request):
    """Database, broker and beat status, for operators and uptime probes."""
    database = _database_status()
    beat_at = Heartbeat.last("beat") if database == "ok" else None
    beat_ok = bool(beat_at and timezone.now() - beat_at < BEAT_STALE_AFTER)
    # Tasks the broker refused, waiting for the beat (portal.outbox): e-mails running late.
    pending = (
        PendingTask.objects.aggregate(count=Count("id"), oldest=Min("created_at"))
        if database == "ok"
        else {"count": 0, "oldest": None}
    )
    body = {
        "status": "ok" if database == "ok" else "unavailable",
        "database": database,
        "broker": _broker_status(),
        "broker_url_scheme": settings.CELERY_BROKER_URL.split(":", 1)[0],
        "beat": {"last_run": beat_at.isoformat() if beat_at else None, "alive": beat_ok},
        "pending_tasks": {
            "count": pending["count"],
            "oldest": pending["oldest"].isoformat() if pending["oldest"] else None,
        },
    }
    return JsonResponse(body, status=200 if database == "ok" else 503)


def server_error(request):
    """500 handler; an unreachable database gets the 503 page instead."""
    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError):
        return HttpResponse(render_to_string("503.html"), status=503)
    return HttpResponse(render_to_string("500.html"), status=500)
