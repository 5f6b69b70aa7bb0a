"""search.projection: what a KB page or a forum thread becomes in the index."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.models import Category
from forum.services.answers import answer_accept
from forum.services.votes import post_vote
from search.documents import CASE_STUDY, MEMBERS, METHOD_GUIDE, MODERATORS, PUBLIC, THREAD, Term
from search.projection import (
    REPLIES_MAX_CHARS,
    documents_for_ids,
    documents_for_pages,
    documents_for_threads,
    html_text,
    indexable_count,
    iter_documents,
    page_doc_id,
    page_document,
    parse_doc_id,
    thread_doc_id,
    thread_document,
)
from search.visibility import group_token, members_group_token
from tests.factories.forum import (
    CategoryFactory,
    ModeratorFactory,
    make_question,
    make_reply,
    make_thread,
)
from tests.factories.kb import case_study, index_page, make_members_only, method_guide
from tests.factories.members import MemberFactory
from tests.factories.taxonomy import topic

pytestmark = pytest.mark.django_db


def slugs(terms):
    return [term.slug for term in terms]


# -- ids and text ---------------------------------------------------------------------------


def test_document_ids_round_trip_and_anything_else_is_not_an_id():
    assert parse_doc_id(page_doc_id(12)) == ("page", 12)
    assert parse_doc_id(thread_doc_id(7)) == ("thread", 7)
    for bad in ("kb.page:", "kb.page:1x", "forum.thread:-1", "user:3", "kb.page:١"):
        assert parse_doc_id(bad) is None


def test_html_text_keeps_words_apart_across_block_elements_and_decodes_entities():
    html = "<p>Water&nbsp;losses</p><ul><li>one</li><li>two</li></ul>a<br>b<td>c</td><td>d</td>"
    assert html_text(html) == "Water losses one two a b c d"
    assert html_text("<p>Tom &amp; Jerry &lt;3</p>") == "Tom & Jerry <3"
    assert html_text("") == ""


# -- KB pages -------------------------------------------------------------------------------


def test_a_case_study_carries_its_text_taxonomy_dates_and_organisation():
    page = case_study(
        title="Texting customers about leaks",
        summary="SMS alerts cut complaints.",
        organisation="Nairobi Water",
        challenge="<p>Customers <b>distrusted</b> the tap.</p>",
        lessons="<p>Start early.</p>",
        topics=("customer-experience-and-trust", "social-media"),
        regions=("global",),
        countries=("KE",),
    )
    doc = page_document(page)

    assert doc.id == f"kb.page:{page.pk}"
    assert doc.type == CASE_STUDY
    assert doc.title == "Texting customers about leaks"
    assert doc.url == page.get_url()
    assert doc.summary == "SMS alerts cut complaints."
    assert "Customers distrusted the tap." in doc.body
    assert "We texted every customer." in doc.body  # the approach StreamField
    assert "Start early." in doc.body
    assert doc.organisation == "Nairobi Water"
    assert doc.published == page.first_published_at
    assert doc.visibility == (PUBLIC,)
    assert doc.kind == ""
    assert doc.answered is None
    # A sub-topic brings its parent; a country brings its region.
    assert set(slugs(doc.topics)) == {
        "customer-experience-and-trust",
        "social-media",
        "digital-channels",
    }
    assert slugs(doc.regions) == ["global", "sub-saharan-africa"]
    assert doc.countries == (Term("kenya", "Kenya"),)
    assert slugs(doc.audiences) == ["residential-customers"]
    assert slugs(doc.channels) == ["sms"]


def test_a_method_guide_carries_its_steps_and_rich_text():
    guide = method_guide(title="Running a drought campaign", purpose="<p>Save water now.</p>")
    doc = page_document(guide)
    assert doc.type == METHOD_GUIDE
    assert "Save water now." in doc.body
    assert "Plan Plan it." in doc.body  # a step's title and body
    assert doc.organisation == ""


def test_a_members_only_page_and_the_pages_under_a_restricted_ancestor_are_for_members():
    page = case_study(members_only=True)
    assert page_document(page).visibility == (MEMBERS,)

    other = case_study()
    assert page_document(other).visibility == (PUBLIC,)
    make_members_only(index_page())
    assert page_document(other).visibility == (MEMBERS,)


def test_drafts_unpublished_pages_and_other_page_types_are_not_indexed():
    draft = case_study(live=False)
    assert page_document(draft) is None

    published = case_study()
    published.unpublish()
    assert page_document(published) is None

    assert page_document(index_page()) is None
    assert documents_for_pages([987654]) == {987654: None}


def test_a_live_pages_unpublished_edits_stay_out_of_the_index():
    page = case_study(title="Published title", summary="Published summary.")
    page.title = "Secret draft title"
    page.summary = "Secret draft summary."
    page.save_revision()

    doc = page_document(page)
    assert doc.title == "Published title"
    assert doc.summary == "Published summary."


def test_documents_for_pages_costs_the_same_queries_for_two_pages_or_twenty(
    django_assert_num_queries,
):
    few = [case_study().pk, method_guide().pk]
    many = [case_study(members_only=True).pk for _ in range(10)]
    many += [method_guide().pk for _ in range(10)]
    documents_for_pages(few)  # warms Wagtail's site-root cache

    with CaptureQueriesContext(connection) as captured:
        documents_for_pages(few)
    with django_assert_num_queries(len(captured.captured_queries)):
        docs = documents_for_pages(many)
    assert all(doc is not None for doc in docs.values())


# -- forum threads --------------------------------------------------------------------------


def test_a_question_carries_the_opening_post_the_accepted_answer_and_the_other_replies():
    asker = MemberFactory(display_name="Amina Otieno")
    question = make_question(
        author=asker,
        title="How do we announce a tariff rise?",
        body="Our board approved a **12%** rise.",
        topics=[topic("social-media")],
    )
    answer = make_reply(question, body="Explain what the money pays for.")
    make_reply(question, body="We held town-hall meetings.")
    answer_accept(user=asker, answer=answer)
    post_vote(voter=MemberFactory(), post=question.posts.get(depth=0))

    doc = thread_document(question)

    assert doc.id == f"forum.thread:{question.pk}"
    assert doc.type == THREAD
    assert doc.title == "How do we announce a tariff rise?"
    assert doc.url == question.get_absolute_url()
    assert doc.summary == "Our board approved a 12% rise."
    assert doc.body == "Explain what the money pays for."
    assert doc.replies == "We held town-hall meetings."
    assert doc.kind == "question"
    assert doc.answered is True
    assert doc.votes == 1
    assert doc.reply_count == 2
    assert doc.author == "Amina Otieno"
    assert doc.organisation == "Example Water Utility"
    assert slugs(doc.topics) == ["digital-channels", "social-media"]
    assert doc.published == question.created_at
    assert doc.visibility == (PUBLIC,)


def test_an_unanswered_question_and_a_discussion():
    question = make_question()
    make_reply(question)
    assert thread_document(question).answered is False
    discussion = make_thread()
    doc = thread_document(discussion)
    assert doc.kind == "discussion"
    assert doc.answered is None
    assert doc.body == ""


def test_hidden_posts_never_reach_the_document():
    question = make_question(body="Opening words.")
    answer = make_reply(question, body="Accepted but later hidden.")
    answer_accept(user=question.author, answer=answer)
    hidden = make_reply(question, body="Spam spam spam.")
    make_reply(question, body="A useful reply.")
    hidden.is_hidden = True
    hidden.save()
    answer.is_hidden = True
    answer.save()

    doc = thread_document(question)
    text = " ".join((doc.summary, doc.body, doc.replies))
    assert "Spam" not in text
    assert "later hidden" not in text
    assert doc.replies == "A useful reply."
    assert doc.answered is False

    opening = question.posts.get(depth=0)
    opening.is_hidden = True
    opening.save()
    assert thread_document(question).summary == ""


def test_replies_are_capped_best_voted_first():
    thread = make_thread()
    long_text = "word " * 3000
    for _ in range(10):
        make_reply(thread, body=long_text)
    best = make_reply(thread, body="The best reply of all.")
    post_vote(voter=MemberFactory(), post=best)

    doc = thread_document(thread)
    assert len(doc.replies) <= REPLIES_MAX_CHARS
    assert doc.replies.startswith("The best reply of all.")


def test_a_former_members_thread_shows_the_former_member_name_and_no_organisation():
    author = MemberFactory()
    thread = make_thread(author=author)
    author.deleted_at = timezone.now()
    author.save()
    doc = thread_document(thread)
    assert doc.author == "Former member"
    assert doc.organisation == ""


@pytest.mark.parametrize(
    ("visibility", "group", "expected"),
    [
        (Category.Visibility.PUBLIC, False, (PUBLIC,)),
        (Category.Visibility.MEMBERS, False, (MEMBERS,)),
        (Category.Visibility.PUBLIC, True, ("group", MODERATORS)),
        (Category.Visibility.MEMBERS, True, ("members-group", MODERATORS)),
    ],
)
def test_a_threads_visibility_follows_its_category(visibility, group, expected):
    restricted = Group.objects.create(name="Regional leads") if group else None
    category = CategoryFactory(visibility=visibility, restricted_to_group=restricted)
    doc = thread_document(make_thread(category=category, author=ModeratorFactory()))
    if restricted is None:
        assert doc.visibility == expected
    else:
        token = group_token if expected[0] == "group" else members_group_token
        assert doc.visibility == (token(restricted.pk), MODERATORS)


def test_a_deleted_thread_projects_to_none():
    thread = make_thread()
    pk = thread.pk
    thread.delete()
    assert documents_for_threads([pk]) == {pk: None}


def test_documents_for_threads_costs_the_same_queries_for_one_thread_or_ten(
    django_assert_num_queries,
):
    one = [make_thread(topics=[topic()]).pk]
    ten = []
    for _ in range(10):
        thread = make_question(topics=[topic("social-media")])
        make_reply(thread)
        ten.append(thread.pk)

    with CaptureQueriesContext(connection) as captured:
        documents_for_threads(one)
    with django_assert_num_queries(len(captured.captured_queries)):
        documents_for_threads(ten)


# -- everything -----------------------------------------------------------------------------


def test_documents_for_ids_mixes_pages_and_threads_and_maps_the_rest_to_none():
    page = case_study()
    thread = make_thread()
    draft = case_study(live=False)
    ids = [page_doc_id(page.pk), thread_doc_id(thread.pk), page_doc_id(draft.pk), "nonsense"]
    docs = documents_for_ids(ids)
    assert docs[page_doc_id(page.pk)].type == CASE_STUDY
    assert docs[thread_doc_id(thread.pk)].type == THREAD
    assert docs[page_doc_id(draft.pk)] is None
    assert docs["nonsense"] is None


def test_iter_documents_yields_every_indexable_document_once_in_chunks():
    pages = [case_study().pk for _ in range(3)] + [method_guide().pk]
    case_study(live=False)
    threads = [make_thread().pk for _ in range(3)]

    ids = [doc.id for doc in iter_documents(chunk_size=2)]

    assert sorted(ids) == sorted(
        [page_doc_id(pk) for pk in pages] + [thread_doc_id(pk) for pk in threads]
    )
    assert indexable_count() == len(ids)
