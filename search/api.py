"""The JSON API: /api/search/, /api/search/suggest/, /api/search/related/<id>/ and the OpenAPI
schema at /api/schema/ (``search.openapi``).

The API reads the same parameters as the /search/ page (``selectors.SEARCH_PARAMETERS``) through
the same selector. Contract:

- 200 with JSON on success; unknown facet values and a cut query are notices, not errors;
- 400 with ``{"error": ...}`` for a page or sort it cannot read, or a malformed document id;
- 405 for anything but GET/HEAD; 503 when the backend cannot answer;
- anonymous callers get ``SEARCH_API_ANONYMOUS_LIMIT`` requests per
  ``SEARCH_API_WINDOW_SECONDS`` per IP address (a fixed window in the cache), then 429 with a
  ``Retry-After`` header. Signed-in users are not limited.
"""

import re
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from search import openapi
from search.backends.base import SearchUnavailable
from search.results import Hit
from search.selectors import (
    InvalidSearchParameter,
    SearchPage,
    related_documents,
    search_page_results,
    suggestions,
    type_label,
)

DOCUMENT_ID = re.compile(r"^(kb\.page|forum\.thread):[0-9]{1,12}$")
RELATED_LIMIT = 5
SUGGEST_LIMIT = 8


def error(message: str, status: int, **headers) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def rate_limit_retry_after(request: HttpRequest) -> int | None:
    """Count this request in its caller's window; seconds until the window ends if the caller
    is over the limit, else None. Only anonymous callers are counted."""
    if request.user.is_authenticated:
        return None
    limit = settings.SEARCH_API_ANONYMOUS_LIMIT
    window = settings.SEARCH_API_WINDOW_SECONDS
    now = time.time()
    start = int(now // window) * window
    key = f"search-api-rate:{request.META.get('REMOTE_ADDR', '')}:{start}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        return max(1, int(start + window - now + 0.999))
    return None


def api_view(view: Callable) -> Callable:
    """GET only, rate-limited for anonymous callers, JSON errors instead of HTML ones."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = error(_("Only GET is allowed."), 405)
            response["Allow"] = "GET, HEAD"
            return response
        retry_after = rate_limit_retry_after(request)
        if retry_after is not None:
            return error(
                _("Too many requests: try again in %(seconds)d seconds.")
                % {"seconds": retry_after},
                429,
                Retry_After=str(retry_after),
            )
        try:
            return view(request, *args, **kwargs)
        except InvalidSearchParameter as exc:
            return error(str(exc), 400)
        except SearchUnavailable:
            return error(_("Search is unavailable at the moment. Please try again soon."), 503)

    return wrapped


def hit_json(hit: Hit) -> dict:
    return {
        "id": hit.id,
        "type": hit.type,
        "type_label": type_label(hit.type),
        "title": hit.title,
        "url": hit.url,
        "snippet": hit.snippet,
        "topics": [{"slug": t.slug, "label": t.label} for t in hit.topics],
        "regions": [{"slug": r.slug, "label": r.label} for r in hit.regions],
        "author": hit.author,
        "published": hit.published.isoformat() if hit.published else None,
    }


def page_json(page: SearchPage) -> dict:
    results = page.results
    return {
        "query": page.text,
        "results": [hit_json(item.hit) for item in page.items],
        "facets": {
            group.name: [
                {
                    "value": option.value,
                    "label": option.label,
                    "count": option.count,
                    "selected": option.selected,
                }
                for option in group.options
            ]
            for group in page.facets
        },
        "total": results.total,
        "page": page.query.page,
        "per_page": page.query.per_page,
        "took_ms": round(results.took_ms, 2),
        "notices": list(page.notices),
        "suggestion": results.suggestion,
    }


@api_view
def search(request: HttpRequest) -> JsonResponse:
    page = search_page_results(params=request.GET, user=request.user, strict=True)
    if page.unavailable:
        raise SearchUnavailable
    return JsonResponse(page_json(page))


@api_view
def suggest(request: HttpRequest) -> JsonResponse:
    started = time.perf_counter()
    prefix = request.GET.get("q", "")
    found = suggestions(prefix=prefix, user=request.user, limit=SUGGEST_LIMIT)
    return JsonResponse(
        {
            "query": prefix[:100],
            "results": [
                {"title": s.text, "url": s.url, "type": s.type, "type_label": type_label(s.type)}
                for s in found
            ],
            "took_ms": round((time.perf_counter() - started) * 1000, 2),
        }
    )


@api_view
def related(request: HttpRequest, doc_id: str) -> JsonResponse:
    if not DOCUMENT_ID.match(doc_id):
        raise InvalidSearchParameter(
            _("A document id looks like kb.page:<number> or forum.thread:<number>.")
        )
    started = time.perf_counter()
    hits = related_documents(doc_id=doc_id, user=request.user, limit=RELATED_LIMIT)
    return JsonResponse(
        {
            "id": doc_id,
            "results": [hit_json(hit) for hit in hits],
            "took_ms": round((time.perf_counter() - started) * 1000, 2),
        }
    )


def schema(request: HttpRequest) -> JsonResponse:
    """The OpenAPI 3.1 description of this API (not rate-limited: it is static)."""
    if request.method not in ("GET", "HEAD"):
        response = error(_("Only GET is allowed."), 405)
        response["Allow"] = "GET, HEAD"
        return response
    return JsonResponse(openapi.schema(server_url=settings.SITE_URL))
