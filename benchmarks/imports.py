"""Imports: an OCDS release package of ~20 MB and a CSV file of 100 000 enterprises.

Each run imports into a transaction that is rolled back at the end, so every run does the
same work on the same data set (and the bench database is left as it was). The raw-SQL
comparison reads the same file and COPYs the same rows (one process and one award per
release; one enterprise per line) into the same kind of tables — the physical limit of
getting those bytes into PostgreSQL, without the portal's matching, validation and
idempotency.
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

from benchmarks.harness import BenchContext, Measured, Operation

OCDS_SAMPLE = Path("/work/shared/data/ocds/samples/seao-hebdo-20260914-20260920-first204.json")
OCDS_TARGET_BYTES = 20 * 1024 * 1024
CSV_ROWS = {"tiny": 300, "small": 100_000, "large": 100_000}


class _Rollback(Exception):
    pass


def _rolled_back(function):
    """Run `function` in a transaction that is always rolled back; return its result."""
    from django.db import transaction

    outcome = None
    try:
        with transaction.atomic():
            outcome = function()
            raise _Rollback
    except _Rollback:
        pass
    return outcome


# --- OCDS --------------------------------------------------------------------------------------


def build_ocds_file(path: Path, *, target_bytes: int) -> int:
    """Replicate the real SEAO sample with new ids up to `target_bytes`; return the releases."""
    sample = json.loads(OCDS_SAMPLE.read_text(encoding="utf-8"))
    releases = sample.pop("releases")
    header = json.dumps(sample, ensure_ascii=False)[:-1]  # without the closing brace
    written = count = copy = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(header + ', "releases": [\n')
        written += len(header)
        first = True
        while written < target_bytes or copy == 0:
            for release in releases:
                clone = dict(release)
                clone["ocid"] = f"{release['ocid']}-b{copy}"
                clone["id"] = f"{release['id']}-b{copy}"
                text = json.dumps(clone, ensure_ascii=False)
                out.write(("" if first else ",\n") + text)
                first = False
                written += len(text.encode("utf-8")) + 2
                count += 1
            copy += 1
        out.write("\n]}\n")
    return count


def _ocds_file(ctx: BenchContext, megabytes: float) -> tuple[Path, int]:
    target = int(megabytes * 1024 * 1024) if ctx.size != "tiny" else 1
    path = ctx.workdir / f"ocds-{ctx.size}-{megabytes:g}mb.json"
    count_path = path.with_suffix(".count")
    if not path.exists() or not count_path.exists():
        count_path.write_text(str(build_ocds_file(path, target_bytes=target)))
    return path, int(count_path.read_text())


def _ocds_app(path: Path, releases: int):
    def run():
        from procurement.ocds import import_file

        started = time.perf_counter()
        report = _rolled_back(lambda: import_file(str(path)))
        elapsed = time.perf_counter() - started
        errors = report.skipped_count + (1 if report.error else 0)
        created = ", ".join(f"{kind} {n}" for kind, n in sorted(report.created.items()))
        return Measured(
            releases / elapsed,
            errors=errors,
            details=f"{releases} releases, created {created}, skipped {report.skipped_count}",
        )

    return run


def _ocds_rows(path: Path):
    import ijson

    with path.open("rb") as stream:
        for release in ijson.items(stream, "releases.item"):
            tender = release.get("tender") or {}
            buyer = (release.get("buyer") or {}).get("name", "")
            yield (
                "process",
                (
                    release["ocid"],
                    (tender.get("title") or "")[:300],
                    tender.get("procurementMethod") or "",
                    buyer,
                    release.get("date", "")[:10] or None,
                ),
            )
            for award in release.get("awards") or []:
                value = (award.get("value") or {}).get("amount")
                supplier = ((award.get("suppliers") or [{}])[0]).get("name", "")
                yield (
                    "award",
                    (
                        release["ocid"],
                        str(award.get("id", "")),
                        supplier,
                        (award.get("date") or release.get("date", ""))[:10] or None,
                        value,
                    ),
                )


def _ocds_sql(ctx: BenchContext, path: Path, releases: int):
    def run():
        def work():
            with ctx.cursor() as cursor:
                cursor.execute(
                    "CREATE TEMP TABLE bench_process (ocid text, title text, method text, "
                    "buyer text, published date) ON COMMIT DROP; "
                    "CREATE TEMP TABLE bench_award (ocid text, award_id text, supplier text, "
                    "awarded date, amount numeric(12, 2)) ON COMMIT DROP"
                )
                awards = []  # one COPY at a time on a connection: awards follow
                with cursor.copy("COPY bench_process FROM STDIN") as copy:
                    for kind, row in _ocds_rows(path):
                        if kind == "process":
                            copy.write_row(row)
                        else:
                            awards.append(row)
                with cursor.copy("COPY bench_award FROM STDIN") as copy:
                    for row in awards:
                        copy.write_row(row)

        started = time.perf_counter()
        _rolled_back(work)
        return Measured(releases / (time.perf_counter() - started))

    return run


# --- CSV ---------------------------------------------------------------------------------------

CSV_HEADER = [
    "neq", "name", "legal_form", "region_code", "municipality", "postal_code", "email",
    "website", "sectors", "offerings", "status", "published",
]  # fmt: skip


def build_csv_file(path: Path, rows: int) -> None:
    """`rows` new enterprises (NEQs starting with 22, unused by the data set), valid lines."""
    from portal.reference.models import Category, Municipality, Sector

    municipalities = list(
        Municipality.objects.order_by("code").values_list("code", "region_id", "name")
    )
    categories = list(
        Category.objects.filter(parent__isnull=False)
        .order_by("slug")
        .values_list("slug", "name_fr")
    )
    sectors = list(
        Sector.objects.filter(level="subsector").order_by("code").values_list("code", flat=True)
    )
    forms = ["nonprofit", "coop_workers", "coop_solidarity", "other"]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_HEADER)
        for index in range(rows):
            code, region, place = municipalities[index % len(municipalities)]
            slug, category = categories[index % len(categories)]
            writer.writerow(
                [
                    f"22{index:08d}",
                    f"Coopérative importée {category} {place} {index}",
                    forms[index % len(forms)],
                    region,
                    code,
                    f"H2X {index % 10}A{index % 7}",
                    f"info{index}@importee.example",
                    f"https://importee{index}.example",
                    sectors[index % len(sectors)],
                    f"{slug}:{category}",
                    "verified" if index % 3 else "pending",
                    "yes" if index % 3 else "no",
                ]
            )


def _csv_file(ctx: BenchContext) -> tuple[Path, int]:
    rows = CSV_ROWS.get(ctx.size, 100_000)
    path = ctx.workdir / f"enterprises-{rows}.csv"
    if not path.exists():
        build_csv_file(path, rows)
    return path, rows


# What a CSV run writes. The bench server runs without autovacuum: the 100 000 rows that a
# rolled-back run leaves dead (with the NEQs and slugs the next run writes again) would slow
# every later run, and the searches of the load test. Measured: the import took 18 % more
# database CPU after one unvacuumed run than after a VACUUM. Each run starts and ends with one.
CSV_TABLES = (
    "directory_enterprise",
    "directory_enterprise_sectors",
    "directory_offering",
    "directory_historicalenterprise",
    "directory_historicaloffering",
    "directory_searchterm",
)


def _timed_on_clean_tables(work) -> tuple[float, object]:
    """Seconds `work` takes (rolled back) and its result, the CSV tables vacuumed around it."""
    from django.db import connection

    def vacuum():
        with connection.cursor() as cursor:
            cursor.execute("VACUUM " + ", ".join(CSV_TABLES))

    vacuum()
    started = time.perf_counter()
    outcome = _rolled_back(work)
    elapsed = time.perf_counter() - started
    vacuum()
    return elapsed, outcome


def _csv_app(ctx: BenchContext, path: Path, rows: int):
    def run():
        from directory.services import import_enterprises
        from portal.accounts.models import User

        coordinator = User.objects.filter(is_coordinator=True).order_by("id").first()

        def work():
            with path.open("rb") as source:
                return import_enterprises(source=source, by=coordinator, commit=True)

        elapsed, report = _timed_on_clean_tables(work)
        errors = len(report.errors) + len(report.file_errors)
        return Measured(
            elapsed, errors=errors, details=f"{rows} lines, {errors} errors", memory=False
        )

    return run


def _csv_sql(ctx: BenchContext, path: Path, rows: int):
    def run():
        def work():
            with ctx.cursor() as cursor:
                cursor.execute("SELECT coalesce(max(id), 0) FROM directory_enterprise")
                next_id = cursor.fetchone()[0] + 1
                columns = (
                    "id, name, other_names, slug, neq, legal_form, status, status_reason, "
                    "mission, description, region_id, municipality_id, address, postal_code, "
                    "website, email, phone, certifications, size_band, logo, is_published, "
                    "publication_consent_at, search_document, created_at, updated_at"
                )
                with (
                    path.open(encoding="utf-8", newline="") as source,
                    cursor.copy(f"COPY directory_enterprise ({columns}) FROM STDIN") as copy,
                ):
                    reader = csv.reader(source)
                    next(reader)
                    now = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime())
                    for number, line in enumerate(reader):
                        neq, name, form, region, code, postal, email, site, _, offer, st, pub = line
                        published = pub == "yes"
                        copy.write_row(
                            (
                                next_id + number, name, "", f"importee-{neq}", neq, form, st,
                                "", "", "", region, code, "", postal, site, email, "", "", "",
                                "", published, now if published else None,
                                f"{name}\f{offer.split(':', 1)[1]}\f", now, now,
                            )
                        )  # fmt: skip

        elapsed, _outcome = _timed_on_clean_tables(work)
        return Measured(elapsed, memory=False)

    return run


# --- Operations --------------------------------------------------------------------------------


def operations(ctx: BenchContext) -> list[Operation]:
    big = 20 if ctx.size != "tiny" else 0.5
    ocds_path, ocds_releases = _ocds_file(ctx, big)
    quarter_path, quarter_releases = _ocds_file(ctx, big / 4)
    csv_path, csv_rows = _csv_file(ctx)
    megabytes = ocds_path.stat().st_size / 1024 / 1024
    # Long runs: one timed run each (plus one under tracemalloc for the OCDS memory peak).
    runs = {"repeat": 1, "warmup": 0}
    return [
        Operation(
            name=f"OCDS import, {megabytes:.0f} MB file ({ocds_releases} releases)",
            app=_ocds_app(ocds_path, ocds_releases),
            sql=_ocds_sql(ctx, ocds_path, ocds_releases),
            unit="releases/s",
            note=(
                "Streamed with ijson in batches of 500 releases, one transaction per batch: "
                "per batch a few bulk queries (match ocids, buyers and suppliers by NEQ or "
                "name, bulk inserts) plus the audit-trail rows; bounded by Python parsing and "
                "validation per release. Memory stays flat: compare the peak with the "
                "quarter-size file below. Raw SQL = ijson parse + COPY of one process row and "
                "one award row per release into temporary tables."
            ),
            **runs,
        ),
        Operation(
            name=f"OCDS import, quarter-size file ({quarter_releases} releases, memory check)",
            app=_ocds_app(quarter_path, quarter_releases),
            sql=None,
            unit="releases/s",
            note="The same import on a quarter of the file: peak memory should not grow with "
            "the file (streaming), only with the batch size.",
            **runs,
        ),
        Operation(
            name=f"CSV import of {csv_rows:,} enterprises (commit)".replace(",", " "),
            app=_csv_app(ctx, csv_path, csv_rows),
            sql=_csv_sql(ctx, csv_path, csv_rows),
            unit="s",
            note=(
                "One transaction, batches of 1 000 lines: parse and validate each line (NEQ, "
                "municipality, sectors, categories), look up existing NEQs, COPY the new "
                "enterprises and their offerings, sectors and history, then build their search "
                "documents and vocabulary; the facet tally's triggers add a row per key and "
                "statement, summed at the end (since H7). Raw SQL = csv parse + COPY of the "
                "same rows into directory_enterprise (no validation, no relations, no "
                "history; the table's triggers fire there too)."
            ),
            **runs,
        ),
    ]
