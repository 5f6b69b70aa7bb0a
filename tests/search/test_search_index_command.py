"""manage.py search_index rebuild|sync|status, against the real embedded backend."""

import io
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from search.backends import search_backend
from search.documents import PUBLIC
from search.models import IndexOutbox
from search.parsing import parse_query
from tests.factories.forum import make_thread
from tests.factories.kb import case_study, method_guide

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(settings, tmp_path):
    settings.SEARCH_EMBEDDED_PATH = str(tmp_path / "index.sqlite3")
    search_backend.cache_clear()
    yield search_backend()
    search_backend.cache_clear()


@pytest.fixture
def broken_index(settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.SEARCH_EMBEDDED_PATH = str(blocker / "index.sqlite3")
    search_backend.cache_clear()
    yield
    search_backend.cache_clear()


def run(*args) -> str:
    out = io.StringIO()
    call_command("search_index", *args, stdout=out)
    return out.getvalue()


def total(text: str) -> int:
    query = parse_query(text)
    return search_backend().search(query, visibility=frozenset({PUBLIC})).total


def test_rebuild_indexes_every_document_and_reports_counts_and_rate(index):
    for _ in range(3):
        case_study(title="Groundwater case")
    method_guide(title="Groundwater guide")
    make_thread(title="Groundwater in the forum")
    case_study(title="Groundwater draft", live=False)

    output = run("rebuild")

    assert "embedded: 5 documents indexed" in output
    assert "docs/s" in output
    assert total("groundwater") == 5


def test_sync_applies_pending_rows_and_status_shows_what_is_left(index):
    make_thread(title="Meter reading by photo")
    assert "Pending outbox rows: 1 (embedded: 1)" in run("status")

    assert "Applied 1 pending index change(s); 0 still failing." in run("sync")

    status = run("status")
    assert total("meter") == 1
    assert "Pending outbox rows: 0" in status
    assert "Oldest pending change: –" in status
    assert "thread" in status


def test_sync_with_a_failing_backend_exits_with_an_error_and_keeps_the_rows(broken_index):
    make_thread()
    with pytest.raises(CommandError, match="could not be applied"):
        run("sync")
    row = IndexOutbox.objects.get()
    assert row.attempts == 1
    assert row.applied_at is None

    # The back-off holds the row back, unless --retry-now.
    assert "Applied 0 pending index change(s); 0 still failing." in run("sync")
    with pytest.raises(CommandError):
        run("sync", "--retry-now")
    row.refresh_from_db()
    assert row.attempts == 2

    status = run("status")
    assert "embedded unavailable" in status
    assert "of which failing: 1" in status
    assert "Last error:" in status


def test_status_prints_an_error_exactly_as_the_backend_wrote_it(index):
    """Document ids such as ``forum.thread:100:`` and bracketed field names are plain text,
    not rich markup or emoji codes."""
    error = "rejected forum.thread:100: failed to parse field [votes] of type [short]"
    IndexOutbox.objects.create(
        doc_id="forum.thread:100",
        target="embedded",
        operation="upsert",
        attempts=1,
        last_error=error,
    )

    status = " ".join(run("status").split())

    assert error in status


def status_with_two_indexed_and_one_pending(apply: str) -> str:
    """The status after a case study and a thread are applied with ``apply`` (sync or
    rebuild), and another thread is recorded but not applied yet."""
    case_study(title="Groundwater case")
    make_thread(title="Groundwater thread")
    run(apply)
    make_thread(title="Not applied yet")
    return run("status")


def test_status_compares_each_type_with_the_database_and_shows_what_is_pending(index):
    status = status_with_two_indexed_and_one_pending("sync")

    assert "indexed: 2 of 3 in the database (1 missing)" in status
    assert "pending outbox rows: 1, of which failing: 0" in status
    assert "oldest pending change: 0 s" in status
    [thread_row] = [line for line in status.splitlines() if " thread " in line]
    assert thread_row.replace("│", " ").split()[-2:] == ["1", "2"]  # indexed, in the database


@pytest.fixture
def on_elasticsearch(settings, elasticsearch_url, tmp_path):
    """The site on the real node (throw-away indices) with the embedded fallback kept."""
    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.SEARCH_KEEP_EMBEDDED_FALLBACK = True
    settings.ELASTICSEARCH_INDEX_PREFIX = f"pcc-test-command-{uuid.uuid4().hex[:8]}"
    settings.SEARCH_EMBEDDED_PATH = str(tmp_path / "index.sqlite3")
    search_backend.cache_clear()
    yield search_backend().primary
    search_backend().primary.delete_all()
    search_backend.cache_clear()


@pytest.mark.elasticsearch
def test_status_on_elasticsearch_shows_the_alias_its_index_and_both_targets(on_elasticsearch):
    status = status_with_two_indexed_and_one_pending("rebuild")

    live = on_elasticsearch.live_index()
    assert live.startswith(f"{on_elasticsearch.read_alias}-")
    assert f"read alias: {on_elasticsearch.read_alias} -> {live}" in status
    assert f"index: {live}" in status
    elasticsearch, embedded = status.split("\nelasticsearch\n")[1].split("\nembedded\n")
    for section in (elasticsearch, embedded):
        assert "indexed: 2 of 3 in the database (1 missing)" in section
        assert "pending outbox rows: 1, of which failing: 0" in section
    assert "Pending outbox rows: 2 (elasticsearch: 1, embedded: 1)" in status


def test_an_unknown_action_is_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        run("explode")
