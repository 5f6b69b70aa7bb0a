"""What the backup tests compare, as JSON: rows per table, posts, pages, profiles, media.

python -m tests.operations.snapshot OUT.json     (under tests.operations.settings)
"""

import hashlib
import json
import os
import sys
from pathlib import Path


def snapshot() -> dict:
    from django.conf import settings
    from django.db import connection
    from wagtail.models import Page

    from forum.models import Post
    from members.models import Profile
    from operations.services.backups import model_tables

    with connection.cursor() as cursor:
        rows = {}
        for table in model_tables():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            rows[table] = cursor.fetchone()[0]
    root = Path(settings.MEDIA_ROOT)
    media = {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }
    return {
        "rows": rows,
        "posts": sorted(Post.objects.values_list("pk", "thread_id", "body")),
        "pages": sorted(Page.objects.values_list("pk", "url_path", "title", "live")),
        "profiles": sorted(
            Profile.objects.values_list("user__email", "user__display_name", "organisation")
        ),
        "media": media,
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.operations.settings")
    import django

    django.setup()
    Path(sys.argv[1]).write_text(json.dumps(snapshot()), encoding="utf-8")
