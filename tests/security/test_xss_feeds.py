"""The forum's Atom feeds (forum/feeds.py) and /sitemap.xml with hostile titles, bodies and
author names, read as a feed reader reads them.

A reader parses the XML, shows ``<title>`` and ``<author><name>`` as text (Atom's default
``type="text"``) and renders ``<content type="html">`` after decoding it. So every text
construct must carry no ``type`` other than ``text`` (no user markup reaching a reader as
HTML), hold the member's text as they typed it, and every HTML content, once decoded, must
hold no script-capable construct. Entry and feed links, and the sitemap's ``<loc>`` values,
must be http(s) addresses on ``SITE_URL``.

A feed shows the newest 30 entries (``forum.feeds.FEED_LENGTH``), so the corpus is split in
groups of 29: each group has its own category, topic and region, one thread per input (the
input as title, body and author's display name, tagged with the group's topic and region)
and one more thread with a reply per input; all 257 inputs reach each kind of feed.
"""

from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.urls import reverse

from forum.feeds import FEED_LENGTH
from forum.models import Thread
from taxonomy.models import Region, Topic
from tests.factories.forum import CategoryFactory, make_reply, make_thread
from tests.security.hostile import INPUTS, assert_no_script_capable_construct, record_surface

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
GROUP = FEED_LENGTH - 1  # a group's reply thread holds its opening post and GROUP replies
TEXT_CONSTRUCTS = ("title", "subtitle", "rights")


def staff_text(text: str) -> str:
    """Text as an admin form stores it: the form refuses NUL, other controls pass."""
    return text.replace("\x00", "")


def title_text(text: str) -> str:
    return (text.strip() or "x")[:200]


def groups():
    return [
        (number, INPUTS[start : start + GROUP])
        for number, start in enumerate(range(0, len(INPUTS), GROUP))
    ]


@pytest.fixture
def hostile_forum(hostile_authors):
    """Per group: category, topic, region, its threads and its reply thread."""
    world = []
    authors = iter(hostile_authors)
    for number, chunk in groups():
        category = CategoryFactory(
            slug=f"hostile-feed-{number}",
            name=staff_text(f"{number} {title_text(chunk[0])}")[:100],
            description=staff_text(chunk[-1]),
        )
        topic = Topic.objects.create(
            name=staff_text(f"{number} {title_text(chunk[1 % len(chunk)])}")[:120],
            slug=f"hostile-topic-{number}",
            description=staff_text(chunk[0]),
        )
        region = Region.objects.create(
            name=staff_text(f"{number} {title_text(chunk[2 % len(chunk)])}")[:120],
            slug=f"hostile-region-{number}",
        )
        chunk_authors = [next(authors) for _ in chunk]
        threads = [
            make_thread(
                category=category,
                author=author,
                title=title_text(text),
                body=text,
                topics=[topic],
                regions=[region],
            )
            for author, text in zip(chunk_authors, chunk, strict=True)
        ]
        replied = make_thread(category=category, title=f"Replies {number}", body="Opening.")
        for author, text in zip(chunk_authors, chunk, strict=True):
            make_reply(replied, author=author, body=text)
        world.append(
            {
                "chunk": chunk,
                "category": category,
                "topic": topic,
                "region": region,
                "threads": threads,
                "replied": replied,
                "authors": chunk_authors,
            }
        )
    return world


def assert_http_on_site(url: str, where: str) -> None:
    parts = urlsplit(url)
    site = urlsplit(settings.SITE_URL)
    assert parts.scheme in ("http", "https"), f"{where}: {url!r}"
    assert (parts.scheme, parts.netloc) == (site.scheme, site.netloc), f"{where}: {url!r}"


def assert_text_construct(element, where: str) -> str:
    """A text construct as a reader shows it: plain text, never markup."""
    assert element is not None, f"{where}: missing"
    assert element.get("type", "text") == "text", f"{where}: type={element.get('type')!r}"
    assert len(element) == 0, f"{where}: child elements {[child.tag for child in element]}"
    return element.text or ""


def read_feed(client, url: str, where: str) -> list[dict]:
    """The feed at ``url`` parsed as a reader would: its entries' titles, author names and
    decoded HTML contents; the feed's own text constructs and links checked on the way."""
    response = client.get(url)
    assert response.status_code == 200, f"{where}: {response.status_code}"
    assert response["Content-Type"].startswith("application/atom+xml"), where
    feed = ElementTree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed", where
    for name in TEXT_CONSTRUCTS:
        for element in feed.findall(f"{ATOM}{name}"):
            assert_text_construct(element, f"{where}: feed {name}")
    for link in feed.iter(f"{ATOM}link"):
        assert_http_on_site(link.get("href", ""), f"{where}: link")
    entries = []
    for entry in feed.findall(f"{ATOM}entry"):
        for name in TEXT_CONSTRUCTS:
            for element in entry.findall(f"{ATOM}{name}"):
                assert_text_construct(element, f"{where}: entry {name}")
        assert entry.find(f"{ATOM}summary") is None, f"{where}: a summary besides the content"
        content = entry.find(f"{ATOM}content")
        assert content is not None, f"{where}: entry without content"
        assert content.get("type") == "html", f"{where}: content type={content.get('type')!r}"
        assert len(content) == 0, f"{where}: content holds XML elements, not escaped HTML"
        html = content.text or ""
        assert_no_script_capable_construct(html, f"{where}: entry content")
        authors = entry.findall(f"{ATOM}author/{ATOM}name")
        assert len(authors) == 1, where
        entries.append(
            {
                "title": assert_text_construct(entry.find(f"{ATOM}title"), f"{where}: title"),
                "author": assert_text_construct(authors[0], f"{where}: author name"),
                "html": html,
                "id": entry.findtext(f"{ATOM}id"),
            }
        )
    return entries


