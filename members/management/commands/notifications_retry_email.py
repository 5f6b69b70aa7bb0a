"""Re-enqueue notification emails that are due: failed sends after their back-off, and any
whose task was lost (e.g. a crash between commit and enqueue). Run from cron every few minutes.
"""

from django.core.management.base import BaseCommand

from members.services.notifications import notification_emails_requeue


class Command(BaseCommand):
    help = "Re-enqueue notification emails that are due for (another) delivery attempt."

    def add_arguments(self, parser):
        parser.add_argument(
            "--include-failed",
            action="store_true",
            help="Also retry emails that were given up on after every attempt failed.",
        )

    def handle(self, *args, include_failed: bool = False, **options):
        count = notification_emails_requeue(include_failed=include_failed)
        self.stdout.write(f"Enqueued {count} notification email(s).")
