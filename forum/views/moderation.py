"""Moderation pages: the flag form for members; for moderators the review queue, a post's
and a thread's moderation page, a member's suspension page and the moderation log.

Every moderator page asks ``moderator_refusal`` first: without the moderator role, or
without two-factor authentication, it answers 403 with the reason. Actions are POSTs to the
services in ``forum.services.moderation`` / ``flags`` and ``members.services.suspensions``;
their refusals become a 400/403 page (or the form's errors) through ``service_responses``.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from forum.models import Category, Flag, Post
from forum.selectors.moderation import (
    LogFilters,
    author_histories,
    log_actions,
    moderation_log,
    open_flags_on,
    review_queue,
)
from forum.services.flags import FLAG_TEXT_MAX_LENGTH, flag_create, flag_resolve
from forum.services.moderation import (
    REASON_MAX_LENGTH,
    moderator_refusal,
    post_hide,
    post_restore,
    thread_merge,
    thread_move,
    thread_split,
    thread_state_change,
)
from forum.views.lookups import post_or_404, thread_or_404
from forum.views.responses import member_action, refused, refused_page
from members.models import Suspension, User
from members.services.suspensions import (
    MAX_SUSPENSION_DAYS,
    member_suspend,
    member_suspension_lift,
)
from members.services.suspensions import (
    REASON_MAX_LENGTH as SUSPENSION_REASON_MAX_LENGTH,
)
from service_responses import ServiceErrors

TARGET_TYPES = (
    ("forum.post", gettext_lazy("Post")),
    ("forum.thread", gettext_lazy("Thread")),
    ("members.user", gettext_lazy("Member")),
)


class FlagForm(forms.Form):
    hide_optional_marker = True

    reason = forms.ChoiceField(
        label=gettext_lazy("What is wrong with this post?"),
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    text = forms.CharField(
        label=gettext_lazy("Details for the moderators"),
        required=False,
        max_length=FLAG_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required for “Something else”. The author will not see it."),
    )


class ReasonForm(forms.Form):
    hide_optional_marker = True

    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        help_text=gettext_lazy("Kept in the moderation log; a hidden post's author sees it."),
    )


class SuspendForm(forms.Form):
    hide_optional_marker = True

    reason = forms.CharField(
        label=gettext_lazy("Reason (shown to the member)"),
        required=False,
        max_length=SUSPENSION_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Days"),
        required=False,
        min_value=1,
        max_value=MAX_SUSPENSION_DAYS,
        help_text=gettext_lazy("Leave empty to suspend until a moderator lifts it."),
    )


def _moderator_only(request: HttpRequest) -> HttpResponse | None:
    refusal = moderator_refusal(request.user)
    return refused(request, refusal, status=403) if refusal else None


# -- members: flagging ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def post_flag(request: HttpRequest, pk: int) -> HttpResponse:
    """Flag a post (a thread: its opening post) for moderators."""
    post = post_or_404(request, pk)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with ServiceErrors(request, form=form, page=refused_page) as call:
            flag_create(
                flagger=request.user,
                post=post,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        if call.response is not None:
            return call.response
        if not call.failed:
            messages.success(
                request,
                _(
                    "Thank you: your flag was received. A moderator will review the post, "
                    "and you will be told the outcome."
                ),
            )
            return redirect(post.get_absolute_url())
    return render(
        request,
        "forum/moderation/flag_form.html",
        {"post": post, "thread": post.thread, "category": post.thread.category, "form": form},
    )


# -- moderators ------------------------------------------------------------------------------


@login_required
@require_GET
def review_queue_view(request: HttpRequest) -> HttpResponse:
    if (response := _moderator_only(request)) is not None:
        return response
    queue = review_queue(request.GET.get("page"))
    return render(
        request,
        "forum/moderation/queue.html",
        {"queue": queue, "reason_form": ReasonForm(), "resolutions": Flag.Resolution.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """A post's moderation: hide or restore it, resolve its flags (``action`` in the POST)."""
    if (response := _moderator_only(request)) is not None:
        return response
    post = post_or_404(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "")
        reason = form.cleaned_data["reason"]
        with ServiceErrors(request, form=form, page=refused_page) as call:
            if action == "hide":
                post_hide(moderator=request.user, post=post, reason=reason)
                done = _("The post is hidden.")
            elif action == "restore":
                post_restore(moderator=request.user, post=post, reason=reason)
                done = _("The post is visible again.")
            elif action in Flag.Resolution.values:
                flag_resolve(moderator=request.user, post=post, resolution=action, note=reason)
                done = _("The flags are resolved and the flaggers told.")
            else:
                return refused(request, _("Choose a moderation action."), status=400)
        if call.response is not None:
            return call.response
        if not call.failed:
            messages.success(request, done)
            return redirect(_next_url(request, post.get_absolute_url()))
    history = author_histories({post.author_id} if post.author_id else set())
    return render(
        request,
        "forum/moderation/post.html",
        {
            "post": post,
            "thread": post.thread,
            "category": post.thread.category,
            "flags": open_flags_on(post),
            "history": history.get(post.author_id),
            "form": form,
        },
    )


def _next_url(request: HttpRequest, fallback: str) -> str:
    """``next`` from the form when it is a path on this site, else ``fallback``."""
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return target
    return fallback


