"""The forum in a real browser: a member asks, others answer and reply inline and vote, the
asker accepts an answer, and a visitor sees only public categories. Every page is checked
with axe-core; console errors (including CSP violations) fail the test."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from forum.models import Category, Post, Thread
from taxonomy.models import Region, Topic
from tests.browser_support import assert_accessible
from tests.factories.forum import CategoryFactory, MemberFactory, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def taxonomy(transactional_db):
    """The terms this test picks. Migrations load them, but a transactional test that ran
    earlier in the session flushes every table, so make sure they exist."""
    topic, _ = Topic.objects.get_or_create(
        slug="risk-and-crisis-communication", defaults={"name": "Risk and crisis communication"}
    )
    region, _ = Region.objects.get_or_create(
        slug="sub-saharan-africa", defaults={"name": "Sub-Saharan Africa", "m49_code": "202"}
    )
    return topic, region


class SignedIn:
    """A browser context signed in as ``user``, collecting console errors like ``page``."""

    def __init__(self, browser, live_server, user):
        client = Client()
        client.force_login(user)
        self.context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}
        )
        self.context.set_default_timeout(10_000)
        self.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        self.page.on(
            "console",
            lambda msg: self.errors.append(f"console: {msg.text}") if msg.type == "error" else None,
        )

    def close(self):
        self.context.close()
        assert not self.errors, "\n".join(self.errors)


@pytest.fixture
def signed_in(browser, live_server):
    opened: list[SignedIn] = []

    def open_as(user) -> SignedIn:
        session = SignedIn(browser, live_server, user)
        opened.append(session)
        return session

    yield open_as
    for session in opened:
        session.close()


def test_question_answered_nested_voted_and_accepted_and_visitors_see_public_only(
    page, signed_in, taxonomy
):
    CategoryFactory(
        name="Ask the PCC experts",
        slug="ask-the-pcc-experts",
        mode=Category.Mode.QUESTIONS,
        guests_can_post=True,
    )
    lounge = CategoryFactory(
        name="Members lounge", slug="lounge", visibility=Category.Visibility.MEMBERS
    )
    secret = make_thread(category=lounge, title="Draft webinar programme")
    asker = MemberFactory(display_name="Asha Asker")
    answerer = MemberFactory(display_name="Ben Answer")
    commenter = MemberFactory(display_name="Cleo Comment")

    # The asker starts a question with a topic and a region, previewing the Markdown first.
    asha = signed_in(asker).page
    asha.goto("/forum/")
    assert_accessible(asha)
    asha.get_by_role("link", name="Ask the PCC experts").click()
    asha.wait_for_url("**/forum/c/ask-the-pcc-experts/")
    assert_accessible(asha)
    asha.get_by_role("link", name="Ask a question").click()
    asha.get_by_label("Title").fill("Which channels work for boil-water notices?")
    asha.get_by_label("Details").fill("We rely on **SMS** alone. What else reaches people?")
    asha.get_by_label("Risk and crisis communication").check()
    asha.get_by_label("Sub-Saharan Africa").check()
    asha.get_by_role("button", name="Preview").click()
    asha.locator(".markdown-preview strong", has_text="SMS").wait_for()
    assert_accessible(asha)
    asha.get_by_role("button", name="Post your question").click()
    asha.wait_for_url(re.compile(r".*/forum/t/\d+/which-channels-work-for-boil-water-notices/$"))
    assert asha.get_by_role("heading", level=1).inner_text() == (
        "Which channels work for boil-water notices?"
    )
    assert_accessible(asha)
    question = Thread.objects.get(title__startswith="Which channels")
    assert list(question.topics.all()) == [taxonomy[0]]
    assert list(question.regions.all()) == [taxonomy[1]]
    question_url = question.get_absolute_url()

    # An answer through the plain form (no JavaScript involved in submitting it).
    ben = signed_in(answerer).page
    ben.goto(question_url)
    ben.get_by_label("Your answer").fill("Community radio and water-kiosk attendants.")
    ben.get_by_role("button", name="Post your answer").click()
    ben.wait_for_url(re.compile(r".*#post-\d+$"))
    answer = Post.objects.get(thread=question, depth=1)
    assert ben.locator(f"#post-{answer.pk}").is_visible()
    assert_accessible(ben)

    # A nested reply and a vote, both without reloading the page.
    cleo = signed_in(commenter).page
    cleo.goto(question_url)
    cleo.evaluate("window.__noReload = true")
    answer_post = cleo.locator(f"#post-{answer.pk}")
    answer_post.get_by_role("link", name="Reply").click()
    inline = cleo.locator(f'form[data-inline-parent="{answer.pk}"]')
    inline.get_by_label("Your reply").fill("Kiosk attendants were our most trusted messengers.")
    assert_accessible(cleo)
    inline.get_by_role("button", name="Post reply").click()
    comment_post = cleo.locator(".post--indent-1", has_text="most trusted messengers")
    comment_post.wait_for()
    assert cleo.evaluate("window.__noReload") is True
    comment = Post.objects.get(thread=question, depth=2)
    assert comment.parent == answer
    assert comment.author == commenter

    answer_post.get_by_role("button", name="Vote up").click()
    # Playwright's expect() polls without eval(), which the Content-Security-Policy forbids.
    expect(answer_post.locator("[data-score]")).to_have_text("1")
    assert answer_post.get_by_role("button", name="Vote up").get_attribute("aria-pressed") == (
        "true"
    )
    assert cleo.evaluate("window.__noReload") is True
    answer.refresh_from_db()
    assert answer.vote_score == 1
    assert_accessible(cleo)

    # The asker accepts the answer; it is marked and shown first.
    asha.goto(question_url)
    asha.locator(f"#post-{answer.pk}").get_by_role("button", name="Accept this answer").click()
    asha.wait_for_url(re.compile(rf".*#post-{answer.pk}$"))
    accepted = asha.locator(".post--accepted")
    assert accepted.get_attribute("id") == f"post-{answer.pk}"
    assert "Accepted answer" in accepted.inner_text()
    assert asha.locator(".tag--solved", has_text="Solved").first.is_visible()
    assert_accessible(asha)
    question.refresh_from_db()
    assert question.accepted_answer == answer

    # A visitor sees the public category and the question, but nothing members-only.
    page.goto("/forum/")
    assert page.get_by_role("link", name="Ask the PCC experts").is_visible()
    assert page.get_by_role("link", name="Members lounge").count() == 0
    assert_accessible(page)
    page.goto(question_url)
    assert page.locator(".post--accepted").is_visible()
    assert page.get_by_role("button", name="Vote up").count() == 0
    assert page.get_by_role("link", name="Sign in", exact=True).last.is_visible()
    assert_accessible(page)
    for hidden_url in (lounge.get_absolute_url(), secret.get_absolute_url()):
        response = page.goto(hidden_url)
        assert response.status == 404
        assert page.get_by_role("heading", name="Page not found").is_visible()
        assert_accessible(page)


def test_replying_and_voting_work_without_javascript(browser, live_server, taxonomy):
    """Plain forms, POST and redirect. axe-core needs JavaScript, so each page reached
    without it is checked again in a JavaScript-enabled context of the same member."""
    from tests.factories.forum import make_reply

    thread = make_thread(title="Bill redesign: worth it?")
    answer = make_reply(thread, body="Yes, if it explains why the bill changed.")
    reader = MemberFactory(display_name="No Script")
    client = Client()
    client.force_login(reader)
    cookie = {
        "name": "sessionid",
        "value": client.cookies["sessionid"].value,
        "url": live_server.url,
    }
    no_script = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    checker = browser.new_context(base_url=live_server.url)
    for context in (no_script, checker):
        context.set_default_timeout(10_000)
        context.add_cookies([cookie])
    page = no_script.new_page()
    checking = checker.new_page()

    def check_accessible():
        checking.goto(page.url)
        assert_accessible(checking)

    try:
        page.goto(thread.get_absolute_url())
        assert page.locator(".markdown-field__tools").is_hidden()  # no preview without JS
        check_accessible()
        page.locator(f"#post-{answer.pk}").get_by_role("button", name="Vote up").click()
        page.wait_for_url(re.compile(rf".*#post-{answer.pk}$"))
        vote_up = page.locator(f"#post-{answer.pk}").get_by_role("button", name="Vote up")
        assert vote_up.get_attribute("aria-pressed") == "true"
        page.locator(f"#post-{answer.pk}").get_by_role("link", name="Reply").click()
        page.wait_for_url(re.compile(r".*/reply/\?to=\d+$"))
        assert page.get_by_text("Yes, if it explains why the bill changed.").is_visible()
        check_accessible()
        page.get_by_label("Your reply").fill("Ours now has a 'why is it higher?' box.")
        page.get_by_role("button", name="Post reply").click()
        page.wait_for_url(re.compile(r".*#post-\d+$"))
        reply = Post.objects.get(thread=thread, parent=answer)
        assert page.locator(f"#post-{reply.pk}.post--indent-1").is_visible()
        check_accessible()
    finally:
        no_script.close()
        checker.close()
