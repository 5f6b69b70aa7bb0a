"""The /search/ page: results, facets, filters, paging, the browse view and bad input."""

import pytest
from django.contrib.auth.models import AnonymousUser

from search.backends import search_backend
from search.backends.fallback import fallback_notice
from search.documents import MEMBERS, METHOD_GUIDE, THREAD
from search.services.indexing import EMBEDDED, target_backend
from tests.factories.members import MemberFactory
from tests.factories.search import (
    AFRICA,
    EUROPE,
    RISK,
    TRUST,
    fresh_index,
    index_documents,
    search_document,
)
from tests.search.test_elasticsearch_outage import closed_port_url

pytestmark = pytest.mark.django_db

URL = "/search/"


@pytest.fixture(autouse=True)
def _fresh_index(settings, tmp_path):
    yield from fresh_index(settings, tmp_path)


@pytest.fixture
def corpus():
    return index_documents(
        search_document(
            title="Drought messages that worked",
            summary="A utility cut demand with drought messaging by SMS.",
            topics=(RISK,),
            regions=(AFRICA,),
        ),
        search_document(
            type=METHOD_GUIDE,
            title="How to plan drought communication",
            summary="Steps for a drought campaign.",
            topics=(RISK,),
            regions=(EUROPE,),
        ),
        search_document(
            type=THREAD,
            title="Which drought slogans do customers remember?",
            summary="We are planning a drought campaign and want slogans.",
            topics=(TRUST,),
            regions=(AFRICA,),
            author="Amina Otieno",
        ),
        search_document(
            title="Members-only drought evaluation",
            summary="Confidential drought evaluation figures.",
            visibility=(MEMBERS,),
        ),
    )


