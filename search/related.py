"""What search contributes to other apps' pages, through their registries (they never import
search): "Related" on KB pages and forum threads (``members.related_content``), and forum
threads on topic and region landing pages (``kb.landing_contributions``).

``register_search_contributions()`` is called once from ``SearchConfig.ready()``.
"""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from kb.landing_contributions import LandingSection, register_landing_section
from members.related_content import RelatedItem, register_related_provider
from search.backends import search_backend
from search.backends.base import SearchUnavailable
from search.documents import THREAD
from search.parsing import parse_query
from search.query import SORT_NEWEST
from search.selectors import related_documents, search_url, type_label
from search.visibility import requester_tokens

LANDING_THREADS = 5
KINDS = ("kb.page", "forum.thread")


def more_like_this(request: HttpRequest, *, kind: str, pk: int, limit: int) -> list[RelatedItem]:
    """Related items of ``kind:pk`` from the backend's more_like_this, as the user may see."""
    if kind not in KINDS:
        return []
    hits = related_documents(doc_id=f"{kind}:{pk}", user=request.user, limit=limit)
    return [
        RelatedItem(
            title=hit.title,
            url=hit.url,
            kind_label=type_label(hit.type),
            date=hit.published,
            snippet=strip_tags(hit.snippet),
        )
        for hit in hits
    ]


def landing_threads(request: HttpRequest, *, topic=None, region=None) -> LandingSection | None:
    """Newest forum threads on the landing page's topic (with its sub-topics) or region (with
    its countries), through the search index; None when there are none or search is down."""
    facet, term = ("topic", topic) if topic is not None else ("region", region)
    if term is None:
        return None
    filters = {"type": (THREAD,), facet: (term.slug,)}
    query = parse_query("", filters=filters, sort=SORT_NEWEST, page=1, per_page=LANDING_THREADS)
    try:
        results = search_backend().search(query, visibility=requester_tokens(request.user))
    except SearchUnavailable:
        return None
    if not results.hits:
        return None
    more_url = search_url({**filters, "sort": (SORT_NEWEST,)}, base=reverse("search:search"))
    return LandingSection(
        title=_("Forum discussions"),
        template_name="search/includes/landing_threads.html",
        context={"hits": results.hits, "total": results.total},
        more_url=more_url if results.total > len(results.hits) else "",
        more_label=_("All %(count)d threads") % {"count": results.total},
    )


def register_search_contributions() -> None:
    register_related_provider(more_like_this)
    register_landing_section(landing_threads)
