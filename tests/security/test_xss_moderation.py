"""The Following page and the moderators' pages (review queue, a post's moderation page, a
member's moderation page, the moderation log) with hostile text in every field they show:
thread titles, category/topic/region names, post bodies, display names, flag notes and
moderators' reasons. Everything is written over HTTP, as members and moderators would, so the
forms' own echo of a refused input is checked too, and no hostile input may cause a 500.
"""

import pytest
from django.urls import reverse

from forum.models import Flag, Post
from forum.services.flags import FLAG_TEXT_MAX_LENGTH, flag_create
from forum.services.moderation import REASON_MAX_LENGTH
from members.models import ModerationLog, Suspension, User
from members.services.profiles import profile_update
from taxonomy.models import Region, Topic
from tests.factories.forum import CategoryFactory, make_moderator, make_reply, make_thread
from tests.factories.members import MemberFactory
from tests.security.hostile import INPUTS, assert_no_script_capable_construct, record_surface
from tests.security.pages import all_pages

pytestmark = pytest.mark.django_db

NAMED = [text.replace("\x00", "") for text in INPUTS[::6]]  # category, topic, region names


def title_text(text: str, limit: int = 200) -> str:
    return (text.strip() or "x")[:limit]


def assert_page_safe(response, where: str, statuses=(200,)) -> str:
    assert response.status_code in statuses, f"{where}: {response.status_code}"
    html = response.content.decode()
    assert_no_script_capable_construct(html, where)
    return html


@pytest.fixture
def moderator():
    moderator = make_moderator()
    profile_update(user=moderator, display_name=title_text(INPUTS[7], 80))
    return User.objects.get(pk=moderator.pk)


@pytest.fixture
def hostile_replies(hostile_authors):
    """Per input: a thread with the input as title, and a reply with it as body by the
    member who has it as display name."""
    category = CategoryFactory(slug="hostile-moderation")
    replies = []
    for author, text in zip(hostile_authors, INPUTS, strict=True):
        thread = make_thread(category=category, title=title_text(text), body="Opening post.")
        replies.append(make_reply(thread, author=author, body=text))
    return replies


def test_the_following_page_lists_hostile_threads_categories_topics_and_regions(client):
    member = MemberFactory()
    client.force_login(member)
    threads = [make_thread(title=title_text(text), body="Plain.") for text in INPUTS]
    categories = [
        CategoryFactory(slug=f"followed-{n}", name=f"{n} {title_text(text, 90)}", description=text)
        for n, text in enumerate(NAMED)
    ]
    topics = [
        Topic.objects.create(name=f"{n} {title_text(text, 110)}", slug=f"followed-topic-{n}")
        for n, text in enumerate(NAMED)
    ]
    regions = [
        Region.objects.create(name=f"{n} {title_text(text, 110)}", slug=f"followed-region-{n}")
        for n, text in enumerate(NAMED)
    ]
    targets = [("thread", t) for t in threads[:-20]]
    targets += [("category", c) for c in categories]
    targets += [("topic", t) for t in topics] + [("region", r) for r in regions]
    for number, (kind, target) in enumerate(targets):
        url = reverse("forum:follow", args=[kind, target.pk])
        if number % 2:
            # As static/js/follow.js sends it; it shows ``message`` with textContent.
            response = client.post(url, HTTP_ACCEPT="application/json")
            assert response.status_code == 200, (kind, target.pk, response.status_code)
            assert response.json()["following"] is True
            assert str(target) in response.json()["message"]  # the name as typed: text
        else:
            # Without JavaScript: a redirect, and the message on the next page.
            response = client.post(url, {"next": reverse("forum:following")}, follow=True)
            assert_page_safe(response, f"follow {kind} {target.pk}, message page")
    for thread in threads[-20:]:
        response = client.post(reverse("forum:thread_mute", args=[thread.pk]), follow=True)
        assert_page_safe(response, f"mute {thread.pk}")
    html = assert_page_safe(client.get(reverse("forum:following")), "following page")
    for kind, target in targets:
        assert f'action="{reverse("forum:unfollow", args=[kind, target.pk])}"' in html
    for thread in threads[-20:]:
        assert f'action="{reverse("forum:thread_unmute", args=[thread.pk])}"' in html
    assert member.forum_follows.count() == len(targets) + 20
    record_surface("Following page (threads, muted threads)", len(INPUTS))
    record_surface("Following page (category, topic, region names)", 3 * len(NAMED))
    record_surface("follow message (JSON and page)", len(targets))


