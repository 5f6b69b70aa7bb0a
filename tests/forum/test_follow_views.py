import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from forum.models import Category, Follow
from tests.factories import taxonomy
from tests.factories.follows import follow, mute
from tests.factories.forum import CategoryFactory, MemberFactory, make_thread

pytestmark = pytest.mark.django_db


def test_the_thread_page_offers_follow_and_the_form_follows_without_javascript(client):
    thread = make_thread()
    member = MemberFactory()
    client.force_login(member)
    page = client.get(thread.get_absolute_url())
    follow_url = reverse("forum:follow", args=["thread", thread.pk])
    assert f'action="{follow_url}"' in page.text
    assert ">Follow</button>" in page.text
    response = client.post(follow_url, {"next": thread.get_absolute_url()})
    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()
    assert Follow.objects.filter(member=member, thread=thread).count() == 1
    page = client.get(thread.get_absolute_url())
    assert ">Following</button>" in page.text
    assert reverse("forum:unfollow", args=["thread", thread.pk]) in page.text


def test_following_twice_leaves_one_follow_and_json_says_following(client):
    category = CategoryFactory()
    member = MemberFactory()
    client.force_login(member)
    url = reverse("forum:follow", args=["category", category.pk])
    for _ in range(2):
        response = client.post(url, HTTP_ACCEPT="application/json")
        assert response.status_code == 200
        assert response.json()["following"] is True
    assert Follow.objects.filter(member=member, category=category).count() == 1
    response = client.post(
        reverse("forum:unfollow", args=["category", category.pk]), HTTP_ACCEPT="application/json"
    )
    assert response.json()["following"] is False
    assert not Follow.objects.filter(member=member).exists()


def test_following_something_you_cannot_see_is_a_404(client):
    hidden = CategoryFactory(restricted_to_group=Group.objects.create(name="Board"))
    members_only_thread = make_thread(
        category=CategoryFactory(visibility=Category.Visibility.MEMBERS)
    )
    client.force_login(MemberFactory())
    assert client.post(reverse("forum:follow", args=["category", hidden.pk])).status_code == 404
    assert client.post(reverse("forum:follow", args=["thread", 999999])).status_code == 404
    assert client.post(reverse("forum:follow", args=["user", 1])).status_code == 404
    client.logout()
    from tests.factories.members import UserFactory

    client.force_login(UserFactory())  # an account without a role reads public content only
    url = reverse("forum:follow", args=["thread", members_only_thread.pk])
    assert client.post(url).status_code == 404
    assert not Follow.objects.exclude(member=members_only_thread.author).exists()


def test_visitors_are_sent_to_sign_in_and_get_is_not_allowed(client):
    topic = taxonomy.topic()
    url = reverse("forum:follow", args=["topic", topic.pk])
    assert client.post(url)["Location"].startswith(reverse("account_login"))
    client.force_login(MemberFactory())
    assert client.get(url).status_code == 405


def test_muting_a_thread_from_its_page(client):
    thread = make_thread()
    member = MemberFactory()
    client.force_login(member)
    client.post(reverse("forum:thread_mute", args=[thread.pk]))
    assert Follow.objects.get(member=member, thread=thread).is_muted
    page = client.get(thread.get_absolute_url())
    assert "Muted: unmute" in page.text
    client.post(reverse("forum:thread_unmute", args=[thread.pk]))
    assert not Follow.objects.filter(member=member, thread=thread).exists()


def test_the_topic_and_region_landing_pages_have_a_follow_button(client):
    topic, region = taxonomy.topic(), taxonomy.region()
    member = MemberFactory()
    client.force_login(member)
    follow(member, region)
    topic_page = client.get(f"/knowledge/topics/{topic.slug}/")
    assert topic_page.status_code == 200
    assert reverse("forum:follow", args=["topic", topic.pk]) in topic_page.text
    region_page = client.get(f"/knowledge/regions/{region.slug}/")
    assert reverse("forum:unfollow", args=["region", region.pk]) in region_page.text
    assert ">Following</button>" in region_page.text
    client.post(reverse("forum:follow", args=["topic", topic.pk]))
    assert Follow.objects.filter(member=member, topic=topic).exists()


def test_the_following_page_lists_and_unfollows_everything(client):
    member = MemberFactory()
    thread = make_thread(title="Smart meter letters")
    muted_thread = make_thread(title="Noisy thread")
    topic = taxonomy.topic()
    follow(member, thread)
    follow(member, topic)
    follow(member, thread.category)
    mute(member, muted_thread)
    client.force_login(member)
    page = client.get(reverse("forum:following"))
    assert page.status_code == 200
    assert "Smart meter letters" in page.text
    assert topic.name in page.text
    assert "Noisy thread" in page.text
    assert "Muted threads" in page.text
    assert reverse("forum:following") in client.get(reverse("members:profile_edit")).text
    client.post(reverse("forum:unfollow", args=["topic", topic.pk]), {"next": "/forum/following/"})
    assert not Follow.objects.filter(member=member, topic=topic).exists()


def test_the_following_page_turns_automatic_following_off(client):
    member = MemberFactory()
    client.force_login(member)
    client.post(reverse("forum:following_settings"), {})
    member.profile.refresh_from_db()
    assert member.profile.auto_follow_threads is False
    client.post(reverse("forum:following_settings"), {"auto_follow_threads": "on"})
    member.profile.refresh_from_db()
    assert member.profile.auto_follow_threads is True


def test_the_following_page_queries_do_not_grow_with_follows(client, django_assert_max_num_queries):
    member = MemberFactory()
    client.force_login(member)
    follow(member, make_thread())
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("forum:following"))
    for _ in range(10):
        follow(member, make_thread())
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("forum:following"))
