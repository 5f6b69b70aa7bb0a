"""Production's security settings, `check --deploy` failing on a weakened one, and the headers
and cookie flags real responses carry.

tests/config/test_production_settings.py already proves `check --deploy` is clean and that
missing variables fail at start-up; here each HTTPS, cookie, framing and CSP setting is pinned
to its secure value, a deployment that weakens one through the environment fails the check, and
the headers are read off real responses (the test client, with production's cookie settings).
"""

import importlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import global_settings
from django.urls import reverse

from tests.factories.members import UserFactory
from tests.security import summary

ROOT = Path(__file__).resolve().parents[2]
ONE_YEAR = 365 * 24 * 60 * 60
PRODUCTION_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "hub.example.org,www.hub.example.org",
    "SITE_URL": "https://hub.example.org",
    "DEFAULT_FROM_EMAIL": "PCC Hub <hub@example.org>",
    "CSRF_TRUSTED_ORIGINS": "https://hub.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}
# Variables production reads that the test environment may have set; a deployment sets its own.
NOT_INHERITED = {
    *PRODUCTION_ENV,
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
}


@pytest.fixture(scope="module")
def production():
    """config.settings.production imported afresh with a production environment."""
    saved = dict(os.environ)
    try:
        for name in NOT_INHERITED:
            os.environ.pop(name, None)
        os.environ.update(PRODUCTION_ENV)
        sys.modules.pop("config.settings.production", None)
        module = importlib.import_module("config.settings.production")
    finally:
        os.environ.clear()
        os.environ.update(saved)
        sys.modules.pop("config.settings.production", None)
    return module


def value(module, name):
    """A setting as Django would see it: the module's value, else Django's default."""
    return getattr(module, name, getattr(global_settings, name))


def directives(policy):
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def test_production_runs_with_debug_off_and_the_environment_secret_key(production):
    assert production.DEBUG is False
    assert production.SECRET_KEY == PRODUCTION_ENV["SECRET_KEY"]
    assert production.ALLOWED_HOSTS == ["hub.example.org", "www.hub.example.org"]


def test_production_cookies_are_secure_http_only_and_same_site(production):
    assert value(production, "SESSION_COOKIE_SECURE") is True
    assert value(production, "CSRF_COOKIE_SECURE") is True
    assert value(production, "SESSION_COOKIE_HTTPONLY") is True
    assert value(production, "SESSION_COOKIE_SAMESITE") in {"Lax", "Strict"}
    assert value(production, "CSRF_COOKIE_SAMESITE") in {"Lax", "Strict"}
    assert value(production, "LANGUAGE_COOKIE_SAMESITE") in {None, "Lax", "Strict"}


def test_production_forces_https_with_a_year_of_hsts_on_subdomains(production):
    assert value(production, "SECURE_SSL_REDIRECT") is True
    assert value(production, "SECURE_HSTS_SECONDS") >= ONE_YEAR
    assert value(production, "SECURE_HSTS_INCLUDE_SUBDOMAINS") is True
    assert value(production, "SECURE_PROXY_SSL_HEADER") == ("HTTP_X_FORWARDED_PROTO", "https")


def test_production_forbids_framing_sniffing_and_cross_site_referrers(production):
    policy = directives(production.CONTENT_SECURITY_POLICY)
    assert value(production, "X_FRAME_OPTIONS") == "DENY"
    assert policy["frame-ancestors"] == ["'none'"]
    assert value(production, "SECURE_CONTENT_TYPE_NOSNIFF") is True
    assert value(production, "SECURE_REFERRER_POLICY") in {
        "same-origin",
        "no-referrer",
        "strict-origin",
    }
    assert "django.middleware.clickjacking.XFrameOptionsMiddleware" in production.MIDDLEWARE
    assert "config.content_security_policy.ContentSecurityPolicyMiddleware" in production.MIDDLEWARE


def test_production_content_security_policy_allows_only_same_origin_scripts(production):
    policy = directives(production.CONTENT_SECURITY_POLICY)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no hosts
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]


def run_check_deploy(**overrides):
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env |= PRODUCTION_ENV | {"DJANGO_SETTINGS_MODULE": "config.settings.production"} | overrides
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_warning_for_a_realistic_deployment():
    result = run_check_deploy()
    summary.add("production settings: check --deploy runs", 1)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


# Settings a deployment can weaken through the environment, and the check that catches each.
WEAKENED = {
    "no HSTS": ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
    "no HTTPS redirect": ({"SECURE_SSL_REDIRECT": "false"}, "security.W008"),
    "a short secret key": ({"SECRET_KEY": "short"}, "security.W009"),
}


@pytest.mark.parametrize(("overrides", "check"), WEAKENED.values(), ids=WEAKENED.keys())
def test_check_deploy_fails_when_the_environment_weakens_a_setting(overrides, check):
    result = run_check_deploy(**overrides)
    summary.add("production settings: check --deploy runs", 1)
    assert result.returncode != 0
    assert check in result.stdout + result.stderr


@pytest.mark.django_db
def test_pages_send_the_security_headers(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    summary.add("production settings: responses with headers checked", 1)


@pytest.mark.django_db
def test_signing_in_under_production_cookie_settings_sets_secure_http_only_cookies(
    client, settings, production
):
    for name in (
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SAMESITE",
    ):
        setattr(settings, name, value(production, name))
    UserFactory(email="cookie.member@example.org", password="correct horse battery staple 42")
    page = client.get(reverse("account_login"), secure=True)
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    response = client.post(
        reverse("account_login"),
        {"login": "cookie.member@example.org", "password": "correct horse battery staple 42"},
        secure=True,
    )
    assert response.status_code == 302, response.content[:500]
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session.value
    for cookie in (session, csrf):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] in {"Lax", "Strict"}
    assert response.wsgi_request.user.email == "cookie.member@example.org"
    summary.add("production settings: cookies checked after a real sign-in", 2)
