"""What every search backend answers for the same corpus and queries (issue 10, items 2-5)."""

from dataclasses import replace

import pytest

from search.glossary import EMPTY_GLOSSARY
from search.parsing import parse_query
from tests.search.contract.conftest import ids, query
from tests.search.contract.corpus import (
    CORPUS,
    GROUP_MEMBER,
    GUEST,
    MEMBER,
    MODERATOR,
    SECRET_WORDS,
    VISITOR,
)


def counts(results, facet):
    return {value.value: value.count for value in results.facets[facet]}


def test_a_title_word_puts_its_document_first(backend):
    assert ids(backend.search(query("survey "), visibility=VISITOR))[0] == "kb.page:2"
    assert ids(backend.search(query("rationing "), visibility=VISITOR))[0] == "kb.page:8"


def test_an_inflected_word_matches_through_stemming(backend):
    assert "kb.page:8" in ids(backend.search(query("rationed "), visibility=VISITOR))


def test_a_quoted_phrase_needs_its_words_together(backend):
    found = ids(backend.search(query('"smart meter"'), visibility=VISITOR))
    assert found == ["kb.page:7"]  # thread 4 has "smart" and "meter" apart


def test_an_excluded_word_or_phrase_removes_documents(backend):
    assert "forum.thread:4" in ids(backend.search(query("meters "), visibility=VISITOR))
    assert "forum.thread:4" not in ids(backend.search(query("meters -prepaid"), visibility=VISITOR))
    found = ids(backend.search(query('meters -"phone app"'), visibility=VISITOR))
    assert "forum.thread:4" not in found
    assert "kb.page:7" in found


def test_only_exclusions_browse_everything_else(backend):
    found = ids(backend.search(query("-water", per_page=50), visibility=VISITOR))
    assert found
    assert "kb.page:8" not in found
    assert "kb.page:2" in found


def test_the_last_word_matches_as_a_prefix_while_typing(backend):
    assert "kb.page:8" in ids(backend.search(query("drou"), visibility=VISITOR))
    assert "kb.page:8" not in ids(backend.search(query("drou "), visibility=VISITOR))
    assert "kb.page:13" in ids(backend.search(query("convers"), visibility=VISITOR))


def test_an_acronym_finds_the_term_and_its_synonyms(backend):
    # kb.page:1 never says "NRW"; it says non-revenue water and water losses
    assert ids(backend.search(query("nrw "), visibility=VISITOR))[0] == "kb.page:1"
    assert "kb.page:1" in ids(backend.search(query("unaccounted-for water"), visibility=VISITOR))


def test_a_small_typo_still_finds_the_word(backend):
    assert "forum.thread:3" in ids(backend.search(query("tarif "), visibility=VISITOR))
    assert "kb.page:2" in ids(backend.search(query("questionaires "), visibility=VISITOR))


def test_no_results_suggest_a_spelling_from_the_vocabulary(backend):
    results = backend.search(query("ravlo "), visibility=VISITOR)
    assert results.total == 0
    assert results.suggestion == "radio"
    assert backend.search(query("radio "), visibility=VISITOR).suggestion == ""


def test_diacritics_and_case_are_ignored(backend):
    assert ids(backend.search(query("MONTREAL "), visibility=VISITOR)) == ["kb.page:13"]
    assert ids(backend.search(query("cafés "), visibility=VISITOR)) == ["kb.page:13"]


def test_facet_counts_leave_out_their_own_filter(backend):
    results = backend.search(query(filters={"type": ["thread"]}), visibility=VISITOR)
    assert results.total == 4
    assert counts(results, "type") == {"thread": 4, "case_study": 4, "method_guide": 3}
    assert [v.value for v in results.facets["type"] if v.selected] == ["thread"]
    assert counts(results, "region") == {
        "latin-america-and-the-caribbean": 2,
        "europe-and-northern-america": 1,
        "sub-saharan-africa": 1,
    }


def test_values_of_one_facet_are_or_and_facets_are_and(backend):
    either = backend.search(query(filters={"country": ["kenya", "peru"]}), visibility=VISITOR)
    assert either.total == 5  # peru also has the members-only kb.page:5
    both = backend.search(
        query(filters={"country": ["kenya", "peru"], "type": ["thread"]}), visibility=VISITOR
    )
    assert sorted(ids(both)) == ["forum.thread:3", "forum.thread:4"]


def test_a_parent_topic_and_a_region_match_through_the_document_fields(backend):
    operations = backend.search(query(filters={"topic": ["operations"]}), visibility=VISITOR)
    assert "kb.page:1" in ids(operations)  # its topic is NRW, whose parent is operations
    africa = backend.search(query(filters={"region": ["sub-saharan-africa"]}), visibility=VISITOR)
    assert sorted(ids(africa)) == ["forum.thread:4", "kb.page:1", "kb.page:11", "kb.page:8"]


