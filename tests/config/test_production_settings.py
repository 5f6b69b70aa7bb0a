"""Production settings: `check --deploy` is clean, and missing variables fail loudly at start-up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k9$Zq2!vT7#pL4@xW8^nB1&mC6*rD3(yF5)hJ0_gS2+eA7=uK4-oI9~wQ1",
    "ALLOWED_HOSTS": "hub.example.org",
    "SITE_URL": "https://hub.example.org",
    "DEFAULT_FROM_EMAIL": "PCC Hub <hub@example.org>",
    "DATABASE_URL": "sqlite:///:memory:",
}


# Set by the browser fixture for Playwright; a deployment never has it.
NOT_INHERITED = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_manage(*args: str, env_overrides: dict[str, str | None]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    for key, value in env_overrides.items():  # None unsets a variable, even an inherited one
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_no_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    "variable", ["SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DEFAULT_FROM_EMAIL"]
)
def test_missing_production_variable_fails_at_start_up_naming_it(variable):
    result = run_manage("check", env_overrides={**PRODUCTION_ENV, variable: None})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"The environment variable {variable} is required" in result.stderr


DEMO_COMMANDS = ("seed_demo", "seed_bulk", "demo_totp_code")
LIST_APPS_AND_COMMANDS = (
    "import django; django.setup();"
    "from django.apps import apps; from django.core.management import get_commands;"
    "print(apps.is_installed('demo')); print(' '.join(sorted(get_commands())))"
)


def test_production_does_not_install_the_demo_app_or_its_commands():
    result = run_manage("shell", "-c", LIST_APPS_AND_COMMANDS, env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    installed, commands = result.stdout.splitlines()[-2:]
    assert installed == "False"
    assert "migrate" in commands.split()
    assert not set(DEMO_COMMANDS) & set(commands.split())
    refused = run_manage("seed_demo", "--allow-production", env_overrides=PRODUCTION_ENV)
    assert refused.returncode != 0
    assert "Unknown command: 'seed_demo'" in refused.stderr


def test_development_settings_install_the_demo_app_and_its_commands():
    dev = {"DJANGO_SETTINGS_MODULE": "config.settings.dev", "DATABASE_URL": "sqlite:///:memory:"}
    result = run_manage("shell", "-c", LIST_APPS_AND_COMMANDS, env_overrides=dev)
    assert result.returncode == 0, result.stderr
    installed, commands = result.stdout.splitlines()[-2:]
    assert installed == "True"
    assert set(DEMO_COMMANDS) <= set(commands.split())


def run_production_python(script: str) -> subprocess.CompletedProcess:
    """Run ``script`` in a fresh interpreter under the production settings above."""
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED} | PRODUCTION_ENV
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_responses_carry_hsts_and_a_content_security_policy():
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client(HTTP_HOST='hub.example.org').get('/healthz', secure=True);"
        "print(r.status_code); print(r['Strict-Transport-Security']);"
        "print(r['Content-Security-Policy'])"
    )
    result = run_production_python(script)
    # The in-memory database has no tables, but /healthz only runs SELECT 1.
    status, hsts, csp = result.stdout.split("\n")[:3]
    assert status == "200", result.stderr
    assert hsts == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
