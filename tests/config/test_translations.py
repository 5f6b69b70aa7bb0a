"""Every interface string is marked for translation: proved under a pseudo-locale.

The pseudo-locale ``en-xa`` has a catalogue that translates *every* message, whatever it is,
by wrapping it in ``⟦`` and ``⟧``. A string that reaches the page without passing through
gettext (``{% translate %}``, ``{% blocktranslate %}``, ``gettext``/``gettext_lazy``/``ngettext``)
therefore shows outside the markers. The visitor's browser asks for the language with
``Accept-Language``, so ``LocaleMiddleware`` is what switches it on.

The users' own content (titles, bodies, names, the taxonomy, the Wagtail pages' text, the site
name) is written in Greek, so the rule is exact: **no Latin letter may appear outside the
markers**, in visible text or in the attributes a person reads or hears (``title``,
``aria-label``, ``placeholder``, ``alt``, a button's ``value``, the page description).
Script and style elements are left out; ``<template>`` content is checked, since it is shown.
"""

import gettext as gettext_module
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real
from wagtail.rich_text import RichText

from forum.models import Category
from forum.services.answers import answer_accept
from kb.models import HomePage, KnowledgeIndexPage
from markup import BIO, render_markdown
from members.models import Profile
from taxonomy.models import Audience, Channel, Country, Region, Topic
from tests.factories.forum import CategoryFactory, make_moderator, make_reply, make_thread
from tests.factories.kb import case_study
from tests.factories.members import MemberFactory

pytestmark = pytest.mark.django_db

PSEUDO_LANGUAGE = "en-xa"
OPEN, CLOSE = "⟦", "⟧"
LATIN = re.compile(r"[A-Za-z]")
READ_ATTRIBUTES = ("title", "aria-label", "aria-description", "placeholder", "alt", "label")
READ_META = {"description", "og:title", "og:description", "og:site_name"}


class PseudoTranslation(gettext_module.NullTranslations):
    """A catalogue that translates every message by wrapping it in markers.

    Django's ``pgettext`` and ``npgettext`` pass ``context\\x04message``; the context is
    dropped, as a real catalogue would.
    """

    def __init__(self, language: str):
        super().__init__()
        self._language = language
        self.plural = lambda n: int(n != 1)

    def gettext(self, message: str) -> str:
        return f"{OPEN}{message.rpartition(trans_real.CONTEXT_SEPARATOR)[2]}{CLOSE}"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)

    def language(self) -> str:
        return self._language

    def to_language(self) -> str:
        return self._language


@pytest.fixture
def pseudo_locale(tmp_path):
    """Install ``en-xa`` for the test: listed in LANGUAGES, with a catalogue file present (so
    ``check_for_language`` accepts it) and the wrapping catalogue in Django's registry."""
    messages = tmp_path / "locale" / "en_XA" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "django.mo").write_bytes(b"")  # only its existence is checked
    languages = [("en", "English"), (PSEUDO_LANGUAGE, "Pseudo-English")]
    with override_settings(LANGUAGES=languages, LOCALE_PATHS=[tmp_path / "locale"]):
        trans_real._translations[PSEUDO_LANGUAGE] = PseudoTranslation(PSEUDO_LANGUAGE)
        try:
            yield PSEUDO_LANGUAGE
        finally:
            translation.deactivate()


# ---- The checker ----


@dataclass(frozen=True)
class Offence:
    where: str  # "text in <h1>" or 'aria-label of <nav>'
    text: str  # the words outside the markers

    def __str__(self) -> str:
        return f"{self.where}: {self.text!r}"


def _outside_markers(text: str, depth: int = 0) -> tuple[list[str], int]:
    """The runs of ``text`` outside the markers, and the marker depth at its end."""
    runs: list[str] = []
    current: list[str] = []
    for character in text:
        if character == OPEN:
            depth += 1
            if current:
                runs.append("".join(current))
                current = []
        elif character == CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0:
            current.append(character)
    if current:
        runs.append("".join(current))
    return runs, depth


