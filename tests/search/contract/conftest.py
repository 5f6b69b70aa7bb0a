"""The ``backend`` fixture: every contract test runs against each backend in BACKENDS.

A factory takes pytest's ``tmp_path`` and returns an empty backend; the fixture rebuilds it
from the hand-written CORPUS. Adding a backend is one entry here.
"""

from dataclasses import replace

import pytest

from search.backends.embedded import EmbeddedBackend
from search.parsing import parse_query
from tests.search.contract.corpus import CORPUS, GLOSSARY

BACKENDS = {
    "embedded": lambda tmp_path: EmbeddedBackend(tmp_path / "contract.sqlite3"),
    # the same backend forced onto its large-result code path (bitmaps, windowed ranking)
    "embedded-large-sets": lambda tmp_path: EmbeddedBackend(
        tmp_path / "contract-large.sqlite3", small_set=0, rank_window=5
    ),
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
