"""The search JSON API (/api/search/, /api/search/suggest/, /api/search/related/<id>/) with
hostile documents, on the embedded backend and on a real Elasticsearch node, every string
field checked according to what /api/schema/ says it is:

- "HTML: ..." (the snippet): parsed, it holds no script-capable construct and no tag but
  ``<mark>``;
- "Path of the page on this site.": a path (``/...``, never ``//``, no scheme), since
  static/js/search-autocomplete.js navigates to it (``window.location.assign``);
- plain text (``search.openapi.PLAIN``): the text exactly as indexed or typed, never escaped
  or marked up by the API; it is the client's to escape. The site's own client,
  static/js/search-autocomplete.js, inserts ``title`` and ``type_label`` with ``textContent``
  (its ``render``), the only API strings it shows.

The search page and "did you mean" on Elasticsearch are checked here too, like
test_xss_surfaces.py does on the embedded backend.
"""

import re

import pytest
from django.urls import reverse

from search import openapi
from search.documents import PUBLIC, THREAD, Term
from search.parsing import clean_text
from search.selectors import type_label
from tests.factories.members import MemberFactory
from tests.factories.search import index_documents, search_document
from tests.security import summary
from tests.security.hostile import INPUTS, assert_no_script_capable_construct, record_surface

pytestmark = pytest.mark.django_db

MARKER = "zebrafish"
DOCUMENT_ID = re.compile(r"^(kb\.page|forum\.thread):[0-9]+$")
TERMS = 16  # hostile topic and region labels, shared by the documents in turn
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")


@pytest.fixture(params=["embedded", "elasticsearch"])
def backend(request, settings):
    """The site's search on the embedded index (the test settings' own) or on a real
    Elasticsearch node (tests/search/conftest.py's ``es_backend``, its own indices)."""
    from search.backends import search_backend

    if request.param == "elasticsearch":
        es_backend = request.getfixturevalue("es_backend")
        settings.SEARCH_BACKEND = "elasticsearch"
        settings.SEARCH_KEEP_EMBEDDED_FALLBACK = False
        settings.ELASTICSEARCH_URL = es_backend.url
        settings.ELASTICSEARCH_INDEX_PREFIX = es_backend.prefix
        search_backend.cache_clear()
        assert search_backend().prefix == es_backend.prefix
    yield request.param
    search_backend.cache_clear()


def hostile_terms(prefix: str) -> list[Term]:
    return [
        Term(f"hostile-{prefix}-{n}", f"{n} {INPUTS[n * 7 % len(INPUTS)]}"[:120])
        for n in range(TERMS)
    ]


@pytest.fixture
def documents(backend):
    topics, regions = hostile_terms("topic"), hostile_terms("region")
    docs = index_documents(
        *[
            search_document(
                type=THREAD if number % 2 else "case_study",
                title=f"{MARKER} {text}"[:200],
                summary=f"{MARKER} {text}",
                body=f"{text} {MARKER} {text}",
                author=text[:80],
                topics=(topics[number % TERMS],),
                regions=(regions[number % TERMS],),
                visibility=(PUBLIC,),
            )
            for number, text in enumerate(INPUTS)
        ]
    )
    return {doc.id: doc for doc in docs}


# -- the schema says what each string is ----------------------------------------------------


def string_kind(schema: dict, where: str) -> str:
    description = schema.get("description", "")
    if description.startswith("HTML:"):
        return "html"
    if description == "Path of the page on this site.":
        return "path"
    if openapi.PLAIN in description:
        return "plain"
    if "enum" in schema:
        return "enum"
    if schema.get("format") == "date-time":
        return "date-time"
    if where.endswith(".id"):
        return "document id"
    raise AssertionError(f"{where}: the schema does not say what this string is: {schema}")


