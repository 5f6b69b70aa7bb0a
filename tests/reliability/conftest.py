"""Fixtures of the fault suites: real services taken away for real (a TCP proxy cut in front
of Elasticsearch, a local SMTP server that refuses, processes killed with SIGKILL, another
database connection holding a lock). The Elasticsearch fixtures are the search suite's own.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.reliability import summary
from tests.reliability.tcp_proxy import TcpProxy
from tests.search.conftest import elasticsearch_url, es_client  # noqa: F401


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` here need PostgreSQL's locks: on SQLite they are deselected
    (not skipped: under PCC_REQUIRE_SERVICES=1 a skip fails, and the PostgreSQL run of
    ``.ci/run`` runs them)."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    here = Path(__file__).parent
    deselected = [
        item
        for item in items
        if item.get_closest_marker("postgres") and here in Path(str(item.path)).parents
    ]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item not in deselected]


def pytest_terminal_summary(terminalreporter):
    lines = summary.lines()
    if lines:
        terminalreporter.section("reliability suites: faults injected")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture
def es_proxy(elasticsearch_url):  # noqa: F811
    """A TCP proxy in front of the shared Elasticsearch node; ``cut()`` it to stop the node
    as far as the code under test can tell (the node itself keeps running for the others)."""
    upstream = urlsplit(elasticsearch_url)
    proxy = TcpProxy(upstream.hostname, upstream.port or 9200).start()
    yield proxy
    proxy.stop()


@pytest.fixture
def smtp_server():
    from tests.reliability.smtp_server import SmtpServer

    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def smtp_email(settings, smtp_server):
    """Django's SMTP backend, sending to ``smtp_server``."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    return smtp_server


@pytest.fixture
def database_tasks(settings):
    """The production task backend (django-tasks resets its backends when TASKS changes)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class ChildDatabase:
    """The test database as other processes see it (use in transactional tests only).

    PostgreSQL: the test database itself. SQLite: the test database is in memory, so
    ``push()`` copies it into a file (SQLite's online backup) for the children, and ``pull()``
    copies the file back, after they ran, for the test to read what they wrote.
    """

    def __init__(self, tmp_path):
        from django.db import connection

        self.connection = connection
        self.search_path = tmp_path / "child-search-index.sqlite3"
        self.sqlite = connection.vendor == "sqlite"
        data = connection.settings_dict
        if self.sqlite:
            self.path = tmp_path / "child.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            credentials = data["USER"] + (f":{data['PASSWORD']}" if data["PASSWORD"] else "")
            port = f":{data['PORT']}" if data["PORT"] else ""
            self.url = f"postgres://{credentials}@{data['HOST']}{port}/{data['NAME']}"

    def push(self) -> None:
        if self.sqlite:
            import sqlite3

            self.connection.ensure_connection()
            target = sqlite3.connect(self.path)
            self.connection.connection.backup(target)
            target.close()

    def pull(self) -> None:
        if self.sqlite:
            import sqlite3

            source = sqlite3.connect(self.path)
            self.connection.ensure_connection()
            source.backup(self.connection.connection)
            source.close()

    def env(self, **extra: str) -> dict[str, str]:
        import os

        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.reliability.child_settings",
            "DATABASE_URL": self.url,
            "PYTHONUNBUFFERED": "1",
            "SEARCH_EMBEDDED_PATH": str(self.search_path),
            **{key: str(value) for key, value in extra.items()},
        }


@pytest.fixture
def child_database(tmp_path, transactional_db):
    return ChildDatabase(tmp_path)


def manage(*args: str) -> list[str]:
    """The command line of ``manage.py <args>`` in this checkout, with this interpreter."""
    import sys
    from pathlib import Path

    return [sys.executable, str(Path(__file__).resolve().parents[2] / "manage.py"), *args]
