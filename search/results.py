"""What a backend answers. Every backend returns these shapes, so pages, the API and the
contract suite never know which one is on."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from search.documents import Term
from search.glossary import normalise


@dataclass(frozen=True)
class Hit:
    """One result. ``snippet`` is safe HTML: escaped text with ``<mark>`` around matches."""

    id: str
    type: str
    title: str
    url: str
    snippet: str
    topics: tuple[Term, ...] = ()
    regions: tuple[Term, ...] = ()
    author: str = ""
    organisation: str = ""
    published: datetime | None = None
    kind: str = ""
    answered: bool | None = None
    score: float = 0.0


@dataclass(frozen=True)
class FacetValue:
    """``value`` is the slug (or the year, or the type); a facet's own filter is left out of
    its counts, so a selected value shows what choosing another value of it would give."""

    value: str
    label: str
    count: int
    selected: bool = False


_sort_label = lru_cache(maxsize=8192)(normalise)
"""Facet labels as they sort (normalising is slow next to the rest of a facet count)."""


def facet_values(
    facet: str, counts: Iterable[tuple[str, str, int]], selected: Iterable[str]
) -> tuple[FacetValue, ...]:
    """One facet's values as every backend answers them, from ``(value, label, count)`` rows:
    most documents first, then by label (case and accents ignored); years newest first. A
    ``selected`` value with no row is kept with a count of 0, so a page can still show it
    and remove it."""
    selected = set(selected)
    rows = list(counts)
    seen = {value for value, _, _ in rows}
    rows += [(value, value, 0) for value in sorted(selected - seen)]
    if facet == "year":
        rows.sort(key=lambda r: r[0], reverse=True)
    else:
        rows.sort(key=lambda r: (-r[2], _sort_label(r[1])))
    return tuple(
        FacetValue(value=value, label=label, count=count, selected=value in selected)
        for value, label, count in rows
    )


@dataclass(frozen=True)
class SearchResults:
    hits: tuple[Hit, ...]
    total: int
    facets: dict[str, tuple[FacetValue, ...]] = field(default_factory=dict)
    page: int = 1
    per_page: int = 20
    suggestion: str = ""
    """"Did you mean": a corrected query from the index's vocabulary, when nothing matched."""
    notices: tuple[str, ...] = ()
    took_ms: float = 0.0


@dataclass(frozen=True)
class Suggestion:
    """An autocomplete entry: a document title (with its url and type) the prefix matches."""

    text: str
    url: str
    type: str


@dataclass(frozen=True)
class BackendStatus:
    name: str
    documents_by_type: dict[str, int]
    details: dict[str, str] = field(default_factory=dict)
