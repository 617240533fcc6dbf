"""The benchmark harness: operations, their context, timing, and the BENCHMARKS.md report.

An area module (`benchmarks/search.py`, `indicators.py`, `imports.py`, `load.py`) exposes
`operations(ctx) -> list[Operation]`. Each operation has an `app` callable (the portal doing
the work: a Django test-client request, a service call…) and, when it makes sense, a `sql`
callable doing the same work with the best hand-written SQL on the same database. The harness
runs each `warmup` times, then `repeat` timed times (wall clock, `time.perf_counter`), then once
more under `tracemalloc` for the peak Python memory of the call.

Units: "ms" and "s" time the call. An operation that measures itself (throughput, load)
returns a `Measured` from its callable; its `value` is then taken instead of the wall clock
(e.g. releases/s). A callable returning an HTTP response with status >= 400 counts as an error:
a fast 404 is not a result.
"""

from __future__ import annotations

import importlib
import math
import os
import platform
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

AREA_MODULES = [
    "benchmarks.search",
    "benchmarks.indicators",
    "benchmarks.imports",
    "benchmarks.load",
]

# Data-set sizes (issue #6). "tiny" is for the test suite only.
SIZES = {
    "tiny": {"enterprises": 200, "organizations": 6, "awards": 1_000},
    "small": {"enterprises": 10_000, "organizations": 100, "awards": 100_000},
    "large": {"enterprises": 100_000, "organizations": 500, "awards": 1_000_000},
}
SEED = 6

TIME_UNITS = {"ms": 1000.0, "s": 1.0}


@dataclass
class Operation:
    name: str  # e.g. "Directory search, HTML (text + 2 filters + facets)"
    app: Callable[[], object]  # the portal doing the work (test-client request, service call…)
    sql: Callable[[], object] | None  # the same work by the best hand-written SQL (psycopg cursor)
    repeat: int = 50  # timed runs (p50/p95/max computed over these)
    warmup: int = 3
    unit: str = "ms"  # or "releases/s", "s"…
    note: str = ""  # what bounds this number (goes into BENCHMARKS.md)


@dataclass
class Measured:
    """Returned by a callable that measures itself: `value` is in the operation's unit."""

    value: float
    errors: int = 0
    details: str = ""  # e.g. "p99 41 ms, 0 non-2xx, 0 socket errors"
    memory: bool = True  # False: no extra tracemalloc run (the work is in another process)


@dataclass
class BenchContext:
    size: str  # "tiny", "small" or "large"
    client: object  # django.test.Client logged in as a coordinator
    officer_client: object  # logged in as an officer of `organization_id`
    organization_id: int  # a real organization with data
    words: list[str]  # realistic search words present in the data set
    region_code: str
    sector_code: str
    category_id: int
    today: date
    database_url: str = ""  # the bench database (for subprocesses: gunicorn, manage.py)
    workdir: Path = field(default_factory=lambda: Path("var/bench"))  # scratch files

    def cursor(self):
        """A raw psycopg cursor on the same database and connection as the portal."""
        from django.db import connection

        connection.ensure_connection()
        return connection.connection.cursor()


@dataclass
class Stats:
    p50: float | None = None
    p95: float | None = None
    max: float | None = None
    peak_kib: float | None = None
    runs: int = 0
    errors: int = 0
    error: str = ""
    details: str = ""


@dataclass
class Result:
    area: str
    name: str
    unit: str
    note: str
    app: Stats
    sql: Stats | None

    @property
    def ratio(self) -> float | None:
        """App over SQL at p95 (for rates: SQL over app, so > 1 always means slower)."""
        if not self.sql or not self.app.p95 or not self.sql.p95:
            return None
        if self.unit in TIME_UNITS:
            return self.app.p95 / self.sql.p95
        return self.sql.p95 / self.app.p95

    def to_dict(self) -> dict:
        return {**asdict(self), "ratio": self.ratio}

    @classmethod
    def from_dict(cls, data: dict) -> Result:
        data = {key: value for key, value in data.items() if key != "ratio"}
        data["app"] = Stats(**data["app"])
        data["sql"] = Stats(**data["sql"]) if data["sql"] else None
        return cls(**data)


