"""HTTP throughput and errors under concurrent load: gunicorn on 127.0.0.1, driven by wrk.

gunicorn runs the portal with `benchmarks.settings` on the bench database (2 sync workers: the
machine has 2 cores), on a free port; wrk runs for a bounded time with 2 threads and 16
connections. The numbers are the whole stack on one machine — wrk, gunicorn, Django and
PostgreSQL share the same 2 cores — so they are a floor for a real server, not a ceiling.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.harness import BenchContext, Measured, Operation

ROOT = Path(__file__).resolve().parent.parent
DURATION = {"tiny": 2, "small": 10, "large": 10}
_servers: list[Server] = []
CONNECTIONS = {"tiny": 4, "small": 16, "large": 16}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One gunicorn for the whole run, started on first use and stopped at exit."""

    def __init__(self, database_url: str, workers: int = 2):
        self.database_url = database_url
        self.workers = workers
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.log = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        if self.process and self.process.poll() is None:
            return
        self.port = free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "DATABASE_URL": self.database_url,
        }
        env.pop("REDIS_URL", None)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        log_path = ROOT / "var" / "bench" / "gunicorn.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log = log_path.open("ab")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "portal.wsgi:application",
                "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(self.workers),
                "--worker-class", "sync",
                "--timeout", "60",
                "--log-level", "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )  # fmt: skip
        atexit.register(self.stop)
        _servers.append(self)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}: {log_path}")
            try:
                with urllib.request.urlopen(self.base + "/api/", timeout=5):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not answer within 60 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None
        if self.log:
            self.log.close()
            self.log = None


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    return float(match.group(1)) * _UNITS[match.group(2)] if match else float("nan")


def parse_wrk(output: str) -> dict:
    """Requests/s, latency percentiles (ms) and errors from `wrk --latency` output."""
    result = {"requests_per_second": 0.0, "non_2xx": 0, "socket_errors": 0, "requests": 0}
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result["requests_per_second"] = float(match.group(1))
    if match := re.search(r"(\d+) requests in", output):
        result["requests"] = int(match.group(1))
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        result["non_2xx"] = int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        result["socket_errors"] = sum(int(value) for value in match.groups())
    for percent in ("50", "90", "99"):
        if match := re.search(rf"^\s+{percent}%\s+(\S+)", output, re.MULTILINE):
            result[f"p{percent}_ms"] = _ms(match.group(1))
    return result


def run_wrk(url: str, *, seconds: int, connections: int, threads: int = 2) -> dict:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    completed = subprocess.run(
        [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout",
         "10s", url],
        capture_output=True, text=True, timeout=seconds + 60, check=False,
    )  # fmt: skip
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed: {completed.stderr.strip()[:200]}")
    return parse_wrk(completed.stdout)


def close() -> None:
    """Stop every gunicorn started by this module (the harness calls it after a run)."""
    for server in _servers:
        server.stop()
    _servers.clear()


def _warm(url: str) -> None:
    """One request per worker first: the first request of a process loads Django's URLs."""
    for _ in range(2):
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()


def _load(server: Server, path: str, ctx: BenchContext):
    def run():
        server.start()
        _warm(server.base + path)
        result = run_wrk(
            server.base + path,
            seconds=DURATION.get(ctx.size, 10),
            connections=CONNECTIONS.get(ctx.size, 16),
        )
        errors = result["non_2xx"] + result["socket_errors"]
        if result["requests"] == 0:
            errors += 1
        return Measured(
            result["requests_per_second"],
            errors=errors,
            memory=False,
            details=(
                f"{result['requests']} requests, latency p50 {result.get('p50_ms', 0):.1f} ms "
                f"p99 {result.get('p99_ms', 0):.1f} ms, {result['non_2xx']} non-2xx, "
                f"{result['socket_errors']} socket errors"
            ),
        )

    return run


def operations(ctx: BenchContext) -> list[Operation]:
    server = Server(ctx.database_url or os.environ.get("DATABASE_URL", ""))
    word = ctx.words[0] if ctx.words else "traiteur"
    search = "/annuaire/?" + urlencode({"q": word, "region": ctx.region_code})
    api = "/api/enterprises/?" + urlencode({"page_size": 50})
    seconds, connections = DURATION.get(ctx.size, 10), CONNECTIONS.get(ctx.size, 16)
    shape = f"{seconds} s, 2 threads, {connections} connections, gunicorn 2 sync workers"
    note = (
        f"wrk {shape}, anonymous visitor. Bounded by CPU: wrk, 2 gunicorn workers and "
        "PostgreSQL share the machine's 2 cores, so requests/s ≈ 2 cores / CPU time per "
        "request (Django + SQL). Errors = non-2xx responses + socket errors (target 0)."
    )
    return [
        Operation(
            name=f"Load: search page {search}",
            app=_load(server, search, ctx),
            sql=None,
            repeat=1,
            warmup=0,
            unit="requests/s",
            note=note,
        ),
        Operation(
            name=f"Load: enterprise API {api}",
            app=_load(server, api, ctx),
            sql=None,
            repeat=1,
            warmup=0,
            unit="requests/s",
            note=note,
        ),
    ]