def test_flag_form_and_review_queue_show_hostile_posts_notes_and_names_without_script(
    client, hostile_replies, hostile_authors, moderator
):
    flagged = 0
    for number, reply in enumerate(hostile_replies):
        text = INPUTS[number]
        client.force_login(hostile_authors[(number + 1) % len(hostile_authors)])
        url = reverse("forum:post_flag", args=[reply.pk])
        assert_page_safe(client.get(url), f"flag form {reply.pk}")
        note = text[:FLAG_TEXT_MAX_LENGTH]
        response = client.post(url, {"reason": "other", "text": note})
        if response.status_code == 200:  # refused: the form again, the note echoed
            assert_page_safe(response, f"flag form echo {text!r}")
            assert not note.strip() or "\x00" in note, (text, response.content[:500])
            response = client.post(url, {"reason": "spam"})
        assert response.status_code == 302, (text, response.status_code)
        flagged += 1
    assert Flag.objects.filter(resolution="").count() == len(INPUTS)

    client.force_login(moderator)
    pages = all_pages(client, reverse("forum:review_queue"))
    for html in pages:
        assert_no_script_capable_construct(html, "review queue")
    assert sum(html.count('class="moderation-item"') for html in pages) == len(INPUTS)
    for reply in hostile_replies:
        response = client.get(reverse("forum:post_moderate", args=[reply.pk]))
        assert_page_safe(response, f"post moderation page {reply.pk}")
    record_surface("flag form (note echo)", flagged)
    record_surface("review queue (post body, thread title, author, flag note)", len(INPUTS))
    record_surface("post moderation page (post, flags, author history)", len(INPUTS))


