from django.core.management.base import BaseCommand

from portal.demo import DEMO_PASSWORD, load_demo_data


class Command(BaseCommand):
    help = "Load clearly fictional demo data (idempotent). Needs load_reference_data first."

    def handle(self, *args, **options):
        context = load_demo_data()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {len(context.organizations)} organizations, "
                f"{len(context.users)} demo accounts (password: {DEMO_PASSWORD})."
            )
        )
