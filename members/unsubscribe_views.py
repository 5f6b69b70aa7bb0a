"""The unsubscribe page: opened from an email, without signing in.

GET shows what the link will stop and a confirm button (mail scanners that follow links must
not unsubscribe anyone); POST unsubscribes, including the RFC 8058 one-click POST a mail
client sends (body ``List-Unsubscribe=One-Click``, no CSRF token, no cookies: the signed
token is the authority). A tampered or expired link gets a clear page and changes nothing.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from members.services.unsubscribe import (
    UnsubscribeLinkInvalid,
    unsubscribe_apply,
    unsubscribe_token_read,
)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "POST":
            unsubscribe_request, changed = unsubscribe_apply(token=token)
            state = "done" if changed else "already"
        else:
            unsubscribe_request, state = unsubscribe_token_read(token), "confirm"
    except UnsubscribeLinkInvalid as error:
        return render(
            request,
            "members/unsubscribe.html",
            {"state": "expired" if error.expired else "invalid"},
            status=400,
        )
    return render(
        request,
        "members/unsubscribe.html",
        {"state": state, "kind": unsubscribe_request.kind},
    )
