"""Durable indexing: the outbox, applying it to every target backend, rebuilds and status.

The flow (issue 10 item 6):

1. A change in the KB or the forum reaches ``search.receivers``, which calls
   ``outbox_record`` inside the change's transaction: one ``IndexOutbox`` row per document
   and target backend, written or refreshed in one query.
2. After commit, ``search.tasks.outbox_apply_task`` runs ``outbox_apply`` on those rows. It
   re-reads each document's current state through ``search.projection`` and upserts it, or
   deletes it when the projection says it must not be indexed. It never raises: a failing
   backend leaves its rows pending with a back-off (``retry_delay``) and the error; a
   document the backend rejects leaves only its own row pending.
3. ``outbox_apply_pending`` (``manage.py search_index sync``) applies whatever is due, so
   nothing depends on the task queue having run.

Targets: ``index_targets()`` is the configured backend plus, when it is Elasticsearch and
``SEARCH_KEEP_EMBEDDED_FALLBACK`` is on, the embedded index kept up to date as its fallback.
Each target has its own rows, applied and retried independently.
"""

import logging
import operator
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import reduce

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from search import projection
from search.backends import _backend
from search.backends.base import DocumentsRejected, SearchBackend
from search.documents import CASE_STUDY, METHOD_GUIDE, THREAD
from search.models import IndexOutbox
from search.results import BackendStatus

logger = logging.getLogger("search.indexing")

EMBEDDED = "embedded"
BATCH_SIZE = 200
"""Rows applied per backend call."""
RETRY_BASE = timedelta(seconds=30)
RETRY_MAX = timedelta(hours=1)
APPLIED_KEPT = timedelta(days=1)
"""How long an applied row stays (for a rebuild to re-apply what changed while it ran)."""
REBUILD_OVERLAP = timedelta(minutes=5)
"""Rows changed this long before a rebuild started are re-applied after its swap too: a
transaction can commit a little after it recorded its change."""
ERROR_MAX_LENGTH = 2000


def index_targets() -> tuple[str, ...]:
    """The backends every change is applied to, main one first."""
    main = settings.SEARCH_BACKEND
    if main != EMBEDDED and getattr(settings, "SEARCH_KEEP_EMBEDDED_FALLBACK", False):
        return (main, EMBEDDED)
    return (main,)


def target_backend(name: str) -> SearchBackend:
    """The one instance of backend ``name`` (the same one ``search_backend()`` returns for the
    configured name, so ``search_backend.cache_clear()`` resets both)."""
    return _backend(name)


def retry_delay(attempts: int) -> timedelta:
    """The wait after ``attempts`` failed applications: 30 s, 1 min, 2 min ... at most 1 h."""
    return min(RETRY_BASE * 2 ** min(max(attempts - 1, 0), 20), RETRY_MAX)


# -- recording ------------------------------------------------------------------------------


class _ApplyAfterCommit:
    """One callback per transaction that enqueues the rows recorded in it (see
    ``_schedule``), however many changes the transaction made."""

    def __init__(self) -> None:
        self.row_ids: set[int] = set()
        self.ran = False

    def __call__(self) -> None:
        from search.tasks import outbox_apply_task  # tasks import this module

        self.ran = True
        try:
            outbox_apply_task.enqueue(row_ids=sorted(self.row_ids))
        except Exception:  # the queue is down: the rows stay pending for `sync`
            logger.exception("Could not enqueue %s index outbox rows", len(self.row_ids))


def _schedule(row_ids: Iterable[int]) -> None:
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for _sids, callback, _robust in connection.run_on_commit:
            if isinstance(callback, _ApplyAfterCommit) and not callback.ran:
                callback.row_ids.update(row_ids)
                return
    callback = _ApplyAfterCommit()
    callback.row_ids.update(row_ids)
    transaction.on_commit(callback, robust=True)


