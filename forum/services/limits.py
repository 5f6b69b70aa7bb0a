"""Rate limits and probation rules for writing in the forum, by trust level.

Checked by the services that write (``thread_create``, ``post_reply``, ``post_edit``) inside
their transaction, after the text is rendered and before anything is saved:

- ``posting_limits_check``: how many threads or replies the member may write per hour and per
  day at their trust level, and the probation rule on links and images. A limit reached raises
  ``service_responses.RateLimited`` whose message says which limit applies and when it resets
  (forms show it as an error; JSON answers get HTTP 429 with ``Retry-After``).
- ``probation_links_check``: a member in probation (trust level 0) writes their first few posts
  without links to other sites or images; it raises ``ValidationError({"body": ...})``.

Settings (config/settings/base.py): ``FORUM_RATE_LIMITS_ENABLED`` (off in the test settings,
where factories post many times from new accounts), ``FORUM_RATE_LIMITS`` as
``{level: {"thread" | "reply": {"hour": n, "day": n}}}`` (a level, action or window missing,
or a number below 1, means no limit) and ``FORUM_PROBATION_PLAIN_POSTS``. Moderators are never
limited.

Counting uses the rows the member already wrote (``Thread``/``Post`` by author and
``created_at``, hidden ones included), so no table of attempts is needed. The member's profile
row is locked while checking, so two posts sent at once cannot both slip under a limit.
"""

import re
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forum.models import Post, Thread
from members.models import Profile, TrustLevel, User
from members.roles import is_moderator
from service_responses import RateLimited

THREAD = "thread"
REPLY = "reply"
WINDOWS = {"hour": timedelta(hours=1), "day": timedelta(days=1)}

# ``body_html`` is the sanitiser's output, so attributes are normalised and double-quoted:
# a link that leaves the site (http, https, mailto) or an image.
_OUTSIDE_LINK = re.compile(r'<a\s[^>]*href="(?:https?:|mailto:)', re.IGNORECASE)
_IMAGE = re.compile(r"<img\b", re.IGNORECASE)


def limits_enabled() -> bool:
    return getattr(settings, "FORUM_RATE_LIMITS_ENABLED", True)


def _locked_trust_level(author: User) -> int:
    """The author's trust level, reading (and locking) their profile row."""
    level = (
        Profile.objects.select_for_update()
        .filter(user_id=author.pk)
        .values_list("trust_level", flat=True)
        .first()
    )
    return TrustLevel.PROBATION if level is None else level


def _is_exempt(author: User) -> bool:
    return not limits_enabled() or is_moderator(author)


def posting_limits_check(*, author: User, action: str, body_html: str) -> None:
    """Refuse the new thread (``action`` THREAD) or reply (REPLY) if ``author`` has reached a
    rate limit of their trust level, or is in probation and ``body_html`` holds links or
    images too early. Call inside the writing service's transaction."""
    if _is_exempt(author):
        return
    level = _locked_trust_level(author)
    _rate_check(author, action, level)
    if level == TrustLevel.PROBATION:
        _links_check(author, body_html, written_before=None)


def probation_links_check(*, editor: User, post: Post, body_html: str) -> None:
    """For an edit: the probation rule on links and images when ``editor`` is the author of
    ``post``, counting only the posts they wrote before that one (their first few posts stay
    plain however they are edited)."""
    if editor.pk != post.author_id or _is_exempt(editor):
        return
    if _locked_trust_level(editor) == TrustLevel.PROBATION:
        _links_check(editor, body_html, written_before=post.created_at)


def _links_check(author: User, body_html: str, *, written_before: datetime | None) -> None:
    if not (_OUTSIDE_LINK.search(body_html) or _IMAGE.search(body_html)):
        return
    plain_posts = getattr(settings, "FORUM_PROBATION_PLAIN_POSTS", 3)
    earlier = Post.objects.filter(author_id=author.pk)
    if written_before is not None:
        earlier = earlier.filter(created_at__lt=written_before)
    if earlier.count() >= plain_posts:
        return
    message = ngettext(
        "While your account is new, your first post cannot contain links to other sites or "
        "images. Remove them, or post without them for now.",
        "While your account is new, your first %(count)s posts cannot contain links to other "
        "sites or images. Remove them, or post without them for now.",
        plain_posts,
    ) % {"count": plain_posts}
    raise ValidationError({"body": message})


