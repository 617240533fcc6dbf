from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.services import import_enterprises


class Command(BaseCommand):
    help = (
        "Import enterprises from a CSV file (format: docs/import-format.md). Dry run unless "
        "--commit is given; with --commit nothing is written when any line is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the CSV file (UTF-8)")
        parser.add_argument(
            "--commit", action="store_true", help="write the changes (default: dry run)"
        )
        parser.add_argument(
            "--user", help="e-mail of the coordinator recorded as the author of the changes"
        )

    def handle(self, *args, **options):
        by = None
        if options["user"]:
            by = get_user_model().objects.filter(email__iexact=options["user"]).first()
            if by is None:
                raise CommandError(
                    _("No user has the e-mail address %(email)s.") % {"email": options["user"]}
                )
        try:
            source = open(options["file"], "rb")  # noqa: SIM115 - closed below
        except OSError as error:
            raise CommandError(str(error)) from error
        with source:
            report = import_enterprises(source=source, by=by, commit=options["commit"])

        for message in report.file_errors:
            self.stderr.write(message)
        for error in report.errors:
            column = f" [{error.column}]" if error.column else ""
            self.stderr.write(
                _("line %(line)s%(column)s: %(message)s")
                % {"line": error.line, "column": column, "message": error.message}
            )
        if report.more_errors:
            self.stderr.write(
                ngettext(
                    "… and %(count)s more error.",
                    "… and %(count)s more errors.",
                    report.more_errors,
                )
                % {"count": report.more_errors}
            )
        if report.ignored_columns:
            self.stdout.write(
                _("Ignored columns: %(columns)s") % {"columns": ", ".join(report.ignored_columns)}
            )
        self.stdout.write(
            _(
                "%(rows)s lines read: %(created)s created, %(updated)s updated, "
                "%(unchanged)s unchanged."
            )
            % {
                "rows": report.rows,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            }
        )
        if not report.ok:
            raise CommandError(
                ngettext(
                    "%(count)s problem found: nothing was imported.",
                    "%(count)s problems found: nothing was imported.",
                    report.problem_count,
                )
                % {"count": report.problem_count}
            )
        if report.committed:
            self.stdout.write(self.style.SUCCESS(_("Import committed.")))
        else:
            self.stdout.write(_("Dry run: nothing was written. Run again with --commit to import."))
