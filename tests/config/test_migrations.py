"""Every model change has its migration: a missing one would break a fresh `make run`."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration(capsys):
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=1)
    except SystemExit:
        pytest.fail(f"makemigrations found unmigrated changes:\n{capsys.readouterr().out}")
