"""Content-Security-Policy header (Django 5.2 has no built-in CSP; 6.0 adds one).

The public site allows only same-origin scripts, styles and fonts: no inline code and no
third-party requests. Wagtail's admin needs inline scripts and styles, so its URL prefixes get
the looser ``CONTENT_SECURITY_POLICY_ADMIN``.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            if request.path.startswith(settings.CONTENT_SECURITY_POLICY_ADMIN_PREFIXES):
                policy = settings.CONTENT_SECURITY_POLICY_ADMIN
            else:
                policy = settings.CONTENT_SECURITY_POLICY
            response["Content-Security-Policy"] = policy
        return response