# --- Timing ---------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 50 runs is the 48th smallest)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def _call(function: Callable[[], object]) -> object:
    outcome = function()
    status = getattr(outcome, "status_code", None)
    if status is not None and status >= 400:
        raise RuntimeError(f"HTTP {status}")
    return outcome


def measure(function: Callable[[], object], *, unit: str, repeat: int, warmup: int) -> Stats:
    stats = Stats()
    values: list[float] = []
    details = ""
    trace_memory = True
    try:
        for _ in range(warmup):
            _call(function)
        for _ in range(max(1, repeat)):
            start = time.perf_counter()
            outcome = _call(function)
            elapsed = time.perf_counter() - start
            if isinstance(outcome, Measured):
                values.append(outcome.value)
                stats.errors += outcome.errors
                details = outcome.details
                trace_memory = trace_memory and outcome.memory
            elif unit in TIME_UNITS:
                values.append(elapsed * TIME_UNITS[unit])
            else:
                raise TypeError(f"A '{unit}' operation must return Measured.")
        if trace_memory:
            tracemalloc.start()
            try:
                _call(function)
                stats.peak_kib = tracemalloc.get_traced_memory()[1] / 1024
            finally:
                tracemalloc.stop()
    except Exception as error:  # a broken operation is reported, the run goes on
        stats.error = f"{type(error).__name__}: {error}"[:300]
        if not values:
            return stats
    stats.runs = len(values)
    stats.details = details
    if unit in TIME_UNITS:
        stats.p50, stats.p95, stats.max = (
            percentile(values, 0.5),
            percentile(values, 0.95),
            max(values),
        )
    else:
        # A rate: the slow tail is the low values (p95 = the rate 95 % of runs reach).
        stats.p50, stats.p95, stats.max = (
            percentile(values, 0.5),
            percentile(values, 0.05),
            min(values),
        )
    return stats


def run_operation(area: str, operation: Operation) -> Result:
    app = measure(
        operation.app, unit=operation.unit, repeat=operation.repeat, warmup=operation.warmup
    )
    sql = None
    if operation.sql is not None:
        sql = measure(
            operation.sql, unit=operation.unit, repeat=operation.repeat, warmup=operation.warmup
        )
    return Result(area, operation.name, operation.unit, operation.note, app, sql)


def collect_operations(ctx: BenchContext, only: str = "") -> list[tuple[str, Operation]]:
    """Every area module's operations; a module not written yet is skipped."""
    collected = []
    areas = [name.rsplit(".", 1)[-1] for name in AREA_MODULES]
    # `--only imports` builds the operations of that area alone (others may be costly to set up).
    only_areas = [area for area in areas if only and only.lower() in area]
    for module_name, area in zip(AREA_MODULES, areas, strict=True):
        if only_areas and area not in only_areas:
            continue
        try:
            module = importlib.import_module(module_name)
            operations = module.operations(ctx)
        except ModuleNotFoundError as error:
            if error.name == module_name:
                continue  # an area not written yet
            operations = [_broken(module_name, error)]
        except Exception as error:  # one broken area must not hide the others' numbers
            operations = [_broken(module_name, error)]
        if only_areas:
            collected += [(area, operation) for operation in operations]
            continue
        for operation in operations:
            if only and only.lower() not in f"{area} {operation.name}".lower():
                continue
            collected.append((area, operation))
    return collected


def _broken(module_name: str, error: Exception) -> Operation:
    message = f"{type(error).__name__}: {error}"[:300]

    def fail():
        raise RuntimeError(f"operations() failed: {message}")

    return Operation(name=f"{module_name}.operations()", app=fail, sql=None, repeat=1, warmup=0)


def run_all(ctx: BenchContext, only: str = "", echo: Callable[[str], None] | None = None):
    results = []
    try:
        for area, operation in collect_operations(ctx, only):
            if echo:
                echo(f"  [{ctx.size}] {area}: {operation.name} …")
            result = run_operation(area, operation)
            if echo:
                echo("    " + _short(result))
            results.append(result)
    finally:
        close_areas()
    return results


