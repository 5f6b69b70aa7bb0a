"""Seeding and inspecting the load run's database, run in a subprocess under tests.load.settings.

    python -m tests.load.database seed OUT.json
    python -m tests.load.database backlog                       (prints the pending work, JSON)
    python -m tests.load.database inspect WRITTEN.json OUT.json

``seed`` writes the members, forum and knowledge base the simulated members use (through the
factories and services, so counters are real) and builds the search index. ``inspect`` reads
what the run wrote (the replies the members were told were stored, with their markers) and
answers, from the database and the search backend, whether each is stored, readable and
searchable, and whether every thread, category and post counter matches its rows.
"""

import json
import os
import sys
from pathlib import Path

SEED_PASSWORD = "load-run-password-not-secret-42"
MEMBERS = 20
SEED_AUTHORS = 3
CATEGORIES = (
    ("load-water-quality", "Water quality", "public"),
    ("load-tariffs", "Tariffs and billing", "public"),
    ("load-members-room", "Members' room", "members"),
)
THREADS_PER_CATEGORY = 8
SEED_REPLIES_PER_THREAD = 2
SEARCH_WORDS = ("tariff", "drought", "trust", "sms", "boil", "customers", "water")


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.load.settings")
    import django

    django.setup()


def seed() -> dict:
    from forum.models import Category
    from tests.factories.forum import CategoryFactory, make_reply, make_thread
    from tests.factories.kb import case_study, method_guide
    from tests.factories.members import MemberFactory

    members = [
        MemberFactory(
            email=f"load-member-{number}@example.org",
            password=SEED_PASSWORD,
            profile__trust_level=1,
        )
        for number in range(MEMBERS)
    ]
    authors = [
        MemberFactory(email=f"load-author-{number}@example.org", profile__trust_level=2)
        for number in range(SEED_AUTHORS)
    ]
    categories, threads = [], []
    for order, (slug, name, visibility) in enumerate(CATEGORIES):
        category = CategoryFactory(
            slug=slug,
            name=name,
            visibility=visibility,
            sort_order=order,
            mode=Category.Mode.DISCUSSION,
        )
        categories.append({"id": category.pk, "url": category.get_absolute_url()})
        for number in range(THREADS_PER_CATEGORY):
            word = SEARCH_WORDS[number % len(SEARCH_WORDS)]
            thread = make_thread(
                category=category,
                author=authors[number % SEED_AUTHORS],
                title=f"{name}: how did you handle {word} question {number}?",
                body=f"We are planning our {word} messages for customers. Thread {number}.",
            )
            for reply_number in range(SEED_REPLIES_PER_THREAD):
                make_reply(
                    thread,
                    author=authors[(number + reply_number + 1) % SEED_AUTHORS],
                    body=f"Our {word} campaign used SMS first, then letters ({reply_number}).",
                )
            threads.append(
                {"id": thread.pk, "url": thread.get_absolute_url(), "category_id": category.pk}
            )
    pages = [case_study(title=f"Load case study {n} on {SEARCH_WORDS[n]}") for n in range(3)]
    pages += [method_guide(title=f"Load method guide {n} on {SEARCH_WORDS[n]}") for n in range(2)]

    from forum.models import Post

    votable = list(
        Post.objects.filter(author__in=authors, thread__category__slug__startswith="load-")
        .values_list("pk", flat=True)
        .order_by("pk")
    )
    return {
        "password": SEED_PASSWORD,
        "members": [{"id": m.pk, "email": m.email} for m in members],
        "categories": categories,
        "threads": threads,
        "votable_post_ids": votable,
        "kb_urls": [page.url for page in pages],
        "search_words": list(SEARCH_WORDS),
    }


