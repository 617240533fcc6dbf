from django.core.management.base import BaseCommand

from indicators.models import Snapshot
from indicators.services import refresh_snapshot


class Command(BaseCommand):
    help = "Compute every indicator for every scope and standard period now (synchronously)."

    def handle(self, *args, **options):
        snapshot = refresh_snapshot(trigger=Snapshot.Trigger.COMMAND)
        self.stdout.write(
            self.style.SUCCESS(
                f"Snapshot #{snapshot.pk}: {snapshot.measurements_count} measurements "
                f"in {snapshot.duration_ms / 1000:.2f} s."
            )
        )
