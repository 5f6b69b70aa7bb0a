"""A registry through which a higher layer supplies "Related" lists to KB and forum pages.

``kb`` and ``forum`` must not import ``search``; the search app registers a provider from its
``AppConfig.ready()`` instead (``search.related.register_search_contributions``)::

    from members.related_content import RelatedItem, register_related_provider

    def more_like_this(request, *, kind, pk, limit):
        return [RelatedItem(title=..., url=..., kind_label=...), ...]

    register_related_provider(more_like_this)

``kind`` names the item's family as the calling app spells it (the KB's pages, the forum's
threads: the prefix of a search document id), ``pk`` its primary key.
A provider returns the items the requesting user may see, at most ``limit`` and never the item
itself, with a number of database queries independent of data size; it returns ``[]`` when it
knows nothing, in which case the page keeps its own fallback list.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest

from registries import ProviderRegistry


@dataclass(frozen=True)
class RelatedItem:
    title: str
    url: str
    kind_label: str = ""
    date: datetime | None = None
    snippet: str = ""
    """Plain text (escaped when rendered)."""


RelatedProvider = Callable[..., list[RelatedItem]]

_providers: ProviderRegistry[RelatedProvider] = ProviderRegistry()
register_related_provider = _providers.register
unregister_related_provider = _providers.unregister


def related_items(request: HttpRequest, *, kind: str, pk: int, limit: int = 5) -> list[RelatedItem]:
    """The first non-empty answer of the registered providers, in registration order ([] if
    none answers)."""
    for provider in _providers:
        items = list(provider(request, kind=kind, pk=pk, limit=limit))[:limit]
        if items:
            return items
    return []
