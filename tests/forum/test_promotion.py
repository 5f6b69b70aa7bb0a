"""forum.services.promotion: a solved question becomes a method guide draft in editorial
review, which an editor publishes through Wagtail's workflow; then the thread says so."""

from http import HTTPStatus

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from wagtail.models import WorkflowState

from forum.models import Category, Post, Thread
from forum.services.answers import answer_accept
from forum.services.promotion import thread_promote_to_guide
from kb.models import KnowledgeIndexPage, MethodGuidePage, Submission
from members.services.accounts import account_delete
from taxonomy.models import Region, Topic
from tests.factories.forum import (
    CategoryFactory,
    MemberFactory,
    ModeratorFactory,
    make_question,
    make_reply,
    make_thread,
)
from tests.factories.kb import user_with_role

pytestmark = pytest.mark.django_db


def solved_question(**kwargs):
    """A public question with a topic and three answers; the second is accepted."""
    kwargs.setdefault("topics", [Topic.objects.order_by("pk").first()])
    asker = MemberFactory(display_name="Ana Asker", email="ana@example.org")
    question = make_question(
        author=asker,
        title="How do we warn customers before a planned outage?",
        body="We serve **450,000** people and complaints spike after every outage.",
        **kwargs,
    )
    first = make_reply(
        question, author=MemberFactory(display_name="Ben First"), body="Print it in the paper."
    )
    accepted = make_reply(
        question,
        author=MemberFactory(display_name="Chloe Answer", email="chloe@example.org"),
        body="Send an SMS **48 hours** before, then again on the morning.",
    )
    third = make_reply(
        question, author=MemberFactory(display_name="Dev Third"), body="Post on the website too."
    )
    answer_accept(user=asker, answer=accepted)
    question.refresh_from_db()
    return question, first, accepted, third


def approve(client, page, comment=""):
    """The editor approves (and so publishes) through Wagtail's workflow action view."""
    editor = user_with_role("editor")
    client.force_login(editor)
    task_state = page.current_workflow_task_state
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]),
        {"comment": comment},
    )
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    return editor


