"""Rate limits hold over HTTP at their configured values (config/settings/base.py).

The test settings switch the limits off (factories sign up and post many times); each test
switches one back on with the base settings' own numbers, so a change there is what is tested.
For each limit: the allowed number of requests pass, the next is refused with the right status
and a translatable message, and the refused request stores nothing. The forum's limit logic has
its own suites (tests/forum/test_limits*.py, with small custom limits); here the real limits of
a new member are reached through the forms.
"""

import time
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from config.settings import base
from forum.models import Post, Thread
from members.models import TrustLevel
from tests.factories.forum import CategoryFactory, MemberFactory, make_thread
from tests.factories.members import UserFactory
from tests.security import summary

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"


def limit(rule: str, scope: str) -> int:
    """The count of the first ``count/period/scope`` rule of ``rule`` with that scope."""
    for part in rule.split(","):
        count, _period, rule_scope = part.split("/")
        if rule_scope == scope:
            return int(count)
    raise AssertionError(f"no /{scope} rule in {rule!r}")


@pytest.fixture
def account_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    cache.clear()
    return base.ACCOUNT_RATE_LIMITS


def test_failed_sign_ins_for_one_email_are_refused_after_the_limit_even_with_the_password(
    client, account_limits
):
    allowed = limit(account_limits["login_failed"], "key")
    user = UserFactory(email="guessed@example.org", password=PASSWORD)
    url = reverse("account_login")
    for attempt in range(allowed):
        response = client.post(url, {"login": user.email, "password": f"guess {attempt}"})
        assert response.status_code == HTTPStatus.OK
        assert "Too many failed login attempts" not in response.content.decode()
    refused = client.post(url, {"login": user.email, "password": PASSWORD})
    assert refused.status_code == HTTPStatus.OK  # the form again, with the reason
    assert "Too many failed login attempts. Try again later." in refused.content.decode()
    assert not refused.wsgi_request.user.is_authenticated
    assert "_auth_user_id" not in client.session
    summary.add("rate limits: sign-in attempts", allowed + 1)


def test_sign_ups_from_one_address_are_refused_after_the_limit(client, account_limits):
    allowed = limit(account_limits["signup"], "ip")
    url = reverse("account_signup")
    for number in range(allowed):
        client.cookies.clear()
        data = {"email": f"new{number}@example.org", "password1": PASSWORD, "password2": PASSWORD}
        assert client.post(url, data).status_code == HTTPStatus.FOUND
    users = get_user_model().objects.count()
    client.cookies.clear()
    data = {"email": "one.too.many@example.org", "password1": PASSWORD, "password2": PASSWORD}
    refused = client.post(url, data)
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Too many requests" in refused.content.decode()
    assert "Please wait a minute, then try again." in refused.content.decode()
    assert get_user_model().objects.count() == users
    assert not get_user_model().objects.filter(email="one.too.many@example.org").exists()
    summary.add("rate limits: sign-up attempts", allowed + 1)


def test_password_resets_for_one_email_are_refused_after_the_limit(client, account_limits):
    allowed = limit(account_limits["reset_password"], "key")
    user = UserFactory(email="forgetful@example.org", password=PASSWORD)
    url = reverse("account_reset_password")
    for _ in range(allowed):
        assert client.post(url, {"email": user.email}).status_code == HTTPStatus.FOUND
    sent = len(mail.outbox)
    assert sent == allowed
    refused = client.post(url, {"email": user.email})
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Please wait a minute, then try again." in refused.content.decode()
    assert len(mail.outbox) == sent
    summary.add("rate limits: password reset attempts", allowed + 1)


@pytest.fixture
def forum_limits(settings, client):
    settings.FORUM_RATE_LIMITS_ENABLED = True
    settings.FORUM_RATE_LIMITS = base.FORUM_RATE_LIMITS
    newcomer = MemberFactory()
    assert newcomer.profile.trust_level == TrustLevel.PROBATION
    client.force_login(newcomer)
    return base.FORUM_RATE_LIMITS[TrustLevel.PROBATION], newcomer


def test_a_new_member_starts_threads_up_to_the_hourly_limit_through_the_form(client, forum_limits):
    limits, newcomer = forum_limits
    allowed = limits["thread"]["hour"]
    CategoryFactory(slug="open")
    url = reverse("forum:thread_new", kwargs={"slug": "open"})
    for number in range(allowed):
        response = client.post(url, {"title": f"Question number {number}", "body": "Any advice?"})
        assert response.status_code == HTTPStatus.FOUND
    refused = client.post(url, {"title": "One question too many", "body": "Any advice?"})
    assert refused.status_code == HTTPStatus.OK
    assert f"You can start {allowed} threads per hour while your account is new." in (
        refused.content.decode()
    )
    assert Thread.objects.filter(author=newcomer).count() == allowed
    assert not Thread.objects.filter(title="One question too many").exists()
    summary.add("rate limits: forum thread posts", allowed + 1)


def test_a_new_member_replies_up_to_the_hourly_limit_then_gets_429(client, forum_limits):
    limits, newcomer = forum_limits
    allowed = limits["reply"]["hour"]
    thread = make_thread()
    url = reverse("forum:reply", kwargs={"pk": thread.pk})
    json = {"accept": "application/json"}
    for number in range(allowed):
        response = client.post(url, {"body": f"Reply number {number}"}, headers=json)
        assert response.status_code < 300, response.content[:300]
    refused = client.post(url, {"body": "One reply too many"}, headers=json)
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert refused.json()["error"].startswith(
        f"You can post {allowed} replies per hour while your account is new."
    )
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert Post.objects.filter(author=newcomer).count() == allowed
    summary.add("rate limits: forum reply posts", allowed + 1)


def test_anonymous_search_api_callers_get_429_with_retry_after_after_the_limit(client, settings):
    settings.SEARCH_API_ANONYMOUS_LIMIT = base.SEARCH_API_ANONYMOUS_LIMIT
    settings.SEARCH_API_WINDOW_SECONDS = base.SEARCH_API_WINDOW_SECONDS
    allowed, window = base.SEARCH_API_ANONYMOUS_LIMIT, base.SEARCH_API_WINDOW_SECONDS
    # The counter is a fixed window: start early in one, so all requests fall in it.
    if window - time.time() % window < 5:  # the 121 requests take well under a second
        time.sleep(window - time.time() % window + 0.1)
    cache.clear()
    url = "/api/search/suggest/"
    statuses = {client.get(url, {"q": "dro"}).status_code for _ in range(allowed)}
    assert statuses == {HTTPStatus.OK}
    refused = client.get(url, {"q": "dro"})
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 1 <= int(refused["Retry-After"]) <= window
    assert refused.json()["error"] == (
        f"Too many requests: try again in {refused['Retry-After']} seconds."
    )
    assert client.get(url, {"q": "dro"}, REMOTE_ADDR="10.0.0.9").status_code == HTTPStatus.OK
    summary.add("rate limits: search API requests", allowed + 1)
