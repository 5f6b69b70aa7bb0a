"""Member submissions: the front-end form, permissions, validation, uploads, editing,
and the editorial decision flowing back to the author."""

import io
import zipfile

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import PageViewRestriction, WorkflowState

from kb.models import CaseStudyPage, MethodGuidePage, Submission
from members.models import Notification
from taxonomy.models import Audience
from tests.factories import kb as f
from tests.factories import taxonomy as taxonomy_factories
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db

NEW_CASE_STUDY = reverse("kb:submission_new", args=["case-study"])
NEW_GUIDE = reverse("kb:submission_new", args=["method-guide"])


def rows(prefix: str, filled: list[dict], total: int = 4) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "12",
    }
    for number, row in enumerate(filled):
        for key, value in row.items():
            data[f"{prefix}-{number}-{key}"] = value
    return data


def case_study_data(**overrides) -> dict:
    data = {
        "title": "Nairobi SMS outage alerts",
        "summary": "Text alerts before planned outages cut complaints.",
        "organisation": "Example Water Company",
        "organisation_type": "utility",
        "population_served": "450000",
        "countries": [str(taxonomy_factories.country("KE").pk)],
        "year": "2023",
        "timeline": "2022 to 2023",
        "challenge": "Customers learned of outages **too late**. <script>alert(1)</script>",
        "objectives": "Warn 90% of affected customers 24 hours ahead.",
        "approach": "We segmented customers by zone and sent SMS via [our gateway](https://example.org).",
        "results_summary": "Complaints fell.",
        "lessons": "- Start with accurate zone data\n- Test the wording",
        "topics": [
            str(taxonomy_factories.topic("risk-and-crisis-communication").pk),
            str(taxonomy_factories.topic("sms-and-text-messaging").pk),
        ],
        "audiences": [str(Audience.objects.get(slug="residential-customers").pk)],
        "channels": [],
        "action": "submit",
        **rows(
            "indicators",
            [
                {
                    "indicator": "Outage complaints per month",
                    "before": "420",
                    "after": "150",
                    "unit": "",
                }
            ],
        ),
    }
    data.update(overrides)
    return data


def guide_data(**overrides) -> dict:
    data = {
        "title": "How to run a drought text campaign",
        "summary": "A step-by-step guide.",
        "purpose": "Reduce demand during drought.",
        "when_to_use": "When reservoirs fall below 40%.",
        "year": "2024",
        "regions": [str(taxonomy_factories.region("global").pk)],
        "topics": [str(taxonomy_factories.topic("behaviour-change-and-conservation").pk)],
        "action": "submit",
        **rows(
            "steps",
            [{"title": "Agree the trigger", "details": "Set the level that starts the campaign."}],
            total=6,
        ),
    }
    data.update(overrides)
    return data


@pytest.fixture
def member(client):
    user = f.user_with_role("member")
    client.force_login(user)
    return user


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(NEW_CASE_STUDY)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("role", [None, "guest"])
def test_signed_in_non_members_cannot_submit(client, role):
    user = f.user_with_role(role) if role else UserFactory()
    client.force_login(user)
    for url in (NEW_CASE_STUDY, reverse("kb:submission_list")):
        response = client.get(url)
        assert response.status_code == 403
        assert "Submissions are for PCC members" in response.content.decode()
    assert client.post(NEW_CASE_STUDY, case_study_data()).status_code == 403
    assert not Submission.objects.exists()


