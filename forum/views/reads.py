"""Read tracking in the forum's pages: recording a thread page as read, "jump to first
unread" and "mark all read" per category."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from forum.permissions import readable_categories
from forum.selectors.reads import ThreadReadState, thread_read_state
from forum.selectors.threads import ThreadPage, ThreadView
from forum.services.reads import category_mark_all_read, thread_read_mark
from forum.views.lookups import thread_or_404
from forum.views.responses import member_action
from members.roles import AnyUser
from service_responses import wants_json


def _permalink(post_id: int, view: str) -> str:
    url = reverse("forum:post", kwargs={"pk": post_id})
    if view != ThreadView.NESTED:
        url += "?" + urlencode({"view": view})
    return url


def first_unread_url(state: ThreadReadState, page: ThreadPage) -> str:
    """Where "jump to first unread" leads from this thread page, or "" when there is nothing
    to jump to (all read, never opened, or a visitor).

    The post's anchor when this page shows it, else its permalink, which redirects to the page
    of the current view that shows it.
    """
    post_id = state.first_unread_post_id
    if post_id is None:
        return ""
    shown = {row.post.pk for row in page.rows}
    if page.opening is not None:
        shown.add(page.opening.post.pk)
    if post_id in shown:
        return f"#post-{post_id}"
    return _permalink(post_id, page.view)


def thread_page_read(user: AnyUser, page: ThreadPage, state: ThreadReadState) -> None:
    """Record that ``user`` has seen the posts of this thread page (one write query at most,
    none when nothing new is shown or for visitors)."""
    if not state.is_tracked:
        return
    positions = [row.post.position for row in page.rows]
    if page.opening is not None:
        positions.append(page.opening.post.position)
    if not positions:
        return
    newest = max(positions)
    if state.last_read_position is not None and newest <= state.last_read_position:
        return
    thread_read_mark(
        member=user,
        thread=page.thread,
        position=newest,
        previous_position=state.last_read_position,
    )


@require_GET
def thread_first_unread(request: HttpRequest, pk: int) -> HttpResponse:
    """``/forum/t/<id>/unread/``: the first post new to the reader, on the page that shows it.

    A thread never opened starts at its top; one read to the end goes to its latest post.
    ``?view=chronological`` keeps that view.
    """
    thread = thread_or_404(request, pk)
    view = ThreadView.parse(request.GET.get("view"))
    state = thread_read_state(request.user, thread)
    if state.first_unread_post_id is not None:
        return redirect(_permalink(state.first_unread_post_id, view))
    if state.is_tracked and not state.never_read and thread.last_post_id is not None:
        return redirect(_permalink(thread.last_post_id, view))
    url = thread.get_absolute_url()
    if view != ThreadView.NESTED:
        url += "?" + urlencode({"view": view})
    return redirect(url)


@member_action
def category_mark_read(request: HttpRequest, slug: str) -> HttpResponse:
    """POST: mark every thread of the category read, then back to the category."""
    category = get_object_or_404(readable_categories(request.user), slug=slug)
    category_mark_all_read(member=request.user, category=category)
    if wants_json(request):
        return JsonResponse({"marked": True})
    messages.success(
        request, _("All threads in %(category)s are marked read.") % {"category": category.name}
    )
    return redirect(category.get_absolute_url())
