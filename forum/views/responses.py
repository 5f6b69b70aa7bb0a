"""How forum views answer: refusals with the service's reason, and JSON for enhanced pages.

Pages work without JavaScript (POST, then redirect). ``static/js/forum.js`` sends the same
forms with ``Accept: application/json`` and gets JSON back instead of a redirect; the JSON
shape of a refusal is ``service_responses``'s.
"""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.views.decorators.http import require_POST

from forum.models import Thread
from forum.post_markup import PostMarkupContext
from service_responses import answers_service_errors, refusal


def refused_page(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """The forum's HTML page for a refused action (``service_responses.RefusalPage``)."""
    return render(request, "forum/refused.html", {"message": message}, status=status)


def refused(request: HttpRequest, message: str, *, status: int = 403) -> HttpResponse:
    """The action is not allowed (or the input is unusable): say why, in HTML or JSON."""
    return refusal(request, message, status, page=refused_page)


def member_action(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorate a forum view that acts without a form (vote, follow, lock...): signed-in
    members only, POST only, and a service's refusal answers like ``refused``."""
    return login_required(require_POST(answers_service_errors(refused_page)(view)))


def post_markup_context(
    request: HttpRequest, thread: Thread, *, is_moderator: bool, can_accept: bool = False
) -> PostMarkupContext:
    """What ``forum.post_markup`` needs to render posts of ``thread`` for this request."""
    return PostMarkupContext.for_thread(
        thread.pk,
        csrf_token=get_token(request) if request.user.is_authenticated else "",
        is_moderator=is_moderator,
        can_accept=can_accept,
        reader_id=request.user.pk if request.user.is_authenticated else None,
    )
