"""Moderation pages: the flag form, the review queue, post/thread/member moderation, the log,
and what hidden posts look like to visitors, members and their authors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.models import Category, Flag, Post, Thread
from forum.services.flags import flag_create
from forum.services.moderation import post_hide
from members.models import ModerationLog, Profile, Suspension
from members.services.suspensions import member_suspend
from tests.factories.forum import (
    CategoryFactory,
    MemberFactory,
    make_moderator,
    make_reply,
    make_thread,
)

pytestmark = pytest.mark.django_db

MEMBER_BUDGET = 19


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_a_member_flags_a_post_from_the_form_and_is_thanked(client):
    reply = make_reply(make_thread())
    member = MemberFactory()
    client.force_login(member)
    url = f"/forum/p/{reply.pk}/flag/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Spam or advertising" in page.text
    response = client.post(url, {"reason": "spam"}, follow=True)
    assert "your flag was received" in response.text
    assert Flag.objects.get().flagger == member
    again = client.post(url, {"reason": "abusive"})
    assert again.status_code == 200
    assert "already flagged" in again.text
    assert Flag.objects.count() == 1


def test_the_thread_page_offers_flag_links_to_members_but_not_on_their_own_posts(client):
    author = MemberFactory()
    thread = make_thread(author=author)
    reply = make_reply(thread)
    client.force_login(author)
    page = client.get(thread.get_absolute_url()).text
    assert f"/forum/p/{reply.pk}/flag/" in page
    opening = Post.objects.get(thread=thread, depth=0)
    assert f"/forum/p/{opening.pk}/flag/" not in page
    assert "Moderator tools" not in page
    client.logout()
    assert "/flag/" not in client.get(thread.get_absolute_url()).text


def test_moderator_pages_answer_403_with_the_reason_without_the_role_or_two_factor(client):
    reply = make_reply(make_thread())
    urls = [
        "/forum/moderation/",
        "/forum/moderation/log/",
        f"/forum/p/{reply.pk}/moderate/",
        f"/forum/t/{reply.thread_id}/moderate/",
        f"/forum/moderation/members/{reply.author_id}/",
    ]
    client.force_login(MemberFactory())
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Only moderators" in response.text
    client.force_login(make_moderator(mfa=False))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "two-factor authentication" in response.text
    response = client.post(f"/forum/p/{reply.pk}/moderate/", {"action": "hide", "reason": "x"})
    assert response.status_code == 403
    assert not Post.objects.get(pk=reply.pk).is_hidden


def test_the_review_queue_groups_open_flags_by_post_with_the_authors_history(client):
    reply = make_reply(make_thread(title="Tariff rise explained"))
    Profile.objects.filter(user=reply.author).update(trust_level=3)
    for reason in ("spam", "spam", "abusive"):
        flag_create(flagger=MemberFactory(), post=reply, reason=reason)
    client.force_login(make_moderator())
    page = client.get("/forum/moderation/").text
    assert page.count('class="moderation-item"') == 1
    assert "3 open flags" in page
    assert "Spam or advertising (2)" in page
    assert "regular" in page  # the author's trust level
    assert reply.author.public_name in page


def test_the_review_queue_costs_the_same_queries_for_2_or_20_flagged_posts(client):
    def flagged(count):
        for _ in range(count):
            post = make_reply(make_thread())
            flag_create(flagger=MemberFactory(), post=post, reason="spam")
            flag_create(flagger=MemberFactory(), post=post, reason="other", text="Odd")

    client.force_login(make_moderator())
    flagged(2)
    few = count_queries(client, "/forum/moderation/")
    flagged(18)
    many = count_queries(client, "/forum/moderation/")
    assert few == many
    assert many <= 14


def test_a_moderator_hides_a_post_from_the_queue_and_its_author_sees_why(client):
    thread = make_thread()
    reply = make_reply(thread, body="Buy cheap meters at example.com")
    flagger = MemberFactory()
    flag_create(flagger=flagger, post=reply, reason="spam")
    client.force_login(make_moderator())
    response = client.post(
        f"/forum/p/{reply.pk}/moderate/",
        {"action": "hide", "reason": "Advertising", "next": "/forum/moderation/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/forum/moderation/"
    assert Post.objects.get(pk=reply.pk).is_hidden
    assert "No open flags" in client.get("/forum/moderation/").text

    client.force_login(reply.author)
    page = client.get(thread.get_absolute_url()).text
    assert "A moderator hid your post from other members. Reason: Advertising" in page
    client.force_login(flagger)
    page = client.get(thread.get_absolute_url()).text
    assert "This post was hidden by a moderator." in page
    assert "Buy cheap meters" not in page
    assert "Advertising" not in page
    client.logout()
    page = client.get(thread.get_absolute_url()).text
    assert f'id="post-{reply.pk}"' not in page
    assert "This post was hidden" not in page


def test_hiding_without_a_reason_shows_the_error_on_the_form(client):
    reply = make_reply(make_thread())
    client.force_login(make_moderator())
    response = client.post(f"/forum/p/{reply.pk}/moderate/", {"action": "hide", "reason": ""})
    assert response.status_code == 200
    assert "Give a reason" in response.text
    assert not Post.objects.get(pk=reply.pk).is_hidden


def test_a_moderator_suspends_an_author_who_then_sees_the_reason(client):
    thread = make_thread()
    reply = make_reply(thread)
    client.force_login(make_moderator())
    url = f"/forum/moderation/members/{reply.author_id}/"
    response = client.post(url, {"action": "suspend", "reason": "Spam links", "days": "7"})
    assert response.status_code == 302
    assert Suspension.objects.get().user_id == reply.author_id
    assert "Spam links" in client.get(url).text

    client.force_login(reply.author)
    page = client.get(thread.get_absolute_url()).text
    assert "Your account is suspended until" in page
    assert "Reason: Spam links" in page
    assert "Join the discussion" not in page
    assert "Spam links" in client.get("/members/suspension/").text
    refused = client.post(f"/forum/t/{thread.pk}/reply/", {"body": "Let me back in"})
    assert refused.status_code == 403
    assert "suspended until" in refused.text


def test_the_moderation_log_shows_hide_and_suspend_and_filters_by_actor_action_and_target(
    client,
):
    reply = make_reply(make_thread(title="Meter reading tips"))
    alice = make_moderator(display_name="Alice Moderator")
    bob = make_moderator(display_name="Bob Moderator")
    post_hide(moderator=alice, post=reply, reason="Advertising")
    member_suspend(actor=bob, member=reply.author, reason="Spam links", days=7)
    client.force_login(alice)
    page = client.get("/forum/moderation/log/").text
    assert "post_hide" in page
    assert "member_suspend" in page
    by_actor = client.get("/forum/moderation/log/", {"actor": "Bob"}).text
    assert "member_suspend" in by_actor
    assert "Advertising" not in by_actor
    by_action = client.get("/forum/moderation/log/", {"action": "post_hide"}).text
    assert "Advertising" in by_action
    assert "Spam links" not in by_action
    by_target = client.get("/forum/moderation/log/", {"target": "Meter reading"}).text
    assert "Advertising" in by_target
    assert "Spam links" not in by_target
    by_id = client.get(
        "/forum/moderation/log/", {"target_type": "members.user", "target": reply.author_id}
    ).text
    assert "Spam links" in by_id
    assert ModerationLog.objects.count() == 2


def test_thread_tools_lock_and_move_from_the_thread_pages(client):
    thread = make_thread()
    elsewhere = CategoryFactory(visibility=Category.Visibility.MEMBERS)
    client.force_login(make_moderator())
    page = client.get(thread.get_absolute_url()).text
    assert "Moderator tools" in page
    response = client.post(f"/forum/t/{thread.pk}/moderate/state/", {"action": "lock"})
    assert response.status_code == 302
    assert Thread.objects.get(pk=thread.pk).is_locked
    again = client.post(f"/forum/t/{thread.pk}/moderate/state/", {"action": "lock"})
    assert again.status_code == 400
    assert "already locked" in again.text
    missing = client.post(
        f"/forum/t/{thread.pk}/moderate/", {"action": "move", "move-category": "999999"}
    )
    assert missing.status_code == 200
    assert Thread.objects.get(pk=thread.pk).category_id == thread.category_id
    moved = client.post(
        f"/forum/t/{thread.pk}/moderate/", {"action": "move", "move-category": elsewhere.pk}
    )
    assert moved.status_code == 302
    assert Thread.objects.get(pk=thread.pk).category == elsewhere


def test_splitting_zero_replies_from_the_page_shows_a_clear_error(client):
    thread = make_thread()
    make_reply(thread)
    client.force_login(make_moderator())
    response = client.post(
        f"/forum/t/{thread.pk}/moderate/", {"action": "split", "split-title": "New one"}
    )
    assert response.status_code == 200
    assert "Select at least one reply" in response.text
    assert Thread.objects.count() == 1


def test_the_thread_page_stays_in_budget_for_a_moderator_and_does_not_grow(client):
    short = make_thread()
    long = make_thread()
    for _ in range(2):
        make_reply(short)
    for _ in range(25):
        make_reply(long)
    flag_create(
        flagger=MemberFactory(), post=Post.objects.filter(thread=long).last(), reason="spam"
    )
    client.force_login(make_moderator())
    counts = [count_queries(client, t.get_absolute_url()) for t in (short, long)]
    assert counts[0] == counts[1]
    assert counts[1] <= MEMBER_BUDGET


def test_the_thread_page_stays_in_budget_for_a_suspended_member(client):
    thread = make_thread()
    for _ in range(5):
        make_reply(thread)
    member = MemberFactory()
    member_suspend(actor=make_moderator(), member=member, reason="Spam", days=1)
    client.force_login(member)
    assert count_queries(client, thread.get_absolute_url()) <= MEMBER_BUDGET
    assert count_queries(client, thread.category.get_absolute_url()) <= MEMBER_BUDGET


def test_the_account_menu_links_moderators_to_the_review_queue(client):
    client.force_login(MemberFactory())
    assert 'href="/forum/moderation/"' not in client.get("/forum/").text
    client.force_login(make_moderator())
    assert 'href="/forum/moderation/"' in client.get("/forum/").text
