"""End to end: a new account meets the probation rules and is told why, on the plain forms
and in the inline reply (where the JSON answer is HTTP 429)."""

import pytest
from django.test import Client

from forum.models import Post, Thread
from members.models import Profile, TrustLevel
from tests.browser_support import assert_accessible
from tests.factories.forum import CategoryFactory, MemberFactory, make_reply, make_thread
from tests.forum.retry_text import retry_sentence_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def limits_on(settings):
    settings.FORUM_RATE_LIMITS_ENABLED = True
    settings.FORUM_RATE_LIMITS = {TrustLevel.PROBATION: {"reply": {"hour": 2}}}
    settings.FORUM_PROBATION_PLAIN_POSTS = 3


@pytest.fixture
def newcomer_page(browser, live_server):
    """A page signed in as a new member; console errors other than the expected refusals
    (429, 400) fail the test."""
    newcomer = MemberFactory(display_name="Nia Newcomer")
    assert Profile.objects.get(user=newcomer).trust_level == TrustLevel.PROBATION
    client = Client()
    client.force_login(newcomer)
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and "status of 429" not in msg.text
            else None
        ),
    )
    page.newcomer = newcomer
    yield page
    context.close()
    assert not errors, errors


def test_a_new_account_is_told_about_links_and_then_about_the_reply_limit(limits_on, newcomer_page):
    page = newcomer_page
    CategoryFactory(name="Open discussion", slug="open")

    # A link in a first post: the form says why and keeps the text.
    page.goto("/forum/c/open/new/")
    page.fill("#id_title", "Leaflets about the new tariff")
    page.fill("#id_body", "We printed ours, see https://example.com/leaflet.pdf")
    page.get_by_role("button", name="Start the discussion").click()
    summary = page.locator("#form-errors")
    assert "your first 3 posts cannot contain links to other sites or images" in (
        summary.inner_text()
    )
    assert "example.com/leaflet.pdf" in page.locator("#id_body").input_value()
    assert_accessible(page)
    page.fill("#id_body", "We printed ours and sent them with the bill.")
    page.get_by_role("button", name="Start the discussion").click()
    page.wait_for_url("**/forum/t/**")
    assert Thread.objects.filter(author=page.newcomer).count() == 1

    # Two replies an hour: the third, sent inline, is refused with the limit and its reset.
    thread = make_thread(title="Explaining a tariff rise")
    other = make_reply(thread, body="We held open days.")
    make_reply(thread, author=page.newcomer, body="My first reply.")
    make_reply(thread, author=page.newcomer, body="My second reply.")
    page.goto(thread.get_absolute_url())
    page.locator(f"#post-{other.pk} a.js-reply").click()
    inline = page.locator(f'form[data-inline-parent="{other.pk}"]')
    inline.locator("textarea").fill("And a third one within the hour.")
    inline.get_by_role("button", name="Post reply").click()
    error = inline.locator(".js-reply-error")
    error.wait_for(state="visible")
    text = error.inner_text()
    assert text.startswith("You can post 2 replies per hour while your account is new.")
    assert retry_sentence_in(text)
    assert text.endswith("UTC.")
    assert Post.objects.filter(author=page.newcomer, depth__gt=0).count() == 2
    assert_accessible(page)
