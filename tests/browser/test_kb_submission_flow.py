"""End to end: a member submits a case study in the front-end form, an editor approves it in
Wagtail's admin, and it appears on the index and landing pages filtered by its taxonomy."""

import pytest
from django.test import Client

from kb.models import CaseStudyPage, Submission
from members.models import Notification
from tests.browser_support import assert_accessible
from tests.factories import kb as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(context, base_url: str, user) -> None:
    """Give a browser context the session of ``user`` (the login form is the members app's)."""
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


def watch_console(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: (
            errors.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" and "status of 404" not in msg.text
            else None
        ),
    )
    return errors


def test_member_submission_is_approved_by_an_editor_and_listed(page, browser, live_server):
    member = f.user_with_role("member", display_name="Mara Member")
    editor = f.user_with_role("editor", display_name="Eddie Editor")
    sign_in(page.context, live_server.url, member)

    page.goto("/contribute/")
    assert_accessible(page)
    page.get_by_role("link", name="Submit a case study").click()
    page.wait_for_url("**/contribute/new/case-study/")
    assert_accessible(page)

    # Submitting with required sections missing shows field errors, without JavaScript help.
    page.fill("#id_title", "Suva cyclone text alerts")
    page.get_by_role("button", name="Submit for review").click()
    errors = page.locator("#form-errors")
    assert errors.is_visible()
    assert "Summary" in errors.inner_text()
    assert_accessible(page)

    page.fill("#id_summary", "Text alerts warned island households before supply cuts.")
    page.fill("#id_organisation", "Example Islands Water")
    page.select_option("#id_organisation_type", "utility")
    page.select_option("#id_countries", label="Fiji")
    page.fill("#id_year", "2024")
    page.fill("#id_challenge", "Cyclones cut supply with **no warning**.")
    page.fill("#id_objectives", "Warn every affected household.")
    page.fill("#id_approach", "We sent SMS alerts by zone.")
    page.fill("#id_lessons", "- Clean the phone numbers first")
    page.get_by_label("Risk and crisis communication").check()
    page.fill("#id_indicators-0-indicator", "Households warned")
    page.fill("#id_indicators-0-before", "10")
    page.fill("#id_indicators-0-after", "85")
    page.fill("#id_indicators-0-unit", "%")
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url("**/contribute/")
    assert page.get_by_text("In editorial review").is_visible()
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.IN_REVIEW

    # The editor approves in Wagtail's admin.
    editor_context = browser.new_context(base_url=live_server.url)
    editor_context.set_default_timeout(10_000)
    editor_page = editor_context.new_page()
    editor_errors = watch_console(editor_page)
    sign_in(editor_context, live_server.url, editor)
    editor_page.goto(f"/admin/pages/{submission.page_id}/edit/")
    editor_page.get_by_role("button", name="More actions").click()
    editor_page.get_by_role("button", name="Approve and Publish").click()
    editor_page.wait_for_load_state()
    editor_context.close()
    assert not editor_errors, editor_errors

    case_study = CaseStudyPage.objects.get(pk=submission.page_id)
    assert case_study.live
    submission.refresh_from_db()
    assert submission.status == Submission.Status.PUBLISHED
    assert Notification.objects.filter(recipient=member, kind="kb.submission.approved").exists()

    # Listed on the index, filtered by its topic and region, and on both landing pages.
    page.goto("/knowledge/?topic=risk-and-crisis-communication&region=oceania")
    assert page.get_by_role("link", name="Suva cyclone text alerts").is_visible()
    assert_accessible(page)
    page.goto("/knowledge/?region=europe-and-northern-america")
    assert page.get_by_role("link", name="Suva cyclone text alerts").count() == 0
    page.goto("/knowledge/topics/risk-and-crisis-communication/")
    assert page.get_by_role("link", name="Suva cyclone text alerts").is_visible()
    assert_accessible(page)
    page.goto("/knowledge/regions/oceania/")
    page.get_by_role("link", name="Suva cyclone text alerts").click()
    page.wait_for_url(f"**{case_study.url}")
    assert page.get_by_role("heading", name="Suva cyclone text alerts").is_visible()
    assert page.locator('script[type="application/ld+json"]').count() == 1
    assert_accessible(page)
    page.goto("/contribute/")
    assert page.get_by_text("Approved and published").is_visible()


def test_filters_work_without_javascript(browser, live_server):
    f.case_study(title="Kenya outage SMS", regions=("sub-saharan-africa",), countries=("KE",))
    f.case_study(title="Fiji boil notice", regions=("oceania",), countries=("FJ",))
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/knowledge/")
    page.get_by_label("Oceania").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/knowledge/?**region=oceania**")
    assert page.get_by_role("link", name="Fiji boil notice").is_visible()
    assert page.get_by_role("link", name="Kenya outage SMS").count() == 0
    # (axe needs JavaScript; the same page is checked with it in the submission flow test.)
    context.close()


def test_anonymous_visitor_sees_a_teaser_with_sign_in_link(page):
    guide = f.method_guide(title="Members-only guide", members_only=True)
    response = page.goto(guide.url)
    assert response.status == 200
    assert page.get_by_role("heading", name="Members-only guide").is_visible()
    assert page.get_by_role("link", name="Sign in to read").is_visible()
    assert page.get_by_role("heading", name="Steps").count() == 0
    assert_accessible(page)
