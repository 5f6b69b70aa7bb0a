"""Fixtures of the security suites, and the run summary the lead quotes.

The Elasticsearch fixtures are the search suite's own (a real node from ELASTICSEARCH_URL,
started by make test / .ci/run; under PCC_REQUIRE_SERVICES=1 a missing node fails).
"""

import pytest

from tests.search.conftest import (  # noqa: F401
    elasticsearch_url,
    es_backend,
    es_backend_factory,
    es_client,
)
from tests.security import summary


def pytest_terminal_summary(terminalreporter):
    lines = summary.lines()
    if lines:
        terminalreporter.section("security suites: what was checked")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def hostile_authors(db):
    """One member per hostile input, the input as display name, organisation and bio."""
    from members.services.profiles import profile_update
    from tests.factories.members import MemberFactory
    from tests.security.hostile import INPUTS

    authors = []
    for number, text in enumerate(INPUTS):
        author = MemberFactory(email=f"hostile{number}@example.org")
        profile_update(
            user=author,
            display_name=(text.strip() or "x")[:80],
            organisation=text[:200],
            bio=text,
        )
        authors.append(author)
    return authors
