"""Members-only KB pages, expressed as Wagtail view restrictions.

A page is members-only when it (or an ancestor) carries a GROUPS PageViewRestriction. The
groups are every role (member, guest, moderator, editor, admin): guests may read members-only
pages (design.md section 2). Lists show such pages with a badge and their summary; the page
itself shows a teaser to people who may not read it (see kb.wagtail_hooks).
"""

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.http import HttpRequest
from wagtail.models import Page, PageViewRestriction

from members.roles import ALL_ROLES


def members_only_groups() -> list[Group]:
    """The role groups let through a members-only restriction (created if missing)."""
    return [Group.objects.get_or_create(name=name)[0] for name in ALL_ROLES]


def restricted_paths() -> list[str]:
    """Tree paths of every page that carries a view restriction (one small query)."""
    return list(PageViewRestriction.objects.values_list("page__path", flat=True))


def members_only_ids(pages: Iterable[Page], paths: list[str] | None = None) -> set[int]:
    """Ids of ``pages`` under a view restriction, with one query for the whole list."""
    paths = restricted_paths() if paths is None else paths
    if not paths:
        return set()
    return {page.pk for page in pages if any(page.path.startswith(p) for p in paths)}


def is_members_only(page: Page) -> bool:
    return bool(members_only_ids([page]))


def failed_restrictions(page: Page, request: HttpRequest) -> list[PageViewRestriction]:
    """The view restrictions on ``page`` that ``request`` does not satisfy."""
    return [r for r in page.get_view_restrictions() if not r.accept_request(request)]
