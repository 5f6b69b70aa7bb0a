"""Load every ISO 3166-1 country with its M49 code and SDG region.

Reads kb/data/unsd_m49_regions.csv through kb.country_data (see kb/data/README.md for the
source and the sub-region -> SDG region table). Idempotent: existing rows are updated.
`manage.py kb_sync_countries` runs the same code after the data file is refreshed.
"""

from django.db import migrations


def load_countries(apps, schema_editor):
    from kb.country_data import sync_countries

    sync_countries(
        country_model=apps.get_model("kb", "Country"),
        region_model=apps.get_model("kb", "Region"),
    )


class Migration(migrations.Migration):
    dependencies = [("kb", "0003_pages_and_submissions")]

    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
