"""The search page in Chromium: from the keyboard, autocomplete with the arrow keys, facets
without and with JavaScript, and the axe check."""

import pytest

from search.documents import THREAD
from tests.browser_support import assert_accessible
from tests.factories.search import (
    AFRICA,
    EUROPE,
    RISK,
    fresh_index,
    index_documents,
    search_document,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def corpus(settings, tmp_path):
    generator = fresh_index(settings, tmp_path)
    next(generator)
    index_documents(
        search_document(
            title="Drought messages that worked",
            summary="A utility cut demand with drought messaging by SMS.",
            topics=(RISK,),
            regions=(AFRICA,),
            url="/forum/",
        ),
        search_document(
            type=THREAD,
            title="Drought slogans customers remember",
            summary="Which drought slogans work?",
            regions=(EUROPE,),
            author="Amina Otieno",
            url="/search/?q=slogans",
        ),
    )
    yield
    next(generator, None)


def test_search_from_the_keyboard_shows_mixed_results_and_passes_axe(page):
    page.goto("/search/")
    page.get_by_label("Search terms", exact=True).focus()
    page.keyboard.type("drought")
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=drought")
    results = page.locator(".search-result")
    assert results.count() == 2
    assert page.locator(".search-badge--thread").first.inner_text() == "Forum thread"
    assert page.locator(".search-result__snippet mark").count() >= 1
    assert_accessible(page)


def test_autocomplete_is_a_combobox_driven_by_the_arrow_keys(page):
    page.goto("/search/")
    box = page.get_by_role("combobox", name="Search terms")
    box.focus()
    page.keyboard.type("drou")
    listbox = page.get_by_role("listbox")
    listbox.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    options = page.get_by_role("option")
    assert options.count() == 2
    page.keyboard.press("ArrowDown")
    first_id = box.get_attribute("aria-activedescendant")
    assert first_id == options.nth(0).get_attribute("id")
    assert options.nth(0).get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    page.keyboard.press("ArrowUp")
    assert box.get_attribute("aria-activedescendant") == first_id
    assert_accessible(page)
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert not listbox.is_visible()
    page.keyboard.press("ArrowDown")
    target = options.nth(0).inner_text()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert target.startswith("Drought")
    assert page.url.endswith("/forum/") or "q=slogans" in page.url


def test_facets_filter_with_checkboxes_and_the_filter_can_be_removed(page):
    page.goto("/search/?q=drought")
    page.get_by_role("group", name="Type").get_by_label("Forum thread").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/search/?q=drought&type=thread")
    assert page.locator(".search-result").count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="Type: Forum thread").click()
    page.wait_for_url("**/search/?q=drought")
    assert page.locator(".search-result").count() == 2


def test_the_empty_query_browse_view_passes_axe(page):
    page.goto("/search/")
    assert page.get_by_role("heading", name="Popular across the hub").is_visible()
    assert_accessible(page)
