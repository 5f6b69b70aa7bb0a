"""Wagtail hooks of the KB: the members-only teaser. (The taxonomy snippets are registered by
``taxonomy/wagtail_hooks.py``.)"""

from django.contrib.auth.views import redirect_to_login
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from wagtail import hooks

from kb import access
from kb.models import KnowledgePage


@hooks.register("on_serve_page", order=-10)
def serve_members_only_teaser(callback):
    """Runs before Wagtail's own view-restriction check. For a KB page the request may not
    read, show a teaser (title, summary, taxonomy) with a sign-in link instead of Wagtail's
    bare login redirect. Other page types keep Wagtail's behaviour."""

    def inner(page, request, serve_args, serve_kwargs):
        if isinstance(page, KnowledgePage) and access.failed_restrictions(page, request):
            if request.method not in ("GET", "HEAD"):
                return redirect_to_login(request.get_full_path(), reverse("account_login"))
            response = TemplateResponse(
                request,
                "kb/members_only_teaser.html",
                {
                    "page": page,
                    "self": page,
                    "login_url": f"{reverse('account_login')}?{urlencode({'next': page.url})}",
                    "signed_in": request.user.is_authenticated,
                },
                status=403 if request.user.is_authenticated else 200,
            )
            add_never_cache_headers(response)
            return response
        return callback(page, request, serve_args, serve_kwargs)

    return inner
