"""Create the five role groups with their permissions, and a profile for every existing account.

Self-contained on purpose: the permission sets are copied here, not imported, so history does
not change when ``members/role_permissions.py`` does. Permissions of apps migrated later reach
the groups through ``role_permissions_sync`` after each migrate. Additive only: re-running never
removes a permission an administrator granted by hand. Editors' taxonomy permissions are the
``taxonomy`` app's (migrated before this one).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ("member", "guest", "moderator", "editor", "admin")

TAXONOMY_MANAGED = ("topic", "audience", "channel", "glossaryterm")
TAXONOMY_EDITED = ("region", "country")

MODEL_PERMISSIONS = {
    "member": [],
    "guest": [],
    "moderator": ["members.suspend_member", "members.view_profile"],
    "editor": [
        "wagtailadmin.access_admin",
        *[f"taxonomy.{action}_{model}" for model in TAXONOMY_MANAGED for action in ("add", "change", "delete", "view")],
        *[f"taxonomy.{action}_{model}" for model in TAXONOMY_EDITED for action in ("change", "view")],
    ],
}
PAGE_PERMISSIONS = {
    "editor": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    "admin": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page"],
}
COLLECTION_PERMISSIONS = {
    "editor": [
        "wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image",
        "wagtaildocs.add_document", "wagtaildocs.change_document", "wagtaildocs.choose_document",
    ],
    "admin": [
        "wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image",
        "wagtailimages.delete_image", "wagtaildocs.add_document", "wagtaildocs.change_document",
        "wagtaildocs.choose_document", "wagtaildocs.delete_document",
    ],
}


def ensure_all_permissions(apps):
    """Django creates permissions after the whole migrate run; create them now instead."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def permission(apps, dotted):
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_role_groups(apps, schema_editor):
    ensure_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLES}
    for role, dotted_names in MODEL_PERMISSIONS.items():
        groups[role].permissions.add(*[permission(apps, dotted) for dotted in dotted_names])
    groups["admin"].permissions.add(*Permission.objects.all())

    root_page = Page.objects.filter(depth=1).first()
    if root_page is not None:
        for role, codenames in PAGE_PERMISSIONS.items():
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=groups[role],
                    page=root_page,
                    permission=permission(apps, f"wagtailcore.{codename}"),
                )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for role, dotted_names in COLLECTION_PERMISSIONS.items():
            for dotted in dotted_names:
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[role],
                    collection=root_collection,
                    permission=permission(apps, dotted),
                )


def create_missing_profiles(apps, schema_editor):
    User = apps.get_model("members", "User")
    Profile = apps.get_model("members", "Profile")
    Profile.objects.bulk_create(
        [Profile(user_id=pk) for pk in User.objects.filter(profile__isnull=True).values_list("pk", flat=True)]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("taxonomy", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [
        migrations.RunPython(create_role_groups, migrations.RunPython.noop),
        migrations.RunPython(create_missing_profiles, migrations.RunPython.noop),
    ]
