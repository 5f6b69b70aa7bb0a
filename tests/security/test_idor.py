"""Insecure direct object references (issue 15, item 2): another member's post, draft,
submission, follows, notification and profile, reached by changing an id in a URL or a form.

The attacker is an ordinary member (``world.users["member"]``) and the victim the author of the
world's content (``world.users["owner"]``). Every request is made with a valid CSRF token and
well-formed data, so a refusal comes from the access rules and not from a broken form; each
test then reloads the victim's rows and checks that nothing changed.
"""

import json

import pytest

from forum.models import Follow, Post, Thread, Vote
from kb.models import Submission
from members.models import Notification, User
from tests.kb.test_submissions import case_study_data
from tests.security import summary
from tests.security.access_world import GROUP_MARKER, SUBMISSION_MARKER, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def attacker(world):
    return world.client("member")


def _count(attempts: int) -> None:
    summary.add("IDOR attempts on another member's objects (refused, nothing changed)", attempts)


def _post_state(post: Post) -> tuple:
    post = Post.objects.get(pk=post.pk)
    return post.body, post.body_html, post.edit_count, post.is_hidden, post.revisions.count()


def test_a_member_cannot_edit_another_members_reply_or_thread_title(world, attacker):
    reply, opening = world.public_reply, world.public_thread.posts.get(depth=0)
    before = (_post_state(reply), _post_state(opening), world.public_thread.title)

    edit_reply = attacker.post(
        f"/forum/p/{reply.pk}/edit/", {"body": "Hijacked reply", "edit_count": reply.edit_count}
    )
    edit_opening = attacker.post(
        f"/forum/p/{opening.pk}/edit/",
        {"title": "Hijacked title", "body": "Hijacked", "edit_count": opening.edit_count},
    )

    assert edit_reply.status_code == 403
    assert edit_opening.status_code == 403
    thread = Thread.objects.get(pk=world.public_thread.pk)
    assert (_post_state(reply), _post_state(opening), thread.title) == before
    _count(2)


def test_a_member_cannot_hide_another_members_post_or_read_its_history(world, attacker):
    """Members cannot delete posts; hiding is the moderators' "delete"."""
    reply = world.public_reply
    before = _post_state(reply)

    hide = attacker.post(f"/forum/p/{reply.pk}/moderate/", {"action": "hide", "reason": "mine"})
    history = attacker.get(f"/forum/p/{reply.pk}/history/")

    assert hide.status_code == 403
    assert history.status_code == 403
    assert _post_state(reply) == before
    _count(2)


def test_a_member_cannot_reach_a_group_only_post_through_the_reply_forms_parent_id(world, attacker):
    """The parent id in the reply form names a post of a category the member cannot read."""
    posts_before = Post.objects.count()

    response = attacker.post(
        f"/forum/t/{world.public_thread.pk}/reply/",
        {"body": "Replying to the board", "parent": world.group_reply.pk},
    )

    assert response.status_code == 404
    assert GROUP_MARKER not in response.content.decode()
    assert Post.objects.count() == posts_before
    _count(1)


def test_a_member_cannot_accept_or_unaccept_answers_in_another_members_question(world, attacker):
    accept = attacker.post(f"/forum/p/{world.answer.pk}/accept/")
    assert accept.status_code == 403
    assert Thread.objects.get(pk=world.question.pk).accepted_answer_id is None

    owner = world.client("owner")
    assert owner.post(f"/forum/p/{world.answer.pk}/accept/").status_code == 302
    assert Thread.objects.get(pk=world.question.pk).accepted_answer_id == world.answer.pk

    unaccept = attacker.post(f"/forum/t/{world.question.pk}/unaccept/")
    assert unaccept.status_code == 403
    assert Thread.objects.get(pk=world.question.pk).accepted_answer_id == world.answer.pk
    _count(2)


def _submission_state(submission: Submission) -> tuple:
    submission = Submission.objects.select_related("page").get(pk=submission.pk)
    page = submission.page
    return (
        submission.status,
        submission.source,
        page.draft_title,
        page.latest_revision_id,
        page.revisions.count(),
    )


def test_a_member_cannot_read_edit_or_submit_another_members_draft_submission(world, attacker):
    submission = world.submission
    before = _submission_state(submission)
    base = f"/contribute/{submission.pk}"

    responses = [
        attacker.get(f"{base}/edit/"),
        attacker.get(f"{base}/preview/"),
        attacker.post(f"{base}/edit/", case_study_data(title="Hijacked", action="save")),
        attacker.post(f"{base}/edit/", case_study_data(title="Hijacked", action="submit")),
    ]
    listing = attacker.get("/contribute/")

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    for response in [*responses, listing]:
        assert SUBMISSION_MARKER not in response.content.decode()
    assert _submission_state(submission) == before
    assert Submission.objects.filter(author=world.users["member"]).count() == 0
    _count(4)