def _visible_strings(root: Tag) -> Iterator[NavigableString]:
    for string in root.find_all(string=True):
        if isinstance(string, Comment | Doctype):
            continue
        if string.find_parent(["script", "style"]):
            continue
        yield string


def _read_attributes(root: Tag) -> Iterator[tuple[str, str]]:
    tags = [root, *root.find_all(True)] if root.name != "[document]" else root.find_all(True)
    for tag in tags:
        for name in READ_ATTRIBUTES:
            if tag.has_attr(name):
                yield f"{name} of <{tag.name}>", tag[name]
        if tag.name == "input" and tag.get("type") in ("submit", "button", "reset"):
            if tag.has_attr("value"):
                yield f"value of <input type={tag['type']}>", tag["value"]
        if tag.name == "meta" and (tag.get("name") or tag.get("property")) in READ_META:
            yield f"content of <meta {tag.get('name') or tag.get('property')}>", tag["content"]


def untranslated(html: str, *, only: str | None = None) -> list[Offence]:
    """Interface text in ``html`` that did not pass through the pseudo-locale's catalogue.

    Text nodes are read in document order with the marker depth carried across them, since a
    translated sentence may hold markup (``{% blocktranslate %}Sign in <a>here</a>{% ... %}``).
    ``only`` (a CSS selector) restricts the check to the matching elements.
    """
    soup = BeautifulSoup(html, "html.parser")
    roots = soup.select(only) if only else [soup]
    offences: list[Offence] = []
    for root in roots:
        depth = 0
        for string in _visible_strings(root):
            runs, depth = _outside_markers(str(string), depth)
            for run in runs:
                if LATIN.search(run):
                    offences.append(Offence(f"text in <{string.parent.name}>", run.strip()))
        for where, value in _read_attributes(root):
            runs, _depth = _outside_markers(value)
            if any(LATIN.search(run) for run in runs):
                offences.append(Offence(where, value))
    return offences


def marker_count(html: str) -> int:
    return html.count(OPEN)


# ---- The content: everything users or editors wrote is Greek ----

GREEK_WORDS = ("Άλφα", "Βήτα", "Γάμμα", "Δέλτα", "Έψιλον", "Ζήτα", "Ήτα", "Θήτα", "Ιώτα", "Κάππα")


def _greek(number: int) -> str:
    """A different Greek phrase for each number, without Latin letters or digits' words."""
    words = []
    while True:
        words.append(GREEK_WORDS[number % len(GREEK_WORDS)])
        number //= len(GREEK_WORDS)
        if not number:
            return " ".join(words)


def _rename_taxonomy() -> None:
    """The taxonomy the migrations loaded is editors' content: give it Greek names."""
    for prefix, model in (
        ("Θέμα", Topic),
        ("Περιοχή", Region),
        ("Χώρα", Country),
        ("Κοινό", Audience),
        ("Κανάλι", Channel),
    ):
        rows = list(model.objects.all())
        for row in rows:
            row.name = f"{prefix} {_greek(row.pk)}"
            if hasattr(row, "description"):
                row.description = ""
        fields = ["name", "description"] if hasattr(model, "description") else ["name"]
        model.objects.bulk_update(rows, fields)


def _rename_wagtail_pages() -> None:
    for model, title in ((HomePage, "Αρχική σελίδα"), (KnowledgeIndexPage, "Βάση γνώσης")):
        for page in model.objects.all():
            page.title = title
            page.draft_title = title
            page.seo_title = ""
            page.search_description = ""
            page.intro = "<p>Καλώς ήρθατε στη βάση γνώσης.</p>"
            page.save()


def _greek_member(name: str):
    member = MemberFactory(
        display_name=name,
        profile__organisation="Εταιρεία Ύδρευσης",
        profile__job_title="Υπεύθυνη επικοινωνίας",
        profile__country=Country.objects.get(iso_alpha2="KE"),
    )
    profile = Profile.objects.get(user=member)  # as the factory left it
    profile.bio = "Γράφω για **νερό** και επικοινωνία."
    profile.bio_html = render_markdown(profile.bio, BIO).html
    profile.save()
    profile.expertise.set(Topic.objects.all()[:2])
    return member


