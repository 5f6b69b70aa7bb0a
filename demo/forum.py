"""Demo forum content for ``seed_demo``: categories, threads, nested replies, votes, answers.

The content is in ``demo/data/forum/*.yaml``, checked on load (``demo.forum_data``).
Idempotent: categories are matched by slug and threads by title, so running it again adds
nothing. Content is written through the services (so counters, paths, mentions and signals
are real); afterwards the timestamps are spread over the past weeks so the lists look lived
in. That backdating is the only direct write, and only demo data is touched.
"""

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from demo.forum_data import load_forum_demo_data
from forum.models import Category, Post, Thread
from forum.permissions import can_post_in_category
from forum.services.answers import answer_accept
from forum.services.posts import post_reply
from forum.services.threads import thread_create
from forum.services.votes import post_vote
from members.models import NotificationEmail, Profile, TrustLevel, User
from members.roles import forget_cached_roles, is_guest, is_member
from members.services.profiles import profile_update
from members.services.roles import user_roles_set
from taxonomy.models import Region, Topic

DEMO_EMAIL_DOMAIN = "forum.demo.pcc-hub.test"


def seed_demo_forum() -> dict[str, int]:
    """Create the demo forum; return how many categories and threads it now has."""
    data = load_forum_demo_data()
    authors = _demo_authors(data.authors)
    categories = _demo_categories(data.categories)
    topics = {t.slug: t for t in Topic.objects.all()}
    regions = {r.slug: r for r in Region.objects.all()}
    voters = [user for user in authors.values() if is_member(user)]

    def start(spec: dict, author: User, body: str) -> Thread | None:
        labels = ([topics[s] for s in spec["topics"]], [regions[s] for s in spec["regions"]])
        return _start(categories[spec["category"]], spec["title"], author, body, labels)

    for index, spec in enumerate(data.threads):
        author = authors[spec["author"]]
        thread = start(spec, author, spec["body"])
        if thread is None:
            continue
        accepted = _reply_tree(thread, None, spec.get("replies", []), authors)
        _votes(thread, voters, seed=index)
        if accepted is not None:
            answer_accept(user=author, answer=accepted)
        _backdate(thread, spec["days_ago"])

    reply_pool = data.long_threads["reply_pool"]
    for index, spec in enumerate(data.long_threads["threads"]):
        thread = start(spec, authors[spec["author"]], spec["body"])
        if thread is None:
            continue
        _long_replies(thread, spec["post_count"], authors, reply_pool, seed=index)
        _votes(thread, voters, seed=100 + index)
        _backdate(thread, spec["days_ago"], step_hours=3)

    for index, spec in enumerate(data.extra_threads["threads"]):
        thread = start(spec, authors[spec["author"]], data.extra_threads["body"])
        if thread is None:
            continue
        if index % 2 == 0:
            helper = voters[index % len(voters)]
            if helper.pk != thread.author_id:
                post_reply(author=helper, thread=thread, body=data.extra_threads["helper_reply"])
        _backdate(thread, spec["days_ago"])

    for spec in data.login_threads:
        # The demo logins come from demo.members; without them (or their role) skip the thread.
        login = User.objects.filter(email=spec["login"]).first()
        if login is None or not can_post_in_category(login, categories[spec["category"]]):
            continue
        thread = start(spec, login, spec["body"])
        if thread is None:
            continue
        accepted = _reply_tree(thread, None, spec.get("replies", []), authors)
        if accepted is not None:
            answer_accept(user=login, answer=accepted)
        _backdate(thread, spec["days_ago"])

    _refresh_category_activity(categories.values())
    return {
        "categories": len(categories),
        "threads": Thread.objects.filter(category__in=categories.values()).count(),
    }


def _demo_authors(entries: list[dict]) -> dict[str, User]:
    """Illustrative people who cannot sign in (unusable passwords), with roles and profiles."""
    return {
        entry["key"]: demo_person(
            email=f"{entry['key']}@{DEMO_EMAIL_DOMAIN}",
            name=entry["name"],
            organisation=entry["organisation"],
            roles=set(entry["roles"]),
            note="Forum demo",
        )
        for entry in entries
    }


