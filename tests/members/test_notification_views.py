import pytest
from django.test import Client

from members.models import Notification
from members.services.notifications import notification_create
from tests.factories.members import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    user = MemberFactory()
    client.force_login(user)
    return user


def notify(recipient, title="Someone replied", **kwargs):
    return notification_create(
        recipient=recipient, kind="forum.reply", title=title, url="/forum/t/1/", **kwargs
    )


def test_a_notification_created_by_the_service_shows_in_the_feed_and_the_header(client, member):
    notify(member, title="Ana answered your question", actor=MemberFactory(display_name="Ana"))
    page = client.get("/members/notifications/").content.decode()
    assert "Ana answered your question" in page
    assert "data-unread-count>1<" in page
    assert "> unread notification</span>" in page


def test_the_feed_is_private(client, member):
    notify(MemberFactory(), title="Not yours")
    assert "Not yours" not in client.get("/members/notifications/").content.decode()
    anonymous = Client()
    response = anonymous.get("/members/notifications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_mark_one_read(client, member):
    notification = notify(member)
    response = client.post(f"/members/notifications/{notification.pk}/read/")
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.is_read
    assert "data-unread-count" not in client.get("/members/notifications/").content.decode()


def test_mark_read_is_post_only(client, member):
    notification = notify(member)
    assert client.get(f"/members/notifications/{notification.pk}/read/").status_code == 405
    assert client.get("/members/notifications/read-all/").status_code == 405
    notification.refresh_from_db()
    assert not notification.is_read


def test_mark_read_needs_the_csrf_token(member):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(member)
    notification = notify(member)
    assert csrf_client.post(f"/members/notifications/{notification.pk}/read/").status_code == 403
    assert csrf_client.post("/members/notifications/read-all/").status_code == 403
    notification.refresh_from_db()
    assert not notification.is_read


def test_someone_elses_notification_cannot_be_marked(client, member):
    other = notify(MemberFactory())
    assert client.post(f"/members/notifications/{other.pk}/read/").status_code == 404
    other.refresh_from_db()
    assert not other.is_read


def test_mark_all_read(client, member):
    for index in range(3):
        notify(member, title=f"n{index}")
    response = client.post("/members/notifications/read-all/")
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=member, read_at__isnull=True).count() == 0


def test_mark_read_redirects_only_to_local_pages(client, member):
    notification = notify(member)
    response = client.post(
        f"/members/notifications/{notification.pk}/read/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/members/notifications/"


@pytest.mark.parametrize("count", [1, 25])
def test_the_feed_query_count_does_not_grow_with_its_length(
    client, member, count, django_assert_num_queries
):
    actor = MemberFactory()
    for index in range(count):
        notify(member, title=f"item {index}", actor=actor)
    # session, user, the feed's distinct group keys (members.notification_access), paginator
    # count, unread badge, roles (menu), one page of items with actors
    with django_assert_num_queries(7):
        response = client.get("/members/notifications/")
    assert response.status_code == 200
    assert len(response.context["notifications"]) == count


def notify_grouped(member, title, key, group_title):
    return notification_create(
        recipient=member, kind="forum.reply", title=title, group_key=key, group_title=group_title
    )


def test_the_feed_groups_a_threads_notifications_under_its_title(client):
    member = MemberFactory()
    notify_grouped(member, "Reply one", "forum.thread:1", "Tariff letters")
    notify_grouped(member, "Unrelated", "", "")
    notify_grouped(member, "Reply two", "forum.thread:1", "Tariff letters")
    client.force_login(member)
    page = client.get("/members/notifications/").text
    assert page.count("Tariff letters</h2>") == 1
    assert page.index("Tariff letters</h2>") < page.index("Reply two") < page.index("Reply one")
    assert page.index("Reply one") < page.index("Unrelated")
