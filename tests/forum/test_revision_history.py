"""Edit history: a word-level diff for authors and moderators; "edited" and when for all."""

from http import HTTPStatus

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from forum.models import Category, Post, Thread
from forum.revisions_diff import word_diff_html
from forum.services.posts import post_edit
from tests.factories.forum import (
    CategoryFactory,
    MemberFactory,
    ModeratorFactory,
    make_reply,
    make_thread,
)

pytestmark = pytest.mark.django_db


# ---- The diff ----


def test_changed_words_are_marked_deleted_and_inserted():
    html = word_diff_html("We sent SMS alerts to everyone.", "We sent radio alerts to everyone.")
    assert html == (
        'We sent<del class="diff-del"> SMS</del><ins class="diff-ins"> radio</ins>'
        " alerts to everyone."
    )


def test_added_and_removed_words_alone():
    assert word_diff_html("one two", "one two three") == (
        'one two<ins class="diff-ins"> three</ins>'
    )
    assert word_diff_html("keep this and that", "keep that") == (
        'keep<del class="diff-del"> this and</del> that'
    )


def test_unchanged_text_comes_back_whole_with_its_line_breaks():
    text = "First line.\n\n- a list item\n- another"
    assert word_diff_html(text, text) == text


def test_the_diff_escapes_the_text_so_markup_in_a_post_is_shown_not_run():
    html = word_diff_html('<script>alert("x")</script> hello', "<b>bold</b> hello")
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


# ---- The history page ----


@pytest.fixture
def author():
    return MemberFactory()


@pytest.fixture
def edited_reply(author):
    thread = make_thread()
    reply = make_reply(thread, author=author, body="We sent SMS alerts to every customer.")
    post_edit(editor=author, post=reply, body="We sent SMS and radio alerts to every customer.")
    post_edit(editor=author, post=reply, body="We sent radio alerts to every customer.")
    reply.refresh_from_db()
    return reply


def history(client, post):
    return client.get(reverse("forum:post_revisions", kwargs={"pk": post.pk}))


def page(response) -> BeautifulSoup:
    assert response.status_code == HTTPStatus.OK
    return BeautifulSoup(response.content, "html.parser")


def test_the_author_sees_each_edit_as_a_word_diff_newest_first(client, author, edited_reply):
    client.force_login(author)
    soup = page(history(client, edited_reply))
    diffs = soup.select(".revision-diff")
    assert len(diffs) == 2
    # Newest edit first: version 2 to 3 removed "SMS and ".
    assert [d.text for d in diffs[0].select("del")] == [" SMS and"]
    assert diffs[0].select("ins") == []
    # Version 1 to 2 added "and radio ".
    assert [i.text for i in diffs[1].select("ins")] == [" and radio"]
    headings = [h.text for h in soup.select("h2")]
    assert "Changes from version 2 to version 3 (current)" in headings
    assert "Changes from version 1 to version 2" in headings


def test_a_moderator_sees_the_history_of_anyones_post(client, edited_reply):
    client.force_login(ModeratorFactory())
    assert page(history(client, edited_reply)).select(".revision-diff")


@pytest.mark.parametrize("who", ["visitor", "another member"])
def test_others_are_refused_the_history_page(client, edited_reply, who):
    if who != "visitor":
        client.force_login(MemberFactory())
    response = history(client, edited_reply)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Only the author and moderators" in response.text
    assert "SMS" not in response.text


def test_a_hidden_posts_history_is_for_moderators_only(client, author, edited_reply):
    Post.objects.filter(pk=edited_reply.pk).update(is_hidden=True)
    client.force_login(author)
    response = history(client, edited_reply)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "SMS" not in response.text
    client.force_login(ModeratorFactory())
    assert history(client, edited_reply).status_code == HTTPStatus.OK


def test_the_history_of_a_post_in_a_category_you_cannot_read_is_404(client):
    lounge = CategoryFactory(visibility=Category.Visibility.MEMBERS)
    author = MemberFactory()
    thread = make_thread(category=lounge, author=author, body="Members-only first draft")
    opening = thread.posts.get()
    post_edit(editor=author, post=opening, body="Members-only second draft")
    assert history(client, opening).status_code == HTTPStatus.NOT_FOUND
    client.force_login(MemberFactory(roles=[]))
    assert history(client, opening).status_code == HTTPStatus.NOT_FOUND
    assert client.get(reverse("forum:post_revisions", kwargs={"pk": 999999})).status_code == 404


def test_an_opening_posts_history_shows_the_title_change(client):
    author = MemberFactory()
    thread = make_thread(author=author, title="SMS for outages", body="Does SMS work?")
    opening = thread.posts.get()
    post_edit(editor=author, post=opening, body="Does SMS work?", title="SMS for water outages")
    client.force_login(author)
    title = page(history(client, opening)).select_one(".revision-diff--title")
    assert [i.text for i in title.select("ins")] == [" water"]


# ---- "edited" on the thread page ----


def thread_soup(client, thread: Thread) -> BeautifulSoup:
    return page(client.get(thread.get_absolute_url()))


@pytest.mark.parametrize("who", ["visitor", "another member", "author", "moderator"])
def test_everyone_sees_that_a_post_was_edited_and_when(client, author, edited_reply, who):
    users = {
        "another member": MemberFactory,
        "author": lambda: author,
        "moderator": ModeratorFactory,
    }
    if who != "visitor":
        client.force_login(users[who]())
    article = thread_soup(client, edited_reply.thread).select_one(f"#post-{edited_reply.pk}")
    edited = article.select_one(".post__edited")
    assert edited.text.startswith("edited ")
    assert edited.select_one("time")["datetime"].startswith(
        edited_reply.edited_at.strftime("%Y-%m-%d")
    )
    history_url = reverse("forum:post_revisions", kwargs={"pk": edited_reply.pk})
    has_link = article.select_one(f'a[href="{history_url}"]') is not None
    assert has_link == (who in ("author", "moderator"))


def test_the_author_keeps_the_history_link_after_the_thread_is_locked(client, author, edited_reply):
    Thread.objects.filter(pk=edited_reply.thread_id).update(is_locked=True)
    client.force_login(author)
    article = thread_soup(client, edited_reply.thread).select_one(f"#post-{edited_reply.pk}")
    history_url = reverse("forum:post_revisions", kwargs={"pk": edited_reply.pk})
    assert article.select_one(f'a[href="{history_url}"]') is not None
    assert history(client, edited_reply).status_code == HTTPStatus.OK


def test_a_post_never_edited_says_nothing_and_has_no_history_link(client, author):
    thread = make_thread()
    reply = make_reply(thread, author=author)
    client.force_login(author)
    article = thread_soup(client, thread).select_one(f"#post-{reply.pk}")
    assert article.select_one(".post__edited") is None
    assert "History" not in article.text
