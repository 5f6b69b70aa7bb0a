"""manage.py backup_create and backup_restore (operations app), on the suite's database engine.

The backup is made in this process from the test database; the restore runs in another
process, as an operator would run it, into a fresh database (a new SQLite file, or a new empty
PostgreSQL database on the same server) with an empty media folder. Then every table's row
count, the posts, pages and profiles, and every media file's bytes must equal the original's.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from wagtail.documents.models import Document

from operations.services.backups import BackupError, postgres_tool
from tests.factories.forum import make_reply, make_thread
from tests.factories.kb import case_study
from tests.factories.members import MemberFactory
from tests.operations.snapshot import snapshot

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)


def _content(settings):
    author = MemberFactory(display_name="Amina Backup", profile__organisation="Nairobi Water")
    thread = make_thread(author=author, title="Restoring a tariff thread", body="Opening post.")
    for number in range(3):
        make_reply(thread, body=f"Reply {number} survives a restore.")
    case_study(title="A case study that survives a restore")
    Document.objects.create(
        title="Annual report", file=ContentFile(b"%PDF-1.4 report bytes", name="report.pdf")
    )
    avatar = Path(settings.MEDIA_ROOT) / "avatars" / "amina.png"
    avatar.parent.mkdir(parents=True, exist_ok=True)
    avatar.write_bytes(b"\x89PNG\r\n\x1a\n not really a png")


class FreshDatabase:
    """An empty database of the suite's engine that another process can open."""

    def __init__(self, tmp_path: Path):
        if connection.vendor == "sqlite":
            self.url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
            return
        source = connection.settings_dict
        self.name = f"{source['NAME']}_restore"
        self.params = {
            "host": source["HOST"] or "127.0.0.1",
            "port": source["PORT"] or 5432,
            "user": source["USER"],
            "password": source["PASSWORD"] or None,
        }
        self._sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._sql(f'CREATE DATABASE "{self.name}"')
        password = f":{self.params['password']}" if self.params["password"] else ""
        self.url = (
            f"postgres://{self.params['user']}{password}@{self.params['host']}:"
            f"{self.params['port']}/{self.name}"
        )

    def _sql(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(dbname="postgres", autocommit=True, **self.params) as admin:
            admin.execute(sql)

    def drop(self) -> None:
        if connection.vendor != "sqlite":
            self._sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def _run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_a_backup_restored_into_a_fresh_database_holds_the_same_rows_content_and_media(
    settings, tmp_path
):
    _content(settings)
    backup_dir = tmp_path / "backup"
    call_command("backup_create", str(backup_dir), stdout=open(os.devnull, "w"))
    original = snapshot()
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    assert manifest["engine"] == connection.vendor
    assert manifest["row_counts"] == original["rows"]

    restore_dir = tmp_path / "restored"
    restore_dir.mkdir()
    fresh = FreshDatabase(tmp_path)
    try:
        env = dict(os.environ)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "tests.operations.settings",
                "DATABASE_URL": fresh.url,
                "PCC_RESTORE_DIR": str(restore_dir),
            }
        )
        done = _run(env, "manage.py", "backup_restore", str(backup_dir), "--noinput")
        assert done.returncode == 0, done.stderr[-3000:]
        assert "every table's count as in the backup" in done.stdout
        out = tmp_path / "restored.json"
        done = _run(env, "-m", "tests.operations.snapshot", str(out))
        assert done.returncode == 0, done.stderr[-3000:]
        restored = json.loads(out.read_text())
    finally:
        fresh.drop()

    assert restored["rows"] == original["rows"]
    assert sum(original["rows"].values()) > 0
    assert restored["posts"] == json.loads(json.dumps(original["posts"]))
    assert len(restored["posts"]) == 4
    assert restored["pages"] == json.loads(json.dumps(original["pages"]))
    assert any(p[2] == "A case study that survives a restore" for p in restored["pages"])
    assert restored["profiles"] == json.loads(json.dumps(original["profiles"]))
    assert any(p[1:] == ["Amina Backup", "Nairobi Water"] for p in restored["profiles"])
    assert restored["media"] == original["media"]
    assert "avatars/amina.png" in restored["media"]
    assert any(name.startswith("documents/") for name in restored["media"])


def test_restoring_a_folder_that_does_not_exist_says_so(tmp_path):
    with pytest.raises(CommandError, match="There is no folder"):
        call_command("backup_restore", str(tmp_path / "missing"), interactive=False)


def test_restoring_a_folder_without_a_manifest_says_the_backup_is_incomplete(tmp_path):
    with pytest.raises(CommandError, match="no complete backup: manifest.json is missing"):
        call_command("backup_restore", str(tmp_path), interactive=False)


def test_a_backup_into_a_folder_that_holds_files_is_refused(tmp_path):
    (tmp_path / "old.txt").write_text("an earlier backup")
    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("backup_create", str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.txt"]


def test_a_backup_of_another_engine_is_refused_before_anything_changes(tmp_path):
    call_command("backup_create", str(tmp_path / "b"), stdout=open(os.devnull, "w"))
    manifest_path = tmp_path / "b" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    manifest["engine"] = other
    manifest_path.write_text(json.dumps(manifest))
    expected = "a PostgreSQL database but this site uses SQLite"
    if other == "sqlite":
        expected = "a SQLite database but this site uses PostgreSQL"
    with pytest.raises(CommandError, match=expected):
        call_command("backup_restore", str(tmp_path / "b"), interactive=False)


def test_a_missing_pg_dump_is_named_with_what_to_install(settings, tmp_path):
    settings.BACKUP_POSTGRES_BIN = str(tmp_path)  # a folder without the client programs
    with pytest.raises(BackupError, match="pg_dump was not found.*postgresql-client"):
        postgres_tool("pg_dump")
