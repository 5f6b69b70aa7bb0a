"""Two-factor authentication before privileged powers.

Moderators, editors and admins (and any staff or superuser account) must have an
authenticator app (TOTP) or security key before they use those powers.
``PrivilegedMfaMiddleware`` enforces it for URL prefixes (``MEMBERS_MFA_PROTECTED_PATH_PREFIXES``,
by default the Wagtail and Django admins, where editors and admins work): a privileged account
without a second factor is sent to the TOTP set-up page with a message saying why.

Only those prefixes are guarded. The forum's moderator tools (review queue, hide, lock, move,
split, merge, suspend, the moderation log) check ``members.roles.mfa_satisfied(user)`` in their
services (``forum.services.moderation.moderator_check``, ``members.services.suspensions``) and
their pages answer 403 with the reason. Editing another member's post, accepting an answer and
reading edit history do not ask for the second factor yet; a view that should, checks
``mfa_satisfied`` and answers with ``mfa_setup_redirect(request)``.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.roles import mfa_satisfied

DEFAULT_PROTECTED_PREFIXES = ("/admin/", "/django-admin/")
MESSAGE = _(
    "Your role needs two-factor authentication. Set up an authenticator app to continue; "
    "you will be asked for a code each time you sign in."
)


def mfa_setup_redirect(request: HttpRequest) -> HttpResponse:
    messages.warning(request, MESSAGE, fail_silently=True)
    return HttpResponseRedirect(reverse("mfa_activate_totp"))


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
