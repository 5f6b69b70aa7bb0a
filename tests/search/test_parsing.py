"""The shared query parser: text, glossary expansion, filters and bad input."""

import pytest

from search.glossary import EMPTY_GLOSSARY, Glossary, normalise, words
from search.parsing import MAX_QUERY_LENGTH, parse_query
from search.query import Clause
from taxonomy.models import GlossaryTerm

GLOSSARY = Glossary.from_entries([("Non-revenue water", "NRW", "water losses")])


def parse(text, **options):
    return parse_query(text, glossary=options.pop("glossary", EMPTY_GLOSSARY), **options)


def alternatives(parsed):
    return [clause.alternatives for clause in parsed.clauses]


def test_words_are_normalised_for_comparison():
    assert normalise("Ｃａｆé ÉCOLE") == "cafe ecole"
    assert words("Non-Revenue  Water's") == ("non", "revenue", "water", "s")


def test_each_word_is_a_clause_and_the_last_one_a_prefix_while_typing():
    parsed = parse("leak detec")
    assert parsed.clauses == (
        Clause(alternatives=(("leak",),)),
        Clause(alternatives=(("detec",),), prefix=True),
    )
    assert not any(c.prefix for c in parse("leak detec ").clauses)
    assert not any(c.prefix for c in parse("leak detec?").clauses)


def test_quoted_phrases_and_exclusions():
    parsed = parse('"smart meter" -prepaid -"late fees" rollout')
    assert alternatives(parsed) == [(("rollout",),), (("smart", "meter"),)]
    assert parsed.clauses[1].quoted
    assert parsed.excluded == (("prepaid",), ("late", "fees"))


def test_an_unpaired_quote_and_a_lone_minus_are_plain_text():
    assert alternatives(parse('"unbalanced quote')) == [(("unbalanced",),), (("quote",),)]
    assert parse("- -").clauses == ()
    assert parse("- -").excluded == ()
    only_minus = parse("-water -radio")
    assert only_minus.clauses == ()
    assert only_minus.excluded == (("water",), ("radio",))


def test_search_syntax_characters_are_text():
    parsed = parse("title:water* NEAR(a b) ^c OR d \\ / ~ e")
    flat = [alt[0][0] for alt in alternatives(parsed)]
    assert flat == ["title", "water", "near", "b", "c", "d", "e"]


def test_function_words_are_dropped_unless_nothing_else_is_left():
    assert alternatives(parse("how do I reduce leaks ")) == [(("reduce",),), (("leaks",),)]
    assert len(parse("how do I ").clauses) == 3
    assert alternatives(parse('"the end"')) == [(("the", "end"),)]


def test_control_characters_are_removed_and_long_text_cut_with_a_notice():
    assert parse("wa\x00ter\x1b \u200b").text == "water"
    parsed = parse("x" * (MAX_QUERY_LENGTH + 50))
    assert len(parsed.text) == MAX_QUERY_LENGTH
    assert parsed.notices


def test_the_glossary_turns_a_term_its_acronym_and_synonyms_into_one_clause():
    for text in ("NRW reports", "non-revenue water reports", "water loss reports"):
        parsed = parse(text, glossary=GLOSSARY)
        assert len(parsed.clauses) == 2, text
        assert set(parsed.clauses[0].alternatives) == {
            ("nrw",),
            ("non", "revenue", "water"),
            ("water", "losses"),
        } | {parsed.clauses[0].alternatives[0]}
    assert parse("NRW", glossary=GLOSSARY).clauses[0].alternatives[0] == ("nrw",)


def test_a_quoted_glossary_term_is_not_expanded():
    parsed = parse('"water losses"', glossary=GLOSSARY)
    assert parsed.clauses == (Clause(alternatives=(("water", "losses"),), quoted=True),)


@pytest.mark.django_db
def test_an_editors_new_glossary_entry_works_on_the_next_query():
    assert len(parse_query("csat ").clauses[0].alternatives) == 1
    entry = GlossaryTerm.objects.create(
        term="Customer satisfaction", slug="csat", definition="-", acronyms="CSAT"
    )
    assert ("customer", "satisfaction") in parse_query("csat ").clauses[0].alternatives
    entry.synonyms = "happy customers"
    entry.save()
    assert ("happy", "customers") in parse_query("csat ").clauses[0].alternatives


@pytest.mark.django_db
def test_filters_keep_known_values_and_drop_the_rest_with_a_notice():
    parsed = parse(
        "",
        filters={
            "type": ["thread", "poem"],
            "region": ["sub-saharan-africa", "atlantis"],
            "country": ["KE", "kenya", "zz"],
            "year": ["2023", "23", "1800", "abc"],
            "colour": ["red"],
            "topic": [],
        },
    )
    assert parsed.filters == {
        "type": ("thread",),
        "region": ("sub-saharan-africa",),
        "country": ("kenya",),
        "year": ("2023",),
    }
    joined = " ".join(parsed.notices)
    for dropped in ("poem", "atlantis", "zz", "1800", "abc", "colour"):
        assert dropped in joined


@pytest.mark.parametrize(("page", "expected"), [("2", 2), ("0", 1), ("-3", 1), ("x", 1)])
def test_a_bad_page_becomes_the_first_with_a_notice(page, expected):
    parsed = parse("", page=page)
    assert parsed.page == expected
    assert bool(parsed.notices) is (expected != int(page) if page.lstrip("-").isdigit() else True)


def test_an_unknown_sort_becomes_relevance_with_a_notice():
    parsed = parse("", sort="cheapest")
    assert parsed.sort == "relevance"
    assert parsed.notices
    assert parse("", sort="newest").sort == "newest"


@pytest.mark.parametrize(
    "text", ["", '"', "-", '-""', "***", "\\\\", "(((", "NEAR/", "\x00" * 10, "é" * 1000]
)
def test_nothing_raises(text):
    parse(text)
