"""Site-wide behaviour: error pages, security headers, health probe, database selection."""

import os
from http import HTTPStatus

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.urls import include, path

pytestmark = pytest.mark.django_db


def test_unknown_url_renders_the_styled_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    content = response.content.decode()
    assert "Page not found" in content
    assert 'class="skip-link"' in content  # the full site layout, not Django's bare page


def _boom(request):
    raise RuntimeError("deliberate failure for the 500 page test")


def _forbidden(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


urlpatterns = [
    path("boom/", _boom),
    path("forbidden/", _forbidden),
    path("", include("config.urls")),
]
handler403 = "config.views.permission_denied"
handler500 = "config.views.server_error"


@override_settings(ROOT_URLCONF=__name__)
def test_server_error_renders_the_styled_500_page(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "Something went wrong" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_permission_denied_renders_the_styled_403_page(client):
    response = client.get("/forbidden/")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "You do not have access to this page" in response.content.decode()


def test_public_pages_forbid_inline_scripts(client):
    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"


def test_wagtail_admin_gets_the_admin_policy(client):
    response = client.get("/admin/login/")
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY_ADMIN


def test_health_probe_reports_ok_and_is_not_cached(client):
    response = client.get("/healthz")
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_database_backend_follows_database_url():
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    assert connection.vendor == expected


def test_home_page_shows_navigation_and_search(client):
    content = client.get("/").content.decode()
    assert 'aria-label="Main"' in content
    assert 'role="search"' in content
    assert "Sign in" in content


def test_search_page_cuts_overlong_queries_with_a_message(client):
    response = client.get("/search/", {"q": "x" * 501})
    assert response.status_code == HTTPStatus.OK
    assert "Your search was cut to its first 500 characters." in response.content.decode()


def _with_message(request):
    from django.contrib import messages
    from django.shortcuts import render

    messages.success(request, "Your profile was saved.")
    return render(request, "base.html")


@override_settings(ROOT_URLCONF="tests.config.urls_messages")
def test_django_messages_are_shown_in_a_live_region(client):
    content = client.get("/with-message/").content.decode()
    assert 'role="status"' in content
    assert '<li class="alert alert--success">Your profile was saved.</li>' in content
