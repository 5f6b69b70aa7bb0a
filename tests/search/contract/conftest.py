"""The ``backend`` fixture: every contract test runs against each backend in BACKENDS.

A factory takes pytest's ``tmp_path`` and returns an empty backend; the fixture rebuilds it
from the hand-written CORPUS. Adding a backend is one entry here.
"""

import os
import uuid
from dataclasses import replace

import pytest

from search.backends.elasticsearch import ElasticsearchBackend, synonym_rules
from search.backends.embedded import EmbeddedBackend
from search.parsing import parse_query
from tests.search.conftest import HOW_TO_GET_ONE
from tests.search.contract.corpus import CORPUS, GLOSSARY


class ContractElasticsearch(ElasticsearchBackend):
    """The real backend on the node of ELASTICSEARCH_URL, on throw-away indices; skipped
    (a failure under CI's PCC_REQUIRE_SERVICES) when the variable is unset."""

    def __init__(self, tmp_path):
        url = os.environ.get("ELASTICSEARCH_URL", "").strip()
        if not url:
            pytest.skip(HOW_TO_GET_ONE)
        base = os.environ.get("ELASTICSEARCH_INDEX_PREFIX") or "pcc"
        super().__init__(
            url=url,
            prefix=f"{base}-test-contract-{uuid.uuid4().hex[:12]}",
            glossary=lambda: synonym_rules(GLOSSARY),
        )

    def close(self):
        self.delete_all()
        self.client.close()


BACKENDS = {
    "embedded": lambda tmp_path: EmbeddedBackend(tmp_path / "contract.sqlite3"),
    # the same backend forced onto its large-result code path (bitmaps, windowed ranking)
    "embedded-large-sets": lambda tmp_path: EmbeddedBackend(
        tmp_path / "contract-large.sqlite3", small_set=0, rank_window=5
    ),
    "elasticsearch": ContractElasticsearch,
}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request, tmp_path):
    built = BACKENDS[request.param](tmp_path)
    built.rebuild(CORPUS)
    yield built
    if hasattr(built, "close"):
        built.close()


def query(text="", **options):
    """A parsed query over the contract glossary; ``filters`` bypass taxonomy validation."""
    filters = options.pop("filters", {})
    parsed = parse_query(text, glossary=GLOSSARY, **options)
    return replace(parsed, filters={k: tuple(v) for k, v in filters.items()})


def ids(results):
    return [hit.id for hit in results.hits]
