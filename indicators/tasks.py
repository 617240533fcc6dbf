from celery import shared_task


@shared_task
def refresh_indicators(trigger: str = "schedule") -> None:
    """Placeholder until the snapshot writer lands (indicators.services.refresh_snapshots)."""