def demo_person(*, email: str, name: str, organisation: str, roles: set[str], note: str) -> User:
    """An illustrative person with a verified address who cannot sign in (unusable password),
    holding exactly ``roles`` (``note`` goes in the role audit). Created with a profile the
    first time; later calls only set the roles again."""
    user, created = User.objects.get_or_create(email=email, defaults={"display_name": name})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        profile_update(
            user=user,
            display_name=name,
            organisation=organisation,
            notification_email=NotificationEmail.NONE,
        )
    # Established members: new accounts' rate limits would stop the seeding.
    Profile.objects.filter(user=user).update(trust_level=TrustLevel.REGULAR)
    user_roles_set(user=user, roles_wanted=roles, actor=None, note=note)
    forget_cached_roles(user)
    return user


def _demo_categories(entries: list[dict]) -> dict[str, Category]:
    categories = {}
    for entry in entries:
        defaults = {key: value for key, value in entry.items() if key != "slug"}
        category, _ = Category.objects.get_or_create(slug=entry["slug"], defaults=defaults)
        categories[entry["slug"]] = category
    return categories


def _start(category, title, author, body, labels) -> Thread | None:
    if Thread.objects.filter(category=category, title=title).exists():
        return None
    topics, regions = labels
    return thread_create(
        author=author, category=category, title=title, body=body, topics=topics, regions=regions
    )


def _reply_tree(thread: Thread, parent: Post | None, replies, authors) -> Post | None:
    """Write nested replies; return the first reply marked ``accepted``, if any."""
    accepted = None
    for reply in replies:
        post = post_reply(
            author=authors[reply["author"]], thread=thread, parent=parent, body=reply["body"]
        )
        if reply.get("accepted"):
            accepted = post
        child_accepted = _reply_tree(thread, post, reply.get("replies", []), authors)
        accepted = accepted or child_accepted
    return accepted


def _long_replies(
    thread: Thread, length: int, authors: dict[str, User], pool: list[str], *, seed: int
) -> None:
    """A long conversation of ``length`` posts (the opening one included), texts taken from
    ``pool`` in turn: new answers to the thread, chains of replies, side branches."""
    rng = random.Random(seed)
    writers = [
        user
        for user in authors.values()
        if is_member(user) or (is_guest(user) and thread.category.guests_can_post)
    ]
    posts: list[Post] = []
    for index in range(length - 1):
        roll = rng.random()
        if not posts or roll < 0.25:
            parent = None
        elif roll < 0.75:
            parent = posts[-1]
        else:
            parent = rng.choice(posts[-6:])
        text = pool[index % len(pool)]
        author = writers[(index * 7 + seed) % len(writers)]
        if parent is not None and parent.author_id == author.pk:
            author = writers[(index * 7 + seed + 1) % len(writers)]
        posts.append(post_reply(author=author, thread=thread, parent=parent, body=text))


def _votes(thread: Thread, voters: list[User], *, seed: int) -> None:
    """A few up-votes: answers earlier in the list and the opening post get more."""
    rng = random.Random(seed)
    for post in Post.objects.filter(thread=thread).order_by("position")[:12]:
        eligible = [v for v in voters if v.pk != post.author_id]
        for voter in rng.sample(eligible, k=rng.randint(0, min(4, len(eligible)))):
            post_vote(voter=voter, post=post)


def _backdate(thread: Thread, days_ago: int, *, step_hours: int = 7) -> None:
    """Spread the thread's posts from ``days_ago`` days ago, ``step_hours`` apart."""
    now = timezone.now()
    start = now - timedelta(days=days_ago, hours=3)
    moment = start
    for post in Post.objects.filter(thread=thread).order_by("position"):
        Post.objects.filter(pk=post.pk).update(created_at=moment)
        last = moment
        moment = min(moment + timedelta(hours=step_hours), now - timedelta(minutes=5))
    Thread.objects.filter(pk=thread.pk).update(created_at=start, last_activity_at=last)


def _refresh_category_activity(categories) -> None:
    """After backdating, point each category's last activity at its newest thread."""
    for category in categories:
        newest = (
            Thread.objects.filter(category=category)
            .order_by("-last_activity_at")
            .values("last_activity_at", "last_post_id")
            .first()
        )
        if newest is None:
            continue
        Category.objects.filter(pk=category.pk).update(
            last_activity_at=newest["last_activity_at"], last_post_id=newest["last_post_id"]
        )
