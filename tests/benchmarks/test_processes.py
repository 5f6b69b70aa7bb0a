"""Servers are stopped by process id, also when the suite stops early (atexit)."""

import os
import sys
from pathlib import Path

import pytest

from benchmarks import processes
from benchmarks.processes import Server, free_port, rss_bytes


def http_server(tmp_path: Path) -> Server:
    port = free_port()
    return Server(
        name="static",
        command=[sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        port=port,
        cwd=tmp_path,
        env=dict(os.environ),
        log_path=tmp_path / "server.log",
    )


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return (
        Path(f"/proc/{pid}").exists()
        and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
    )


def test_a_started_server_answers_and_is_stopped_by_its_pid(tmp_path):
    server = http_server(tmp_path).start(timeout=20)
    pid = server.pid
    assert alive(pid)
    assert rss_bytes(pid) > 0
    assert server in processes.RUNNING
    server.stop()
    assert not alive(pid)
    assert server not in processes.RUNNING


def test_stop_all_stops_every_server_still_running(tmp_path):
    servers = [http_server(tmp_path).start(timeout=20) for _ in range(2)]
    processes.stop_all()
    assert not any(alive(s.pid) for s in servers)
    assert processes.RUNNING == []


def test_a_server_that_exits_at_once_is_reported_with_its_log(tmp_path):
    server = http_server(tmp_path)
    server.command = [sys.executable, "-c", "import sys; sys.exit(3)"]
    with pytest.raises(RuntimeError, match="exited with 3"):
        server.start(timeout=10)
