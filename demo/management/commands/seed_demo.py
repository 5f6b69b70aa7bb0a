"""Seed illustrative demo content and demo accounts. Idempotent: safe to run on every start.

Each app has its own seeder (``demo/<app>.py``), run here bottom layer first, in one
transaction: a mistake in the data files (``demo/data/``) keeps nothing and names the file,
entry and key. Demo accounts have a known password and exist only in development: the command
refuses to run unless DEBUG is on or ``--allow-production`` is given.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.data_files import DemoDataError
from demo.forum import seed_demo_forum
from demo.kb import seed_demo_kb
from demo.members import seed_demo_members


class Command(BaseCommand):
    help = "Create or refresh the demo content and demo accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even when DEBUG is off (never on a public site: demo passwords are known).",
        )

    def handle(self, *args, allow_production: bool = False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "seed_demo creates accounts with published passwords, so it runs only with "
                "DEBUG on (make run). Pass --allow-production to override."
            )
        try:
            with transaction.atomic():
                logins = seed_demo_members()
                kb_summary = seed_demo_kb()
                forum = seed_demo_forum()
        except DemoDataError as error:
            raise CommandError(f"Nothing was seeded: {error}") from error
        self.stdout.write(
            f"Knowledge base: {kb_summary.case_studies_created} case studies and "
            f"{kb_summary.method_guides_created} method guides created, "
            f"{kb_summary.glossary_terms} glossary terms, "
            f"{kb_summary.submissions_created} member submissions awaiting review."
        )
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
        self.stdout.write(
            f"Forum: {forum['categories']} categories, {forum['threads']} threads (/forum/)."
        )
        self.stdout.write("Demo logins (development only):")
        for login in logins:
            self.stdout.write(f"  {login.role:<10} {login.email:<32} {login.password}")
        totp_secrets = sorted({login.totp_secret for login in logins if login.totp_secret})
        for secret in totp_secrets:
            self.stdout.write(
                f"Moderator, editor and admin also need a two-factor code: add the secret {secret} "
                "to an authenticator app, or run `manage.py demo_totp_code`."
            )
