"""Forum factories. Threads and replies are made through the services, so counters are real."""

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from forum.models import Category, Post, Thread
from forum.services.posts import post_reply
from forum.services.threads import thread_create
from members import roles as member_roles
from members.models import User
from tests.factories.members import UserFactory


def _add_role(user: User, role: str) -> None:
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    # members.roles caches a user's roles on the instance; forget them.
    user.__dict__.pop("_pcc_role_names", None)


def _roles(default: tuple[str, ...]) -> factory.PostGeneration:
    """Put the user in ``default``'s groups, or in ``roles=[...]`` when given."""

    def add_roles(obj, create, extracted, **kwargs):
        if create:
            for role in extracted if extracted is not None else default:
                _add_role(obj, role)

    return factory.PostGeneration(add_roles)


class MemberFactory(UserFactory):
    roles = _roles((member_roles.MEMBER,))


class GuestFactory(UserFactory):
    roles = _roles((member_roles.GUEST,))


class ModeratorFactory(UserFactory):
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