def close_areas() -> None:
    """Let area modules stop what they started (servers): their optional `close()`."""
    for module_name in AREA_MODULES:
        module = sys.modules.get(module_name)
        if module is not None and hasattr(module, "close"):
            module.close()


def _short(result: Result) -> str:
    def one(stats):
        if stats is None:
            return "—"
        if stats.error and stats.p50 is None:
            return f"ERROR {stats.error}"
        return f"p50 {_fmt(stats.p50)} p95 {_fmt(stats.p95)} {result.unit}"

    ratio = f" ×{result.ratio:.2f}" if result.ratio else ""
    return f"app {one(result.app)} | sql {one(result.sql)}{ratio}"


# --- Context --------------------------------------------------------------------------------


def build_context(size: str, *, today: date | None = None, database_url: str = "") -> BenchContext:
    """Pick the actors and samples of a generated data set (Django must be set up)."""
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from portal.accounts.models import Membership, User
    from portal.dataset import SEARCH_WORDS

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT organization_id FROM procurement_award GROUP BY organization_id "
            "ORDER BY count(*) DESC, organization_id LIMIT 1"
        )
        organization_id = cursor.fetchone()[0]
        cursor.execute(
            "SELECT region_id FROM directory_enterprise WHERE region_id IS NOT NULL "
            "GROUP BY region_id ORDER BY count(*) DESC, region_id LIMIT 1"
        )
        region_code = cursor.fetchone()[0]
        cursor.execute(
            "SELECT primary_sector_id FROM directory_enterprise "
            "WHERE primary_sector_id IS NOT NULL "
            "GROUP BY primary_sector_id ORDER BY count(*) DESC, primary_sector_id LIMIT 1"
        )
        sector_code = cursor.fetchone()[0]
        cursor.execute(
            "SELECT category_id FROM directory_offering GROUP BY category_id "
            "ORDER BY count(*) DESC, category_id LIMIT 1"
        )
        category_id = cursor.fetchone()[0]

    coordinator = User.objects.filter(is_coordinator=True, is_active=True).order_by("id").first()
    officer = (
        Membership.objects.filter(organization_id=organization_id, role=Membership.Role.OFFICER)
        .select_related("user")
        .order_by("id")
        .first()
        .user
    )
    client = Client(HTTP_HOST="testserver")
    client.force_login(coordinator)
    officer_client = Client(HTTP_HOST="testserver")
    officer_client.force_login(officer)
    if not database_url:
        database_url = _url_of(connection.settings_dict)
    workdir = Path(os.environ.get("BENCH_WORKDIR", "var/bench")).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    return BenchContext(
        size=size,
        client=client,
        officer_client=officer_client,
        organization_id=organization_id,
        words=list(SEARCH_WORDS[:6]),
        region_code=region_code,
        sector_code=sector_code,
        category_id=category_id,
        today=today or timezone.localdate(),
        database_url=database_url,
        workdir=workdir,
    )


def _url_of(settings_dict: dict) -> str:
    """postgres://user:password@host:port/name of a Django database (the test one included)."""
    from urllib.parse import quote

    user = quote(settings_dict.get("USER") or "")
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password)}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"


# --- Report ---------------------------------------------------------------------------------


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:,.0f}".replace(",", " ")
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _mem(stats: Stats | None) -> str:
    if stats is None or stats.peak_kib is None:
        return "—"
    if stats.peak_kib >= 1024:
        return f"{stats.peak_kib / 1024:.1f} MiB"
    return f"{stats.peak_kib:.0f} KiB"