def outbox_record(
    *, doc_ids: Iterable[str], operation: str = IndexOutbox.Operation.UPSERT, schedule: bool = True
) -> list[int]:
    """Record that ``doc_ids`` changed, for every target; returns the row ids.

    Call it inside the change's transaction: the rows commit or roll back with it. A
    document that already has a row for a target keeps that row (and its pending age) with
    a fresh token and is due now. With ``schedule``, the rows are applied by a task after
    commit (one task per transaction).
    """
    doc_ids = sorted(set(doc_ids))
    if not doc_ids:
        return []
    now = timezone.now()
    rows = [
        IndexOutbox(
            doc_id=doc_id,
            target=target,
            operation=operation,
            token=uuid.uuid4(),
            created_at=now,
            changed_at=now,
            next_attempt_at=now,
        )
        for doc_id in doc_ids
        for target in index_targets()
    ]
    with transaction.atomic():
        IndexOutbox.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["doc_id", "target"],
            update_fields=["operation", "token", "changed_at", "next_attempt_at", "applied_at"],
        )
        if any(row.pk is None for row in rows):  # a database that returns no ids on upsert
            ids = list(
                IndexOutbox.objects.filter(
                    doc_id__in=doc_ids, target__in=index_targets()
                ).values_list("pk", flat=True)
            )
        else:
            ids = [row.pk for row in rows]
    if schedule:
        _schedule(ids)
    return ids


# -- applying -------------------------------------------------------------------------------


@dataclass
class ApplyReport:
    """What one application did: rows applied, rows left pending, and when to retry."""

    applied: int = 0
    failed: int = 0
    failed_ids: list[int] = field(default_factory=list)
    retry_at: datetime | None = None
    errors: dict[str, str] = field(default_factory=dict)

    def add(self, other: "ApplyReport") -> None:
        self.applied += other.applied
        self.failed += other.failed
        self.failed_ids += other.failed_ids
        self.errors.update(other.errors)
        if other.retry_at and (self.retry_at is None or other.retry_at < self.retry_at):
            self.retry_at = other.retry_at


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:ERROR_MAX_LENGTH]


def _write(backend: SearchBackend, upserts: list, deletes: list[str]) -> dict[str, str]:
    """Upsert and delete; returns the documents the backend rejected (id -> reason). A
    rejection of some documents (``DocumentsRejected``) does not stop the rest: they were
    written, and the deletes still run. Any other error propagates (nothing is known
    applied)."""
    rejected: dict[str, str] = {}
    for write, items in ((backend.index, upserts), (backend.delete, deletes)):
        if not items:
            continue
        try:
            write(items)
        except DocumentsRejected as error:
            rejected.update(error.errors)
    return rejected


def _mark_failed(rows: list[IndexOutbox], messages: dict[int, str], report: ApplyReport) -> None:
    """Leave ``rows`` pending with one more attempt, the back-off and their message."""
    now = timezone.now()
    for row in rows:
        attempts = row.attempts + 1
        retry_at = now + retry_delay(attempts)
        IndexOutbox.objects.filter(pk=row.pk).update(
            attempts=attempts, next_attempt_at=retry_at, last_error=messages[row.pk]
        )
        report.retry_at = min(report.retry_at or retry_at, retry_at)
    report.failed += len(rows)
    report.failed_ids += [row.pk for row in rows]


def _apply_to_target(target: str, rows: list[IndexOutbox]) -> ApplyReport:
    report = ApplyReport()
    try:
        docs = projection.documents_for_ids(row.doc_id for row in rows)
        rejected = _write(
            target_backend(target),
            [doc for doc in docs.values() if doc is not None],
            [doc_id for doc_id, doc in docs.items() if doc is None],
        )
    except Exception as error:  # noqa: BLE001 - any failure keeps the rows pending, never lost
        logger.warning("Index update of %s rows in %s failed: %s", len(rows), target, error)
        message = _describe(error)
        _mark_failed(rows, dict.fromkeys((row.pk for row in rows), message), report)
        report.errors[target] = message
        return report
    failed = [row for row in rows if row.doc_id in rejected]
    if failed:
        messages = {
            row.pk: _describe(DocumentsRejected({row.doc_id: rejected[row.doc_id]}))
            for row in failed
        }
        logger.warning(
            "%s rejected %s of %s documents: %s", target, len(failed), len(rows), sorted(rejected)
        )
        _mark_failed(failed, messages, report)
        report.errors[target] = "; ".join(messages.values())[:ERROR_MAX_LENGTH]
    applied = [row for row in rows if row.doc_id not in rejected]
    if applied:
        unchanged = reduce(operator.or_, (Q(pk=row.pk, token=row.token) for row in applied))
        IndexOutbox.objects.filter(unchanged).update(
            applied_at=timezone.now(), attempts=0, last_error=""
        )
    report.applied = len(applied)
    return report


