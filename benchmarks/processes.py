"""Servers the suite starts, each stopped by its process id (also on failure and at exit).

``Server.start`` runs the command in its own session; ``stop`` sends SIGTERM to that pid, waits,
then SIGKILL to the pid. gunicorn's master stops its own workers on SIGTERM. ``stop_all``
is registered with ``atexit`` and stops whatever is still running.
"""

import atexit
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

RUNNING: list["Server"] = []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    command: list[str]
    port: int
    cwd: Path
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, ready_path: str = "/", timeout: float = 90.0) -> "Server":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 (our own command lines)
            self.command,
            cwd=self.cwd,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        RUNNING.append(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.process.returncode}; see {self.log_path}"
                )
            try:
                with urllib.request.urlopen(self.base_url + ready_path, timeout=5) as response:  # noqa: S310
                    response.read()
                return self
            except urllib.error.HTTPError:
                return self  # it answers
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(
            f"{self.name} did not answer within {timeout:.0f} s; see {self.log_path}"
        )

    def worker_pids(self) -> list[int]:
        """The pids of the master's child processes (gunicorn's workers)."""
        if not self.pid:
            return []
        return child_pids(self.pid)

    def stop(self, timeout: float = 15.0) -> None:
        if not self.process:
            return
        stop_pid(self.process, timeout=timeout)
        if self in RUNNING:
            RUNNING.remove(self)


def child_pids(pid: int) -> list[int]:
    children: list[int] = []
    task_dir = Path(f"/proc/{pid}/task")
    if not task_dir.exists():
        return children
    for task in task_dir.iterdir():
        try:
            children.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return sorted(set(children))


def rss_bytes(pid: int) -> int:
    """The resident set size of ``pid`` from /proc (VmRSS), in bytes; 0 if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return 0
    return 0


def stop_pid(process: subprocess.Popen, *, timeout: float = 15.0) -> None:
    """SIGTERM to the process id, then SIGKILL if it is still alive after ``timeout``."""
    if process.poll() is not None:
        return
    try:
        os.kill(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.kill(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        process.wait(timeout=5)


def stop_all() -> None:
    for server in list(RUNNING):
        server.stop()


atexit.register(stop_all)
