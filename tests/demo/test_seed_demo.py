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


def test_seed_demo_stops_on_a_data_mistake_and_keeps_nothing(settings, demo_data):
    settings.DEBUG = True
    demo_data.edit("forum/authors.yaml", "  roles: [member]\n", "  roles: [membr]\n")
    with pytest.raises(CommandError) as caught:
        call_command("seed_demo")
    assert str(caught.value) == (
        "Nothing was seeded: demo/data/forum/authors.yaml: entry 1 ('amina'), key roles[0]: "
        "unknown role 'membr' (did you mean 'member'?)"
    )
    # The accounts and KB pages seeded before the forum data was read were rolled back.
    assert not User.objects.exists()
