"""Template helpers for the header and member displays: ``{% load members_tags %}``."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from members import roles
from members.adapters import held_back_by_welcome_step
from members.models import FORMER_MEMBER_NAME
from members.selectors import notification_unread_count

register = template.Library()


@register.simple_tag
def unread_notification_count(user) -> int:
    """One COUNT query per page for a signed-in member; 0 for visitors."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return notification_unread_count(user=user)


@register.simple_tag
def former_member_name() -> str:
    """What a deleted account is called (``members.models.FORMER_MEMBER_NAME``)."""
    return str(FORMER_MEMBER_NAME)


@register.simple_tag
def author_name(user) -> SafeString:
    """The name under which ``user`` appears as an author: their public name, or
    "Former member" when the account is gone (``None``). ``{% author_name user as name %}``
    captures it for a ``{% blocktranslate %}`` sentence."""
    if user is None:
        return format_html(
            '<span class="author-name author-name--gone">{}</span>', FORMER_MEMBER_NAME
        )
    return format_html('<span class="author-name">{}</span>', user.public_name)


@register.filter
def can_use_wagtail_admin(user) -> bool:
    return roles.is_editor(user)


@register.filter
def can_read_members_content(user) -> bool:
    return roles.can_read_members_content(user)


@register.filter
def is_moderator(user) -> bool:
    """For links to the moderator screens (no query: roles are cached per request)."""
    return roles.is_moderator(user)


@register.inclusion_tag("members/includes/avatar.html")
def member_avatar(profile, size: int = 48):
    """The member's picture, or their initials on a coloured disc when there is none.

    Pass a ``Profile`` whose ``user`` is joined (``select_related("user")``): no queries.
    """
    name = profile.user.public_name if profile is not None else ""
    initials = "".join(part[0] for part in name.split()[:2]).upper() or "?"
    return {
        "url": profile.avatar.url if profile is not None and profile.avatar else "",
        "initials": initials,
        "name": name,
        "size": size,
        "tone": (profile.user_id or 0) % 6 if profile is not None else 0,
    }


@register.simple_tag
def sign_in_providers_configured() -> bool:
    """Whether an OpenID Connect provider is configured (settings only; off by default)."""
    from django.conf import settings

    return bool(getattr(settings, "SOCIALACCOUNT_PROVIDERS", {}))


@register.inclusion_tag("members/includes/welcome_step_link.html", takes_context=True)
def welcome_step_link(context, inline: bool = False) -> dict:
    """A link to the welcome step, returning to this page afterwards, for a signed-in account
    that the step holds back (``members.adapters.held_back_by_welcome_step``); nothing for
    anyone else. Put it beside the refusal it explains; ``inline`` renders the bare link, for
    the end of a sentence."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "show": user is not None and held_back_by_welcome_step(user),
        "next": request.get_full_path() if request is not None else "",
        "inline": inline,
    }
