"""`make bench`: time every area module's operations at two data-set sizes, write BENCHMARKS.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal .venv/bin/python benchmarks/run.py \
        [--sizes small,large] [--only search] [--output BENCHMARKS.md]

For each size the data set lives in its own database, `<db>_bench_<size>`, derived from
DATABASE_URL. It is generated once (migrate, load_reference_data, generate_dataset) and reused
while its parameters — kept in the database's comment — are the same; migrations are applied
on every run so new indexes count. Each size runs in a child process (Django is configured
once per process, with `benchmarks.settings`), which writes its results as JSON; the parent
prints the table and writes the report.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.harness import SEED, SIZES  # noqa: E402

PYTHON = sys.executable


def database_url_for(base_url: str, size: str) -> str:
    parts = urlsplit(base_url)
    name = parts.path.lstrip("/") or "portal"
    return urlunsplit(parts._replace(path=f"/{name}_bench_{size}"))


def _admin_connection(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    )


def _database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _comment(parameters: dict) -> str:
    return "generate_dataset " + " ".join(f"{key}={value}" for key, value in parameters.items())


def _manage(url: str, *args: str, echo=print) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    for line in result.stdout.splitlines():
        if line.strip():
            echo("    " + line)


def _vacuum(url: str) -> None:
    """What autovacuum does in time on a live database, now: the rolled-back import runs of
    an earlier benchmark leave 100 000 dead enterprise rows (and their index entries) that
    every search would otherwise step over; VACUUM removes them and truncates the table."""
    parts = urlsplit(url)
    import psycopg

    with psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname=_database_name(url),
        autocommit=True,
    ) as connection:
        connection.execute("VACUUM (ANALYZE)")


def ensure_dataset(url: str, size: str, *, echo=print) -> tuple[dict, str]:
    """Create or reuse the data set of `size` in the database of `url`: (parameters, how)."""
    parameters = {**SIZES[size], "seed": SEED}
    wanted = _comment(parameters)
    name = _database_name(url)
    with _admin_connection(url) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
        if row and row[0] and row[0].startswith(wanted + " complete"):
            echo(f"  {size}: reusing {name} ({row[0]})")
            _manage(url, "migrate", "--noinput", "-v0", echo=echo)
            _vacuum(url)
            return parameters, "reused: " + row[0].split(" complete ", 1)[1]
        if row and not (row[0] or "").startswith("generate_dataset "):
            raise SystemExit(
                f"{name} exists but was not made by benchmarks/run.py (no data-set comment). "
                f"Drop it, or mark a copy of a bench database as reusable with: "
                f"COMMENT ON DATABASE \"{name}\" IS '<the source database's comment>'"
            )
        if row:
            echo(f"  {size}: {name} holds another data set; dropping it")
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    echo(f"  {size}: generating {wanted} in {name}")
    started = time.perf_counter()
    _manage(url, "migrate", "--noinput", "-v0", echo=echo)
    _manage(url, "load_reference_data", echo=echo)
    _manage(
        url,
        "generate_dataset",
        f"--enterprises={parameters['enterprises']}",
        f"--organizations={parameters['organizations']}",
        f"--awards={parameters['awards']}",
        f"--seed={parameters['seed']}",
        echo=echo,
    )
    elapsed = time.perf_counter() - started
    how = f"generated in {elapsed:.0f} s on {time.strftime('%Y-%m-%d')}"
    with _admin_connection(url) as admin:
        comment = f"{wanted} complete {how}".replace("'", "")
        admin.execute(f"COMMENT ON DATABASE \"{name}\" IS '{comment}'")
    return parameters, how


def run_child(size: str, url: str, only: str, output: Path) -> None:
    """In a fresh process: set Django up on the bench database and time every operation."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from benchmarks.harness import build_context, machine_info, run_all

    ctx = build_context(size, database_url=url)
    # As a web worker starts (portal.wsgi): what the process holds now is out of the
    # garbage collector's sight, so a full collection does not walk it during a request.
    import portal.wsgi  # noqa: F401

    results = run_all(ctx, only, echo=lambda line: print(line, flush=True))
    output.write_text(
        json.dumps(
            {"machine": machine_info(url), "results": [r.to_dict() for r in results]},
            ensure_ascii=False,
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="small,large", help="comma-separated: tiny,small,large")
    parser.add_argument("--only", default="", help="only operations whose name contains this")
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"))
    parser.add_argument("--prepare-only", action="store_true", help="make the data sets, stop")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite the report from the last run's results (var/bench/results-<size>.json)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)  # size, in the child process
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        print("Benchmarks need PostgreSQL: set DATABASE_URL=postgres://…", file=sys.stderr)
        return 2
    if args.child:
        run_child(args.child, base_url, args.only, Path(args.json))
        return 0

    sizes = [size.strip() for size in args.sizes.split(",") if size.strip()]
    unknown = [size for size in sizes if size not in SIZES]
    if unknown:
        print(f"Unknown sizes: {', '.join(unknown)} (choose from {', '.join(SIZES)})")
        return 2

    parameters, generation = {}, {}
    if args.report_only:
        parameters = {size: {**SIZES[size], "seed": SEED} for size in sizes}
        for size in sizes:
            url = database_url_for(base_url, size)
            with _admin_connection(url) as admin:
                row = admin.execute(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                    "WHERE datname = %s",
                    [_database_name(url)],
                ).fetchone()
            if row and row[0] and " complete " in row[0]:
                generation[size] = row[0].split(" complete ", 1)[1]
    else:
        print("Data sets:")
        for size in sizes:
            url = database_url_for(base_url, size)
            parameters[size], generation[size] = ensure_dataset(url, size)
    if args.prepare_only:
        return 0

    from benchmarks.harness import Result, render_markdown, render_table

    results_by_size: dict[str, list[Result]] = {}
    machine: dict = {}
    for size in sizes:
        url = database_url_for(base_url, size)
        json_path = ROOT / "var" / "bench" / f"results-{size}.json"
        json_path.parent.mkdir(parents=True, exist_ok=True)
        if args.report_only:
            data = json.loads(json_path.read_text())
            machine = machine or data["machine"]
            results_by_size[size] = [Result.from_dict(item) for item in data["results"]]
            continue
        print(f"Running the operations at size {size} ({_database_name(url)}):", flush=True)
        env = {**os.environ, "DATABASE_URL": url}
        command = [PYTHON, str(Path(__file__).resolve()), "--child", size, "--json", str(json_path)]
        if args.only:
            command += ["--only", args.only]
        completed = subprocess.run(command, cwd=ROOT, env=env)
        if completed.returncode != 0:
            print(f"The run at size {size} failed (exit {completed.returncode}).")
            return completed.returncode
        data = json.loads(json_path.read_text())
        machine = machine or data["machine"]
        results_by_size[size] = [Result.from_dict(item) for item in data["results"]]

    print()
    print(render_table(results_by_size))
    report = render_markdown(
        results_by_size,
        machine=machine,
        parameters=parameters,
        generation=generation,
        extra_text=_extra_text(),
    )
    Path(args.output).write_text(report)
    print(f"\nWritten to {args.output}")
    return 0


def _extra_text() -> str:
    path = ROOT / "benchmarks" / "NOTES.md"
    return path.read_text() if path.exists() else ""


if __name__ == "__main__":
    sys.exit(main())
