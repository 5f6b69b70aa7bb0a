"""Raise members' trust levels to what their participation has earned. Run from cron daily:
time since joining raises levels without any event to trigger it."""

from django.core.management.base import BaseCommand

from members.services.trust import trust_levels_recompute


class Command(BaseCommand):
    help = "Raise members' trust levels to what their time and participation have earned."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Members counted per batch (500)."
        )

    def handle(self, *args, batch_size: int = 500, **options):
        raised = trust_levels_recompute(batch_size=max(1, batch_size))
        self.stdout.write(f"Raised the trust level of {raised} member(s).")
