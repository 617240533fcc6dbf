from celery import shared_task

from indicators import services


@shared_task
def refresh_indicators(trigger: str = "schedule") -> int:
    """Compute and write a new indicator snapshot (beat, debounced changes, refresh button).

    No retry: a failed refresh leaves the previous snapshot in place and the beat schedule
    runs the next one.
    """
    # Changes committed from now on are not covered by this run: let them queue the next.
    services.clear_pending(trigger=trigger)
    return services.refresh_snapshot(trigger=trigger).pk
