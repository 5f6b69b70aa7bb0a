"""Backing up the database and the media files, and restoring them (README "Backups").

A backup is one folder:

- ``database.sqlite3`` (SQLite: a copy made with the online backup API, consistent while the
  site keeps writing) or ``database.dump`` (PostgreSQL: ``pg_dump --format=custom``);
- ``media.tar``: every file under ``MEDIA_ROOT``;
- ``manifest.json``, written last: the engine, the time, the files and the number of rows of
  every model's table *in the copied snapshot* (SQLite: counted in the copy; PostgreSQL:
  counted in a repeatable-read transaction whose snapshot ``pg_dump --snapshot`` dumps).

Restoring writes the database back (the backup API into the configured SQLite database;
``pg_restore --clean --if-exists --single-transaction`` into the configured PostgreSQL one),
unpacks the media over ``MEDIA_ROOT`` and then counts every table again: a count that differs
from the manifest is an error. The search index is not part of a backup; it is rebuilt from
the restored database (the command does it).
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
POSTGRES_TIMEOUT_SECONDS = 3600


class BackupError(Exception):
    """A backup or restore that cannot go ahead; ``str()`` says why and what to do."""


@dataclass(frozen=True)
class BackupSummary:
    directory: Path
    engine: str
    tables: int
    rows: int
    media_files: int
    media_bytes: int


@dataclass(frozen=True)
class RestoreSummary:
    directory: Path
    engine: str
    rows: int
    media_files: int
    mismatches: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Table -> (rows in the backup, rows after the restore), for every table that differs."""


def database_engine() -> str:
    """ "sqlite" or "postgresql": the engines a backup knows; any other is an error."""
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL; this site's database is %(vendor)s.")
            % {"vendor": vendor}
        )
    return vendor


def postgres_tool(name: str) -> str:
    """The path of ``pg_dump`` or ``pg_restore``: in ``BACKUP_POSTGRES_BIN`` when that is set,
    else on ``PATH``, else in the newest /usr/lib/postgresql/<version>/bin (Debian)."""
    folder = getattr(settings, "BACKUP_POSTGRES_BIN", "")
    if folder:
        candidates = [Path(folder) / name]
    else:
        found = shutil.which(name)
        candidates = [Path(found)] if found else []
        versions = sorted(
            Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
            key=lambda path: [int(part) for part in path.parts[-3].split(".") if part.isdigit()],
        )
        candidates += reversed(versions)
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise BackupError(
        _(
            "%(tool)s was not found. Install the PostgreSQL client programs (Debian: "
            "apt-get install postgresql-client) or set BACKUP_POSTGRES_BIN to the folder that "
            "holds them."
        )
        % {"tool": name}
    )


def model_tables() -> list[str]:
    """The table of every concrete model Django manages (many-to-many tables included)."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


def _count_rows(cursor, tables: list[str], quote) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (our own table names)
        counts[table] = cursor.fetchone()[0]
    return counts


def _postgres_environment() -> dict[str, str]:
    """libpq's variables for the configured database (the password never on a command line)."""
    params = connection.settings_dict
    env = dict(os.environ)
    env.update(
        {
            "PGHOST": params["HOST"] or "localhost",
            "PGPORT": str(params["PORT"] or 5432),
            "PGUSER": params["USER"] or "",
            "PGDATABASE": params["NAME"],
        }
    )
    if params["PASSWORD"]:
        env["PGPASSWORD"] = params["PASSWORD"]
    return env


def _run(command: list[str], *, env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(  # noqa: S603 (the PostgreSQL client programs, found above)
            command,
            env=env,
            capture_output=True,
            text=True,
            timeout=POSTGRES_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BackupError(
            _("%(what)s could not run: %(error)s") % {"what": what, "error": error}
        ) from error
    if done.returncode != 0:
        raise BackupError(
            _("%(what)s failed (exit status %(status)s): %(error)s")
            % {"what": what, "status": done.returncode, "error": done.stderr.strip()[-2000:]}
        )


def _sqlite_copy(target: Path) -> dict[str, int]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        return _count_rows(copy.cursor(), model_tables(), connection.ops.quote_name)
    finally:
        copy.close()


def _postgres_dump(target: Path) -> dict[str, int]:
    pg_dump = postgres_tool("pg_dump")
    snapshot_holder = connection.get_new_connection(connection.get_connection_params())
    try:
        snapshot_holder.autocommit = False
        with snapshot_holder.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _count_rows(cursor, model_tables(), connection.ops.quote_name)
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--no-owner",
                    "--no-privileges",
                    f"--file={target}",
                ],
                env=_postgres_environment(),
                what="pg_dump",
            )
        snapshot_holder.rollback()
    finally:
        snapshot_holder.close()
    return counts


