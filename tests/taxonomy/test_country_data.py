"""Countries come from ISO 3166 (pycountry) and the UNSD M49 list, loaded by a migration."""

import pycountry
import pytest

from taxonomy.country_data import SDG_REGION_BY_SUB_REGION, country_records, sdg_region_slug
from taxonomy.models import Country, Region

SAMPLE = {
    "KE": "sub-saharan-africa",
    "NG": "sub-saharan-africa",
    "ZA": "sub-saharan-africa",
    "MX": "latin-america-and-the-caribbean",
    "BR": "latin-america-and-the-caribbean",
    "JM": "latin-america-and-the-caribbean",
    "NZ": "australia-and-new-zealand",
    "AU": "australia-and-new-zealand",
    "FJ": "oceania",
    "WS": "oceania",
    "DE": "europe-and-northern-america",
    "US": "europe-and-northern-america",
    "CA": "europe-and-northern-america",
    "EG": "northern-africa-and-western-asia",
    "SA": "northern-africa-and-western-asia",
    "TR": "northern-africa-and-western-asia",
    "IN": "central-and-southern-asia",
    "KZ": "central-and-southern-asia",
    "IR": "central-and-southern-asia",
    "CN": "eastern-and-south-eastern-asia",
    "PH": "eastern-and-south-eastern-asia",
    "AQ": "global",
}


@pytest.mark.django_db
@pytest.mark.parametrize(("iso", "region_slug"), sorted(SAMPLE.items()))
def test_migration_loaded_country_into_its_sdg_region(iso, region_slug):
    country = Country.objects.select_related("region").get(iso_alpha2=iso)
    assert country.region.slug == region_slug
    assert country.m49_code == pycountry.countries.get(alpha_2=iso).numeric


@pytest.mark.django_db
def test_every_iso_country_is_loaded_once():
    assert Country.objects.count() == len(pycountry.countries)
    assert set(Country.objects.values_list("iso_alpha2", flat=True)) == {
        c.alpha_2 for c in pycountry.countries
    }


@pytest.mark.django_db
def test_every_sdg_region_has_countries_and_global_has_only_unassigned_ones():
    for region in Region.objects.filter(is_global=False):
        assert region.countries.exists(), region.slug
    assert list(
        Region.objects.get(slug="global").countries.values_list("iso_alpha2", flat=True)
    ) == ["AQ"]


def test_sdg_table_maps_only_to_the_eight_region_slugs():
    assert set(SDG_REGION_BY_SUB_REGION.values()) == {
        "sub-saharan-africa",
        "northern-africa-and-western-asia",
        "central-and-southern-asia",
        "eastern-and-south-eastern-asia",
        "latin-america-and-the-caribbean",
        "oceania",
        "australia-and-new-zealand",
        "europe-and-northern-america",
    }
    assert sdg_region_slug("") == "global"


def test_data_file_names_use_pycountry_common_names():
    names = {record.iso_alpha2: record.name for record in country_records()}
    assert names["BO"] == "Bolivia"
    assert names["TW"] == "Taiwan"


def test_a_csv_that_disagrees_with_iso_is_refused(tmp_path):
    bad = tmp_path / "m49.csv"
    bad.write_text(
        "country_or_area,iso_alpha2,iso_alpha3,m49_code,region_code,region_name,sub_region_code,"
        "sub_region_name,intermediate_region_code,intermediate_region_name\n"
        "Kenya,KE,KEN,999,002,Africa,202,Sub-Saharan Africa,014,Eastern Africa\n"
    )
    with pytest.raises(ValueError, match="KE"):
        country_records(bad)


@pytest.mark.django_db
def test_sync_command_is_idempotent_and_repairs_a_moved_country():
    from django.core.management import call_command

    kenya = Country.objects.get(iso_alpha2="KE")
    kenya.region = Region.objects.get(slug="oceania")
    kenya.save()
    call_command("taxonomy_sync_countries", verbosity=0)
    kenya.refresh_from_db()
    assert kenya.region.slug == "sub-saharan-africa"
    count = Country.objects.count()
    call_command("taxonomy_sync_countries", verbosity=0)
    assert Country.objects.count() == count
