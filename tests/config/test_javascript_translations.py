"""The scripts' interface strings are translatable: gettext() over Django's JavaScriptCatalog.

static/js/*.js call ``gettext()``/``ngettext()``/``interpolate()``; the catalogue of the active
language is served at /jsi18n/ and loaded by templates/base.html before every other script
(all are ``defer``, so they run in document order). tests/javascript_strings.py reads the
scripts; the browser test (tests/browser/test_javascript_translations.py) shows a string the
script puts into the page coming out translated.
"""

import json
import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from config.urls import JAVASCRIPT_CATALOGUE_MAX_AGE
from tests.javascript_strings import Script, project_scripts, pseudo_locale_with_javascript


@pytest.fixture
def pseudo_locale(tmp_path):
    with pseudo_locale_with_javascript(tmp_path) as language:
        yield language


def _offences(source: str) -> list[tuple[int, str]]:
    return [(offence.line, offence.text) for offence in Script.read(source).untranslated()]


# ---- The scripts ----


def test_every_script_passes_the_text_it_puts_into_the_page_through_gettext():
    offences = [offence for script in project_scripts() for offence in script.untranslated()]
    assert not offences, (
        "Interface text in static/js not marked for translation (wrap it in gettext(), "
        "ngettext() or interpolate(gettext(...), {...}, true)):\n"
        + "\n".join(f"  {offence}" for offence in offences)
    )


def test_the_scripts_have_strings_to_translate():
    """The scanner reads the real scripts (a broken reader would pass the test above)."""
    messages = {ids[0] for script in project_scripts() for ids in script.messages()}
    assert {"Show all", "Show fewer", "Preview updated.", "Suggestions"} <= messages


@pytest.mark.parametrize("function", ["gettext", "ngettext", "interpolate"])
def test_a_script_using_a_catalogue_function_still_works_without_the_catalogue(function):
    """Each script falls back to the English source strings when /jsi18n/ failed to load."""
    call = re.compile(rf"(?<![\w$.]){function}\s*\(")
    missing = [
        script.path
        for script in project_scripts()
        if call.search(script.code) and f"window.{function} ||" not in script.code
    ]
    assert not missing, f"{function}() used without a `window.{function} || ...` stand-in in: " + (
        ", ".join(missing)
    )


# ---- The scanner itself ----


def test_the_scanner_flags_a_plain_string_put_into_the_page():
    source = "\n".join(
        [
            'toggle.textContent = "Show all";',
            'label.innerText = open ? "Close" : gettext("Open");',
            'list.setAttribute("aria-label", input.dataset.label || "Suggestions");',
            'window.alert("Saved");',
            "if (confirm(`Delete ${name}?`)) remove();",
            'output.innerHTML = data.html || "<p>Nothing yet.</p>";',
            'button.title = "Vote up";',
            'box.placeholder = "Search";',
        ]
    )
    assert _offences(source) == [
        (1, "Show all"),
        (2, "Close"),
        (3, "Suggestions"),
        (4, "Saved"),
        (5, "Delete ${name}?"),
        (6, "<p>Nothing yet.</p>"),
        (7, "Vote up"),
        (8, "Search"),
    ]


def test_the_scanner_flags_a_sentence_handed_to_a_helper():
    assert _offences('announce("Preview updated.");\nthrow new Error(msg || "Failed");') == [
        (1, "Preview updated."),
        (2, "Failed"),
    ]


def test_the_scanner_flags_gettext_of_a_template_literal():
    assert _offences("status.textContent = gettext(`Score ${score}`);") == [(1, "Score ${score}")]


def test_the_scanner_accepts_translated_text_and_leaves_code_strings_and_comments_alone():
    source = """
    // A "Show all" toggle. /* Not code. */
    /* Long lists collapse with a "Show fewer" toggle. */
    toggle.textContent = collapsed ? gettext("Show fewer") : gettext("Show all");
    status.textContent = interpolate(ngettext("%(n)s result", "%(n)s results", n), { n }, true);
    list.setAttribute("aria-hidden", "true");
    list.setAttribute("aria-label", gettext("Suggestions"));
    form.querySelector("input[name=csrfmiddlewaretoken]").value = "";
    body.append("csrfmiddlewaretoken", token);
    count.textContent = String(total);
    option.append(title, " ", kind);
    """
    assert _offences(source) == []


def test_the_scanner_reads_the_msgids_as_a_catalogue_keys_them():
    source = (
        'gettext("Show all"); ngettext("1 reply", "%(n)s replies", n);'
        ' pgettext("verb", "Search"); gettext(label);'
    )
    assert list(Script.read(source).messages()) == [
        ("Show all",),
        ("1 reply", "%(n)s replies"),
        ("verb\x04Search",),
    ]


# ---- The catalogue view and the base template ----


@pytest.mark.django_db
def test_the_javascript_catalogue_answers_with_javascript_a_browser_may_cache(client):
    response = client.get(reverse("javascript-catalog"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert f"max-age={JAVASCRIPT_CATALOGUE_MAX_AGE}" in response["Cache-Control"]
    assert "globals.gettext = django.gettext" in response.content.decode()


@pytest.mark.django_db
def test_the_catalogue_speaks_the_visitors_language_and_each_language_is_cached_apart(
    client, pseudo_locale
):
    english = client.get(reverse("javascript-catalog"), HTTP_ACCEPT_LANGUAGE="en").content
    pseudo = client.get(reverse("javascript-catalog"), HTTP_ACCEPT_LANGUAGE=pseudo_locale)
    assert pseudo["Content-Language"] == pseudo_locale
    assert "Accept-Language" in pseudo["Vary"]
    body = pseudo.content.decode()
    assert f'"Show all": {json.dumps("⟦Show all⟧")}' in body
    assert json.dumps("⟦%(count)s suggestions: use the up and down arrow keys.⟧") in body
    assert json.dumps("⟦").strip('"').encode() not in english
    again = client.get(reverse("javascript-catalog"), HTTP_ACCEPT_LANGUAGE="en").content
    assert again == english


def _script_sources(html: str) -> list[tuple[str, bool]]:
    soup = BeautifulSoup(html, "html.parser")
    return [(tag["src"], tag.has_attr("defer")) for tag in soup.find_all("script", src=True)]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/knowledge/", "/forum/"])
def test_every_page_loads_the_catalogue_before_its_other_scripts_all_deferred(client, url):
    response = client.get(url)
    assert response.status_code == 200
    scripts = _script_sources(response.content.decode())
    assert scripts[0] == (reverse("javascript-catalog"), True)
    assert len(scripts) > 1
    assert all(defer for _src, defer in scripts)
    if url == "/knowledge/":
        assert any(src.endswith("js/kb.js") for src, _defer in scripts[1:])
