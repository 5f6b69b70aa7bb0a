"""The first browser tests: the home page, its accessibility, keyboard search, small screens."""

import pytest

from tests.browser_support import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_loads_with_navigation_and_no_serious_axe_violations(page):
    response = page.goto("/")
    assert response.status == 200
    assert page.locator("h1").first.inner_text() == "PCC Knowledge Hub"
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Knowledge base").is_visible()
    assert nav.get_by_role("link", name="Forum").is_visible()
    assert page.get_by_role("link", name="Sign in").is_visible()
    assert_accessible(page)


def test_search_box_works_from_the_keyboard(page):
    page.goto("/")
    # First Tab lands on the skip link; then keep tabbing until the header search box has focus.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search-input":
            break
    assert page.evaluate("document.activeElement.id") == "site-search-input"
    page.keyboard.type("drought messaging")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=drought+messaging")
    assert page.get_by_label("Search terms", exact=True).input_value() == "drought messaging"
    assert_accessible(page)


def test_skip_link_moves_focus_to_the_main_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_layout_holds_at_375_pixels_wide(page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at 375px"
    search = page.locator("#site-search-input")
    assert search.is_visible()
    box = search.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 375
    assert_accessible(page)


def test_unknown_url_shows_the_styled_404_page(page):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()
    assert page.get_by_role("navigation", name="Main").is_visible()
    assert_accessible(page)
