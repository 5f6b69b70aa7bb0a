"""The database busy, for real: members post replies over HTTP to gunicorn (two worker
processes, four threads each, so writers really run at once) on the test database, while
another connection holds a lock. SQLite: a write transaction (``BEGIN IMMEDIATE``) on the
database file; PostgreSQL: a table lock on the posts, then a row lock on the thread. Every
request waits and succeeds: no 500, no lost reply, counters equal to the rows.
"""

import os
import socket
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import connection
from django.test import Client

from forum.models import Post, Thread
from tests.factories.forum import CategoryFactory, make_thread
from tests.factories.members import MemberFactory
from tests.reliability import summary
from tests.reliability.conftest import manage

WRITERS = 8
REPLIES_EACH = 6
LOCK_SECONDS = 2.5
CSRF = "reliabilitycsrfsecret0123456789a"  # a 32-character CSRF secret, as Django issues


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def web_server(child_database):
    """gunicorn on the test database; ``start()`` after the data is in place."""
    started = []

    def start() -> str:
        child_database.push()
        port = free_port()
        python, script = manage()
        command = [
            python,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--timeout",
            "60",
        ]
        server = subprocess.Popen(
            command,
            cwd=os.path.dirname(script),
            env=child_database.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(server)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(f"{url}/robots.txt", timeout=30)
                return url
            except requests.RequestException:
                assert server.poll() is None, server.stderr.read()
                time.sleep(0.3)
        raise AssertionError("gunicorn did not start")

    yield start
    for server in started:
        server.terminate()
        server.wait(timeout=30)


def signed_in(member) -> requests.Session:
    """A browser session of ``member`` (its session row is in the database the server reads)."""
    client = Client()
    client.force_login(member)
    browser = requests.Session()
    browser.cookies.set("sessionid", client.cookies["sessionid"].value)
    browser.cookies.set("csrftoken", CSRF)
    return browser


def post_replies(url, browsers, threads, marker) -> list[int]:
    """Every writer posts REPLIES_EACH replies at once, spread over ``threads``; the statuses."""

    def write(index, browser):
        statuses = []
        for number in range(REPLIES_EACH):
            thread = threads[(index + number) % len(threads)]
            response = browser.post(
                f"{url}/forum/t/{thread.pk}/reply/",
                data={
                    "body": f"{marker} reply {index}-{number}: we logged pressure hourly.",
                    "submission_key": str(uuid.uuid4()),
                    "csrfmiddlewaretoken": CSRF,
                },
                allow_redirects=False,
                timeout=60,
            )
            statuses.append(response.status_code)
        return statuses

    with ThreadPoolExecutor(max_workers=len(browsers)) as pool:
        results = pool.map(write, range(len(browsers)), browsers)
        return [status for statuses in results for status in statuses]


def hold_lock(child_database, threads, *, row: bool) -> threading.Thread:
    """Another connection takes a lock, holds it LOCK_SECONDS, then commits; returns the thread
    holding it once the lock is taken."""
    taken = threading.Event()

    def hold():
        if child_database.sqlite:
            import sqlite3

            other = sqlite3.connect(child_database.path, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")  # takes the database's one write lock
        else:
            import psycopg

            other = psycopg.connect(child_database.url)
            if row:
                other.execute(
                    "SELECT id FROM forum_thread WHERE id = %s FOR UPDATE", [threads[0].pk]
                )
            else:
                other.execute("LOCK TABLE forum_post IN SHARE ROW EXCLUSIVE MODE")
        taken.set()
        time.sleep(LOCK_SECONDS)
        other.commit()
        other.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert taken.wait(timeout=30)
    return holder


def check_stored(marker, threads, expected):
    stored = Post.objects.filter(body__startswith=marker)
    assert stored.count() == expected
    assert stored.values("body").distinct().count() == expected
    for thread in Thread.objects.filter(pk__in=[t.pk for t in threads]):
        assert thread.post_count == thread.posts.count()
        assert thread.reply_count == thread.posts.count() - 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_replies_while_another_connection_holds_the_write_lock_are_all_stored(
    child_database, web_server
):
    category = CategoryFactory()
    threads = [make_thread(category=category, title=f"Night flow test {n}") for n in range(2)]
    browsers = [signed_in(MemberFactory()) for _ in range(WRITERS)]
    url = web_server()

    holder = hold_lock(child_database, threads, row=False)
    statuses = post_replies(url, browsers, threads, marker="Busy-A")
    holder.join()

    assert statuses == [302] * WRITERS * REPLIES_EACH
    child_database.pull()
    check_stored("Busy-A", threads, WRITERS * REPLIES_EACH)
    summary.record(f"{connection.vendor} write lock held", faults=1, lost=0)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_replies_to_a_thread_whose_row_another_connection_locks_wait_and_are_all_stored(
    child_database, web_server
):
    threads = [make_thread(title="Pressure logging intervals")]
    browsers = [signed_in(MemberFactory()) for _ in range(WRITERS)]
    url = web_server()

    holder = hold_lock(child_database, threads, row=True)
    statuses = post_replies(url, browsers, threads, marker="Busy-B")
    holder.join()

    assert statuses == [302] * WRITERS * REPLIES_EACH
    check_stored("Busy-B", threads, WRITERS * REPLIES_EACH)
    summary.record("postgresql row lock held", faults=1, lost=0)