def test_member_submits_a_case_study_which_enters_editorial_review(client, member):
    response = client.post(NEW_CASE_STUDY, case_study_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    submission = Submission.objects.get()
    assert submission.author == member
    assert submission.status == Submission.Status.IN_REVIEW
    page = submission.page.specific
    assert isinstance(page, CaseStudyPage)
    assert page.owner == member
    assert not page.live
    assert page.get_parent().specific == f.index_page()
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Editorial review"
    assert state.current_task_state.task.name == "Editorial review"

    draft = page.get_latest_revision_as_object()
    assert "<b>too late</b>" in draft.challenge
    assert "<script>" not in draft.challenge
    assert 'rel="nofollow ugc noopener"' in draft.approach[0].value.source
    assert "<li>Start with accurate zone data</li>" in draft.lessons
    assert [r.slug for r in draft.regions.all()] == ["sub-saharan-africa"]  # from Kenya
    assert draft.results[0].value["after"] == "150"

    listing = client.get(reverse("kb:submission_list")).content.decode()
    assert "Nairobi SMS outage alerts" in listing
    assert "In editorial review" in listing


def test_member_submits_a_method_guide(client, member):
    response = client.post(NEW_GUIDE, guide_data())
    assert response.status_code == 302
    page = Submission.objects.get().page.specific.get_latest_revision_as_object()
    assert isinstance(page, MethodGuidePage)
    assert page.steps[0].value["title"] == "Agree the trigger"


def test_missing_required_sections_are_field_errors(client, member):
    data = case_study_data(challenge="", lessons="", topics=[], countries=[])
    response = client.post(NEW_CASE_STUDY, data)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    summary = soup.select_one("#form-errors").get_text(" ", strip=True)
    for label in ("The challenge", "Lessons learned", "Topics", "Countries"):
        assert label in summary
    assert not Submission.objects.exists()


def test_a_guide_needs_at_least_one_step(client, member):
    data = {k: v for k, v in guide_data().items() if not k.startswith("steps-0-")}
    response = client.post(NEW_GUIDE, data)
    assert response.status_code == 200
    assert "Describe at least one step." in response.content.decode()


def test_a_draft_needs_only_a_title_and_is_not_sent_for_review(client, member):
    data = {"title": "Half-written idea", "action": "save", **rows("indicators", [])}
    response = client.post(NEW_CASE_STUDY, data)
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.DRAFT
    assert submission.page.current_workflow_state is None


def _upload(name: str, content: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_valid_uploads_become_resources(client, member):
    data = case_study_data(
        resource_1=_upload("brief.pdf", b"%PDF-1.7 tiny"),
        resource_2=_upload("script.docx", _docx_bytes()),
    )
    assert client.post(NEW_CASE_STUDY, data).status_code == 302
    draft = Submission.objects.get().page.specific.get_latest_revision_as_object()
    titles = sorted(block.value["document"].title for block in draft.resources)
    assert titles == ["brief", "script"]
    assert draft.resources[0].value["document"].collection.name == "Member submissions"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: _upload("virus.exe", b"MZ..."), "not an accepted file type"),
        (lambda: _upload("fake.pdf", b"<html>not a pdf</html>"), "does not look like a real PDF"),
        (lambda: _upload("fake.docx", b"%PDF-1.7"), "does not look like a real DOCX"),
        (lambda: _upload("empty.txt", b""), "is empty"),
    ],
)
def test_wrong_file_types_are_field_errors(client, member, upload, message):
    response = client.post(NEW_CASE_STUDY, case_study_data(resource_1=upload()))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Submission.objects.exists()


def test_oversized_uploads_are_field_errors(client, member, settings):
    settings.KB_SUBMISSION_MAX_UPLOAD_SIZE = 1024
    response = client.post(
        NEW_CASE_STUDY, case_study_data(resource_1=_upload("big.pdf", b"%PDF-" + b"0" * 2048))
    )
    assert response.status_code == 200
    assert "files can be at most 1.0\xa0KB" in response.content.decode()


def test_members_only_submission_gets_a_group_view_restriction(client, member):
    client.post(NEW_CASE_STUDY, case_study_data(members_only="on"))
    page = Submission.objects.get().page
    restriction = PageViewRestriction.objects.get(page=page)
    assert restriction.restriction_type == PageViewRestriction.GROUPS
    assert {g.name for g in restriction.groups.all()} == {
        "member",
        "guest",
        "moderator",
        "editor",
        "admin",
    }


