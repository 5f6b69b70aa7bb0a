"""`seed_demo` is idempotent and refuses to publish demo passwords outside development."""

import pytest
from django.core.management import CommandError, call_command

from members.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_runs_twice_without_duplicating_accounts(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    first = User.objects.count()
    call_command("seed_demo")
    assert User.objects.count() == first
    assert "Demo logins (development only):" in capsys.readouterr().out


def test_seed_demo_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="runs only with DEBUG on"):
        call_command("seed_demo")
