"""forum.views.thread_page_cache: visitors' thread pages are built once per revision, and
every change to what the posts show reaches the next visitor at once."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from forum.models import Thread
from forum.services.answers import answer_accept
from forum.services.moderation import post_hide, post_restore, thread_merge
from forum.services.posts import post_edit
from forum.services.votes import post_vote
from forum.views.thread_page_cache import CACHE_ALIAS, visitor_posts_key
from members.services.accounts import account_delete
from members.services.profiles import profile_update
from tests.factories.forum import (
    MemberFactory,
    make_moderator,
    make_question,
    make_reply,
    make_thread,
)

pytestmark = pytest.mark.django_db


def visitor_page(client, thread, query="") -> str:
    response = client.get(thread.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def posts_query_count(client, thread) -> int:
    """How many queries read the thread's posts while the page is served."""
    with CaptureQueriesContext(connection) as queries:
        visitor_page(client, thread)
    return sum('FROM "forum_post"' in q["sql"] for q in queries.captured_queries)


def test_a_visitors_second_view_is_served_from_the_cache_with_the_same_html(client):
    thread = make_thread(body="The opening post about meters.")
    make_reply(thread, body="A first reply about leaks.")

    first_queries = posts_query_count(client, thread)
    first = visitor_page(client, thread)
    second_queries = posts_query_count(client, thread)

    assert first_queries >= 1
    assert second_queries == 0
    assert visitor_page(client, thread) == first
    assert "A first reply about leaks." in first


def test_a_member_page_is_never_taken_from_the_visitors_cache(client):
    thread = make_thread()
    reply = make_reply(thread, body="Members see a vote button here.")
    visitor_page(client, thread)
    member = MemberFactory()
    client.force_login(member)

    html = visitor_page(client, thread)

    assert f'action="/forum/p/{reply.pk}/vote/"' in html or "js-vote" in html
    assert posts_query_count(client, thread) >= 1


def test_a_new_reply_shows_on_the_next_visitors_view(client):
    thread = make_thread()
    visitor_page(client, thread)

    make_reply(thread, body="Posted after the page was cached.")

    assert "Posted after the page was cached." in visitor_page(client, thread)


def test_an_edit_shows_on_the_next_visitors_view(client):
    thread = make_thread()
    reply = make_reply(thread, body="Before the edit.")
    visitor_page(client, thread)

    post_edit(editor=reply.author, post=reply, body="After the edit.")

    html = visitor_page(client, thread)
    assert "After the edit." in html
    assert "Before the edit." not in html


def test_a_vote_on_a_reply_shows_its_new_score_to_the_next_visitor(client):
    thread = make_thread()
    reply = make_reply(thread)
    before = visitor_page(client, thread)

    post_vote(voter=MemberFactory(), post=reply)

    after = visitor_page(client, thread)
    assert after != before
    assert f'id="post-{reply.pk}"' in after
    article = after.split(f'id="post-{reply.pk}"', 1)[1].split("</article>", 1)[0]
    assert '<span class="vote__score">1</span>' in article


def test_a_hidden_post_leaves_and_a_restored_post_returns_for_the_next_visitor(client):
    thread = make_thread()
    reply = make_reply(thread, body="Spam that a moderator hides.")
    moderator = make_moderator()
    assert "Spam that a moderator hides." in visitor_page(client, thread)

    post_hide(moderator=moderator, post=reply, reason="Spam")
    assert "Spam that a moderator hides." not in visitor_page(client, thread)

    post_restore(moderator=moderator, post=Thread.objects.get(pk=thread.pk).posts.get(pk=reply.pk))
    assert "Spam that a moderator hides." in visitor_page(client, thread)


def test_an_accepted_answer_is_marked_for_the_next_visitor(client):
    question = make_question()
    answer = make_reply(question, body="Use SMS and radio together.")
    visitor_page(client, question)

    answer_accept(user=question.author, answer=answer)

    html = visitor_page(client, Thread.objects.get(pk=question.pk))
    article = html.split(f'id="post-{answer.pk}"', 1)[1].split("</article>", 1)[0]
    assert "tag--solved" in article


def test_a_merge_shows_the_moved_posts_in_the_target_for_the_next_visitor(client):
    target = make_thread(title="Target thread about outages")
    source = make_thread(title="Source thread about outages")
    make_reply(source, body="A reply that moves with its thread.")
    visitor_page(client, target)

    thread_merge(moderator=make_moderator(), thread=source, into_thread_id=target.pk)

    assert "A reply that moves with its thread." in visitor_page(
        client, Thread.objects.get(pk=target.pk)
    )


def test_an_authors_new_name_and_organisation_show_on_the_next_visitors_view(client):
    author = MemberFactory(display_name="Old Name")
    thread = make_thread(author=author)
    make_reply(thread, author=author)
    assert "Old Name" in visitor_page(client, thread)

    profile_update(user=author, display_name="New Name", organisation="Nairobi Water")

    html = visitor_page(client, thread)
    assert "Old Name" not in html
    assert "New Name" in html
    assert "Nairobi Water" in html


def test_a_deleted_accounts_posts_show_a_former_member_to_the_next_visitor(client):
    author = MemberFactory(display_name="Soon Gone")
    thread = make_thread()
    make_reply(thread, author=author, body="Written before the account was deleted.")
    assert "Soon Gone" in visitor_page(client, thread)

    account_delete(user=author)

    html = visitor_page(client, thread)
    assert "Soon Gone" not in html
    assert "Written before the account was deleted." in html


def test_pages_views_languages_and_time_zones_are_cached_apart(client, settings):
    thread = make_thread()
    make_reply(thread)
    thread.refresh_from_db()

    keys = set()
    for view in ("nested", "chronological"):
        for page in (1, 2):
            for language in ("en", "en-xa"):
                for zone in ("UTC", "Africa/Nairobi"):
                    from django.utils import timezone

                    with translation.override(language), timezone.override(zone):
                        keys.add(visitor_posts_key(thread, view=view, page=page))
    assert len(keys) == 16


def test_the_key_changes_with_the_revision_and_with_a_new_thread_under_the_same_id(client):
    thread = make_thread()
    key = visitor_posts_key(thread, view="nested", page=1)
    make_reply(thread)
    moved_on = Thread.objects.get(pk=thread.pk)

    assert moved_on.revision > thread.revision
    assert visitor_posts_key(moved_on, view="nested", page=1) != key
    same_id_other_day = Thread(pk=thread.pk, revision=thread.revision)
    same_id_other_day.created_at = thread.created_at.replace(year=thread.created_at.year - 1)
    assert visitor_posts_key(same_id_other_day, view="nested", page=1) != key


def test_a_full_save_of_a_stale_thread_keeps_the_revision_in_the_database():
    thread = make_thread()
    stale = Thread.objects.get(pk=thread.pk)
    make_reply(thread)
    current = Thread.objects.get(pk=thread.pk).revision
    assert current > stale.revision

    stale.title = "Renamed by a full save"
    stale.save()

    thread.refresh_from_db()
    assert thread.revision == current
    assert thread.title == "Renamed by a full save"


def test_the_cache_holds_the_markup_under_the_current_revision(client):
    thread = make_thread()
    visitor_page(client, thread)
    thread.refresh_from_db()

    cached = caches[CACHE_ALIAS].get(visitor_posts_key(thread, view="nested", page=1))

    assert cached is not None
    opening, replies = cached
    assert f'id="post-{thread.posts.get(depth=0).pk}"' in opening
