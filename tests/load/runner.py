"""The load run's machinery: its own database, gunicorn, the task worker, the statistics.

- ``LoadDatabase``: a copy of the (migrated, seeded) test database that other processes can
  open: a SQLite file made with the online backup API, or a PostgreSQL database created from
  the test database as its template on the same server. Dropped or deleted afterwards.
- ``load_processes``: ``gunicorn -w 2`` on a free loopback port and ``manage.py db_worker``
  under tests.load.settings, each stopped by its own process id.
- ``endpoint_table``: requests, errors, p50 and p95 per endpoint.
"""

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.processes import Server, free_port, stop_pid
from benchmarks.stats import median, percentile

ROOT = Path(__file__).resolve().parents[2]
RESULTS_PATH = ROOT / "var" / "load" / "results.json"


@dataclass
class LoadDatabase:
    vendor: str
    url: str
    drop: Callable[[], None]


class Phases:
    """Wall time of each step of the run, for the report (never asserted)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.monotonic()

    def done(self, name: str) -> None:
        now = time.monotonic()
        self.seconds[name] = round(now - self._last, 1)
        self._last = now


def copy_test_database(connection, directory: Path) -> LoadDatabase:
    """The test database ``connection`` uses, copied where gunicorn and the worker can open it."""
    if connection.vendor == "sqlite":
        path = directory / "db.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        with contextlib.closing(target):
            connection.connection.backup(target)
        return LoadDatabase("sqlite", f"sqlite:///{path}", lambda: None)
    if connection.vendor != "postgresql":
        raise AssertionError(f"the load run knows SQLite and PostgreSQL, not {connection.vendor}")
    import psycopg

    source = connection.settings_dict
    name = f"{source['NAME']}_loadrun"
    params = {
        "host": source["HOST"] or "127.0.0.1",
        "port": source["PORT"] or 5432,
        "user": source["USER"],
        "password": source["PASSWORD"] or None,
    }
    connection.close()  # CREATE DATABASE ... TEMPLATE needs the template unused

    def run(sql: str) -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run(f'CREATE DATABASE "{name}" TEMPLATE "{source["NAME"]}"')
    password = f":{params['password']}" if params["password"] else ""
    url = f"postgres://{params['user']}{password}@{params['host']}:{params['port']}/{name}"
    return LoadDatabase(
        "postgresql", url, lambda: run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    )


def load_environment(database: LoadDatabase, directory: Path, *, site_url: str = "") -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.load.settings",
            "DATABASE_URL": database.url,
            "PCC_LOAD_DIR": str(directory),
            "PYTHONUNBUFFERED": "1",
        }
    )
    if site_url:
        env["SITE_URL"] = site_url
    return env


def manage(env: dict, *args: str, timeout: float = 300) -> str:
    """Run ``manage.py`` (or ``-m module`` when the first argument is ``-m``); stdout."""
    command = [sys.executable, *(args if args[0] == "-m" else ("manage.py", *args))]
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout


@contextlib.contextmanager
def load_processes(env: dict, directory: Path):
    """gunicorn (two sync workers) and the task worker; yields (server, worker process)."""
    port = int(env["PCC_LOAD_PORT"])
    worker_log = (directory / "worker.log").open("ab")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    worker_log.close()
    server = Server(
        name="gunicorn (load)",
        command=[
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--graceful-timeout",
            "10",
        ],
        port=port,
        cwd=ROOT,
        env=env,
        log_path=directory / "gunicorn.log",
    )
    try:
        server.start(ready_path="/healthz", timeout=120)
        yield server, worker
    finally:
        server.stop()
        stop_pid(worker, timeout=30)


def wait_for_backlog(env: dict, *, timeout: float) -> dict:
    """Poll until no index outbox row is pending and no task is due (the worker applies them)."""
    deadline = time.monotonic() + timeout
    while True:
        backlog = json.loads(manage(env, "-m", "tests.load.database", "backlog"))
        if backlog["outbox_pending"] == 0 and backlog["tasks_due"] == 0:
            return backlog
        if time.monotonic() > deadline:
            return backlog
        time.sleep(2)


def endpoint_table(records) -> dict[str, dict]:
    table: dict[str, dict] = {}
    for name in sorted({record.endpoint for record in records}):
        mine = [record for record in records if record.endpoint == name]
        timings = [record.ms for record in mine if record.ok]
        table[name] = {
            "requests": len(mine),
            "errors": sum(not record.ok for record in mine),
            "p50_ms": round(median(timings), 1) if timings else None,
            "p95_ms": round(percentile(timings, 0.95), 1) if timings else None,
        }
    return table


def write_results(vendor: str, result: dict) -> None:
    """var/load/results.json holds the latest run per database."""
    RESULTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    try:
        existing = json.loads(RESULTS_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        existing = {}
    existing[vendor] = result
    RESULTS_PATH.write_text(json.dumps(existing, indent=2), encoding="utf-8")


def format_table(vendor: str, result: dict) -> list[str]:
    lines = [
        f"load run on {vendor}: {result['members']} members for {result['seconds']:.0f} s, "
        f"{result['requests']} requests, {result['errors']} errors "
        f"({result['error_rate']:.2%}); search backend {result['search_backend']}",
        f"{'endpoint':<14}{'requests':>10}{'errors':>8}{'p50 ms':>10}{'p95 ms':>10}",
    ]
    for name, row in result["endpoints"].items():
        p50 = "-" if row["p50_ms"] is None else f"{row['p50_ms']:.1f}"
        p95 = "-" if row["p95_ms"] is None else f"{row['p95_ms']:.1f}"
        lines.append(f"{name:<14}{row['requests']:>10}{row['errors']:>8}{p50:>10}{p95:>10}")
    checks = result["checks"]
    lines.append(
        f"replies written {checks['written']}, in the database {checks['in_database']}, "
        f"on thread pages {checks['on_thread_pages']}, searchable {checks['searchable']}; "
        f"counter mismatches {checks['counter_mismatches']}"
    )
    lines.append("phases (s): " + ", ".join(f"{k} {v}" for k, v in result["phase_seconds"].items()))
    return lines


__all__ = [
    "RESULTS_PATH",
    "copy_test_database",
    "endpoint_table",
    "format_table",
    "free_port",
    "load_environment",
    "load_processes",
    "manage",
    "wait_for_backlog",
    "write_results",
]
