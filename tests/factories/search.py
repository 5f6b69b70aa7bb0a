"""Search documents for tests of the pages and the API, indexed straight into the configured
backend (the projection and outbox have their own tests)."""

import datetime
import itertools

from django.utils import timezone

from search.backends import search_backend
from search.documents import CASE_STUDY, PUBLIC, THREAD, SearchDocument, Term

_sequence = itertools.count(1)

RISK = Term("risk-and-crisis-communication", "Risk and crisis communication")
TRUST = Term("customer-experience-and-trust", "Customer experience and trust")
DIGITAL = Term("digital-channels", "Digital channels")
SOCIAL = Term("social-media", "Social media")
AFRICA = Term("sub-saharan-africa", "Sub-Saharan Africa")
EUROPE = Term("europe-and-northern-america", "Europe and Northern America")
KENYA = Term("kenya", "Kenya")


def search_document(
    *,
    type: str = CASE_STUDY,
    title: str | None = None,
    summary: str = "",
    body: str = "",
    topics=(RISK,),
    regions=(AFRICA,),
    visibility=(PUBLIC,),
    published: datetime.datetime | None = None,
    **fields,
) -> SearchDocument:
    number = next(_sequence)
    prefix = "forum.thread" if type == THREAD else "kb.page"
    pk = fields.pop("pk", 100_000 + number)
    return SearchDocument(
        id=f"{prefix}:{pk}",
        type=type,
        title=title or f"Document {number}",
        url=fields.pop("url", f"/knowledge/doc-{number}/" if type != THREAD else f"/forum/t/{pk}/"),
        summary=summary,
        body=body,
        topics=tuple(topics),
        regions=tuple(regions),
        visibility=tuple(visibility),
        published=published or timezone.now() - datetime.timedelta(days=number),
        kind=fields.pop("kind", "discussion" if type == THREAD else ""),
        **fields,
    )


def fresh_index(settings, tmp_path):
    """Point the embedded backend at an empty index file for one test (a generator for a
    fixture: ``yield from fresh_index(settings, tmp_path)``)."""
    settings.SEARCH_EMBEDDED_PATH = str(tmp_path / "search-index.sqlite3")
    search_backend.cache_clear()
    yield
    search_backend.cache_clear()


def index_documents(*docs: SearchDocument) -> list[SearchDocument]:
    search_backend().index(docs)
    return list(docs)
