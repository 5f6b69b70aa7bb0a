"""Relevance evaluation (issue 10 item 9, issue 11 item 3): the metrics, the corpus format,
and ``manage.py search_relevance`` run for real on the project's corpus and on a tiny one.

The command runs in a subprocess, as ``make relevance`` runs it: it creates and migrates its
own throw-away database, so it cannot share this test process's database connection. With
``ELASTICSEARCH_URL`` set (CI), the project corpus is measured on both backends, no skip.
"""

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from demo.data_files import DemoDataError
from demo.relevance.corpus import read_corpus
from demo.relevance.metrics import score_query, summarise

ROOT = Path(__file__).resolve().parents[2]
PROJECT_CORPUS = ROOT / "tests" / "search" / "relevance" / "corpus.json"
LINE = re.compile(
    r"^relevance (?P<backend>\S+): recall@5 (?P<recall>[\d.]+), MRR (?P<mrr>[\d.]+), "
    r"nDCG@10 (?P<ndcg>[\d.]+), leaks (?P<leaks>\d+) over (?P<queries>\d+) queries$"
)
# A little below what both backends measured on the project corpus (recall@5 0.95-0.96,
# MRR 0.93-0.94, nDCG@10 0.92).
FLOOR = {"recall": 0.90, "mrr": 0.85, "ndcg": 0.85}
AGREEMENT = 0.05


