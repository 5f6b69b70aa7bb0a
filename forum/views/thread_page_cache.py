"""The posts of a thread page as visitors see them, cached by the thread's revision.

Every visitor sees the same markup for the posts of one page of a thread (in one view,
language and time zone): no votes of their own, no edit or flag links, no hidden posts. That
markup is most of the thread page's work, so it is built once and kept in the ``pages``
cache under a key holding the thread's ``revision``, read with the thread on every request.
Whatever changes what the posts show moves the revision in the same transaction
(``forum.receivers``: every forum service's ``thread_saved``/``post_saved``, and members'
names, organisations and deleted accounts), so a page is never served from an older
revision than the thread row just read. Nothing is ever invalidated by hand: old keys are
simply not asked for again, and expire.

The key also holds the thread's creation time: a fresh database numbers threads from 1 again,
and a page cached for thread 1 of the old one must not answer for the new one.

Members' pages are not cached: their vote buttons, edit and flag links and read state differ
from post to post.
"""

from django.core.cache import caches
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from forum.models import Thread
from forum.permissions import reply_refusal
from forum.post_markup import post_html, posts_html
from forum.selectors.threads import ThreadPage, ThreadView, posts_per_page, thread_page
from forum.views.responses import post_markup_context
from pagination import page_window

CACHE_ALIAS = "pages"


def visitor_posts_key(thread: Thread, *, view: str, page: int) -> str:
    created = int(thread.created_at.timestamp() * 1_000_000)
    return ":".join(
        (
            "forum.visitor_posts",
            str(thread.pk),
            str(created),
            str(thread.revision),
            view,
            str(page),
            get_language() or "",
            timezone.get_current_timezone_name(),
        )
    )


def thread_page_posts(
    request: HttpRequest, thread: Thread, *, view: str | None, page_number
) -> tuple[ThreadPage, SafeString, SafeString]:
    """The page of ``thread`` for this reader, with its opening post's and replies' markup.

    For a visitor, from the cache when this revision of the page was built before (the
    returned ``ThreadPage`` then carries no rows: a visitor has no read state to record)."""
    if request.user.is_authenticated:
        return _built(request, thread, view=view, page_number=page_number)
    view = ThreadView.parse(view)
    window = page_window(page_number, thread.post_count, posts_per_page())
    cache = caches[CACHE_ALIAS]
    key = visitor_posts_key(thread, view=view, page=window.number)
    cached = cache.get(key)
    if cached is None:
        page, opening, replies = _built(request, thread, view=view, page_number=window.number)
        cache.set(key, (opening, replies))
        return page, opening, replies
    opening, replies = cached
    page = ThreadPage(
        thread=thread, view=view, window=window, reply_refusal=reply_refusal(request.user, thread)
    )
    return page, opening, replies


def _built(
    request: HttpRequest, thread: Thread, *, view: str | None, page_number
) -> tuple[ThreadPage, SafeString, SafeString]:
    page = thread_page(
        thread, request.user, view=view or ThreadView.NESTED, page_number=page_number
    )
    markup = post_markup_context(
        request, thread, is_moderator=page.is_moderator, can_accept=page.can_accept
    )
    opening = post_html(page.opening, markup) if page.opening else SafeString()
    return page, opening, posts_html(page.rows, markup)