def test_moderators_hostile_reasons_on_the_moderation_log_and_member_pages(
    client, hostile_replies, hostile_authors, moderator
):
    flagger = MemberFactory()
    for reply in hostile_replies[::2]:
        flag_create(flagger=flagger, post=reply, reason="spam")
    client.force_login(moderator)
    actions = ("hide", "agree", "disagree", "defer")
    acted = 0
    for number, reply in enumerate(hostile_replies):
        reason = INPUTS[number][:REASON_MAX_LENGTH]
        action = "hide" if number % 2 else actions[(number // 2) % 4]
        response = client.post(
            reverse("forum:post_moderate", args=[reply.pk]),
            {"action": action, "reason": reason, "next": reverse("forum:review_queue")},
        )
        if response.status_code == 200:  # the form again with the reason echoed
            assert_page_safe(response, f"post moderation echo {reason!r}")
            assert not reason.strip() or "\x00" in reason, (reason, response.content[:500])
            continue
        assert response.status_code == 302, (action, reason, response.status_code)
        acted += 1
        state = client.post(
            reverse("forum:thread_state", args=[reply.thread_id]),
            {"action": "lock", "reason": reason},
        )
        assert state.status_code in (302, 400), (reason, state.status_code)
    assert acted >= len(INPUTS) - 10
    assert Post.objects.filter(pk__in=[r.pk for r in hostile_replies], is_hidden=True).exists()

    suspended = 0
    for author, text in zip(hostile_authors, INPUTS, strict=True):
        url = reverse("forum:member_moderate", args=[author.pk])
        reason = text[:REASON_MAX_LENGTH]
        response = client.post(url, {"action": "suspend", "reason": reason, "days": "3"})
        if response.status_code == 200:
            assert_page_safe(response, f"suspend form echo {reason!r}")
        else:
            assert response.status_code == 302, (reason, response.status_code)
            suspended += 1
            lifted = client.post(url, {"action": "lift", "reason": reason})
            assert lifted.status_code in (302, 400), (reason, lifted.status_code)
            client.post(url, {"action": "suspend", "reason": reason, "days": "3"})
        assert_page_safe(client.get(url), f"member moderation page {author.pk}")
    assert suspended >= len(INPUTS) - 10
    assert Suspension.objects.filter(user__in=hostile_authors).count() >= 2 * suspended

    assert ModerationLog.objects.count() >= acted + 2 * suspended
    pages = all_pages(client, reverse("forum:moderation_log"))
    for html in pages:
        assert_no_script_capable_construct(html, "moderation log")
    for text in INPUTS[::3]:
        for name in ("actor", "action", "target_type", "target"):
            response = client.get(reverse("forum:moderation_log"), {name: text})
            assert_page_safe(response, f"moderation log ?{name}={text!r}")
    record_surface("post moderation reasons (form echo, moderation log)", len(INPUTS))
    record_surface("thread lock reasons (moderation log)", acted)
    record_surface("suspension reasons (member moderation page, log)", len(INPUTS))
    record_surface("moderation log filters (query echo)", 4 * len(INPUTS[::3]))


def test_reasons_with_nul_and_control_characters_never_break_the_forms_without_a_django_form(
    client, moderator
):
    # thread_state and the lift action read ``reason`` straight from the POST (no form
    # refuses NUL there); PostgreSQL cannot store NUL, so it must never reach the database.
    reasons = [text for text in INPUTS if any(ord(ch) < 32 and ch not in "\t\n" for ch in text)]
    reasons += ["reason \x00 with NUL", "\x00", "bell \x07 and escape \x1b"]
    client.force_login(moderator)
    for number, reason in enumerate(reasons):
        thread = make_thread(title=f"Thread {number}", body="Plain.")
        response = client.post(
            reverse("forum:thread_state", args=[thread.pk]), {"action": "lock", "reason": reason}
        )
        assert response.status_code == 302, (reason, response.status_code)
        member = MemberFactory()
        url = reverse("forum:member_moderate", args=[member.pk])
        suspended = client.post(url, {"action": "suspend", "reason": "Spam", "days": "2"})
        assert suspended.status_code == 302
        lifted = client.post(url, {"action": "lift", "reason": reason})
        assert lifted.status_code == 302, (reason, lifted.status_code)
        assert_page_safe(client.get(url), f"member page after lift {reason!r}")
    logged = ModerationLog.objects.filter(action__in=["thread_lock", "member_suspension_lift"])
    assert logged.count() == 2 * len(reasons)
    for entry in logged:
        assert not any(ord(ch) < 32 and ch not in "\t\n" for ch in entry.reason), entry.reason
    assert_page_safe(client.get(reverse("forum:moderation_log")), "moderation log")
    record_surface("lock and lift reasons with control characters", len(reasons))


def test_flag_resolved_notifications_with_hostile_thread_titles_in_the_feed_and_email(
    client, hostile_replies, moderator, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    from forum.services.flags import flag_resolve

    settings.NOTIFICATION_EMAIL_BATCH_MINUTES = 0
    flagger = MemberFactory()
    for reply in hostile_replies:
        flag_create(flagger=flagger, post=reply, reason="spam")
    mail.outbox.clear()
    resolutions = list(Flag.Resolution.values)
    for number, reply in enumerate(hostile_replies):
        with django_capture_on_commit_callbacks(execute=True):
            flag_resolve(
                moderator=moderator, post=reply, resolution=resolutions[number % len(resolutions)]
            )
    assert flagger.notifications.filter(kind="forum.flag_resolved").count() == len(INPUTS)
    client.force_login(flagger)
    pages = all_pages(client, reverse("members:notifications"))
    for html in pages:
        assert_no_script_capable_construct(html, "notification feed (flag resolved)")
    assert sum(html.count("was reviewed") for html in pages) >= len(INPUTS)
    emails = [message for message in mail.outbox if flagger.email in message.to]
    assert emails
    for message in emails:
        assert "\n" not in message.subject
        assert "\r" not in message.subject
        for content, _type in getattr(message, "alternatives", []):
            assert_no_script_capable_construct(content, "flag-resolved email (HTML)")
    record_surface("flag-resolved notifications (feed pages, emails)", len(INPUTS))
