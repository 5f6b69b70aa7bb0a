"""Forum pages and actions through HTTP: visibility (404, not 403), posting, voting, Q&A."""

import re
from http import HTTPStatus
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse

from forum.models import Category, Post, PostRevision, Thread, Vote
from forum.services.answers import answer_accept
from forum.services.votes import post_vote
from members.models import FORMER_MEMBER_NAME, Profile
from members.services.accounts import account_delete
from taxonomy.models import Region, Topic
from tests.factories.forum import (
    CategoryFactory,
    GuestFactory,
    MemberFactory,
    ModeratorFactory,
    make_question,
    make_reply,
    make_thread,
)
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def public():
    return CategoryFactory(name="Open discussion", slug="open")


@pytest.fixture
def members_only():
    return CategoryFactory(
        name="Members lounge", slug="lounge", visibility=Category.Visibility.MEMBERS
    )


def login(client, user):
    client.force_login(user)
    return user


def post_ids(response) -> list[int]:
    return [
        int(pk)
        for pk in re.findall(
            r'<article class="post[^"]*" id="post-(\d+)"', response.content.decode()
        )
    ]


# ---- Visibility ----


def test_visitor_sees_only_public_categories_on_the_forum_home(client, public, members_only):
    response = client.get(reverse("forum:home"))
    assert response.status_code == HTTPStatus.OK
    assert "Open discussion" in response.text
    assert "Members lounge" not in response.text


def test_member_and_guest_see_members_only_categories(client, public, members_only):
    for user in (MemberFactory(), GuestFactory()):
        login(client, user)
        assert "Members lounge" in client.get(reverse("forum:home")).text


def test_members_only_category_thread_and_post_are_404_for_visitors(client, members_only):
    thread = make_thread(category=members_only)
    reply = make_reply(thread)
    urls = [
        members_only.get_absolute_url(),
        thread.get_absolute_url(),
        reverse("forum:thread_short", kwargs={"pk": thread.pk}),
        reply.get_absolute_url(),
    ]
    for url in urls:
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
    login(client, MemberFactory())
    for url in urls:
        assert client.get(url, follow=True).status_code == HTTPStatus.OK, url


