"""Fast synthetic forum data for the benchmark suite and query-count tests (``seed_bulk``).

Rows are built in memory with explicit primary keys, precomputed materialised paths,
positions and counters, then written in batches with one ``executemany`` per table (model
instances and ``bulk_create`` cost more than the database here): no service is called
and no Markdown is rendered per post (the pool of ``demo.bulk_bodies``, about 430 characters
of HTML per post on average, is rendered once). The result
is indistinguishable, to the pages, from threads written through the services: counters,
paths, branches and last posts are all consistent.

Not for production data: it bypasses permission checks, signals and duplicate detection.
"""

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import DateTimeField, Max, Model
from django.utils import timezone

from demo.bulk_bodies import body_pool
from forum.models import Category, Post, Thread
from forum.services.counters import category_counters_add
from forum.services.threads import thread_slug
from forum.tree import MAX_TREE_DEPTH, ROOT_PATH, child_path
from markup import FORUM_POST, render_markdown
from members.models import User
from taxonomy.models import Region, Topic

INSERT_CHUNK = 2000
TITLE_TEMPLATES = (
    "How do we explain a {n}% tariff rise to households?",
    "Drought messaging that worked in region {n}",
    "Boil-water notice channels: lessons from incident {n}",
    "Smart-meter feedback and conservation, pilot {n}",
    "Measuring trust after a service outage ({n})",
)


@dataclass(frozen=True)
class BulkResult:
    threads: int
    posts: int
    first_thread_id: int | None
    seconds: float


