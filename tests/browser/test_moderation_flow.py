"""End to end in a real browser: a member flags a post; a moderator works the review queue,
suspends the author and hides the post; the moderation log shows both; the author sees why.

Every page on the way is checked with axe-core; console errors fail the test.
"""

import pytest
from django.test import Client

from forum.models import Flag, Post
from members.models import ModerationLog, Suspension
from tests.browser_support import assert_accessible
from tests.factories.forum import MemberFactory, make_moderator, make_reply, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(context, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


def new_page(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    sign_in(context, live_server.url, user)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and "status of 40" not in msg.text
            else None
        ),
    )
    return context, page, errors


def test_flag_review_hide_suspend_log_and_the_author_sees_why(page, browser, live_server):
    author = MemberFactory(display_name="Spammy Sam")
    thread = make_thread(title="Explaining a tariff rise")
    reply = make_reply(thread, author=author, body="Cheap smart meters at example.com!")
    member = MemberFactory(display_name="Careful Carla")
    moderator = make_moderator(display_name="Mo Derator")

    # The member flags the reply from the thread page.
    sign_in(page.context, live_server.url, member)
    page.goto(thread.get_absolute_url())
    page.locator(f"#post-{reply.pk}").get_by_role("link", name="Flag").click()
    page.wait_for_url(f"**/forum/p/{reply.pk}/flag/")
    assert_accessible(page)
    page.get_by_label("Spam or advertising").check()
    page.get_by_role("button", name="Send flag").click()
    assert page.get_by_text("your flag was received").is_visible()
    assert Flag.objects.get().flagger == member

    # The moderator works the queue: suspends the author, then hides the post.
    context, mod_page, mod_errors = new_page(browser, live_server, moderator)
    mod_page.goto("/forum/moderation/")
    assert_accessible(mod_page)
    item = mod_page.locator(f"#flagged-{reply.pk}")
    assert "Careful Carla" in item.inner_text()
    assert "Spam or advertising" in item.inner_text()
    item.get_by_role("link", name="Suspend the author…").click()
    mod_page.wait_for_url(f"**/forum/moderation/members/{author.pk}/")
    assert_accessible(mod_page)
    mod_page.get_by_label("Reason (shown to the member)").fill("Advertising in replies")
    mod_page.get_by_label("Days").fill("7")
    mod_page.get_by_role("button", name="Suspend member").click()
    assert mod_page.get_by_text("The member is suspended").is_visible()

    mod_page.goto("/forum/moderation/")
    item = mod_page.locator(f"#flagged-{reply.pk}")
    item.get_by_label("Reason").fill("Advertising")
    item.get_by_role("button", name="Hide post").click()
    assert mod_page.get_by_text("The post is hidden.").is_visible()
    assert mod_page.get_by_text("No open flags").is_visible()
    assert Post.objects.get(pk=reply.pk).is_hidden
    assert Suspension.objects.get().user == author

    # The log shows both actions, and filters by action.
    mod_page.goto("/forum/moderation/log/")
    assert_accessible(mod_page)
    log = mod_page.locator("table.moderation-log").inner_text()
    assert "post_hide" in log
    assert "member_suspend" in log
    mod_page.get_by_label("Action").select_option("member_suspend")
    mod_page.get_by_role("button", name="Filter").click()
    log = mod_page.locator("table.moderation-log").inner_text()
    assert "member_suspend" in log
    assert "post_hide" not in log
    assert ModerationLog.objects.filter(actor=moderator).count() >= 2
    context.close()
    assert not mod_errors, mod_errors

    # The author sees why the post is hidden, and that they are suspended.
    context, author_page, author_errors = new_page(browser, live_server, author)
    author_page.goto(thread.get_absolute_url())
    assert_accessible(author_page)
    body = author_page.locator(f"#post-{reply.pk}").inner_text()
    assert "Reason: Advertising" in body
    assert "Your account is suspended until" in author_page.content()
    assert "Advertising in replies" in author_page.content()
    context.close()
    assert not author_errors, author_errors

    # The flagger sees the placeholder, not the text.
    page.goto(thread.get_absolute_url())
    assert "This post was hidden by a moderator." in page.locator(f"#post-{reply.pk}").inner_text()
    assert "Cheap smart meters" not in page.content()