def test_year_filter_and_facet(backend):
    results = backend.search(query(filters={"year": ["2023"]}), visibility=VISITOR)
    assert sorted(ids(results)) == ["forum.thread:12", "forum.thread:9", "kb.page:1"]
    assert counts(results, "year")["2024"] == 1  # thread 3; the members' 2024 ones are hidden


def test_a_filter_value_nobody_has_gives_nothing(backend):
    results = backend.search(query(filters={"channel": ["carrier-pigeon"]}), visibility=VISITOR)
    assert results.total == 0
    assert results.hits == ()
    assert [(v.value, v.count, v.selected) for v in results.facets["channel"]][-1] == (
        "carrier-pigeon",
        0,
        True,
    )


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        (VISITOR, set()),
        (MEMBER, {"kb.page:5", "kb.page:14"}),
        (GUEST, {"kb.page:5", "kb.page:14"}),
        (GROUP_MEMBER, {"kb.page:5", "kb.page:14", "forum.thread:6", "forum.thread:15"}),
        (MODERATOR, {"kb.page:5", "kb.page:14", "forum.thread:6", "forum.thread:15"}),
    ],
)
def test_restricted_documents_reach_only_those_who_may_read_them(backend, tokens, expected):
    restricted = {"kb.page:5", "kb.page:14", "forum.thread:6", "forum.thread:15"}
    everything = backend.search(query(per_page=100), visibility=tokens)
    assert set(ids(everything)) & restricted == expected
    assert everything.total == 11 + len(expected)
    assert sum(v.count for v in everything.facets["type"]) == everything.total


def test_a_visitor_never_sees_restricted_text_anywhere(backend):
    for word in SECRET_WORDS:
        results = backend.search(query(word + " "), visibility=VISITOR)
        assert results.total == 0
        assert results.hits == ()
        assert all(v.count == 0 for values in results.facets.values() for v in values)
        assert results.suggestion == ""
        assert backend.suggest(word, visibility=VISITOR) == []
    nrw = backend.search(query("nrw "), visibility=VISITOR)
    assert "kb.page:14" not in ids(nrw)
    assert counts(nrw, "type").get("method_guide", 0) == 0
    assert backend.suggest("Confidential", visibility=VISITOR) == []
    assert backend.suggest("Confidential", visibility=MEMBER)[0].url == "/kb/5/"
    for doc in CORPUS:
        related = backend.more_like_this(doc.id, visibility=VISITOR)
        assert not {h.id for h in related} & {"kb.page:5", "kb.page:14", "forum.thread:6"}
        for hit in related:
            assert not any(word in hit.snippet.lower() for word in SECRET_WORDS)


def test_a_group_thread_shows_its_snippet_only_to_the_group(backend):
    group = backend.search(query("wombat "), visibility=GROUP_MEMBER)
    assert "forum.thread:6" in ids(group)
    assert any("<mark>wombat</mark>" in h.snippet.lower() for h in group.hits)
    member = backend.search(query("wombat "), visibility=MEMBER)
    assert member.total == 0


def test_snippets_mark_matches_and_escape_text(backend):
    results = backend.search(query("pressure "), visibility=VISITOR)
    assert "<mark>pressure</mark>" in results.hits[0].snippet
    assert "<script" not in results.hits[0].snippet


def test_sort_by_newest(backend):
    results = backend.search(query(sort="newest", per_page=3), visibility=VISITOR)
    assert ids(results) == ["forum.thread:3", "forum.thread:12", "kb.page:1"]
    water = backend.search(query("water ", sort="newest"), visibility=VISITOR)
    dates = [h.published for h in water.hits]
    assert dates == sorted(dates, reverse=True)
    assert len(dates) >= 3


def test_pages_split_the_results_without_overlap(backend):
    first = backend.search(query(per_page=4), visibility=VISITOR)
    second = backend.search(query(per_page=4, page=2), visibility=VISITOR)
    beyond = backend.search(query(per_page=4, page=9), visibility=VISITOR)
    assert len(first.hits) == 4
    assert len(second.hits) == 4
    assert not set(ids(first)) & set(ids(second))
    assert beyond.hits == ()
    assert beyond.total == 11


def relaxed(text, **options):
    """The query with relaxed matching (any clause), as the query layer retries it."""
    return replace(query(text, **options), match_any=True)


def test_relaxed_matching_finds_documents_with_only_some_of_the_words(backend):
    assert backend.search(query("prepaid rationing "), visibility=VISITOR).total == 0
    found = ids(backend.search(relaxed("prepaid rationing "), visibility=VISITOR))
    assert sorted(found) == ["forum.thread:4", "kb.page:8"]


def test_relaxed_matching_ranks_documents_with_more_of_the_words_first(backend):
    # thread 4 has "prepaid" and "complaints"; kb.page:7 only "complaints", kb.page:8
    # only "drought"
    found = ids(backend.search(relaxed("prepaid complaints drought "), visibility=VISITOR))
    assert found[0] == "forum.thread:4"
    assert {"kb.page:7", "kb.page:8"} <= set(found)


def test_relaxed_matching_keeps_exclusions_filters_and_visibility(backend):
    words = "quokka rationing prepaid "
    visitor = ids(backend.search(relaxed(words), visibility=VISITOR))
    assert sorted(visitor) == ["forum.thread:4", "kb.page:8"]
    assert "kb.page:5" in ids(backend.search(relaxed(words), visibility=MEMBER))
    excluded = ids(backend.search(relaxed(words + "-crashing"), visibility=VISITOR))
    assert excluded == ["kb.page:8"]
    filtered = backend.search(relaxed(words, filters={"type": ["thread"]}), visibility=VISITOR)
    assert ids(filtered) == ["forum.thread:4"]
    assert counts(filtered, "type") == {"thread": 1, "method_guide": 1}


def test_answered_popular_threads_rank_above_unanswered_ones(backend):
    found = ids(backend.search(query("customers "), visibility=VISITOR))
    assert found.index("forum.thread:3") < found.index("forum.thread:4")


BAD_INPUT = [
    "",
    " ",
    "-",
    "- - -",
    "-water -customers",
    '"',
    '"unbalanced quote',
    'a "b',
    "water*",
    "*",
    "^water",
    "title:water",
    "(water",
    "water)",
    "NEAR(water customers)",
    "water AND customers OR NOT radio",
    "\\",
    "/ ~ ~~ //",
    "\x00\x01\x1b[31m",
    "x" * 600,
    "'; DROP TABLE docs; --",
    '{title summary} : "x"',
    "zzv1 zzf1",
    "😀 ℌ𝔢𝔩𝔩𝔬 ｗａｔｅｒ",
]


@pytest.mark.parametrize("text", BAD_INPUT)
def test_bad_input_never_raises(backend, text):
    results = backend.search(parse_query(text, glossary=EMPTY_GLOSSARY), visibility=VISITOR)
    assert results.total >= 0
    backend.suggest(text, visibility=VISITOR)


def test_tag_tokens_typed_by_a_user_match_nothing(backend):
    assert backend.search(query("zzv1 "), visibility=VISITOR).total == 0


def test_full_width_text_is_normalised(backend):
    assert "kb.page:8" in ids(backend.search(query("ｒａｔｉｏｎｉｎｇ "), visibility=VISITOR))


def test_deleted_documents_disappear(backend):
    backend.delete(["kb.page:2", "unknown:1"])
    assert "kb.page:2" not in ids(backend.search(query("survey "), visibility=VISITOR))
    assert backend.status().documents_by_type["method_guide"] == 3


def test_indexing_a_document_again_replaces_it(backend):
    from dataclasses import replace

    original = next(d for d in CORPUS if d.id == "kb.page:10")
    backend.index([replace(original, title="Gentle reminder letters")])
    assert ids(backend.search(query("reminder "), visibility=VISITOR)) == ["kb.page:10"]
    assert backend.search(query("disconnection notices"), visibility=VISITOR).total == 0
    assert backend.status().documents_by_type["case_study"] == 5


def test_a_rebuild_replaces_the_whole_index(backend):
    assert backend.rebuild(CORPUS[:3]) == 3
    assert backend.search(query(), visibility=MODERATOR).total == 3
    assert backend.status().documents_by_type == {"case_study": 1, "method_guide": 1, "thread": 1}


def test_suggestions_complete_titles(backend):
    found = backend.suggest("smart me", visibility=VISITOR)
    assert [s.url for s in found] == ["/kb/7/"]
    assert backend.suggest("", visibility=VISITOR) == []


def test_more_like_this_finds_related_documents_but_not_itself(backend):
    related = backend.more_like_this("kb.page:1", visibility=VISITOR)
    assert related
    assert "kb.page:1" not in {h.id for h in related}
    assert backend.more_like_this("kb.page:999", visibility=VISITOR) == []


def test_status_counts_documents_per_type(backend):
    assert backend.status().documents_by_type == {"case_study": 5, "method_guide": 4, "thread": 6}
