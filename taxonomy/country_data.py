"""Countries and their SDG region, from ISO 3166 (pycountry) and the UNSD M49 overview.

``taxonomy/data/unsd_m49_regions.csv`` holds each country's M49 region codes (see
taxonomy/data/README.md for its source). UNSD builds the eight SDG regional groupings from M49
sub-regions, so a country's SDG region follows from its sub-region code through
``SDG_REGION_BY_SUB_REGION``: a short, documented table of codes rather than per-country
guesses.

Used by the data migration that loads countries and by ``manage.py taxonomy_sync_countries``.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

import pycountry

M49_CSV = Path(__file__).resolve().parent / "data" / "unsd_m49_regions.csv"

GLOBAL_REGION_SLUG = "global"

# UNSD, "SDG regional groupings": each grouping is a union of M49 sub-regions.
SDG_REGION_BY_SUB_REGION: dict[str, str] = {
    "202": "sub-saharan-africa",  # Sub-Saharan Africa
    "015": "northern-africa-and-western-asia",  # Northern Africa
    "145": "northern-africa-and-western-asia",  # Western Asia
    "143": "central-and-southern-asia",  # Central Asia
    "034": "central-and-southern-asia",  # Southern Asia
    "030": "eastern-and-south-eastern-asia",  # Eastern Asia
    "035": "eastern-and-south-eastern-asia",  # South-eastern Asia
    "419": "latin-america-and-the-caribbean",  # Latin America and the Caribbean
    "053": "australia-and-new-zealand",  # Australia and New Zealand
    "054": "oceania",  # Melanesia
    "057": "oceania",  # Micronesia
    "061": "oceania",  # Polynesia
    "151": "europe-and-northern-america",  # Eastern Europe
    "154": "europe-and-northern-america",  # Northern Europe
    "039": "europe-and-northern-america",  # Southern Europe
    "155": "europe-and-northern-america",  # Western Europe
    "021": "europe-and-northern-america",  # Northern America
}


@dataclass(frozen=True)
class CountryRecord:
    name: str
    iso_alpha2: str
    m49_code: str
    sub_region_code: str
    region_slug: str


def sdg_region_slug(sub_region_code: str) -> str:
    """The SDG region slug for an M49 sub-region code; Global when the code has none."""
    return SDG_REGION_BY_SUB_REGION.get(sub_region_code, GLOBAL_REGION_SLUG)


def display_name(iso_alpha2: str) -> str:
    """pycountry's common name where ISO has one ("Bolivia"), else its short name."""
    country = pycountry.countries.get(alpha_2=iso_alpha2)
    return getattr(country, "common_name", None) or country.name


def country_records(csv_path: Path = M49_CSV) -> list[CountryRecord]:
    """Every ISO 3166-1 country with its M49 code and SDG region slug.

    Raises ValueError when the CSV disagrees with pycountry about a code, or when a sub-region
    code is not in the SDG table, so a stale or damaged file fails loudly instead of
    misfiling countries.
    """
    records = []
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            alpha2 = row["iso_alpha2"].strip()
            country = pycountry.countries.get(alpha_2=alpha2)
            if country is None or country.numeric != row["m49_code"].strip():
                raise ValueError(f"{csv_path.name}: {alpha2} disagrees with ISO 3166 (pycountry)")
            sub_region = row["sub_region_code"].strip()
            if sub_region and sub_region not in SDG_REGION_BY_SUB_REGION:
                raise ValueError(f"{csv_path.name}: unknown M49 sub-region {sub_region}")
            records.append(
                CountryRecord(
                    name=display_name(alpha2),
                    iso_alpha2=alpha2,
                    m49_code=country.numeric,
                    sub_region_code=sub_region,
                    region_slug=sdg_region_slug(sub_region),
                )
            )
    return records


def sync_countries(*, country_model, region_model) -> tuple[int, int]:
    """Create or update Country rows from ``country_records()``; return (created, updated).

    Takes the model classes so the data migration can pass its historical models.
    Slugs of existing rows are kept (they are stable identifiers).
    """
    from django.utils.text import slugify

    regions = {region.slug: region for region in region_model.objects.all()}
    existing = {country.iso_alpha2: country for country in country_model.objects.all()}
    created = updated = 0
    for record in country_records():
        region = regions[record.region_slug]
        country = existing.get(record.iso_alpha2)
        if country is None:
            country_model.objects.create(
                name=record.name,
                iso_alpha2=record.iso_alpha2,
                m49_code=record.m49_code,
                slug=slugify(record.name) or record.iso_alpha2.lower(),
                region=region,
            )
            created += 1
        elif (country.name, country.m49_code, country.region_id) != (
            record.name,
            record.m49_code,
            region.pk,
        ):
            country.name = record.name
            country.m49_code = record.m49_code
            country.region = region
            country.save(update_fields=["name", "m49_code", "region"])
            updated += 1
    return created, updated
