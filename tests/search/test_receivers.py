"""search.receivers: which changes write which outbox rows, in the change's transaction."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction

from forum.models import Category
from forum.services.answers import answer_accept
from forum.services.posts import post_edit
from forum.services.votes import post_vote
from members.services.profiles import profile_update
from search.backends import search_backend
from search.documents import MEMBERS, PUBLIC
from search.models import IndexOutbox
from search.parsing import parse_query
from search.projection import page_doc_id, thread_doc_id
from tests.factories.forum import CategoryFactory, make_question, make_reply, make_thread
from tests.factories.kb import case_study, index_page, make_members_only, method_guide
from tests.factories.members import MemberFactory

pytestmark = pytest.mark.django_db


def pending() -> set[str]:
    return set(IndexOutbox.objects.filter(applied_at__isnull=True).values_list("doc_id", flat=True))


@pytest.fixture
def clean_outbox():
    """Forget the rows the factories wrote, so a test sees only what its change records."""

    def clean():
        IndexOutbox.objects.all().delete()

    return clean


# -- forum ----------------------------------------------------------------------------------


def test_starting_a_thread_records_it():
    thread = make_thread()
    assert pending() == {thread_doc_id(thread.pk)}


def test_replying_editing_voting_and_accepting_record_the_thread(clean_outbox):
    question = make_question()
    other = make_thread()
    for change in (
        lambda: make_reply(question),
        lambda: post_edit(
            editor=question.author, post=question.posts.get(depth=0), body="Edited body."
        ),
        lambda: post_vote(voter=MemberFactory(), post=question.posts.get(depth=0)),
        lambda: answer_accept(user=question.author, answer=question.posts.get(position=2)),
    ):
        clean_outbox()
        change()
        assert pending() == {thread_doc_id(question.pk)}, change
    assert thread_doc_id(other.pk) not in pending()


def test_hiding_a_post_records_its_thread(clean_outbox):
    thread = make_thread()
    reply = make_reply(thread)
    clean_outbox()
    reply.is_hidden = True
    reply.save()
    assert pending() == {thread_doc_id(thread.pk)}


def test_moving_a_thread_and_deleting_it_record_it(clean_outbox):
    thread = make_thread()
    clean_outbox()
    thread.category = CategoryFactory(visibility=Category.Visibility.MEMBERS)
    thread.save()
    assert pending() == {thread_doc_id(thread.pk)}

    clean_outbox()
    pk = thread.pk
    thread.delete()
    assert pending() == {thread_doc_id(pk)}


def test_a_category_access_change_records_every_thread_in_it_but_a_rename_does_not(clean_outbox):
    category = CategoryFactory()
    threads = [make_thread(category=category) for _ in range(3)]
    elsewhere = make_thread()
    clean_outbox()

    category.name = "Renamed"
    category.save()
    assert pending() == set()

    category.visibility = Category.Visibility.MEMBERS
    category.save()
    assert pending() == {thread_doc_id(t.pk) for t in threads}

    clean_outbox()
    category.restricted_to_group = Group.objects.create(name="Regional leads")
    category.save()
    assert pending() == {thread_doc_id(t.pk) for t in threads}
    assert thread_doc_id(elsewhere.pk) not in pending()


def test_changing_a_threads_topics_records_it(clean_outbox):
    from tests.factories.taxonomy import topic

    thread = make_thread()
    clean_outbox()
    thread.topics.add(topic())
    assert pending() == {thread_doc_id(thread.pk)}


def test_a_member_renamed_or_deleted_records_the_threads_they_started(clean_outbox):
    author = MemberFactory()
    started = make_thread(author=author)
    make_reply(make_thread(), author=author)  # a reply: the thread's document names its author
    clean_outbox()

    author.last_login = None
    author.save(update_fields=["last_login"])
    assert pending() == set()

    author.display_name = "A new name"
    author.save(update_fields=["display_name"])
    assert pending() == {thread_doc_id(started.pk)}

    clean_outbox()
    profile_update(
        user=author,
        display_name="A new name",
        organisation="Another utility",
        organisation_type="utility",
        country=None,
        job_title="",
        bio="",
    )
    assert pending() == {thread_doc_id(started.pk)}


def test_a_change_that_rolls_back_leaves_no_row(clean_outbox):
    thread = make_thread()
    clean_outbox()

    def change():
        with transaction.atomic():
            thread.title = "Never saved"
            thread.save()
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change()
    assert pending() == set()


# -- KB pages -------------------------------------------------------------------------------


def test_publishing_unpublishing_and_deleting_a_page_record_it(clean_outbox):
    page = case_study()
    assert page_doc_id(page.pk) in pending()

    clean_outbox()
    page.title = "A new title"
    page.save_revision().publish()
    assert pending() == {page_doc_id(page.pk)}

    clean_outbox()
    page.unpublish()
    assert pending() == {page_doc_id(page.pk)}

    clean_outbox()
    pk = page.pk
    page.delete()
    assert pending() == {page_doc_id(pk)}


def test_a_view_restriction_records_the_page_and_the_kb_pages_under_it(clean_outbox):
    pages = [case_study(), method_guide()]
    clean_outbox()

    restriction = make_members_only(index_page())

    expected = {page_doc_id(index_page().pk)} | {page_doc_id(p.pk) for p in pages}
    assert pending() == expected
    clean_outbox()
    restriction.delete()
    assert pending() == expected


def test_moving_a_page_records_it(clean_outbox):
    page = case_study()
    clean_outbox()
    page.move(index_page(), pos="last-child")
    assert page_doc_id(page.pk) in pending()


# -- end to end: a change is searchable after commit ----------------------------------------


@pytest.fixture
def index(settings, tmp_path):
    """A fresh embedded index file for this test."""
    settings.SEARCH_EMBEDDED_PATH = str(tmp_path / "index.sqlite3")
    search_backend.cache_clear()
    yield search_backend()
    search_backend.cache_clear()


def find(text: str, tokens=frozenset({PUBLIC})) -> list[str]:
    return [hit.id for hit in search_backend().search(parse_query(text), visibility=tokens).hits]


MEMBER_TOKENS = frozenset({PUBLIC, MEMBERS})


def test_a_new_thread_is_searchable_after_commit_and_hidden_text_leaves(
    index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread(title="Chlorine taste complaints", body="Customers dislike it.")
    doc_id = thread_doc_id(thread.pk)
    assert find("chlorine") == [doc_id]

    with django_capture_on_commit_callbacks(execute=True):
        reply = make_reply(thread, body="Try carbon filters at the works.")
    assert find("carbon") == [doc_id]

    with django_capture_on_commit_callbacks(execute=True):
        reply.is_hidden = True
        reply.save()
    assert find("carbon") == []
    assert find("chlorine") == [doc_id]


def test_moving_a_thread_into_a_members_category_hides_it_from_visitors(
    index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread(title="Smart meter rollout")
    with django_capture_on_commit_callbacks(execute=True):
        thread.category = CategoryFactory(visibility=Category.Visibility.MEMBERS)
        thread.save()
    assert find("smart meter") == []
    assert find("smart meter", MEMBER_TOKENS) == [thread_doc_id(thread.pk)]


def test_a_category_turned_members_only_takes_its_threads_out_of_public_results(
    index, django_capture_on_commit_callbacks
):
    category = CategoryFactory()
    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread(category=category, title="Drought messaging")
    with django_capture_on_commit_callbacks(execute=True):
        category.visibility = Category.Visibility.MEMBERS
        category.save()
    assert find("drought") == []
    assert find("drought", MEMBER_TOKENS) == [thread_doc_id(thread.pk)]


def test_deleting_a_thread_removes_it(index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread(title="Leak hotline")
    with django_capture_on_commit_callbacks(execute=True):
        thread.delete()
    assert find("hotline") == []


def test_pages_are_searchable_once_published_and_leave_when_unpublished_or_deleted(
    index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = case_study(title="Reservoir open days")
        draft = case_study(title="Reservoir secret plans", live=False)
    assert find("reservoir") == [page_doc_id(page.pk)]

    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    assert set(find("reservoir")) == {page_doc_id(page.pk), page_doc_id(draft.pk)}

    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert find("reservoir") == [page_doc_id(draft.pk)]

    with django_capture_on_commit_callbacks(execute=True):
        draft.delete()
    assert find("reservoir") == []


def test_a_members_only_restriction_takes_pages_out_of_public_results(
    index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = case_study(title="Aquifer recharge")
    with django_capture_on_commit_callbacks(execute=True):
        restriction = make_members_only(page)
    assert find("aquifer") == []
    assert find("aquifer", MEMBER_TOKENS) == [page_doc_id(page.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert find("aquifer") == [page_doc_id(page.pk)]


@pytest.mark.django_db(transaction=True)
def test_a_failing_backend_leaves_rows_pending_and_the_page_still_answers(
    settings, tmp_path, client
):
    """A real commit (no test transaction), the real task queue, an index that cannot be
    written; the forum page that made the change still answers, and sync catches up."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.SEARCH_EMBEDDED_PATH = str(blocker / "index.sqlite3")
    search_backend.cache_clear()
    author = MemberFactory()
    category = CategoryFactory()
    client.force_login(author)

    response = client.post(
        f"/forum/c/{category.slug}/new/",
        {"title": "Pressure drops at night", "body": "Why does pressure drop at night?"},
    )

    assert response.status_code in (200, 302), response.status_code
    thread = category.threads.get()
    row = IndexOutbox.objects.get(doc_id=thread_doc_id(thread.pk))
    assert row.applied_at is None
    assert row.attempts == 1
    assert row.last_error

    settings.SEARCH_EMBEDDED_PATH = str(tmp_path / "index.sqlite3")
    search_backend.cache_clear()
    call_command("search_index", "sync", "--retry-now", stdout=io.StringIO())
    assert find("pressure") == [thread_doc_id(thread.pk)]
    search_backend.cache_clear()
