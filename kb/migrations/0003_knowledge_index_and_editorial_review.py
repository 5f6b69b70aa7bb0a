"""Create the KnowledgeIndexPage at /knowledge/, the "Editorial review" workflow on it, and
the editors' permissions on it and on the taxonomy.

The role groups come from the members migration this one depends on; the editor group is
still fetched with get_or_create, so the migration is idempotent. The group name is
members.roles' constant, repeated here because migrations must not depend on application code
that may change.
"""

from django.db import migrations

EDITOR = "editor"
WORKFLOW_NAME = "Editorial review"
TASK_NAME = "Editorial review"
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
EDITOR_MODEL_PERMISSIONS = {
    "taxonomy": ("topic", "region", "country", "audience", "channel", "glossaryterm"),
}
EDITOR_COLLECTION_PERMISSIONS = (
    ("wagtaildocs", "document", ("add", "change", "choose")),
    ("wagtailimages", "image", ("add", "change", "choose")),
)


def _base36(number: int) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    digits = ""
    while True:
        number, remainder = divmod(number, 36)
        digits = alphabet[remainder] + digits
        if number == 0:
            return digits


def _ensure_permissions(apps):
    """Permissions are normally created after migrate; this migration needs them now."""
    from django.contrib.auth.management import create_permissions

    for label in ("kb", "taxonomy", "wagtailcore", "wagtailadmin", "wagtaildocs", "wagtailimages"):
        app_config = apps.get_app_config(label)
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = original


def create_index_page(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("kb", "HomePage")
    KnowledgeIndexPage = apps.get_model("kb", "KnowledgeIndexPage")

    existing = KnowledgeIndexPage.objects.first()
    if existing is not None:
        return existing
    home = HomePage.objects.order_by("path").first()
    if home is None:
        return None
    content_type, _ = ContentType.objects.get_or_create(app_label="kb", model="knowledgeindexpage")
    step = 4
    child_paths = Page.objects.filter(
        path__startswith=home.path, depth=home.depth + 1
    ).values_list("path", flat=True)
    last = max((int(p[-step:], 36) for p in child_paths), default=0)
    index = KnowledgeIndexPage.objects.create(
        title="Knowledge base",
        draft_title="Knowledge base",
        slug="knowledge",
        content_type=content_type,
        path=home.path + _base36(last + 1).rjust(step, "0"),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}knowledge/",
        locale_id=home.locale_id,
        live=True,
        seo_title="Knowledge base: case studies and method guides",
        search_description=(
            "Case studies and method guides on how water utilities and governments "
            "communicate with customers and the public, by topic and region."
        ),
        intro=(
            "<p>Case studies answer “what did a utility like mine do, and did it work?”. "
            "Method guides answer “how do I run this technique?”.</p>"
        ),
    )
    Page.objects.filter(pk=home.pk).update(
        numchild=Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).count()
    )
    return index


def create_workflow_and_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Collection = apps.get_model("wagtailcore", "Collection")

    editors, _ = Group.objects.get_or_create(name=EDITOR)

    index = create_index_page(apps)
    _ensure_permissions(apps)

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.add(editors)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    if index is not None:
        WorkflowPage.objects.update_or_create(page_id=index.pk, defaults={"workflow": workflow})

    editors.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for app_label, models in EDITOR_MODEL_PERMISSIONS.items():
        for model in models:
            for action in ("add", "change", "delete"):
                editors.permissions.add(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    )
                )
    if index is not None:
        for codename in EDITOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=editors,
                page_id=index.pk,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for app_label, model, actions in EDITOR_COLLECTION_PERMISSIONS:
            for action in actions:
                GroupCollectionPermission.objects.get_or_create(
                    group=editors,
                    collection=root_collection,
                    permission=Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    ),
                )


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0002_home_page"),
        ("members", "0002_role_groups_and_profiles"),
        ("taxonomy", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(create_workflow_and_permissions, migrations.RunPython.noop),
    ]
