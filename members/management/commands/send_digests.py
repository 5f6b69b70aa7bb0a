"""Send the daily or weekly digest emails (run by cron; see README "Scheduled jobs").

Safe to re-run and to run twice at once: each member gets one digest per period
(``members.services.digests``). The emails themselves go out through the task worker.
"""

from django.core.management.base import BaseCommand

from members.models import DigestFrequency
from members.services.digests import digests_send


class Command(BaseCommand):
    help = "Queue this period's daily or weekly digest for every member who has one waiting."

    def add_arguments(self, parser):
        parser.add_argument("frequency", choices=DigestFrequency.values)

    def handle(self, *args, frequency: str, **options):
        run = digests_send(frequency=frequency)
        self.stdout.write(
            f"{frequency} digest {run.period}: queued {run.claimed} digest(s), "
            f"re-queued {run.requeued} earlier one(s)."
        )