def string_fields(schema: dict, components: dict, where: str):
    """(where, kind) of every string the schema describes, ``$ref``s resolved."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        yield from string_fields(components[name], components, name)
        return
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "string" in kinds:
        yield where, string_kind(schema, where)
    for name, sub in schema.get("properties", {}).items():
        yield from string_fields(sub, components, f"{where}.{name}")
    if isinstance(schema.get("additionalProperties"), dict):
        yield from string_fields(schema["additionalProperties"], components, f"{where}.*")
    if "items" in schema:
        yield from string_fields(schema["items"], components, f"{where}[]")


def test_every_string_of_the_search_api_schema_says_whether_it_is_html_a_path_or_plain_text(
    client,
):
    schema = client.get("/api/schema/").json()
    components = schema["components"]["schemas"]
    fields = dict(string_fields({"$ref": "#/Error"}, components, "")) | {
        where: kind
        for name in ("SearchResponse", "SuggestResponse", "RelatedResponse")
        for where, kind in string_fields(components[name], components, name)
    }
    assert fields["Hit.snippet"] == "html"
    assert [where for where, kind in fields.items() if kind == "html"] == ["Hit.snippet"]
    assert fields["Hit.url"] == fields["SuggestResponse.results[].url"] == "path"
    for where in ("Hit.title", "Hit.author", "Term.label", "FacetValue.label"):
        assert fields[where] == "plain", where
    assert fields["SuggestResponse.results[].title"] == "plain"
    assert fields["SearchResponse.suggestion"] == "plain"


# -- the responses, field by field ----------------------------------------------------------


class FieldChecker:
    """Walks a response along its schema and checks each string by its kind."""

    def __init__(self, client, documents: dict):
        schema = client.get("/api/schema/").json()
        self.components = schema["components"]["schemas"]
        self.documents = documents
        self.checked: dict[str, int] = {}
        self.source = ""
        # What the indexed documents themselves hold (hostile labels, titles, names).
        self.known = " ".join(
            text
            for doc in documents.values()
            for text in (doc.title, doc.author, *(t.label for t in (*doc.topics, *doc.regions)))
        )

    def check(self, value, schema: dict, where: str, *, expected=None):
        """``expected``: the plain text this string must be exactly, where the test knows."""
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            return self.check(value, self.components[name], name, expected=expected)
        if isinstance(value, dict):
            properties = schema.get("properties", {})
            extra = schema.get("additionalProperties")
            for key, item in value.items():
                sub = properties.get(key, extra if isinstance(extra, dict) else None)
                assert sub is not None, f"{where}: {key!r} is not in the schema"
                self.check(item, sub, f"{where}.{key}", expected=(expected or {}).get(key))
            return None
        if isinstance(value, list):
            for item in value:
                self.check(item, schema["items"], f"{where}[]")
            return None
        if isinstance(value, str):
            self.checked[where] = self.checked.get(where, 0) + 1
            kind = string_kind(schema, where)
            if kind == "html":
                assert_no_script_capable_construct(value, where)
                tags = {tag.lower() for tag in _TAG.findall(value)}
                assert tags <= {"mark"}, f"{where}: tags {tags} in {value[:200]!r}"
            elif kind == "path":
                assert value.startswith("/"), f"{where}: {value!r}"
                assert not value.startswith(("//", "/\\")), f"{where}: {value!r}"
                assert ":" not in value.split("/", 2)[1], value
            elif kind == "plain" and expected is not None:
                assert value == expected, f"{where}: {value!r} is not the text {expected!r}"
            elif kind == "plain":
                # Not marked up or escaped by the API: no highlight and no entity the text
                # it came from (the query, ``self.source``) did not hold itself.
                for made in ("<mark", "&lt;", "&gt;", "&amp;", "&quot;", "&#"):
                    assert made not in value or made in self.source + self.known, (
                        f"{where}: {value!r}"
                    )
            elif kind == "enum":
                assert value in schema["enum"], f"{where}: {value!r}"
            elif kind == "document id":
                assert DOCUMENT_ID.match(value), f"{where}: {value!r}"
        return None

    def hit(self, hit: dict, where: str):
        doc = self.documents[hit["id"]]
        expected = {
            "title": doc.title,
            "url": doc.url,
            "author": doc.author,
            "type_label": str(type_label(doc.type)),
        }
        self.check(hit, {"$ref": "#/Hit"}, where, expected=expected)
        # Terms: each label exactly as indexed for its slug.
        for group in ("topics", "regions"):
            labels = {term.slug: term.label for term in getattr(doc, group)}
            for term in hit[group]:
                assert term["label"] == labels[term["slug"]], (where, term)


def test_search_api_results_facets_and_suggestions_are_html_only_where_the_schema_says(
    client, documents, backend
):
    # Signed in: the anonymous API limit (120 a minute) is tested in test_rate_limits.py.
    client.force_login(MemberFactory())
    checker = FieldChecker(client, documents)
    seen = set()
    labels = {
        term.slug: term.label for doc in documents.values() for term in (*doc.topics, *doc.regions)
    }
    for page_number in range(1, 60):
        response = client.get("/api/search/", {"q": MARKER, "page": page_number})
        if response.status_code == 400:  # past the last page
            break
        assert response.status_code == 200, response.content[:300]
        data = response.json()
        if not data["results"]:
            break
        for hit in data["results"]:
            checker.hit(hit, "Hit")
            seen.add(hit["id"])
        # Facet labels of topics and regions are the hostile labels as indexed (checked
        # exactly below); the walk checks the other strings are not marked up.
        checker.source = ""
        checker.check(
            {key: value for key, value in data.items() if key != "results"},
            checker.components["SearchResponse"],
            "SearchResponse",
            expected={"query": MARKER},
        )
        for group in ("topic", "region"):
            assert data["facets"][group], group
            for option in data["facets"][group]:
                assert option["label"] == labels[option["value"]], option
    assert len(seen) == len(documents), (backend, len(seen))

    for text in INPUTS:
        # The query and the notices echo it as plain text; nothing to find may be suggested.
        response = client.get("/api/search/", {"q": text})
        checker.source = text
        assert response.status_code in (200, 400), (text, response.status_code)
        data = response.json()
        if response.status_code == 400:
            checker.check(data, checker.components["Error"], "Error")
            continue
        checker.check(
            {key: value for key, value in data.items() if key != "results"},
            checker.components["SearchResponse"],
            "SearchResponse",
        )
        # The query as typed, without control or format characters (search.parsing), or cut.
        assert clean_text(text).strip().startswith(data["query"].strip()), (data["query"], text)
        for hit in data["results"]:
            checker.hit(hit, "Hit")

    suggested = 0
    for text in INPUTS:
        prefix = f"{MARKER} {text}"[:100]
        response = client.get("/api/search/suggest/", {"q": prefix})
        assert response.status_code == 200, (text, response.status_code)
        data = response.json()
        titles = {doc.title for doc in documents.values()}
        checker.check(
            data, checker.components["SuggestResponse"], "Suggest", expected={"query": prefix}
        )
        for result in data["results"]:
            assert result["title"] in titles, result["title"]  # the title as indexed
            assert result["type_label"] == str(type_label(result["type"]))
            suggested += 1
    assert suggested >= len(INPUTS) // 2, suggested

    for doc_id in list(documents)[::8]:
        response = client.get(f"/api/search/related/{doc_id}/")
        assert response.status_code == 200, response.content[:300]
        data = response.json()
        for hit in data["results"]:
            checker.hit(hit, "Hit")
        assert data["id"] == doc_id

    for where in ("Hit.title", "Hit.snippet", "Hit.author", "Hit.url", "Term.label"):
        assert checker.checked.get(where, 0) >= len(documents), (where, checker.checked)
    record_surface(f"search API hit fields, every string ({backend})", len(documents))
    record_surface(f"search API query/notices echo ({backend})", len(INPUTS))
    record_surface(f"search suggest API fields ({backend})", len(INPUTS))
    record_surface(f"search related API fields ({backend})", len(list(documents)[::8]))


# -- the page on Elasticsearch -------------------------------------------------------------


@pytest.mark.parametrize("backend", ["elasticsearch"], indirect=True)
def test_elasticsearch_snippets_titles_and_facets_on_the_results_page(client, documents, backend):
    pages = 0
    for page_number in range(1, 60):
        response = client.get(reverse("search:search"), {"q": MARKER, "page": page_number})
        if response.status_code != 200:
            break
        html = response.content.decode()
        if "search-result__snippet" not in html:
            break
        assert_no_script_capable_construct(html, f"results page {page_number} (Elasticsearch)")
        pages += 1
    assert pages >= 2
    for text in INPUTS:
        response = client.get(reverse("search:search"), {"q": f"{MARKER} {text}"[:200]})
        assert response.status_code == 200, text
        assert_no_script_capable_construct(response.content.decode(), f"q={text!r} (ES)")
    record_surface("search page snippets, titles, facets (Elasticsearch)", len(INPUTS))
    record_surface("search query echo (Elasticsearch)", len(INPUTS))


def test_did_you_mean_echoes_hostile_queries_safely_on_page_and_api(client, backend):
    # Documents without the hostile words, so a hostile query matches nothing and gets a
    # "did you mean" built from what was typed (tests/search/contract: ravlo -> radio).
    index_documents(
        search_document(title="Radio campaigns for water", body="Radio spots about meters."),
        search_document(title="Community radio", body="Local radio and water tariffs."),
    )
    client.force_login(MemberFactory())  # over the anonymous API limit otherwise
    alone = client.get("/api/search/", {"q": "ravlo"}).json()
    assert alone["suggestion"] == "radio", alone
    offered = 0
    for text in INPUTS:
        response = client.get(reverse("search:search"), {"q": f"ravlo {text}"})
        assert response.status_code == 200, text
        html = response.content.decode()
        assert_no_script_capable_construct(html, f"did you mean ({backend}) {text!r}")
        offered += 'class="search-suggestion"' in html
        data = client.get("/api/search/", {"q": f"ravlo {text}"}).json()
        checker_source = clean_text(text)
        for made in ("<mark", "&lt;", "&gt;", "&amp;", "&quot;"):
            assert made not in data["suggestion"] or made in checker_source, data
    # A suggestion needs every word to be near the vocabulary, so hostile words mostly get
    # none; the run summary says how many did.
    record_surface(f"search did-you-mean, page and API ({backend})", len(INPUTS))
    summary.add(f"did-you-mean offered for a hostile query ({backend})", offered)