def test_the_owner_can_edit_their_own_submission_so_the_refusal_above_is_about_ownership(world):
    submission = world.submission
    owner = world.client("owner")

    response = owner.post(
        f"/contribute/{submission.pk}/edit/",
        case_study_data(title=f"Our {SUBMISSION_MARKER} pilot, revised", action="save"),
    )

    assert response.status_code == 302
    assert Submission.objects.get(pk=submission.pk).page.draft_title.endswith("revised")


def test_a_member_cannot_mark_another_members_notification_read(world, attacker):
    other = world.other_notification

    response = attacker.post(f"/members/notifications/{other.pk}/read/")
    read_all = attacker.post("/members/notifications/read-all/")
    listing = attacker.get("/members/notifications/")

    assert response.status_code == 404
    assert read_all.status_code == 302
    assert Notification.objects.get(pk=other.pk).read_at is None
    assert Notification.objects.get(pk=world.notification.pk).read_at is None
    assert world.other_notification.title not in listing.content.decode()
    assert world.notification.title not in listing.content.decode()
    _count(2)


def _follows(user: User) -> list[tuple]:
    return sorted(
        Follow.objects.filter(member=user).values_list(
            "thread_id", "category_id", "topic_id", "region_id", "is_muted"
        ),
        key=repr,
    )


def test_a_members_follow_changes_touch_only_their_own_follow_list(world, attacker):
    owner = world.users["owner"]
    before = _follows(owner)
    auto_follow = owner.profile.auto_follow_threads
    assert before, "the owner follows the public thread and category"
    listing = attacker.get("/forum/following/")
    assert listing.status_code == 200
    assert world.public_thread.title not in listing.content.decode()

    responses = [
        attacker.post(f"/forum/unfollow/thread/{world.public_thread.pk}/"),
        attacker.post(f"/forum/unfollow/category/{world.public_category.pk}/"),
        attacker.post(f"/forum/follow/thread/{world.public_thread.pk}/mute/"),
        attacker.post(f"/forum/follow/thread/{world.public_thread.pk}/unmute/"),
        attacker.post(
            "/forum/following/settings/",
            {"auto_follow_threads": "on" if not auto_follow else "", "user": owner.pk},
        ),
    ]

    assert [r.status_code for r in responses] == [302] * 5
    assert _follows(owner) == before
    owner.profile.refresh_from_db()
    assert owner.profile.auto_follow_threads == auto_follow
    _count(len(responses))


def test_a_member_cannot_change_or_delete_another_members_profile_through_form_ids(world, attacker):
    owner = world.users["owner"]
    name_before = owner.display_name

    edit = attacker.post(
        "/members/profile/edit/",
        {
            "display_name": "Hijacked",
            "notification_email": "immediate",
            "user": owner.pk,
            "user_id": owner.pk,
            "id": owner.pk,
        },
    )
    delete = attacker.post(
        "/members/privacy/delete/",
        {"password": "not-the-password", "user": owner.pk, "user_id": owner.pk},
    )

    assert edit.status_code == 302
    assert delete.status_code == 200  # the form again: wrong password
    owner = User.objects.get(pk=owner.pk)
    assert owner.display_name == name_before
    assert owner.is_active
    assert User.objects.get(pk=world.users["member"].pk).display_name == "Hijacked"
    _count(2)


def test_a_members_data_export_holds_only_their_own_data(world, attacker):
    owner = world.users["owner"]

    response = attacker.post("/members/privacy/export/", {"user": owner.pk, "user_id": owner.pk})

    assert response.status_code == 200
    text = json.dumps(json.loads(response.content))
    assert world.users["member"].email in text
    for foreign in (owner.email, world.other_member.email, SUBMISSION_MARKER):
        assert foreign not in text
    _count(1)


def test_a_member_cannot_delete_their_account_with_another_members_password(world, attacker):
    """The confirmation is checked against the signed-in member, not a user named in the form."""
    owner = world.users["owner"]
    owner.set_password("the-owners-own-password-1")
    owner.save(update_fields=["password"])

    response = attacker.post(
        "/members/privacy/delete/",
        {"password": "the-owners-own-password-1", "user": owner.pk},
    )

    assert response.status_code == 200
    assert User.objects.get(pk=owner.pk).is_active
    assert User.objects.get(pk=world.users["member"].pk).is_active
    _count(1)


def test_a_member_cannot_vote_on_a_group_only_post_by_id(world, attacker):
    votes_before = Vote.objects.count()
    score_before = Post.objects.get(pk=world.group_reply.pk).vote_score

    response = attacker.post(f"/forum/p/{world.group_reply.pk}/vote/", {"value": "up"})

    assert response.status_code == 404
    assert Vote.objects.count() == votes_before
    assert Post.objects.get(pk=world.group_reply.pk).vote_score == score_before
    _count(1)
