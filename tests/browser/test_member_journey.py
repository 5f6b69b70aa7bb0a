"""The member journey in a real browser: sign up, verify, complete the profile, set up an
authenticator app, sign out, sign in with a TOTP code, download the data, delete the account.

Every page on the way is checked with axe-core; console errors (including CSP violations)
fail the test at teardown.
"""

import json
import re
import time

import pyotp
import pytest
from django.core import mail

from members.models import FORMER_MEMBER_NAME, User
from tests.browser_support import assert_accessible
from tests.factories.taxonomy import country, topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "journey@example.org"
PASSWORD = "Tidal-Reservoir-Outreach-93"


def submit(page, label):
    page.locator("main").get_by_role("button", name=label).click()


def test_sign_up_verify_onboard_totp_sign_in_export_and_delete(page):
    kenya = country()
    topic("social-media")

    # Sign up.
    page.goto("/accounts/signup/")
    assert_accessible(page)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    submit(page, "Sign Up")
    page.wait_for_url("**/accounts/confirm-email/")
    assert page.get_by_role("heading", level=1).inner_text() == "Verify Your Email Address"
    assert_accessible(page)

    # Verify through the emailed link (the live server shares this process's outbox).
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s/]+/)", mail.outbox[-1].body)
    page.goto(link.group(1))
    assert_accessible(page)
    submit(page, "Confirm")
    page.wait_for_url("**/members/welcome/**")

    # Welcome step.
    assert_accessible(page)
    page.get_by_label("Display name").fill("Journey Person")
    page.locator("#id_organisation").fill("Lakeside Water")
    page.get_by_label("Country").select_option(kenya.iso_alpha2)
    page.get_by_label("Social media").check()
    page.get_by_label("Public and Customer Communications (PCC)").check()
    page.get_by_label("A weekly digest").check()
    submit(page, "Save and continue")
    page.wait_for_url("**/members/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Journey Person"
    assert "journey@example.org" not in page.content()
    assert_accessible(page)

    # Authenticator app: re-enter the password, read the secret, confirm with a code.
    page.goto("/accounts/2fa/totp/activate/")
    page.get_by_label("Password").fill(PASSWORD)
    submit(page, "Confirm")
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    totp = pyotp.TOTP(secret)
    page.get_by_label("Authenticator code").fill(totp.now())
    submit(page, "Activate")
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    assert_accessible(page)

    # Sign out from the account menu.
    page.locator("header summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/")
    assert page.locator("header").get_by_role("link", name="Sign in").is_visible()

    # Sign in: password, then a code from the next time step (the current one is spent).
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    submit(page, "Sign In")
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert_accessible(page)
    page.get_by_label("Code").fill(totp.at(time.time() + 30))
    submit(page, "Sign In")
    page.wait_for_url(lambda url: "/accounts/" not in url)
    assert page.locator("header summary").inner_text().startswith("Journey Person")

    # Download my data.
    page.goto("/members/privacy/")
    assert_accessible(page)
    with page.expect_download() as download_info:
        submit(page, "Download my data")
    exported = json.loads(open(download_info.value.path()).read())
    assert exported["account"]["email"] == EMAIL
    assert exported["profile"]["country"]["iso_alpha2"] == "KE"

    # Delete the account.
    page.get_by_role("link", name="Delete my account…").click()
    page.wait_for_url("**/members/privacy/delete/")
    assert_accessible(page)
    page.get_by_label("Your password").fill("not my password")
    submit(page, "Delete my account permanently")
    # The error shows on the field and, as a link to it, in the summary above the form.
    assert page.get_by_text("That is not your current password.", exact=True).is_visible()
    summary_link = page.get_by_role(
        "link", name="Your password: That is not your current password."
    )
    assert summary_link.get_attribute("href") == "#id_password"
    assert_accessible(page)
    page.get_by_label("Your password").fill(PASSWORD)
    submit(page, "Delete my account permanently")
    page.wait_for_url("**/")
    assert page.get_by_text("Your account is deleted").is_visible()
    assert page.locator("header").get_by_role("link", name="Sign in").is_visible()

    user = User.objects.get(deleted_at__isnull=False)
    assert user.public_name == FORMER_MEMBER_NAME
    assert not User.objects.filter(email=EMAIL).exists()
