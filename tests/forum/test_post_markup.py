"""forum.post_markup: values escaped by construction, URLs from reverse, one former-member name."""

import pytest
from django.test import RequestFactory

from forum.models import Post
from forum.post_markup import posts_html
from forum.selectors.threads import thread_page
from forum.views.responses import post_markup_context
from members.models import FORMER_MEMBER_NAME, Profile
from tests.factories.forum import CategoryFactory, MemberFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def page_html(thread, user, view="nested") -> str:
    page = thread_page(thread, user, view=view)
    request = RequestFactory().get("/")
    request.user = user
    markup = post_markup_context(
        request, thread, is_moderator=page.is_moderator, can_accept=page.can_accept
    )
    return str(posts_html([page.opening, *page.rows], markup))


def test_names_and_organisations_are_escaped():
    author = MemberFactory(display_name='<script>alert("name")</script>')
    Profile.objects.filter(user=author).update(organisation="Water & <b>Power</b>")
    thread = make_thread(category=CategoryFactory())
    make_reply(thread, author=author)

    html = page_html(thread, MemberFactory())

    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;" in html
    assert '<span class="author-organisation">Water &amp; &lt;b&gt;Power&lt;/b&gt;</span>' in html


def test_post_urls_follow_where_the_forum_is_mounted(settings):
    thread = make_thread()
    reply = make_reply(thread)
    member = MemberFactory()
    settings.ROOT_URLCONF = "tests.forum.urls_forum_elsewhere"

    html = page_html(thread, member)

    assert f'action="/discuss/p/{reply.pk}/vote/"' in html
    assert f'data-quote-url="/discuss/p/{reply.pk}/quote/"' in html
    assert f'href="/discuss/t/{thread.pk}/reply/?to={reply.pk}"' in html
    assert f'class="post__permalink" href="/discuss/p/{reply.pk}/"' in html
    assert "/forum/" not in html


def test_a_post_without_an_author_and_replies_to_it_name_the_former_member():
    thread = make_thread()
    orphan = make_reply(thread)
    answer = make_reply(thread, parent=orphan)
    Post.objects.filter(pk=orphan.pk).update(author=None)

    html = page_html(thread, MemberFactory(), view="chronological")

    name = str(FORMER_MEMBER_NAME)
    article = html[html.index(f'id="post-{orphan.pk}"') :][:300]
    assert f'<span class="author-name author-name--gone">{name}</span>' in article
    replying = html[html.index(f'id="post-{answer.pk}"') :][:400]
    assert f'in reply to <a href="/forum/p/{orphan.pk}/">{name}</a>' in replying
