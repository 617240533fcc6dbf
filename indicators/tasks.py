from celery import shared_task

from indicators import services, warm
from indicators.models import Snapshot


@shared_task
def refresh_indicators(trigger: str = "schedule") -> int:
    """Compute and write a new indicator snapshot (beat, debounced changes, refresh button).

    No retry: a failed refresh leaves the previous snapshot in place and the beat schedule
    runs the next one.
    """
    # Changes committed from now on are not covered by this run: let them queue the next.
    services.clear_pending(trigger=trigger)
    return services.refresh_snapshot(trigger=trigger).pk


@shared_task
def prune_old_snapshots() -> int:
    """Delete all but the latest complete snapshots (queued by each refresh once its
    snapshot is committed); the number of rows deleted."""
    return services.prune_snapshots()


@shared_task
def warm_dashboards(snapshot_id: int) -> int:
    """Render a new snapshot's default dashboards into the cache (queued by the refresh once
    its snapshot is committed); the number of scopes warmed. Never raises."""
    snapshot = Snapshot.objects.filter(pk=snapshot_id, status=Snapshot.Status.COMPLETE).first()
    return warm.warm_dashboards(snapshot) if snapshot else 0