def test_group_restricted_category_is_404_for_members_outside_the_group(client):
    board = Group.objects.create(name="PCC steering board")
    category = CategoryFactory(slug="board", restricted_to_group=board)
    thread = make_thread(category=category, author=ModeratorFactory())
    outsider = login(client, MemberFactory())
    assert client.get(category.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert client.get(thread.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert "board" not in client.get(reverse("forum:home")).text.lower()
    outsider.groups.add(board)
    login(client, outsider)
    assert client.get(thread.get_absolute_url()).status_code == HTTPStatus.OK


def test_members_only_posting_urls_are_404_for_signed_in_users_without_a_role(client, members_only):
    from tests.factories.members import UserFactory

    thread = make_thread(category=members_only)
    login(client, UserFactory())
    response = client.post(reverse("forum:reply", kwargs={"pk": thread.pk}), {"body": "Let me in"})
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert client.get(reverse("forum:thread_new", kwargs={"slug": "lounge"})).status_code == 404


# ---- Thread page ----


def test_thread_url_with_a_wrong_slug_redirects_to_the_canonical_one(client, public):
    thread = make_thread(category=public)
    response = client.get(f"/forum/t/{thread.pk}/old-title/?view=chronological")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == thread.get_absolute_url() + "?view=chronological"


def test_nested_view_caps_the_indent_and_says_in_reply_to_beyond_it(client, public):
    thread = make_thread(category=public)
    parent = None
    chain = []
    for depth in range(1, 10):
        parent = make_reply(
            thread, parent=parent, author=MemberFactory(display_name=f"Level {depth}")
        )
        chain.append(parent)
    html = client.get(thread.get_absolute_url()).text
    assert f'class="post post--indent-0" id="post-{chain[0].pk}"' in html
    assert f'class="post post--indent-5" id="post-{chain[5].pk}"' in html
    assert f'class="post post--indent-6" id="post-{chain[6].pk}"' in html
    assert f'class="post post--indent-6" id="post-{chain[8].pk}"' in html
    deep = html[html.index(f'id="post-{chain[8].pk}"') :]
    assert f'in reply to <a href="/forum/p/{chain[7].pk}/">Level 8</a>' in deep[:1500]
    shallow = html[html.index(f'id="post-{chain[2].pk}"') :][:600]
    assert "in reply to" not in shallow


def test_nested_view_is_tree_order_and_chronological_view_is_written_order(client, public):
    thread = make_thread(category=public)
    first = make_reply(thread)
    second = make_reply(thread)
    first_child = make_reply(thread, parent=first)
    opening = Post.objects.get(thread=thread, depth=0)
    nested = post_ids(client.get(thread.get_absolute_url()))
    assert nested == [opening.pk, first.pk, first_child.pk, second.pk]
    chronological = post_ids(client.get(thread.get_absolute_url() + "?view=chronological"))
    assert chronological == [opening.pk, first.pk, second.pk, first_child.pk]
    html = client.get(thread.get_absolute_url() + "?view=chronological").text
    assert "in reply to" in html[html.index(f'id="post-{first_child.pk}"') :]


def test_question_shows_the_accepted_answer_first_then_answers_by_votes(client):
    asker = MemberFactory()
    question = make_question(author=asker)
    low = make_reply(question, body="Low-scored answer")
    high = make_reply(question, body="High-scored answer")
    accepted = make_reply(question, body="The accepted answer")
    comment_on_high = make_reply(question, parent=high, body="A comment on the high answer")
    for _ in range(2):
        post_vote(voter=MemberFactory(), post=high)
    post_vote(voter=MemberFactory(), post=low)
    answer_accept(user=asker, answer=accepted)
    opening = Post.objects.get(thread=question, depth=0)

    response = client.get(question.get_absolute_url())
    assert post_ids(response) == [opening.pk, accepted.pk, high.pk, comment_on_high.pk, low.pk]
    assert "Accepted answer" in response.text
    assert "Best answers first" in response.text


def test_pagination_uses_the_post_counter_and_permalinks_find_the_right_page(
    client, public, settings
):
    settings.FORUM_POSTS_PER_PAGE = 3
    thread = make_thread(category=public)
    replies = [make_reply(thread) for _ in range(7)]
    late = replies[6]
    response = client.get(late.get_absolute_url())
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{thread.get_absolute_url()}?page=3#post-{late.pk}"
    response = client.get(late.get_absolute_url() + "?view=chronological")
    assert response["Location"] == (
        f"{thread.get_absolute_url()}?view=chronological&page=3#post-{late.pk}"
    )


def test_permalink_of_a_post_on_a_later_page_of_a_long_thread(client, public):
    thread = make_thread(category=public)
    replies = [make_reply(thread) for _ in range(101)]
    response = client.get(replies[-1].get_absolute_url())
    assert response["Location"] == f"{thread.get_absolute_url()}?page=2#post-{replies[-1].pk}"
    page_two = client.get(response["Location"].split("#")[0])
    assert post_ids(page_two) == [replies[-2].pk, replies[-1].pk]
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2' in page_two.text


def test_thread_page_shows_topics_regions_and_reply_form_only_to_those_who_may_reply(
    client, public
):
    topic = Topic.objects.get(slug="water-quality-and-public-health")
    region = Region.objects.get(slug="global")
    thread = make_thread(category=public, topics=[topic], regions=[region])
    html = client.get(thread.get_absolute_url()).text
    assert topic.name in html
    assert region.name in html
    assert 'name="body"' not in html
    assert "Sign in" in html
    login(client, MemberFactory())
    assert 'name="body"' in client.get(thread.get_absolute_url()).text


def test_locked_thread_page_says_so_and_refuses_replies(client, public):
    thread = make_thread(category=public)
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    login(client, MemberFactory())
    html = client.get(thread.get_absolute_url()).text
    assert "This thread is locked" in html
    assert 'name="body"' not in html
    response = client.post(reverse("forum:reply", kwargs={"pk": thread.pk}), {"body": "Hi"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "locked" in response.text
    thread.refresh_from_db()
    assert thread.reply_count == 0


# ---- Starting threads ----


def test_member_starts_a_thread_with_topics_and_regions(client, public):
    login(client, MemberFactory())
    topic = Topic.objects.get(slug="tariffs-and-investment")
    region = Region.objects.get(slug="global")
    url = reverse("forum:thread_new", kwargs={"slug": public.slug})
    form = client.get(url)
    assert form.status_code == HTTPStatus.OK
    key = re.search(r'name="submission_key" value="([^"]+)"', form.text).group(1)
    data = {
        "title": "Explaining a tariff rise",
        "body": "What worked for you?",
        "topics": [topic.pk],
        "regions": [region.pk],
        "submission_key": key,
    }
    response = client.post(url, data)
    thread = Thread.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == thread.get_absolute_url()
    assert list(thread.topics.all()) == [topic]
    # A double click posts the same form again: no second thread.
    assert client.post(url, data)["Location"] == thread.get_absolute_url()
    assert Thread.objects.count() == 1


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [
        ("   ", "Body", "Give the thread a title."),
        ("Title", " \n ", "Write something first: the post is empty."),
        ("x" * 201, "Body", "Keep the title to 200 characters or fewer (it has 201)."),
        ("Title", "y" * 50_001, "Keep the post to 50,000 characters or fewer"),
    ],
)
def test_new_thread_form_shows_the_services_message_for_bad_input(
    client, public, title, body, message
):
    login(client, MemberFactory())
    response = client.post(
        reverse("forum:thread_new", kwargs={"slug": public.slug}), {"title": title, "body": body}
    )
    assert response.status_code == HTTPStatus.OK
    assert message in response.text
    assert 'class="form-field form-field--error"' in response.text
    assert not Thread.objects.exists()


def test_guest_may_ask_only_where_guests_may_post(client, public):
    experts = CategoryFactory(slug="experts", guests_can_post=True, mode=Category.Mode.QUESTIONS)
    login(client, GuestFactory())
    assert client.get(reverse("forum:thread_new", kwargs={"slug": "experts"})).status_code == 200
    response = client.get(reverse("forum:thread_new", kwargs={"slug": public.slug}))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "cannot start threads" in response.text
    assert "Ask a question" in client.get(experts.get_absolute_url()).text


def test_an_account_without_the_welcome_step_is_told_why_it_cannot_post_and_where_to_fix_it(
    client, public
):
    newcomer = UserFactory()  # signed up and verified, welcome step skipped: no role yet
    login(client, newcomer)
    category_url = public.get_absolute_url()
    new_thread_url = reverse("forum:thread_new", kwargs={"slug": public.slug})
    welcome = reverse("members:welcome")

    page = BeautifulSoup(client.get(category_url).content, "html.parser")
    actions = page.select_one(".page-heading__actions")
    assert "Start a discussion" not in actions.get_text()
    assert "finish the welcome step first" in actions.get_text()
    assert actions.select_one("a")["href"] == f"{welcome}?next={quote(category_url)}"

    thread_url = make_thread(category=public).get_absolute_url()
    thread_page = BeautifulSoup(client.get(thread_url).content, "html.parser")
    reply_note = thread_page.select_one("#reply-heading").find_next("p")
    assert "You cannot reply yet: finish the welcome step first." in reply_note.get_text()
    assert reply_note.a["href"] == f"{welcome}?next={quote(thread_url)}"

    refused = client.get(new_thread_url)
    assert refused.status_code == HTTPStatus.FORBIDDEN
    refused_page = BeautifulSoup(refused.content, "html.parser")
    assert "finish the welcome step first" in refused_page.select_one(".error-page").get_text()
    link = refused_page.find("a", string="Finish the welcome step")["href"]
    assert link == f"{welcome}?next={quote(new_thread_url)}"

    done = client.post(
        welcome,
        {
            "display_name": "Nia",
            "specialist_group": "pcc",
            "notification_email": "none",
            "next": new_thread_url,
        },
    )
    assert done["Location"] == new_thread_url
    assert client.get(new_thread_url).status_code == HTTPStatus.OK


def test_members_who_cannot_post_get_no_welcome_step_link(client, public):
    login(client, GuestFactory())
    response = client.get(reverse("forum:thread_new", kwargs={"slug": public.slug}))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Guests welcome to post" in response.text
    assert reverse("members:welcome") not in response.text
    category_page = client.get(public.get_absolute_url()).text
    assert "guests start threads in the categories marked" in category_page
    assert reverse("members:welcome") not in category_page


def test_new_thread_page_asks_visitors_to_sign_in(client, public):
    response = client.get(reverse("forum:thread_new", kwargs={"slug": public.slug}))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))


# ---- Replying ----


def test_reply_without_javascript_redirects_to_the_new_post(client, public):
    thread = make_thread(category=public)
    login(client, MemberFactory())
    response = client.post(reverse("forum:reply", kwargs={"pk": thread.pk}), {"body": "Agreed"})
    reply = Post.objects.get(thread=thread, depth=1)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reply.get_absolute_url()


def test_inline_reply_returns_the_rendered_post_as_json(client, public):
    thread = make_thread(category=public)
    parent = make_reply(thread, author=MemberFactory(display_name="Ana Silva"))
    login(client, MemberFactory())
    response = client.post(
        reverse("forum:reply", kwargs={"pk": thread.pk}),
        {"body": "**Nested** reply", "parent": parent.pk},
        headers={"accept": "application/json"},
    )
    assert response.status_code == HTTPStatus.OK
    data = response.json()
    reply = Post.objects.get(pk=data["id"])
    assert reply.parent == parent
    assert f'id="post-{reply.pk}"' in data["html"]
    assert "<strong>Nested</strong>" in data["html"]
    assert "post--indent-1" in data["html"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write something first: the post is empty."),
        ("Flow\x00 logging", "Null characters are not allowed."),
    ],
)
def test_an_inline_reply_the_form_refuses_answers_json_400_saying_what_to_fix(
    client, public, body, message
):
    thread = make_thread(category=public)
    login(client, MemberFactory())
    response = client.post(
        reverse("forum:reply", kwargs={"pk": thread.pk}),
        {"body": body},
        headers={"accept": "application/json"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"error": message}
    assert thread.posts.count() == 1


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_inline_reply_json_is_the_article_the_thread_page_shows(client, public):
    thread = make_thread(category=public)
    member = MemberFactory(display_name="Ana Silva")
    Profile.objects.filter(user=member).update(organisation="Lima Water")
    login(client, member)
    data = client.post(
        reverse("forum:reply", kwargs={"pk": thread.pk}),
        {"body": "An answer with *emphasis*"},
        headers={"accept": "application/json"},
    ).json()
    page = client.get(thread.get_absolute_url()).text
    start = page.index(f'<article class="post post--indent-0" id="post-{data["id"]}"')
    article = page[start : page.index("</article>", start) + len("</article>")]
    assert _without_csrf(data["html"]) == _without_csrf(article)
    assert '<span class="author-organisation">Lima Water</span>' in data["html"]


@pytest.mark.parametrize("gone", ["account deleted", "no author recorded"])
def test_inline_reply_to_a_former_members_post_says_whom_it_answers(client, public, gone):
    thread = make_thread(category=public)
    former = MemberFactory(display_name="Ana Silva")
    answer = make_reply(thread, author=former)
    if gone == "account deleted":
        account_delete(user=former)
    else:
        Post.objects.filter(pk=answer.pk).update(author=None)
    login(client, MemberFactory())
    data = client.post(
        reverse("forum:reply", kwargs={"pk": thread.pk}),
        {"body": "Replying to an old answer", "parent": answer.pk},
        headers={"accept": "application/json"},
    ).json()
    assert f'in reply to <a href="/forum/p/{answer.pk}/">{FORMER_MEMBER_NAME}</a>' in data["html"]


def test_quoting_a_post_without_an_author_attributes_it_to_the_former_member(client, public):
    thread = make_thread(category=public)
    quoted = make_reply(thread, body="Old advice")
    Post.objects.filter(pk=quoted.pk).update(author=None)
    login(client, MemberFactory())
    markdown = client.get(reverse("forum:post_quote", kwargs={"pk": quoted.pk})).json()["markdown"]
    assert markdown.startswith(f"> **[{FORMER_MEMBER_NAME}](/forum/p/{quoted.pk}/) wrote:**")


def test_reply_to_a_post_in_another_thread_is_refused_with_a_message(client, public):
    thread = make_thread(category=public)
    elsewhere = make_reply(make_thread(category=public, title="Elsewhere"))
    login(client, MemberFactory())
    response = client.post(
        reverse("forum:reply", kwargs={"pk": thread.pk}), {"body": "Hi", "parent": elsewhere.pk}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "You can only reply to a post in this thread." in response.text


def test_empty_reply_shows_an_error_and_keeps_nothing(client, public):
    thread = make_thread(category=public)
    login(client, MemberFactory())
    response = client.post(reverse("forum:reply", kwargs={"pk": thread.pk}), {"body": "  "})
    assert response.status_code == HTTPStatus.OK
    assert "Write something first" in response.text
    json_response = client.post(
        reverse("forum:reply", kwargs={"pk": thread.pk}),
        {"body": ""},
        headers={"accept": "application/json"},
    )
    assert json_response.status_code == HTTPStatus.BAD_REQUEST
    assert json_response.json()["error"] == "Write something first: the post is empty."


def test_reply_page_quotes_the_post_with_attribution(client, public):
    thread = make_thread(category=public)
    quoted = make_reply(thread, author=MemberFactory(display_name="Ana Silva"), body="SMS works")
    login(client, MemberFactory())
    response = client.get(reverse("forum:reply", kwargs={"pk": thread.pk}) + f"?quote={quoted.pk}")
    assert response.status_code == HTTPStatus.OK
    assert f"&gt; **[Ana Silva](/forum/p/{quoted.pk}/) wrote:**" in response.text
    assert "&gt; SMS works" in response.text
    quote_json = client.get(reverse("forum:post_quote", kwargs={"pk": quoted.pk})).json()
    assert quote_json["markdown"].startswith(f"> **[Ana Silva](/forum/p/{quoted.pk}/) wrote:**")


# ---- Editing ----


def test_author_edits_a_post_and_the_history_keeps_the_old_text(client, public):
    author = MemberFactory()
    reply = make_reply(make_thread(category=public), author=author, body="Frist")
    login(client, author)
    url = reverse("forum:post_edit", kwargs={"pk": reply.pk})
    assert client.get(url).status_code == HTTPStatus.OK
    response = client.post(url, {"body": "First", "edit_count": 0})
    assert response.status_code == HTTPStatus.FOUND
    reply.refresh_from_db()
    assert reply.body == "First"
    history = client.get(reverse("forum:post_revisions", kwargs={"pk": reply.pk}))
    assert "Frist" in history.text
    assert "Version 1 (original)" in history.text


def test_editing_someone_elses_post_is_forbidden(client, public):
    reply = make_reply(make_thread(category=public), body="Mine")
    login(client, MemberFactory())
    url = reverse("forum:post_edit", kwargs={"pk": reply.pk})
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    response = client.post(url, {"body": "Not yours"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "You can only edit your own posts." in response.text
    assert not PostRevision.objects.exists()
    history = client.get(reverse("forum:post_revisions", kwargs={"pk": reply.pk}))
    assert history.status_code == HTTPStatus.FORBIDDEN


# ---- Votes and accepted answers ----


def test_vote_with_javascript_returns_the_new_score(client, public):
    reply = make_reply(make_thread(category=public))
    login(client, MemberFactory())
    url = reverse("forum:vote", kwargs={"pk": reply.pk})
    json_headers = {"accept": "application/json"}
    assert client.post(url, {"value": "up"}, headers=json_headers).json() == {
        "score": 1,
        "my_vote": 1,
    }
    assert client.post(url, {"value": "down"}, headers=json_headers).json() == {
        "score": -1,
        "my_vote": -1,
    }
    assert client.post(url, {"value": "clear"}, headers=json_headers).json() == {
        "score": 0,
        "my_vote": 0,
    }


def test_vote_without_javascript_redirects_and_the_page_shows_it_pressed(client, public):
    thread = make_thread(category=public)
    reply = make_reply(thread)
    login(client, MemberFactory())
    response = client.post(reverse("forum:vote", kwargs={"pk": reply.pk}), {"value": "up"})
    assert response["Location"] == reply.get_absolute_url()
    html = client.get(thread.get_absolute_url()).text
    post_html = html[html.index(f'id="post-{reply.pk}"') :]
    assert 'value="clear" class="vote__button vote__button--up" aria-pressed="true"' in post_html


def test_vote_on_own_post_and_guest_votes_are_refused(client):
    experts = CategoryFactory(guests_can_post=True, mode=Category.Mode.QUESTIONS)
    author = MemberFactory()
    reply = make_reply(make_question(category=experts), author=author)
    url = reverse("forum:vote", kwargs={"pk": reply.pk})
    login(client, author)
    response = client.post(url, {"value": "up"}, headers={"accept": "application/json"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"error": "You cannot vote on your own post."}
    login(client, GuestFactory())
    assert client.post(url, {"value": "up"}).status_code == HTTPStatus.FORBIDDEN
    assert not Vote.objects.exists()


def test_vote_requires_post_and_sign_in(client, public):
    reply = make_reply(make_thread(category=public))
    url = reverse("forum:vote", kwargs={"pk": reply.pk})
    assert client.post(url, {"value": "up"})["Location"].startswith(reverse("account_login"))
    login(client, MemberFactory())
    assert client.get(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_asker_accepts_an_answer_through_the_page(client):
    asker = MemberFactory()
    question = make_question(author=asker)
    answer = make_reply(question)
    login(client, asker)
    assert "Accept this answer" in client.get(question.get_absolute_url()).text
    response = client.post(reverse("forum:accept", kwargs={"pk": answer.pk}))
    assert response["Location"] == answer.get_absolute_url()
    question.refresh_from_db()
    assert question.accepted_answer == answer
    client.post(reverse("forum:unaccept", kwargs={"pk": question.pk}))
    question.refresh_from_db()
    assert question.accepted_answer is None


def test_accepting_in_a_discussion_is_refused_with_a_message(client, public):
    author = MemberFactory()
    thread = make_thread(category=public, author=author)
    reply = make_reply(thread)
    login(client, author)
    assert "Accept this answer" not in client.get(thread.get_absolute_url()).text
    response = client.post(reverse("forum:accept", kwargs={"pk": reply.pk}))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "this thread is a discussion" in response.text


# ---- Preview ----


def test_preview_renders_with_the_same_sanitiser(client):
    login(client, MemberFactory())
    response = client.post(
        reverse("forum:preview"), {"body": "**hi** <script>x</script> [a](javascript:alert(1))"}
    )
    assert response.json()["html"] == (
        "<p><strong>hi</strong> &lt;script&gt;x&lt;/script&gt; [a](javascript:alert(1))</p>\n"
    )


def test_preview_needs_post_sign_in_and_csrf(client):
    from django.test import Client

    url = reverse("forum:preview")
    assert client.post(url, {"body": "x"})["Location"].startswith(reverse("account_login"))
    login(client, MemberFactory())
    assert client.get(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(MemberFactory())
    assert strict.post(url, {"body": "x"}).status_code == HTTPStatus.FORBIDDEN
    too_long = client.post(url, {"body": "x" * 50_001})
    assert too_long.status_code == HTTPStatus.BAD_REQUEST


# ---- Category page ----


def test_category_sorts_and_filters_threads(client, public):
    quiet = make_thread(category=public, title="Quiet thread")
    busy = make_thread(
        category=public, title="Busy thread", topics=[Topic.objects.get(slug="social-media")]
    )
    popular = make_thread(
        category=public, title="Popular thread", regions=[Region.objects.get(slug="global")]
    )
    make_reply(busy)
    make_reply(popular)
    post_vote(voter=MemberFactory(), post=Post.objects.get(thread=popular, depth=0))
    url = public.get_absolute_url()

    def titles(query=""):
        html = client.get(url + query).text
        return re.findall(r'class="thread-list__title"><a href="[^"]+">([^<]+)</a>', html)

    assert titles() == ["Popular thread", "Busy thread", "Quiet thread"]
    assert titles("?sort=newest") == ["Popular thread", "Busy thread", "Quiet thread"]
    assert titles("?sort=top")[0] == "Popular thread"
    assert titles("?sort=unanswered") == ["Quiet thread"]
    # A parent topic also finds threads tagged with its children.
    assert titles("?topic=digital-channels") == ["Busy thread"]
    assert titles("?region=global") == ["Popular thread"]
    assert titles("?sort=nonsense&page=abc") == titles()
    assert quiet.pk


def test_category_paginates_with_the_thread_counter(client, public, settings):
    settings.FORUM_THREADS_PER_PAGE = 2
    for n in range(5):
        make_thread(category=public, title=f"Thread {n}")
    html = client.get(public.get_absolute_url() + "?page=3").text
    assert "Thread 0" in html
    assert "Thread 4" not in html
    assert 'aria-current="page"><span class="visually-hidden">Page </span>3' in html


def test_opening_post_edit_changes_the_thread_title(client, public):
    author = MemberFactory()
    thread = make_thread(category=public, author=author)
    opening = Post.objects.get(thread=thread, depth=0)
    login(client, author)
    url = reverse("forum:post_edit", kwargs={"pk": opening.pk})
    assert 'name="title"' in client.get(url).text
    response = client.post(
        url, {"title": "A clearer title", "body": "Clearer body", "edit_count": 0}
    )
    assert response.status_code == HTTPStatus.FOUND
    thread.refresh_from_db()
    assert thread.title == "A clearer title"
    stale = client.post(url, {"title": "Again", "body": "Stale edit", "edit_count": 0})
    assert stale.status_code == HTTPStatus.OK
    assert "changed while you were editing" in stale.text


def test_category_admin_lists_categories(client, public):
    from allauth.mfa.totp.internal.auth import TOTP

    from members import roles
    from members.services.roles import user_roles_set

    admin = MemberFactory()
    user_roles_set(user=admin, roles_wanted={roles.MEMBER, roles.ADMIN}, actor=None)
    TOTP.activate(admin, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client.force_login(admin)
    response = client.get("/django-admin/forum/category/")
    assert response.status_code == HTTPStatus.OK
    assert "Open discussion" in response.text


def test_thread_page_links_live_public_kb_pages_only(client, public):
    from wagtail.models import Page, PageViewRestriction

    home = Page.objects.get(depth=2, slug="home")
    guide = home.add_child(instance=Page(title="Drought messaging guide", slug="drought-guide"))
    draft = home.add_child(instance=Page(title="Unpublished draft", slug="draft", live=False))
    private = home.add_child(instance=Page(title="Members-only guide", slug="private-guide"))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    thread = make_thread(category=public, kb_pages=[guide, draft, private])

    html = client.get(thread.get_absolute_url()).text

    assert "From the knowledge base" in html
    assert f'<a href="{guide.url}">Drought messaging guide</a>' in html
    assert "Unpublished draft" not in html
    assert "Members-only guide" not in html