def _limits_for(level: int, action: str) -> dict[str, int]:
    configured = getattr(settings, "FORUM_RATE_LIMITS", {}) or {}
    windows = (configured.get(level) or {}).get(action) or {}
    return {
        name: int(limit)
        for name, limit in windows.items()
        if name in WINDOWS and limit and limit > 0
    }


def _rate_check(author: User, action: str, level: int) -> None:
    limits = _limits_for(level, action)
    if not limits:
        return
    now = timezone.now()
    rows = Thread.objects if action == THREAD else Post.objects.filter(depth__gt=0)
    longest = max(WINDOWS[name] for name in limits)
    # The newest rows, as many as the largest limit: enough to find each window's reset.
    times = list(
        rows.filter(author_id=author.pk, created_at__gt=now - longest)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[: max(limits.values())]
    )
    reached = []
    for name, limit in limits.items():
        window = WINDOWS[name]
        in_window = [moment for moment in times if moment > now - window]
        if len(in_window) >= limit:
            # Once the limit-th newest of them leaves the window, one more is allowed.
            reached.append((in_window[limit - 1] + window, name, limit))
    if not reached:
        return
    retry_at, window_name, limit = max(reached)
    raise RateLimited(
        _rate_message(action, window_name, limit, level, retry_at, now), retry_at=retry_at
    )


def _rate_message(
    action: str, window: str, limit: int, level: int, retry_at: datetime, now: datetime
) -> str:
    """ "You can start 3 threads per hour while your account is new; you can post again at
    17:42 UTC." One whole sentence per case, so each translates as a whole."""
    new = level == TrustLevel.PROBATION
    if action == THREAD and window == "hour":
        sentence = (
            ngettext(
                "You can start %(count)s thread per hour while your account is new.",
                "You can start %(count)s threads per hour while your account is new.",
                limit,
            )
            if new
            else ngettext(
                "You can start %(count)s thread per hour at your trust level.",
                "You can start %(count)s threads per hour at your trust level.",
                limit,
            )
        )
    elif action == THREAD:
        sentence = (
            ngettext(
                "You can start %(count)s thread per day while your account is new.",
                "You can start %(count)s threads per day while your account is new.",
                limit,
            )
            if new
            else ngettext(
                "You can start %(count)s thread per day at your trust level.",
                "You can start %(count)s threads per day at your trust level.",
                limit,
            )
        )
    elif window == "hour":
        sentence = (
            ngettext(
                "You can post %(count)s reply per hour while your account is new.",
                "You can post %(count)s replies per hour while your account is new.",
                limit,
            )
            if new
            else ngettext(
                "You can post %(count)s reply per hour at your trust level.",
                "You can post %(count)s replies per hour at your trust level.",
                limit,
            )
        )
    else:
        sentence = (
            ngettext(
                "You can post %(count)s reply per day while your account is new.",
                "You can post %(count)s replies per day while your account is new.",
                limit,
            )
            if new
            else ngettext(
                "You can post %(count)s reply per day at your trust level.",
                "You can post %(count)s replies per day at your trust level.",
                limit,
            )
        )
    utc = retry_at.astimezone(UTC)
    clock = utc.strftime("%H:%M")
    if utc.date() == now.astimezone(UTC).date():
        when = _("You can post again at %(time)s UTC.") % {"time": clock}
    else:
        when = _("You can post again on %(date)s at %(time)s UTC.") % {
            "date": formats.date_format(utc, "j F"),
            "time": clock,
        }
    return f"{sentence % {'count': limit}} {when}"
