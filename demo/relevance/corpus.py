"""A relevance corpus: its JSON format, the checks on it, and loading it through the services.

Format (issue 10 item 9; ``tests/search/relevance/corpus.json`` is the project's own):

- ``glossary``: a list of ``{term, acronyms, synonyms, definition}``, loaded first;
- ``docs``: key -> ``{type: case_study|method_guide|thread, title, summary (KB only), body,
  replies (threads), accepted_reply (index into replies, questions only), kind:
  question|discussion (threads), topics, regions, countries, audiences, channels (taxonomy
  slugs / ISO alpha-2), visibility: public|members, published: YYYY-MM-DD}``; a case study
  may also name its ``organisation``;
- ``queries``: a list of ``{q, as: visitor|member, filters: {facet: [values]}, expect: [keys],
  absent: [keys], kind}``; ``kind`` names the category the query tests.

``read_corpus`` checks the structure before any database exists (a mistake costs no
migration); ``check_taxonomy`` checks the slugs against the database once it exists. Both
raise ``DemoDataError`` naming the file, the entry and the key.

``corpus_load`` writes the corpus the way the site does: glossary rows; KB pages added under
the knowledge index and published as a revision (members-only ones behind the same view
restriction ``kb.access`` reads), as ``demo.kb`` seeds them; threads through the forum
services (``thread_create``, ``post_reply``, ``answer_accept``) in public or members-only
categories. Publication dates are then set as ``demo`` backdates its content, before the
search outbox is applied, so the index sees them. Forum threads carry topics and regions only:
a thread's countries add their regions, and its audiences and channels are reported as ignored.
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page
from wagtail.rich_text import RichText

from demo.data_files import Choice, DemoDataError, ListOf, Record, check_data
from demo.forum import demo_person
from demo.kb import demo_page_publish, taxonomy_terms
from forum.models import Category, Post, Thread
from forum.services.answers import answer_accept
from forum.services.posts import post_reply
from forum.services.threads import thread_create
from kb.models import CaseStudyPage, MethodGuidePage
from kb.selectors import knowledge_index_page
from markup import KB_RICH_TEXT, render_markdown
from members.models import User
from search.documents import CASE_STUDY, DOCUMENT_TYPES, THREAD
from search.projection import page_doc_id, thread_doc_id
from search.query import FACETS
from taxonomy.models import Audience, Channel, Country, GlossaryTerm, Region, Topic

VISITOR = "visitor"
MEMBER = "member"
REQUESTERS = (VISITOR, MEMBER)
PUBLIC = "public"
MEMBERS = "members"
QUESTION = "question"
DISCUSSION = "discussion"

EMAIL_DOMAIN = "relevance.pcc-hub.test"
EMPTY_PROSE = "<p>–</p>"
"""Fills a required prose field the corpus text does not reach: a dash, which no analyser
turns into a searchable word."""

_TAXONOMY = {
    "topics": ListOf(str),
    "regions": ListOf(str),
    "countries": ListOf(str),
    "audiences": ListOf(str),
    "channels": ListOf(str),
}
_COMMON = {**_TAXONOMY, "visibility": Choice((PUBLIC, MEMBERS), "visibility"), "published": str}
KB_SHAPE = Record(
    required={"type": str, "title": str, "summary": str, "body": str},
    optional={**_COMMON, "organisation": str},
)
THREAD_SHAPE = Record(
    required={
        "type": str,
        "title": str,
        "body": str,
        "kind": Choice((QUESTION, DISCUSSION), "kind"),
    },
    optional={**_COMMON, "replies": ListOf(str), "accepted_reply": int},
)
GLOSSARY_SHAPE = ListOf(
    Record(
        required={"term": str, "definition": str},
        optional={"acronyms": ListOf(str), "synonyms": ListOf(str)},
        label="term",
    ),
    unique_by="term",
)


@dataclass(frozen=True)
class Corpus:
    name: str
    glossary: list[dict]
    docs: dict[str, dict]
    queries: list[dict]


@dataclass
class LoadedCorpus:
    """Search document ids by corpus key (and back), the requesters, and load warnings."""

    doc_ids: dict[str, str]
    users: dict[str, object]
    warnings: list[str] = field(default_factory=list)

    @property
    def keys_by_id(self) -> dict[str, str]:
        return {doc_id: key for key, doc_id in self.doc_ids.items()}


def read_corpus(path: str | Path) -> Corpus:
    """Read and check the corpus at ``path`` (structure, references between its parts, dates)."""
    name = str(path)
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise DemoDataError(f"{name}: the file is missing.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise DemoDataError(f"{name}: not valid JSON: {error}") from None
    check_data(
        data,
        Record(
            required={"glossary": list, "docs": dict, "queries": list},
            optional={"about": str},
        ),
        name=name,
    )
    check_data(data["glossary"], GLOSSARY_SHAPE, name=f"{name}: glossary")
    for key, doc in data["docs"].items():
        where = f"{name}: docs[{key!r}]"
        if not isinstance(doc, dict) or doc.get("type") not in DOCUMENT_TYPES:
            raise DemoDataError(
                f"{where}: expected a mapping whose type is one of {', '.join(DOCUMENT_TYPES)}"
            )
        check_data(doc, THREAD_SHAPE if doc["type"] == THREAD else KB_SHAPE, name=where)
        _check_doc(doc, where)
    keys = Choice(set(data["docs"]), "document key")
    query_shape = ListOf(
        Record(
            required={"q": str, "expect": ListOf(keys)},
            optional={
                "as": Choice(REQUESTERS, "requester"),
                "filters": Record(required={}, optional={f: ListOf((str, int)) for f in FACETS}),
                "absent": ListOf(keys),
                "kind": str,
            },
            label="q",
        )
    )
    check_data(data["queries"], query_shape, name=f"{name}: queries")
    if not data["queries"]:
        raise DemoDataError(f"{name}: queries: the corpus has no queries.")
    return Corpus(name, data["glossary"], data["docs"], data["queries"])


def _check_doc(doc: dict, where: str) -> None:
    if "published" in doc:
        try:
            datetime.date.fromisoformat(doc["published"])
        except ValueError:
            raise DemoDataError(
                f"{where}: key published: expected a date as YYYY-MM-DD, got {doc['published']!r}"
            ) from None
    if "accepted_reply" in doc:
        if doc["kind"] != QUESTION:
            raise DemoDataError(f"{where}: key accepted_reply: only questions accept a reply")
        if not 0 <= doc["accepted_reply"] < len(doc.get("replies", [])):
            raise DemoDataError(
                f"{where}: key accepted_reply: {doc['accepted_reply']} is not an index into "
                f"replies (it has {len(doc.get('replies', []))})"
            )


def check_taxonomy(corpus: Corpus) -> None:
    """Check every taxonomy value of the docs and the query filters against the database."""

    def slugs(model, what):
        return Choice(set(model.objects.values_list("slug", flat=True)), what)

    countries = set(Country.objects.values_list("iso_alpha2", flat=True))
    values = {
        "topics": slugs(Topic, "topic slug"),
        "regions": slugs(Region, "region slug"),
        "countries": Choice(countries, "ISO 3166-1 alpha-2 country code"),
        "audiences": slugs(Audience, "audience slug"),
        "channels": slugs(Channel, "channel slug"),
    }
    for key, doc in corpus.docs.items():
        shape = Record(required={}, optional={k: ListOf(v) for k, v in values.items()})
        check_data(
            {k: doc[k] for k in values if k in doc}, shape, name=f"{corpus.name}: docs[{key!r}]"
        )
    country_values = countries | set(Country.objects.values_list("slug", flat=True))
    filters = {
        "type": Choice(DOCUMENT_TYPES, "type"),
        "topic": values["topics"],
        "region": values["regions"],
        "country": Choice(country_values, "country code or slug"),
        "audience": values["audiences"],
        "channel": values["channels"],
    }
    for number, query in enumerate(corpus.queries, 1):
        given = {k: [str(v) for v in vs] for k, vs in query.get("filters", {}).items()}
        shape = Record(required={}, optional={k: ListOf(v) for k, v in filters.items()})
        shape.optional["year"] = ListOf(str)
        check_data(
            given, shape, name=f"{corpus.name}: queries[{number - 1}] ({query['q']!r}) filters"
        )
        for year in given.get("year", []):
            if not year.isdigit():
                raise DemoDataError(
                    f"{corpus.name}: queries[{number - 1}] ({query['q']!r}) filters: year "
                    f"{year!r} is not a year"
                )


# -- loading ---------------------------------------------------------------------------------


def corpus_load(corpus: Corpus) -> LoadedCorpus:
    """Write the corpus to the (throw-away) database; see the module docstring."""
    for entry in corpus.glossary:
        GlossaryTerm.objects.update_or_create(
            slug=slugify(entry["term"]),
            defaults={
                "term": entry["term"],
                "definition": entry["definition"],
                "acronyms": ", ".join(entry.get("acronyms", [])),
                "synonyms": ", ".join(entry.get("synonyms", [])),
            },
        )
    authors = [_member(f"author{number}", f"Corpus author {number}") for number in range(1, 4)]
    loaded = LoadedCorpus(doc_ids={}, users={VISITOR: None, MEMBER: _member("reader", "Reader")})
    index = knowledge_index_page()
    if index is None:
        raise DemoDataError("The KnowledgeIndexPage is missing: the kb migrations did not run.")
    categories = {}
    for number, (key, doc) in enumerate(corpus.docs.items()):
        where = f"{corpus.name}: docs[{key!r}]"
        try:
            if doc["type"] == THREAD:
                kind, visibility = doc["kind"], doc.get("visibility", PUBLIC)
                if (kind, visibility) not in categories:
                    categories[kind, visibility] = _category(kind, visibility)
                thread = _thread(doc, categories[kind, visibility], authors, number, loaded, where)
                loaded.doc_ids[key] = thread_doc_id(thread.pk)
            else:
                page = _page(index, key, doc)
                loaded.doc_ids[key] = page_doc_id(page.pk)
        except (ValidationError, PermissionDenied) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            raise DemoDataError(f"{where}: the site refused it: {' '.join(messages)}") from None
    return loaded


def _member(handle: str, name: str) -> User:
    """A verified member who has finished the welcome step (can read members content, post)."""
    return demo_person(
        email=f"{handle}@{EMAIL_DOMAIN}",
        name=name,
        organisation="Relevance corpus",
        roles={"member"},
        note="Relevance corpus",
    )


def _category(kind: str, visibility: str) -> Category:
    mode = Category.Mode.QUESTIONS if kind == QUESTION else Category.Mode.DISCUSSION
    slug = f"relevance-{visibility}-{kind}s"
    category, _ = Category.objects.get_or_create(
        slug=slug,
        defaults={
            "name": f"Relevance corpus: {visibility} {kind}s",
            "mode": mode,
            "visibility": (
                Category.Visibility.MEMBERS if visibility == MEMBERS else Category.Visibility.PUBLIC
            ),
        },
    )
    return category


def _published(doc: dict) -> datetime.datetime:
    day = datetime.date.fromisoformat(doc["published"]) if "published" in doc else None
    day = day or timezone.localdate()
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.split("\n\n") if part.strip()] or [text]


def _html(markdown: str) -> str:
    return render_markdown(markdown, KB_RICH_TEXT).html


def _page(index, key: str, doc: dict) -> Page:
    """A live KB page: the body's paragraphs fill the page type's prose fields in order."""
    paras = [_html(part) for part in _paragraphs(doc["body"])]
    published = _published(doc)
    common = {
        "title": doc["title"],
        "slug": slugify(key)[:80],
        "summary": doc["summary"],
        "year": published.year,
    }
    if doc["type"] == CASE_STUDY:
        page = CaseStudyPage(
            **common,
            organisation=doc.get("organisation") or "Relevance corpus (illustrative)",
            organisation_type="utility",
            challenge=paras[0],
            objectives=paras[1] if len(paras) > 1 else EMPTY_PROSE,
            approach=[("text", RichText(html)) for html in paras[2:-1]],
            lessons=paras[-1] if len(paras) > 2 else EMPTY_PROSE,
            is_illustrative=True,
        )
    else:
        page = MethodGuidePage(
            **common,
            purpose=paras[0],
            when_to_use=paras[1] if len(paras) > 1 else EMPTY_PROSE,
            steps=[("text", RichText(html)) for html in paras[2:] or [EMPTY_PROSE]],
            is_illustrative=True,
        )
    return demo_page_publish(
        index,
        page,
        terms=taxonomy_terms(doc),
        members_only=doc.get("visibility") == MEMBERS,
        published=published,
    )


def _thread(doc, category, authors, number, loaded: LoadedCorpus, where: str) -> Thread:
    terms = taxonomy_terms(doc)
    ignored = [name for name in ("audiences", "channels") if doc.get(name)]
    if ignored:
        loaded.warnings.append(
            f"{where}: forum threads carry topics and regions only; {' and '.join(ignored)} ignored"
        )
    author = authors[number % len(authors)]
    thread = thread_create(
        author=author,
        category=category,
        title=doc["title"],
        body=doc["body"],
        topics=terms["topics"],
        regions=terms["regions"],
    )
    helpers = [user for user in authors if user.pk != author.pk]
    replies = [
        post_reply(author=helpers[index % len(helpers)], thread=thread, body=text)
        for index, text in enumerate(doc.get("replies", []))
    ]
    if "accepted_reply" in doc:
        answer_accept(user=author, answer=replies[doc["accepted_reply"]])
    _backdate(thread, _published(doc))
    return thread


def _backdate(thread: Thread, start: datetime.datetime) -> None:
    """Date the thread and its posts from ``start``, an hour apart (as demo.forum does)."""
    moment = start
    for post in Post.objects.filter(thread=thread).order_by("position"):
        Post.objects.filter(pk=post.pk).update(created_at=moment)
        last = moment
        moment += datetime.timedelta(hours=1)
    Thread.objects.filter(pk=thread.pk).update(created_at=start, last_activity_at=last)


def expected_counts(corpus: Corpus) -> dict[str, int]:
    """How many documents of each type the corpus holds (to check the index against)."""
    counts: dict[str, int] = {}
    for doc in corpus.docs.values():
        counts[doc["type"]] = counts.get(doc["type"], 0) + 1
    return counts
