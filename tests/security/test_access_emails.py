"""No member's email address reaches anyone else (issue 15, item 2).

Each member of ``access_world`` has an address of their own. Every role crawls the main pages,
every profile, the member directory (all its pages), the thread pages, the search API, the
feeds, the sitemap and the data export of its own account; no answer may hold another member's
address. Notification emails and digests sent to one member never hold another's address.
"""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from members.models import NotificationEmail, Profile, User
from tests.factories.follows import follow
from tests.factories.forum import make_reply
from tests.security import summary
from tests.security.access_world import ROLES, build_world
from tests.security.pages import all_pages

pytestmark = pytest.mark.django_db


def world_emails() -> dict[int, str]:
    return dict(User.objects.values_list("pk", "email"))


def others(emails: dict[int, str], user) -> list[str]:
    return [email for pk, email in emails.items() if user is None or pk != user.pk]


def pages_for(world) -> list[str]:
    w = world
    urls = ["/", "/knowledge/", "/forum/", "/search/", "/search/?q=tariff", "/sitemap.xml"]
    urls += [
        f"/forum/c/{c.slug}/" for c in (w.public_category, w.members_category, w.group_category)
    ]
    urls += [
        t.get_absolute_url()
        for t in (w.public_thread, w.members_thread, w.group_thread, w.question)
    ]
    urls += [f"/members/{pk}/" for pk in User.objects.values_list("pk", flat=True)]
    urls += ["/members/notifications/", "/forum/following/", "/members/privacy/", "/contribute/"]
    urls += [
        "/api/search/",
        "/api/search/?q=tariff",
        f"/api/search/related/forum.thread:{w.public_thread.pk}/",
    ]
    urls += [f"/forum/feeds/c/{w.public_category.slug}/", f"/forum/feeds/t/{w.public_thread.pk}/"]
    urls += [
        f"/forum/feeds/topics/{w.members_topic.slug}/",
        f"/forum/feeds/regions/{w.members_region.slug}/",
    ]
    return urls


def test_no_role_sees_another_members_email_address_on_any_page_feed_api_or_export():
    world = build_world()
    emails = world_emails()
    assert len(set(emails.values())) == len(emails) >= 9
    problems, checks = [], 0
    for role in ROLES:
        user = world.users[role]
        client = world.client(role)
        forbidden = others(emails, user)
        bodies = []
        for url in pages_for(world):
            response = client.get(url, follow=True)
            if response.status_code == 200:
                bodies.append((url, response.content.decode()))
        if user is not None:
            bodies += [("/members/", html) for html in all_pages(client, "/members/")]
            export = client.post("/members/privacy/export/")
            assert export.status_code == 200, (role, export.status_code)
            content = b"".join(export.streaming_content) if export.streaming else export.content
            text = content.decode(errors="replace")
            assert user.email in text, f"{role}: the export lacks the member's own address"
            bodies.append(("/members/privacy/export/", text))
        for url, body in bodies:
            problems += [f"{role} {url} shows {email}" for email in forbidden if email in body]
            checks += 1
    summary.add("email privacy: role x page/feed/API/export responses", checks)
    assert not problems, "\n".join(problems)


def test_notification_emails_and_digests_never_hold_another_members_address(
    settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_EMAIL_BATCH_MINUTES = 0
    with django_capture_on_commit_callbacks(execute=True):
        world = build_world()
    owner, member = world.users["owner"], world.users["member"]
    Profile.objects.filter(user=owner).update(notification_email=NotificationEmail.IMMEDIATE)
    Profile.objects.filter(user=member).update(notification_email=NotificationEmail.DAILY)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(world.public_thread, author=world.other_member, body="Otto's reply.")
    follow(member, world.public_thread)
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(world.public_thread, author=world.users["moderator"], body="Mo's reply.")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", "daily", stdout=StringIO())
    emails = world_emails()
    recipients = {tuple(m.to) for m in mail.outbox}
    assert (owner.email,) in recipients, recipients
    assert (member.email,) in recipients, recipients
    problems = []
    for message in mail.outbox:
        (to,) = message.to
        user = User.objects.get(email=to)
        parts = [message.subject, message.body]
        parts += [content for content, _type in getattr(message, "alternatives", [])]
        parts += [f"{k}: {v}" for k, v in message.extra_headers.items()]
        text = "\n".join(parts)
        problems += [f"mail to {to} holds {e}" for e in others(emails, user) if e in text]
    summary.add("email privacy: notification emails and digests", len(mail.outbox))
    assert not problems, "\n".join(problems)
