"""manage.py export_ocds --start YYYY-MM-DD --end YYYY-MM-DD [--organization ID] [--output FILE]."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from procurement.ocds import count_releases, write_package


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = (
        "Export the procurement records of a period as an OCDS 1.1 release package "
        "(bid and organizationClassification extensions), streamed to a file or stdout."
    )

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, help="First day (YYYY-MM-DD).")
        parser.add_argument("--end", required=True, help="Last day, included (YYYY-MM-DD).")
        parser.add_argument("--organization", type=int, help="Only this organization (id).")
        parser.add_argument("--output", help="File to write (default: standard output).")

    def handle(self, *args, **options):
        from portal.accounts.models import Organization

        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("The end of the period cannot precede its start.")
        organization_id = options["organization"]
        if (
            organization_id is not None
            and not Organization.objects.filter(pk=organization_id).exists()
        ):
            raise CommandError(f"No organization with id {organization_id}.")
        scope = {"start": start, "end": end, "organization_id": organization_id}
        if not count_releases(**scope):
            raise CommandError("Nothing to export: no process has a record in this period.")
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as out:
                count = write_package(out, **scope)
            self.stderr.write(f"{count} releases written to {options['output']}")
        else:
            # OutputWrapper ends each chunk with a newline: whitespace, still the same JSON.
            write_package(self.stdout, **scope)
