"""The whole loop on the real django-tasks database backend and its worker (no mocks).

Member A follows a topic; member B starts a thread in it through the page; the request only
enqueues the fan-out; the worker creates A's one notification and sends A's one email; the
email's unsubscribe link works without signing in. A thread with 1,000 followers costs the
request the same queries as one with one follower.
"""

import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from forum.models import Follow
from members.models import EmailDelivery, Notification, NotificationEmail, Profile
from tests.factories import taxonomy
from tests.factories.follows import follow
from tests.factories.forum import CategoryFactory, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    call_command("db_worker", "--batch", "--interval", "0", stdout=open("/dev/null", "w"))


def start_thread(client, category, topic, title):
    response = client.post(
        f"/forum/c/{category.slug}/new/",
        {"title": title, "body": "How did you explain the new tariff?", "topics": [topic.pk]},
    )
    assert response.status_code == 302, response.content[:500]


def test_a_follower_gets_one_notification_and_one_email_through_the_worker(database_tasks):
    topic = taxonomy.topic()
    category = CategoryFactory()
    reader = MemberFactory(email="reader@example.org")
    follow(reader, topic)
    follow(reader, category)  # two matching follows, still one notification
    author = MemberFactory()
    client = Client()
    client.force_login(author)

    start_thread(client, category, topic, "Explaining a tariff rise")
    assert Notification.objects.count() == 0  # the request only enqueued the fan-out
    fan_outs = DBTaskResult.objects.filter(task_path="forum.tasks.activity_notify")
    assert fan_outs.filter(status="READY").count() == 1

    run_worker()
    [notification] = Notification.objects.filter(recipient=reader)
    assert "Explaining a tariff rise" in notification.title
    assert notification.email_status == EmailDelivery.SENT
    [email] = mail.outbox
    assert email.to == ["reader@example.org"]
    assert Notification.objects.filter(recipient=author).count() == 0

    link = email.extra_headers["List-Unsubscribe"].strip("<>")
    path = link[link.index("/members/unsubscribe/") :]
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.get(path).status_code == 200
    assert anonymous.post(path).status_code == 200
    assert Profile.objects.get(user=reader).notification_email == NotificationEmail.NONE


def test_a_thousand_followers_cost_the_request_no_more_than_one(database_tasks):
    topic = taxonomy.topic()
    category = CategoryFactory()
    author = MemberFactory()
    client = Client()
    client.force_login(author)
    follow(MemberFactory(), topic)

    def measure(title):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            start_thread(client, category, topic, title)
            elapsed = time.perf_counter() - started
        return len(queries), elapsed

    one_count, one_time = measure("With one follower")
    followers = [MemberFactory.build(email=f"f{n}@example.org") for n in range(1000)]
    type(author).objects.bulk_create(followers)
    created = type(author).objects.filter(email__startswith="f", email__endswith="@example.org")
    Follow.objects.bulk_create([Follow(member=user, topic=topic) for user in created])
    assert Follow.objects.filter(topic=topic).count() >= 1001
    many_count, many_time = measure("With a thousand followers")
    timings = f"1 follower {one_time * 1000:.0f} ms, 1,001 followers {many_time * 1000:.0f} ms"
    # The fan-out is not in the request: 1,000 more followers add no time to speak of.
    assert many_time < max(0.2, one_time * 2), timings
    assert many_count == one_count
    assert Notification.objects.count() == 0


def test_a_failed_fan_out_leaves_nothing_half_done_and_is_retried_by_the_worker(
    database_tasks, monkeypatch
):
    from forum.services import activity

    topic = taxonomy.topic()
    readers = [MemberFactory() for _ in range(3)]
    for reader in readers:
        follow(reader, topic)
    client = Client()
    client.force_login(MemberFactory())
    real_deliver = activity._deliver
    calls = []

    def deliver_then_fail(*args, **kwargs):
        calls.append(1)
        created = real_deliver(*args, **kwargs)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return created

    monkeypatch.setattr(activity, "_deliver", deliver_then_fail)
    start_thread(client, CategoryFactory(), topic, "A thread that fans out twice")
    run_worker()
    assert Notification.objects.count() == 0  # rolled back, not half done
    retry = DBTaskResult.objects.get(task_path="forum.tasks.activity_notify", status="READY")
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    assert sorted(Notification.objects.values_list("recipient", flat=True)) == sorted(
        reader.pk for reader in readers
    )