def run_relevance(*args: str, **env_extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", **env_extra}
    return subprocess.run(
        [sys.executable, "manage.py", "search_relevance", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )


def relevance_lines(output: str) -> dict[str, dict[str, float]]:
    lines = {}
    for line in output.splitlines():
        if match := LINE.match(line):
            values = match.groupdict()
            backend = values.pop("backend")
            lines[backend] = {name: float(value) for name, value in values.items()}
    return lines


# -- metrics --------------------------------------------------------------------------------


def test_a_query_is_a_hit_when_an_expected_key_is_in_the_top_five():
    assert score_query(["x", "y", "z", "w", "a"], expect=["a"]).hit
    assert not score_query(["x", "y", "z", "w", "v", "a"], expect=["a"]).hit


def test_the_reciprocal_rank_takes_the_first_expected_key_found_anywhere():
    assert score_query(["x", "b", "a"], expect=["a", "b"]).reciprocal_rank == 0.5
    assert score_query(["x"] * 7 + ["a"], expect=["a"]).reciprocal_rank == 1 / 8
    assert score_query(["x", "y"], expect=["a"]).reciprocal_rank == 0.0


def test_ndcg_at_ten_is_one_for_the_ideal_order_and_ignores_ranks_past_ten():
    assert score_query(["a", "b", "x"], expect=["a", "b"]).ndcg == pytest.approx(1.0)
    swapped = score_query(["x", "a", "b"], expect=["a", "b"]).ndcg
    assert 0 < swapped < 1
    assert score_query(["x"] * 10 + ["a"], expect=["a"]).ndcg == 0.0


def test_an_absent_key_anywhere_in_the_results_is_a_leak():
    ranked = ["a"] + ["x"] * 30 + ["secret"]
    score = score_query(ranked, expect=["a"], absent=["secret", "other"])
    assert score.leaks == ("secret",)
    assert summarise([score]).leaks == 1


def test_queries_that_expect_nothing_count_for_leaks_but_not_for_ranking():
    found = score_query(["a"], expect=["a"])
    nothing_expected = score_query([], expect=[], absent=["secret"])
    summary = summarise([found, nothing_expected])
    assert (summary.recall_at_5, summary.mrr, summary.ndcg_at_10) == (1.0, 1.0, 1.0)
    assert (summary.leaks, summary.queries) == (0, 2)


def test_the_summary_line_has_the_agreed_shape():
    line = summarise([score_query(["b", "a"], expect=["a"])]).line("embedded")
    assert line == (
        "relevance embedded: recall@5 1.000, MRR 0.500, nDCG@10 0.631, leaks 0 over 1 queries"
    )
    assert LINE.match(line)


# -- the corpus -----------------------------------------------------------------------------


def test_the_project_corpus_covers_every_kind_of_query_the_issue_lists():
    corpus = read_corpus(PROJECT_CORPUS)
    assert len(corpus.docs) >= 40
    assert len(corpus.queries) >= 50
    kinds = Counter(query["kind"] for query in corpus.queries)
    for kind in (
        "acronym",
        "synonym",
        "typo",
        "inflection",
        "prefix",
        "phrase",
        "exclusion",
        "region-filter",
        "topic-parent-filter",
        "type-filter",
        "cross-type",
        "permission",
        "question",
    ):
        assert kinds[kind] >= 1, kind
    types = Counter(doc["type"] for doc in corpus.docs.values())
    assert min(types["case_study"], types["method_guide"], types["thread"]) >= 10
    assert any("accepted_reply" in doc for doc in corpus.docs.values())
    members = {key for key, doc in corpus.docs.items() if doc.get("visibility") == "members"}
    assert {doc["type"] for key, doc in corpus.docs.items() if key in members} == {
        "case_study",
        "method_guide",
        "thread",
    }
    visitor_absent = {
        key
        for query in corpus.queries
        if query.get("as", "visitor") == "visitor"
        for key in query.get("absent", [])
    }
    assert members <= visitor_absent, "every members-only document is tested against a visitor"


def test_a_corpus_naming_an_unknown_document_is_refused_with_where_it_is(tmp_path):
    path = tmp_path / "corpus.json"
    path.write_text(
        json.dumps(
            {
                "glossary": [],
                "docs": {"a": {"type": "method_guide", "title": "T", "summary": "S", "body": "B"}},
                "queries": [{"q": "leaks", "expect": ["b"]}],
            }
        )
    )
    with pytest.raises(DemoDataError, match=r"queries: entry 1 \('leaks'\), key expect.*'b'"):
        read_corpus(path)


def test_the_command_refuses_a_broken_corpus_before_creating_a_database(tmp_path):
    path = tmp_path / "corpus.json"
    path.write_text('{"glossary": [], "docs": {}, ')
    result = run_relevance("--corpus", str(path), "--backend", "embedded")
    assert result.returncode != 0
    assert "not valid JSON" in result.stderr


# -- the command, for real ------------------------------------------------------------------


def test_the_project_corpus_passes_its_floor_without_leaks():
    both = bool(os.environ.get("ELASTICSEARCH_URL", "").strip())
    result = run_relevance("--backend", "all" if both else "embedded", "-v", "2")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    lines = relevance_lines(result.stdout)
    expected = {"embedded", "elasticsearch"} if both else {"embedded"}
    assert set(lines) == expected, output
    assert all(LINE.match(line) for line in result.stdout.splitlines()[-len(expected) :])
    for backend, values in lines.items():
        assert values["leaks"] == 0, output
        assert values["queries"] == len(read_corpus(PROJECT_CORPUS).queries)
        for name, floor in FLOOR.items():
            assert values[name] >= floor, f"{backend} {name} below {floor}:\n{output}"
    if both:
        for name in ("recall", "mrr"):
            gap = abs(lines["embedded"][name] - lines["elasticsearch"][name])
            assert gap <= AGREEMENT, f"{name} differs by {gap:.3f}:\n{output}"


def test_a_leak_makes_the_command_exit_non_zero(tmp_path):
    """The corpus says the guide must not appear for the first query; it does (it is public
    and matches), so the command names it and fails. The members-only page stays hidden, and
    the site's own database is never created or opened."""
    guide = "Explaining chlorine taste to customers"
    corpus = {
        "glossary": [],
        "docs": {
            "case": {
                "type": "case_study",
                "title": "Chlorine taste complaints fell after a letter",
                "summary": "A short letter explained why tap water tasted of chlorine.",
                "body": "Complaints about chlorine taste halved.",
                "topics": ["water-quality-and-public-health"],
                "countries": ["KE"],
                "published": "2022-01-10",
            },
            "guide": {
                "type": "method_guide",
                "title": guide,
                "summary": "What to say when customers notice the taste of chlorine.",
                "body": "Say why chlorine is there and that the taste is harmless.",
                "topics": ["water-quality-and-public-health"],
                "regions": ["global"],
            },
            "private": {
                "type": "case_study",
                "title": "Chlorine taste: our internal review",
                "summary": "Members only.",
                "body": "What went wrong with the chlorine taste letter.",
                "topics": ["water-quality-and-public-health"],
                "countries": ["KE"],
                "visibility": "members",
            },
        },
        "queries": [
            {"q": "chlorine taste", "expect": ["case"], "absent": ["guide"], "kind": "leak"},
            {"q": "internal review", "expect": [], "absent": ["private"], "kind": "permission"},
        ],
    }
    path = tmp_path / "corpus.json"
    path.write_text(json.dumps(corpus))
    site = {}
    if not os.environ.get("DATABASE_URL"):  # SQLite: the site's database file is never made
        site["DATABASE_URL"] = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    result = run_relevance("--corpus", str(path), "--backend", "embedded", **site)
    assert not (tmp_path / "site.sqlite3").exists()
    assert result.returncode != 0, result.stdout + result.stderr
    assert "LEAK of guide" in result.stdout
    assert "private" not in result.stdout
    assert relevance_lines(result.stdout)["embedded"]["leaks"] == 1
    assert "1 leaks" in result.stderr
