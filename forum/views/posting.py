"""Changing the forum: new threads, replies, edits, votes, accepted answers, previews."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from forum.forms import PostEditForm, ReplyForm, ThreadForm
from forum.models import BODY_MAX_LENGTH, Post, Vote
from forum.permissions import (
    can_edit_post,
    readable_categories,
    reply_refusal,
    thread_refusal,
)
from forum.post_markup import post_html
from forum.selectors.threads import inserted_post_row
from forum.services.answers import answer_accept, answer_unaccept
from forum.services.posts import post_edit, post_reply
from forum.services.threads import thread_create
from forum.services.votes import post_unvote, post_vote
from forum.views.lookups import post_or_404, thread_or_404
from forum.views.responses import member_action, post_markup_context, refused, refused_page
from markup import FORUM_POST, quote_markdown, render_markdown
from members.models import FORMER_MEMBER_NAME
from members.roles import is_moderator
from service_responses import ServiceErrors, wants_json


@login_required
@require_http_methods(["GET", "POST"])
def thread_new(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(readable_categories(request.user), slug=slug)
    refusal = thread_refusal(request.user, category)
    if refusal:
        return refused(request, refusal)
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with ServiceErrors(request, form=form, page=refused_page) as call:
            thread = thread_create(
                author=request.user,
                category=category,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                topics=form.cleaned_data["topics"],
                regions=form.cleaned_data["regions"],
                submission_key=form.cleaned_data["submission_key"],
            )
        if call.response is not None:
            return call.response
        if not call.failed:
            return redirect(thread.get_absolute_url())
    return render(request, "forum/thread_form.html", {"category": category, "form": form})


def _reply_target(request: HttpRequest, thread, raw_id) -> Post | None:
    """The post being replied to, from a form or query value; 404 if it is not readable."""
    if raw_id in (None, ""):
        return None
    try:
        post_id = int(raw_id)
    except (TypeError, ValueError) as error:
        raise Http404("No such post.") from error
    return post_or_404(request, post_id)


@login_required
@require_http_methods(["GET", "POST"])
def thread_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Reply to a thread or to one of its posts (``parent``); GET shows the form alone."""
    thread = thread_or_404(request, pk)
    refusal = reply_refusal(request.user, thread)
    if refusal:
        return refused(request, refusal)

    if request.method == "POST":
        form = ReplyForm(request.POST)
        parent = _reply_target(request, thread, request.POST.get("parent"))
        if form.is_valid():
            # An error about ``parent`` (a hidden field) is answered with a 400 refusal.
            with ServiceErrors(request, form=form, page=refused_page) as call:
                post = post_reply(
                    author=request.user,
                    thread=thread,
                    parent=parent,
                    body=form.cleaned_data["body"],
                    submission_key=form.cleaned_data["submission_key"],
                )
            if call.response is not None:
                return call.response
            if not call.failed:
                if wants_json(request):
                    return JsonResponse(_reply_json(request, post))
                return redirect(post.get_absolute_url())
        elif wants_json(request):
            # The form's own message (an empty body, a NUL character, too long) says what to fix.
            messages = [message for errors in form.errors.values() for message in errors]
            message = messages[0] if messages else _("The reply could not be read; try again.")
            return JsonResponse({"error": message}, status=400)
    else:
        parent = _reply_target(request, thread, request.GET.get("to"))
        initial = {"parent": parent.pk if parent else None}
        quoted = _reply_target(request, thread, request.GET.get("quote"))
        if quoted is not None and quoted.thread_id == thread.pk and not quoted.is_hidden:
            initial["body"] = _quote(quoted)
            parent = parent or quoted
            initial["parent"] = parent.pk
        form = ReplyForm(initial=initial)
        if parent is not None and parent.thread_id != thread.pk:
            raise Http404("No such post in this thread.")
    return render(
        request,
        "forum/reply_form.html",
        {"thread": thread, "category": thread.category, "parent": parent, "form": form},
    )


