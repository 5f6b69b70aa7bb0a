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


def test_serve_dev_prints_the_workers_email_in_the_terminal_and_keeps_a_log(tmp_path):
    """`make run` shows what the worker prints (in development, every email it sends, such as
    a sign-up's verification link) beside the server's output, marked "worker |"."""
    (tmp_path / "tools").mkdir()
    script = tmp_path / "tools" / "serve-dev.sh"
    script.write_text((ROOT / "tools" / "serve-dev.sh").read_text())
    fake_python = tmp_path / ".venv" / "bin" / "python"
    fake_python.parent.mkdir(parents=True)
    # db_worker prints an email and waits to be stopped; runserver waits for the worker's
    # output to reach the log, then returns as Ctrl-C would.
    fake_python.write_text(
        "#!/bin/bash\n"
        'if [ "$2" = db_worker ]; then\n'
        "  echo 'Subject: Please Confirm Your Email Address'\n"
        "  echo 'To confirm, go to http://127.0.0.1:8000/accounts/confirm-email/abc/'\n"
        "  exec sleep 60\n"
        "fi\n"
        "for _ in $(seq 50); do grep -q confirm-email var/worker.log 2>/dev/null && exit 0; "
        "sleep 0.1; done\n"
        "exit 1\n"
    )
    fake_python.chmod(fake_python.stat().st_mode | stat.S_IEXEC)
    result = subprocess.run(
        ["/bin/bash", str(script)], capture_output=True, text=True, timeout=30, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert (
        "worker | To confirm, go to http://127.0.0.1:8000/accounts/confirm-email/abc/"
        in result.stdout
    )
    assert "confirm-email/abc/" in (tmp_path / "var" / "worker.log").read_text()
