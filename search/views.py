from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

MAX_QUERY_LENGTH = 200


def search_page(request: HttpRequest) -> HttpResponse:
    """The HTML search page. Results arrive with the search issue; the query is validated now."""
    query = request.GET.get("q", "").strip()
    error = ""
    if len(query) > MAX_QUERY_LENGTH:
        error = f"Search terms can be at most {MAX_QUERY_LENGTH} characters."
        query = query[:MAX_QUERY_LENGTH]
    return render(request, "search/search.html", {"query": query, "error": error})
