"""Property tests of the shared search query parser (``search.parsing.parse_query``).

Whatever a visitor types or puts in the query string, the parser never raises and hands the
backends bounded, plain values, as its module docstring promises: text without control or
format characters and at most ``MAX_QUERY_LENGTH`` characters (a notice when cut), clauses and
exclusions made of normalised words drawn from that text only, the prefix flag on the last
clause only, filters limited to known facets and valid values, and page, page size and sort
within their ranges. Derandomised, so CI sees the same examples on every run.
"""

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.documents import DOCUMENT_TYPES
from search.glossary import EMPTY_GLOSSARY, Glossary, normalise, words
from search.parsing import (
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_QUERY_LENGTH,
    MAX_YEAR,
    MIN_YEAR,
    clean_text,
    parse_query,
)
from search.query import FACETS, SORTS
from taxonomy.models import GlossaryTerm
from tests.security import summary

EXAMPLES = 300
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,  # the database is only read
        HealthCheck.data_too_large,
    ],
)
GLOSSARY = Glossary.from_entries(
    [
        ("Non-revenue water", "NRW", "water losses"),
        ("Water safety plan", "WSP", "safety planning"),
        ("Behaviour change", "BCC", "behavior change, social marketing"),
    ]
)
GLOSSARIES = pytest.mark.parametrize("glossary", [EMPTY_GLOSSARY, GLOSSARY], ids=["none", "some"])

QUERY_SYNTAX = [
    '"',
    '-"',
    "-",
    " -",
    "*",
    "^2",
    ":",
    "(",
    ")",
    " NEAR ",
    " AND ",
    " OR ",
    " NOT ",
    "\\",
    "/",
    "~",
    "title:",
    "{",
    "}",
    "[",
    "]",
    "'",
    " ",
    "\t",
    "\n",
    "\x00",
    "\u200b",
    "\u202e",
    "\ufeff",
    "\ud800",
    "nrw",
    "NRWs",
    "non-revenue water",
    "water losses",
    "wsp",
    "the",
    "how do I",
    "what",
    "Straße",
    "ﬁ",
    "\ufdfa",  # NFKC expands it to 18 characters
    "é" * 40,
    "a " * 40,
    "x" * 120,
]
TEXT = st.lists(st.one_of(st.sampled_from(QUERY_SYNTAX), st.text(max_size=16)), max_size=40).map(
    "".join
)
LONG_TEXT = st.integers(min_value=MAX_QUERY_LENGTH - 5, max_value=3 * MAX_QUERY_LENGTH).flatmap(
    lambda n: st.text(alphabet=st.sampled_from('ab "-\x00\u200b\ufdfaé'), min_size=n, max_size=n)
)
VALUE = st.one_of(
    st.text(max_size=12),
    st.sampled_from(DOCUMENT_TYPES),
    st.sampled_from(
        ["1899", "1900", "2024", "2100", "2101", "０２０２", "02024", "ke", "KE", "zz"]
    ),
)
FILTERS = st.dictionaries(
    keys=st.one_of(st.sampled_from(FACETS), st.text(max_size=8)),
    values=st.one_of(VALUE, st.lists(VALUE, max_size=5)),
    max_size=5,
)
SORT = st.one_of(st.sampled_from(SORTS), st.text(max_size=10))
NUMBER = st.one_of(
    st.integers(),
    st.integers(min_value=-5, max_value=MAX_PAGE + 5),
    st.text(max_size=8),
    st.sampled_from(["", " 3 ", "1e3", "٣", "0x10", "1" * 5000]),
)


def assert_bounded(parsed, text: str) -> None:
    cleaned = clean_text(text)
    assert len(parsed.text) <= MAX_QUERY_LENGTH
    assert parsed.text == cleaned[:MAX_QUERY_LENGTH].strip()
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in parsed.text)
    cut = any("cut" in notice for notice in parsed.notices)
    assert cut == (len(cleaned) > MAX_QUERY_LENGTH)

    # Every word handed to a backend is a normalised word of the text itself: typed words
    # (alternatives[0] and exclusions) come from the text, in no greater number than it holds.
    available = words(parsed.text)
    typed = [w for clause in parsed.clauses for w in clause.alternatives[0]]
    typed += [w for sequence in parsed.excluded for w in sequence]
    assert len(typed) <= len(available)
    assert set(typed) <= set(available)
    assert len(parsed.clauses) <= len(available)
    for clause in parsed.clauses:
        assert clause.alternatives
        for alternative in clause.alternatives:
            assert alternative
            assert all(w and w == normalise(w) and w.isalnum() for w in alternative)
    assert all(sequence for sequence in parsed.excluded)
    assert len(set(parsed.excluded)) == len(parsed.excluded)
    # The prefix flag marks the word still being typed: on one clause at most, and only when
    # the text ends in that word (phrases are listed after the plain words, so the flagged
    # clause need not be the last one).
    flagged = [clause for clause in parsed.clauses if clause.prefix]
    assert len(flagged) <= 1
    if flagged:
        assert not cleaned[:MAX_QUERY_LENGTH].endswith(" ")
        assert available[-1] == flagged[0].alternatives[0][-1]

    assert 1 <= parsed.page <= MAX_PAGE
    assert 1 <= parsed.per_page <= MAX_PER_PAGE
    assert parsed.sort in SORTS
    assert set(parsed.filters) <= set(FACETS)
    for facet, values in parsed.filters.items():
        assert values
        assert len(set(values)) == len(values)
        if facet == "type":
            assert set(values) <= set(DOCUMENT_TYPES)
        if facet == "year":
            assert all(MIN_YEAR <= int(v) <= MAX_YEAR for v in values)
    assert all(isinstance(notice, str) and notice for notice in parsed.notices)


@GLOSSARIES
@FUZZ
@given(text=st.one_of(TEXT, LONG_TEXT))
def test_any_text_parses_to_bounded_clauses_and_the_same_result_twice(glossary, text):
    parsed = parse_query(text, glossary=glossary)
    assert_bounded(parsed, text)
    assert parse_query(text, glossary=glossary) == parsed
    summary.add("search parser fuzz: query texts parsed", 1)


@pytest.mark.django_db
@FUZZ
@given(text=TEXT, filters=FILTERS, sort=SORT, page=NUMBER, per_page=NUMBER)
def test_any_query_string_parses_to_known_filters_and_ranges(text, filters, sort, page, per_page):
    """The database glossary and taxonomy tables, as the search page and API use them."""
    parsed = parse_query(text, filters=filters, sort=sort, page=page, per_page=per_page)
    assert_bounded(parsed, text)
    summary.add("search parser fuzz: whole queries (text, filters, sort, page) parsed", 1)


@pytest.mark.django_db
def test_the_database_glossary_is_the_one_fuzzed_above_when_an_editor_adds_it():
    """The filter test above runs on the database's glossary: make sure it expands there too,
    so the property holds with real glossary rows and not only with an empty table."""
    GlossaryTerm.objects.create(term="Non-revenue water", acronyms="NRW", synonyms="water losses")
    parsed = parse_query("nrw")
    assert parsed.clauses[0].alternatives[1:] == (("non", "revenue", "water"), ("water", "losses"))
    assert_bounded(parsed, "nrw")


@pytest.mark.parametrize("text", ['-"a" -"a"', '-a -"a"', '-"a b" -"A-B" -a-b'])
def test_an_exclusion_repeated_quoted_or_bare_is_one_exclusion(text):
    """Found by the fuzzing above: quoted exclusions were not de-duplicated, bare ones were."""
    assert len(parse_query(text, glossary=EMPTY_GLOSSARY).excluded) == 1
