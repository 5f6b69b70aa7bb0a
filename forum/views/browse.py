"""Reading the forum: home, category, thread, permalinks and edit history."""

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from forum.forms import ReplyForm
from forum.models import PostRevision, ThreadRedirect
from forum.permissions import can_see_edit_history, readable_categories, thread_refusal
from forum.revisions_diff import revision_changes
from forum.selectors.categories import ThreadSort, category_list, category_thread_page
from forum.selectors.follows import follow_button
from forum.selectors.promotion import promotion_state
from forum.selectors.reads import annotate_unread_thread_counts, thread_read_state
from forum.selectors.threads import (
    ThreadView,
    post_page_number,
    thread_labels,
)
from forum.views.lookups import post_or_404, thread_or_404
from forum.views.reads import first_unread_url, thread_page_read
from forum.views.responses import refused
from forum.views.thread_page_cache import thread_page_posts
from members.related_content import related_items


@require_GET
def forum_home(request: HttpRequest) -> HttpResponse:
    categories = category_list(request.user)
    annotate_unread_thread_counts(categories, request.user)
    return render(request, "forum/home.html", {"categories": categories})


@require_GET
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(readable_categories(request.user), slug=slug)
    listing = category_thread_page(
        category,
        sort=request.GET.get("sort", ThreadSort.ACTIVE),
        topic_slug=request.GET.get("topic", ""),
        region_slug=request.GET.get("region", ""),
        page_number=request.GET.get("page"),
        reader=request.user,
    )
    filters = {
        key: value
        for key, value in (
            ("sort", listing.sort if listing.sort != ThreadSort.ACTIVE else ""),
            ("topic", listing.topic.slug if listing.topic else ""),
            ("region", listing.region.slug if listing.region else ""),
        )
        if value
    }
    return render(
        request,
        "forum/category.html",
        {
            "category": category,
            "listing": listing,
            "sort_choices": ThreadSort.CHOICES,
            "filter_query": urlencode(filters),
            "post_refusal": thread_refusal(request.user, category),
            "follow_button": follow_button(request.user, kind="category", target=category),
        },
    )


def _thread_url(thread, *, view: str, page: int, anchor: str = "") -> str:
    query = {}
    if view != ThreadView.NESTED:
        query["view"] = view
    if page > 1:
        query["page"] = page
    url = thread.get_absolute_url()
    if query:
        url += "?" + urlencode(query)
    return url + (f"#{anchor}" if anchor else "")


def _merged_thread_redirect(pk: int) -> HttpResponse:
    """A merged thread's URL goes to the thread it was merged into; else 404."""
    moved = ThreadRedirect.objects.select_related("thread").filter(old_thread_id=pk).first()
    if moved is None:
        raise Http404("No such thread.")
    return redirect(moved.thread.get_absolute_url(), permanent=True)


@require_GET
def thread_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        thread = thread_or_404(request, pk)
    except Http404:
        return _merged_thread_redirect(pk)
    return redirect(thread.get_absolute_url(), permanent=True)


@require_GET
def thread_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    try:
        thread = thread_or_404(request, pk)
    except Http404:
        return _merged_thread_redirect(pk)
    if slug != thread.slug:
        url = thread.get_absolute_url()
        if request.GET:
            url += "?" + request.GET.urlencode()
        return HttpResponseRedirect(url)
    read_state = thread_read_state(request.user, thread)
    page, opening_html, replies_html = thread_page_posts(
        request, thread, view=request.GET.get("view"), page_number=request.GET.get("page")
    )
    thread_page_read(request.user, page, read_state)
    return render(
        request,
        "forum/thread.html",
        {
            "thread": thread,
            "category": thread.category,
            "labels": thread_labels(thread, request),
            "page": page,
            "opening_html": opening_html,
            "replies_html": replies_html,
            "view_choices": ThreadView.CHOICES,
            "reply_form": (
                ReplyForm(body_label=_("Your answer") if thread.is_question else _("Your reply"))
                if page.reply_refusal is None
                else None
            ),
            "related_items": related_items(request, kind="forum.thread", pk=thread.pk),
            "read_state": read_state,
            "first_unread_url": first_unread_url(read_state, page),
            "promotion": promotion_state(request, thread),
            "follow_button": follow_button(request.user, kind="thread", target=thread),
        },
    )


@require_GET
def post_permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """``/forum/p/<id>/``: the page of the thread that shows the post, at its anchor."""
    post = post_or_404(request, pk)
    view = ThreadView.parse(request.GET.get("view"))
    page = post_page_number(post, view)
    return redirect(_thread_url(post.thread, view=view, page=page, anchor=post.anchor))


@require_GET
def post_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    post = post_or_404(request, pk)
    if not can_see_edit_history(request.user, post):
        return refused(request, _("Only the author and moderators can see a post's edit history."))
    revisions = list(PostRevision.objects.filter(post=post).select_related("replaced_by"))
    return render(
        request,
        "forum/post_revisions.html",
        {
            "post": post,
            "thread": post.thread,
            "changes": revision_changes(
                post, revisions, current_title=post.thread.title if post.is_opening else ""
            ),
        },
    )