def _media_archive(target: Path) -> tuple[int, int]:
    root = Path(settings.MEDIA_ROOT)
    files = sorted(path for path in root.rglob("*") if path.is_file()) if root.is_dir() else []
    with tarfile.open(target, "w") as archive:
        for path in files:
            archive.add(path, arcname=str(path.relative_to(root)), recursive=False)
    return len(files), sum(path.stat().st_size for path in files)


def backup_create(*, directory: Path) -> BackupSummary:
    """Back up the database and the media files into ``directory`` (new or empty)."""
    engine = database_engine()
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BackupError(
            _("%(directory)s is not an empty folder: give every backup a new folder.")
            % {"directory": directory}
        )
    if engine == "postgresql":
        postgres_tool("pg_dump")  # before anything is written
    directory.mkdir(parents=True, exist_ok=True)
    database_file = directory / DATABASE_FILES[engine]
    counts = _sqlite_copy(database_file) if engine == "sqlite" else _postgres_dump(database_file)
    media_files, media_bytes = _media_archive(directory / MEDIA_ARCHIVE)
    manifest = {
        "format": FORMAT,
        "engine": engine,
        "created_at": timezone.now().isoformat(),
        "database_file": database_file.name,
        "media_archive": MEDIA_ARCHIVE,
        "media_files": media_files,
        "media_bytes": media_bytes,
        "row_counts": counts,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return BackupSummary(
        directory=directory,
        engine=engine,
        tables=len(counts),
        rows=sum(counts.values()),
        media_files=media_files,
        media_bytes=media_bytes,
    )


def backup_manifest(*, directory: Path) -> dict:
    """The manifest of the backup in ``directory``, checked against this site's database."""
    directory = Path(directory)
    if not directory.is_dir():
        raise BackupError(_("There is no folder %(directory)s.") % {"directory": directory})
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(
            _("%(directory)s holds no complete backup: %(manifest)s is missing.")
            % {"directory": directory, "manifest": MANIFEST}
        ) from None
    except (OSError, ValueError) as error:
        raise BackupError(
            _("%(manifest)s in %(directory)s cannot be read: %(error)s")
            % {"manifest": MANIFEST, "directory": directory, "error": error}
        ) from error
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("This backup has format %(found)s; this version of the hub reads format %(known)s.")
            % {"found": manifest.get("format"), "known": FORMAT}
        )
    engine = database_engine()
    if manifest.get("engine") != engine:
        backup_engine = ENGINE_NAMES.get(manifest.get("engine"), manifest.get("engine"))
        raise BackupError(
            _(
                "This backup holds a %(backup)s database but this site uses %(current)s: "
                "restore it with DATABASE_URL pointing at a %(backup)s database."
            )
            % {"backup": backup_engine, "current": ENGINE_NAMES[engine]}
        )
    for name in (manifest["database_file"], manifest["media_archive"]):
        if not (directory / name).is_file():
            raise BackupError(
                _("%(directory)s holds no complete backup: %(file)s is missing.")
                % {"directory": directory, "file": name}
            )
    return manifest


def _sqlite_restore(source: Path) -> None:
    backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        connection.ensure_connection()
        backup.backup(connection.connection)
    finally:
        backup.close()


def _postgres_restore(source: Path) -> None:
    pg_restore = postgres_tool("pg_restore")
    params = connection.settings_dict
    connection.close()
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={params['NAME']}",
            str(source),
        ],
        env=_postgres_environment(),
        what="pg_restore",
    )


def _media_unpack(archive_path: Path) -> int:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path, "r") as archive:
        members = [member for member in archive.getmembers() if member.isfile()]
        # The "data" filter refuses absolute paths, "..", links out of the folder and devices.
        archive.extractall(root, members=members, filter="data")
    return len(members)


def backup_restore(*, directory: Path) -> RestoreSummary:
    """Replace this site's database with the backup in ``directory`` and unpack its media
    files over ``MEDIA_ROOT``; then compare every table's row count with the backup's."""
    directory = Path(directory)
    manifest = backup_manifest(directory=directory)
    engine = manifest["engine"]
    database_file = directory / manifest["database_file"]
    if engine == "sqlite":
        _sqlite_restore(database_file)
    else:
        _postgres_restore(database_file)
    media_files = _media_unpack(directory / manifest["media_archive"])
    expected = manifest["row_counts"]
    with connection.cursor() as cursor:
        found = _count_rows(cursor, sorted(expected), connection.ops.quote_name)
    mismatches = {
        table: (rows, found[table]) for table, rows in expected.items() if found[table] != rows
    }
    return RestoreSummary(
        directory=directory,
        engine=engine,
        rows=sum(found.values()),
        media_files=media_files,
        mismatches=mismatches,
    )
