"""The JSON API: its shape, its errors, the anonymous rate limit and the OpenAPI schema."""

import pytest
from django.core.cache import cache

from search import openapi
from search.documents import MEMBERS, THREAD
from search.selectors import SEARCH_PARAMETERS
from tests.factories.members import MemberFactory
from tests.factories.search import AFRICA, RISK, fresh_index, index_documents, search_document

pytestmark = pytest.mark.django_db

SEARCH = "/api/search/"


@pytest.fixture(autouse=True)
def _fresh_index(settings, tmp_path):
    cache.clear()
    yield from fresh_index(settings, tmp_path)
    cache.clear()


@pytest.fixture
def docs():
    return index_documents(
        search_document(
            title="Drought messages that worked",
            summary="A utility cut demand with drought messaging by SMS.",
            topics=(RISK,),
            regions=(AFRICA,),
        ),
        search_document(
            type=THREAD,
            title="Drought slogans customers remember",
            summary="Which drought slogans work?",
        ),
        search_document(
            title="Members-only drought figures",
            summary="Confidential drought figures.",
            visibility=(MEMBERS,),
        ),
    )


def test_search_answers_results_facets_total_page_and_timing(client, docs):
    response = client.get(SEARCH, {"q": "drought"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["total"] == 2
    assert data["page"] == 1
    assert isinstance(data["took_ms"], int | float)
    assert data["notices"] == []
    assert data["suggestion"] == ""
    first = next(r for r in data["results"] if r["title"] == "Drought messages that worked")
    assert set(first) >= {"id", "type", "title", "url", "snippet", "topics", "regions", "published"}
    assert first["id"] == docs[0].id
    assert first["type"] == "case_study"
    assert first["topics"] == [{"slug": RISK.slug, "label": RISK.label}]
    assert first["regions"] == [{"slug": AFRICA.slug, "label": AFRICA.label}]
    assert "<mark>" in first["snippet"].lower()
    assert first["published"].startswith(str(docs[0].published.year))
    types = {v["value"]: v["count"] for v in data["facets"]["type"]}
    assert types == {"case_study": 1, "thread": 1}


def test_search_never_shows_members_only_documents_to_anonymous_callers(client, docs):
    titles = [r["title"] for r in client.get(SEARCH, {"q": "drought"}).json()["results"]]
    assert "Members-only drought figures" not in titles
    client.force_login(MemberFactory())
    titles = [r["title"] for r in client.get(SEARCH, {"q": "drought"}).json()["results"]]
    assert "Members-only drought figures" in titles


def test_search_filters_with_the_same_parameters_as_the_page(client, docs):
    data = client.get(SEARCH, {"q": "drought", "type": "thread"}).json()
    assert [r["type"] for r in data["results"]] == ["thread"]
    assert {v["value"]: v["selected"] for v in data["facets"]["type"]}["thread"] is True


def test_unknown_facet_values_and_long_queries_are_notices_not_errors(client, docs):
    response = client.get(SEARCH, {"q": "drought " * 80, "region": "atlantis"})
    assert response.status_code == 200
    assert len(response.json()["notices"]) >= 2


@pytest.mark.parametrize(
    "params",
    [{"page": "abc"}, {"page": "0"}, {"page": "-3"}, {"sort": "cheapest"}],
)
def test_unreadable_page_or_sort_is_a_400_with_a_json_error(client, docs, params):
    response = client.get(SEARCH, {"q": "drought", **params})
    assert response.status_code == 400
    assert response.json()["error"]


@pytest.mark.parametrize("query", ['"unbalanced', "-", "NEAR(a b)", "a:b ^2 *", "\x00\x1f"])
def test_hostile_queries_answer_200(client, docs, query):
    assert client.get(SEARCH, {"q": query}).status_code == 200


def test_a_page_past_the_end_answers_an_empty_list(client, docs):
    data = client.get(SEARCH, {"q": "drought", "page": "40"}).json()
    assert data["results"] == []
    assert data["total"] == 2
    assert data["page"] == 40


def test_only_get_is_allowed(client, docs):
    response = client.post(SEARCH, {"q": "drought"})
    assert response.status_code == 405
    assert response.json()["error"]


def test_suggest_answers_titles_matching_a_prefix(client, docs):
    data = client.get("/api/search/suggest/", {"q": "drou"}).json()
    assert data["query"] == "drou"
    titles = [r["title"] for r in data["results"]]
    assert "Drought messages that worked" in titles
    assert "Members-only drought figures" not in titles
    assert {"title", "url", "type"} <= set(data["results"][0])


def test_suggest_with_nothing_typed_answers_an_empty_list(client, docs):
    assert client.get("/api/search/suggest/").json()["results"] == []


def test_related_answers_similar_visible_documents_never_the_document_itself(client, docs):
    data = client.get(f"/api/search/related/{docs[0].id}/").json()
    ids = [r["id"] for r in data["results"]]
    assert docs[0].id not in ids
    assert docs[1].id in ids
    assert docs[2].id not in ids


@pytest.mark.parametrize("doc_id", ["nonsense", "kb.page:abc", "auth.user:1"])
def test_related_with_a_malformed_id_is_a_400(client, doc_id):
    response = client.get(f"/api/search/related/{doc_id}/")
    assert response.status_code == 400
    assert "kb.page" in response.json()["error"]


def test_related_of_an_unknown_document_is_empty(client, docs):
    assert client.get("/api/search/related/kb.page:999999/").json()["results"] == []


def test_anonymous_callers_over_the_limit_get_429_with_retry_after(client, docs, settings):
    settings.SEARCH_API_ANONYMOUS_LIMIT = 3
    settings.SEARCH_API_WINDOW_SECONDS = 60
    statuses = [client.get(SEARCH, {"q": "drought"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    response = client.get("/api/search/suggest/", {"q": "dro"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["error"]
    other_caller = client.get(SEARCH, {"q": "drought"}, REMOTE_ADDR="10.0.0.9")
    assert other_caller.status_code == 200


def test_signed_in_callers_are_not_rate_limited(client, docs, settings):
    settings.SEARCH_API_ANONYMOUS_LIMIT = 1
    client.force_login(MemberFactory())
    assert [client.get(SEARCH, {"q": "x"}).status_code for _ in range(3)] == [200, 200, 200]


def test_the_schema_is_openapi_3_1_and_lists_exactly_the_parameters_the_api_reads(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"] == "3.1.0"
    search = schema["paths"]["/api/search/"]["get"]
    assert tuple(p["name"] for p in search["parameters"]) == SEARCH_PARAMETERS
    assert set(schema["paths"]) == {
        "/api/search/",
        "/api/search/suggest/",
        "/api/search/related/{id}/",
    }


def test_every_parameter_in_the_schema_changes_what_the_api_answers(client, docs):
    """The schema's parameters are really read: each one, given a value that matches
    nothing, changes the answer (and an undocumented parameter does not)."""
    baseline = client.get(SEARCH, {"q": "drought"}).json()
    unmatched = {
        "q": "zzzzqqq",
        "type": "method_guide",
        "topic": "tariffs-and-investment",
        "region": "oceania",
        "country": "fiji",
        "audience": "media",
        "channel": "radio-and-tv",
        "year": "1951",
        "sort": "newest",
        "page": "2",
    }
    assert set(unmatched) == set(SEARCH_PARAMETERS)
    for name, value in unmatched.items():
        params = {"q": "drought", name: value}
        answer = client.get(SEARCH, params).json()
        changed = (answer["total"], answer["page"], answer["results"]) != (
            baseline["total"],
            baseline["page"],
            baseline["results"],
        ) or (name == "sort")
        assert changed, name
    ignored = client.get(SEARCH, {"q": "drought", "colour": "red"}).json()
    assert ignored["total"] == baseline["total"]


def _check(schema: dict, value, components: dict, where: str) -> None:
    """A small structural check of ``value`` against an OpenAPI schema (types, required
    properties, array items, $ref), enough to keep the hand-written schema honest."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    types = schema.get("type")
    types = types if isinstance(types, list) else [types] if types else []
    python = {
        "object": dict,
        "array": list,
        "string": str,
        "integer": int,
        "number": (int, float),
        "boolean": bool,
        "null": type(None),
    }
    if types:
        assert isinstance(value, tuple(python[t] for t in types)), f"{where}: {value!r}"
    if isinstance(value, dict):
        for name in schema.get("required", ()):
            assert name in value, f"{where}: missing {name}"
        properties = schema.get("properties", {})
        if properties:
            assert set(value) <= set(properties), (
                f"{where}: undocumented {set(value) - set(properties)}"
            )
        for name, item in value.items():
            sub = properties.get(name) or schema.get("additionalProperties")
            if isinstance(sub, dict):
                _check(sub, item, components, f"{where}.{name}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            _check(schema["items"], item, components, f"{where}[{i}]")


def test_answers_match_the_schema(client, docs):
    schema = openapi.schema(server_url="http://testserver")
    components = schema["components"]["schemas"]
    _check(
        components["SearchResponse"],
        client.get(SEARCH, {"q": "drought"}).json(),
        components,
        "search",
    )
    _check(
        components["SuggestResponse"],
        client.get("/api/search/suggest/", {"q": "dro"}).json(),
        components,
        "suggest",
    )
    _check(
        components["RelatedResponse"],
        client.get(f"/api/search/related/{docs[0].id}/").json(),
        components,
        "related",
    )
    _check(components["Error"], client.get(SEARCH, {"page": "x"}).json(), components, "error")