@dataclass(frozen=True)
class Site:
    member: object
    author: object
    category: Category
    thread: object
    case_study: object


@pytest.fixture
def greek_site(settings) -> Site:
    settings.SITE_NAME = "Κόμβος Γνώσης"
    _rename_taxonomy()
    _rename_wagtail_pages()
    member = _greek_member("Ελένη Παππά")
    author = _greek_member("Νίκος Γεωργίου")
    category = CategoryFactory(
        name="Ερωτήσεις και απαντήσεις",
        slug="erotiseis",
        description="Ρωτήστε την κοινότητα.",
        mode=Category.Mode.QUESTIONS,
    )
    CategoryFactory(name="Συζητήσεις", slug="syzitiseis", description="Μιλήστε ελεύθερα.")
    thread = make_thread(
        category=category,
        author=author,
        title="Πώς εξηγούμε μια αύξηση τιμολογίου;",
        body="Το συμβούλιο ενέκρινε **αύξηση**. Πώς το εξηγήσατε εσείς;",
        topics=list(Topic.objects.all()[:1]),
        regions=list(Region.objects.all()[:1]),
    )
    answer = make_reply(thread, author=member, body="Στείλαμε μηνύματα σε όλους τους πελάτες.")
    make_reply(thread, parent=answer, author=author, body="Ευχαριστώ, πολύ χρήσιμο.")
    answer_accept(user=author, answer=answer)
    page = case_study(
        title="Εμπιστοσύνη στο νερό της βρύσης",
        slug="empistosyni",
        summary="Μια εταιρεία ύδρευσης κέρδισε ξανά την εμπιστοσύνη.",
        organisation="Εταιρεία Ύδρευσης Ναϊρόμπι",
        challenge="<p>Χαμηλή εμπιστοσύνη.</p>",
        objectives="<p>Περισσότερη εμπιστοσύνη.</p>",
        lessons="<p>Ξεκινήστε νωρίς.</p>",
        approach=[("text", RichText("<p>Στείλαμε μηνύματα.</p>"))],
    )
    thread.refresh_from_db()
    return Site(member=member, author=author, category=category, thread=thread, case_study=page)


def _main_pages(site: Site, *, member: bool = False) -> list[tuple[str, str, str | None]]:
    """(name, URL, selector to restrict the check to, or None for the whole page); a signed-in
    member also gets the forms a member fills in."""
    members_pages = [
        ("new question", reverse("forum:thread_new", kwargs={"slug": site.category.slug}), None),
        ("profile settings", reverse("members:profile_edit"), None),
        ("member directory", reverse("members:directory"), None),
    ]
    return [
        *(members_pages if member else []),
        ("home", "/", None),
        ("KB index", "/knowledge/", None),
        ("case study", site.case_study.url, None),
        ("forum home", reverse("forum:home"), None),
        ("category", reverse("forum:category", kwargs={"slug": site.category.slug}), None),
        ("thread", site.thread.get_absolute_url(), None),
        ("sign-in", reverse("account_login"), None),
        ("profile", reverse("members:profile", args=[site.author.pk]), None),
        ("search", reverse("search:search") + "?q=νερό", None),
        ("search browse view", reverse("search:search"), None),
    ]


def _offences_on(
    client, site: Site, language: str, *, member: bool = False
) -> dict[str, list[Offence]]:
    found: dict[str, list[Offence]] = {}
    for name, url, only in _main_pages(site, member=member):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language, follow=True)
        assert response.status_code == 200, f"{name} ({url}) answered {response.status_code}"
        assert response["Content-Language"] == language, f"{name}: not served in {language}"
        html = response.content.decode()
        offences = untranslated(html, only=only)
        assert offences or marker_count(html) >= 5, f"{name}: no translated text at all"
        if offences:
            found[f"{name} ({url})"] = offences
    return found


def _report(found: dict[str, list[Offence]]) -> str:
    lines = ["Interface text not marked for translation (wrap it in {% translate %} or gettext):"]
    for page, offences in found.items():
        lines.append(f"  {page}:")
        lines.extend(f"    {offence}" for offence in dict.fromkeys(offences))
    return "\n".join(lines)


