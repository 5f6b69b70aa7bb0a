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
