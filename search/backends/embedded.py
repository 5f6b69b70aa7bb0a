"""The embedded backend: SQLite FTS5 in its own file (``settings.SEARCH_EMBEDDED_PATH``).

It never touches Django's database connection, so it works beside SQLite or PostgreSQL alike.

Layout of one index file
- ``docs``: one row per document (stored fields as JSON, published, year, kind, answered,
  votes, reply_count, a visibility class, a ranking ``boost`` and a precomputed
  ``static_rank``). A rebuild numbers rowids in static-rank order, best first.
- ``facet_values`` / ``facets``: one row per (document, facet value).
- ``vis_classes`` / ``vis_tokens``: each distinct set of visibility tokens is a class.
- ``fts``: FTS5, ``porter unicode61 remove_diacritics 2``, columns title, summary, body,
  replies (bm25 weights 10, 4, 2, 1) and ``tags`` (weight 0): tokens ``zzv<class>`` and
  ``zzf<facet value>`` (used by "Did you mean", suggestions and related content).
- ``words`` (unstemmed vocabulary with document frequency) and ``words_tri`` (FTS5 trigram
  over it): typo tolerance, prefix completion and "Did you mean".
- ``changes``: the rowids each write removed and added, by generation.

Every MATCH string is assembled here from words the parser produced, each double-quoted, so
user syntax never reaches FTS5.

Speed with very common terms. FTS5 can intersect and count 50,000 rows in a few milliseconds,
but ranking (bm25, ~1 µs a row), column filters (they decode every position list) and
joining facet rows cost far more. So every search works on bitmaps held in memory (one
Python int per facet value and per visibility class; one per clause text, cached): totals
and facet counts are exact bit counts. A write does not throw them away: the next reader
brings them forward with the change log, at the cost of the changed documents. Ranking:
- when the text matches at most ``small_set`` documents, bm25 for every match, times the
  document boost and a small recency boost;
- otherwise only the first ``rank_window`` candidates in static-rank order are re-ordered,
  by the fields they match, so the cost no longer grows with the number of hits.
``match_any`` (clauses OR-ed) puts documents matching heavier sets of clauses first, a
clause weighing its inverse document frequency.

Rebuilds write a new file ``<path>.<build id>`` aside and atomically replace the symlink
``<path>`` (os.replace): readers keep answering from the old file until they notice the new
one, and a fresh WAL never meets an old one's ``-wal``/``-shm`` files.
"""

import bisect
import html
import json
import math
import os
import queue
import sqlite3
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from search.backends.base import SearchBackend, SearchUnavailable
from search.documents import DOCUMENT_TYPES, SearchDocument, Term
from search.glossary import words
from search.parsing import STOP_WORDS
from search.query import FACETS, SORT_NEWEST, Clause, ParsedQuery
from search.results import (
    BackendStatus,
    FacetValue,
    Hit,
    SearchResults,
    Suggestion,
    facet_values,
)

SCHEMA_VERSION = "1"
TEXT_COLUMNS = "{title summary body replies}"
MARK_START, MARK_END = "\x02", "\x03"
PREFIX_EXPANSIONS = 12
TYPO_CANDIDATES = 3
JULIAN_UNIX_EPOCH = 2440587.5

RANKED_SQL = """
SELECT f.rowid, bm25(fts, 10.0, 4.0, 2.0, 1.0, 0.0) * d.boost
    * (1.0 + 0.1 * max(0.0, 1.0 - max(?2 - coalesce(d.published, 0.0), 0.0) / 1826.25))
FROM fts f JOIN docs d ON d.rowid = f.rowid WHERE fts MATCH ?1
"""
"""Every text match with its score: bm25 (negative, so ascending is best first) times the
document boost and a small recency boost."""

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs(
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    type TEXT NOT NULL,
    stored TEXT NOT NULL,
    published REAL,
    year INTEGER,
    kind TEXT NOT NULL,
    answered INTEGER,
    votes INTEGER NOT NULL,
    reply_count INTEGER NOT NULL,
    vis_class INTEGER NOT NULL,
    boost REAL NOT NULL,
    static_rank REAL NOT NULL
);
CREATE TABLE facet_values(
    id INTEGER PRIMARY KEY, facet TEXT NOT NULL, value TEXT NOT NULL, label TEXT NOT NULL,
    UNIQUE(facet, value)
);
CREATE TABLE facets(doc INTEGER NOT NULL, fv INTEGER NOT NULL, PRIMARY KEY(doc, fv))
    WITHOUT ROWID;
CREATE TABLE vis_classes(id INTEGER PRIMARY KEY, tokens TEXT NOT NULL UNIQUE);
CREATE TABLE vis_tokens(token TEXT NOT NULL, class INTEGER NOT NULL, PRIMARY KEY(token, class))
    WITHOUT ROWID;
CREATE VIRTUAL TABLE fts USING fts5(
    title, summary, body, replies, tags,
    tokenize = "porter unicode61 remove_diacritics 2"
);
CREATE TABLE words(id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE, df INTEGER NOT NULL);
CREATE VIRTUAL TABLE words_tri USING fts5(word, tokenize = "trigram");
"""

INDEXES = """
CREATE UNIQUE INDEX docs_id ON docs(id);
CREATE INDEX docs_published ON docs(published DESC);
"""
"""Created after a rebuild's bulk insert (cheaper than maintaining them row by row)."""

BULK_HASH_SIZE = 256 * 1024 * 1024
"""FTS5's pending-terms memory during a rebuild: a few big segments instead of hundreds of
1 MB ones merged again and again (reset to the default after the build)."""

CHANGES_SQL = """CREATE TABLE IF NOT EXISTS changes(
    generation INTEGER NOT NULL, doc INTEGER NOT NULL, added INTEGER NOT NULL,
    PRIMARY KEY(generation, doc)
) WITHOUT ROWID"""
"""The change log: rowids removed (added = 0) and written (1) by each generation."""
BITMAP_STATES = 4
"""Index states whose bitmaps are kept: a reader whose snapshot is a little older than
another's still finds (or brings forward) its own."""
CHANGES_KEPT = 10_000
"""Generations kept in the log; a reader further behind reloads its bitmaps."""


# --- small pure helpers --------------------------------------------------------------------


def quote(sequence: Iterable[str]) -> str:
    """An FTS5 string for normalised words (which never contain a double quote)."""
    return '"' + " ".join(sequence).replace('"', "") + '"'


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a transposition counts 1); > limit when far."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def typo_limit(word: str) -> int:
    """Edits tolerated when matching: none under 4 letters, 1 up to 5, 2 from 6."""
    if len(word) < 4:
        return 0
    return 1 if len(word) <= 5 else 2


def safe_html(marked: str) -> str:
    """Escape text carrying sentinel match markers, then turn the markers into <mark>."""
    escaped = html.escape(marked, quote=True)
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def _clean_field(text: str) -> str:
    return (text or "").replace(MARK_START, " ").replace(MARK_END, " ")


