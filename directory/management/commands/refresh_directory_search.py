from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from directory.search import refresh_search_documents
from directory.tally import facet_tally_differences, rebuild_facet_tally


class Command(BaseCommand):
    help = (
        "Rebuild what the directory's search derives from the enterprises: their search "
        "documents and (PostgreSQL) facet keys, then the facet tally. Run it after loaddata "
        "(SECURITY.md) or any write that bypassed the portal."
    )

    def handle(self, *args, **options):
        count = refresh_search_documents()
        with transaction.atomic():
            keys = rebuild_facet_tally()
        self.stdout.write(f"{count} enterprises indexed, {keys} facet keys counted.")
        if facet_tally_differences():
            raise CommandError("The facet tally still differs from the enterprises.")
