"""post_reply and post_edit: tree placement, counters, permissions, bad input, revisions."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forum.models import Category, Post, PostRevision
from forum.services.posts import post_edit, post_reply
from forum.tree import MAX_TREE_DEPTH, ROOT_PATH, path_segment
from tests.factories.forum import (
    CategoryFactory,
    GuestFactory,
    MemberFactory,
    ModeratorFactory,
    make_reply,
    make_thread,
)
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db


def test_replies_nest_with_materialised_paths_in_tree_order():
    thread = make_thread()
    first = make_reply(thread)
    second = make_reply(thread)
    first_child = make_reply(thread, parent=first)
    grandchild = make_reply(thread, parent=first_child)
    second_child = make_reply(thread, parent=first)

    assert first.path == ROOT_PATH + path_segment(0)
    assert second.path == ROOT_PATH + path_segment(1)
    assert first_child.path == first.path + path_segment(0)
    assert second_child.path == first.path + path_segment(1)
    assert [p.depth for p in (first, first_child, grandchild)] == [1, 2, 3]
    assert first_child.parent == first
    assert grandchild.parent == first_child
    assert first.branch_id is None
    assert first_child.branch_id == first.pk
    assert grandchild.branch_id == first.pk
    assert [p.position for p in (first, second, first_child, grandchild, second_child)] == [
        2,
        3,
        4,
        5,
        6,
    ]
    tree_order = list(Post.objects.filter(thread=thread).order_by("path"))
    assert tree_order[1:] == [first, first_child, grandchild, second_child, second]


def test_reply_updates_thread_category_and_parent_counters():
    thread = make_thread()
    reply = make_reply(thread)
    nested = make_reply(thread, parent=reply)

    thread.refresh_from_db()
    assert (thread.post_count, thread.reply_count) == (3, 2)
    assert thread.last_post == nested
    assert thread.last_activity_at == nested.created_at
    category = thread.category
    category.refresh_from_db()
    assert (category.thread_count, category.post_count) == (1, 3)
    assert category.last_post == nested
    reply.refresh_from_db()
    assert reply.reply_count == 1


def test_reply_beyond_the_maximum_depth_becomes_a_sibling_that_remembers_its_parent():
    thread = make_thread()
    post = None
    for _ in range(MAX_TREE_DEPTH):
        post = make_reply(thread, parent=post)
    assert post.depth == MAX_TREE_DEPTH
    deeper = make_reply(thread, parent=post)
    assert deeper.depth == MAX_TREE_DEPTH
    assert deeper.parent == post
    assert deeper.path[:-4] == post.path[:-4]
    assert len(deeper.path) <= Post._meta.get_field("path").max_length


def test_reply_to_a_post_in_another_thread_is_refused():
    thread = make_thread()
    other_post = make_reply(make_thread(title="Another thread"))
    with pytest.raises(ValidationError) as error:
        make_reply(thread, parent=other_post)
    assert list(error.value.message_dict) == ["parent"]
    assert "this thread" in error.value.message_dict["parent"][0]
    thread.refresh_from_db()
    assert thread.post_count == 1


@pytest.mark.parametrize("body", ["", "   ", "\n\t\n"])
def test_empty_reply_is_refused(body):
    thread = make_thread()
    with pytest.raises(ValidationError) as error:
        post_reply(author=MemberFactory(), thread=thread, body=body)
    assert list(error.value.message_dict) == ["body"]


def test_reply_over_50000_characters_is_refused():
    with pytest.raises(ValidationError) as error:
        post_reply(author=MemberFactory(), thread=make_thread(), body="x" * 50_001)
    assert list(error.value.message_dict) == ["body"]


def test_locked_thread_refuses_replies_even_from_moderators():
    thread = make_thread()
    thread.is_locked = True
    thread.save()
    for author in (MemberFactory(), ModeratorFactory()):
        with pytest.raises(PermissionDenied) as error:
            make_reply(thread, author=author)
        assert "locked" in str(error.value)


def test_closed_thread_takes_replies_only_from_moderators():
    thread = make_thread()
    thread.is_closed = True
    thread.save()
    with pytest.raises(PermissionDenied) as error:
        make_reply(thread)
    assert "closed" in str(error.value)
    assert make_reply(thread, author=ModeratorFactory()).pk


def test_role_less_user_cannot_reply():
    with pytest.raises(PermissionDenied):
        make_reply(make_thread(), author=UserFactory())


def test_guest_replies_only_where_guests_may_post():
    guest = GuestFactory()
    experts = CategoryFactory(guests_can_post=True, mode=Category.Mode.QUESTIONS)
    assert make_reply(make_thread(category=experts), author=guest).author == guest
    with pytest.raises(PermissionDenied):
        make_reply(make_thread(), author=guest)


def test_members_only_category_refuses_users_without_a_role():
    thread = make_thread(category=CategoryFactory(visibility=Category.Visibility.MEMBERS))
    with pytest.raises(PermissionDenied) as error:
        make_reply(thread, author=UserFactory())
    assert "not open to you" in str(error.value)


def test_replying_to_a_hidden_post_is_refused_for_members():
    thread = make_thread()
    hidden = make_reply(thread)
    Post.objects.filter(pk=hidden.pk).update(is_hidden=True)
    with pytest.raises(ValidationError):
        make_reply(thread, parent=hidden)
    assert make_reply(thread, parent=hidden, author=ModeratorFactory()).parent == hidden


def test_double_submit_with_the_same_key_creates_one_reply():
    thread = make_thread()
    author = MemberFactory()
    key = uuid.uuid4()
    first = post_reply(author=author, thread=thread, body="Same", submission_key=key)
    again = post_reply(author=author, thread=thread, body="Same, edited", submission_key=key)
    assert again == first
    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_identical_reply_moments_later_is_not_duplicated():
    thread = make_thread()
    author = MemberFactory()
    first = post_reply(author=author, thread=thread, body="Thanks, very useful.")
    assert post_reply(author=author, thread=thread, body="Thanks, very useful.") == first
    other_parent = make_reply(thread)
    elsewhere = post_reply(
        author=author, thread=thread, parent=other_parent, body="Thanks, very useful."
    )
    assert elsewhere != first
    thread.refresh_from_db()
    assert thread.reply_count == 3


def test_mentions_are_recorded_and_replaced_on_edit():
    ana = MemberFactory(display_name="Ana Silva")
    ben = MemberFactory(display_name="Ben O'Neill")
    author = MemberFactory()
    reply = post_reply(author=author, thread=make_thread(), body="cc @ana-silva")
    assert [m.user for m in reply.mentions.all()] == [ana]
    post_edit(editor=author, post=reply, body="cc @Ben-O'Neill and `@ana-silva`")
    assert [m.user for m in reply.mentions.all()] == []  # "'" ends a handle
    post_edit(editor=author, post=reply, body="cc @ben")
    assert list(reply.mentions.all()) == []
    assert ben.pk


def test_author_edits_own_post_and_the_old_text_is_kept_as_a_revision():
    author = MemberFactory()
    thread = make_thread(author=author, body="First *draft*")
    opening = Post.objects.get(thread=thread)

    edited = post_edit(editor=author, post=opening, body="Second draft", title="New title")

    assert edited.body == "Second draft"
    assert edited.body_html == "<p>Second draft</p>\n"
    assert edited.edit_count == 1
    assert edited.edited_at is not None
    thread.refresh_from_db()
    assert (thread.title, thread.slug) == ("New title", "new-title")
    revision = PostRevision.objects.get(post=opening)
    assert revision.number == 1
    assert revision.body == "First *draft*"
    assert revision.title == "How do we explain a tariff rise?"
    assert revision.replaced_by == author


def test_edit_that_changes_nothing_writes_no_revision():
    author = MemberFactory()
    reply = make_reply(make_thread(), author=author, body="Unchanged")
    post_edit(editor=author, post=reply, body="Unchanged  \n")
    assert not PostRevision.objects.exists()


def test_editing_someone_elses_post_is_refused():
    reply = make_reply(make_thread())
    with pytest.raises(PermissionDenied) as error:
        post_edit(editor=MemberFactory(), post=reply, body="Vandalised")
    assert "your own posts" in str(error.value)
    reply.refresh_from_db()
    assert reply.body != "Vandalised"


def test_moderator_can_edit_any_post_even_in_a_locked_thread():
    thread = make_thread()
    reply = make_reply(thread)
    thread.is_locked = True
    thread.save()
    moderator = ModeratorFactory()
    assert post_edit(editor=moderator, post=reply, body="Tidied").body == "Tidied"
    with pytest.raises(PermissionDenied) as error:
        post_edit(editor=reply.author, post=reply, body="Mine")
    assert "locked" in str(error.value)


def test_edit_based_on_a_stale_version_is_refused():
    author = MemberFactory()
    reply = make_reply(make_thread(), author=author)
    post_edit(editor=author, post=reply, body="From tab one", expected_edit_count=0)
    with pytest.raises(ValidationError) as error:
        post_edit(editor=author, post=reply, body="From tab two", expected_edit_count=0)
    assert "changed while you were editing" in error.value.message_dict["body"][0]


def test_editing_to_an_empty_body_or_long_title_is_refused():
    author = MemberFactory()
    thread = make_thread(author=author)
    opening = Post.objects.get(thread=thread)
    with pytest.raises(ValidationError):
        post_edit(editor=author, post=opening, body="  ")
    with pytest.raises(ValidationError) as error:
        post_edit(editor=author, post=opening, body="Fine", title="t" * 201)
    assert list(error.value.message_dict) == ["title"]


def test_reply_and_vote_send_signals_for_search():
    from forum import signals
    from forum.services.votes import post_vote

    thread = make_thread()
    received = []

    def on_post(sender, post, created, **kwargs):
        received.append(("post", post.pk, created))

    def on_thread(sender, thread, created, **kwargs):
        received.append(("thread", thread.pk, created))

    signals.post_saved.connect(on_post)
    signals.thread_saved.connect(on_thread)
    try:
        reply = make_reply(thread)
        post_vote(voter=MemberFactory(), post=reply)
        post_edit(editor=reply.author, post=reply, body="Edited")
    finally:
        signals.post_saved.disconnect(on_post)
        signals.thread_saved.disconnect(on_thread)
    assert received == [
        ("post", reply.pk, True),
        ("thread", thread.pk, False),
        ("post", reply.pk, False),
        ("thread", thread.pk, False),
        ("post", reply.pk, False),
    ]