def backlog() -> dict:
    """Work still waiting: index outbox rows not applied; tasks due or running (tasks deferred
    on purpose, such as batched notification emails, are counted apart)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from search.models import IndexOutbox

    tasks = DBTaskResult.objects
    due = tasks.ready().count() + tasks.running().count()
    return {
        "outbox_pending": IndexOutbox.objects.filter(applied_at__isnull=True).count(),
        "outbox_rows_retried": IndexOutbox.objects.filter(attempts__gt=1).count(),
        "tasks_due": due,
        "tasks_deferred": tasks.filter(status=TaskResultStatus.READY).count()
        - tasks.ready().count(),
        "tasks_successful": tasks.successful().count(),
        "tasks_failed": tasks.failed().count(),
    }


def _counter_mismatches() -> list[str]:
    from django.db.models import Count, Q, Sum

    from forum.models import Category, Post, Thread, Vote

    wrong = []
    for thread in Thread.objects.annotate(
        rows=Count("posts"),
        visible_replies=Count("posts", filter=Q(posts__depth__gt=0, posts__is_hidden=False)),
    ):
        if thread.post_count != thread.rows:
            wrong.append(f"thread {thread.pk}: post_count {thread.post_count} != {thread.rows}")
        if thread.reply_count != thread.visible_replies:
            wrong.append(
                f"thread {thread.pk}: reply_count {thread.reply_count} != {thread.visible_replies}"
            )
        newest = (
            thread.posts.filter(is_hidden=False).order_by("-created_at", "-id").values("pk").first()
        )
        if newest and thread.last_post_id != newest["pk"]:
            wrong.append(f"thread {thread.pk}: last_post {thread.last_post_id} != {newest['pk']}")
        positions = sorted(thread.posts.values_list("position", flat=True))
        if positions != list(range(1, thread.rows + 1)):
            wrong.append(f"thread {thread.pk}: positions are not 1..{thread.rows}")
        opening = thread.posts.filter(depth=0).values_list("vote_score", flat=True).first()
        if opening is not None and thread.vote_score != opening:
            wrong.append(f"thread {thread.pk}: vote_score {thread.vote_score} != {opening}")
    for category in Category.objects.annotate(
        thread_rows=Count("threads", distinct=True),
        post_rows=Count("threads__posts", distinct=True),
    ):
        if category.thread_count != category.thread_rows:
            wrong.append(
                f"category {category.slug}: thread_count {category.thread_count} "
                f"!= {category.thread_rows}"
            )
        if category.post_count != category.post_rows:
            wrong.append(
                f"category {category.slug}: post_count {category.post_count} "
                f"!= {category.post_rows}"
            )
    scores = dict(Vote.objects.values_list("post").annotate(total=Sum("value")))
    children = dict(
        Post.objects.filter(parent__isnull=False).values_list("parent").annotate(n=Count("pk"))
    )
    for pk, vote_score, reply_count in Post.objects.values_list("pk", "vote_score", "reply_count"):
        if vote_score != scores.get(pk, 0):
            wrong.append(f"post {pk}: vote_score {vote_score} != {scores.get(pk, 0)}")
        if reply_count != children.get(pk, 0):
            wrong.append(f"post {pk}: reply_count {reply_count} != {children.get(pk, 0)}")
    return wrong


def inspect(written: list[dict], member_email: str) -> dict:
    """``written``: one {"marker", "post_id", "thread_id"} per reply the server accepted."""
    from forum.models import Follow, Post, Vote
    from members.models import User
    from search.projection import thread_doc_id
    from search.selectors import search_page_results

    reader = User.objects.get(email=member_email)
    load_posts = Post.objects.filter(author__email__startswith="load-member-")
    stored = {row["pk"]: row for row in load_posts.values("pk", "thread_id", "body", "is_hidden")}
    missing, wrong_place, unsearchable = [], [], []
    for entry in written:
        row = stored.get(entry["post_id"])
        if row is None or entry["marker"] not in row["body"]:
            missing.append(entry["marker"])
            continue
        if row["thread_id"] != entry["thread_id"]:
            wrong_place.append(entry["marker"])
        page = search_page_results(params={"q": entry["marker"]}, user=reader)
        hit_ids = {hit.id for hit in page.results.hits} if page.results else set()
        if thread_doc_id(entry["thread_id"]) not in hit_ids:
            unsearchable.append(entry["marker"])
    markers = [entry["marker"] for entry in written]
    return {
        "posts_in_database": load_posts.count(),
        "hidden_posts": load_posts.filter(is_hidden=True).count(),
        "distinct_markers_written": len(set(markers)),
        "missing_from_database": missing,
        "in_wrong_thread": wrong_place,
        "not_searchable": unsearchable,
        "searchable": len(written) - len(missing) - len(unsearchable),
        "counter_mismatches": _counter_mismatches(),
        "votes": Vote.objects.count(),
        "follows": Follow.objects.count(),
        **backlog(),
    }


def main(argv: list[str]) -> int:
    _setup()
    command = argv[1]
    if command == "seed":
        Path(argv[2]).write_text(json.dumps(seed()), encoding="utf-8")
    elif command == "backlog":
        sys.stdout.write(json.dumps(backlog()) + "\n")
    elif command == "inspect":
        given = json.loads(Path(argv[2]).read_text(encoding="utf-8"))
        report = inspect(given["written"], given["reader_email"])
        Path(argv[3]).write_text(json.dumps(report), encoding="utf-8")
    else:
        raise SystemExit(f"unknown command {command!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