def outbox_apply(*, row_ids: Iterable[int]) -> ApplyReport:
    """Apply these outbox rows (pending or not) from the documents' current state.

    Never raises: a failure leaves the failed target's rows pending with ``attempts`` + 1,
    ``next_attempt_at`` after the back-off and ``last_error``. When the backend rejects only
    some documents (``DocumentsRejected``, e.g. a 4xx mapping error), only their rows stay
    pending, each ``last_error`` naming its document id; the others are applied. Unknown ids
    are ignored.
    """
    report = ApplyReport()
    row_ids = list(row_ids)
    for start in range(0, len(row_ids), BATCH_SIZE):
        chunk = row_ids[start : start + BATCH_SIZE]
        by_target: dict[str, list[IndexOutbox]] = defaultdict(list)
        for row in IndexOutbox.objects.filter(pk__in=chunk).order_by("pk"):
            by_target[row.target].append(row)
        for target, rows in by_target.items():
            report.add(_apply_to_target(target, rows))
    return report


def outbox_prune(*, older_than: timedelta = APPLIED_KEPT) -> int:
    """Delete rows applied more than ``older_than`` ago; returns how many."""
    cutoff = timezone.now() - older_than
    deleted, _ = IndexOutbox.objects.filter(applied_at__lt=cutoff).delete()
    return deleted


