"""Rate limits through HTTP: a form error on the page, HTTP 429 with Retry-After for JSON."""

from http import HTTPStatus

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from forum.models import Post, Thread
from members.models import Profile, TrustLevel
from tests.factories.forum import CategoryFactory, MemberFactory, make_reply, make_thread
from tests.forum.retry_text import retry_sentence_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits_on(settings):
    settings.FORUM_RATE_LIMITS_ENABLED = True
    settings.FORUM_RATE_LIMITS = {
        TrustLevel.PROBATION: {"thread": {"hour": 2}, "reply": {"hour": 2, "day": 10}}
    }
    settings.FORUM_PROBATION_PLAIN_POSTS = 3


@pytest.fixture
def newcomer(client):
    user = MemberFactory()
    assert Profile.objects.get(user=user).trust_level == TrustLevel.PROBATION
    client.force_login(user)
    return user


def error_summary(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    summary = soup.select_one("#form-errors")
    assert summary is not None, "no error summary on the page"
    return summary.get_text(" ", strip=True)


def test_a_new_account_over_the_thread_limit_sees_why_on_the_form(client, newcomer):
    category = CategoryFactory(slug="open")
    for number in range(2):
        make_thread(author=newcomer, category=category, title=f"Earlier question {number}")
    url = reverse("forum:thread_new", kwargs={"slug": "open"})

    response = client.post(url, {"title": "A third question", "body": "Any advice?"})

    assert response.status_code == HTTPStatus.OK
    text = error_summary(response)
    assert "You can start 2 threads per hour while your account is new." in text
    assert retry_sentence_in(text)
    assert 'value="A third question"' in response.content.decode()  # nothing lost
    assert Thread.objects.filter(author=newcomer).count() == 2


def test_an_inline_reply_over_the_limit_gets_429_with_retry_after(client, newcomer):
    thread = make_thread()
    for _ in range(2):
        make_reply(thread, author=newcomer)

    response = client.post(
        reverse("forum:reply", kwargs={"pk": thread.pk}),
        {"body": "A third reply within the hour"},
        headers={"accept": "application/json"},
    )

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    error = response.json()["error"]
    assert error.startswith("You can post 2 replies per hour while your account is new. ")
    assert retry_sentence_in(error)
    assert 3500 <= int(response["Retry-After"]) <= 3600
    assert Post.objects.filter(author=newcomer).count() == 2


def test_a_reply_form_over_the_limit_keeps_the_text_and_shows_the_limit(client, newcomer):
    thread = make_thread()
    for _ in range(2):
        make_reply(thread, author=newcomer)

    response = client.post(
        reverse("forum:reply", kwargs={"pk": thread.pk}), {"body": "Keep this text, please"}
    )

    assert response.status_code == HTTPStatus.OK
    assert "You can post 2 replies per hour" in error_summary(response)
    assert "Keep this text, please" in response.content.decode()


def test_a_link_in_a_first_reply_is_a_body_error_and_400_for_json(client, newcomer):
    thread = make_thread()
    url = reverse("forum:reply", kwargs={"pk": thread.pk})

    page = client.post(url, {"body": "Visit https://example.com/"})
    data = client.post(
        url, {"body": "Visit https://example.com/"}, headers={"accept": "application/json"}
    )

    assert "your first 3 posts cannot contain links to other sites" in error_summary(page)
    assert data.status_code == HTTPStatus.BAD_REQUEST
    assert "cannot contain links" in data.json()["error"]
    assert "Retry-After" not in data
    assert not Post.objects.filter(author=newcomer).exists()
