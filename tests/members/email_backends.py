"""Email backends for tests: the locmem outbox, but able to fail like a real server does."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FlakyEmailBackend(EmailBackend):
    """Raises ``SMTPServerDisconnected`` for the next ``failures_remaining`` sends, then
    delivers to ``django.core.mail.outbox`` like the locmem backend."""

    failures_remaining = 0
    attempts = 0

    def send_messages(self, messages):
        type(self).attempts += 1
        if type(self).failures_remaining > 0:
            type(self).failures_remaining -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
