"""What is particular to the embedded FTS5 backend: its own file, the swap, the vocabulary."""

import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from search.backends import search_backend
from search.backends.embedded import EmbeddedBackend, _Bitmaps, edit_distance, safe_html
from search.documents import MEMBERS, SearchDocument
from search.glossary import EMPTY_GLOSSARY
from search.parsing import parse_query
from tests.search.contract.corpus import CORPUS, MEMBER, VISITOR


def q(text, **options):
    return parse_query(text, glossary=EMPTY_GLOSSARY, **options)


@pytest.fixture
def built(tmp_path):
    backend = EmbeddedBackend(tmp_path / "index.sqlite3")
    backend.rebuild(CORPUS)
    return backend


def test_the_index_lives_in_its_own_file_named_by_settings(settings):
    backend = search_backend()
    assert isinstance(backend, EmbeddedBackend)
    assert str(backend.path) == settings.SEARCH_EMBEDDED_PATH
    backend.index(CORPUS[:2])
    assert Path(settings.SEARCH_EMBEDDED_PATH).is_symlink()
    assert backend.status().documents_by_type["case_study"] == 1


@pytest.mark.django_db
def test_it_never_uses_djangos_database_connection(django_assert_num_queries):
    backend = search_backend()
    with django_assert_num_queries(0):
        backend.index(CORPUS)
        backend.search(q("water"), visibility=VISITOR)
        backend.suggest("wat", visibility=VISITOR)
        backend.more_like_this("kb.page:1", visibility=VISITOR)


def test_the_file_uses_fts5_with_porter_and_diacritics_removed(built):
    conn = sqlite3.connect(built.path)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'fts'").fetchone()[0]
    assert "porter unicode61 remove_diacritics 2" in sql
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_rebuild_swaps_files_while_an_open_reader_keeps_answering(built):
    first_file = Path(built.path).resolve()
    assert built.search(q("drought"), visibility=VISITOR).total == 1
    other = EmbeddedBackend(built.path)  # another process or thread, already connected
    assert other.search(q("drought"), visibility=VISITOR).total == 1
    progress = []
    built.rebuild(CORPUS[:3], progress=progress.append)
    assert progress[-1] == 3
    assert Path(built.path).resolve() != first_file
    assert not first_file.exists()
    assert other.search(q("drought"), visibility=VISITOR).total == 0  # it follows the swap
    assert other.status().documents_by_type["thread"] == 1


def test_each_thread_gets_its_own_connection(built):
    errors = []

    def work():
        try:
            for _ in range(5):
                assert built.search(q("customers"), visibility=MEMBER).total
        except (AssertionError, sqlite3.Error) as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_the_sql_and_bitmap_paths_agree_on_totals_and_facets(tmp_path):
    small = EmbeddedBackend(tmp_path / "a.sqlite3")
    large = EmbeddedBackend(tmp_path / "b.sqlite3", small_set=0)
    small.rebuild(CORPUS)
    large.rebuild(CORPUS)
    for text, filters in [("water", {}), ("customers", {"type": ("thread",)}), ("", {})]:
        parsed = replace(q(text), filters=filters)
        a = small.search(parsed, visibility=MEMBER)
        b = large.search(parsed, visibility=MEMBER)
        assert a.total == b.total
        assert a.facets == b.facets
        assert {h.id for h in a.hits} == {h.id for h in b.hits}


def test_an_incremental_change_is_seen_by_the_cached_bitmaps(tmp_path):
    backend = EmbeddedBackend(tmp_path / "i.sqlite3", small_set=0)
    backend.rebuild(CORPUS)
    assert backend.search(q(""), visibility=VISITOR).total == 11
    backend.delete(["kb.page:1"])
    assert backend.search(q(""), visibility=VISITOR).total == 10
    backend.index(CORPUS[:1])
    assert backend.search(q(""), visibility=VISITOR).total == 11
    assert backend.search(q("nairobi"), visibility=VISITOR).hits[0].id == "kb.page:1"


