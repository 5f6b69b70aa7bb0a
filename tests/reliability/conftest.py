"""Fixtures of the fault suites: real services taken away for real (a TCP proxy cut in front
of Elasticsearch, a local SMTP server that refuses, processes killed with SIGKILL, another
database connection holding a lock). The Elasticsearch fixtures are the search suite's own.
"""

from urllib.parse import urlsplit

import pytest

from tests.reliability import summary
from tests.reliability.tcp_proxy import TcpProxy
from tests.search.conftest import elasticsearch_url, es_client  # noqa: F401


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
