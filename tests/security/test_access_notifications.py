"""Members-only and group-only content reaches members by notification only where they may
read it (issue 15, item 2): the in-app feed, immediate emails and daily and weekly digests.

Every recipient follows the same public topic and region and is mentioned by name in every
post, so each one is asked for everything; what arrives must be what the recipient may read.
A member who followed the group's category and was then removed from the group is one of
them. Each visibility has a marker word; the public one must reach everybody, so the test
also proves that delivery works.
"""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command

from forum.models import Category
from members.models import EmailDelivery, Notification, NotificationEmail, Profile
from tests.factories import taxonomy
from tests.factories.follows import follow
from tests.factories.forum import (
    CategoryFactory,
    GuestFactory,
    MemberFactory,
    ModeratorFactory,
    make_reply,
    make_thread,
)
from tests.security import summary

pytestmark = pytest.mark.django_db

PUBLIC_MARKER = "okapitwelve"
MEMBERS_MARKER = "quokkaeleven"
GROUP_MARKER = "axolotlthirteen"

READERS = {
    PUBLIC_MARKER: {"member", "guest", "group_member", "former_group_member", "moderator"},
    MEMBERS_MARKER: {"member", "guest", "group_member", "former_group_member", "moderator"},
    GROUP_MARKER: {"group_member", "moderator"},
}


def recipients(group: Group) -> dict[str, object]:
    people = {
        "member": MemberFactory(display_name="Mara Member"),
        "guest": GuestFactory(display_name="Gil Guest"),
        "group_member": MemberFactory(display_name="Greta Group"),
        "former_group_member": MemberFactory(display_name="Fred Former"),
        "moderator": ModeratorFactory(display_name="Mo Moderator"),
    }
    people["group_member"].groups.add(group)
    people["former_group_member"].groups.add(group)
    return people


def mentions(people) -> str:
    return " ".join("@" + user.public_name.replace(" ", "-") for user in people.values())


def received(user) -> str:
    """Everything ``user`` was told: feed entries and every email part and header."""
    parts = [
        f"{n.title}\n{n.body}\n{n.group_title}" for n in Notification.objects.filter(recipient=user)
    ]
    return "\n".join([*parts, emailed(user)])


def emailed(user) -> str:
    """Every part and header of every email sent to ``user``."""
    parts = []
    for message in mail.outbox:
        if user.email in message.to:
            parts += [message.subject, message.body]
            parts += [content for content, _type in getattr(message, "alternatives", [])]
            parts += [f"{key}: {value}" for key, value in message.extra_headers.items()]
    return "\n".join(parts)


@pytest.mark.parametrize("delivery", ["immediate", "daily", "weekly"])
def test_notifications_emails_and_digests_carry_only_what_each_recipient_may_read(
    settings, django_capture_on_commit_callbacks, delivery
):
    settings.NOTIFICATION_EMAIL_BATCH_MINUTES = 0
    group = Group.objects.create(name="Board")
    public = CategoryFactory()
    members_only = CategoryFactory(visibility=Category.Visibility.MEMBERS)
    group_only = CategoryFactory(restricted_to_group=group)
    topic, region = taxonomy.topic(), taxonomy.region()
    people = recipients(group)
    for user in people.values():
        Profile.objects.filter(user=user).update(notification_email=delivery)
        follow(user, topic)
        follow(user, region)
    for who in ("group_member", "former_group_member"):
        follow(people[who], group_only)
    people["former_group_member"].groups.remove(group)
    author = ModeratorFactory(display_name="Ada Author")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        for category, marker in (
            (public, PUBLIC_MARKER),
            (members_only, MEMBERS_MARKER),
            (group_only, GROUP_MARKER),
        ):
            thread = make_thread(
                category=category,
                author=author,
                title=f"Tariff letters {marker}",
                body=f"Our {marker} draft, for {mentions(people)}.",
                topics=[topic],
                regions=[region],
            )
            make_reply(thread, author=author, body=f"More on {marker} for {mentions(people)}.")
    if delivery != NotificationEmail.IMMEDIATE:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_digests", delivery, stdout=StringIO())

    problems, checks = [], 0
    for role, user in people.items():
        text = received(user)
        assert any(user.email in message.to for message in mail.outbox), f"{role} got no email"
        for marker, readers in READERS.items():
            checks += 1
            if role in readers and marker not in text:
                problems.append(f"{role} ({delivery}) was not told of the {marker} thread")
            if role not in readers and marker in text:
                problems.append(f"{role} ({delivery}) was told of the {marker} thread")
    summary.add(f"notification access: recipient x visibility ({delivery})", checks)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("delivery", ["daily", "weekly"])
def test_a_member_removed_from_the_group_after_being_notified_is_not_told_later(
    client, django_capture_on_commit_callbacks, delivery
):
    group = Group.objects.create(name="Board")
    group_only, public = CategoryFactory(restricted_to_group=group), CategoryFactory()
    topic = taxonomy.topic()
    leaver = MemberFactory(display_name="Lee Leaver")
    leaver.groups.add(group)
    Profile.objects.filter(user=leaver).update(notification_email=delivery)
    follow(leaver, topic)
    with django_capture_on_commit_callbacks(execute=True):
        for category, marker in ((group_only, GROUP_MARKER), (public, PUBLIC_MARKER)):
            make_thread(
                category=category,
                author=ModeratorFactory(),
                title=f"Board papers {marker}",
                topics=[topic],
            )
    assert Notification.objects.filter(recipient=leaver).count() == 2
    leaver.groups.remove(group)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", delivery, stdout=StringIO())

    assert len(mail.outbox) == 1  # the digest, still sent for the public thread
    told = emailed(leaver)
    assert PUBLIC_MARKER in told
    assert GROUP_MARKER not in told
    client.force_login(leaver)
    feed = client.get("/members/notifications/").content.decode()
    assert PUBLIC_MARKER in feed
    assert GROUP_MARKER not in feed
    summary.add(f"notification access: access lost before the {delivery} digest and feed", 4)


def test_an_email_held_for_a_member_who_has_since_lost_access_is_not_sent():
    from members.services.notifications import notification_create, notification_email_deliver

    group = Group.objects.create(name="Board")
    thread = make_thread(
        category=CategoryFactory(restricted_to_group=group),
        author=ModeratorFactory(),
        title=f"Board papers {GROUP_MARKER}",
    )
    leaver = MemberFactory()
    leaver.groups.add(group)
    notification = notification_create(
        recipient=leaver,
        kind="forum.new_thread",
        title=f"New thread “Board papers {GROUP_MARKER}”",
        url=thread.get_absolute_url(),
        group_key=f"forum.thread:{thread.pk}",
        group_title=thread.title,
    )
    leaver.groups.remove(group)
    assert notification_email_deliver(notification_id=notification.pk) == "cancelled"
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.email_status == EmailDelivery.NOT_WANTED
    summary.add("notification access: held email after access lost", 1)