def _julian(moment: datetime | None) -> float | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp() / 86400.0 + JULIAN_UNIX_EPOCH


def _now_julian() -> float:
    return time.time() / 86400.0 + JULIAN_UNIX_EPOCH


def document_boost(doc: SearchDocument) -> float:
    """Query-independent multiplier: answered questions and popular threads rank higher."""
    boost = 1.0
    if doc.answered:
        boost += 0.3
    boost += 0.1 * math.log1p(max(doc.votes, 0)) + 0.05 * math.log1p(max(doc.reply_count, 0))
    return boost


def recency(published_julian: float | None, now_julian: float) -> float:
    """A small boost, 1.1 for today fading to 1.0 at five years."""
    if published_julian is None:
        return 1.0
    age_years = max(now_julian - published_julian, 0.0) / 365.25
    return 1.0 + 0.1 * max(0.0, 1.0 - age_years / 5.0)


def _bits_from_ids(ids: Iterable[int], size: int) -> int:
    """A bitmap (Python int, bit i = rowid i) of ``ids``, all below ``size``."""
    chars = bytearray(b"0" * size)
    for rowid in ids:
        chars[rowid] = 49
    chars.reverse()
    return int(chars, 2) if size else 0


def _ids(joined: str | None) -> list[int]:
    return [int(x) for x in joined.split(",")] if joined else []


def _bit_string(bits: int) -> str:
    """``s[i] == "1"`` when rowid i is set."""
    return bin(bits)[:1:-1]


# --- the in-memory bitmaps of one index state ----------------------------------------------


@dataclass
class _Bitmaps:
    """Bitmaps of one index state (build, generation), brought forward change by change.

    Rowids are never reused (``meta.next_rowid``), so a cached text bitmap stays right for
    every rowid it was computed over: ``advance`` clears removed documents from the facet
    and visibility bitmaps (every search intersects with those), and a text bitmap is
    completed for rowids above its ``upto`` mark the next time it is used.
    """

    generation: int
    size: int
    values: dict[int, int]
    value_meta: dict[int, tuple[str, str, str]]
    by_facet: dict[str, list[int]]
    classes: dict[int, int]
    rank_order: list[int]
    """Rowids by static rank, best first; removed ones stay (no candidate set has them)."""
    newest_order: list[int]
    keys: dict[int, tuple]
    """rowid -> (rank key, newest key), for inserting written documents in order; shared by
    successive states (only ever extended with new rowids)."""
    removed: int = 0
    texts: OrderedDict = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def documents(self) -> int:
        return sum(bits.bit_count() for bits in self.classes.values())

    @staticmethod
    def _value_rows(conn):
        value_meta, by_facet = {}, {}
        for fv, facet, value, label in conn.execute(
            "SELECT id, facet, value, label FROM facet_values ORDER BY id"
        ):
            value_meta[fv] = (facet, value, label)
            by_facet.setdefault(facet, []).append(fv)
        return value_meta, by_facet

    @staticmethod
    def _keys(rowid: int, static_rank: float, published: float | None) -> tuple:
        return (-static_rank, rowid), (published is None, -(published or 0.0), -rowid)

    @classmethod
    def load(cls, conn: sqlite3.Connection, generation: int) -> "_Bitmaps":
        size = (conn.execute("SELECT max(rowid) FROM docs").fetchone()[0] or 0) + 1
        value_meta, by_facet = cls._value_rows(conn)
        values = {
            fv: _bits_from_ids(_ids(joined), size)
            for fv, joined in conn.execute("SELECT fv, group_concat(doc) FROM facets GROUP BY fv")
        }
        classes = {
            vis_class: _bits_from_ids(_ids(joined), size)
            for vis_class, joined in conn.execute(
                "SELECT vis_class, group_concat(rowid) FROM docs GROUP BY vis_class"
            )
        }
        keys = {
            rowid: cls._keys(rowid, static_rank, published)
            for rowid, static_rank, published in conn.execute(
                "SELECT rowid, static_rank, published FROM docs"
            )
        }
        rank = sorted(keys, key=lambda r: keys[r][0])
        newest = sorted(keys, key=lambda r: keys[r][1])
        return cls(generation, size, values, value_meta, by_facet, classes, rank, newest, keys)

    def advance(self, conn: sqlite3.Connection, generation: int) -> "_Bitmaps | None":
        """This state moved on to ``generation`` by the logged changes; None when the log no
        longer covers the gap (then the caller loads afresh)."""
        try:
            rows = conn.execute(
                "SELECT generation, doc, added FROM changes WHERE generation > ?"
                " AND generation <= ?",
                (self.generation, generation),
            ).fetchall()
        except sqlite3.OperationalError:
            return None  # a file from before the change log
        if len({row[0] for row in rows}) != generation - self.generation:
            return None
        gone = {doc for _, doc, added in rows if not added}
        new = sorted({doc for _, doc, added in rows if added} - gone)
        size = max(self.size, (new[-1] + 1) if new else 0)
        values, classes = dict(self.values), dict(self.classes)
        rank_order, newest_order, removed = self.rank_order, self.newest_order, self.removed
        if gone:
            mask = _bits_from_ids(gone, max(gone) + 1)
            removed |= mask
            values = {fv: bits & ~mask for fv, bits in values.items()}
            classes = {c: bits & ~mask for c, bits in classes.items()}
        value_meta, by_facet = self.value_meta, self.by_facet
        if new:
            listed = json.dumps(new)
            rank_order, newest_order = list(rank_order), list(newest_order)
            keys = self.keys
            for rowid, static_rank, published, vis_class in conn.execute(
                "SELECT rowid, static_rank, published, vis_class FROM docs"
                " WHERE rowid IN (SELECT value FROM json_each(?))",
                (listed,),
            ):
                keys[rowid] = self._keys(rowid, static_rank, published)
                bisect.insort(rank_order, rowid, key=lambda r: keys[r][0])
                bisect.insort(newest_order, rowid, key=lambda r: keys[r][1])
                classes[vis_class] = classes.get(vis_class, 0) | (1 << rowid)
            for doc, fv in conn.execute(
                "SELECT doc, fv FROM facets WHERE doc IN (SELECT value FROM json_each(?))",
                (listed,),
            ):
                values[fv] = values.get(fv, 0) | (1 << doc)
            value_meta, by_facet = self._value_rows(conn)
        with self.lock:
            texts = OrderedDict(self.texts)
        return _Bitmaps(
            generation,
            size,
            values,
            value_meta,
            by_facet,
            classes,
            rank_order,
            newest_order,
            self.keys,
            removed,
            texts,
        )

    def text_bits(self, conn: sqlite3.Connection, expression: str) -> int:
        """Rowids matching ``expression`` (cached; completed for rowids added since)."""
        with self.lock:
            cached = self.texts.get(expression)
            if cached is not None:
                self.texts.move_to_end(expression)
        if cached is not None and cached[1] >= self.size:
            return cached[0] & ~self.removed
        since = cached[1] if cached is not None else 0
        joined = conn.execute(
            "SELECT group_concat(rowid) FROM fts WHERE fts MATCH ? AND rowid >= ?",
            (expression, since),
        ).fetchone()[0]
        bits = _bits_from_ids(_ids(joined), self.size)
        if cached is not None:
            bits |= cached[0]
        with self.lock:
            self.texts[expression] = (bits, self.size)
            while len(self.texts) > 512:
                self.texts.popitem(last=False)
        return bits & ~self.removed


