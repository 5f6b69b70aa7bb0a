"""Follows, made through ``forum.services.follows`` so the same rules apply as in the app."""

from forum.models import Follow
from forum.services.follows import follow_create, thread_mute
from members.models import User


def follow(member: User, target) -> Follow:
    """``member`` follows ``target`` (a Thread, Category, Topic or Region)."""
    kind = type(target).__name__.lower()
    return follow_create(member=member, target_kind=kind, target=target)


def mute(member: User, thread) -> Follow:
    return thread_mute(member=member, thread=thread)