def test_snippet_markers_cannot_be_forged_by_the_text():
    assert safe_html("a <b> \x02x\x03 &") == "a &lt;b&gt; <mark>x</mark> &amp;"


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("water", "water", 0), ("water", "wtaer", 1), ("tarif", "tariff", 1), ("ravlo", "radio", 2)],
)
def test_edit_distance_counts_a_transposition_as_one(a, b, distance):
    assert edit_distance(a, b, 2) == distance


def _doc(pk, title, body, **fields):
    return SearchDocument(
        id=f"kb.page:{pk}", type="case_study", title=title, url=f"/{pk}/", body=body, **fields
    )


MATCH_ANY_DOCS = [
    _doc(1, "Drought rationing schedule", "A drought plan with a rationing calendar."),
    _doc(2, "Drought kiosk", "Kiosks during the drought."),
    _doc(3, "Rationing letters", "How rationing was announced."),
    _doc(4, "Drought rationing for members", "Members only.", visibility=(MEMBERS,)),
    _doc(5, "Drought rationing leak", "Excluded by the minus word."),
    _doc(6, "Pressure", "Nothing in common."),
    *(_doc(100 + i, f"Drought note {i}", "Another drought.") for i in range(6)),
]


@pytest.mark.parametrize("small_set", [1500, 0])
def test_match_any_finds_documents_matching_one_clause_best_matches_first(tmp_path, small_set):
    backend = EmbeddedBackend(tmp_path / "any.sqlite3", small_set=small_set, rank_window=50)
    backend.rebuild(MATCH_ANY_DOCS)
    strict = q("drought rationing -leak")
    assert [h.id for h in backend.search(strict, visibility=VISITOR).hits] == ["kb.page:1"]
    results = backend.search(replace(strict, match_any=True), visibility=VISITOR)
    found = [h.id for h in results.hits]
    assert found[0] == "kb.page:1"  # both clauses
    assert found.index("kb.page:3") < found.index("kb.page:2")  # the rarer clause first
    assert set(found) == {"kb.page:1", "kb.page:2", "kb.page:3"} | {
        f"kb.page:{100 + i}" for i in range(6)
    }
    assert results.total == 9  # not the members-only, the excluded or the unrelated one
    filtered = replace(strict, match_any=True, filters={"type": ("thread",)})
    assert backend.search(filtered, visibility=VISITOR).total == 0
    member = backend.search(replace(strict, match_any=True), visibility=MEMBER)
    assert "kb.page:4" in [h.id for h in member.hits]


def test_a_write_brings_the_bitmaps_forward_instead_of_reloading_them(tmp_path, monkeypatch):
    backend = EmbeddedBackend(tmp_path / "w.sqlite3", small_set=0)
    backend.rebuild(CORPUS)
    before = backend.search(q("water "), visibility=MEMBER).total
    everything = backend.search(q(""), visibility=MEMBER).total
    loads = []
    real = _Bitmaps.load
    monkeypatch.setattr(_Bitmaps, "load", classmethod(lambda cls, *a: loads.append(a) or real(*a)))
    added = replace(CORPUS[0], id="kb.page:900", title="Water zebrafish")
    backend.index([added])
    assert backend.search(q("water "), visibility=MEMBER).total == before + 1
    backend.delete([added.id])  # the newest rowid goes ...
    backend.index([replace(added, id="kb.page:901", title="Water quagga")])  # ... and is not reused
    assert backend.search(q("zebrafish "), visibility=MEMBER).total == 0
    assert [h.id for h in backend.search(q("quagga "), visibility=MEMBER).hits] == ["kb.page:901"]
    assert backend.search(q(""), visibility=MEMBER).total == everything + 1
    assert loads == []


class _ReindexedMidQuery(EmbeddedBackend):
    """Another connection re-indexes every document between the query and the reading of its
    hits' stored rows, as the task worker does while gunicorn answers a thread page."""

    def _hits(self, conn, rowids, plan):
        EmbeddedBackend(self.path).index(CORPUS)
        return super()._hits(conn, rowids, plan)


def test_more_like_this_reads_one_snapshot_while_another_connection_reindexes(built):
    reader = _ReindexedMidQuery(built.path)
    expected = [hit.id for hit in built.more_like_this("kb.page:1", visibility=MEMBER)]
    assert expected

    related = reader.more_like_this("kb.page:1", visibility=MEMBER)

    assert [hit.id for hit in related] == expected