def _quote(post: Post) -> str:
    author = post.author.public_name if post.author else str(FORMER_MEMBER_NAME)
    return quote_markdown(author_name=author, permalink=post.get_absolute_url(), source=post.body)


def _reply_json(request: HttpRequest, post: Post) -> dict:
    """The new reply rendered as the thread page would show it, for inline insertion."""
    row = inserted_post_row(request.user, post)
    markup = post_markup_context(request, post.thread, is_moderator=is_moderator(request.user))
    html = post_html(row, markup)
    return {"id": post.pk, "url": post.get_absolute_url(), "html": html}


@login_required
@require_GET
def post_quote(request: HttpRequest, pk: int) -> JsonResponse:
    """The post as an attributed Markdown quote, for the quote button."""
    post = post_or_404(request, pk)
    if post.is_hidden:
        raise Http404("No such post.")
    return JsonResponse({"markdown": _quote(post)})


@login_required
@require_http_methods(["GET", "POST"])
def post_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = post_or_404(request, pk)
    thread = post.thread
    if not can_edit_post(request.user, post):
        if thread.is_locked:
            return refused(request, _("This thread is locked: its posts can no longer be edited."))
        return refused(request, _("You can only edit your own posts."))
    with_title = post.is_opening
    if request.method == "POST":
        form = PostEditForm(request.POST, with_title=with_title)
        if form.is_valid():
            with ServiceErrors(request, form=form, page=refused_page) as call:
                post_edit(
                    editor=request.user,
                    post=post,
                    body=form.cleaned_data["body"],
                    title=form.cleaned_data.get("title") if with_title else None,
                    expected_edit_count=form.cleaned_data["edit_count"],
                )
            if call.response is not None:
                return call.response
            if not call.failed:
                messages.success(request, _("Your changes are saved."))
                return redirect(post.get_absolute_url())
    else:
        form = PostEditForm(
            initial={"title": thread.title, "body": post.body, "edit_count": post.edit_count},
            with_title=with_title,
        )
    return render(
        request,
        "forum/post_edit.html",
        {"post": post, "thread": thread, "category": thread.category, "form": form},
    )


@member_action
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """``value`` is "up", "down" or "clear" (withdraw the vote)."""
    post = post_or_404(request, pk)
    choice = request.POST.get("value", "up")
    values = {"up": Vote.Value.UP, "down": Vote.Value.DOWN}
    if choice == "clear":
        post = post_unvote(voter=request.user, post=post)
        my_vote = 0
    elif choice in values:
        post = post_vote(voter=request.user, post=post, value=values[choice])
        my_vote = int(values[choice])
    else:
        return refused(request, _("Choose to vote up or down."), status=400)
    if wants_json(request):
        return JsonResponse({"score": post.vote_score, "my_vote": my_vote})
    return redirect(post.get_absolute_url())


@member_action
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    post = post_or_404(request, pk)
    answer_accept(user=request.user, answer=post)
    messages.success(request, _("Marked as the accepted answer."))
    return redirect(post.get_absolute_url())


@member_action
def unaccept(request: HttpRequest, pk: int) -> HttpResponse:
    thread = thread_or_404(request, pk)
    answer_unaccept(user=request.user, thread=thread)
    messages.success(request, _("The answer is no longer marked as accepted."))
    return redirect(thread.get_absolute_url())


@login_required
@require_POST
def preview(request: HttpRequest) -> JsonResponse:
    """Render Markdown exactly as saving would (same function), for the preview button."""
    body = request.POST.get("body", "")
    if len(body) > BODY_MAX_LENGTH:
        return JsonResponse(
            {
                "error": _("Keep the post to %(limit)s characters or fewer.")
                % {"limit": f"{BODY_MAX_LENGTH:,}"}
            },
            status=400,
        )
    return JsonResponse({"html": render_markdown(body, FORUM_POST).html})
