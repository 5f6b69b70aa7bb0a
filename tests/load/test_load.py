"""Item 5 of issue 15: twenty members reading, searching, replying, voting and following
against ``gunicorn -w 2`` for ``PCC_LOAD_SECONDS`` (default 120) on the test run's database.

The run uses the database the suite runs on (SQLite, or PostgreSQL when ``DATABASE_URL``
points at it): the migrated test database is seeded, then copied where other processes can
open it (runner.copy_test_database). gunicorn and the ``db_worker`` task worker serve that copy
with tests.load.settings; search is the embedded backend, its outbox applied by the worker
after each commit, as in production. Every member signs in through the sign-in form.

Afterwards: no request failed; every reply the server accepted is in the database, on its
thread's pages and found by searching its marker once the worker has drained the outbox; and
every thread, category and post counter equals what its rows say. The table (requests,
errors, p50 and p95 per endpoint) goes to the terminal summary and var/load/results.json.
"""

import json
import os
import time

import pytest
from django.db import connection

from tests.load import conftest, database, runner
from tests.load.members import ACTIONS, run_members, thread_page_markers

pytestmark = [pytest.mark.load, pytest.mark.django_db(transaction=True)]

SECONDS = float(os.environ.get("PCC_LOAD_SECONDS", "120"))
MAX_REQUESTS_PER_MEMBER = max(50, int(SECONDS * 5))
"""Each member stops after this many actions even if time is left (think time >= 0.2 s)."""
DRAIN_SECONDS = 180


def test_twenty_members_for_two_minutes_lose_nothing_and_see_no_error(tmp_path):
    phases = runner.Phases()
    seed = database.seed()
    load_db = runner.copy_test_database(connection, tmp_path)
    phases.done("seed and copy")
    try:
        port = runner.free_port()
        env = runner.load_environment(load_db, tmp_path, site_url=f"http://127.0.0.1:{port}")
        env["PCC_LOAD_PORT"] = str(port)
        runner.manage(env, "search_index", "rebuild")
        phases.done("index rebuild")
        with runner.load_processes(env, tmp_path) as (server, _worker):
            phases.done("servers up")
            started = time.monotonic()
            log = run_members(
                base_url=server.base_url,
                seed=seed,
                seconds=SECONDS,
                max_requests_per_member=MAX_REQUESTS_PER_MEMBER,
            )
            elapsed = time.monotonic() - started
            phases.done("load")
            pages = thread_page_markers(
                base_url=server.base_url,
                email=seed["members"][0]["email"],
                password=seed["password"],
                seed=seed,
            )
            phases.done("read thread pages")
            backlog = runner.wait_for_backlog(env, timeout=DRAIN_SECONDS)
            phases.done("drain")
        given = tmp_path / "written.json"
        given.write_text(
            json.dumps({"written": log.written, "reader_email": seed["members"][0]["email"]})
        )
        report_path = tmp_path / "inspect.json"
        runner.manage(env, "-m", "tests.load.database", "inspect", str(given), str(report_path))
        report = json.loads(report_path.read_text())
        phases.done("inspect")
    finally:
        load_db.drop()

    errors = [record for record in log.records if not record.ok]
    on_pages = [entry for entry in log.written if entry["marker"] in pages]
    result = {
        "members": len(seed["members"]),
        "seconds": elapsed,
        "search_backend": "embedded (SQLite FTS5), outbox applied by manage.py db_worker",
        "requests": len(log.records),
        "errors": len(errors),
        "error_rate": len(errors) / len(log.records) if log.records else 1.0,
        "endpoints": runner.endpoint_table(log.records),
        "first_errors": [record.detail for record in errors[:20]],
        "checks": {
            "written": len(log.written),
            "distinct_markers": report["distinct_markers_written"],
            "in_database": report["posts_in_database"],
            "on_thread_pages": len(on_pages),
            "searchable": report["searchable"],
            "counter_mismatches": len(report["counter_mismatches"]),
            "votes": report["votes"],
            "follows": report["follows"],
        },
        "backlog_after_drain": backlog,
        "phase_seconds": phases.seconds,
    }
    runner.write_results(load_db.vendor, result)
    conftest.SUMMARIES.append(runner.format_table(load_db.vendor, result))

    signed_in = [record for record in log.records if record.endpoint == "sign in" and record.ok]
    assert len(signed_in) == len(seed["members"]), result["first_errors"]
    assert errors == [], result["first_errors"]
    assert len(log.written) > 0
    # Each kind of action ran at least once in the run as a whole.
    assert set(result["endpoints"]) >= {name for name, _ in ACTIONS}
    assert report["distinct_markers_written"] == len(log.written)
    assert report["missing_from_database"] == []
    assert report["in_wrong_thread"] == []
    assert report["hidden_posts"] == 0
    assert report["posts_in_database"] == len(log.written)
    assert len(on_pages) == len(log.written)
    assert backlog["outbox_pending"] == 0, backlog
    assert backlog["tasks_due"] == 0, backlog
    assert backlog["tasks_failed"] == 0, backlog
    assert report["not_searchable"] == []
    assert report["searchable"] == len(log.written)
    assert report["counter_mismatches"] == []
