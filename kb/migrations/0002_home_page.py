"""Replace Wagtail's welcome page with the HomePage and point the default Site at it.

The Site's hostname and port written here are placeholders: ``kb.services.sites.site_sync``
sets them from ``settings.SITE_URL`` after every ``migrate`` and when a server starts.
"""

from django.db import migrations


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
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [
        migrations.RunPython(create_home_page, migrations.RunPython.noop),
    ]
