"""Settings for the restore side of the backup tests: the test settings, with the database
from DATABASE_URL (set by the test), and media and search index in PCC_RESTORE_DIR."""

import os
from pathlib import Path

from config.settings.test import *  # noqa: F403

RESTORE_DIR = Path(os.environ["PCC_RESTORE_DIR"])
MEDIA_ROOT = RESTORE_DIR / "media"
SEARCH_EMBEDDED_PATH = str(RESTORE_DIR / "search-index.sqlite3")
