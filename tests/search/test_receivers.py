"""search.receivers: which changes write which outbox rows, in the change's transaction."""

import pytest
from django.contrib.auth.models import Group
from django.db import transaction

from forum.models import Category
from forum.services.answers import answer_accept
from forum.services.posts import post_edit
from forum.services.votes import post_vote
from members.services.profiles import profile_update
from search.models import IndexOutbox
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
