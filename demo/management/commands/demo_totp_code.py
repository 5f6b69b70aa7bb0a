"""Print the current two-factor code of the privileged demo accounts (development only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.members import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current TOTP code for the demo moderator, editor and admin accounts."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo codes exist only in development (DEBUG on).")
        import time

        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

        counter = int(time.time()) // 30
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)))
