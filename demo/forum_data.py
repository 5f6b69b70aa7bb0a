"""The forum demo data files (``demo/data/forum/*.yaml``): their shapes, checked on load.

Taxonomy slugs are checked against the models forum threads link to, and authors,
categories and demo logins against the files and accounts that define them.
"""

from dataclasses import dataclass

from demo.data_files import Choice, ListOf, Record, load_data
from demo.members import DEMO_LOGIN
from forum.models import Category, Thread
from members.roles import ALL_ROLES


@dataclass(frozen=True)
class ForumDemoData:
    """The checked content of ``demo/data/forum/``, one attribute per file."""

    authors: list[dict]
    categories: list[dict]
    threads: list[dict]
    long_threads: dict
    extra_threads: dict
    login_threads: list[dict]


def load_forum_demo_data() -> ForumDemoData:
    """Read the forum demo files, checking keys, types, cross-file references and taxonomy
    slugs (against the database); raises ``DemoDataError`` naming the file, entry and key."""
    authors = load_data(
        "forum/authors.yaml",
        ListOf(
            Record(
                {
                    "key": str,
                    "name": str,
                    "roles": ListOf(Choice(ALL_ROLES, "role")),
                    "organisation": str,
                },
                label="key",
            ),
            unique_by="key",
        ),
    )
    categories = load_data(
        "forum/categories.yaml",
        ListOf(
            Record(
                {
                    "slug": str,
                    "name": str,
                    "description": str,
                    "mode": Choice(Category.Mode.values, "category mode"),
                    "visibility": Choice(Category.Visibility.values, "category visibility"),
                    "guests_can_post": bool,
                    "sort_order": int,
                },
                label="slug",
            ),
            unique_by="slug",
        ),
    )
    author = Choice({entry["key"] for entry in authors}, "author (a key in authors.yaml)")
    topic, region = (Thread._meta.get_field(name).related_model for name in ("topics", "regions"))
    thread_start = {
        "category": Choice(
            {entry["slug"] for entry in categories}, "category (a slug in categories.yaml)"
        ),
        "title": str,
        "days_ago": int,
        "topics": ListOf(Choice(set(topic.objects.values_list("slug", flat=True)), "topic slug")),
        "regions": ListOf(
            Choice(set(region.objects.values_list("slug", flat=True)), "region slug")
        ),
    }
    reply = Record({"author": author, "body": str}, {"accepted": bool})
    reply.optional["replies"] = ListOf(reply)  # replies nest to any depth
    return ForumDemoData(
        authors=authors,
        categories=categories,
        threads=load_data(
            "forum/threads.yaml",
            ListOf(
                Record(
                    {**thread_start, "author": author, "body": str},
                    {"replies": ListOf(reply)},
                    label="title",
                )
            ),
        ),
        long_threads=load_data(
            "forum/long_threads.yaml",
            Record(
                {
                    "reply_pool": ListOf(str),
                    "threads": ListOf(
                        Record(
                            {**thread_start, "author": author, "body": str, "post_count": int},
                            label="title",
                        )
                    ),
                }
            ),
        ),
        extra_threads=load_data(
            "forum/extra_threads.yaml",
            Record(
                {
                    "body": str,
                    "helper_reply": str,
                    "threads": ListOf(Record({**thread_start, "author": author}, label="title")),
                }
            ),
        ),
        login_threads=load_data(
            "forum/login_threads.yaml",
            ListOf(
                Record(
                    {
                        **thread_start,
                        "login": DEMO_LOGIN,
                        "body": str,
                    },
                    {"replies": ListOf(reply)},
                    label="title",
                )
            ),
        ),
    )
