"""manage.py import_ocds FILE [--organization ID] [--user EMAIL]: import an OCDS release package."""

import json

from django.core.management.base import BaseCommand, CommandError

from procurement.ocds import import_file


class Command(BaseCommand):
    help = (
        "Import an OCDS 1.1 release package (SEAO's included). Idempotent: processes are "
        "matched by ocid, awards by award id. Prints created / updated / skipped with reasons."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to a release package (JSON).")
        parser.add_argument(
            "--organization",
            type=int,
            help="Record everything for this organization (id) instead of matching buyers.",
        )
        parser.add_argument("--user", help="E-mail of the user named in the audit trail.")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args, **options):
        from portal.accounts.models import Organization, User

        organization = user = None
        if options["organization"] is not None:
            organization = Organization.objects.filter(pk=options["organization"]).first()
            if organization is None:
                raise CommandError(f"No organization with id {options['organization']}.")
        if options["user"]:
            user = User.objects.filter(email__iexact=options["user"]).first()
            if user is None:
                raise CommandError(f"No user with e-mail {options['user']}.")
        try:
            report = import_file(options["file"], organization=organization, by=user)
        except OSError as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc}") from exc
        if report.error:
            raise CommandError(report.error)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Releases read: {report.releases}")
        for bucket in ("created", "updated"):
            counts = getattr(report, bucket)
            detail = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items())) or "nothing"
            self.stdout.write(f"{bucket.capitalize()}: {detail}")
        self.stdout.write(f"Unchanged releases: {report.unchanged}")
        self.stdout.write(f"Skipped releases: {report.skipped_count}")
        for item in report.skipped:
            self.stdout.write(f"  #{item['position']} {item['ocid']}: {item['reason']}")
        if report.skipped_count > len(report.skipped):
            self.stdout.write(f"  … and {report.skipped_count - len(report.skipped)} more")
