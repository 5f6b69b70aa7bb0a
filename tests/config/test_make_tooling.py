"""The set-up scripts behind `make run` and `make test`."""

import stat
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_require_python_explains_what_is_missing_on_an_old_python(tmp_path):
    fake = tmp_path / "python3"
    fake.write_text('#!/bin/sh\nif [ "$1" = "--version" ]; then echo "Python 3.9.2"; fi\nexit 1\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    result = subprocess.run(
        ["/bin/bash", str(ROOT / "tools" / "require-python.sh")],
        env={"PATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "needs Python 3.11 or newer (found: Python 3.9.2)" in result.stderr


def test_require_python_prints_a_usable_interpreter():
    result = subprocess.run(
        ["/bin/bash", str(ROOT / "tools" / "require-python.sh")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    version = subprocess.run(
        [result.stdout.strip(), "-c", "import sys; print(sys.version_info >= (3, 11))"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert version.stdout.strip() == "True"
