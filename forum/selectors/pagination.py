"""Page arithmetic from a known total, so long lists never need COUNT(*) on big tables."""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class PageWindow:
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
