"""KB pages and forum threads as search documents, read from the current database state.

The one place that decides what a backend may store (design.md section 6, issue 10 item 1):

- Only live case studies and method guides are indexed; drafts never published, unpublished
  pages, and any other page type project to ``None``, which the indexer turns into a delete.
  A live page's row holds its published content (Wagtail keeps unpublished edits in
  revisions), so a private draft of a live page never reaches the index either.
- A page under a view restriction (on itself or an ancestor) is members-only.
- A thread carries its opening post (``summary``), its accepted answer (``body``) and the
  other visible replies (``replies``, capped at ``REPLIES_MAX_CHARS``). Hidden posts are never
  read. Its visibility follows its category (``search.visibility.category_tokens``).
- Topics include their parents; regions include the regions of the countries.

The batch forms (``documents_for_pages``, ``documents_for_threads``, ``documents_for_ids``,
``iter_documents``) use a fixed number of queries per call or per chunk, whatever the number
of documents.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cache
from html import unescape

from django.db.models import Prefetch
from wagtail import blocks
from wagtail.blocks import StreamValue
from wagtail.models import Page

from forum.models import Category, Post, Thread
from kb import access
from kb.models import CaseStudyPage, MethodGuidePage
from members.models import FORMER_MEMBER_NAME, User
from search.documents import CASE_STUDY, METHOD_GUIDE, THREAD, SearchDocument, Term
from search.visibility import category_tokens, page_tokens
from taxonomy.models import Country, Topic

PAGE_PREFIX = "kb.page:"
THREAD_PREFIX = "forum.thread:"

REPLIES_MAX_CHARS = 20_000
"""The most reply text one thread document carries: best-voted replies first, so a very long
thread still indexes its most useful answers without one document dwarfing the rest."""

CHUNK_SIZE = 500
"""Documents built per batch by ``iter_documents``."""

_PAGE_TYPES = {CaseStudyPage: CASE_STUDY, MethodGuidePage: METHOD_GUIDE}

_CASE_STUDY_FIELDS = (
    "challenge",
    "objectives",
    "approach",
    "results",
    "results_summary",
    "lessons",
    "timeline",
    "resources",
)
_METHOD_GUIDE_FIELDS = (
    "purpose",
    "when_to_use",
    "when_not_to_use",
    "steps",
    "skills_needed",
    "templates",
)
_BODY_FIELDS = {CaseStudyPage: _CASE_STUDY_FIELDS, MethodGuidePage: _METHOD_GUIDE_FIELDS}


# -- document ids ---------------------------------------------------------------------------


def page_doc_id(pk: int) -> str:
    return f"{PAGE_PREFIX}{pk}"


def thread_doc_id(pk: int) -> str:
    return f"{THREAD_PREFIX}{pk}"


def parse_doc_id(doc_id: str) -> tuple[str, int] | None:
    """``("page", pk)`` or ``("thread", pk)`` for a document id; None if it is not one."""
    for prefix, kind in ((PAGE_PREFIX, "page"), (THREAD_PREFIX, "thread")):
        if doc_id.startswith(prefix):
            rest = doc_id[len(prefix) :]
            if rest.isascii() and rest.isdigit():
                return kind, int(rest)
    return None


# -- text -----------------------------------------------------------------------------------

_BLOCK_TAG = re.compile(
    r"</?(?:p|h\d|li|blockquote|pre|td|th|tr|table|ul|ol|div|br|hr)\b[^>]*>", re.IGNORECASE
)
_TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")
_SPACES = re.compile(r"\s+")


def html_text(html: str) -> str:
    """Plain text of stored HTML (Wagtail rich text or a post's ``body_html``): tags dropped,
    entities decoded, a space kept between block elements, whitespace collapsed."""
    if not html:
        return ""
    return _SPACES.sub(" ", unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", html)))).strip()


def _block_texts(block: blocks.Block, raw) -> Iterator[str]:
    """Text of a block's raw (JSON) value: char, text and rich-text blocks only, so choosers
    (images, documents) cost no query."""
    if raw is None or raw == "":
        return
    if isinstance(block, blocks.RichTextBlock):
        yield html_text(raw)
    elif isinstance(block, (blocks.CharBlock, blocks.TextBlock)):
        yield str(raw)
    elif isinstance(block, blocks.StreamBlock):
        for item in raw:
            child = block.child_blocks.get(item.get("type"))
            if child is not None:
                yield from _block_texts(child, item.get("value"))
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            yield from _block_texts(child, raw.get(name))
    elif isinstance(block, blocks.ListBlock):
        for item in raw:
            value = item.get("value") if isinstance(item, dict) and "type" in item else item
            yield from _block_texts(block.child_block, value)


def _field_text(value) -> str:
    if isinstance(value, StreamValue):
        stream_block = value.stream_block
        texts = _block_texts(stream_block, list(value.raw_data))
        return " ".join(text for text in texts if text)
    if not value:
        return ""
    text = str(value)
    return html_text(text) if "<" in text else text


def _join(texts: Iterable[str]) -> str:
    return "\n".join(text for text in texts if text)


# -- taxonomy -------------------------------------------------------------------------------


def _terms(rows: Iterable) -> tuple[Term, ...]:
    seen: dict[str, Term] = {}
    for row in rows:
        seen.setdefault(row.slug, Term(row.slug, row.name))
    return tuple(seen.values())


def _topics_with_parents(topics: Iterable[Topic]) -> tuple[Term, ...]:
    rows = []
    for topic in topics:
        if topic.parent_id is not None:
            rows.append(topic.parent)
        rows.append(topic)
    return _terms(rows)


def _topic_prefetch() -> Prefetch:
    return Prefetch("topics", queryset=Topic.objects.select_related("parent"))


# -- KB pages -------------------------------------------------------------------------------


def _page_queryset(model):
    return (
        model.objects.filter(live=True)
        .prefetch_related(
            _topic_prefetch(),
            "regions",
            Prefetch("countries", queryset=Country.objects.select_related("region")),
            "audiences",
            "channels",
        )
        .order_by("pk")
    )


def _page_document(page, *, members_only: bool) -> SearchDocument | None:
    model = type(page)
    if model not in _PAGE_TYPES or not page.live:
        return None
    countries = list(page.countries.all())
    regions = list(page.regions.all()) + [country.region for country in countries]
    return SearchDocument(
        id=page_doc_id(page.pk),
        type=_PAGE_TYPES[model],
        title=page.title,
        url=page.get_url() or "",
        summary=page.summary,
        body=_join(_field_text(getattr(page, name)) for name in _BODY_FIELDS[model]),
        topics=_topics_with_parents(page.topics.all()),
        regions=_terms(regions),
        countries=_terms(countries),
        audiences=_terms(page.audiences.all()),
        channels=_terms(page.channels.all()),
        organisation=getattr(page, "organisation", ""),
        published=page.first_published_at,
        updated=page.last_published_at or page.first_published_at,
        visibility=page_tokens(members_only=members_only),
    )


def page_document(page: Page) -> SearchDocument | None:
    """The document of one page as it is now in the database, or None if it is not indexed."""
    return documents_for_pages([page.pk])[page.pk]


def documents_for_pages(pks: Iterable[int]) -> dict[int, SearchDocument | None]:
    """Every pk in ``pks`` mapped to its document, or to None (gone, not live, another page
    type): a fixed number of queries for any number of pages."""
    wanted = set(pks)
    found: dict[int, SearchDocument | None] = dict.fromkeys(wanted)
    if not wanted:
        return found
    paths = access.restricted_paths()
    for model in _PAGE_TYPES:
        pages = list(_page_queryset(model).filter(pk__in=wanted))
        restricted = access.members_only_ids(pages, paths)
        for page in pages:
            found[page.pk] = _page_document(page, members_only=page.pk in restricted)
    return found


# -- forum threads --------------------------------------------------------------------------


_THREAD_FIELDS = (
    "pk",
    "title",
    "slug",
    "kind",
    "category__visibility",
    "category__restricted_to_group_id",
    "author_id",
    "author__display_name",
    "author__first_name",
    "author__last_name",
    "author__deleted_at",
    "author__profile__organisation",
    "created_at",
    "last_activity_at",
    "accepted_answer_id",
    "vote_score",
    "reply_count",
)


class _Rows:
    """A chunk of threads read as plain rows (no model instances: a rebuild reads tens of
    thousands), in four queries: threads, visible posts, topics, regions."""

    def __init__(self, pks: set[int]):
        self.threads = {
            row["pk"]: row for row in Thread.objects.filter(pk__in=pks).values(*_THREAD_FIELDS)
        }
        self.posts: dict[int, list[tuple]] = defaultdict(list)
        visible = (
            Post.objects.filter(thread_id__in=pks, is_hidden=False)
            .order_by("-vote_score", "position")
            .values_list("thread_id", "pk", "depth", "body_html")
        )
        for thread_id, pk, depth, body_html in visible:
            self.posts[thread_id].append((pk, depth, body_html))
        self.topics: dict[int, list[Term]] = defaultdict(list)
        topic_rows = (
            Thread.topics.through.objects.filter(thread_id__in=pks)
            .order_by("topic__sort_order", "topic__name")
            .values_list(
                "thread_id",
                "topic__slug",
                "topic__name",
                "topic__parent__slug",
                "topic__parent__name",
            )
        )
        for thread_id, slug, name, parent_slug, parent_name in topic_rows:
            if parent_slug:
                self.topics[thread_id].append(Term(parent_slug, parent_name))
            self.topics[thread_id].append(Term(slug, name))
        self.regions: dict[int, list[Term]] = defaultdict(list)
        region_rows = (
            Thread.regions.through.objects.filter(thread_id__in=pks)
            .order_by("region__sort_order", "region__name")
            .values_list("thread_id", "region__slug", "region__name")
        )
        for thread_id, slug, name in region_rows:
            self.regions[thread_id].append(Term(slug, name))
        self._names: dict[int, str] = {}

    def author(self, row: dict) -> tuple[str, str]:
        """The author's public name (``User.public_name``) and organisation, as the thread page
        shows them: a former member has no organisation."""
        pk = row["author_id"]
        if pk is None:
            return str(FORMER_MEMBER_NAME), ""
        if pk not in self._names:
            self._names[pk] = User(
                pk=pk,
                display_name=row["author__display_name"] or "",
                first_name=row["author__first_name"] or "",
                last_name=row["author__last_name"] or "",
                deleted_at=row["author__deleted_at"],
            ).public_name
        if row["author__deleted_at"] is not None:
            return self._names[pk], ""
        return self._names[pk], row["author__profile__organisation"] or ""


@cache
def _thread_url_pattern() -> tuple[str, str, str]:
    """``Thread.get_absolute_url`` as a template (reversing once, not per thread)."""
    url = Thread(pk=_PK_SENTINEL, slug=_SLUG_SENTINEL).get_absolute_url()
    head, rest = url.split(str(_PK_SENTINEL), 1)
    middle, tail = rest.split(_SLUG_SENTINEL, 1)
    return head, middle, tail


_PK_SENTINEL = 987654321987
_SLUG_SENTINEL = "slug-sentinel"


def _thread_url(pk: int, slug: str) -> str:
    head, middle, tail = _thread_url_pattern()
    return f"{head}{pk}{middle}{slug or 'thread'}{tail}"


def _thread_document(row: dict, rows: _Rows) -> SearchDocument:
    pk = row["pk"]
    posts = rows.posts.get(pk, [])  # visible only, best-voted first
    opening = next((body for _pk, depth, body in posts if depth == 0), None)
    accepted_pk = row["accepted_answer_id"]
    accepted = next((body for post_pk, _d, body in posts if post_pk == accepted_pk), None)
    others = (body for post_pk, depth, body in posts if depth > 0 and post_pk != accepted_pk)
    author, organisation = rows.author(row)
    is_question = row["kind"] == Thread.Kind.QUESTION
    return SearchDocument(
        id=thread_doc_id(pk),
        type=THREAD,
        title=row["title"],
        url=_thread_url(pk, row["slug"]),
        summary=html_text(opening) if opening is not None else "",
        body=html_text(accepted) if accepted is not None else "",
        replies=_capped((html_text(body) for body in others), REPLIES_MAX_CHARS),
        topics=tuple(dict.fromkeys(rows.topics.get(pk, ()))),
        regions=tuple(dict.fromkeys(rows.regions.get(pk, ()))),
        author=author,
        organisation=organisation,
        published=row["created_at"],
        updated=row["last_activity_at"],
        visibility=category_tokens(
            members_only=row["category__visibility"] == Category.Visibility.MEMBERS,
            group_id=row["category__restricted_to_group_id"],
        ),
        kind=row["kind"],
        answered=(accepted is not None) if is_question else None,
        votes=row["vote_score"],
        reply_count=row["reply_count"],
    )


def _capped(texts: Iterable[str], limit: int) -> str:
    kept, size = [], 0
    for text in texts:
        if not text:
            continue
        if size + len(text) > limit:
            kept.append(text[: max(limit - size, 0)].rsplit(" ", 1)[0])
            break
        kept.append(text)
        size += len(text) + 1
    return _join(kept)


def thread_document(thread: Thread) -> SearchDocument | None:
    """The document of one thread as it is now in the database, or None if it is gone."""
    return documents_for_threads([thread.pk])[thread.pk]


def documents_for_threads(pks: Iterable[int]) -> dict[int, SearchDocument | None]:
    """Every pk in ``pks`` mapped to its document, or to None if the thread is gone: four
    queries for any number of threads."""
    wanted = set(pks)
    found: dict[int, SearchDocument | None] = dict.fromkeys(wanted)
    if wanted:
        rows = _Rows(wanted)
        for pk, row in rows.threads.items():
            found[pk] = _thread_document(row, rows)
    return found


# -- any document ---------------------------------------------------------------------------


def documents_for_ids(doc_ids: Iterable[str]) -> dict[str, SearchDocument | None]:
    """Every id mapped to its current document, or None (delete it). Ids that are not
    document ids map to None too."""
    doc_ids = list(doc_ids)
    pages, threads = [], []
    for doc_id in doc_ids:
        parsed = parse_doc_id(doc_id)
        if parsed:
            (pages if parsed[0] == "page" else threads).append(parsed[1])
    page_docs = documents_for_pages(pages) if pages else {}
    thread_docs = documents_for_threads(threads) if threads else {}
    found: dict[str, SearchDocument | None] = {}
    for doc_id in doc_ids:
        parsed = parse_doc_id(doc_id)
        if parsed is None:
            found[doc_id] = None
        else:
            found[doc_id] = (page_docs if parsed[0] == "page" else thread_docs).get(parsed[1])
    return found


def indexable_count() -> int:
    """How many documents ``iter_documents`` yields (for a progress bar's total)."""
    return sum(_page_queryset(model).count() for model in _PAGE_TYPES) + Thread.objects.count()


def iter_documents(*, chunk_size: int = CHUNK_SIZE) -> Iterator[SearchDocument]:
    """Every indexable document, built ``chunk_size`` at a time with a fixed number of
    queries per chunk (pages first, then threads), for a rebuild."""
    for model in _PAGE_TYPES:
        pks = list(_page_queryset(model).values_list("pk", flat=True))
        for start in range(0, len(pks), chunk_size):
            docs = documents_for_pages(pks[start : start + chunk_size])
            yield from (doc for doc in docs.values() if doc is not None)
    pks = list(Thread.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), chunk_size):
        docs = documents_for_threads(pks[start : start + chunk_size])
        yield from (doc for doc in docs.values() if doc is not None)
