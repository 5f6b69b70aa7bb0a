"""Row locks in one order, thread first and then post (forum.services.locks), so a reply
and a vote, an edit or a moderator's hiding of the post it answers never deadlock
(PostgreSQL's "deadlock detected", a 500 in the load run). Every change to a post also
updates its thread (its revision), so this holds for replies as much as opening posts.

Another connection does what a reply does, step by step: it locks the thread, then updates
the opening post's reply count, while a vote (or an edit) on that post runs in a thread.
Taken post-first, the vote held the post and waited for the thread, the reply held the
thread and waited for the post, and PostgreSQL killed one of them.
"""

import threading

import psycopg
import pytest
from django.db import connection

from forum.services.moderation import post_hide
from forum.services.posts import post_edit
from forum.services.votes import post_vote
from tests.factories.forum import make_moderator, make_reply, make_thread
from tests.factories.members import MemberFactory
from tests.reliability import summary

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def in_thread(action) -> tuple[threading.Thread, list]:
    outcome: list = []

    def run():
        try:
            outcome.append(action())
        except Exception as error:  # noqa: BLE001 - the test reports whatever happened
            outcome.append(error)
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    return worker, outcome


def reply_steps_against(change, thread, answered=None) -> list:
    """Lock ``thread`` as a reply does, start ``change`` in a thread, then update the post
    the reply answers (the opening post unless ``answered``) as the reply does; return what
    ``change`` gave."""
    opening = answered or thread.posts.get(depth=0)
    data = connection.settings_dict
    other = psycopg.connect(
        dbname=data["NAME"], user=data["USER"], host=data["HOST"], port=data["PORT"] or 5432
    )
    other.execute("SET lock_timeout = '20s'")
    other.execute("SELECT id FROM forum_thread WHERE id = %s FOR UPDATE", [thread.pk])
    worker, outcome = in_thread(change)
    worker.join(timeout=1.5)  # long enough for the change to take whatever lock it takes first
    other.execute("UPDATE forum_post SET reply_count = reply_count + 1 WHERE id = %s", [opening.pk])
    other.commit()
    other.close()
    worker.join(timeout=30)
    return outcome


def test_a_vote_on_the_opening_post_waits_for_a_reply_instead_of_deadlocking():
    thread = make_thread(title="Night flow pressure")
    voter = MemberFactory()
    opening = thread.posts.get(depth=0)
    outcome = reply_steps_against(lambda: post_vote(voter=voter, post=opening), thread)
    assert len(outcome) == 1
    assert not isinstance(outcome[0], Exception), repr(outcome[0])
    opening.refresh_from_db()
    assert (opening.vote_score, opening.reply_count) == (1, 1)
    summary.record("postgresql reply vs vote on the opening post", faults=1, lost=0)


def test_an_edit_of_the_opening_post_waits_for_a_reply_instead_of_deadlocking():
    author = MemberFactory()
    thread = make_thread(author=author, title="Night flow pressure")
    opening = thread.posts.get(depth=0)
    outcome = reply_steps_against(
        lambda: post_edit(editor=author, post=opening, body="Edited.", title="Night flow logs"),
        thread,
    )
    assert len(outcome) == 1
    assert not isinstance(outcome[0], Exception), repr(outcome[0])
    thread.refresh_from_db()
    assert thread.title == "Night flow logs"
    summary.record("postgresql reply vs edit of the opening post", faults=1, lost=0)


def test_a_vote_on_a_reply_waits_for_a_reply_to_it_instead_of_deadlocking():
    thread = make_thread(title="Night flow pressure")
    answered = make_reply(thread)
    voter = MemberFactory()
    outcome = reply_steps_against(lambda: post_vote(voter=voter, post=answered), thread, answered)
    assert len(outcome) == 1
    assert not isinstance(outcome[0], Exception), repr(outcome[0])
    answered.refresh_from_db()
    assert (answered.vote_score, answered.reply_count) == (1, 1)
    summary.record("postgresql reply vs vote on a reply", faults=1, lost=0)


def test_an_edit_of_a_reply_waits_for_a_reply_to_it_instead_of_deadlocking():
    thread = make_thread(title="Night flow pressure")
    answered = make_reply(thread)
    outcome = reply_steps_against(
        lambda: post_edit(editor=answered.author, post=answered, body="Edited reply."),
        thread,
        answered,
    )
    assert len(outcome) == 1
    assert not isinstance(outcome[0], Exception), repr(outcome[0])
    answered.refresh_from_db()
    assert (answered.body, answered.reply_count) == ("Edited reply.", 1)
    summary.record("postgresql reply vs edit of a reply", faults=1, lost=0)


def test_hiding_a_reply_waits_for_a_reply_to_it_instead_of_deadlocking():
    thread = make_thread(title="Night flow pressure")
    answered = make_reply(thread)
    moderator = make_moderator()
    outcome = reply_steps_against(
        lambda: post_hide(moderator=moderator, post=answered, reason="Off topic"),
        thread,
        answered,
    )
    assert len(outcome) == 1
    assert not isinstance(outcome[0], Exception), repr(outcome[0])
    answered.refresh_from_db()
    assert (answered.is_hidden, answered.reply_count) == (True, 1)
    summary.record("postgresql reply vs hiding a reply", faults=1, lost=0)