def test_every_main_page_shows_a_visitor_only_translated_interface_text(
    client, pseudo_locale, greek_site
):
    found = _offences_on(client, greek_site, pseudo_locale)
    assert not found, _report(found)


def test_every_main_page_shows_a_member_only_translated_interface_text(
    client, pseudo_locale, greek_site
):
    client.force_login(greek_site.member)
    found = _offences_on(client, greek_site, pseudo_locale, member=True)
    assert not found, _report(found)


def test_the_thread_moderation_page_shows_a_moderator_only_translated_interface_text(
    client, pseudo_locale, greek_site
):
    """Its move, merge and split forms (headings and buttons passed to an include as
    ``_("...")`` literals), with a reply's Greek text in the split list."""
    client.force_login(make_moderator(display_name="Μαρία Οικονόμου"))
    url = reverse("forum:thread_moderate", args=[greek_site.thread.pk])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=pseudo_locale)
    assert response.status_code == 200
    html = response.content.decode()
    sections = BeautifulSoup(html, "html.parser").select("main section")
    assert len(sections) == 3
    assert untranslated(html, only="main") == []
    assert {f"{OPEN}{text}{CLOSE}" in html for text in ("Move thread", "Merge thread")} == {True}


def test_the_site_still_speaks_english_to_a_browser_asking_for_it(client, greek_site):
    response = client.get(reverse("forum:home"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert marker_count(html) == 0
    assert 'lang="en"' in html
    assert response["Content-Language"] == "en"


# ---- The checker itself ----


def _render(source: str) -> str:
    return Template("{% load i18n %}" + source).render(Context({"name": "Ελένη"}))


def test_the_checker_flags_a_plain_string_in_a_rendered_snippet(pseudo_locale):
    with translation.override(pseudo_locale):
        html = _render('<p>{% translate "Welcome" %}</p><p>Sign out</p>')
    assert [offence.text for offence in untranslated(html)] == ["Sign out"]


def test_the_checker_flags_an_untranslated_attribute(pseudo_locale):
    with translation.override(pseudo_locale):
        html = _render('<nav aria-label="Main"><a title="{% translate "Home" %}">⟦x⟧</a></nav>')
    assert [offence.where for offence in untranslated(html)] == ["aria-label of <nav>"]


def test_the_checker_accepts_markup_and_users_content_inside_a_translation(pseudo_locale):
    with translation.override(pseudo_locale):
        html = _render(
            "{% blocktranslate trimmed %}Written by <a href='/'>{{ name }}</a>, today"
            "{% endblocktranslate %} · 3 {{ name }}"
        )
    assert html.startswith(OPEN)
    assert untranslated(html) == []


def test_the_checker_flags_english_left_after_a_translation_closes(pseudo_locale):
    with translation.override(pseudo_locale):
        html = _render('<p>{% translate "Replies" %}: 3 votes</p>')
    assert [offence.text for offence in untranslated(html)] == [": 3 votes"]


def test_the_rate_limit_page_shows_only_translated_interface_text(
    client, settings, pseudo_locale, greek_site
):
    """templates/429.html, reached for real: sign-ups from one address over allauth's limit
    (the base settings' rule; the test settings switch the limits off)."""
    from django.core.cache import cache

    from config.settings import base

    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    cache.clear()
    url = reverse("account_signup")
    password = "a long Greek-free passphrase 42"
    for number in range(100):
        client.cookies.clear()
        response = client.post(
            url,
            {"email": f"new{number}@example.org", "password1": password, "password2": password},
            HTTP_ACCEPT_LANGUAGE=pseudo_locale,
        )
        if response.status_code == 429:
            break
        assert response.status_code == 302, response.status_code
    assert response.status_code == 429, "no sign-up was refused"
    assert response["Content-Language"] == pseudo_locale
    html = response.content.decode()
    offences = untranslated(html)
    assert marker_count(html) >= 3, "the rate-limit page has no translated text"
    assert not offences, _report({f"rate-limit page ({url})": offences})
