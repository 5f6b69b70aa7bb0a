"""The OpenSearch description, and its link from every page's head."""

import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.django_db

NS = {"os": "http://a9.com/-/spec/opensearch/1.1/"}


def test_the_description_points_browsers_at_the_search_page(client, settings):
    settings.SITE_URL = "https://hub.example.org"
    response = client.get("/search/opensearch.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    root = ET.fromstring(response.content)
    assert root.find("os:ShortName", NS).text
    assert len(root.find("os:ShortName", NS).text) <= 16
    templates = {url.get("type"): url.get("template") for url in root.findall("os:Url", NS)}
    assert templates["text/html"] == "https://hub.example.org/search/?q={searchTerms}"


@pytest.mark.parametrize("path", ["/", "/search/", "/forum/", "/search/?q=water"])
def test_every_page_links_the_description_from_its_head(client, path):
    html = client.get(path).content.decode()
    head = html.split("</head>", 1)[0]
    assert (
        '<link rel="search" type="application/opensearchdescription+xml" '
        'title="PCC Knowledge Hub" href="/search/opensearch.xml">'
    ) in head
