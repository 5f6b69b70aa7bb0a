"""Following and muting (POST forms, enhanced by static/js/follow.js) and the "Following" page.

Without JavaScript the forms POST and the server redirects back (``next``). With it, the
script sends ``Accept: application/json`` and gets ``{"following": bool, "muted": bool}``.
Something the member may not see answers 404, exactly like something that does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from forum.models import FOLLOW_TARGETS
from forum.permissions import readable_categories
from forum.selectors.follows import member_follows
from forum.services.follows import follow_create, follow_delete, thread_mute, thread_unmute
from forum.views.lookups import thread_or_404
from forum.views.responses import member_action
from kb.templatetags.kb_tags import region_url, topic_url
from members.services.profiles import profile_auto_follow_set
from service_responses import wants_json
from taxonomy.models import Region, Topic


def _target_or_404(request: HttpRequest, kind: str, pk: int):
    if kind not in FOLLOW_TARGETS:
        raise Http404("Nothing to follow here.")
    if kind == "thread":
        return thread_or_404(request, pk)
    if kind == "category":
        return get_object_or_404(readable_categories(request.user), pk=pk)
    return get_object_or_404(Topic if kind == "topic" else Region, pk=pk)


def _target_url(kind: str, target) -> str:
    if kind in ("thread", "category"):
        return target.get_absolute_url()
    return (topic_url if kind == "topic" else region_url)({}, target)


def _answer(request: HttpRequest, kind: str, target, *, following: bool, muted: bool, message):
    if wants_json(request):
        return JsonResponse({"following": following, "muted": muted, "message": str(message)})
    messages.success(request, message)
    candidate = request.POST.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(candidate)
    return redirect(_target_url(kind, target))


@member_action
def follow(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    target = _target_or_404(request, kind, pk)
    follow_create(member=request.user, target_kind=kind, target=target)
    message = _("You are following “%(name)s”.") % {"name": target}
    return _answer(request, kind, target, following=True, muted=False, message=message)


@member_action
def unfollow(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    target = _target_or_404(request, kind, pk)
    follow_delete(member=request.user, target_kind=kind, target=target)
    message = _("You no longer follow “%(name)s”.") % {"name": target}
    return _answer(request, kind, target, following=False, muted=False, message=message)


@member_action
def mute(request: HttpRequest, pk: int) -> HttpResponse:
    thread = thread_or_404(request, pk)
    thread_mute(member=request.user, thread=thread)
    message = _("“%(name)s” is muted: it will not notify you.") % {"name": thread}
    return _answer(request, "thread", thread, following=False, muted=True, message=message)


@member_action
def unmute(request: HttpRequest, pk: int) -> HttpResponse:
    thread = thread_or_404(request, pk)
    thread_unmute(member=request.user, thread=thread)
    message = _("“%(name)s” is no longer muted.") % {"name": thread}
    return _answer(request, "thread", thread, following=False, muted=False, message=message)


@login_required
@require_GET
def following(request: HttpRequest) -> HttpResponse:
    """The member's account page listing everything they follow or muted."""
    follows = list(member_follows(request.user))
    groups = {kind: [] for kind in FOLLOW_TARGETS}
    muted = []
    for item in follows:
        (muted if item.is_muted else groups[item.target_kind]).append(item)
    profile = getattr(request.user, "profile", None)
    return render(
        request,
        "forum/follows/following.html",
        {
            "groups": [
                ("thread", _("Threads"), groups["thread"]),
                ("category", _("Categories"), groups["category"]),
                ("topic", _("Topics"), groups["topic"]),
                ("region", _("Regions"), groups["region"]),
            ],
            "muted": muted,
            "auto_follow": profile.auto_follow_threads if profile else True,
            "has_follows": bool(follows),
        },
    )


@login_required
@require_POST
def following_settings(request: HttpRequest) -> HttpResponse:
    enabled = request.POST.get("auto_follow_threads") == "on"
    profile_auto_follow_set(user=request.user, enabled=enabled)
    messages.success(
        request,
        _("Threads you start or reply to will be followed automatically.")
        if enabled
        else _("Threads you start or reply to will no longer be followed automatically."),
    )
    return redirect("forum:following")
