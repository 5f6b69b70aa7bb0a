"""End to end in a real browser: member A follows a topic from its landing page (the button
changes without a reload), member B starts a thread on it, A sees one notification with the
unread count in the header and got one email, whose unsubscribe link works signed out."""

import pytest
from django.core import mail
from django.test import Client

from forum.models import Follow
from members.models import Notification, NotificationEmail, Profile
from tests.browser_support import assert_accessible
from tests.factories import taxonomy
from tests.factories.forum import CategoryFactory, MemberFactory, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(context, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


def test_follow_a_topic_get_notified_of_a_new_thread_and_unsubscribe(page, browser, live_server):
    topic = taxonomy.topic()
    reader = MemberFactory(display_name="Ada Reader")
    sign_in(page.context, live_server.url, reader)

    page.goto(f"/knowledge/topics/{topic.slug}/")
    button = page.locator(".js-follow-form button")
    assert button.inner_text() == "Follow"
    page.evaluate("window.__sameDocument = true")
    button.click()
    page.locator(".js-follow-form button", has_text="Following").wait_for()
    assert page.evaluate("window.__sameDocument") is True  # no reload
    assert Follow.objects.filter(member=reader, topic=topic).count() == 1
    assert_accessible(page)

    make_thread(
        category=CategoryFactory(),
        author=MemberFactory(),
        topics=[topic],
        title="SMS outage alerts",
    )
    assert Notification.objects.filter(recipient=reader).count() == 1

    page.goto("/members/notifications/")
    assert page.locator("[data-unread-count]").inner_text() == "1"
    assert page.get_by_role("link", name="SMS outage alerts").count() == 1
    assert_accessible(page)

    [email] = mail.outbox
    link = email.extra_headers["List-Unsubscribe"].strip("<>")
    signed_out = browser.new_context(base_url=live_server.url).new_page()
    signed_out.goto(link[link.index("/members/unsubscribe/") :])
    signed_out.get_by_role("button", name="Unsubscribe").click()
    signed_out.get_by_text("You are unsubscribed").wait_for()
    assert Profile.objects.get(user=reader).notification_email == NotificationEmail.NONE
    signed_out.context.close()
