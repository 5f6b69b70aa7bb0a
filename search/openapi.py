"""The OpenAPI 3.1 description of the search API, served at /api/schema/.

Written by hand and kept honest by tests/search/test_api.py: its parameters of /api/search/
are exactly ``selectors.SEARCH_PARAMETERS``, and a response of each endpoint validates
against the schema of that endpoint.
"""

from search.documents import DOCUMENT_TYPES
from search.query import SORTS

# Every string is either HTML (said so: ``snippet``), a path on this site (``url``) or plain
# text, which a client must escape (or insert with textContent) before putting it in a page.
PLAIN = "Plain text: escape it before putting it in HTML."

TERM = {
    "type": "object",
    "properties": {
        "slug": {"type": "string", "description": PLAIN},
        "label": {"type": "string", "description": PLAIN},
    },
    "required": ["slug", "label"],
}

HIT = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "examples": ["kb.page:12", "forum.thread:7"]},
        "type": {"type": "string", "enum": list(DOCUMENT_TYPES)},
        "type_label": {"type": "string", "description": PLAIN},
        "title": {"type": "string", "description": PLAIN},
        "url": {"type": "string", "description": "Path of the page on this site."},
        "snippet": {
            "type": "string",
            "description": "HTML: escaped text with <mark> around the matched words.",
        },
        "topics": {"type": "array", "items": {"$ref": "#/components/schemas/Term"}},
        "regions": {"type": "array", "items": {"$ref": "#/components/schemas/Term"}},
        "author": {"type": "string", "description": PLAIN},
        "published": {"type": ["string", "null"], "format": "date-time"},
    },
    "required": ["id", "type", "title", "url", "snippet", "topics", "regions", "published"],
}

FACET_VALUE = {
    "type": "object",
    "properties": {
        "value": {"type": "string", "description": PLAIN},
        "label": {"type": "string", "description": PLAIN},
        "count": {"type": "integer", "minimum": 0},
        "selected": {"type": "boolean"},
    },
    "required": ["value", "label", "count", "selected"],
}

SEARCH_RESPONSE = {
    "type": "object",
    "properties": {
        "query": {"type": "string", "description": PLAIN},
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
        "facets": {
            "type": "object",
            "additionalProperties": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/FacetValue"},
            },
        },
        "total": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1},
        "took_ms": {"type": "number"},
        "notices": {"type": "array", "items": {"type": "string", "description": PLAIN}},
        "suggestion": {
            "type": "string",
            "description": "“Did you mean”, when nothing matched. " + PLAIN,
        },
    },
    "required": ["results", "facets", "total", "page", "took_ms", "notices", "suggestion"],
}

SUGGEST_RESPONSE = {
    "type": "object",
    "properties": {
        "query": {"type": "string", "description": PLAIN},
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "title": {"type": "string", "description": PLAIN},
                    "url": {"type": "string", "description": "Path of the page on this site."},
                    "type": {"type": "string", "enum": list(DOCUMENT_TYPES)},
                    "type_label": {"type": "string", "description": PLAIN},
                },
                "required": ["title", "url", "type"],
            },
        },
        "took_ms": {"type": "number"},
    },
    "required": ["query", "results", "took_ms"],
}

RELATED_RESPONSE = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
        "took_ms": {"type": "number"},
    },
    "required": ["id", "results", "took_ms"],
}

ERROR = {
    "type": "object",
    "properties": {"error": {"type": "string", "description": PLAIN}},
    "required": ["error"],
}


def _facet_parameter(name: str, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "description": description + " Repeat for several values (OR); different facets AND.",
        "schema": {"type": "array", "items": {"type": "string"}},
        "style": "form",
        "explode": True,
    }


SEARCH_PARAMETERS = [
    {
        "name": "q",
        "in": "query",
        "description": (
            'Words, "quoted phrases" and -exclusions; the last word also matches as a prefix.'
            " Longer than 500 characters is cut, with a notice. Empty: everything visible."
        ),
        "schema": {"type": "string"},
    },
    {
        "name": "type",
        "in": "query",
        "description": "Document type. Repeat for several values (OR).",
        "schema": {"type": "array", "items": {"type": "string", "enum": list(DOCUMENT_TYPES)}},
        "style": "form",
        "explode": True,
    },
    _facet_parameter("topic", "Topic slug; a parent topic includes its sub-topics."),
    _facet_parameter("region", "Region slug; a region includes its countries."),
    _facet_parameter("country", "Country slug."),
    _facet_parameter("audience", "Audience slug."),
    _facet_parameter("channel", "Channel slug."),
    {
        "name": "year",
        "in": "query",
        "description": "Year published. Repeat for several values (OR).",
        "schema": {"type": "array", "items": {"type": "integer"}},
        "style": "form",
        "explode": True,
    },
    {
        "name": "sort",
        "in": "query",
        "schema": {"type": "string", "enum": list(SORTS), "default": SORTS[0]},
    },
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
]


def _responses(ok_schema: str, *, bad_request: bool = True) -> dict:
    def error_response(description: str) -> dict:
        return {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }

    responses = {
        "200": {
            "description": "OK",
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{ok_schema}"}}
            },
        },
        "429": {
            **error_response("Too many requests from an anonymous caller."),
            "headers": {
                "Retry-After": {
                    "description": "Seconds to wait before the next request.",
                    "schema": {"type": "integer"},
                }
            },
        },
        "503": error_response("Search is unavailable at the moment."),
    }
    if bad_request:
        responses["400"] = error_response("A parameter could not be read.")
    return responses


def schema(*, server_url: str) -> dict:
    """The OpenAPI document, with ``server_url`` as its server."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "PCC Knowledge Hub search API",
            "version": "1",
            "description": (
                "One search across the knowledge base (case studies, method guides) and the"
                " forum. Results are what the caller may read: anonymous callers see public"
                " content; a signed-in session sees what its member sees. Anonymous callers"
                " are rate-limited."
            ),
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/api/search/": {
                "get": {
                    "operationId": "search",
                    "summary": "Search the hub, with facets",
                    "parameters": SEARCH_PARAMETERS,
                    "responses": _responses("SearchResponse"),
                }
            },
            "/api/search/suggest/": {
                "get": {
                    "operationId": "suggest",
                    "summary": "Autocomplete: titles matching what was typed",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "required": True,
                            "description": "What was typed so far (up to 100 characters).",
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": _responses("SuggestResponse", bad_request=False),
                }
            },
            "/api/search/related/{id}/": {
                "get": {
                    "operationId": "related",
                    "summary": "Documents like the given one",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {
                                "type": "string",
                                "pattern": "^(kb\\.page|forum\\.thread):[0-9]{1,12}$",
                            },
                        }
                    ],
                    "responses": _responses("RelatedResponse"),
                }
            },
        },
        "components": {
            "schemas": {
                "Term": TERM,
                "Hit": HIT,
                "FacetValue": FACET_VALUE,
                "SearchResponse": SEARCH_RESPONSE,
                "SuggestResponse": SUGGEST_RESPONSE,
                "RelatedResponse": RELATED_RESPONSE,
                "Error": ERROR,
            }
        },
    }
