"""Shared fixtures and the strict-services rule.

When ``PCC_REQUIRE_SERVICES=1`` (set by ``.ci/run`` and by ``make test`` under ``CI=true``),
any skipped test fails the run: a test skipped because PostgreSQL, Elasticsearch or Chromium
is missing must not pass silently in CI. Locally the same tests skip with a message saying
how to get the service.
"""

import os

import pytest

from tests.factories.members import UserFactory

STRICT_SERVICES = os.environ.get("PCC_REQUIRE_SERVICES") == "1"


def pytest_collection_modifyitems(config, items):
    """Give every transactional test a serialized rollback.

    A transactional test (live-server and browser tests) ends by flushing the database, which
    would also delete what the data migrations loaded: the home page, the taxonomy, countries,
    role groups. Serialized rollback restores that state, so no test depends on running first.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if not marker or not marker.kwargs.get("transaction"):
            continue
        if "serialized_rollback" not in marker.kwargs:
            # append=False: pytest-django reads the closest marker, which is the first of the
            # test's own; appended, a marker added here lost to a ``@pytest.mark.django_db``
            # on the function itself, whose flush then re-ran post_migrate (new role groups
            # under new ids) and broke the next serialized restore (UNIQUE auth_group.name).
            item.add_marker(
                pytest.mark.django_db(**marker.kwargs, serialized_rollback=True), append=False
            )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if STRICT_SERVICES and report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = (
            f"Skipped under PCC_REQUIRE_SERVICES=1 (CI), which counts as a failure: {reason}"
        )


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Every test writes uploads to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _search_index(settings, tmp_path):
    """Every test searches its own, fresh embedded index file."""
    from search.backends import search_backend

    settings.SEARCH_EMBEDDED_PATH = str(tmp_path / "search" / "index.sqlite3")
    search_backend.cache_clear()
    yield
    search_backend.cache_clear()


@pytest.fixture(autouse=True)
def _page_cache():
    """Every test starts with an empty page cache: a test's database numbers its threads
    from 1 again and factories may give them the same creation time as another test's."""
    from django.core.cache import caches

    caches["pages"].clear()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def member_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (Debian's, through Playwright)."""
    from tests.browser_support import CHROMIUM_ARGS, chromium_path

    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium is missing: `apt-get install chromium` (make test does this).")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
    # test body are still synchronous and safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Starting Playwright switches this thread into a new contextvars context, where Django's
    # connection handler would hand out fresh connection objects that lack the test database's
    # serialized contents (so serialized rollback would silently stop restoring data). Keep
    # the original connection objects in use.
    original_connections = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in original_connections.items():
            connections[alias] = connection
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context and page; ``page.base_url`` is the live server's address.

    Every page the test visits can be checked with ``tests.browser_support.assert_accessible``.
    Console errors (a blocked script or style under the Content-Security-Policy, a JavaScript
    exception) fail the test at teardown.
    """
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    new_page = context.new_page()
    errors: list[str] = []
    new_page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    new_page.on(
        "console",
        lambda msg: (
            errors.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error"
            and "status of 404" not in msg.text
            and "status of 403" not in msg.text
            else None
        ),
    )
    yield new_page
    context.close()
    assert not errors, "\n".join(errors)