def test_author_can_edit_while_in_review_and_the_latest_version_is_reviewed(client, member):
    client.post(NEW_CASE_STUDY, case_study_data())
    submission = Submission.objects.get()
    edit_url = reverse("kb:submission_edit", args=[submission.pk])
    form = client.get(edit_url)
    assert form.status_code == 200
    assert "Nairobi SMS outage alerts" in form.content.decode()
    response = client.post(
        edit_url, case_study_data(title="Nairobi SMS alerts, revised", action="save")
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.IN_REVIEW
    assert (
        submission.page.specific.get_latest_revision_as_object().title
        == "Nairobi SMS alerts, revised"
    )


def test_other_members_cannot_see_or_edit_a_submission(client, member):
    client.post(NEW_CASE_STUDY, case_study_data())
    submission = Submission.objects.get()
    client.force_login(f.user_with_role("member"))
    assert client.get(reverse("kb:submission_edit", args=[submission.pk])).status_code == 404
    assert client.get(reverse("kb:submission_preview", args=[submission.pk])).status_code == 404


def test_preview_shows_the_draft_to_its_author(client, member):
    client.post(NEW_CASE_STUDY, case_study_data())
    submission = Submission.objects.get()
    response = client.get(reverse("kb:submission_preview", args=[submission.pk]))
    assert response.status_code == 200
    assert "Customers learned of outages" in response.content.decode()


def _act_as_editor(client, page, action: str, comment: str = ""):
    """Approve or request changes through Wagtail's admin edit view, as editors do."""
    editor = f.user_with_role("editor")
    client.force_login(editor)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, action, page.current_workflow_task_state.pk],
    )
    response = client.post(url, {"comment": comment})
    assert response.status_code == 302, response.content.decode()[:2000]
    return editor


def test_editor_requesting_changes_notifies_the_author_who_can_resubmit(client, member):
    client.post(NEW_CASE_STUDY, case_study_data())
    submission = Submission.objects.get()
    page = submission.page.specific
    _act_as_editor(client, page, "reject", "Please add the cost of the SMS gateway.")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.CHANGES_REQUESTED
    assert submission.review_comment == "Please add the cost of the SMS gateway."
    notification = Notification.objects.get(recipient=member)
    assert notification.kind == "kb.submission.changes_requested"
    assert notification.body == "Please add the cost of the SMS gateway."
    assert notification.url == reverse("kb:submission_edit", args=[submission.pk])

    client.force_login(member)
    listing = client.get(reverse("kb:submission_list")).content.decode()
    assert "Changes requested" in listing
    assert "Please add the cost of the SMS gateway." in listing
    response = client.post(
        reverse("kb:submission_edit", args=[submission.pk]), case_study_data(budget_band="10k-50k")
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.IN_REVIEW
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_editor_approval_publishes_and_notifies_and_ends_editing(client, member):
    client.post(NEW_CASE_STUDY, case_study_data())
    submission = Submission.objects.get()
    page = submission.page.specific
    _act_as_editor(client, page, "approve", "Great work.")
    page.refresh_from_db()
    assert page.live
    assert {t.slug for t in page.topics.all()} == {
        "risk-and-crisis-communication",
        "sms-and-text-messaging",
    }
    submission.refresh_from_db()
    assert submission.status == Submission.Status.PUBLISHED
    notification = Notification.objects.get(recipient=member)
    assert notification.kind == "kb.submission.approved"
    assert notification.url == page.url

    client.force_login(member)
    edit = client.get(reverse("kb:submission_edit", args=[submission.pk]))
    assert edit.status_code == 302
    response = client.get(
        "/knowledge/?topic=risk-and-crisis-communication&region=sub-saharan-africa"
    )
    assert "Nairobi SMS outage alerts" in response.content.decode()


def test_the_author_is_also_emailed_about_the_decision(
    client, member, mailoutbox, django_capture_on_commit_callbacks
):
    client.post(NEW_CASE_STUDY, case_study_data())
    page = Submission.objects.get().page.specific
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _act_as_editor(client, page, "reject", "Please add costs.")
    to_author = [message for message in mailoutbox if member.email in message.to]
    assert len(to_author) == 1
    assert "Changes requested" in to_author[0].subject or "Changes requested" in to_author[0].body
    assert "/admin/" not in to_author[0].body  # Wagtail's admin-link email is not sent to members


def test_files_of_members_only_submissions_are_only_served_to_members(client, member):
    data = case_study_data(members_only="on", resource_1=_upload("plan.pdf", b"%PDF-1.7 plan"))
    client.post(NEW_CASE_STUDY, data)
    draft = Submission.objects.get().page.specific.get_latest_revision_as_object()
    document = draft.resources[0].value["document"]
    assert document.collection.name == "Members-only resources"
    assert client.get(document.url).status_code == 200
    client.logout()
    response = client.get(document.url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
