"""Set up the hub for the benchmark: ``python -m benchmarks.ours_setup CONTENT.json URLS.json``.

Runs with ``DJANGO_SETTINGS_MODULE=benchmarks.settings`` on a fresh database: migrates, seeds
the demo content (KB, taxonomy, forum), the benchmark thread (500 posts, nested, by the 50
bulk authors), a 10-post thread (query counts must not grow), a category of 1,000 threads,
a member who signs in, the search index and the static files. Writes the 500-post thread as
the content the peers are seeded with (``CONTENT.json``) and the URLs of every page measured
(``URLS.json``).
"""

import json
import sys
from pathlib import Path

import django


def export_thread(thread) -> dict:
    """The thread as the peers need it: authors (by index), posts in position order."""
    from forum.models import Post

    posts = list(
        Post.objects.filter(thread=thread).select_related("author", "parent").order_by("position")
    )
    author_ids: list[int] = []
    authors: list[dict] = []
    for post in posts:
        if post.author_id not in author_ids:
            author_ids.append(post.author_id)
            authors.append({"display_name": post.author.display_name})
    return {
        "title": thread.title,
        "authors": authors,
        "posts": [
            {
                "position": post.position,
                "author": author_ids.index(post.author_id),
                "parent_position": post.parent.position if post.parent_id else None,
                "body": post.body,
                "body_html": post.body_html,
                "created_at": post.created_at.isoformat(),
            }
            for post in posts
        ],
    }


def main() -> None:
    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from demo.bulk import bulk_threads_create
    from demo.management.commands.seed_bulk import bulk_authors
    from forum.models import Category, Thread
    from kb.models import CaseStudyPage, KnowledgeIndexPage
    from members.models import User
    from members.roles import MEMBER
    from taxonomy.models import Region, Topic

    content_path, urls_path = Path(sys.argv[1]), Path(sys.argv[2])
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", allow_production=True, verbosity=0)
    authors = bulk_authors()

    def category(slug: str, name: str) -> Category:
        return Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": "Benchmark.", "sort_order": 1000}
        )[0]

    thread_category = category("bench-thread", "Benchmark thread")
    long = bulk_threads_create(
        category=thread_category, authors=authors, threads=1, posts_per_thread=500, seed=500
    )
    short = bulk_threads_create(
        category=thread_category, authors=authors, threads=1, posts_per_thread=10, seed=10
    )
    listing = category("bench-category", "Benchmark category")
    bulk_threads_create(
        category=listing, authors=authors, threads=1000, posts_per_thread=3, seed=1000
    )
    member = User.objects.create_user(
        email="bench-member@bench.test", password="bench-password", display_name="Bench Member"
    )
    member.groups.add(Group.objects.get_or_create(name=MEMBER)[0])
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    call_command("search_index", "rebuild", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)

    long_thread = Thread.objects.get(pk=long.first_thread_id)
    short_thread = Thread.objects.get(pk=short.first_thread_id)
    content_path.write_text(json.dumps(export_thread(long_thread)) + "\n")

    listing_thread = Thread.objects.filter(category=listing).first()
    topic = listing_thread.topics.first() or Topic.objects.first()
    region = listing_thread.regions.first() or Region.objects.first()
    index = KnowledgeIndexPage.objects.live().first()
    case_study = CaseStudyPage.objects.live().public().first()
    kb_topic = case_study.topics.first() if hasattr(case_study, "topics") else None
    kb_region = case_study.regions.first() if hasattr(case_study, "regions") else None
    kb_topic = kb_topic or Topic.objects.first()
    kb_region = kb_region or Region.objects.first()
    index_url = index.url
    urls = {
        "thread": long_thread.get_absolute_url(),
        "thread 10 posts": short_thread.get_absolute_url(),
        "category": f"/forum/c/{listing.slug}/",
        "category filtered": f"/forum/c/{listing.slug}/?topic={topic.slug}&region={region.slug}",
        "kb index filtered": f"{index_url}?topic={kb_topic.slug}&region={kb_region.slug}",
        "kb case study": case_study.url,
        "kb topic landing": index_url + index.reverse_subpage("topic", args=[kb_topic.slug]),
        "home": "/",
        "kb index": index_url,
        "forum home": "/forum/",
        "search results": "/search/?q=water",
        "sign-in": "/accounts/login/",
        "member_email": member.email,
    }
    urls_path.write_text(json.dumps(urls, indent=2) + "\n")


if __name__ == "__main__":
    main()
