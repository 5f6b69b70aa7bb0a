"""Back up the database and the media files into a new folder (README "Backups").

    manage.py backup_create /var/backups/pcc/2026-12-04

Safe while the site runs: SQLite is copied with the online backup API, PostgreSQL with
``pg_dump`` from one snapshot. Run it from cron; ``backup_restore`` reads the folder back.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from operations.services.backups import BackupError, backup_create


class Command(BaseCommand):
    help = _("Back up the database and the media files into a new, empty folder.")

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", type=Path, help=_("The folder to create (it may exist if empty).")
        )

    def handle(self, *args, directory: Path, **options):
        try:
            summary = backup_create(directory=directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _(
                "Backed up the %(engine)s database (%(rows)s rows in %(tables)s tables) and "
                "%(files)s media files (%(bytes)s bytes) to %(directory)s."
            )
            % {
                "engine": summary.engine,
                "rows": summary.rows,
                "tables": summary.tables,
                "files": summary.media_files,
                "bytes": summary.media_bytes,
                "directory": summary.directory,
            }
        )