def notice(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    found = soup.select_one(".thread-guide-notice")
    return " ".join(found.get_text().split()) if found else ""


# ---- The draft ----


def test_a_moderator_promotes_a_solved_question_into_a_guide_draft_in_review():
    question, first, accepted, third = solved_question()
    moderator = user_with_role("moderator")

    guide = thread_promote_to_guide(thread=question, actor=moderator, extra_post_ids=[third.pk])

    guide = MethodGuidePage.objects.get(pk=guide.pk)
    assert not guide.live
    assert guide.get_parent().specific_class is KnowledgeIndexPage
    assert guide.title == "How do we warn customers before a planned outage?"
    assert guide.owner == moderator
    assert guide.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert guide.current_workflow_state.workflow.name == "Editorial review"
    draft = guide.get_latest_revision_as_object()
    assert "<b>450,000</b>" in draft.purpose
    assert [step.value["title"] for step in draft.steps] == [
        "The accepted answer",
        "Further advice from Dev Third",
    ]
    assert "<b>48 hours</b>" in draft.steps[0].value["body"].source
    assert "Post on the website too." in draft.steps[1].value["body"].source
    assert draft.contributors == "Ana Asker, Chloe Answer, Dev Third"
    assert "@" not in draft.contributors
    assert draft.source_url == question.get_absolute_url()
    assert draft.source_thread_id == question.pk
    question.refresh_from_db()
    assert question.method_guide_id == guide.pk
    submission = Submission.objects.get(page=guide)
    assert submission.status == Submission.Status.IN_REVIEW


def test_the_draft_takes_the_threads_topics_and_regions():
    topic = Topic.objects.order_by("pk").first()
    region = Region.objects.order_by("pk").first()
    question, *_ = solved_question(topics=[topic], regions=[region])

    guide = thread_promote_to_guide(thread=question, actor=user_with_role("editor"))

    draft = guide.get_latest_revision_as_object()
    assert list(draft.topics.all()) == [topic]
    assert region in list(draft.regions.all())


def test_a_question_without_a_region_becomes_a_global_guide():
    question, *_ = solved_question()

    guide = thread_promote_to_guide(thread=question, actor=user_with_role("moderator"))

    assert [r.is_global for r in guide.get_latest_revision_as_object().regions.all()] == [True]


def test_a_guide_needs_a_topic():
    question, *_ = solved_question(topics=[])

    with pytest.raises(ValidationError) as refused:
        thread_promote_to_guide(thread=question, actor=user_with_role("moderator"))

    assert refused.value.message_dict == {"topics": ["Choose at least one topic for the guide."]}


def test_the_actor_may_choose_other_topics():
    question, *_ = solved_question()
    other = Topic.objects.order_by("-pk").first()

    guide = thread_promote_to_guide(thread=question, actor=user_with_role("editor"), topics=[other])

    assert list(guide.get_latest_revision_as_object().topics.all()) == [other]


def test_ticking_the_accepted_answer_again_adds_it_only_once():
    question, _, accepted, _ = solved_question()

    guide = thread_promote_to_guide(
        thread=question, actor=user_with_role("moderator"), extra_post_ids=[accepted.pk]
    )

    assert len(guide.get_latest_revision_as_object().steps) == 1


def test_a_former_member_is_not_credited_by_name():
    question, _, accepted, _ = solved_question()
    account_delete(user=question.author)

    guide = thread_promote_to_guide(thread=question, actor=user_with_role("moderator"))

    assert guide.get_latest_revision_as_object().contributors == "Chloe Answer"


# ---- Refusals ----


@pytest.mark.parametrize("role", ["member", "guest"])
def test_only_moderators_and_editors_may_promote(role):
    question, *_ = solved_question()
    with pytest.raises(PermissionDenied, match="Only moderators and editors"):
        thread_promote_to_guide(thread=question, actor=user_with_role(role))
    assert not MethodGuidePage.objects.filter(source_thread_id=question.pk).exists()


def test_a_moderator_without_two_factor_authentication_is_refused():
    question, *_ = solved_question()
    with pytest.raises(PermissionDenied, match="two-factor authentication"):
        thread_promote_to_guide(thread=question, actor=ModeratorFactory())


def test_an_unsolved_question_is_refused_with_the_reason():
    question = make_question()
    make_reply(question)

    with pytest.raises(ValidationError) as refused:
        thread_promote_to_guide(thread=question, actor=user_with_role("moderator"))

    assert refused.value.messages == [
        "This question has no accepted answer yet: a question becomes a method guide once it "
        "is solved."
    ]
    assert not Submission.objects.exists()


def test_a_hidden_question_is_refused():
    question, *_ = solved_question()
    Post.objects.filter(thread=question, depth=0).update(is_hidden=True)

    with pytest.raises(ValidationError, match="hidden by a moderator"):
        thread_promote_to_guide(thread=question, actor=user_with_role("moderator"))


def test_a_hidden_accepted_answer_is_refused():
    question, _, accepted, _ = solved_question()
    Post.objects.filter(pk=accepted.pk).update(is_hidden=True)

    with pytest.raises(ValidationError, match="accepted answer has been hidden"):
        thread_promote_to_guide(thread=question, actor=user_with_role("moderator"))


def test_a_discussion_is_refused():
    with pytest.raises(ValidationError, match="this thread is a discussion"):
        thread_promote_to_guide(thread=make_thread(), actor=user_with_role("moderator"))


def test_a_members_only_question_is_refused():
    category = CategoryFactory(mode=Category.Mode.QUESTIONS, visibility=Category.Visibility.MEMBERS)
    question, *_ = solved_question(category=category)

    with pytest.raises(ValidationError, match="public categories"):
        thread_promote_to_guide(thread=question, actor=user_with_role("moderator"))


def test_a_thread_is_promoted_once():
    question, *_ = solved_question()
    moderator = user_with_role("moderator")
    thread_promote_to_guide(thread=question, actor=moderator)

    with pytest.raises(ValidationError, match="already become a method guide"):
        thread_promote_to_guide(thread=question, actor=moderator)
    assert MethodGuidePage.objects.filter(source_thread_id=question.pk).count() == 1


def test_replies_of_another_thread_or_hidden_ones_are_refused_and_nothing_is_created():
    question, first, _, _ = solved_question()
    elsewhere = make_reply(make_question())
    Post.objects.filter(pk=first.pk).update(is_hidden=True)

    for post_ids in ([elsewhere.pk], [first.pk]):
        with pytest.raises(ValidationError) as refused:
            thread_promote_to_guide(
                thread=question, actor=user_with_role("moderator"), extra_post_ids=post_ids
            )
        assert "replies" in refused.value.message_dict
    assert not Submission.objects.exists()
    assert Thread.objects.get(pk=question.pk).method_guide_id is None


# ---- Through the pages, and the editor publishing ----


def test_moderators_see_the_action_on_the_thread_and_members_do_not(client):
    question, *_ = solved_question()
    promote_url = reverse("forum:thread_promote", kwargs={"pk": question.pk})

    client.force_login(MemberFactory())
    assert promote_url not in client.get(question.get_absolute_url()).content.decode()
    client.force_login(user_with_role("moderator"))
    assert promote_url in client.get(question.get_absolute_url()).content.decode()


def test_a_member_opening_the_promotion_page_gets_403_with_the_reason(client):
    question, *_ = solved_question()
    client.force_login(MemberFactory())

    response = client.get(reverse("forum:thread_promote", kwargs={"pk": question.pk}))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Only moderators and editors" in response.content.decode()


def test_the_promotion_page_of_an_unsolved_question_says_why_not(client):
    question = make_question()
    client.force_login(user_with_role("moderator"))

    response = client.get(reverse("forum:thread_promote", kwargs={"pk": question.pk}))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "no accepted answer yet" in response.content.decode()


def test_promote_publish_and_the_thread_shows_the_guide(client):
    question, first, accepted, third = solved_question()
    moderator = user_with_role("moderator")
    client.force_login(moderator)
    url = reverse("forum:thread_promote", kwargs={"pk": question.pk})

    form = client.get(url)
    soup = BeautifulSoup(form.content, "html.parser")
    choices = {int(box["value"]) for box in soup.select("input[name=replies]")}
    assert choices == {first.pk, third.pk}  # the accepted answer is always in
    topic = question.topics.get()
    checked = soup.select(f"input[name=topics][value='{topic.pk}']")[0]
    assert checked.has_attr("checked")  # the thread's topics are chosen already
    without_topic = client.post(url, {"replies": [str(first.pk)]})
    assert "Choose at least one topic for the guide." in without_topic.content.decode()
    response = client.post(url, {"replies": [str(first.pk)], "topics": [str(topic.pk)]})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == question.get_absolute_url()
    guide = MethodGuidePage.objects.get(source_thread_id=question.pk)
    page = client.get(question.get_absolute_url())
    assert "is in editorial review" in notice(page)
    client.logout()
    assert notice(client.get(question.get_absolute_url())) == ""  # nothing before it is live

    approve(client, guide, "Tidied the steps.")

    guide.refresh_from_db()
    assert guide.live
    client.logout()
    thread_page = client.get(question.get_absolute_url())
    assert notice(thread_page) == f"This discussion became a method guide: {guide.title}."
    link = BeautifulSoup(thread_page.content, "html.parser").select_one(".thread-guide-notice a")
    assert link["href"] == guide.url
    guide_page = client.get(guide.url).content.decode()
    assert "With contributions from Ana Asker, Chloe Answer, Ben First." in guide_page
    assert f'href="{question.get_absolute_url()}"' in guide_page
    assert "chloe@example.org" not in guide_page


def test_the_thread_page_of_a_promoted_thread_costs_one_query_more_at_most(
    client, django_assert_max_num_queries
):
    question, *_ = solved_question()
    guide = thread_promote_to_guide(thread=question, actor=user_with_role("moderator"))
    approve(client, MethodGuidePage.objects.get(pk=guide.pk))
    client.logout()
    client.get(question.get_absolute_url())  # warm the site root cache as a live server would

    with django_assert_max_num_queries(7):
        response = client.get(question.get_absolute_url())

    assert "became a method guide" in notice(response)
