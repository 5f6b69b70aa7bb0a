"""Demo forum content for ``seed_demo``: categories, threads, nested replies, votes, answers.

Idempotent: categories are matched by slug and threads by title, so running it again adds
nothing. Content is written through the services (so counters, paths, mentions and signals
are real); afterwards the timestamps are spread over the past weeks so the lists look lived
in. That backdating is the only direct write, and only demo data is touched.
"""

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from forum.demo_content import (
    ACCEPTED,
    AUTHORS,
    CATEGORIES,
    EXTRA_BODY,
    EXTRA_THREADS,
    LONG_THREAD_REPLIES,
    LONG_THREADS,
    THREADS,
)
from forum.models import Category, Post, Thread
from forum.services.answers import answer_accept
from forum.services.posts import post_reply
from forum.services.threads import thread_create
from forum.services.votes import post_vote
from members.models import NotificationEmail, User
from members.roles import forget_cached_roles, is_guest, is_member
from members.services.profiles import profile_update
from members.services.roles import user_roles_set
from taxonomy.models import Region, Topic

DEMO_EMAIL_DOMAIN = "forum.demo.pcc-hub.test"
DEMO_MEMBER_EMAIL = "member@demo.pcc-hub.test"  # members.demo's member account
DEMO_GUEST_EMAIL = "guest@demo.pcc-hub.test"  # members.demo's guest account


def seed_demo_forum() -> dict[str, int]:
    """Create the demo forum; return how many categories and threads it now has."""
    authors = _demo_authors()
    categories = _demo_categories()
    topics = {t.slug: t for t in Topic.objects.all()}
    regions = {r.slug: r for r in Region.objects.all()}
    voters = [user for user in authors.values() if is_member(user)]

    def taxonomy(topic_slugs, region_slugs):
        return (
            [topics[s] for s in topic_slugs if s in topics],
            [regions[s] for s in region_slugs if s in regions],
        )

    for index, spec in enumerate(THREADS):
        category, title, author, topic_slugs, region_slugs, body, replies, days_ago = spec
        thread = _start(
            categories[category], title, authors[author], body, taxonomy(topic_slugs, region_slugs)
        )
        if thread is None:
            continue
        accepted = _reply_tree(thread, None, replies, authors)
        _votes(thread, voters, seed=index)
        if accepted is not None:
            answer_accept(user=authors[author], answer=accepted)
        _backdate(thread, days_ago)

    for index, spec in enumerate(LONG_THREADS):
        category, title, author, topic_slugs, region_slugs, body, length, days_ago = spec
        thread = _start(
            categories[category], title, authors[author], body, taxonomy(topic_slugs, region_slugs)
        )
        if thread is None:
            continue
        _long_replies(thread, length, authors, seed=index)
        _votes(thread, voters, seed=100 + index)
        _backdate(thread, days_ago, step_hours=3)

    for index, (category, title, author, topic_slugs, region_slugs, days_ago) in enumerate(
        EXTRA_THREADS
    ):
        thread = _start(
            categories[category],
            title,
            authors[author],
            EXTRA_BODY,
            taxonomy(topic_slugs, region_slugs),
        )
        if thread is None:
            continue
        if index % 2 == 0:
            helper = voters[index % len(voters)]
            if helper.pk != thread.author_id:
                post_reply(
                    author=helper,
                    thread=thread,
                    body="We did something similar last year; happy to share our notes.",
                )
        _backdate(thread, days_ago)

    _demo_member_question(categories["tariffs-and-billing"], authors, topics, regions)
    _demo_guest_question(categories["ask-the-pcc-experts"], authors, topics, regions)
    _refresh_category_activity(categories.values())
    return {
        "categories": len(categories),
        "threads": Thread.objects.filter(category__in=categories.values()).count(),
    }


def _demo_authors() -> dict[str, User]:
    """Illustrative people who cannot sign in (unusable passwords), with roles and profiles."""
    authors = {}
    for key, (name, roles_wanted, organisation) in AUTHORS.items():
        email = f"{key}@{DEMO_EMAIL_DOMAIN}"
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
        user_roles_set(user=user, roles_wanted=set(roles_wanted), actor=None, note="Forum demo")
        forget_cached_roles(user)
        authors[key] = user
    return authors


def _demo_categories() -> dict[str, Category]:
    categories = {}
    for slug, (name, description, mode, visibility, guests, order) in CATEGORIES.items():
        category, _ = Category.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "mode": mode,
                "visibility": visibility,
                "guests_can_post": guests,
                "sort_order": order,
            },
        )
        categories[slug] = category
    return categories


def _start(category, title, author, body, labels) -> Thread | None:
    if Thread.objects.filter(category=category, title=title).exists():
        return None
    topics, regions = labels
    return thread_create(
        author=author, category=category, title=title, body=body, topics=topics, regions=regions
    )


def _reply_tree(thread: Thread, parent: Post | None, replies, authors) -> Post | None:
    """Write nested replies; return the reply marked ACCEPTED, if any."""
    accepted = None
    for reply in replies:
        is_accepted = reply[0] == ACCEPTED
        author, body, children = reply[1:] if is_accepted else reply
        post = post_reply(author=authors[author], thread=thread, parent=parent, body=body)
        if is_accepted:
            accepted = post
        child_accepted = _reply_tree(thread, post, children, authors)
        accepted = accepted or child_accepted
    return accepted


def _long_replies(thread: Thread, length: int, authors: dict[str, User], *, seed: int) -> None:
    """A long conversation: new answers to the thread, chains of replies, side branches."""
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
        text = LONG_THREAD_REPLIES[index % len(LONG_THREAD_REPLIES)]
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


def _demo_member_question(category, authors, topics, regions) -> None:
    """A question by the demo member login, answered but not accepted, to try accepting."""
    member = User.objects.filter(email=DEMO_MEMBER_EMAIL).first()
    if member is None or not is_member(member):
        return
    title = "Communicating a tariff freeze without raising expectations?"
    thread = _start(
        category,
        title,
        member,
        "Our tariff is frozen for two years, then will rise sharply. How do we say both "
        "now without confusing people?",
        ([topics["tariffs-and-investment"]], [regions["global"]]),
    )
    if thread is None:
        return
    post_reply(
        author=authors["daniel"],
        thread=thread,
        body="Say both in one sentence, with dates: *'Prices stay the same until 2028, then "
        "rise to fund the new reservoir.'*",
    )
    post_reply(
        author=authors["lars"],
        thread=thread,
        body="Publish the expected 2028 price range now, so nobody can say you hid it.",
    )
    _backdate(thread, 6)


def _demo_guest_question(category, authors, topics, regions) -> None:
    """A question by the demo guest login, with an answer the guest can accept."""
    guest = User.objects.filter(email=DEMO_GUEST_EMAIL).first()
    if guest is None or not is_guest(guest):
        return
    thread = _start(
        category,
        "How should a water-loss team talk about pressure cuts at night?",
        guest,
        "We plan night-time pressure reduction to cut leakage. Residents on hills will notice "
        "weak flow before 6am. How would you announce it?",
        ([topics["customer-experience-and-trust"]], [regions["latin-america-and-the-caribbean"]]),
    )
    if thread is None:
        return
    post_reply(
        author=authors["tomas"],
        thread=thread,
        body="Name the streets affected, give the hours, and explain the leak savings in "
        "litres per day. Offer a number to call for anyone who relies on night-time water.",
    )
    _backdate(thread, 4)


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
