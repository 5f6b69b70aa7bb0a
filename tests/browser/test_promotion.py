"""End to end: a moderator promotes a solved question, an editor publishes the guide in
Wagtail's workflow, and visitors find the guide from the thread, with its contributors."""

import pytest
from django.test import Client

from forum.services.answers import answer_accept
from kb.models import MethodGuidePage
from taxonomy.models import Topic
from tests.browser_support import assert_accessible
from tests.factories.forum import MemberFactory, make_question, make_reply
from tests.factories.kb import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_page(browser, base_url: str, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=base_url)
    context.set_default_timeout(10_000)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )
    return context, context.new_page()


def test_a_moderator_promotes_a_solved_thread_and_an_editor_publishes_the_guide(
    page, browser, live_server
):
    asker = MemberFactory(display_name="Ana Asker")
    question = make_question(
        author=asker,
        title="How do we warn customers before a planned outage?",
        body="Complaints spike after every outage.",
        topics=[Topic.objects.order_by("pk").first()],
    )
    accepted = make_reply(
        question,
        author=MemberFactory(display_name="Chloe Answer"),
        body="Send an SMS 48 hours before.",
    )
    make_reply(
        question, author=MemberFactory(display_name="Dev Extra"), body="Post on the website too."
    )
    answer_accept(user=asker, answer=accepted)
    moderator = user_with_role("moderator", display_name="Mo Moderator")
    editor = user_with_role("editor", display_name="Eddie Editor")

    # The moderator starts from the thread page.
    mod_context, mod_page = signed_in_page(browser, live_server.url, moderator)
    mod_page.goto(question.get_absolute_url())
    mod_page.get_by_role("link", name="Turn into a method guide").click()
    mod_page.wait_for_url(f"**/forum/t/{question.pk}/promote/")
    assert_accessible(mod_page)
    mod_page.get_by_label("Reply by Dev Extra").check()
    mod_page.get_by_role("button", name="Create the draft and send it for review").click()
    mod_page.wait_for_url(f"**{question.get_absolute_url()}")
    assert mod_page.get_by_text("is now in editorial review").is_visible()
    assert mod_page.locator(".thread-guide-notice").inner_text() == (
        "A method guide drafted from this question is in editorial review."
    )
    mod_context.close()
    guide = MethodGuidePage.objects.get(source_thread_id=question.pk)

    # Visitors see nothing yet.
    page.goto(question.get_absolute_url())
    assert page.locator(".thread-guide-notice").count() == 0

    # The editor approves and publishes in Wagtail's admin.
    editor_context, editor_page = signed_in_page(browser, live_server.url, editor)
    editor_page.goto(f"/admin/pages/{guide.pk}/edit/")
    editor_page.get_by_role("button", name="More actions").click()
    editor_page.get_by_role("button", name="Approve and Publish").click()
    editor_page.wait_for_load_state()
    editor_context.close()
    guide.refresh_from_db()
    assert guide.live

    # Now the thread links to the guide, which credits everyone and links back.
    page.goto(question.get_absolute_url())
    notice = page.locator(".thread-guide-notice")
    assert notice.inner_text() == (
        "This discussion became a method guide: How do we warn customers before a planned outage?."
    )
    assert_accessible(page)
    notice.get_by_role("link").click()
    page.wait_for_url(f"**{guide.url}")
    assert page.get_by_text(
        "With contributions from Ana Asker, Chloe Answer, Dev Extra."
    ).is_visible()
    assert page.get_by_role("heading", name="Steps").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="a discussion in the forum").click()
    page.wait_for_url(f"**{question.get_absolute_url()}")