# --- the query plan of one search ----------------------------------------------------------


@dataclass
class _Plan:
    positive: str | None
    """The clauses (with typo and prefix alternatives) as one MATCH, or None."""
    negative: str | None
    """The exclusions, OR-ed, as a positive MATCH to subtract, or None."""
    visibility: str
    filters: dict[str, list[int]]
    """facet -> facet value ids (OR); an empty list when none of its values is indexed."""
    classes: list[int]
    tokens: frozenset[str]
    unknown_words: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    """One parenthesised MATCH per clause, without a column scope (cached one by one)."""
    excluded: list[str] = field(default_factory=list)
    """One MATCH per exclusion, without a column scope."""
    scope: str = ""
    """The column filter the parts need: none unless a word could match the ``tags``
    column's ``zz`` tokens (a column filter makes FTS5 decode every position list)."""
    text: str = ""
    """The parts AND-ed (OR-ed when ``match_any``), parenthesised, without a scope."""
    match_any: bool = False

    def base(self) -> str:
        """Text AND visibility, without the filters."""
        if self.positive is None and self.negative is None:
            return self.visibility
        if self.positive is None:
            return f"{self.visibility} NOT ({self.negative})"
        text = f"({self.positive})"
        if self.negative is not None:
            text = f"({self.positive} NOT ({self.negative}))"
        return f"{text} AND {self.visibility}"

    def with_filters(self, skip: str | None = None) -> str | None:
        """Base AND every filter but ``skip``; None when a filter can match nothing."""
        parts = [f"({self.base()})"]
        for facet, ids in self.filters.items():
            if facet == skip:
                continue
            if not ids:
                return None
            parts.append("tags : (" + " OR ".join(f'"zzf{i}"' for i in ids) + ")")
        return " AND ".join(parts)


