"""Replace Wagtail's welcome page with the HomePage, and load the shared taxonomy of
design.md section 3 (topics, SDG regions, audiences, channels). Countries are loaded from
the ISO/M49 data by a later migration."""

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


def load(apps, schema_editor):
    Topic = apps.get_model("kb", "Topic")
    Region = apps.get_model("kb", "Region")
    Audience = apps.get_model("kb", "Audience")
    Channel = apps.get_model("kb", "Channel")

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


def create_home_page(apps, schema_editor):
    """Swap Wagtail's default welcome page for our HomePage and point the default Site at it."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("kb", "HomePage")
    Locale = apps.get_model("wagtailcore", "Locale")

    if HomePage.objects.exists():
        return
    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    root = Page.objects.get(depth=1)
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="kb")
    locale = Locale.objects.order_by("pk").first()
    step = 4
    sibling_paths = Page.objects.filter(depth=2).values_list("path", flat=True)
    last = max((int(p[step:], 36) for p in sibling_paths), default=0)
    path = root.path + _base36(last + 1).rjust(step, "0")
    home = HomePage.objects.create(
        title="PCC Knowledge Hub",
        draft_title="PCC Knowledge Hub",
        slug="home",
        content_type=content_type,
        path=path,
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        live=True,
        intro=(
            "<p>How water utilities, governments and regional organisations communicate with "
            "customers and the public: case studies, method guides and a forum.</p>"
        ),
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "PCC Knowledge Hub"},
    )


def _base36(number: int) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    digits = ""
    while True:
        number, remainder = divmod(number, 36)
        digits = alphabet[remainder] + digits
        if number == 0:
            return digits


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0001_initial"),
        ("wagtailcore", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(create_home_page, migrations.RunPython.noop),
    ]
