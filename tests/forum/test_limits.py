"""forum.services.limits: rate limits by trust level and the probation rule on links."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from forum.models import Post, Thread
from forum.services.limits import REPLY, _rate_message
from forum.services.posts import post_edit
from members.models import Profile, TrustLevel
from service_responses import RateLimited
from tests.factories.forum import (
    CategoryFactory,
    MemberFactory,
    ModeratorFactory,
    make_reply,
    make_thread,
)
from tests.forum.retry_text import retry_sentence_in

pytestmark = pytest.mark.django_db

LIMITS = {
    TrustLevel.PROBATION: {
        "thread": {"hour": 3, "day": 5},
        "reply": {"hour": 4, "day": 6},
    },
    TrustLevel.BASIC: {"thread": {"hour": 6}, "reply": {"hour": 8}},
}


@pytest.fixture(autouse=True)
def limits_on(settings):
    """The test settings switch limits off for the rest of the suite; here they are on."""
    settings.FORUM_RATE_LIMITS_ENABLED = True
    settings.FORUM_RATE_LIMITS = LIMITS
    settings.FORUM_PROBATION_PLAIN_POSTS = 2


def member(level: int = TrustLevel.PROBATION):
    user = MemberFactory()
    Profile.objects.filter(user=user).update(trust_level=level)
    return user


def age_threads(author, *, minutes: int) -> None:
    Thread.objects.filter(author=author).update(
        created_at=timezone.now() - timedelta(minutes=minutes)
    )


def age_replies(author, *, minutes: int) -> None:
    Post.objects.filter(author=author, depth__gt=0).update(
        created_at=timezone.now() - timedelta(minutes=minutes)
    )


def start_threads(author, count: int, category=None) -> None:
    category = category or CategoryFactory()
    for number in range(count):
        make_thread(author=author, category=category, title=f"Question number {number}")


# ---- Threads ----


def test_a_new_account_starts_three_threads_an_hour_and_the_fourth_is_refused_with_the_reset():
    author = member()
    category = CategoryFactory()
    start_threads(author, 3, category)
    first = Thread.objects.filter(author=author).order_by("created_at").first()

    with pytest.raises(RateLimited) as refused:
        make_thread(author=author, category=category, title="One more question")

    message = refused.value.messages[0]
    assert message.startswith("You can start 3 threads per hour while your account is new.")
    reset = first.created_at + timedelta(hours=1)
    assert refused.value.retry_at == reset
    assert f"{reset.astimezone(UTC):%H:%M} UTC" in message
    assert Thread.objects.filter(author=author).count() == 3


def test_the_hourly_limit_resets_once_the_oldest_thread_is_an_hour_old():
    author = member()
    category = CategoryFactory()
    start_threads(author, 3, category)
    age_threads(author, minutes=61)

    make_thread(author=author, category=category, title="Back after an hour")

    assert Thread.objects.filter(author=author).count() == 4


def test_the_daily_limit_applies_across_hours_and_says_the_day():
    author = member()
    category = CategoryFactory()
    start_threads(author, 3, category)
    age_threads(author, minutes=120)
    make_thread(author=author, category=category, title="Fourth")
    make_thread(author=author, category=category, title="Fifth")

    with pytest.raises(RateLimited) as refused:
        make_thread(author=author, category=category, title="Sixth")

    assert "You can start 5 threads per day while your account is new." in str(refused.value)
    oldest = Thread.objects.filter(author=author).order_by("created_at").first()
    assert refused.value.retry_at == oldest.created_at + timedelta(days=1)


def test_a_basic_member_has_the_looser_limits_of_their_level():
    author = member(TrustLevel.BASIC)
    start_threads(author, 6)

    with pytest.raises(RateLimited, match="You can start 6 threads per hour at your trust level."):
        make_thread(author=author, title="Seventh")


def test_a_level_without_limits_and_a_moderator_are_never_limited():
    regular = member(TrustLevel.MEMBER)
    moderator = ModeratorFactory()
    start_threads(regular, 8)
    start_threads(moderator, 8)

    assert Thread.objects.filter(author__in=[regular, moderator]).count() == 16


def test_limits_switched_off_in_settings_let_everyone_post(settings):
    settings.FORUM_RATE_LIMITS_ENABLED = False
    author = member()
    start_threads(author, 5)

    assert Thread.objects.filter(author=author).count() == 5


def test_a_repeated_submit_of_the_same_thread_is_not_counted_as_a_new_one():
    author = member()
    category = CategoryFactory()
    start_threads(author, 2, category)
    kwargs = {"author": author, "category": category, "title": "Same", "body": "Same text."}
    first = make_thread(**kwargs)

    assert make_thread(**kwargs) == first


# ---- Replies ----


def test_a_new_account_replies_four_times_an_hour_and_the_fifth_reply_is_refused():
    author = member()
    thread = make_thread()
    for _ in range(4):
        make_reply(thread, author=author)

    with pytest.raises(RateLimited) as refused:
        make_reply(thread, author=author)

    message = str(refused.value.messages[0])
    assert message.startswith("You can post 4 replies per hour while your account is new. ")
    assert retry_sentence_in(message)
    assert Post.objects.filter(author=author).count() == 4


def test_threads_do_not_count_towards_the_reply_limit():
    author = member()
    start_threads(author, 3)
    thread = make_thread()
    for _ in range(4):
        make_reply(thread, author=author)

    assert Post.objects.filter(author=author, depth__gt=0).count() == 4


def test_hidden_replies_still_count():
    author = member()
    thread = make_thread()
    for _ in range(4):
        make_reply(thread, author=author)
    Post.objects.filter(author=author).update(is_hidden=True)

    with pytest.raises(RateLimited):
        make_reply(thread, author=author)


def test_the_reply_limit_resets_with_the_oldest_reply_of_the_window():
    author = member()
    thread = make_thread()
    for _ in range(4):
        make_reply(thread, author=author)
    age_replies(author, minutes=90)

    make_reply(thread, author=author)

    assert Post.objects.filter(author=author).count() == 5


# ---- Links and images in probation ----


def test_a_new_account_cannot_link_to_other_sites_in_its_first_posts():
    author = member()
    thread = make_thread()

    with pytest.raises(ValidationError) as refused:
        make_reply(thread, author=author, body="Our leaflet: https://example.com/leaflet.pdf")

    assert refused.value.message_dict["body"] == [
        "While your account is new, your first 2 posts cannot contain links to other sites "
        "or images. Remove them, or post without them for now."
    ]
    assert not Post.objects.filter(author=author).exists()


def test_an_image_is_refused_too_and_so_is_a_link_in_a_new_thread():
    author = member()
    with pytest.raises(ValidationError):
        make_thread(author=author, body="See [our page](http://example.com/)")
    with pytest.raises(ValidationError):
        make_reply(make_thread(), author=author, body="![chart](/media/uploads/chart.png)")


def test_links_within_the_site_such_as_a_quote_are_allowed_in_probation():
    author = member()
    thread = make_thread()
    opening = thread.posts.get(depth=0)

    reply = make_reply(
        thread, author=author, body=f"> quoted\n\n[the question]({opening.get_absolute_url()})"
    )

    assert re.search(r'href="/forum/p/\d+/"', reply.body_html)


def test_links_are_allowed_after_the_first_plain_posts():
    author = member()
    thread = make_thread()
    make_reply(thread, author=author, body="First, plain.")
    make_reply(thread, author=author, body="Second, plain.")

    reply = make_reply(thread, author=author, body="Third: https://example.com/")

    assert 'href="https://example.com/"' in reply.body_html


def test_a_basic_member_may_link_from_the_first_post():
    author = member(TrustLevel.BASIC)

    reply = make_reply(make_thread(), author=author, body="https://example.com/")

    assert "https://example.com/" in reply.body_html


def test_editing_a_first_post_to_add_a_link_is_refused_in_probation():
    author = member()
    reply = make_reply(make_thread(), author=author, body="Plain at first.")
    make_reply(reply.thread, author=author, body="Second, plain.")
    make_reply(reply.thread, author=author, body="Third, plain.")

    with pytest.raises(ValidationError) as refused:
        post_edit(editor=author, post=reply, body="Now with https://example.com/")

    assert "body" in refused.value.message_dict
    reply.refresh_from_db()
    assert reply.body == "Plain at first."


def test_a_moderator_editing_a_new_members_post_may_add_a_link():
    author = member()
    reply = make_reply(make_thread(), author=author, body="Plain at first.")

    post_edit(editor=ModeratorFactory(), post=reply, body="See https://example.com/")

    reply.refresh_from_db()
    assert "https://example.com/" in reply.body_html


def test_the_retry_sentence_names_only_the_time_on_the_same_utc_day_and_the_date_otherwise():
    now = datetime(2026, 12, 4, 23, 20, tzinfo=UTC)

    same_day = _rate_message(
        REPLY, "hour", 2, TrustLevel.PROBATION, now + timedelta(minutes=30), now
    )
    next_day = _rate_message(
        REPLY, "hour", 2, TrustLevel.PROBATION, now + timedelta(minutes=50), now
    )

    assert same_day == (
        "You can post 2 replies per hour while your account is new. "
        "You can post again at 23:50 UTC."
    )
    assert next_day == (
        "You can post 2 replies per hour while your account is new. "
        "You can post again on 5 December at 00:10 UTC."
    )
    assert retry_sentence_in(same_day)
    assert retry_sentence_in(next_day)
