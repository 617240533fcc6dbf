"""The benchmark harness: a tiny run of every area module's operations, and the report."""

from io import StringIO

import pytest
from django.core.management import call_command

from benchmarks.harness import (
    BenchContext,
    Measured,
    Operation,
    Result,
    Stats,
    build_context,
    check_target,
    close_areas,
    collect_operations,
    measure,
    percentile,
    render_markdown,
    run_operation,
    target_of,
)
from benchmarks.load import parse_wrk
from portal.dataset import Generator

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8000/annuaire/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    40.12ms   10.01ms  120.00ms   70.00%
  Latency Distribution
     50%   38.50ms
     75%   45.00ms
     90%   52.00ms
     99%    1.20s
  3990 requests in 10.00s, 50.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    399.00
Transfer/sec:      5.00MB
"""


def test_percentiles_are_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.5) == 50
    assert percentile(values, 0.95) == 95
    assert percentile([7.0], 0.95) == 7


def test_wrk_output_gives_throughput_latency_and_every_error():
    result = parse_wrk(WRK_OUTPUT)
    assert result["requests_per_second"] == 399
    assert result["requests"] == 3990
    assert result["p50_ms"] == 38.5
    assert result["p99_ms"] == 1200
    assert result["non_2xx"] == 4
    assert result["socket_errors"] == 3


def test_a_failing_response_is_an_error_not_a_fast_result():
    class NotFound:
        status_code = 404

    stats = measure(lambda: NotFound(), unit="ms", repeat=3, warmup=0)
    assert stats.p50 is None
    assert stats.error == "RuntimeError: HTTP 404"


def test_a_self_measured_rate_is_taken_as_returned():
    stats = measure(lambda: Measured(1500.0, memory=False), unit="releases/s", repeat=2, warmup=0)
    assert stats.p50 == 1500
    assert stats.peak_kib is None


def test_a_missed_search_target_says_by_how_much():
    result = Result(
        "search", "Directory search, HTML", "ms", "", Stats(p50=40, p95=75, max=90), Stats(p95=30)
    )
    met, how = check_target("search", result, {"large": result})
    assert not met
    assert "p95 75.0 ms (target 50 ms)" in how
    assert "2.50× raw SQL" in how


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_every_operation_of_every_area_runs_once_at_size_tiny(tmp_path, monkeypatch):
    call_command("load_reference_data", stdout=StringIO())
    Generator(enterprises=200, organizations=6, awards=1000, seed=6).run()
    monkeypatch.setenv("BENCH_WORKDIR", str(tmp_path))
    ctx = build_context("tiny")
    assert isinstance(ctx, BenchContext)

    results = []
    try:
        for area, operation in collect_operations(ctx):
            assert isinstance(operation, Operation)
            operation.repeat, operation.warmup = 1, 0
            results.append(run_operation(area, operation))
    finally:
        close_areas()

    assert {"imports", "load"} <= {result.area for result in results}
    broken = [
        (result.name, result.app.error, result.sql.error if result.sql else "")
        for result in results
        if result.app.p50 is None
        or result.app.error
        or (result.sql and (result.sql.p50 is None or result.sql.error))
    ]
    assert broken == []
    assert [r.name for r in results if r.area == "load" and r.app.errors] == []

    output = tmp_path / "BENCHMARKS.md"
    output.write_text(
        render_markdown(
            {"tiny": results},
            machine={"cpu": "test", "cores": 2, "started": "2026-01-02 03:04 EST"},
            parameters={"tiny": {"enterprises": 200, "organizations": 6, "awards": 1000}},
        )
    )
    text = output.read_text()
    assert "## Targets of issue #6" in text
    assert "- Date: 2026-01-02 03:04 EST" in text  # the run's, however late the report
    assert all(result.name in text for result in results)


def test_a_broken_area_is_reported_and_the_others_still_run(monkeypatch):
    import sys
    import types

    from benchmarks import harness

    broken = types.ModuleType("fake_broken_area")
    broken.operations = lambda ctx: 1 / 0
    working = types.ModuleType("fake_working_area")
    working.operations = lambda ctx: [Operation("Quick", app=lambda: None, sql=None, repeat=2)]
    monkeypatch.setitem(sys.modules, "fake_broken_area", broken)
    monkeypatch.setitem(sys.modules, "fake_working_area", working)
    monkeypatch.setattr(harness, "AREA_MODULES", ["fake_broken_area", "fake_working_area"])

    results = harness.run_all(ctx=None)

    assert [r.name for r in results] == ["fake_broken_area.operations()", "Quick"]
    assert "ZeroDivisionError" in results[0].app.error
    assert results[1].app.p50 is not None


def test_only_the_full_refresh_is_held_to_the_refresh_target():
    def result(name):
        return Result("indicators", name, "s", "", Stats(p50=1.0, p95=1.0, max=1.0), None)

    assert target_of(result("Full indicator refresh")).startswith("Full indicator refresh")
    assert target_of(result("Indicators dashboard, HTML, first view after a refresh")).startswith(
        "Dashboard"
    )
    assert target_of(result("Dashboard warming after a refresh (worker task)")) is None
    assert target_of(result("Old snapshots deleted after a refresh (worker task)")) is None
