"""Turning a solved question into a method guide draft (moderators and editors).

GET shows the question, the accepted answer and the other replies with checkboxes; POST calls
``forum.services.promotion.thread_promote_to_guide`` and returns to the thread. Anyone else,
and any thread that cannot be promoted, gets the service's reason (403 or 400).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from forum.models import Post, Thread
from forum.selectors.promotion import promotable_replies
from forum.services.promotion import promotion_check, thread_promote_to_guide
from forum.views.lookups import thread_or_404
from forum.views.responses import refused_page
from service_responses import ServiceErrors
from taxonomy.models import Region, Topic


class PromotionForm(forms.Form):
    """Which further replies become steps of the guide (the accepted answer always does)."""

    hide_optional_marker = True
    replies = forms.ModelMultipleChoiceField(
        queryset=Post.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Also include these replies"),
        help_text=gettext_lazy("Each one you tick becomes a further step, credited to its author."),
    )

    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Topics of the guide"),
        error_messages={"required": gettext_lazy("Choose at least one topic for the guide.")},
    )
    regions = forms.ModelMultipleChoiceField(
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Regions of the guide"),
        help_text=gettext_lazy("None chosen: Global / multi-region."),
    )

    def __init__(self, *args, thread: Thread, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {"topics": list(thread.topics.all()), "regions": list(thread.regions.all())},
        )
        super().__init__(*args, **kwargs)
        self.fields["replies"].queryset = promotable_replies(thread)


@login_required
@require_http_methods(["GET", "POST"])
def thread_promote(request: HttpRequest, pk: int) -> HttpResponse:
    thread = thread_or_404(request, pk)
    with ServiceErrors(request, page=refused_page) as check:
        promotion_check(thread=thread, actor=request.user)
    if check.response is not None:
        return check.response

    form = PromotionForm(request.POST or None, thread=thread)
    if request.method == "POST" and form.is_valid():
        with ServiceErrors(request, form=form, page=refused_page) as call:
            guide = thread_promote_to_guide(
                thread=thread,
                actor=request.user,
                extra_post_ids=[post.pk for post in form.cleaned_data["replies"]],
                topics=form.cleaned_data["topics"],
                regions=form.cleaned_data["regions"],
            )
        if call.response is not None:
            return call.response
        if not call.failed:
            messages.success(
                request,
                _("The method guide draft “%(title)s” is now in editorial review.")
                % {"title": guide.title},
            )
            return redirect(thread.get_absolute_url())
    shown = Post.objects.filter(thread=thread).filter(Q(depth=0) | Q(pk=thread.accepted_answer_id))
    posts = {post.depth == 0: post for post in shown.select_related("author")}
    return render(
        request,
        "forum/promotion/promote.html",
        {
            "thread": thread,
            "category": thread.category,
            "opening": posts.get(True),
            "answer": posts.get(False),
            "form": form,
        },
    )