def machine_info(database_url: str = "") -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    postgres = ""
    try:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            postgres = cursor.fetchone()[0]
    except Exception:  # report without it rather than fail
        postgres = "unknown"
    commit = _git("rev-parse", "--short", "HEAD")
    dirty = _git("status", "--porcelain", "--untracked-files=no")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram": ram,
        "postgres": postgres,
        "python": platform.python_version(),
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "load": " ".join(f"{value:.2f}" for value in os.getloadavg()),
        "started": f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
    }


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], capture_output=True, text=True, check=False, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def target_of(result: Result) -> str | None:
    """The issue-#6 target an operation is held to (by area and name), if any."""
    name = result.name.lower()
    if result.area == "search":
        return "Search p95 ≤ 50 ms at the large size, within 1.5× of raw SQL"
    if result.area == "indicators" and name.startswith("full indicator refresh"):
        return "Full indicator refresh ≤ 30 s at 1 000 000 awards"
    snapshot_read = ("dashboard" in name or "/api/indicators" in name) and "warming" not in name
    if result.area == "indicators" and snapshot_read and "live" not in name:
        return "Dashboard p95 ≤ 30 ms, flat from small to large"
    if result.area == "imports" and "ocds" in name and "memory" not in name:
        return "OCDS import ≥ 1 000 releases/s with flat memory"
    if result.area == "imports" and "csv" in name:
        return "CSV import of 100 000 enterprises ≤ 60 s"
    if result.area == "load":
        return "Zero errors under load"
    return None


def _in_ms(stats: Stats, unit: str) -> float | None:
    if stats.p95 is None:
        return None
    return stats.p95 * 1000 if unit == "s" else stats.p95


def check_target(area: str, result: Result, by_size: dict[str, Result]) -> tuple[bool, str]:
    """One result against its issue-#6 target: (met, how far)."""
    name = result.name.lower()
    app = result.app
    if app.p95 is None:
        return False, f"no measurement ({app.error})"
    if area == "search":
        p95 = _in_ms(app, result.unit)
        ratio = result.ratio
        met = p95 <= 50 and (ratio is None or ratio <= 1.5)
        text = f"p95 {_fmt(p95)} ms (target 50 ms)"
        if ratio is not None:
            text += f", {ratio:.2f}× raw SQL (target 1.5×)"
        return met, text
    if area == "indicators" and name.startswith("full indicator refresh"):
        seconds = app.p95 / 1000 if result.unit == "ms" else app.p95
        return seconds <= 30, f"{_fmt(seconds)} s (target 30 s)"
    if area == "indicators" and ("dashboard" in name or "/api/indicators" in name):
        p95 = _in_ms(app, result.unit)
        small = by_size.get("small")
        growth = ""
        flat = True
        if small and small is not result and small.app.p95:
            factor = p95 / _in_ms(small.app, small.unit)
            growth = f", ×{factor:.2f} from small"
            flat = factor <= 1.5
        return p95 <= 30 and flat, f"p95 {_fmt(p95)} ms (target 30 ms){growth}"
    if area == "imports" and "ocds" in name and result.unit.endswith("/s"):
        text = f"{_fmt(app.p50)} {result.unit} (target 1 000), peak memory {_mem(app)}"
        quarter = next(
            (r for r in by_size.get("_same_size", []) if "memory" in r.name.lower()), None
        )
        if quarter is not None and quarter is not result:
            text += f" vs {_mem(quarter.app)} on the quarter-size file"
        return app.p50 >= 1000, text
    if area == "imports" and "csv" in name:
        seconds = app.p50 / 1000 if result.unit == "ms" else app.p50
        if result.unit.endswith("/s"):
            seconds = 100_000 / app.p50
        return seconds <= 60, f"{_fmt(seconds)} s for 100 000 (target 60 s)"
    if area == "load":
        return app.errors == 0, f"{app.errors} errors"
    return True, ""


