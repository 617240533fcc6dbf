from django.core.management.base import BaseCommand

from portal.reference.services import load_reference_data


class Command(BaseCommand):
    help = "Load regions, municipalities, SCIAN sectors and offering categories (idempotent)."

    def handle(self, *args, **options):
        report = load_reference_data()
        self.stdout.write(
            self.style.SUCCESS(
                f"Reference data loaded: {report.regions} regions, "
                f"{report.municipalities} municipalities, {report.sectors} sectors, "
                f"{report.categories} categories."
            )
        )
