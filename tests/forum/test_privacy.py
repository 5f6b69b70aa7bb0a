"""The forum's part of data export, account deletion and profile contributions."""

import pytest

from forum.models import Category, Post, PostMention
from forum.services.votes import post_vote
from members.contributions import member_contributions
from members.data_export import member_data_export
from members.services.accounts import account_delete
from tests.factories.forum import CategoryFactory, MemberFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def test_data_export_has_the_members_threads_posts_and_votes_only():
    member = MemberFactory()
    thread = make_thread(author=member, body="My *question*")
    reply = make_reply(thread, author=member, body="My reply")
    other = make_reply(thread, body="Someone else's reply")
    post_vote(voter=member, post=other)

    forum = member_data_export(member)["forum"]

    assert [t["title"] for t in forum["threads"]] == [thread.title]
    assert [p["body_markdown"] for p in forum["posts"]] == ["My *question*", "My reply"]
    assert forum["posts"][1]["url"] == reply.get_absolute_url()
    assert forum["votes"] == [
        {"post_id": other.pk, "value": 1, "created_at": forum["votes"][0]["created_at"]}
    ]


def test_deleted_accounts_posts_stay_and_read_former_member(client):
    member = MemberFactory(display_name="Ana Silva")
    thread = make_thread()
    reply = make_reply(thread, author=member, body="Useful advice")
    make_reply(thread, body="Thanks @Ana-Silva")
    assert PostMention.objects.filter(user=member).exists()

    account_delete(user=member)

    html = client.get(thread.get_absolute_url()).text
    assert "Useful advice" in html
    article = html[html.index(f'id="post-{reply.pk}"') :][:600]
    assert '<span class="author-name">Former member</span>' in article
    assert "Ana Silva" not in html.replace("@Ana-Silva", "")
    assert "author-organisation" not in article
    assert Post.objects.filter(pk=reply.pk).exists()
    assert not PostMention.objects.filter(user=member).exists()


def test_profile_contributions_list_public_threads_and_replies_only():
    member = MemberFactory()
    public_thread = make_thread(author=member, title="Public question")
    lounge = CategoryFactory(visibility=Category.Visibility.MEMBERS)
    make_thread(author=member, category=lounge, title="Members-only thoughts")
    make_reply(public_thread, author=member)
    make_reply(make_thread(category=lounge, title="Another members-only"), author=member)

    sections = {s.name: s for s in member_contributions(member)}

    assert [c.title for c in sections["forum_threads"].items] == ["Public question"]
    assert [c.title for c in sections["forum_replies"].items] == ["Re: Public question"]
