"""Moderator actions: each checked, atomic, logged, and followed by the search index."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forum.models import Category, Flag, Post, PostRevision, Thread, ThreadRedirect, Vote
from forum.services.flags import flag_create
from forum.services.moderation import (
    post_hide,
    post_restore,
    thread_merge,
    thread_move,
    thread_split,
    thread_state_change,
)
from forum.services.posts import post_edit, post_reply
from forum.services.votes import post_vote
from members.models import ModerationLog, Notification
from search.models import IndexOutbox
from tests.factories.forum import (
    CategoryFactory,
    MemberFactory,
    make_moderator,
    make_reply,
    make_thread,
)

pytestmark = pytest.mark.django_db


def outbox_has(thread_pk: int) -> bool:
    return IndexOutbox.objects.filter(doc_id=f"forum.thread:{thread_pk}").exists()


def test_hiding_a_post_logs_it_tells_the_author_why_and_resolves_its_flags():
    thread = make_thread()
    reply = make_reply(thread)
    flagger = MemberFactory()
    flag_create(flagger=flagger, post=reply, reason=Flag.Reason.ABUSIVE)
    moderator = make_moderator()
    IndexOutbox.objects.all().delete()

    post_hide(moderator=moderator, post=reply, reason="Personal attack")

    reply.refresh_from_db()
    assert reply.is_hidden
    assert reply.hidden_reason == "Personal attack"
    assert reply.hidden_by == moderator
    entry = ModerationLog.objects.get(action="post_hide")
    assert (entry.actor, entry.target_type, entry.target_id) == (moderator, "forum.post", reply.pk)
    assert entry.before == {"is_hidden": False, "hidden_reason": ""}
    assert entry.after["is_hidden"] is True
    notice = Notification.objects.get(recipient=reply.author, kind="forum.post_hidden")
    assert notice.body == "Personal attack"
    assert Flag.objects.get(post=reply).resolution == Flag.Resolution.AGREE
    assert Notification.objects.filter(recipient=flagger, kind="forum.flag_resolved").exists()
    assert Thread.objects.get(pk=thread.pk).reply_count == 0
    assert outbox_has(thread.pk)


def test_hiding_needs_a_reason_and_a_hidden_post_cannot_be_hidden_again():
    reply = make_reply(make_thread())
    moderator = make_moderator()
    with pytest.raises(ValidationError) as error:
        post_hide(moderator=moderator, post=reply, reason=" ")
    assert list(error.value.message_dict) == ["reason"]
    post_hide(moderator=moderator, post=reply, reason="Spam")
    with pytest.raises(ValidationError):
        post_hide(moderator=moderator, post=reply, reason="Spam")
    assert ModerationLog.objects.filter(action="post_hide").count() == 1


def test_restoring_shows_the_post_again_and_is_logged():
    thread = make_thread()
    reply = make_reply(thread)
    moderator = make_moderator()
    post_hide(moderator=moderator, post=reply, reason="Spam")
    post_restore(moderator=moderator, post=reply, reason="Was fine")
    reply.refresh_from_db()
    assert not reply.is_hidden
    assert reply.hidden_reason == ""
    assert Thread.objects.get(pk=thread.pk).reply_count == 1
    assert ModerationLog.objects.get(action="post_restore").reason == "Was fine"
    with pytest.raises(ValidationError):
        post_restore(moderator=moderator, post=reply)


@pytest.mark.parametrize(
    ("moderator", "message"),
    [
        (lambda: MemberFactory(), "Only moderators"),
        (lambda: make_moderator(mfa=False), "two-factor"),
    ],
)
def test_moderator_actions_need_the_role_and_two_factor_authentication(moderator, message):
    thread = make_thread()
    reply = make_reply(thread)
    actor = moderator()
    for action in (
        lambda: post_hide(moderator=actor, post=reply, reason="x"),
        lambda: thread_state_change(moderator=actor, thread=thread, change="lock"),
        lambda: thread_move(moderator=actor, thread=thread, category_id=CategoryFactory().pk),
    ):
        with pytest.raises(PermissionDenied) as error:
            action()
        assert message in str(error.value)
    thread.refresh_from_db()
    reply.refresh_from_db()
    assert not reply.is_hidden
    assert not thread.is_locked
    assert not ModerationLog.objects.exists()


def test_an_unknown_thread_state_change_is_refused_and_changes_nothing():
    thread = make_thread()
    with pytest.raises(ValidationError, match="Choose a moderation action"):
        thread_state_change(moderator=make_moderator(), thread=thread, change="delete")
    thread.refresh_from_db()
    assert not (thread.is_locked)
    assert not (thread.is_pinned)
    assert not (thread.is_closed)
    assert not ModerationLog.objects.exists()


def test_lock_pin_and_close_toggle_with_before_and_after_in_the_log():
    thread = make_thread()
    moderator = make_moderator()
    thread_state_change(moderator=moderator, thread=thread, change="lock", reason="Heated")
    thread_state_change(moderator=moderator, thread=thread, change="pin")
    thread_state_change(moderator=moderator, thread=thread, change="close")
    thread.refresh_from_db()
    assert thread.is_locked
    assert thread.is_pinned
    assert thread.is_closed
    with pytest.raises(ValidationError):
        thread_state_change(moderator=moderator, thread=thread, change="lock")
    thread_state_change(moderator=moderator, thread=thread, change="unlock")
    thread_state_change(moderator=moderator, thread=thread, change="reopen")
    thread.refresh_from_db()
    assert not thread.is_locked
    assert not thread.is_closed
    assert thread.is_pinned
    lock = ModerationLog.objects.get(action="thread_lock")
    assert (lock.before, lock.after, lock.reason) == (
        {"is_locked": False},
        {"is_locked": True},
        "Heated",
    )
    assert ModerationLog.objects.count() == 5


def test_moving_a_thread_changes_its_visibility_counters_and_search_document():
    public = CategoryFactory()
    members_only = CategoryFactory(visibility=Category.Visibility.MEMBERS)
    thread = make_thread(category=public)
    make_reply(thread)
    IndexOutbox.objects.all().delete()
    thread_move(moderator=make_moderator(), thread=thread, category_id=members_only.pk)
    thread.refresh_from_db()
    assert thread.category == members_only
    public.refresh_from_db()
    members_only.refresh_from_db()
    assert (public.thread_count, public.post_count) == (0, 0)
    assert (members_only.thread_count, members_only.post_count) == (1, 2)
    assert outbox_has(thread.pk)
    assert ModerationLog.objects.get(action="thread_move").after["category_id"] == members_only.pk


def test_moving_into_a_missing_category_is_refused_and_changes_nothing():
    thread = make_thread()
    with pytest.raises(ValidationError) as error:
        thread_move(moderator=make_moderator(), thread=thread, category_id=999_999)
    assert list(error.value.message_dict) == ["category"]
    assert Thread.objects.get(pk=thread.pk).category_id == thread.category_id
    assert not ModerationLog.objects.exists()


def test_splitting_moves_the_selected_replies_with_their_replies_and_keeps_permalinks():
    thread = make_thread()
    keep = make_reply(thread)
    moved = make_reply(thread)
    under_moved = make_reply(thread, parent=moved)
    later = make_reply(thread)
    voter = MemberFactory()
    post_vote(voter=voter, post=moved)

    new_thread = thread_split(
        moderator=make_moderator(), thread=thread, post_ids=[moved.pk], title="SMS pilots"
    )

    assert new_thread.title == "SMS pilots"
    moved.refresh_from_db()
    under_moved.refresh_from_db()
    assert moved.thread == new_thread
    assert moved.depth == 0
    assert moved.position == 1
    assert under_moved.thread == new_thread
    assert under_moved.parent == moved
    assert under_moved.depth == 1
    assert under_moved.position == 2
    assert new_thread.author == moved.author
    assert new_thread.post_count == 2
    assert Vote.objects.get(post=moved).voter == voter
    assert moved.vote_score == 1
    remaining = list(Post.objects.filter(thread=thread).order_by("position"))
    assert [p.pk for p in remaining] == [remaining[0].pk, keep.pk, later.pk]
    assert [p.position for p in remaining] == [1, 2, 3]
    thread.refresh_from_db()
    assert (thread.post_count, thread.reply_count) == (3, 2)
    # Replies still work in both threads (paths and positions are consistent).
    assert post_reply(author=MemberFactory(), thread=new_thread, body="More on SMS").position == 3
    assert post_reply(author=MemberFactory(), thread=thread, body="Back to tariffs").position == 4


def test_splitting_zero_replies_or_the_opening_post_is_refused_and_changes_nothing():
    thread = make_thread()
    make_reply(thread)
    opening = Post.objects.get(thread=thread, depth=0)
    moderator = make_moderator()
    for post_ids in ([], [opening.pk], [999_999]):
        with pytest.raises(ValidationError):
            thread_split(moderator=moderator, thread=thread, post_ids=post_ids, title="New")
    assert Thread.objects.count() == 1
    assert Post.objects.filter(thread=thread).count() == 2


def test_merging_keeps_authors_dates_and_votes_and_redirects_the_old_thread(client):
    target = make_thread(title="Tariff rise explained")
    target_reply = make_reply(target)
    source = make_thread(title="How to explain a tariff rise")
    source_opening = Post.objects.get(thread=source, depth=0)
    source_reply = make_reply(source)
    post_vote(voter=MemberFactory(), post=source_reply)
    created = {p.pk: (p.author_id, p.created_at) for p in Post.objects.filter(thread=source)}

    merged = thread_merge(moderator=make_moderator(), thread=source, into_thread_id=target.pk)

    assert merged == target
    assert not Thread.objects.filter(pk=source.pk).exists()
    posts = list(Post.objects.filter(thread=target).order_by("position"))
    assert len(posts) == 4
    assert [p.position for p in posts] == [1, 2, 3, 4]
    for post in posts:
        if post.pk in created:
            assert (post.author_id, post.created_at) == created[post.pk]
    source_opening.refresh_from_db()
    assert source_opening.depth == 1
    assert source_opening.parent_id == posts[0].pk
    source_reply.refresh_from_db()
    assert source_reply.vote_score == 1
    assert source_reply.parent == source_opening
    assert target_reply in posts
    target.refresh_from_db()
    assert (target.post_count, target.reply_count) == (4, 3)
    assert ThreadRedirect.objects.get(old_thread_id=source.pk).thread == target
    response = client.get(f"/forum/t/{source.pk}/{source.slug}/")
    assert response.status_code == 301
    assert response["Location"] == target.get_absolute_url()
    response = client.get(f"/forum/p/{source_reply.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith(target.get_absolute_url())


def test_merging_a_thread_into_itself_or_a_missing_thread_is_refused():
    thread = make_thread()
    moderator = make_moderator()
    with pytest.raises(ValidationError) as error:
        thread_merge(moderator=moderator, thread=thread, into_thread_id=thread.pk)
    assert "itself" in error.value.messages[0]
    with pytest.raises(ValidationError):
        thread_merge(moderator=moderator, thread=thread, into_thread_id=999_999)
    assert Thread.objects.filter(pk=thread.pk).exists()
    assert not ModerationLog.objects.exists()


def test_a_moderator_editing_someone_elses_post_records_a_revision_and_a_log_entry():
    reply = make_reply(make_thread(), body="Our numbr was 0800 123")
    moderator = make_moderator()
    post_edit(editor=moderator, post=reply, body="Our number was [removed]")
    revision = PostRevision.objects.get(post=reply)
    assert revision.body == "Our numbr was 0800 123"
    assert revision.replaced_by == moderator
    assert ModerationLog.objects.get(action="post_edit").target_id == reply.pk
