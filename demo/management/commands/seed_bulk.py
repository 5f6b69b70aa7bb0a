"""``manage.py seed_bulk --threads N --posts-per-thread M``: synthetic volume for benchmarks."""

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from demo.bulk import bulk_threads_create
from demo.bulk_bodies import bulk_author_name
from forum.models import Category
from members.models import User
from members.roles import MEMBER

BULK_AUTHOR_COUNT = 50


def bulk_authors(count: int = BULK_AUTHOR_COUNT) -> list[User]:
    """Illustrative member accounts that cannot sign in (unusable passwords); idempotent."""
    group, _ = Group.objects.get_or_create(name=MEMBER)
    authors = []
    for n in range(1, count + 1):
        user, created = User.objects.get_or_create(
            email=f"bulk-author-{n}@bulk.pcc-hub.test",
            defaults={"display_name": bulk_author_name(n)},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(group)
        authors.append(user)
    return authors


class Command(BaseCommand):
    help = "Create many synthetic forum threads and posts quickly (bulk inserts), for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--threads", type=int, required=True)
        parser.add_argument("--posts-per-thread", type=int, required=True)
        parser.add_argument(
            "--category",
            default="load-testing",
            help="Slug of the category to fill; created (public) if missing.",
        )
        parser.add_argument(
            "--questions", action="store_true", help="Create the category in Q&A mode."
        )
        parser.add_argument("--seed", type=int, default=0, help="Random seed (reproducible).")

    def handle(self, *args, threads, posts_per_thread, category, questions, seed, **options):
        if threads < 1 or posts_per_thread < 1:
            raise CommandError("--threads and --posts-per-thread must be at least 1.")
        target, created = Category.objects.get_or_create(
            slug=category,
            defaults={
                "name": category.replace("-", " ").capitalize(),
                "description": "Synthetic threads for load testing.",
                "mode": Category.Mode.QUESTIONS if questions else Category.Mode.DISCUSSION,
                "sort_order": 1000,
            },
        )
        if created:
            self.stdout.write(f"Created category {target.name!r} (/forum/c/{target.slug}/).")

        def progress(done: int) -> None:
            self.stdout.write(f"  {done}/{threads} threads", ending="\r")
            self.stdout.flush()

        result = bulk_threads_create(
            category=target,
            authors=bulk_authors(),
            threads=threads,
            posts_per_thread=posts_per_thread,
            seed=seed,
            progress=progress,
        )
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {result.threads} threads and {result.posts} posts "
                f"in {result.seconds:.1f}s."
            )
        )
        if result.first_thread_id:
            url = reverse("forum:thread_short", kwargs={"pk": result.first_thread_id})
            self.stdout.write(f"First new thread: {url}")