def outbox_apply_pending(*, limit: int | None = None, retry_now: bool = False) -> ApplyReport:
    """Apply pending rows of the configured targets that are due (every pending row with
    ``retry_now``), oldest first, at most ``limit`` of them; then prune old applied rows.
    Each row is tried once per call."""
    report = ApplyReport()
    tried: set[int] = set()
    while limit is None or len(tried) < limit:
        pending = IndexOutbox.objects.filter(applied_at__isnull=True, target__in=index_targets())
        if not retry_now:
            pending = pending.filter(next_attempt_at__lte=timezone.now())
        size = BATCH_SIZE if limit is None else min(BATCH_SIZE, limit - len(tried))
        ids = list(
            pending.exclude(pk__in=tried)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            break
        tried.update(ids)
        report.add(outbox_apply(row_ids=ids))
    outbox_prune()
    return report


# -- rebuild and status ---------------------------------------------------------------------


def _counted(docs: Iterable, progress: Callable[[int], None] | None, every: int = 100):
    done = 0
    for doc in docs:
        yield doc
        done += 1
        if progress and done % every == 0:
            progress(done)
    if progress:
        progress(done)


def index_rebuild(
    *,
    targets: Iterable[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Rebuild each target from every indexable document, built aside and swapped in by the
    backend, so the site keeps answering from the old index meanwhile.

    ``progress(done)`` is called with the number of documents read so far for the target
    being built (every 100 and at the end). After each swap, every row changed since shortly
    before that rebuild started is applied again (those changes went to the old index), and
    so is every row still pending. Returns documents written per target. Backend errors
    propagate: the operator running the rebuild is told, and the old index stays in place.
    """
    counts = {}
    for target in targets or index_targets():
        started = timezone.now()
        backend = target_backend(target)
        counts[target] = backend.rebuild(_counted(projection.iter_documents(), progress))
        changed = IndexOutbox.objects.filter(target=target).filter(
            Q(changed_at__gte=started - REBUILD_OVERLAP) | Q(applied_at__isnull=True)
        )
        outbox_apply(row_ids=list(changed.values_list("pk", flat=True)))
    return counts


def indexable_counts() -> dict[str, int]:
    """Per document type, how many documents a rebuild would index now (what
    ``search.projection`` projects: live case studies and method guides, every thread), in
    three ``COUNT`` queries. Compared with each backend's counts by ``index_status``."""
    from forum.models import Thread
    from kb.models import CaseStudyPage, MethodGuidePage

    return {
        CASE_STUDY: CaseStudyPage.objects.filter(live=True).count(),
        METHOD_GUIDE: MethodGuidePage.objects.filter(live=True).count(),
        THREAD: Thread.objects.count(),
    }


@dataclass(frozen=True)
class TargetStatus:
    """One target backend as ``search_index status`` shows it: what it holds (``backend``,
    None when its status could not be read: ``unavailable`` says why) and its outbox rows."""

    name: str
    backend: BackendStatus | None
    unavailable: str = ""
    pending: int = 0
    failing: int = 0
    oldest_pending_at: datetime | None = None
    last_error: str = ""

    @property
    def documents(self) -> int | None:
        return sum(self.backend.documents_by_type.values()) if self.backend else None

    @property
    def oldest_pending_age(self) -> timedelta | None:
        return timezone.now() - self.oldest_pending_at if self.oldest_pending_at else None


@dataclass(frozen=True)
class IndexStatus:
    """What ``manage.py search_index status`` shows: each target, what the database would
    index (``indexable``, per type), and the outbox's totals over every target."""

    targets: tuple[TargetStatus, ...]
    indexable: dict[str, int]
    pending: int
    pending_by_target: dict[str, int]
    failing: int
    oldest_pending_at: datetime | None
    last_error: str
    unavailable: dict[str, str]
    """Targets whose status could not be read, with the error."""

    @property
    def backends(self) -> tuple[BackendStatus, ...]:
        """The statuses that could be read."""
        return tuple(t.backend for t in self.targets if t.backend is not None)

    @property
    def oldest_pending_age(self) -> timedelta | None:
        return timezone.now() - self.oldest_pending_at if self.oldest_pending_at else None


def _last_errors(pending, targets: Iterable[str]) -> dict[str, tuple[datetime, str]]:
    """The most recent error of a failing row per target, with when that row is retried
    (one query per target)."""
    errors = {}
    for target in targets:
        row = (
            pending.filter(target=target, attempts__gt=0)
            .exclude(last_error="")
            .order_by("-next_attempt_at", "-pk")
            .only("last_error", "next_attempt_at")
            .first()
        )
        if row is not None:
            errors[target] = (row.next_attempt_at, row.last_error)
    return errors


def index_status() -> IndexStatus:
    """Each target's documents per type, the database's indexable counts, and the outbox's
    pending rows per target (count, failing, oldest, last error): a fixed number of
    queries (four, plus one per target with pending rows) and one status call per
    backend."""
    targets = index_targets()
    statuses, unavailable = {}, {}
    for target in targets:
        try:
            statuses[target] = target_backend(target).status()
        except Exception as error:  # noqa: BLE001 - status reports a broken backend
            unavailable[target] = _describe(error)
    pending = IndexOutbox.objects.filter(applied_at__isnull=True)
    per_target = {
        row["target"]: row
        for row in pending.values("target")
        .annotate(
            n=Count("pk"), oldest=Min("created_at"), failing=Count("pk", filter=Q(attempts__gt=0))
        )
        .order_by()
    }
    errors = _last_errors(pending, sorted(t for t, row in per_target.items() if row["failing"]))
    target_statuses = tuple(
        TargetStatus(
            name=target,
            backend=statuses.get(target),
            unavailable=unavailable.get(target, ""),
            pending=per_target.get(target, {}).get("n", 0),
            failing=per_target.get(target, {}).get("failing", 0),
            oldest_pending_at=per_target.get(target, {}).get("oldest"),
            last_error=errors.get(target, (None, ""))[1],
        )
        for target in targets
    )
    oldest = [row["oldest"] for row in per_target.values() if row["oldest"]]
    return IndexStatus(
        targets=target_statuses,
        indexable=indexable_counts(),
        pending=sum(row["n"] for row in per_target.values()),
        pending_by_target={t: row["n"] for t, row in per_target.items()},
        failing=sum(row["failing"] for row in per_target.values()),
        oldest_pending_at=min(oldest) if oldest else None,
        last_error=max(errors.values())[1] if errors else "",
        unavailable=unavailable,
    )