def test_results_mix_kb_pages_and_threads_with_badges_snippets_chips_and_authors(client, corpus):
    response = client.get(URL, {"q": "drought"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Drought messages that worked" in html
    assert "Which drought slogans do customers remember?" in html
    assert 'search-badge--thread">Forum thread<' in html
    assert 'search-badge--case_study">Case study<' in html
    assert "<mark>" in html.lower()
    assert "By Amina Otieno" in html
    assert f'href="{URL}?q=drought&amp;topic=risk-and-crisis-communication"' in html


def test_a_members_only_document_never_reaches_a_visitor_but_reaches_a_member(client, corpus):
    assert "Members-only drought evaluation" not in client.get(URL, {"q": "drought"}).text
    client.force_login(MemberFactory())
    assert "Members-only drought evaluation" in client.get(URL, {"q": "drought"}).text


def test_facets_show_counts_as_checkboxes_in_a_get_form(client, corpus):
    html = client.get(URL, {"q": "drought"}).content.decode()
    assert '<form class="search-facets" method="get" action="/search/"' in html
    assert 'name="type" value="thread"' in html
    assert 'Forum thread <span class="search-count">(1' in html
    assert 'name="region" value="sub-saharan-africa"' in html
    assert 'Sub-Saharan Africa <span class="search-count">(2' in html


def test_a_filter_narrows_results_and_is_shown_as_removable(client, corpus):
    response = client.get(URL, {"q": "drought", "type": "thread"})
    page = response.context["search"]
    assert [item.hit.type for item in page.items] == ["thread"]
    [active] = page.active_filters
    assert (active.facet, active.value, active.label) == ("type", "thread", "Forum thread")
    assert active.remove_url == f"{URL}?q=drought"
    assert f'href="{URL}?q=drought"' in response.content.decode()


def test_several_values_of_a_facet_are_or_and_the_url_is_shareable(client, corpus):
    response = client.get(URL, {"q": "drought", "type": ["thread", "method_guide"]})
    page = response.context["search"]
    assert sorted(item.hit.type for item in page.items) == ["method_guide", "thread"]
    again = client.get(page.active_filters[0].remove_url)
    assert [item.hit.type for item in again.context["search"].items] == ["method_guide"]


def test_a_page_past_the_end_is_empty_with_a_link_back(client, corpus):
    response = client.get(URL, {"q": "drought", "page": "9"})
    assert response.status_code == 200
    page = response.context["search"]
    assert page.out_of_range
    assert not page.items
    assert page.back_url == f"{URL}?q=drought"
    assert "There are no results on page 9." in response.text
    assert 'href="/search/?q=drought"' in response.text


def test_an_absurd_page_number_is_out_of_range_too(client, corpus):
    response = client.get(URL, {"q": "drought", "page": "99999999999999999999"})
    assert response.status_code == 200
    assert response.context["search"].out_of_range


def test_a_page_number_that_is_not_a_number_shows_the_first_page_with_a_notice(client, corpus):
    response = client.get(URL, {"q": "drought", "page": "two"})
    page = response.context["search"]
    assert page.query.page == 1
    assert page.items
    assert any("two" in notice for notice in page.notices)


def test_an_unknown_facet_value_is_ignored_with_a_notice(client, corpus):
    response = client.get(URL, {"q": "drought", "topic": "no-such-topic"})
    assert response.status_code == 200
    page = response.context["search"]
    assert page.items
    assert not page.active_filters
    assert page.notices
    assert "no-such-topic" in response.text


@pytest.mark.parametrize(
    "query",
    [
        "drought " * 100,
        '"drought messages',
        "-",
        "- -",
        "-drought -slogans",
        "drought*",
        "drought^2",
        "drought NEAR slogans",
        "title:drought",
        "(drought) OR (slogans",
        "drought\x00\x07\x1b slogans",
        "\u202edrought",
        "*",
        '""',
        "AND OR NOT",
    ],
)
def test_bad_input_is_parsed_as_text_and_never_fails(client, corpus, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert "\x00" not in response.text


def test_a_query_over_500_characters_is_cut_with_a_notice(client, corpus):
    response = client.get(URL, {"q": "drought " * 100})
    page = response.context["search"]
    assert len(page.text) <= 500
    assert page.notices


def test_no_results_offers_did_you_mean_from_the_index_vocabulary(client, corpus):
    response = client.get(URL, {"q": "drogt", "type": "thread"})
    page = response.context["search"]
    assert not page.items
    assert "Did you mean:" in response.text
    assert page.suggestion_url == f"{URL}?q=drought&type=thread"
    assert 'href="/search/?q=drought&amp;type=thread">drought</a>' in response.text


def test_no_results_links_to_the_same_search_without_each_filter(client, corpus):
    response = client.get(URL, {"q": "drought", "region": "oceania", "type": "thread"})
    page = response.context["search"]
    assert not page.items
    html = response.content.decode()
    assert "Without Region: Oceania (excluding Australia and New Zealand)" in html
    assert f'href="{URL}?q=drought&amp;type=thread"' in html
    assert "Without Type: Forum thread" in html
    assert f'href="{URL}?q=drought&amp;region=oceania"' in html


def test_an_empty_query_shows_the_browse_view_of_new_and_popular_items(client, corpus):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Popular across the hub" in html
    assert "Newest forum threads" in html
    assert "Which drought slogans do customers remember?" in html
    assert "Members-only drought evaluation" not in html


def test_filters_without_words_list_matching_items(client, corpus):
    response = client.get(URL, {"type": "thread"})
    page = response.context["search"]
    assert not page.is_browse
    assert [item.hit.type for item in page.items] == ["thread"]


# -- Elasticsearch down: the real backend on a closed port (connections refused) ---------------


@pytest.fixture
def elasticsearch_down(settings):
    """The site on Elasticsearch at a port nothing listens on. Returns a function that sets
    SEARCH_KEEP_EMBEDDED_FALLBACK and indexes documents into the embedded index (the kept
    copy the outbox maintains), as the site would have before the outage."""

    def configure(*, keep_fallback: bool, docs=()):
        settings.SEARCH_BACKEND = "elasticsearch"
        settings.ELASTICSEARCH_URL = closed_port_url()
        settings.ELASTICSEARCH_INDEX_PREFIX = "pcc-test-views-down"
        settings.SEARCH_KEEP_EMBEDDED_FALLBACK = keep_fallback
        search_backend.cache_clear()
        target_backend(EMBEDDED).index(list(docs))

    yield configure
    search_backend.cache_clear()


def drought_docs():
    return [
        search_document(title="Drought messages that worked", summary="Drought SMS."),
        search_document(title="Secret drought figures", visibility=(MEMBERS,)),
    ]


def test_without_a_fallback_the_page_says_search_is_unavailable_never_an_error(
    client, elasticsearch_down
):
    elasticsearch_down(keep_fallback=False, docs=drought_docs())

    response = client.get(URL, {"q": "drought", "type": "case_study"})
    browse = client.get(URL)

    assert response.status_code == 200
    assert response.context["search"].unavailable
    assert "Search is slow or unavailable at the moment." in response.text
    assert "Drought messages that worked" not in response.text
    assert browse.status_code == 200


def test_without_a_fallback_the_api_answers_503_in_json(client, elasticsearch_down):
    elasticsearch_down(keep_fallback=False, docs=drought_docs())

    response = client.get("/api/search/", {"q": "drought"})
    suggest = client.get("/api/search/suggest/", {"q": "drou"})

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "unavailable" in response.json()["error"]
    assert suggest.status_code == 200
    assert suggest.json()["results"] == []


def test_with_the_fallback_kept_the_page_serves_it_with_a_notice(client, elasticsearch_down):
    elasticsearch_down(keep_fallback=True, docs=drought_docs())

    response = client.get(URL, {"q": "drought"})

    assert response.status_code == 200
    page = response.context["search"]
    assert not page.unavailable
    assert [item.hit.title for item in page.items] == ["Drought messages that worked"]
    assert fallback_notice() in page.notices
    assert "backup copy of the index" in response.text


def test_with_the_fallback_kept_the_api_serves_it_with_the_notice(client, elasticsearch_down):
    elasticsearch_down(keep_fallback=True, docs=drought_docs())

    response = client.get("/api/search/", {"q": "drought"})

    assert response.status_code == 200
    body = response.json()
    assert [result["title"] for result in body["results"]] == ["Drought messages that worked"]
    assert fallback_notice() in body["notices"]
    suggest = client.get("/api/search/suggest/", {"q": "drou"}).json()
    assert [s["title"] for s in suggest["results"]] == ["Drought messages that worked"]


def test_the_page_query_count_does_not_grow_with_the_number_of_results(client):
    member = MemberFactory()
    client.force_login(member)

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"q": "drought", "topic": RISK.slug}).status_code == 200
        return len(captured)

    index_documents(*(search_document(title=f"Drought {n}") for n in range(3)))
    few = count_queries()
    index_documents(*(search_document(title=f"Drought more {n}") for n in range(25)))
    many = count_queries()
    assert few == many
    assert many <= 15


def test_the_search_page_works_for_a_visitor_without_a_session(rf, corpus):
    from search.views import search_page

    request = rf.get(URL, {"q": "drought"})
    request.user = AnonymousUser()
    assert search_page(request).status_code == 200
