"""Pagination for every long list on the site (forum threads and posts, the KB index and
landing pages, the member directory, notifications).

One rule everywhere: a page number that is missing or not a number means the first page, and
one past either end means the nearest page that exists (the first or the last), so an old or
hand-edited link still shows a list instead of an error. ``templates/includes/pagination.html``
renders a ``PageWindow`` as the same navigation on every page.

Two entry points:

- ``page_window(number, total, per_page)`` when the total is already known (the forum keeps
  counters on its rows), so long lists never need ``COUNT(*)`` on big tables;
- ``paginate(queryset, number, per_page)`` for everything else: one ``COUNT`` and one sliced
  query, like Django's ``Paginator`` but answering with the same ``PageWindow``.

A bottom-layer package: it imports nothing from the project's apps.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import QuerySet

T = TypeVar("T")


@dataclass(frozen=True)
class PageWindow:
    """Where one page sits in a list of ``total`` items, ``per_page`` at a time."""

    number: int
    num_pages: int
    per_page: int
    total: int

    @property
    def slice(self) -> slice:
        start = (self.number - 1) * self.per_page
        return slice(start, start + self.per_page)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def is_paginated(self) -> bool:
        return self.num_pages > 1

    @property
    def start_index(self) -> int:
        """1-based position of the page's first item (0 when the list is empty)."""
        return 0 if self.total == 0 else self.slice.start + 1

    @property
    def end_index(self) -> int:
        """1-based position of the page's last item."""
        return min(self.slice.stop, self.total)

    def links(self, *, around: int = 2) -> list[int | None]:
        """Page numbers to show: first, last and ``around`` either side; None marks a gap."""
        shown = {1, self.num_pages, *range(self.number - around, self.number + around + 1)}
        numbers = sorted(n for n in shown if 1 <= n <= self.num_pages)
        links: list[int | None] = []
        for n in numbers:
            if links and n - (links[-1] or 0) > 1:
                links.append(None)
            links.append(n)
        return links


def page_window(number: int | str | None, total: int, per_page: int) -> PageWindow:
    """A window onto ``total`` items; out-of-range or malformed page numbers are clamped."""
    num_pages = max(1, math.ceil(total / per_page))
    try:
        number = int(number or 1)
    except (TypeError, ValueError):
        number = 1
    number = min(max(number, 1), num_pages)
    return PageWindow(number=number, num_pages=num_pages, per_page=per_page, total=total)


@dataclass(frozen=True)
class PagedList(Generic[T]):
    """One page of a list: its items (already fetched) and where it sits in the list."""

    window: PageWindow
    items: Sequence[T]


def paginate(queryset: QuerySet[T], number: int | str | None, per_page: int) -> PagedList[T]:
    """The requested page of ``queryset``: one ``COUNT`` query and one query for the items."""
    window = page_window(number, queryset.count(), per_page)
    return PagedList(window=window, items=list(queryset[window.slice]))
