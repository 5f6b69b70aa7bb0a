"""Member submissions: create and edit the draft page, start or resume "Editorial review",
and record the editors' decisions.

The page is an ordinary Wagtail draft owned by the member; editors review it in the Wagtail
admin. Markdown is rendered to sanitised HTML here, once, and stored on the page.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    WorkflowState,
)
from wagtail.rich_text import RichText
from wagtail.users.models import UserProfile

from kb import access
from kb.models import CaseStudyPage, KnowledgePage, MethodGuidePage, Submission
from kb.selectors import knowledge_index_page
from markup import KB_RICH_TEXT, render_markdown
from members.models import User
from members.roles import is_member
from members.services.notifications import notification_create
from members.services.suspensions import suspension_check
from taxonomy.models import Audience, Channel, Country, Region, Topic

SUBMISSIONS_COLLECTION = "Member submissions"
MEMBERS_ONLY_COLLECTION = "Members-only resources"
PAGE_MODELS = {
    Submission.Kind.CASE_STUDY: CaseStudyPage,
    Submission.Kind.METHOD_GUIDE: MethodGuidePage,
}
TAXONOMY_MODELS = {
    "topics": Topic,
    "regions": Region,
    "countries": Country,
    "audiences": Audience,
    "channels": Channel,
}


@dataclass(frozen=True)
class SubmissionInput:
    """Validated input from the submission form.

    ``fields`` holds plain values, Markdown source and taxonomy primary keys (the same dict
    is stored as the Submission's source); ``rows`` the indicators or steps.
    """

    fields: dict
    rows: list[dict]
    uploads: list[UploadedFile]
    remove_document_ids: list[int]


@transaction.atomic
def submission_create(
    *, author: User, kind: str, data: SubmissionInput, submit: bool
) -> Submission:
    """Create the member's draft page (owned by them) and, if ``submit``, start review."""
    if not is_member(author):
        raise PermissionDenied(_("Only verified PCC members can submit to the knowledge base."))
    suspension_check(author)
    index = knowledge_index_page()
    if index is None:
        raise ValidationError(_("The knowledge base is not set up yet."))
    _prefer_hub_notifications(author)
    page = PAGE_MODELS[kind](owner=author, live=False, has_unpublished_changes=True)
    documents = _store_uploads(
        data.uploads,
        author=author,
        title_prefix=data.fields["title"],
        members_only=bool(data.fields.get("members_only")),
    )
    _apply_input(page, kind, data, documents=documents)
    index.add_child(instance=page)
    _set_members_only(page, data.fields.get("members_only", False))
    submission = Submission.objects.create(
        author=author,
        page=page,
        kind=kind,
        source={**data.fields, "rows": data.rows},
    )
    _save(submission, page, submit=submit, user=author)
    return submission


@transaction.atomic
def submission_update(
    *, submission: Submission, author: User, data: SubmissionInput, submit: bool
) -> Submission:
    """Save a new revision of the member's draft; submit or resubmit it if asked.

    Refused once the page has been approved: from then on editors own the page.
    """
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.author_id != author.pk:
        raise PermissionDenied(_("You can only edit your own submissions."))
    suspension_check(author)
    if not submission.is_editable:
        raise PermissionDenied(_("This submission has been approved and can no longer be edited."))
    page = submission.page.specific.get_latest_revision_as_object()
    kept = [
        block
        for block in _resource_field(page)
        if block.value["document"] is not None
        and block.value["document"].pk not in data.remove_document_ids
    ]
    documents = _store_uploads(
        data.uploads,
        author=author,
        title_prefix=data.fields["title"],
        members_only=bool(data.fields.get("members_only")),
    )
    _apply_input(page, submission.kind, data, documents=documents, kept_resources=kept)
    _set_members_only(page, data.fields.get("members_only", False))
    submission.source = {**data.fields, "rows": data.rows}
    _save(submission, page, submit=submit, user=author)
    return submission


def _prefer_hub_notifications(author: User) -> None:
    """Wagtail emails a submitter about decisions with links into its admin. A member without
    admin access cannot follow them and gets the hub's own notification instead, so switch
    those two Wagtail emails off for them."""
    if author.has_perm("wagtailadmin.access_admin"):
        return
    profile = UserProfile.get_for_user(author)
    if profile.approved_notifications or profile.rejected_notifications:
        profile.approved_notifications = False
        profile.rejected_notifications = False
        profile.save(update_fields=["approved_notifications", "rejected_notifications"])


def _save(submission: Submission, page: KnowledgePage, *, submit: bool, user: User) -> None:
    # Drafts may be incomplete; a submitted revision must pass full validation.
    page.save_revision(user=user, clean=submit, log_action=True)
    now = timezone.now()
    submission.updated_at = now
    if submit:
        _submit_for_review(submission, page, user=user)
        submission.submitted_at = now
    submission.save()


def _submit_for_review(submission: Submission, page: KnowledgePage, *, user: User) -> None:
    workflow_state = page.current_workflow_state
    if workflow_state is not None and workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        workflow_state.resume(user=user)
    elif workflow_state is None or workflow_state.status != WorkflowState.STATUS_IN_PROGRESS:
        workflow = page.get_workflow()
        if workflow is None:
            raise ValidationError(_("Editorial review is not configured for the knowledge base."))
        workflow.start(page, user)
    submission.status = Submission.Status.IN_REVIEW
    submission.review_comment = ""


def _apply_input(
    page: KnowledgePage,
    kind: str,
    data: SubmissionInput,
    *,
    documents: list,
    kept_resources: list | None = None,
) -> None:
    fields = data.fields
    page.title = fields["title"]
    page.draft_title = fields["title"]
    page.summary = fields.get("summary") or ""
    if fields.get("year"):
        page.year = fields["year"]
    resources = [("resource", block.value) for block in (kept_resources or [])] + [
        ("resource", {"document": document, "description": ""}) for document in documents
    ]
    if kind == Submission.Kind.CASE_STUDY:
        page.organisation = fields.get("organisation") or ""
        page.organisation_type = fields.get("organisation_type") or ""
        page.population_served = fields.get("population_served") or None
        page.budget_band = fields.get("budget_band") or ""
        page.timeline = fields.get("timeline") or ""
        page.contact = fields.get("contact") or ""
        page.challenge = render_markdown(fields.get("challenge", ""), KB_RICH_TEXT).html
        page.objectives = render_markdown(fields.get("objectives", ""), KB_RICH_TEXT).html
        approach = render_markdown(fields.get("approach", ""), KB_RICH_TEXT).html
        page.approach = [("text", RichText(approach))] if approach else []
        page.results_summary = render_markdown(fields.get("results_summary", ""), KB_RICH_TEXT).html
        page.lessons = render_markdown(fields.get("lessons", ""), KB_RICH_TEXT).html
        page.results = [
            (
                "indicator",
                {
                    "indicator": row["indicator"],
                    "before": row.get("before", ""),
                    "after": row["after"],
                    "unit": row.get("unit", ""),
                    "note": "",
                },
            )
            for row in data.rows
        ]
        page.resources = resources
    else:
        page.purpose = render_markdown(fields.get("purpose", ""), KB_RICH_TEXT).html
        page.when_to_use = render_markdown(fields.get("when_to_use", ""), KB_RICH_TEXT).html
        page.when_not_to_use = render_markdown(fields.get("when_not_to_use", ""), KB_RICH_TEXT).html
        page.skills_needed = render_markdown(fields.get("skills_needed", ""), KB_RICH_TEXT).html
        page.effort = fields.get("effort") or ""
        page.cost_band = fields.get("cost_band") or ""
        page.steps = [
            (
                "step",
                {
                    "title": row["title"],
                    "body": RichText(render_markdown(row.get("details", ""), KB_RICH_TEXT).html),
                    "duration": "",
                },
            )
            for row in data.rows
        ]
        page.templates = resources
        # Set only by the forum's promotion of a solved thread; member forms never send them,
        # so an edit of the draft keeps what the page already has.
        for name in ("source_url", "source_thread_id", "contributors"):
            if name in fields:
                setattr(page, name, fields[name])

    terms = {
        name: list(model.objects.filter(pk__in=fields.get(name) or []))
        for name, model in TAXONOMY_MODELS.items()
    }
    # A country implies its SDG region, so filters by region find the page.
    regions = {region.pk: region for region in terms["regions"]}
    for country in Country.objects.filter(pk__in=[c.pk for c in terms["countries"]]).select_related(
        "region"
    ):
        regions.setdefault(country.region_id, country.region)
    terms["regions"] = list(regions.values())
    for name, values in terms.items():
        setattr(page, name, values)


def _resource_field(page: KnowledgePage):
    return page.resources if isinstance(page, CaseStudyPage) else page.templates


def _store_uploads(
    uploads: list[UploadedFile], *, author: User, title_prefix: str, members_only: bool
) -> list:
    if not uploads:
        return []
    Document = get_document_model()
    collection = _submissions_collection(members_only=members_only)
    documents = []
    for upload in uploads:
        document = Document(
            title=(upload.name.rsplit(".", 1)[0] or title_prefix)[:255],
            file=upload,
            collection=collection,
            uploaded_by_user=author,
        )
        document.file_size = upload.size
        document.save()
        documents.append(document)
    return documents


def _submissions_collection(*, members_only: bool) -> Collection:
    """Where uploads go: "Member submissions", or for members-only pages its child
    "Members-only resources", whose view restriction lets only the role groups download
    the files (Wagtail checks collection restrictions when serving documents)."""
    root = Collection.get_first_root_node()
    parent = root.get_children().filter(name=SUBMISSIONS_COLLECTION).first()
    if parent is None:
        parent = root.add_child(name=SUBMISSIONS_COLLECTION)
    if not members_only:
        return parent
    restricted = parent.get_children().filter(name=MEMBERS_ONLY_COLLECTION).first()
    if restricted is None:
        restricted = parent.add_child(name=MEMBERS_ONLY_COLLECTION)
        restriction = CollectionViewRestriction.objects.create(
            collection=restricted, restriction_type=CollectionViewRestriction.GROUPS
        )
        restriction.groups.set(access.members_only_groups())
    return restricted


def _set_members_only(page: Page, members_only: bool) -> None:
    restriction = PageViewRestriction.objects.filter(
        page=page, restriction_type=PageViewRestriction.GROUPS
    ).first()
    if members_only:
        if restriction is None:
            restriction = PageViewRestriction.objects.create(
                page=page, restriction_type=PageViewRestriction.GROUPS
            )
        restriction.groups.set(access.members_only_groups())
    elif restriction is not None:
        restriction.delete()


# ---- Editorial decisions (called from Wagtail's workflow signals, see kb.signals) ----


@transaction.atomic
def submission_record_decision(
    *, workflow_state: WorkflowState, approved: bool, reviewer: User | None
) -> Submission | None:
    """Mirror an editor's approve / request-changes decision on the Submission and tell the
    author (in-app; members' notification service emails per their preference).

    KB pages submitted from the admin (no Submission) still notify whoever submitted them.
    """
    page = workflow_state.content_object
    if not isinstance(page, Page):
        return None
    page = page.specific
    comment = _decision_comment(workflow_state)
    submission = Submission.objects.filter(page_id=page.pk).select_related("author").first()
    recipient = submission.author if submission else workflow_state.requested_by
    if submission is not None:
        submission.status = (
            Submission.Status.PUBLISHED if approved else Submission.Status.CHANGES_REQUESTED
        )
        submission.review_comment = comment
        submission.decided_at = timezone.now()
        submission.save(update_fields=["status", "review_comment", "decided_at"])
    if recipient is None:
        return submission
    is_guide = isinstance(page, MethodGuidePage)
    if approved:
        kind = "kb.submission.approved"
        title = (
            _("Your method guide “%(title)s” was approved and published")
            if is_guide
            else _("Your case study “%(title)s” was approved and published")
        ) % {"title": page.title}
        url = page.get_url() or ""
    else:
        kind = "kb.submission.changes_requested"
        title = (
            _("Changes requested on your method guide “%(title)s”")
            if is_guide
            else _("Changes requested on your case study “%(title)s”")
        ) % {"title": page.draft_title}
        url = reverse("kb:submission_edit", args=[submission.pk]) if submission else ""
    notification_create(
        recipient=recipient, kind=kind, title=title, url=url, body=comment, actor=reviewer
    )
    return submission


@transaction.atomic
def submission_record_cancellation(*, workflow_state: WorkflowState) -> None:
    """An editor (or the author) cancelled the review: the page is a draft again."""
    Submission.objects.filter(
        page_id=workflow_state.object_id,
        status__in=[Submission.Status.IN_REVIEW, Submission.Status.CHANGES_REQUESTED],
    ).update(status=Submission.Status.WITHDRAWN, updated_at=timezone.now())


def _decision_comment(workflow_state: WorkflowState) -> str:
    task_state = workflow_state.current_task_state
    if task_state is None:
        task_state = workflow_state.task_states.order_by("-finished_at", "-pk").first()
    return (task_state.specific.get_comment() or "") if task_state else ""
