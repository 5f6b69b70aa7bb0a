"""search.selectors: parameters to a query, labels, links, browse, suggestions, related."""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from search.backends import search_backend
from search.documents import MEMBERS, THREAD
from search.selectors import (
    browse_sections,
    facet_labels,
    read_parameters,
    related_documents,
    relaxed_notice,
    search_page_results,
    search_url,
    suggestions,
)
from taxonomy.models import Topic
from tests.factories.members import MemberFactory
from tests.factories.search import AFRICA, RISK, fresh_index, index_documents, search_document

pytestmark = pytest.mark.django_db

VISITOR = AnonymousUser()


@pytest.fixture(autouse=True)
def _fresh_index(settings, tmp_path):
    yield from fresh_index(settings, tmp_path)


def test_read_parameters_keeps_search_parameters_only_cleaned_and_deduplicated():
    params = QueryDict(
        "q=drought%00+plan&type=thread&type=thread&type=&topic=a&colour=red&page=2&page=3"
    )
    assert read_parameters(params) == {
        "q": ("drought plan",),
        "type": ("thread",),
        "topic": ("a",),
        "page": ("2",),
    }


def test_search_urls_are_canonical_whatever_order_the_parameters_came_in():
    assert (
        search_url({"page": ("2",), "type": ("thread",), "q": ("nrw",), "sort": ("relevance",)})
        == "/search/?q=nrw&type=thread&page=2"
    )
    assert search_url({"page": ("1",)}) == "/search/"


def test_facet_labels_are_the_taxonomy_s_current_names_and_types_are_translated():
    Topic.objects.filter(slug=RISK.slug).update(name="Crisis messaging")
    labels = facet_labels({"topic": [RISK.slug, "nope"], "type": ["thread"]})
    assert labels == {"topic": {RISK.slug: "Crisis messaging"}, "type": {"thread": "Forum thread"}}


def test_facet_labels_take_one_query_per_taxonomy_facet(django_assert_num_queries):
    with django_assert_num_queries(3):
        facet_labels(
            {
                "topic": [RISK.slug],
                "region": [AFRICA.slug],
                "country": ["kenya", "ke"],
                "type": ["thread"],
            }
        )


def test_a_renamed_topic_shows_its_new_name_in_facets_and_active_filters():
    index_documents(search_document(title="Drought plan", topics=(RISK,)))
    Topic.objects.filter(slug=RISK.slug).update(name="Crisis messaging")
    page = search_page_results(params={"q": "drought", "topic": RISK.slug}, user=VISITOR)
    [active] = page.active_filters
    assert active.label == "Crisis messaging"
    topic_group = next(g for g in page.facets if g.name == "topic")
    assert {o.value: o.label for o in topic_group.options}[RISK.slug] == "Crisis messaging"


def test_facet_toggle_links_add_an_unselected_value_and_remove_a_selected_one():
    index_documents(
        search_document(title="Drought plan", type=THREAD),
        search_document(title="Drought study"),
    )
    page = search_page_results(params={"q": "drought", "type": "thread"}, user=VISITOR)
    options = {o.value: o for o in next(g for g in page.facets if g.name == "type").options}
    assert options["thread"].selected
    assert options["thread"].toggle_url == "/search/?q=drought"
    assert options["case_study"].toggle_url == "/search/?q=drought&type=thread&type=case_study"


def test_an_unknown_sort_falls_back_to_best_match_with_a_notice():
    page = search_page_results(params={"q": "drought", "sort": "price"}, user=VISITOR)
    assert page.sort == "relevance"
    assert any("price" in notice for notice in page.notices)


def test_browse_sections_show_popular_and_newest_per_type_only_visible_items():
    index_documents(
        search_document(title="Old thread", type=THREAD),
        search_document(title="A case study"),
        search_document(title="Secret study", visibility=(MEMBERS,)),
    )
    sections = browse_sections(user=VISITOR)
    keys = [s.key for s in sections]
    assert keys == ["popular", "case_study", "thread"]
    titles = {item.hit.title for s in sections for item in s.items}
    assert "Secret study" not in titles
    member_titles = {
        item.hit.title for s in browse_sections(user=MemberFactory()) for item in s.items
    }
    assert "Secret study" in member_titles


def test_suggestions_match_a_prefix_for_the_user_and_ignore_an_empty_one():
    index_documents(
        search_document(title="Drought messages"),
        search_document(title="Drought secrets", visibility=(MEMBERS,)),
    )
    assert [s.text for s in suggestions(prefix="drou", user=VISITOR)] == ["Drought messages"]
    assert suggestions(prefix="  \x00 ", user=VISITOR) == []


def test_related_documents_never_include_the_document_or_what_the_user_cannot_see():
    first, second, secret = index_documents(
        search_document(title="Drought messages by SMS", summary="drought sms messages"),
        search_document(title="Drought SMS reminders", summary="drought sms reminders"),
        search_document(title="Drought SMS secrets", summary="drought sms", visibility=(MEMBERS,)),
    )
    ids = [hit.id for hit in related_documents(doc_id=first.id, user=VISITOR)]
    assert ids == [second.id]
    assert related_documents(doc_id="kb.page:424242", user=VISITOR) == []


@pytest.fixture(params=["embedded", "elasticsearch"])
def each_backend(request, settings):
    """The site on each backend in turn (Elasticsearch: the real node, throw-away indices)."""
    if request.param == "elasticsearch":
        settings.ELASTICSEARCH_URL = request.getfixturevalue("elasticsearch_url")
        settings.SEARCH_BACKEND = "elasticsearch"
        settings.SEARCH_KEEP_EMBEDDED_FALLBACK = False
        settings.ELASTICSEARCH_INDEX_PREFIX = f"pcc-test-selectors-{uuid.uuid4().hex[:8]}"
        search_backend.cache_clear()
        yield request.param
        search_backend().delete_all()
        search_backend.cache_clear()
    else:
        yield request.param


def test_a_question_no_document_answers_in_full_shows_those_with_some_of_its_words(
    each_backend,
):
    index_documents(
        search_document(title="Boil water notices", summary="What a boil water text says."),
        search_document(title="Leak reports by SMS", summary="Residents text the utility."),
        search_document(title="Secret boil water drill", visibility=(MEMBERS,)),
    )
    page = search_page_results(params={"q": "what should a boil notice say tonight"}, user=VISITOR)
    titles = [item.hit.title for item in page.items]
    assert titles[0] == "Boil water notices"
    assert "Secret boil water drill" not in titles
    assert relaxed_notice() in page.notices
    assert page.total == len(titles)


def test_a_query_that_matches_in_full_is_not_relaxed(each_backend):
    index_documents(
        search_document(title="Boil water notices"),
        search_document(title="Boil the kettle"),
    )
    page = search_page_results(params={"q": "boil notices"}, user=VISITOR)
    assert [item.hit.title for item in page.items] == ["Boil water notices"]
    assert relaxed_notice() not in page.notices


def test_a_single_word_or_stop_words_that_match_nothing_are_not_relaxed(each_backend):
    index_documents(search_document(title="Drought messages", summary="Not in the plan."))
    nothing = search_page_results(params={"q": "zzzqx"}, user=VISITOR)
    assert nothing.total == 0
    assert relaxed_notice() not in nothing.notices
    # "no" and "such" are stop words to Elasticsearch's analyzer, not to the parser
    stop_words = search_page_results(params={"q": "no such zzzqx"}, user=VISITOR)
    assert stop_words.total == 0
    assert relaxed_notice() not in stop_words.notices
