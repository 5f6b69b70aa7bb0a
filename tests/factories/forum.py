"""Forum factories. Threads and replies are made through the services, so counters are real.

``MemberFactory`` (from the members factories) makes a PCC member; ``GuestFactory`` and
``ModeratorFactory`` here make the other roles the forum distinguishes.
"""

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from forum.models import Category, Post, Thread
from forum.services.posts import post_reply
from forum.services.threads import thread_create
from members import roles as member_roles
from members.models import SpecialistGroup, User
from members.roles import forget_cached_roles
from tests.factories.members import MemberFactory


def _roles(default: tuple[str, ...]) -> factory.PostGeneration:
    """Put the user in ``default``'s role groups, or in ``roles=[...]`` when given."""

    def add_roles(obj, create, extracted, **kwargs):
        if create:
            names = default if extracted is None else extracted
            obj.groups.add(*[Group.objects.get_or_create(name=name)[0] for name in names])
            forget_cached_roles(obj)

    return factory.PostGeneration(add_roles)


class GuestFactory(MemberFactory):
    """A member of another specialist group: reads members-only content, posts only where
    guests may, never votes."""

    roles = _roles((member_roles.GUEST,))
    profile__specialist_group = SpecialistGroup.OTHER


class ModeratorFactory(MemberFactory):
    roles = _roles((member_roles.MEMBER, member_roles.MODERATOR))


class CategoryFactory(DjangoModelFactory[Category]):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    description = "A place to talk."
    visibility = Category.Visibility.PUBLIC
    mode = Category.Mode.DISCUSSION


def make_thread(
    *,
    category: Category | None = None,
    author: User | None = None,
    title: str = "How do we explain a tariff rise?",
    body: str = "Our board approved a 12% rise. How have others explained theirs?",
    **kwargs,
) -> Thread:
    """A thread started through ``thread_create`` (a member author and public category
    unless given)."""
    return thread_create(
        author=author or MemberFactory(),
        category=category or CategoryFactory(),
        title=title,
        body=body,
        **kwargs,
    )


def make_question(**kwargs) -> Thread:
    kwargs.setdefault("category", CategoryFactory(mode=Category.Mode.QUESTIONS))
    kwargs.setdefault("title", "Which channel works best for boil-water notices?")
    return make_thread(**kwargs)


_reply_counter = iter(range(10**9))


def make_reply(
    thread: Thread,
    *,
    parent: Post | None = None,
    author: User | None = None,
    body: str | None = None,
) -> Post:
    """A reply made through ``post_reply``; bodies differ so duplicates are never collapsed."""
    return post_reply(
        author=author or MemberFactory(),
        thread=thread,
        parent=parent,
        body=body or f"Reply number {next(_reply_counter)}: we used SMS and it worked.",
    )


MODERATOR_TOTP_SECRET = "PCCMODERATORTESTONLYPCCMODERATOR"


def make_moderator(*, mfa: bool = True, **kwargs) -> User:
    """A moderator; with an authenticator app (TOTP) unless ``mfa=False``, since moderator
    tools require two-factor authentication."""
    moderator = ModeratorFactory(**kwargs)
    if mfa:
        from allauth.mfa.totp.internal.auth import TOTP

        TOTP.activate(moderator, MODERATOR_TOTP_SECRET)
    return User.objects.get(pk=moderator.pk)
