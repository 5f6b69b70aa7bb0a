"""Read tracking in a real browser: a member sees a new thread marked, reads its first page,
follows "N new posts" from the category to the first unread post on page 2, jumps to a new
reply from the thread page, and marks the category read. Pages are checked with axe-core;
console errors (including CSP violations) fail the test."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from forum.models import Post
from tests.browser_support import assert_accessible
from tests.factories.forum import CategoryFactory, MemberFactory, make_reply, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reader_page(browser, live_server):
    """A browser page signed in as a fresh member."""
    member = MemberFactory(display_name="Reading Member")
    client = Client()
    client.force_login(member)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert not errors, "\n".join(errors)


def test_new_posts_are_marked_and_jump_to_first_unread_lands_on_the_right_page(
    reader_page, settings
):
    settings.FORUM_POSTS_PER_PAGE = 5
    page = reader_page
    category = CategoryFactory(name="Outage messaging", slug="outages")
    thread = make_thread(category=category, title="Texting customers during an outage")
    for number in range(11):
        make_reply(thread, body=f"Reply {number + 1}: what we sent and when.")
    sixth = Post.objects.get(thread=thread, position=6)

    # Never opened: the category marks the thread new.
    page.goto(category.get_absolute_url())
    row = page.locator(".thread-list__item", has_text="Texting customers during an outage")
    expect(row.locator(".tag--unread")).to_have_text("New")
    assert_accessible(page)

    # Reading the first page (posts 1 to 5) leaves 7 new posts.
    row.get_by_role("link", name="Texting customers during an outage").click()
    expect(page.locator("h1")).to_have_text("Texting customers during an outage")
    page.goto(category.get_absolute_url())
    new_posts = page.locator(".thread-list__item .tag--unread")
    expect(new_posts).to_have_text("7 new posts")

    # "7 new posts" leads to the sixth post, at the top of page 2.
    new_posts.click()
    expect(page).to_have_url(re.compile(rf"\?page=2#post-{sixth.pk}$"))
    expect(page.locator(f"#post-{sixth.pk}")).to_be_in_viewport()
    assert_accessible(page)

    # A new reply after reading to the end: the first page offers to jump to it, on page 3.
    page.goto(thread.get_absolute_url() + "?page=3")
    reply = make_reply(thread, body="A late reply with the survey results.")
    page.goto(thread.get_absolute_url())
    jump = page.get_by_role("link", name=re.compile(r"Jump to the first unread post \(1 new\)"))
    expect(jump).to_be_visible()
    assert_accessible(page)
    jump.click()
    expect(page).to_have_url(re.compile(rf"\?page=3#post-{reply.pk}$"))
    expect(page.locator(f"#post-{reply.pk}")).to_be_in_viewport()

    # Mark all read clears the markers, without JavaScript's help (a plain POST form).
    make_thread(category=category, title="Another new thread")
    page.goto(category.get_absolute_url())
    expect(page.locator(".tag--unread")).to_have_count(1)
    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_text("All threads in Outage messaging are marked read.")).to_be_visible()
    expect(page.locator(".tag--unread")).to_have_count(0)
    page.goto("/forum/")
    expect(page.locator(".tag--unread")).to_have_count(0)
