"""Read tracking services and selectors: how far a member read, what is new, mark all read."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from forum.models import Category, CategoryRead, Post, Thread, ThreadRead
from forum.selectors.categories import category_thread_page
from forum.selectors.reads import (
    annotate_unread_thread_counts,
    thread_read_state,
    with_read_state,
)
from forum.services.reads import category_mark_all_read, thread_read_mark
from members.services.accounts import account_delete
from tests.factories.forum import CategoryFactory, MemberFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    return MemberFactory()


def thread_with_replies(count: int, **kwargs) -> Thread:
    thread = make_thread(**kwargs)
    for _ in range(count):
        make_reply(thread)
    thread.refresh_from_db()
    return thread


def unread_count(thread: Thread, user) -> int:
    return with_read_state(Thread.objects.filter(pk=thread.pk), user).get().unread_count


def test_a_thread_never_opened_is_new_in_full(reader):
    thread = thread_with_replies(2)
    state = thread_read_state(reader, thread)
    assert state.never_read
    assert state.unread_count == 3
    assert state.first_unread_post_id is None  # nothing to jump to: start at the top


def test_reading_up_to_a_post_leaves_the_later_ones_new(reader):
    thread = thread_with_replies(4)
    thread_read_mark(member=reader, thread=thread, position=2)
    state = thread_read_state(reader, thread)
    assert state.last_read_position == 2
    assert state.unread_count == 3
    third = Post.objects.get(thread=thread, position=3)
    assert state.first_unread_post_id == third.pk


def test_the_read_position_never_goes_back(reader):
    thread = thread_with_replies(4)
    thread_read_mark(member=reader, thread=thread, position=4)
    thread_read_mark(member=reader, thread=thread, position=2)
    thread_read_mark(member=reader, thread=thread, position=1, previous_position=4)
    assert ThreadRead.objects.get(member=reader, thread=thread).last_read_position == 4


def test_marking_twice_keeps_one_row_per_member_and_thread(reader):
    thread = thread_with_replies(2)
    thread_read_mark(member=reader, thread=thread, position=1, previous_position=None)
    thread_read_mark(member=reader, thread=thread, position=3, previous_position=None)
    thread_read_mark(member=reader, thread=thread, position=3)
    assert ThreadRead.objects.filter(member=reader, thread=thread).count() == 1
    assert ThreadRead.objects.get(member=reader, thread=thread).last_read_position == 3


def test_a_position_past_the_last_post_is_clamped_to_it(reader):
    thread = thread_with_replies(1)
    thread_read_mark(member=reader, thread=thread, position=999)
    assert ThreadRead.objects.get(member=reader, thread=thread).last_read_position == 2


def test_a_new_reply_after_reading_to_the_end_is_one_new_post(reader):
    thread = thread_with_replies(2)
    thread_read_mark(member=reader, thread=thread, position=3)
    assert thread_read_state(reader, thread).unread_count == 0
    reply = make_reply(thread)
    thread.refresh_from_db()
    state = thread_read_state(reader, thread)
    assert state.unread_count == 1
    assert state.first_unread_post_id == reply.pk


def test_visitors_have_no_read_state_and_cost_no_query(django_assert_num_queries):
    thread = thread_with_replies(1)
    with django_assert_num_queries(0):
        state = thread_read_state(AnonymousUser(), thread)
    assert not state.is_tracked
    assert state.unread_count == 0
    thread_read_mark(member=AnonymousUser(), thread=thread, position=2)
    assert not ThreadRead.objects.exists()


def test_marking_a_category_read_makes_its_threads_read(reader):
    category = CategoryFactory()
    first = thread_with_replies(2, category=category)
    second = thread_with_replies(1, category=category)
    other = thread_with_replies(1)
    category_mark_all_read(member=reader, category=category)
    assert unread_count(first, reader) == 0
    assert unread_count(second, reader) == 0
    assert unread_count(other, reader) == 2  # another category: untouched
    assert CategoryRead.objects.filter(member=reader, category=category).count() == 1


def test_after_mark_all_read_only_posts_written_since_are_new(reader):
    category = CategoryFactory()
    opened = thread_with_replies(3, category=category)
    never_opened = thread_with_replies(3, category=category)
    thread_read_mark(member=reader, thread=opened, position=2)
    earlier = timezone.now() - timedelta(minutes=1)
    Post.objects.update(created_at=earlier)
    Thread.objects.update(last_activity_at=earlier)
    category_mark_all_read(member=reader, category=category)
    new_in_opened = make_reply(opened)
    new_in_never_opened = make_reply(never_opened)
    opened.refresh_from_db()
    never_opened.refresh_from_db()

    assert unread_count(opened, reader) == 1
    assert unread_count(never_opened, reader) == 1
    assert thread_read_state(reader, opened).first_unread_post_id == new_in_opened.pk
    assert thread_read_state(reader, never_opened).first_unread_post_id == new_in_never_opened.pk


def test_marking_all_read_again_moves_the_marker_without_a_second_row(reader):
    category = CategoryFactory()
    category_mark_all_read(member=reader, category=category)
    first = CategoryRead.objects.get().marked_at
    category_mark_all_read(member=reader, category=category)
    assert CategoryRead.objects.count() == 1
    assert CategoryRead.objects.get().marked_at >= first


def test_a_visitor_or_a_member_who_cannot_read_the_category_cannot_mark_it(reader):
    hidden = CategoryFactory(visibility=Category.Visibility.MEMBERS)
    with pytest.raises(PermissionDenied):
        category_mark_all_read(member=AnonymousUser(), category=hidden)
    outsider = MemberFactory(roles=[])
    with pytest.raises(PermissionDenied):
        category_mark_all_read(member=outsider, category=hidden)
    assert not CategoryRead.objects.exists()


def test_forum_home_counts_unread_threads_per_category_in_one_query(
    reader, django_assert_num_queries
):
    busy = CategoryFactory()
    quiet = CategoryFactory()
    read_thread = thread_with_replies(1, category=busy)
    thread_with_replies(1, category=busy)
    thread_with_replies(1, category=busy)
    thread_with_replies(1, category=quiet)
    thread_read_mark(member=reader, thread=read_thread, position=2)
    category_mark_all_read(member=reader, category=quiet)
    categories = list(Category.objects.filter(pk__in=[busy.pk, quiet.pk]).order_by("pk"))
    with django_assert_num_queries(1):
        annotate_unread_thread_counts(categories, reader)
    assert [c.unread_thread_count for c in categories] == [2, 0]


def test_category_list_rows_carry_the_read_state_in_the_same_query(reader):
    category = CategoryFactory()
    read = thread_with_replies(2, category=category)
    half = thread_with_replies(3, category=category)
    fresh = thread_with_replies(0, category=category)
    thread_read_mark(member=reader, thread=read, position=3)
    thread_read_mark(member=reader, thread=half, position=1)
    listing = category_thread_page(category, reader=reader)
    by_pk = {thread.pk: thread for thread in listing.threads}
    assert by_pk[read.pk].unread_count == 0
    assert by_pk[half.pk].unread_count == 3
    assert by_pk[fresh.pk].unread_count == 1
    assert by_pk[fresh.pk].read_last_position is None


def test_deleting_an_account_erases_its_read_tracking(reader):
    category = CategoryFactory()
    thread = thread_with_replies(1, category=category)
    thread_read_mark(member=reader, thread=thread, position=2)
    category_mark_all_read(member=reader, category=category)
    account_delete(user=reader)
    assert not ThreadRead.objects.exists()
    assert not CategoryRead.objects.exists()


def test_your_own_reply_is_not_new_to_you_when_you_had_read_everything(reader):
    thread = thread_with_replies(2)
    thread_read_mark(member=reader, thread=thread, position=3)
    make_reply(thread, author=reader)
    thread.refresh_from_db()
    assert thread_read_state(reader, thread).unread_count == 0


def test_your_own_reply_leaves_earlier_unread_posts_unread(reader):
    thread = thread_with_replies(3)
    thread_read_mark(member=reader, thread=thread, position=2)
    make_reply(thread, author=reader)
    thread.refresh_from_db()
    state = thread_read_state(reader, thread)
    assert state.last_read_position == 2
    assert state.first_unread_post_id == Post.objects.get(thread=thread, position=3).pk