@member_action
def thread_state(request: HttpRequest, pk: int) -> HttpResponse:
    """Lock, unlock, pin, unpin, close or reopen (``action``), from the thread page."""
    if (response := _moderator_only(request)) is not None:
        return response
    thread = thread_or_404(request, pk)
    thread_state_change(
        moderator=request.user,
        thread=thread,
        change=request.POST.get("action", ""),
        reason=request.POST.get("reason", ""),
    )
    messages.success(request, _("The thread is updated."))
    return redirect(thread.get_absolute_url())


class MoveForm(forms.Form):
    hide_optional_marker = True

    category = forms.ModelChoiceField(
        label=gettext_lazy("Move to category"),
        queryset=Category.objects.order_by("sort_order", "name"),
        required=False,
    )
    reason = ReasonForm.base_fields["reason"]


class MergeForm(forms.Form):
    hide_optional_marker = True

    into = forms.IntegerField(
        label=gettext_lazy("Merge into thread number"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("The number in the other thread's address: /forum/t/<number>/…"),
    )
    reason = ReasonForm.base_fields["reason"]


class SplitForm(forms.Form):
    hide_optional_marker = True

    title = forms.CharField(label=gettext_lazy("Title of the new thread"), required=False)
    reason = ReasonForm.base_fields["reason"]


@login_required
@require_http_methods(["GET", "POST"])
def thread_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """Move, split or merge a thread (``action`` in the POST)."""
    if (response := _moderator_only(request)) is not None:
        return response
    thread = thread_or_404(request, pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    data = request.POST if request.method == "POST" else None
    move_form = MoveForm(data if action == "move" else None, prefix="move")
    merge_form = MergeForm(data if action == "merge" else None, prefix="merge")
    split_form = SplitForm(data if action == "split" else None, prefix="split")
    forms_by_action = {"move": move_form, "merge": merge_form, "split": split_form}
    if request.method == "POST":
        form = forms_by_action.get(action)
        if form is None:
            return refused(request, _("Choose a moderation action."), status=400)
        if form.is_valid():
            with ServiceErrors(request, form=form, page=refused_page) as call:
                reason = form.cleaned_data["reason"]
                if action == "move":
                    category = form.cleaned_data["category"]
                    result = thread_move(
                        moderator=request.user,
                        thread=thread,
                        category_id=category.pk if category else None,
                        reason=reason,
                    )
                elif action == "merge":
                    result = thread_merge(
                        moderator=request.user,
                        thread=thread,
                        into_thread_id=form.cleaned_data["into"],
                        reason=reason,
                    )
                else:
                    result = thread_split(
                        moderator=request.user,
                        thread=thread,
                        post_ids=_post_ids(request.POST.getlist("posts")),
                        title=form.cleaned_data["title"],
                        reason=reason,
                    )
            if call.response is not None:
                return call.response
            if not call.failed:
                messages.success(request, _("Done: the thread is updated."))
                return redirect(result.get_absolute_url())
    replies = (
        Post.objects.filter(thread=thread, depth__gt=0)
        .select_related("author")
        .order_by("position")[:500]
    )
    return render(
        request,
        "forum/moderation/thread.html",
        {
            "thread": thread,
            "category": thread.category,
            "move_form": move_form,
            "merge_form": merge_form,
            "split_form": split_form,
            "replies": replies,
        },
    )


def _post_ids(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit()]


@login_required
@require_http_methods(["GET", "POST"])
def member_moderate(request: HttpRequest, user_id: int) -> HttpResponse:
    """A member's suspensions: suspend (``action=suspend``) or lift (``action=lift``)."""
    if (response := _moderator_only(request)) is not None:
        return response
    member = get_object_or_404(User.objects.select_related("profile"), pk=user_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = SuspendForm(request.POST if action == "suspend" else None)
    if action == "lift":
        with ServiceErrors(request, page=refused_page) as call:
            member_suspension_lift(
                actor=request.user, member=member, reason=request.POST.get("reason", "")
            )
        if call.response is not None:
            return call.response
        messages.success(request, _("The suspension is lifted."))
        return redirect("forum:member_moderate", user_id=member.pk)
    if action == "suspend" and form.is_valid():
        with ServiceErrors(request, form=form, page=refused_page) as call:
            member_suspend(
                actor=request.user,
                member=member,
                reason=form.cleaned_data["reason"],
                days=form.cleaned_data["days"],
            )
        if call.response is not None:
            return call.response
        if not call.failed:
            messages.success(request, _("The member is suspended and has been told why."))
            return redirect("forum:member_moderate", user_id=member.pk)
    elif request.method == "POST" and action != "suspend":
        return refused(request, _("Choose a moderation action."), status=400)
    return render(
        request,
        "forum/moderation/member.html",
        {
            "member": member,
            "history": author_histories({member.pk})[member.pk],
            "suspensions": Suspension.objects.filter(user=member).select_related(
                "created_by", "lifted_by"
            )[:20],
            "form": form,
        },
    )


@login_required
@require_GET
def moderation_log_view(request: HttpRequest) -> HttpResponse:
    """The audit log, searchable by actor, action and target (moderators and admins)."""
    if (response := _moderator_only(request)) is not None:
        return response
    filters = LogFilters.parse(request.GET)
    page = moderation_log(filters, request.GET.get("page"))
    return render(
        request,
        "forum/moderation/log.html",
        {
            "filters": filters,
            "entries": page.items,
            "window": page.window,
            "filter_query": urlencode(filters.as_query()),
            "actions": log_actions(),
            "target_types": TARGET_TYPES,
        },
    )
