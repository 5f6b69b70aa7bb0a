"""answer_accept and answer_unaccept: the asker or a moderator, questions only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forum.models import Post
from forum.services.answers import answer_accept, answer_unaccept
from tests.factories.forum import (
    MemberFactory,
    ModeratorFactory,
    make_question,
    make_reply,
    make_thread,
)

pytestmark = pytest.mark.django_db


def test_asker_accepts_an_answer_and_can_switch_to_another():
    asker = MemberFactory()
    question = make_question(author=asker)
    first = make_reply(question)
    second = make_reply(question)

    assert answer_accept(user=asker, answer=first).accepted_answer == first
    assert answer_accept(user=asker, answer=second).accepted_answer == second
    question.refresh_from_db()
    assert question.accepted_answer == second
    assert question.is_solved


def test_asker_unaccepts_the_answer():
    asker = MemberFactory()
    question = make_question(author=asker)
    answer_accept(user=asker, answer=make_reply(question))
    assert answer_unaccept(user=asker, thread=question).accepted_answer is None


def test_moderator_accepts_on_behalf_of_the_asker():
    question = make_question()
    answer = make_reply(question)
    assert answer_accept(user=ModeratorFactory(), answer=answer).accepted_answer == answer


def test_someone_else_cannot_accept_or_unaccept():
    asker = MemberFactory()
    question = make_question(author=asker)
    answer = make_reply(question)
    with pytest.raises(PermissionDenied) as error:
        answer_accept(user=MemberFactory(), answer=answer)
    assert "person who asked" in str(error.value)
    answer_accept(user=asker, answer=answer)
    with pytest.raises(PermissionDenied):
        answer_unaccept(user=answer.author, thread=question)


def test_accepting_an_answer_in_a_discussion_thread_is_refused():
    author = MemberFactory()
    discussion = make_thread(author=author)
    reply = make_reply(discussion)
    with pytest.raises(ValidationError) as error:
        answer_accept(user=author, answer=reply)
    assert "discussion" in error.value.message
    discussion.refresh_from_db()
    assert discussion.accepted_answer is None


def test_a_comment_on_an_answer_or_the_question_itself_cannot_be_accepted():
    asker = MemberFactory()
    question = make_question(author=asker)
    answer = make_reply(question)
    comment = make_reply(question, parent=answer)
    for post in (comment, Post.objects.get(thread=question, depth=0)):
        with pytest.raises(ValidationError):
            answer_accept(user=asker, answer=post)


def test_asker_cannot_accept_in_a_locked_question():
    asker = MemberFactory()
    question = make_question(author=asker)
    answer = make_reply(question)
    question.is_locked = True
    question.save()
    with pytest.raises(PermissionDenied):
        answer_accept(user=asker, answer=answer)