def test_new_thread_feeds_show_hostile_titles_and_names_as_text_and_bodies_without_script(
    client, hostile_forum
):
    checked = 0
    for group in hostile_forum:
        expected = {
            (thread.title, author.public_name)
            for thread, author in zip(group["threads"], group["authors"], strict=True)
        }
        for kind, url in (
            ("category", reverse("forum:category_feed", args=[group["category"].slug])),
            ("topic", reverse("forum:topic_feed", args=[group["topic"].slug])),
            ("region", reverse("forum:region_feed", args=[group["region"].slug])),
        ):
            entries = read_feed(client, url, f"{kind} feed {url}")
            shown = {(entry["title"], entry["author"]) for entry in entries}
            # The titles and names as stored, character for character: text, not markup.
            assert expected <= shown, (kind, sorted(expected - shown)[:3])
            assert len(entries) == len(group["threads"]) + (kind == "category")
            checked += len(group["threads"])
    assert checked == 3 * len(INPUTS)
    record_surface("Atom category feed (title, content, author)", len(INPUTS))
    record_surface("Atom topic feed (title, content, author)", len(INPUTS))
    record_surface("Atom region feed (title, content, author)", len(INPUTS))


def test_thread_feeds_show_hostile_replies_and_names_without_script(client, hostile_forum):
    checked = 0
    for group in hostile_forum:
        thread = group["replied"]
        url = reverse("forum:thread_feed", args=[thread.pk])
        entries = read_feed(client, url, f"thread feed {url}")
        assert len(entries) == len(group["chunk"]) + 1
        names = {entry["author"] for entry in entries}
        assert {author.public_name for author in group["authors"]} <= names
        titles = {entry["title"] for entry in entries}
        for author in group["authors"]:
            assert f"Reply by {author.public_name}" in titles
        checked += len(group["chunk"])
    # The opening posts' own feeds: a hostile thread title as the feed's and entry's title.
    for group in hostile_forum:
        for thread in group["threads"]:
            entries = read_feed(client, reverse("forum:thread_feed", args=[thread.pk]), "feed")
            assert [entry["title"] for entry in entries] == [thread.title]
    assert checked == len(INPUTS)
    record_surface("Atom thread feed (replies, author names)", checked)
    record_surface("Atom thread feed (hostile thread title)", len(INPUTS))


def test_sitemap_lists_only_http_addresses_on_the_site_with_hostile_titles(client, hostile_forum):
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    urlset = ElementTree.fromstring(response.content)
    locations = [loc.text or "" for loc in urlset.iter(f"{SITEMAP}loc")]
    for location in locations:
        assert_http_on_site(location, "sitemap loc")
    hostile_threads = Thread.objects.filter(category__slug__startswith="hostile-feed-")
    for thread in hostile_threads:
        assert settings.SITE_URL + thread.get_absolute_url() in locations
    assert hostile_threads.count() == len(INPUTS) + len(hostile_forum)
    record_surface("sitemap.xml loc", len(INPUTS))


def test_a_staff_typed_name_with_control_characters_still_gives_a_readable_feed(client):
    # The admin forms refuse NUL but not the other C0 controls, which XML 1.0 cannot carry;
    # the feed drops them instead of failing (it was a 500).
    hostile = [text for text in INPUTS if "\x01" in text or "\x0c" in text]
    assert hostile
    for number, text in enumerate(hostile):
        name = f"{number} {text}"[:100]
        category = CategoryFactory(slug=f"control-{number}", name=name, description=text)
        region = Region.objects.create(name=name, slug=f"control-region-{number}")
        thread = make_thread(category=category, title="Plain title", body="Plain body.")
        thread.regions.add(region)
        for kind, url in (
            ("category", reverse("forum:category_feed", args=[category.slug])),
            ("region", reverse("forum:region_feed", args=[region.slug])),
            ("thread", reverse("forum:thread_feed", args=[thread.pk])),
        ):
            entries = read_feed(client, url, f"{kind} feed of {name!r}")
            assert [entry["title"] for entry in entries] == ["Plain title"]
        feed = ElementTree.fromstring(client.get(url).content)
        subtitle = feed.findtext(f"{ATOM}subtitle")
        assert name.replace("\x01", "").replace("\x0c", "") in subtitle
    record_surface("Atom feeds with control characters in staff-typed names", len(hostile))
