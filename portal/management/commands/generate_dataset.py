"""Fill an empty database with a realistic, deterministic data set (issue #6)."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from portal.dataset import DatasetError, Generator


class Command(BaseCommand):
    help = (
        "Generate enterprises, organizations, procurement records and activities in an empty "
        "database (run migrate and load_reference_data first). Same seed and date, same rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=10_000)
        parser.add_argument("--organizations", type=int, default=100)
        parser.add_argument("--awards", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="Reference date YYYY-MM-DD: awards span the three years up to it (default today).",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        self.stdout.write(
            f"Generating {options['enterprises']} enterprises, {options['organizations']} "
            f"organizations and {options['awards']} awards (seed {options['seed']})…"
        )
        try:
            report = Generator(
                enterprises=options["enterprises"],
                organizations=options["organizations"],
                awards=options["awards"],
                seed=options["seed"],
                today=options["today"],
                echo=self.stdout.write,
            ).run()
        except DatasetError as error:
            raise CommandError(str(error)) from error
        for name, count in report.counts.items():
            self.stdout.write(f"  {count:>10,} {name}".replace(",", " "))
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Data set generated in {elapsed:.1f} s."))
