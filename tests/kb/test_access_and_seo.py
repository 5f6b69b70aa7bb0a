"""Members-only pages (Wagtail view restrictions), landing pages, related pages and SEO."""

import json
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from kb.landing_contributions import (
    LandingSection,
    register_landing_section,
    unregister_landing_section,
)
from kb.selectors import related_pages
from tests.factories import kb as f
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_page():
    return f.case_study(title="Closed case", members_only=True, lessons="<p>Secret lesson.</p>")


def test_anonymous_visitor_gets_a_teaser_not_a_login_redirect(client, closed_page):
    response = client.get(closed_page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Closed case" in html
    assert "Summary of case study" in html
    assert "Secret lesson" not in html
    assert "/accounts/login/?next=" in html
    assert 'content="noindex' in html
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_signed_in_account_without_a_role_gets_a_403_teaser(client, closed_page):
    client.force_login(UserFactory())
    response = client.get(closed_page.url)
    assert response.status_code == 403
    assert "does not have member or guest access" in response.content.decode()
    assert "Secret lesson" not in response.content.decode()


@pytest.mark.parametrize("role", ["member", "guest", "moderator", "editor", "admin"])
def test_every_role_including_guests_can_read_members_only_pages(client, closed_page, role):
    client.force_login(f.user_with_role(role))
    response = client.get(closed_page.url)
    assert response.status_code == 200
    assert "Secret lesson" in response.content.decode()


def test_public_pages_are_readable_by_everyone(client):
    page = f.case_study(title="Open case", lessons="<p>Open lesson.</p>")
    assert "Open lesson" in client.get(page.url).content.decode()


def test_article_links_its_taxonomy_to_landing_pages(client):
    page = f.case_study(topics=("social-media",), regions=("oceania",), countries=("FJ",))
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    hrefs = {a["href"] for a in soup.select(".kb-page__aside a")}
    assert "/knowledge/topics/social-media/" in hrefs
    assert "/knowledge/regions/oceania/" in hrefs
    assert "/knowledge/?country=fiji" in hrefs


def test_topic_landing_lists_pages_of_the_topic_and_its_sub_topics(client):
    f.case_study(title="SMS page", topics=("sms-and-text-messaging",))
    f.case_study(title="Tariff page", topics=("tariffs-and-investment",))
    response = client.get("/knowledge/topics/digital-channels/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "SMS page" in html
    assert "Tariff page" not in html
    assert client.get("/knowledge/topics/no-such-topic/").status_code == 404


def test_region_landing_lists_pages_and_countries(client):
    f.case_study(title="Fiji page", regions=("oceania",), countries=("FJ",))
    f.case_study(title="Kenya page")
    response = client.get("/knowledge/regions/oceania/")
    html = response.content.decode()
    assert "Fiji page" in html
    assert "Kenya page" not in html
    assert "Fiji (1)" in html


def test_topic_and_region_lists_show_counts(client):
    f.case_study(topics=("social-media",), regions=("oceania",), countries=("FJ",))
    topics = client.get("/knowledge/topics/").content.decode()
    assert "Social media" in topics
    regions = BeautifulSoup(client.get("/knowledge/regions/").content, "html.parser")
    oceania = [li for li in regions.select(".kb-term-list li") if "Oceania" in li.get_text()][0]
    assert "(1)" in oceania.get_text()


def test_index_routes_link_to_each_other_by_their_urls(client):
    f.case_study(topics=("social-media",), regions=("oceania",), countries=("FJ",))
    index = BeautifulSoup(client.get("/knowledge/").content, "html.parser")
    index_links = {a["href"] for a in index.select(".kb-header__links a")}
    assert {"/knowledge/topics/", "/knowledge/regions/"} <= index_links
    topics = BeautifulSoup(client.get("/knowledge/topics/").content, "html.parser")
    topic_links = {a["href"] for a in topics.select(".kb-term-list a")}
    assert {"/knowledge/topics/digital-channels/", "/knowledge/topics/social-media/"} <= topic_links
    landing = BeautifulSoup(client.get("/knowledge/topics/social-media/").content, "html.parser")
    assert landing.select_one('link[rel="canonical"]')["href"].endswith(
        "/knowledge/topics/social-media/"
    )
    crumbs = [a["href"] for a in landing.select(".breadcrumbs a")]
    assert crumbs == ["/knowledge/", "/knowledge/topics/", "/knowledge/topics/digital-channels/"]
    assert "noindex" not in str(landing.head)
    filtered = client.get("/knowledge/topics/social-media/?region=oceania").content.decode()
    assert 'name="robots" content="noindex' in filtered
    region = BeautifulSoup(client.get("/knowledge/regions/oceania/").content, "html.parser")
    assert region.select_one('link[rel="canonical"]')["href"].endswith(
        "/knowledge/regions/oceania/"
    )
    assert "/knowledge/regions/" in [a["href"] for a in region.select(".breadcrumbs a")]


def test_higher_layers_can_add_sections_to_landing_pages(client):
    def forum_threads(request, *, topic=None, region=None):
        if topic is None:
            return None
        return LandingSection(
            title="Forum discussions",
            template_name="kb/includes/resources.html",  # any template; forum brings its own
            context={},
            more_url=f"/forum/?topic={topic.slug}",
        )

    register_landing_section(forum_threads)
    try:
        topic_html = client.get("/knowledge/topics/social-media/").content.decode()
        region_html = client.get("/knowledge/regions/oceania/").content.decode()
    finally:
        unregister_landing_section(forum_threads)
    assert "Forum discussions" in topic_html
    assert "/forum/?topic=social-media" in topic_html
    assert "Forum discussions" not in region_html


def test_related_pages_prefer_shared_topics_then_region():
    page = f.case_study(topics=("social-media", "tariffs-and-investment"), regions=("oceania",))
    both = f.case_study(
        title="Both", topics=("social-media", "tariffs-and-investment"), regions=("oceania",)
    )
    topic_only = f.case_study(title="Topic", topics=("social-media",), regions=("global",))
    region_only = f.case_study(
        title="Region", topics=("research-and-evaluation",), regions=("oceania",)
    )
    f.case_study(title="Unrelated", topics=("research-and-evaluation",), regions=("global",))
    f.case_study(title="Draft", topics=("social-media",), regions=("oceania",), live=False)
    assert [p.title for p in related_pages(page)] == [
        both.title,
        topic_only.title,
        region_only.title,
    ]


def test_article_has_meta_description_open_graph_and_article_json_ld(client):
    page = f.case_study(
        title="Trust </script><script>alert(1)</script>", summary="A summary & more."
    )
    html = client.get(page.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one('meta[name="description"]')["content"] == "A summary & more."
    assert soup.select_one('meta[property="og:type"]')["content"] == "article"
    assert soup.select_one('meta[property="og:title"]')["content"].startswith("Trust")
    assert soup.select_one('link[rel="canonical"]')["href"].endswith(page.url)
    scripts = soup.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    assert "</script><script>" not in scripts[0].string
    data = json.loads(scripts[0].string)
    assert data["@type"] == "Article"
    assert data["headline"].startswith("Trust </script>")
    assert data["isAccessibleForFree"] is True
    assert data["author"]["name"] == page.organisation


def test_sitemap_lists_public_pages_and_landing_pages_but_not_members_only_ones(client):
    public = f.case_study(title="Public page")
    closed = f.case_study(title="Closed page", members_only=True)
    xml = client.get("/sitemap.xml").content.decode()
    assert public.url in xml
    assert closed.url not in xml
    assert "/knowledge/topics/social-media/" in xml
    assert "/knowledge/regions/oceania/" in xml


def test_filtered_index_pages_are_not_indexed(client):
    f.case_study()
    assert "noindex" not in client.get("/knowledge/").content.decode()
    assert (
        'name="robots" content="noindex'
        in client.get("/knowledge/?region=oceania").content.decode()
    )


def test_landing_pages_in_the_sitemap_are_indexable_until_filtered(client):
    f.case_study(topics=("social-media",), regions=("oceania",))
    for url in ("/knowledge/topics/social-media/", "/knowledge/regions/oceania/"):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        assert soup.select_one('link[rel="canonical"]')["href"].endswith(url)
        assert soup.select_one('meta[name="robots"]') is None
    filtered = client.get("/knowledge/topics/social-media/?region=oceania").content.decode()
    assert 'name="robots" content="noindex' in filtered
    assert 'rel="canonical"' not in filtered


@pytest.mark.parametrize("related_count", [3, 30])
def test_article_query_count_does_not_grow_with_related_pages(
    client, django_assert_max_num_queries, related_count
):
    page = f.case_study(topics=("social-media",), regions=("oceania",), countries=("FJ",))
    for _ in range(related_count):
        f.case_study(topics=("social-media",), regions=("oceania",), countries=("FJ",))
    client.get(page.url)
    with django_assert_max_num_queries(22):
        assert client.get(page.url).status_code == 200


def test_home_page_shows_the_latest_pages_and_region_links(client, django_assert_max_num_queries):
    for number in range(6):
        f.case_study(title=f"Home case {number}", regions=("oceania",), countries=("FJ",))
    client.get("/")
    with django_assert_max_num_queries(16):
        response = client.get("/")
    soup = BeautifulSoup(response.content, "html.parser")
    assert len(soup.select(".kb-home-latest .kb-card")) == 4
    assert "Home case 0" in response.content.decode()  # newest first
    region_link = soup.select_one('#kb-home-regions + ul a[href="/knowledge/regions/oceania/"]')
    assert region_link.get_text().endswith("(6)")


PUBLIC_ORIGIN = "https://hub.example.org"
PRODUCTION_OVERRIDES = {
    # What config/settings/production.py makes of SITE_URL=https://hub.example.org.
    "DEBUG": False,
    "SITE_URL": PUBLIC_ORIGIN,
    "WAGTAILADMIN_BASE_URL": PUBLIC_ORIGIN,
    "ALLOWED_HOSTS": ["hub.example.org"],
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "ACCOUNT_DEFAULT_HTTP_PROTOCOL": "https",
}


@pytest.fixture
def production_settings():
    """Production settings with SITE_URL set after the database was migrated (under the test
    settings' SITE_URL), as when a deployment changes its address and restarts."""
    from django.test import override_settings
    from wagtail.models import Site

    with override_settings(**PRODUCTION_OVERRIDES):
        yield
    Site.clear_site_root_paths_cache()  # the rollback restores the row, not Wagtail's cache


def test_under_production_settings_canonical_open_graph_json_ld_and_sitemap_use_site_url(
    production_settings,
):
    import runpy

    from django.test import Client

    page = f.case_study(title="Canonical case")
    assert not f.index_page().full_url.startswith(PUBLIC_ORIGIN)  # as migrated
    runpy.run_module("config.wsgi")  # the server starts, as gunicorn starts it
    # Requests arrive through the TLS proxy.
    production_server = Client(HTTP_HOST="hub.example.org", HTTP_X_FORWARDED_PROTO="https")
    expected = f"{PUBLIC_ORIGIN}{page.url}"

    soup = BeautifulSoup(production_server.get(page.url).content, "html.parser")
    assert soup.select_one('link[rel="canonical"]')["href"] == expected
    assert soup.select_one('meta[property="og:url"]')["content"] == expected
    data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
    assert data["url"] == expected
    assert data["mainEntityOfPage"] == expected

    index = BeautifulSoup(production_server.get("/knowledge/").content, "html.parser")
    assert index.select_one('link[rel="canonical"]')["href"] == f"{PUBLIC_ORIGIN}/knowledge/"
    landing = BeautifulSoup(
        production_server.get("/knowledge/topics/social-media/").content, "html.parser"
    )
    assert (
        landing.select_one('link[rel="canonical"]')["href"]
        == f"{PUBLIC_ORIGIN}/knowledge/topics/social-media/"
    )

    sitemap = ElementTree.fromstring(production_server.get("/sitemap.xml").content)
    namespace = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in sitemap.findall("sm:url/sm:loc", namespace)]
    assert locations
    assert expected in locations
    assert f"{PUBLIC_ORIGIN}/knowledge/regions/oceania/" in locations
    assert all(location.startswith(f"{PUBLIC_ORIGIN}/") for location in locations)
