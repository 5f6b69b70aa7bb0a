"""Restore a backup made by ``backup_create`` into the configured database (README "Backups").

    manage.py backup_restore /var/backups/pcc/2026-12-04

It replaces the database's contents, unpacks the media files over ``MEDIA_ROOT``, checks every
table's row count against the backup and rebuilds the search index from the restored data
(``--no-search-rebuild`` skips that). Stop the site and the worker first. It asks before it
starts unless ``--noinput`` is given.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from operations.services.backups import BackupError, backup_manifest, backup_restore


class Command(BaseCommand):
    help = _("Replace the database and add the media files from a backup folder.")

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help=_("A folder made by backup_create."))
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=_("Do not ask for confirmation."),
        )
        parser.add_argument(
            "--no-search-rebuild",
            action="store_false",
            dest="search_rebuild",
            help=_("Do not rebuild the search index afterwards."),
        )

    def handle(self, *args, directory: Path, interactive: bool, search_rebuild: bool, **options):
        try:
            manifest = backup_manifest(directory=directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if interactive:
            question = _(
                "This replaces everything in the database %(database)s with the backup of "
                "%(created)s and unpacks its media files into %(media)s.\n"
                "Type 'yes' to continue, or anything else to cancel: "
            ) % {
                "database": connection.settings_dict["NAME"],
                "created": manifest["created_at"],
                "media": settings.MEDIA_ROOT,
            }
            if input(question).strip().lower() != "yes":
                raise CommandError(_("Restore cancelled; nothing was changed."))
        try:
            summary = backup_restore(directory=directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if summary.mismatches:
            lines = [
                _("%(table)s: %(backup)s rows in the backup, %(found)s restored")
                % {"table": table, "backup": backup, "found": found}
                for table, (backup, found) in sorted(summary.mismatches.items())
            ]
            raise CommandError(
                _("The restored database does not match the backup:") + "\n" + "\n".join(lines)
            )
        self.stdout.write(
            _(
                "Restored the %(engine)s database (%(rows)s rows, every table's count as in the "
                "backup) and %(files)s media files from %(directory)s."
            )
            % {
                "engine": summary.engine,
                "rows": summary.rows,
                "files": summary.media_files,
                "directory": summary.directory,
            }
        )
        if search_rebuild:
            call_command("search_index", "rebuild", stdout=self.stdout, stderr=self.stderr)
