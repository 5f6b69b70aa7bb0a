"""A string a script puts into the page comes out in the visitor's language, through the
JavaScript catalogue; without the catalogue the script still works, in English.

The knowledge base's facet toggle ("Show all", static/js/kb.js) is the example: a case study
in nine countries makes the country facet long enough to collapse.
"""

import pytest

from tests.factories.kb import case_study
from tests.javascript_strings import pseudo_locale_with_javascript

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NINE_COUNTRIES = ("KE", "UG", "TZ", "RW", "ET", "GH", "NG", "ZA", "ZM")


@pytest.fixture
def pseudo_locale(tmp_path):
    with pseudo_locale_with_javascript(tmp_path) as language:
        yield language


@pytest.fixture
def long_country_facet():
    case_study(title="Εννέα χώρες", slug="ennea-chores", countries=NINE_COUNTRIES)


def test_the_facet_toggle_a_script_adds_speaks_the_pseudo_locale(
    page, pseudo_locale, long_country_facet
):
    page.set_extra_http_headers({"Accept-Language": pseudo_locale})
    page.goto("/knowledge/")
    toggle = page.locator(".kb-facet__toggle")
    assert toggle.inner_text() == "⟦Show all⟧"
    toggle.click()
    assert toggle.inner_text() == "⟦Show fewer⟧"
    assert toggle.get_attribute("aria-expanded") == "true"


def test_the_facet_toggle_still_works_in_english_when_the_catalogue_fails_to_load(
    browser, live_server, long_country_facet
):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.route("**/jsi18n/", lambda route: route.abort())
    try:
        page.goto("/knowledge/")
        toggle = page.locator(".kb-facet__toggle")
        assert toggle.inner_text() == "Show all"
        toggle.click()
        assert toggle.inner_text() == "Show fewer"
        assert page.evaluate("typeof window.gettext") == "undefined"
    finally:
        context.close()
    assert not errors
