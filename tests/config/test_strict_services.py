"""Under PCC_REQUIRE_SERVICES=1 (CI) a skipped test fails the run; locally it only skips."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = "tests/config/probes/skipping_probe.py"


def run_probe(strict: bool) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("PCC_REQUIRE_SERVICES", None)
    if strict:
        env["PCC_REQUIRE_SERVICES"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", PROBE, "-q", "-p", "no:randomly"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_skip_fails_the_run_when_services_are_required():
    result = run_probe(strict=True)
    assert result.returncode == 1, result.stdout
    assert "1 failed" in result.stdout
    assert "counts as a failure: Skipped: the service is missing" in result.stdout


def test_a_skip_is_only_a_skip_locally():
    result = run_probe(strict=False)
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
