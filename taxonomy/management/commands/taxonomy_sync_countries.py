"""Refresh Country rows from pycountry and taxonomy/data/unsd_m49_regions.csv (idempotent)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from taxonomy.country_data import sync_countries
from taxonomy.models import Country, Region


class Command(BaseCommand):
    help = "Create or update countries and their SDG regions from the bundled UNSD M49 data."

    def handle(self, *args, **options):
        with transaction.atomic():
            created, updated = sync_countries(country_model=Country, region_model=Region)
        self.stdout.write(f"Countries: {created} created, {updated} updated.")