class EmbeddedBackend(SearchBackend):
    name = "embedded"

    def __init__(
        self, path: str | os.PathLike | None = None, *, small_set: int = 1500, rank_window=600
    ):
        self.path = Path(path or settings.SEARCH_EMBEDDED_PATH)
        self.small_set = small_set
        self.rank_window = rank_window
        self._local = threading.local()
        self._bitmaps: dict[tuple[str, int], _Bitmaps] = {}
        self._bitmaps_lock = threading.Lock()
        self._create_lock = threading.Lock()

    # --- files and connections -------------------------------------------------------------

    def _current_file(self) -> Path:
        if not self.path.exists():
            with self._create_lock:
                if not self.path.exists():
                    self._build([], progress=None)
        return Path(os.path.realpath(self.path))

    def _conn(self) -> sqlite3.Connection:
        """This thread's connection to the current index file (reopened after a swap)."""
        try:
            target = self._current_file()
        except OSError as exc:
            raise SearchUnavailable(str(exc)) from exc
        cached = getattr(self._local, "conn", None)
        if cached is not None and cached[0] == target:
            return cached[1]
        if cached is not None:
            cached[1].close()
        try:
            conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA cache_size = -32000")
            conn.execute(
                "CREATE TABLE temp.snip_src(id INTEGER PRIMARY KEY, title, summary, body,"
                " replies, tags)"
            )
            conn.execute(
                "CREATE VIRTUAL TABLE temp.snip USING fts5(title, summary, body, replies, tags,"
                " content = 'snip_src', content_rowid = 'id',"
                ' tokenize = "porter unicode61 remove_diacritics 2")'
            )
        except sqlite3.Error as exc:
            raise SearchUnavailable(str(exc)) from exc
        self._local.conn = (target, conn)
        return conn

    def close(self) -> None:
        """Close this thread's connection (tests, shutdown)."""
        cached = getattr(self._local, "conn", None)
        if cached is not None:
            cached[1].close()
            self._local.conn = None

    def _meta(self, conn: sqlite3.Connection) -> dict[str, str]:
        return dict(conn.execute("SELECT key, value FROM meta"))

    def _bitmaps_for(self, conn: sqlite3.Connection) -> _Bitmaps:
        """The bitmaps of the state ``conn`` reads (call inside its read transaction).

        After a write they are brought forward by the change log, at the cost of the changed
        documents; only a new build (or a gap in the log) loads them afresh."""
        meta = self._meta(conn)
        build, generation = meta["build"], int(meta["generation"])
        with self._bitmaps_lock:
            found = self._bitmaps.get((build, generation))
            older = [
                state for (b, g), state in self._bitmaps.items() if b == build and g < generation
            ]
        if found is not None:
            return found
        if older:  # the newest earlier state of this build, brought forward
            found = max(older, key=lambda state: state.generation).advance(conn, generation)
        if found is None:
            found = _Bitmaps.load(conn, generation)
        with self._bitmaps_lock:
            self._bitmaps = {key: state for key, state in self._bitmaps.items() if key[0] == build}
            self._bitmaps[(build, generation)] = found
            while len(self._bitmaps) > BITMAP_STATES:  # keep the newest few
                del self._bitmaps[min(self._bitmaps, key=lambda key: key[1])]
        return found

    # --- writing ---------------------------------------------------------------------------

    def index(self, docs: Iterable[SearchDocument]) -> int:
        docs = list(docs)
        if not docs:
            return 0
        conn = self._conn()
        now = _now_julian()
        with _write(conn):
            removed = self._remove(conn, [d.id for d in docs])
            meta = self._meta(conn)
            highest = conn.execute("SELECT max(rowid) FROM docs").fetchone()[0] or 0
            next_rowid = max(int(meta.get("next_rowid", "0")), highest + 1)
            rows = _Rows(conn)
            for offset, doc in enumerate(docs):
                rows.add(next_rowid + offset, doc, now)
            rows.flush()
            added = list(range(next_rowid, next_rowid + len(docs)))
            conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('next_rowid', ?)",
                (str(next_rowid + len(docs)),),
            )
            self._count_words(conn, docs, +1)
            self._touch(conn, removed, added)
        return len(docs)

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        if not ids:
            return
        conn = self._conn()
        with _write(conn):
            removed = self._remove(conn, ids)
            if removed:
                self._touch(conn, removed, [])

    def _remove(self, conn: sqlite3.Connection, ids: list[str]) -> list[int]:
        """Delete documents by id; their rowids."""
        removed = []
        for doc_id in dict.fromkeys(ids):
            row = conn.execute("SELECT rowid FROM docs WHERE id = ?", (doc_id,)).fetchone()
            if row is None:
                continue
            rowid = row[0]
            old = conn.execute(
                "SELECT title, summary, body, replies FROM fts WHERE rowid = ?", (rowid,)
            ).fetchone()
            if old is not None:
                self._adjust_words(conn, set(words(" ".join(old))), -1)
            conn.execute("DELETE FROM fts WHERE rowid = ?", (rowid,))
            conn.execute("DELETE FROM facets WHERE doc = ?", (rowid,))
            conn.execute("DELETE FROM docs WHERE rowid = ?", (rowid,))
            removed.append(rowid)
        return removed

    def _count_words(self, conn, docs: list[SearchDocument], delta: int) -> None:
        for doc in docs:
            text = " ".join((doc.title, doc.summary, doc.body, doc.replies))
            self._adjust_words(conn, set(words(text)), delta)

    def _adjust_words(self, conn, found: set[str], delta: int) -> None:
        for word in found:
            updated = conn.execute(
                "UPDATE words SET df = max(df + ?, 0) WHERE word = ?", (delta, word)
            ).rowcount
            if not updated and delta > 0:
                cursor = conn.execute("INSERT INTO words(word, df) VALUES (?, ?)", (word, delta))
                conn.execute(
                    "INSERT INTO words_tri(rowid, word) VALUES (?, ?)", (cursor.lastrowid, word)
                )

    def _touch(self, conn, removed: list[int], added: list[int]) -> None:
        """Count a change and log its rowids, so readers bring their bitmaps forward."""
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
        generation = int(self._meta(conn)["generation"])
        conn.execute(
            "INSERT INTO meta(key, value) VALUES ('next_rowid', ?) ON CONFLICT(key) DO UPDATE"
            " SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))",
            (str(max(removed + added, default=0) + 1),),
        )  # rowids are never reused, even in a file from before this key
        conn.execute(CHANGES_SQL)
        conn.executemany(
            "INSERT OR REPLACE INTO changes(generation, doc, added) VALUES (?, ?, ?)",
            [(generation, rowid, 0) for rowid in removed]
            + [(generation, rowid, 1) for rowid in added],
        )
        conn.execute("DELETE FROM changes WHERE generation <= ?", (generation - CHANGES_KEPT,))

    def rebuild(self, docs: Iterable[SearchDocument], *, progress=None) -> int:
        return self._build(docs, progress=progress)

    def _build(self, docs: Iterable[SearchDocument], *, progress: Callable | None) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        build = f"{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        target = self.path.with_name(f"{self.path.name}.{build}")
        conn = sqlite3.connect(target, isolation_level=None)
        vocabulary = None
        try:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("PRAGMA cache_size = -200000")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.executescript(SCHEMA)
            conn.execute(CHANGES_SQL)
            for statement in (
                "INSERT INTO fts(fts, rank) VALUES ('hashsize', ?)",
                "INSERT INTO words_tri(words_tri, rank) VALUES ('hashsize', ?)",
            ):
                conn.execute(statement, (BULK_HASH_SIZE,))
            now = _now_julian()
            ordered = sorted(
                docs,
                key=lambda d: -document_boost(d) * recency(_julian(d.published), now),
            )
            conn.execute("BEGIN")
            vocabulary = _Vocabulary()
            rows = _Rows(conn, vocabulary=vocabulary)
            for position, doc in enumerate(ordered, 1):
                rows.add(position, doc, now)
                if rows.pending >= 2000:
                    rows.flush()
                    if progress:
                        progress(position)
            rows.flush()
            conn.executemany("INSERT INTO words(word, df) VALUES (?, ?)", vocabulary.finish())
            conn.execute("INSERT INTO words_tri(rowid, word) SELECT id, word FROM words")
            for statement in INDEXES.strip().splitlines():
                conn.execute(statement)
            conn.executemany(
                "INSERT INTO meta(key, value) VALUES (?, ?)",
                [
                    ("schema", SCHEMA_VERSION),
                    ("build", build),
                    ("generation", "0"),
                    ("built_max", str(len(ordered))),
                    ("next_rowid", str(len(ordered) + 1)),
                    ("built_at", datetime.now(UTC).isoformat(timespec="seconds")),
                ],
            )
            conn.execute("COMMIT")
            conn.execute("INSERT INTO fts(fts) VALUES ('optimize')")
            conn.execute("INSERT INTO fts(fts, rank) VALUES ('hashsize', 1048576)")
            conn.execute("INSERT INTO words_tri(words_tri, rank) VALUES ('hashsize', 1048576)")
            conn.execute("PRAGMA journal_mode = WAL")
            if progress:
                progress(len(ordered))
        except BaseException:
            if vocabulary is not None and vocabulary.running:
                vocabulary.finish_quietly()
            conn.close()
            target.unlink(missing_ok=True)
            raise
        conn.close()
        self._swap(target)
        return len(ordered)

    def _swap(self, target: Path) -> None:
        previous = Path(os.path.realpath(self.path)) if self.path.is_symlink() else None
        link = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex[:8]}.link")
        os.symlink(target.name, link)
        if self.path.exists() and not self.path.is_symlink():
            self.path.unlink()  # a plain file from elsewhere: the symlink takes its place
        os.replace(link, self.path)
        if previous is not None and previous != target:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{previous}{suffix}").unlink(missing_ok=True)

    # --- reading ---------------------------------------------------------------------------

    def status(self) -> BackendStatus:
        conn = self._conn()
        counts = dict.fromkeys(DOCUMENT_TYPES, 0)
        counts.update(dict(conn.execute("SELECT type, count(*) FROM docs GROUP BY type")))
        meta = self._meta(conn)
        target = Path(os.path.realpath(self.path))
        return BackendStatus(
            name=self.name,
            documents_by_type=counts,
            details={
                "path": str(target),
                "size": f"{target.stat().st_size / 1_048_576:.1f} MB",
                "built at": meta.get("built_at", ""),
                "changes since build": meta.get("generation", "0"),
                "sqlite": sqlite3.sqlite_version,
            },
        )

    def search(self, query: ParsedQuery, *, visibility: frozenset[str]) -> SearchResults:
        started = time.perf_counter()
        conn = self._conn()
        conn.execute("BEGIN")
        try:
            results = self._search(conn, query, visibility)
        finally:
            conn.execute("COMMIT")
        took = (time.perf_counter() - started) * 1000
        return SearchResults(
            hits=results[0],
            total=results[1],
            facets=results[2],
            page=query.page,
            per_page=query.per_page,
            suggestion=results[3],
            notices=query.notices,
            took_ms=round(took, 2),
        )

    def _search(self, conn, query: ParsedQuery, visibility):
        plan = self._plan(conn, query, visibility)
        if plan is None:
            return (), 0, self._empty_facets(query), ""
        bitmaps = self._bitmaps_for(conn)
        hits, total, facets = self._search_bitmaps(conn, query, plan, bitmaps)
        suggestion = ""
        if total == 0 and plan.unknown_words:
            suggestion = self._did_you_mean(conn, query, plan)
        return hits, total, facets, suggestion

    # --- planning: from a ParsedQuery to MATCH expressions ----------------------------------

    def _plan(self, conn, query: ParsedQuery, visibility) -> _Plan | None:
        tokens = sorted(set(visibility))
        if not tokens:
            return None
        classes = [
            row[0]
            for row in conn.execute(
                "SELECT DISTINCT class FROM vis_tokens"
                " WHERE token IN (SELECT value FROM json_each(?))",
                (json.dumps(tokens),),
            )
        ]
        if not classes:
            return None
        vis = "tags : (" + " OR ".join(f'"zzv{c}"' for c in classes) + ")"
        filters: dict[str, list[int]] = {}
        for facet in FACETS:
            values = query.filters.get(facet)
            if not values:
                continue
            filters[facet] = [
                row[0]
                for row in conn.execute(
                    "SELECT id FROM facet_values"
                    " WHERE facet = ? AND value IN (SELECT value FROM json_each(?))",
                    (facet, json.dumps(list(values))),
                )
            ]
        unknown: list[str] = []
        parts = [self._clause_expression(conn, c, unknown) for c in query.clauses]
        excluded = [quote(seq) for seq in query.excluded]
        everything = " ".join(parts + excluded)
        scope = f"{TEXT_COLUMNS} : " if '"zz' in everything or " zz" in everything else ""
        text = "(" + (" OR " if query.match_any else " AND ").join(parts) + ")"
        negative = "(" + " OR ".join(excluded) + ")"
        return _Plan(
            positive=scope + text if parts else None,
            negative=scope + negative if excluded else None,
            visibility=vis,
            filters=filters,
            classes=classes,
            tokens=frozenset(tokens),
            unknown_words=unknown,
            parts=parts,
            excluded=excluded,
            scope=scope,
            text=text,
            match_any=query.match_any,
        )

    def _clause_expression(self, conn, clause: Clause, unknown: list[str]) -> str:
        options = [quote(alternative) for alternative in clause.alternatives]
        typed = clause.alternatives[0]
        completions = []
        if clause.prefix and typed:
            last = typed[-1]
            found = self._completions(conn, last, PREFIX_EXPANSIONS + 1)
            completions = found[:PREFIX_EXPANSIONS]
            if len(last) >= 3 and len(found) > PREFIX_EXPANSIONS:
                options.append(quote(typed) + "*")  # more words than expansions
            options.extend(quote((*typed[:-1], word)) for word in completions)
        if (
            not clause.quoted
            and len(typed) == 1
            and not completions
            and not self._known(conn, typed[0])
        ):
            corrections = self._corrections(conn, typed[0], typo_limit(typed[0]))
            options.extend(quote((word,)) for word in corrections[:TYPO_CANDIDATES])
            unknown.append(typed[0])
        return "(" + " OR ".join(dict.fromkeys(options)) + ")"

    def _completions(self, conn, prefix: str, limit: int = PREFIX_EXPANSIONS) -> list[str]:
        """Indexed words starting with ``prefix``, most frequent first. The vocabulary holds
        every indexed word, so when all of them fit, FTS5's own prefix query (which merges
        the doclists of every such term, in every segment, again for each use) is not
        needed."""
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return [
            row[0]
            for row in conn.execute(
                "SELECT word FROM words WHERE word >= ? AND word < ? AND df > 0"
                " ORDER BY df DESC LIMIT ?",
                (prefix, upper, limit),
            )
        ]

    def _known(self, conn, word: str) -> bool:
        row = conn.execute("SELECT df FROM words WHERE word = ?", (word,)).fetchone()
        if row and row[0] > 0:
            return True
        expression = f"{TEXT_COLUMNS} : ({quote((word,))})"
        return (
            conn.execute("SELECT 1 FROM fts WHERE fts MATCH ? LIMIT 1", (expression,)).fetchone()
            is not None
        )

    def _corrections(self, conn, word: str, limit: int) -> list[str]:
        """Vocabulary words within ``limit`` edits of ``word``, most frequent first."""
        if limit <= 0 or len(word) < 3:
            return []
        grams = {word[i : i + 3] for i in range(len(word) - 2)}
        expression = " OR ".join(quote((g,)) for g in sorted(grams))
        rows = conn.execute(
            "SELECT w.word, w.df FROM words_tri t JOIN words w ON w.id = t.rowid"
            " WHERE words_tri MATCH ? AND w.df > 0 AND length(w.word) BETWEEN ? AND ?"
            " ORDER BY t.rank LIMIT 300",
            (expression, len(word) - limit, len(word) + limit),
        ).fetchall()
        if len(word) <= 6:  # short words share few trigrams: also try words of the same start
            upper = word[:1] + chr(ord(word[0]) + 1)
            rows += conn.execute(
                "SELECT word, df FROM words WHERE word >= ? AND word < ? AND df > 0"
                " AND length(word) BETWEEN ? AND ? LIMIT 2000",
                (word[:1], upper, len(word) - limit, len(word) + limit),
            ).fetchall()
        scored = {}
        for candidate, df in rows:
            if candidate == word:
                continue
            distance = edit_distance(word, candidate, limit)
            if distance <= limit:
                scored[candidate] = (distance, -df, candidate)
        return [candidate for _, _, candidate in sorted(scored.values())]

    # --- the bitmap path: counts and facets in memory, ranking in SQL ------------------------

    def _search_bitmaps(self, conn, query: ParsedQuery, plan: _Plan, bitmaps: _Bitmaps):
        visible = 0
        for vis_class in plan.classes:
            visible |= bitmaps.classes.get(vis_class, 0)
        base = visible
        text = None
        clause_bits = [bitmaps.text_bits(conn, plan.scope + part) for part in plan.parts]
        if clause_bits:
            text = clause_bits[0]
            for bits in clause_bits[1:]:
                text = (text | bits) if plan.match_any else (text & bits)
            base &= text
        for part in plan.excluded:
            base &= ~bitmaps.text_bits(conn, plan.scope + part)
        masks: dict[str, int] = {}
        for facet, ids in plan.filters.items():
            mask = 0
            for fv in ids:
                mask |= bitmaps.values.get(fv, 0)
            masks[facet] = mask

        def restricted(skip=None) -> int:
            bits = base
            for facet, mask in masks.items():
                if facet != skip:
                    bits &= mask
            return bits

        candidates = restricted()
        total = candidates.bit_count()
        facets = {}
        for facet in FACETS:
            bits = restricted(skip=facet) if facet in masks else candidates
            counts = []
            if bits:
                for fv in bitmaps.by_facet.get(facet, ()):
                    count = (bits & bitmaps.values.get(fv, 0)).bit_count()
                    if count:
                        _, value, label = bitmaps.value_meta[fv]
                        counts.append((value, label, count))
            facets[facet] = _facet_values(facet, counts, query)
        hits = ()
        if total and query.offset < total:
            if text is None or query.sort == SORT_NEWEST:
                order = bitmaps.newest_order if query.sort == SORT_NEWEST else bitmaps.rank_order
                rowids = _page_in_order(order, candidates, query.offset, query.per_page)
            elif text.bit_count() <= self.small_set:
                rowids = self._ranked_bm25(conn, query, plan, candidates, bitmaps, clause_bits)
            else:
                rowids = self._ranked_window(conn, query, plan, candidates, bitmaps, clause_bits)
            hits = self._hits(conn, rowids, plan)
        return hits, total, facets

    def _ranked_bm25(
        self, conn, query: ParsedQuery, plan: _Plan, candidates: int, bitmaps, clause_bits
    ) -> list[int]:
        """The page of a candidate set whose text matches are few: bm25 for every match,
        times the document boost and a small recency boost, best first. With ``match_any``,
        documents matching heavier sets of clauses come first (see ``_coverage``)."""
        present = _bit_string(candidates)
        size = len(present)
        coverage = _coverage(bitmaps, candidates, clause_bits) if plan.match_any else None
        scored = [
            (-coverage(rowid) if coverage else 0.0, score, rowid)
            for rowid, score in conn.execute(RANKED_SQL, (plan.positive, _now_julian()))
            if rowid < size and present[rowid] == "1"
        ]
        scored.sort()
        return [row[-1] for row in scored[query.offset : query.offset + query.per_page]]

    def _ranked_window(
        self, conn, query, plan: _Plan, candidates: int, bitmaps, clause_bits: list[int]
    ) -> list[int]:
        """The page of a large candidate set, without bm25.

        Terms in most documents have an inverse document frequency of about zero (FTS5
        clamps it), so bm25 adds nothing there but costs a scan of their long doclists.
        Instead, the first ``rank_window`` candidates by static rank (popularity, answers,
        recency) are re-ordered by the fields they match, weighted as bm25's columns. With
        ``match_any`` the window is filled from the documents matching the heaviest sets of
        clauses first (a clause weighs its inverse document frequency), and each document's
        score is multiplied by the weight of the clauses it matches.
        """
        size = max(self.rank_window, query.offset + query.per_page)
        coverage = None
        if plan.match_any:
            coverage = _coverage(bitmaps, candidates, clause_bits)
            window = self._window_any(bitmaps, candidates, clause_bits, coverage.weights, size)
        else:
            window = _page_in_order(bitmaps.rank_order, candidates, 0, size)
        if not window:
            return []
        members = set(window)
        static = dict(
            conn.execute(
                "SELECT rowid, static_rank FROM docs"
                " WHERE rowid IN (SELECT value FROM json_each(?))",
                (json.dumps(window),),
            )
        )
        score = dict.fromkeys(window, 1.0)
        for column, bonus in (("title", 2.5), ("summary", 1.0), ("body", 0.5)):
            for low, high in _runs(sorted(window)):
                for (rowid,) in conn.execute(
                    "SELECT rowid FROM fts WHERE fts MATCH ? AND rowid BETWEEN ? AND ?",
                    ("{" + column + "} : " + plan.text, low, high),
                ):
                    if rowid in members:
                        score[rowid] += bonus
        first = {r: -coverage(r) for r in window} if coverage else dict.fromkeys(window, 0.0)
        ranked = sorted(window, key=lambda r: (first[r], -score[r] * static[r], r))
        return ranked[query.offset : query.offset + query.per_page]

    @staticmethod
    def _window_any(bitmaps, candidates: int, clause_bits, weights, size: int) -> list[int]:
        """For ``match_any``: up to ``size`` candidates, those matching the heaviest sets of
        clauses first (static rank within a set). Sets are enumerated over the six heaviest
        clauses, 63 intersections at most."""
        heaviest = sorted(range(len(clause_bits)), key=lambda i: -weights[i])[:6]
        subsets = []
        for mask in range(1, 1 << len(heaviest)):
            chosen = [heaviest[j] for j in range(len(heaviest)) if mask >> j & 1]
            subsets.append((-sum(weights[i] for i in chosen), mask))
        subsets.sort()
        window: list[int] = []
        for _, mask in subsets:
            bits = candidates
            for j, i in enumerate(heaviest):
                bits = (bits & clause_bits[i]) if mask >> j & 1 else (bits & ~clause_bits[i])
                if not bits:
                    break
            if bits:
                window.extend(_page_in_order(bitmaps.rank_order, bits, 0, size - len(window)))
                if len(window) >= size:
                    break
        return window

    # --- hits, snippets, facets ------------------------------------------------------------

    def _hits(self, conn, rowids: list[int], plan: _Plan) -> tuple[Hit, ...]:
        if not rowids:
            return ()
        stored = dict(
            conn.execute(
                "SELECT rowid, stored FROM docs WHERE rowid IN (SELECT value FROM json_each(?))",
                (json.dumps(rowids),),
            )
        )
        snippets = {}
        if plan.positive:
            # Snippets come from a per-connection scratch FTS5 table holding just this page:
            # a snippet() on the big table would re-read the long doclists of common terms.
            # external content: 'rebuild' re-indexes just these rows (a DELETE from an FTS5
            # table would re-tokenise the old ones to remove them)
            conn.execute("DELETE FROM temp.snip_src")
            conn.execute(
                "INSERT INTO temp.snip_src(id, title, summary, body, replies, tags)"
                " SELECT rowid, title, summary, body, replies, '' FROM fts"
                " WHERE rowid IN (SELECT value FROM json_each(?))",
                (json.dumps(rowids),),
            )
            conn.execute("INSERT INTO temp.snip(snip) VALUES ('rebuild')")
            for rowid, *row in conn.execute(
                "SELECT rowid, snippet(snip, 1, ?1, ?2, '…', 32), snippet(snip, 2, ?1, ?2, '…',"
                " 32), snippet(snip, 3, ?1, ?2, '…', 32) FROM temp.snip WHERE snip MATCH ?3",
                (MARK_START, MARK_END, plan.positive),
            ):
                marked = [s for s in row if s and MARK_START in s]
                snippets[rowid] = marked[0] if marked else ""
        hits = []
        for position, rowid in enumerate(rowids):
            data = json.loads(stored[rowid])
            snippet = snippets.get(rowid) or _lead(data.get("summary", ""))
            hits.append(
                Hit(
                    id=data["id"],
                    type=data["type"],
                    title=data["title"],
                    url=data["url"],
                    snippet=safe_html(snippet),
                    topics=tuple(Term(*t) for t in data["topics"]),
                    regions=tuple(Term(*t) for t in data["regions"]),
                    author=data["author"],
                    organisation=data["organisation"],
                    published=_parse_datetime(data["published"]),
                    kind=data["kind"],
                    answered=data["answered"],
                    score=float(len(rowids) - position),
                )
            )
        return tuple(hits)

    def _empty_facets(self, query: ParsedQuery) -> dict:
        return {facet: _facet_values(facet, [], query) for facet in FACETS}

    # --- did you mean, suggestions, related --------------------------------------------------

    def _did_you_mean(self, conn, query: ParsedQuery, plan: _Plan) -> str:
        replacements = {}
        for word in plan.unknown_words:
            limit = 1 if len(word) <= 4 else 2
            found = self._corrections(conn, word, limit)
            if found:
                replacements[word] = found[0]
        if not replacements:
            return ""
        clauses = tuple(
            Clause(
                alternatives=tuple(
                    tuple(replacements.get(w, w) for w in alt) for alt in clause.alternatives
                ),
                quoted=clause.quoted,
                prefix=False,
            )
            for clause in query.clauses
        )
        corrected = ParsedQuery(
            text=query.text, clauses=clauses, excluded=query.excluded, filters=query.filters
        )
        check = self._plan(conn, corrected, plan.tokens)
        full = check.with_filters() if check else None
        if not full or not _count(conn, full):
            return ""
        out = []
        for token in query.text.split():
            key = "".join(words(token))
            out.append(replacements.get(key, token) if key in replacements else token)
        return " ".join(out)

    def suggest(
        self, prefix: str, *, visibility: frozenset[str], limit: int = 8
    ) -> list[Suggestion]:
        typed = words(prefix[:200])
        if not typed:
            return []
        conn = self._conn()
        plan = self._plan(conn, ParsedQuery(), visibility)
        if plan is None:
            return []
        parts = [quote((w,)) for w in typed[:-1]]
        last = typed[-1]
        if prefix[-1:].isspace():
            parts.append(quote((last,)))
        else:
            found = self._completions(conn, last, PREFIX_EXPANSIONS + 1)
            options = [quote((last,))] + [quote((w,)) for w in found[:PREFIX_EXPANSIONS]]
            if len(last) >= 3 and len(found) > PREFIX_EXPANSIONS:
                options.append(quote((last,)) + "*")
            parts.append("(" + " OR ".join(options) + ")")
        expression = "title : (" + " AND ".join(parts) + f") AND {plan.visibility}"
        rows = conn.execute(
            "SELECT d.stored FROM (SELECT rowid, bm25(fts, 10.0, 4.0, 2.0, 1.0, 0.0) AS b"
            " FROM fts WHERE fts MATCH ? LIMIT 400) c JOIN docs d ON d.rowid = c.rowid"
            " ORDER BY c.b * d.boost, d.rowid LIMIT ?",
            (expression, limit),
        ).fetchall()
        out = []
        for (stored,) in rows:
            data = json.loads(stored)
            out.append(Suggestion(text=data["title"], url=data["url"], type=data["type"]))
        return out

    def more_like_this(
        self, doc_id: str, *, visibility: frozenset[str], limit: int = 5
    ) -> list[Hit]:
        conn = self._conn()
        # One read transaction, as in search(): a writer re-indexing a document between the
        # query and the reading of the hits' stored rows would otherwise leave a row id that
        # no longer exists (a KeyError, the thread page's 500 under load).
        conn.execute("BEGIN")
        try:
            return self._more_like_this(conn, doc_id, visibility, limit)
        finally:
            conn.execute("COMMIT")

    def _more_like_this(self, conn, doc_id: str, visibility: frozenset[str], limit: int):
        row = conn.execute(
            "SELECT d.rowid, d.vis_class, f.title, f.summary, f.body FROM docs d JOIN fts f"
            " ON f.rowid = d.rowid WHERE d.id = ?",
            (doc_id,),
        ).fetchone()
        plan = self._plan(conn, ParsedQuery(), visibility)
        if row is None or plan is None or row[1] not in plan.classes:
            return []  # unknown, or not the requester's to see
        rowid, _, title, summary, body = row
        weights: dict[str, float] = {}
        for text, weight in ((title, 3.0), (summary, 1.5), (body[:3000], 0.5)):
            for word in words(text):
                if len(word) > 2 and word not in STOP_WORDS and not word.isdigit():
                    weights[word] = weights.get(word, 0.0) + weight
        if not weights:
            return []
        total_docs = conn.execute("SELECT count(*) FROM docs").fetchone()[0] or 1
        scored = []
        for word, weight in weights.items():
            df_row = conn.execute("SELECT df FROM words WHERE word = ?", (word,)).fetchone()
            df = df_row[0] if df_row else 0
            if df < 2:
                continue  # only in this document: says nothing about others
            scored.append((weight * math.log(total_docs / df + 1.0), word))
        terms = [word for _, word in sorted(scored, reverse=True)[:12]]
        if not terms:
            return []
        terms_expression = " OR ".join(quote((t,)) for t in terms)
        expression = f"{TEXT_COLUMNS} : ({terms_expression}) AND {plan.visibility}"
        rowids = [
            r[0]
            for r in conn.execute(
                "SELECT c.rowid FROM (SELECT rowid, bm25(fts, 10.0, 4.0, 2.0, 1.0, 0.0) AS b"
                " FROM fts WHERE fts MATCH ? AND rowid != ? LIMIT 1500) c"
                " JOIN docs d ON d.rowid = c.rowid ORDER BY c.b * d.boost, d.rowid LIMIT ?",
                (expression, rowid, limit),
            )
        ]
        return list(self._hits(conn, rowids, plan))


