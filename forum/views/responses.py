"""How forum views answer: refusals with the service's reason, and JSON for enhanced pages.

Pages work without JavaScript (POST, then redirect). ``static/js/forum.js`` sends the same
forms with ``Accept: application/json`` and gets JSON back instead of a redirect.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse

from forum.models import Thread
from forum.post_markup import PostMarkupContext


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def refused(request: HttpRequest, message: str, *, status: int = 403) -> HttpResponse:
    """The action is not allowed (or the input is unusable): say why, in HTML or JSON."""
    if wants_json(request):
        return JsonResponse({"error": message}, status=status)
    return render(request, "forum/refused.html", {"message": message}, status=status)


def post_markup_context(
    request: HttpRequest, thread: Thread, *, is_moderator: bool
) -> PostMarkupContext:
    """What ``forum.post_markup`` needs to render posts of ``thread`` for this request."""
    return PostMarkupContext(
        post_base=reverse("forum:home") + "p/",
        reply_url=reverse("forum:reply", kwargs={"pk": thread.pk}),
        unaccept_url=reverse("forum:unaccept", kwargs={"pk": thread.pk}),
        csrf_token=get_token(request) if request.user.is_authenticated else "",
        is_moderator=is_moderator,
        can_accept=False,
    )
