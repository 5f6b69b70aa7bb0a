"""Two-factor authentication before privileged powers.

Moderators, editors and admins (and any staff or superuser account) must have an
authenticator app (TOTP) or security key before they use those powers. Two ways to enforce it:

- ``PrivilegedMfaMiddleware`` guards URL prefixes (``MEMBERS_MFA_PROTECTED_PATH_PREFIXES``,
  by default the Wagtail and Django admins);
- ``mfa_required`` guards a single view (forum moderation views use it).

Either way the member is sent to the TOTP set-up page with a message saying why.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from members.roles import mfa_satisfied

DEFAULT_PROTECTED_PREFIXES = ("/admin/", "/django-admin/")
MESSAGE = (
    "Your role needs two-factor authentication. Set up an authenticator app to continue; "
    "you will be asked for a code each time you sign in."
)


def mfa_setup_redirect(request: HttpRequest) -> HttpResponse:
    messages.warning(request, MESSAGE, fail_silently=True)
    return HttpResponseRedirect(reverse("mfa_activate_totp"))


def mfa_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send a privileged account without two-factor authentication to set it up first.

    Use after ``login_required``; members without privileged roles pass straight through
    (the view still checks what they may do).
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not mfa_satisfied(request.user):
            return mfa_setup_redirect(request)
        return view(request, *args, **kwargs)

    return wrapped


class PrivilegedMfaMiddleware:
    """Place after AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        prefixes = tuple(
            getattr(settings, "MEMBERS_MFA_PROTECTED_PATH_PREFIXES", DEFAULT_PROTECTED_PREFIXES)
        )
        if (
            prefixes
            and request.path.startswith(prefixes)
            and request.user.is_authenticated
            and not mfa_satisfied(request.user)
        ):
            return mfa_setup_redirect(request)
        return self.get_response(request)