def bulk_threads_create(
    *,
    category: Category,
    authors: Sequence[User],
    threads: int,
    posts_per_thread: int,
    seed: int = 0,
    batch_threads: int = 200,
    progress: Callable[[int], None] | None = None,
) -> BulkResult:
    """Create ``threads`` threads of ``posts_per_thread`` posts each (opening post included).

    Replies form realistic trees: about half answer the thread, the rest answer a recent
    post, so long threads nest deeply. Counters on posts, threads and the category are set.
    """
    if threads < 0 or posts_per_thread < 1:
        raise ValueError("threads must be >= 0 and posts_per_thread >= 1")
    if not authors:
        raise ValueError("at least one author is needed")
    started = time.monotonic()
    rng = random.Random(seed)
    bodies = [(text, render_markdown(text, FORUM_POST).html) for text in body_pool()]
    topic_ids = list(Topic.objects.values_list("id", flat=True))
    region_ids = list(Region.objects.values_list("id", flat=True))
    kind = Thread.Kind.QUESTION if category.is_questions else Thread.Kind.DISCUSSION
    now = timezone.now()

    next_thread_id = (Thread.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    next_post_id = (Post.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    first_thread_id = next_thread_id if threads else None
    created_posts = 0
    latest: tuple | None = None  # (created_at, post_id)

    for batch_start in range(0, threads, batch_threads):
        batch_count = min(batch_threads, threads - batch_start)
        thread_rows: list[Thread] = []
        post_rows: list[Post] = []
        topic_links = []
        region_links = []
        for _ in range(batch_count):
            thread_id = next_thread_id
            next_thread_id += 1
            opened_at = now - timedelta(minutes=rng.randint(60, 60 * 24 * 365))
            title = rng.choice(TITLE_TEMPLATES).format(n=thread_id)
            author = rng.choice(authors)
            # Per post in this thread: (id, path, depth, branch_id, reply_count)
            tree: list[list] = []
            moment = opened_at
            for index in range(posts_per_thread):
                post_id = next_post_id
                next_post_id += 1
                if index == 0:
                    parent_index, path, depth, branch_id = None, ROOT_PATH, 0, None
                else:
                    if rng.random() < 0.45 or index < 2:
                        parent_index = 0
                    else:
                        parent_index = rng.randint(max(1, index - 8), index - 1)
                    if tree[parent_index][2] >= MAX_TREE_DEPTH:
                        parent_index = 0
                    parent = tree[parent_index]
                    path = child_path(parent[1], parent[4])
                    parent[4] += 1
                    depth = parent[2] + 1
                    branch_id = None if depth == 1 else (parent[3] or parent[0])
                    moment += timedelta(minutes=rng.randint(1, 240))
                tree.append([post_id, path, depth, branch_id, 0])
                body, body_html = rng.choice(bodies)
                post_rows.append(
                    {
                        "id": post_id,
                        "thread_id": thread_id,
                        "author_id": author.pk if index == 0 else rng.choice(authors).pk,
                        "parent_id": tree[parent_index][0] if parent_index is not None else None,
                        "branch_id": branch_id,
                        "path": path,
                        "depth": depth,
                        "position": index + 1,
                        "body": body,
                        "body_html": body_html,
                        "created_at": moment,
                    }
                )
            for row, node in zip(post_rows[-posts_per_thread:], tree, strict=True):
                row["reply_count"] = node[4]
            last = post_rows[-1]
            thread_rows.append(
                {
                    "id": thread_id,
                    "category_id": category.pk,
                    "author_id": author.pk,
                    "title": title,
                    "slug": thread_slug(title),
                    "kind": kind,
                    "post_count": posts_per_thread,
                    "reply_count": posts_per_thread - 1,
                    "created_at": opened_at,
                    "last_activity_at": last["created_at"],
                    "last_post_id": last["id"],
                }
            )
            if latest is None or last["created_at"] > latest[0]:
                latest = (last["created_at"], last["id"])
            if topic_ids:
                for topic_id in rng.sample(topic_ids, k=min(2, len(topic_ids))):
                    topic_links.append({"thread_id": thread_id, "topic_id": topic_id})
            if region_ids:
                region_links.append({"thread_id": thread_id, "region_id": rng.choice(region_ids)})
        with transaction.atomic():
            _insert_rows(Thread, thread_rows)
            _insert_rows(Post, post_rows)
            _insert_rows(Thread.topics.through, topic_links)
            _insert_rows(Thread.regions.through, region_links)
        created_posts += len(post_rows)
        if progress:
            progress(batch_start + batch_count)

    category_counters_add(
        category_id=category.pk,
        threads=threads,
        posts=created_posts,
        last_activity_at=latest[0] if latest else None,
        last_post_id=latest[1] if latest else None,
    )
    _reset_sequences()
    return BulkResult(
        threads=threads,
        posts=created_posts,
        first_thread_id=first_thread_id,
        seconds=time.monotonic() - started,
    )


def _insert_rows(model: type[Model], rows: list[dict]) -> None:
    """INSERT ``rows`` with one executemany, bypassing model instances (the slow part).

    Every concrete column is written: values missing from a row take the field's default,
    and datetimes are adapted for the database as the ORM would.
    """
    if not rows:
        return
    fields = [
        f for f in model._meta.concrete_fields if not (f.primary_key and f.attname not in rows[0])
    ]
    defaults = {
        f.attname: (None if f.null and not f.has_default() else f.get_default()) for f in fields
    }
    adapt = connection.ops.adapt_datetimefield_value
    datetime_columns = {f.attname for f in fields if isinstance(f, DateTimeField)}
    quote = connection.ops.quote_name
    # Identifiers come from model metadata, quoted; values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    values = [
        tuple(
            adapt(row.get(f.attname, defaults[f.attname]))
            if f.attname in datetime_columns
            else row.get(f.attname, defaults[f.attname])
            for f in fields
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is several times faster than INSERT on PostgreSQL.
            copy_sql = "COPY {} ({}) FROM STDIN".format(
                quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for row in values:
                    copy.write_row(row)
            return
        for start in range(0, len(values), INSERT_CHUNK):
            cursor.executemany(sql, values[start : start + INSERT_CHUNK])


def _reset_sequences() -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them past the new rows."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Thread, Post])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