def render_table(results_by_size: dict[str, list[Result]]) -> str:
    sizes = list(results_by_size)
    header = ["Operation", "unit"]
    for size in sizes:
        header += [
            f"{size} app p50",
            f"{size} app p95",
            f"{size} app max",
            f"{size} SQL p50",
            f"{size} SQL p95",
            f"{size} ratio",
            f"{size} app mem",
        ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    keys = []
    for results in results_by_size.values():
        for result in results:
            if (result.area, result.name) not in keys:
                keys.append((result.area, result.name))
    for area, name in keys:
        unit = ""
        cells = []
        for size in sizes:
            result = next(
                (r for r in results_by_size[size] if (r.area, r.name) == (area, name)), None
            )
            if result is None:
                cells += ["—"] * 7
                continue
            unit = result.unit
            app, sql = result.app, result.sql
            if app.p50 is None:
                cells += [f"error: {app.error}"] + ["—"] * 6
                continue
            cells += [
                _fmt(app.p50),
                _fmt(app.p95),
                _fmt(app.max),
                _fmt(sql.p50) if sql else "—",
                _fmt(sql.p95) if sql else "—",
                f"{result.ratio:.2f}×" if result.ratio else "—",
                _mem(app) + (f" (SQL {_mem(sql)})" if sql else ""),
            ]
        lines.append("| " + " | ".join([f"{area}: {name}", unit, *cells]) + " |")
    return "\n".join(lines)


def render_markdown(
    results_by_size: dict[str, list[Result]],
    *,
    machine: dict,
    parameters: dict[str, dict],
    generation: dict[str, str] | None = None,
    extra_text: str = "",
) -> str:
    parts = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`benchmarks/run.py`): every operation of every area module at "
        "each data-set size, the portal (`app`) beside the same work done by hand-written SQL on "
        "the same database in the same run (`SQL`). Times are server-side wall clock "
        "(in-process Django test client or service call, `time.perf_counter`), p50 / p95 / max "
        "over the runs; for rates (…/s) the p95 column is the rate 95 % of runs reach and max is "
        "the worst run. Ratio = app p95 / SQL p95. Memory = peak Python allocation during one "
        "extra run (tracemalloc), not the database's memory.",
        "",
        "## Machine",
        "",
        # When the run started; a report written later (--report-only) keeps that date.
        f"- Date: {machine.get('started') or f'{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}'}",
        f"- Commit: {machine.get('commit')}",
        f"- CPU: {machine.get('cpu')}, {machine.get('cores')} cores; RAM {machine.get('ram')}",
        f"- PostgreSQL {machine.get('postgres')}; Python {machine.get('python')}",
        f"- Load average at the start: {machine.get('load')} (the machine is shared: "
        "absolute times are inflated by other work, ratios much less so)",
        "",
        "## Data sets",
        "",
    ]
    for size, params in parameters.items():
        made = (generation or {}).get(size, "")
        counts = ", ".join(
            f"{params[key]:,} {key}".replace(",", " ")
            for key in ("enterprises", "organizations", "awards")
        )
        parts.append(
            f"- **{size}**: {counts}, seed {params.get('seed', SEED)}"
            + (f" — {made}" if made else "")
        )
    parts += ["", "## Results", "", render_table(results_by_size), ""]

    # Targets
    parts += ["## Targets of issue #6", ""]
    latest: dict[tuple, tuple[str, Result]] = {}  # each operation at the largest size run
    for size, results in results_by_size.items():
        for result in results:
            latest[(result.area, result.name)] = (size, result)
    for biggest, result in latest.values():
        by_size = {
            size: next((r for r in results if (r.area, r.name) == (result.area, result.name)), None)
            for size, results in results_by_size.items()
        }
        by_size["_same_size"] = results_by_size[biggest]
        target = target_of(result)
        if target is None:
            continue
        met, how = check_target(result.area, result, by_size)
        parts.append(
            f"- {'✅ met' if met else '❌ missed'} — {result.area}: {result.name} at {biggest}: "
            f"{how}. _{target}._"
        )
    parts.append("")

    # What bounds each number
    parts += ["## What bounds each number", ""]
    seen = set()
    for results in results_by_size.values():
        for result in results:
            if result.note and (result.area, result.name) not in seen:
                seen.add((result.area, result.name))
                parts.append(f"- **{result.area}: {result.name}** — {result.note}")
    if extra_text:
        parts += ["", extra_text.strip()]
    errors = [
        f"- {size} / {r.area}: {r.name}: app {r.app.error or 'ok'}"
        + (f", SQL {r.sql.error or 'ok'}" if r.sql else "")
        + (f" ({r.app.details})" if r.app.details else "")
        for size, results in results_by_size.items()
        for r in results
        if r.app.error or (r.sql and r.sql.error) or r.app.details
    ]
    if errors:
        parts += ["", "## Errors and details", "", *errors]
    return "\n".join(parts) + "\n"
