"""Set up each peer under ``var/peers/<peer>/``: virtualenv from PyPI, project, database.

``venv/`` is created with the interpreter ``tools/require-python.sh`` finds and the pinned
packages of ``benchmarks.peers.PEER_PACKAGES`` (kept between runs, re-installed if missing);
``project/`` is a fresh copy of ``benchmarks/peers/<peer>_site`` plus the suite's standalone
scripts; ``db.sqlite3`` is re-created, migrated and seeded from the exported thread each run.
"""

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from benchmarks.peers import PEER_PACKAGES

ROOT = Path(__file__).resolve().parent.parent
PEERS_DIR = ROOT / "var" / "peers"
SOURCES = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Peer:
    name: str
    directory: Path
    venv: Path | None = None  # default: directory / "venv"
    # Importable besides the project: the hub itself, for a peer run on the hub's virtualenv.
    extra_path: tuple[Path, ...] = ()

    @property
    def python(self) -> Path:
        return (self.venv or self.directory / "venv") / "bin" / "python"

    @property
    def site(self) -> str:
        return f"{self.name.replace('-', '_')}_site"

    @property
    def project(self) -> Path:
        return self.directory / "project"

    @property
    def settings_module(self) -> str:
        return f"{self.site}.settings"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VIRTUAL_ENV"))}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": self.settings_module,
                "PEER_DIR": str(self.directory),
                "PYTHONPATH": os.pathsep.join(map(str, (self.project, *self.extra_path))),
            }
        )
        return env

    def run(self, *args: str, log: Path | None = None) -> str:
        completed = subprocess.run(  # noqa: S603 (our own command lines)
            [str(self.python), *args],
            cwd=self.project,
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if log:
            log.write_text(completed.stdout + completed.stderr)
        if completed.returncode != 0:
            raise RuntimeError(
                f"{self.name}: {' '.join(args[:3])} failed ({completed.returncode}):\n"
                + completed.stderr[-3000:]
            )
        return completed.stdout

    def gunicorn_command(self, port: int) -> list[str]:
        return [
            str(self.python.parent / "gunicorn"),
            f"{self.site}.wsgi:application",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
        ]


def ensure_virtualenv(peer: Peer, say) -> None:
    packages = PEER_PACKAGES[peer.name]
    marker = peer.directory / "venv" / ".bench-installed"
    if marker.exists() and marker.read_text() == "\n".join(packages):
        return
    python = subprocess.run(  # noqa: S603
        [str(ROOT / "tools" / "require-python.sh")], capture_output=True, text=True, check=True
    ).stdout.strip()
    say(f"  {peer.name}: creating {peer.directory / 'venv'} and installing {' '.join(packages)}")
    subprocess.run([python, "-m", "venv", str(peer.directory / "venv")], check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [
            str(peer.python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *packages,
        ],
        check=True,
    )
    marker.write_text("\n".join(packages))


def _copy_site(peer: Peer) -> None:
    """The peer's Django project and the shared settings it imports, into a fresh directory."""
    if peer.project.exists():
        shutil.rmtree(peer.project)
    peer.project.mkdir()
    shutil.copytree(SOURCES / "peers" / peer.site, peer.project / peer.site)
    shutil.copy(SOURCES / "peers" / "peer_settings.py", peer.project / "peer_settings.py")


def set_up_peer(name: str, content_path: Path, say) -> dict:
    """Return {"thread_url": ..., "queries": {...}, "cookie": ...} for the seeded peer."""
    peer = Peer(name, PEERS_DIR / name)
    peer.directory.mkdir(parents=True, exist_ok=True)
    ensure_virtualenv(peer, say)
    _copy_site(peer)
    shutil.copy(SOURCES / "peers" / "seed_peer.py", peer.project / "seed_peer.py")
    shutil.copy(SOURCES / "inprocess.py", peer.project / "inprocess.py")
    for leftover in ("db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm"):
        (peer.directory / leftover).unlink(missing_ok=True)
    shutil.rmtree(peer.directory / "st_search", ignore_errors=True)
    say(f"  {name}: migrating and seeding")
    peer.run("-m", "django", "migrate", "--noinput", log=peer.directory / "migrate.log")
    seeded = json.loads(
        peer.run("seed_peer.py", name, str(content_path.resolve())).strip().splitlines()[-1]
    )
    return {"peer": peer, "thread_url": seeded["thread_url"]}


def measure_queries(peer: Peer, urls: list[str]) -> dict:
    out = peer.run(
        "inprocess.py", "queries", "--user-field", "username", "--user", "bench-member", *urls
    )
    return json.loads(out.strip().splitlines()[-1])


def set_up_bare_wagtail(say) -> Peer:
    """A bare Wagtail 8 project with the hub's third-party apps, on the hub's virtualenv."""
    peer = Peer("bare-wagtail", PEERS_DIR / "bare-wagtail", venv=ROOT / ".venv", extra_path=(ROOT,))
    peer.directory.mkdir(parents=True, exist_ok=True)
    _copy_site(peer)
    say("  bare-wagtail: migrating, collecting its apps' static files")
    peer.run("-m", "django", "migrate", "--noinput", log=peer.directory / "migrate.log")
    peer.run("-m", "django", "collectstatic", "--noinput", log=peer.directory / "collectstatic.log")
    return peer