# --- writing rows --------------------------------------------------------------------------

_stored_json = json.JSONEncoder(ensure_ascii=False).encode
"""``json.dumps(..., ensure_ascii=False)`` without building an encoder per document."""


class _Rows:
    """Buffers one batch of documents and writes it with executemany."""

    def __init__(self, conn: sqlite3.Connection, *, vocabulary: "_Vocabulary | None" = None):
        self.conn = conn
        self.vocabulary = vocabulary
        self.docs: list[tuple] = []
        self.fts: list[tuple] = []
        self.raw_text: list[tuple] = []
        self.facets: list[tuple] = []
        self.values: dict[tuple[str, str], int] = {
            (facet, value): fv
            for fv, facet, value in conn.execute("SELECT id, facet, value FROM facet_values")
        }
        self.classes: dict[str, int] = {
            tokens: vis_class
            for vis_class, tokens in conn.execute("SELECT id, tokens FROM vis_classes")
        }

    @property
    def pending(self) -> int:
        return len(self.docs)

    def _class(self, tokens: tuple[str, ...]) -> int:
        key = " ".join(sorted(set(tokens)))
        found = self.classes.get(key)
        if found is None:
            found = self.conn.execute(
                "INSERT INTO vis_classes(tokens) VALUES (?)", (key,)
            ).lastrowid
            self.conn.executemany(
                "INSERT OR IGNORE INTO vis_tokens(token, class) VALUES (?, ?)",
                [(token, found) for token in sorted(set(tokens))],
            )
            self.classes[key] = found
        return found

    def _value(self, facet: str, value: str, label: str) -> int:
        found = self.values.get((facet, value))
        if found is None:
            found = self.conn.execute(
                "INSERT INTO facet_values(facet, value, label) VALUES (?, ?, ?)",
                (facet, value, label),
            ).lastrowid
            self.values[(facet, value)] = found
        return found

    def add(self, rowid: int, doc: SearchDocument, now: float) -> None:
        vis_class = self._class(doc.visibility or ())
        published = _julian(doc.published)
        boost = document_boost(doc)
        pairs = [("type", doc.type, doc.type)]
        if doc.year:
            pairs.append(("year", str(doc.year), str(doc.year)))
        for facet, terms in (
            ("topic", doc.topics),
            ("region", doc.regions),
            ("country", doc.countries),
            ("audience", doc.audiences),
            ("channel", doc.channels),
        ):
            pairs.extend((facet, t.slug, t.label) for t in terms)
        fvs = sorted({self._value(*pair) for pair in pairs})
        self.facets.extend((rowid, fv) for fv in fvs)
        tags = " ".join([f"zzv{vis_class}", *(f"zzf{fv}" for fv in fvs)])
        title, summary = _clean_field(doc.title), _clean_field(doc.summary)
        body, replies = _clean_field(doc.body), _clean_field(doc.replies)
        self.fts.append((rowid, title, summary, body, replies, tags))
        if self.vocabulary is not None:
            self.raw_text.append((rowid, f"{title} {summary} {body} {replies}"))
        stored = {
            "id": doc.id,
            "type": doc.type,
            "title": doc.title,
            "url": doc.url,
            "summary": summary[:600],
            "topics": [[t.slug, t.label] for t in doc.topics],
            "regions": [[t.slug, t.label] for t in doc.regions],
            "author": doc.author,
            "organisation": doc.organisation,
            "published": doc.published.isoformat() if doc.published else None,
            "kind": doc.kind,
            "answered": doc.answered,
        }
        self.docs.append(
            (
                rowid,
                doc.id,
                doc.type,
                _stored_json(stored),
                published,
                doc.year,
                doc.kind or "",
                None if doc.answered is None else int(doc.answered),
                doc.votes,
                doc.reply_count,
                vis_class,
                boost,
                boost * recency(published, now),
            )
        )

    def flush(self) -> None:
        c = self.conn
        c.executemany("INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", self.docs)
        c.executemany(
            "INSERT INTO fts(rowid, title, summary, body, replies, tags) VALUES (?,?,?,?,?,?)",
            self.fts,
        )
        c.executemany("INSERT INTO facets(doc, fv) VALUES (?, ?)", self.facets)
        if self.vocabulary is not None:
            self.vocabulary.feed(self.raw_text)
        self.docs, self.fts, self.facets, self.raw_text = [], [], [], []


