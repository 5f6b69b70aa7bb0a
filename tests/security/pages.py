"""Loading every page of a paginated list, for the suites that scan rendered output."""

import re
from html import unescape

from django.test import Client

_NEXT = re.compile(r'<a href="([^"]*)" rel="next"')


def all_pages(client: Client, url: str, *, limit: int = 50) -> list[str]:
    """The HTML of ``url`` and of each page its ``rel="next"`` links lead to (200s only)."""
    pages = []
    base = url.split("?", 1)[0]
    for _ in range(limit):
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        html = response.content.decode()
        pages.append(html)
        found = _NEXT.search(html)
        if not found:
            return pages
        url = base + unescape(found.group(1))
    raise AssertionError(f"{base} has more than {limit} pages")
