"""Load the shared taxonomy of design.md section 3: topics (two levels), the eight SDG regions
plus Global, audiences and channels; then every ISO 3166-1 country with its UN M49 code and
SDG region.

Countries are read from taxonomy/data/unsd_m49_regions.csv through taxonomy.country_data (see
taxonomy/data/README.md for the source and the sub-region -> SDG region table); the same code
runs as ``manage.py taxonomy_sync_countries`` after the data file is refreshed. Idempotent:
existing rows are kept (terms) or updated (countries).
"""

from django.db import migrations
from django.utils.text import slugify

TOPICS = [
    ("Customer experience and trust", []),
    ("Behaviour change and conservation", []),
    ("Tariffs and investment", []),
    ("Water quality and public health", []),
    ("Risk and crisis communication", []),
    ("Stakeholder and community engagement", []),
    (
        "Digital channels",
        [
            "Social media",
            "SMS and text messaging",
            "Mobile apps and surveys",
            "Smart meters and AMI feedback",
            "Web and chatbots",
        ],
    ),
    ("Environment and source protection", []),
    ("Inclusion and accessibility", []),
    ("Research and evaluation", []),
    ("Internal and cross-group communication", []),
]
TOPIC_DESCRIPTIONS = {
    "Risk and crisis communication": "Drought, flood, outage and contamination messaging.",
}

# The eight SDG regional groupings (UN Statistics Division), plus Global.
REGIONS = [
    ("Sub-Saharan Africa", "sub-saharan-africa", "202"),
    ("Northern Africa and Western Asia", "northern-africa-and-western-asia", "747"),
    ("Central and Southern Asia", "central-and-southern-asia", "62"),
    ("Eastern and South-Eastern Asia", "eastern-and-south-eastern-asia", "753"),
    ("Latin America and the Caribbean", "latin-america-and-the-caribbean", "419"),
    ("Oceania (excluding Australia and New Zealand)", "oceania", "543"),
    ("Australia and New Zealand", "australia-and-new-zealand", "53"),
    ("Europe and Northern America", "europe-and-northern-america", "513"),
]

AUDIENCES = [
    "Residential customers",
    "Business customers",
    "Vulnerable customers",
    "Communities",
    "Elected officials and regulators",
    "Media",
    "Schools and youth",
    "Staff",
]

CHANNELS = [
    "Social media",
    "SMS",
    "Email",
    "Bill inserts",
    "Web",
    "Mobile app",
    "Smart-meter portal",
    "Events and face to face",
    "Radio and TV",
    "Print and outdoor",
    "Call centre",
]


def load_terms(apps, schema_editor):
    Topic = apps.get_model("taxonomy", "Topic")
    Region = apps.get_model("taxonomy", "Region")
    Audience = apps.get_model("taxonomy", "Audience")
    Channel = apps.get_model("taxonomy", "Channel")

    for order, (name, children) in enumerate(TOPICS):
        parent, _ = Topic.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "sort_order": order,
                "description": TOPIC_DESCRIPTIONS.get(name, ""),
            },
        )
        for child_order, child in enumerate(children):
            Topic.objects.get_or_create(
                slug=slugify(child),
                defaults={"name": child, "sort_order": child_order, "parent": parent},
            )
    for order, (name, slug, code) in enumerate(REGIONS):
        Region.objects.get_or_create(
            slug=slug, defaults={"name": name, "m49_code": code, "sort_order": order}
        )
    Region.objects.get_or_create(
        slug="global",
        defaults={"name": "Global / multi-region", "is_global": True, "sort_order": 99},
    )
    for model, names in ((Audience, AUDIENCES), (Channel, CHANNELS)):
        for order, name in enumerate(names):
            model.objects.get_or_create(
                slug=slugify(name), defaults={"name": name, "sort_order": order}
            )


def load_countries(apps, schema_editor):
    from taxonomy.country_data import sync_countries

    sync_countries(
        country_model=apps.get_model("taxonomy", "Country"),
        region_model=apps.get_model("taxonomy", "Region"),
    )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [
        migrations.RunPython(load_terms, migrations.RunPython.noop),
        migrations.RunPython(load_countries, migrations.RunPython.noop),
    ]