class _Vocabulary:
    """A rebuild's unstemmed vocabulary with document frequencies, counted by FTS5's own
    unicode61 tokenizer (the words ``words()`` gives) in a scratch in-memory database, on a
    thread of its own: sqlite releases the GIL, so it overlaps the main insert."""

    def __init__(self):
        self._queue: queue.Queue = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        self._rows: list[tuple[str, int]] = []
        self._ended = False
        self._thread = threading.Thread(target=self._run, name="search-vocabulary", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        try:
            conn.execute(
                "CREATE VIRTUAL TABLE raw USING fts5(text, content='', detail=none,"
                " columnsize=0, tokenize='unicode61 remove_diacritics 2')"
            )
            conn.execute("INSERT INTO raw(raw, rank) VALUES ('hashsize', ?)", (BULK_HASH_SIZE,))
            conn.execute("BEGIN")
            while (batch := self._next()) is not None:
                conn.executemany("INSERT INTO raw(rowid, text) VALUES (?, ?)", batch)
            conn.execute("COMMIT")
            conn.execute("CREATE VIRTUAL TABLE raw_vocab USING fts5vocab(raw, 'row')")
            self._rows = conn.execute("SELECT term, doc FROM raw_vocab").fetchall()
        except sqlite3.Error as exc:  # re-raised by finish()
            self._error = exc
            while self._next() is not None:
                pass  # let the producer finish
        finally:
            conn.close()

    def _next(self) -> list | None:
        if self._ended:
            return None
        batch = self._queue.get()
        self._ended = batch is None
        return batch

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def finish_quietly(self) -> None:
        """End the thread after a failed build, ignoring its result."""
        self._queue.put(None)
        self._thread.join()

    def feed(self, batch: list[tuple[int, str]]) -> None:
        self._queue.put(batch)

    def finish(self) -> list[tuple[str, int]]:
        """The (word, document frequency) rows; ends the thread (call it exactly once)."""
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._rows


class _write:
    """An immediate write transaction on ``conn`` (rolled back on error)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
        return False


def _count(conn, expression: str) -> int:
    return conn.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (expression,)).fetchone()[0]


def _page_in_order(order: list[int], bits: int, offset: int, limit: int) -> list[int]:
    present = _bit_string(bits)
    size = len(present)
    out: list[int] = []
    skipped = 0
    for rowid in order:
        if rowid < size and present[rowid] == "1":
            if skipped < offset:
                skipped += 1
                continue
            out.append(rowid)
            if len(out) == limit:
                break
    return out


def _runs(rowids: list[int], gap: int = 2000) -> list[tuple[int, int]]:
    """Sorted ``rowids`` as (low, high) ranges split where they are ``gap`` apart: a few
    narrow rowid ranges FTS5 can seek to, rather than one that spans the whole index (as a
    window mixing rebuilt documents with ones written since would)."""
    runs = [[rowids[0], rowids[0]]]
    for rowid in rowids[1:]:
        if rowid - runs[-1][1] > gap:
            runs.append([rowid, rowid])
        else:
            runs[-1][1] = rowid
    return [(low, high) for low, high in runs]


class _coverage:
    """For ``match_any``: the summed weight of the clauses a document matches, a clause
    weighing its inverse document frequency among the candidates (rarer is heavier)."""

    def __init__(self, bitmaps: _Bitmaps, candidates: int, clause_bits: list[int]):
        total = max(bitmaps.documents, 1)
        self.weights = [
            round(math.log1p(total / max((bits & candidates).bit_count(), 1)), 6)
            for bits in clause_bits
        ]
        self._strings = [_bit_string(bits & candidates) for bits in clause_bits]

    def __call__(self, rowid: int) -> float:
        return sum(
            weight
            for weight, present in zip(self.weights, self._strings, strict=True)
            if rowid < len(present) and present[rowid] == "1"
        )


def _facet_values(facet: str, counts: list, query: ParsedQuery) -> tuple[FacetValue, ...]:
    return facet_values(facet, counts, query.filters.get(facet, ()))


def _lead(summary: str, length: int = 240) -> str:
    summary = " ".join(summary.split())
    if len(summary) <= length:
        return summary
    cut = summary[:length].rsplit(" ", 1)[0]
    return cut + "…"


def _parse_datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
