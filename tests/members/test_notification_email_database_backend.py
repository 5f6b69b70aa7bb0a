"""The retry path on the real django-tasks database backend and its worker (no mocks)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from members.models import EmailDelivery
from members.services.notifications import notification_create
from tests.factories.members import MemberFactory
from tests.members.email_backends import FlakyEmailBackend

# Transactional: the worker closes its database connection when it exits, as in production,
# which would end a test wrapped in one long transaction (PostgreSQL).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_tasks(settings):
    """The production task backend (django-tasks resets its backends when TASKS changes)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    call_command("db_worker", "--batch", "--interval", "0", stdout=open("/dev/null", "w"))


def test_a_failed_send_is_re_enqueued_with_back_off_and_sent_by_the_worker(
    database_tasks, settings
):
    settings.EMAIL_BACKEND = "tests.members.email_backends.FlakyEmailBackend"
    FlakyEmailBackend.failures_remaining = 1
    notification = notification_create(
        recipient=MemberFactory(), kind="kb.review", title="Your case study was reviewed"
    )
    assert DBTaskResult.objects.count() == 1

    run_worker()
    notification.refresh_from_db()
    assert mail.outbox == []
    assert notification.email_status == EmailDelivery.PENDING
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now()

    # Let the back-off elapse (move the clock's marks back), then the worker delivers it.
    assert retry.run_after == notification.email_next_attempt_at
    past = timezone.now() - timedelta(seconds=1)
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=past)
    type(notification).objects.filter(pk=notification.pk).update(email_next_attempt_at=past)
    run_worker()
    notification.refresh_from_db()
    assert notification.email_status == EmailDelivery.SENT
    assert len(mail.outbox) == 1
