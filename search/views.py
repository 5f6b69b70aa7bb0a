"""The HTML search page and the OpenSearch description (the JSON API is ``search.api``).

Views parse nothing themselves: ``search.selectors`` reads the parameters, so the page and the
API accept the same ones and never fail on bad input (a notice says what was ignored).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from search.selectors import browse_sections, search_page_results


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """/search/: results with facets, or the browse view for an empty query."""
    base = reverse("search:search")
    page = search_page_results(params=request.GET, user=request.user, base=base)
    sections = browse_sections(user=request.user, base=base) if page.is_browse else ()
    return render(
        request,
        "search/search.html",
        {"search": page, "query": page.text, "browse": sections},
    )


@require_GET
def opensearch_description(request: HttpRequest) -> HttpResponse:
    """/search/opensearch.xml: lets browsers add the hub as a search engine."""
    return render(
        request,
        "search/opensearch.xml",
        {
            "site_url": settings.SITE_URL,
            "search_path": reverse("search:search"),
        },
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )
