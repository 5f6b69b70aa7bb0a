"""The notification fan-out: who hears of what, once, and never of what they may not see."""

import pytest
from django.contrib.auth.models import Group

from forum.models import Category
from forum.services.answers import answer_accept
from forum.services.posts import post_edit
from members.models import Notification
from tests.factories import taxonomy
from tests.factories.follows import follow, mute
from tests.factories.forum import (
    CategoryFactory,
    MemberFactory,
    ModeratorFactory,
    make_question,
    make_reply,
    make_thread,
)
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run the on-commit fan-out (and what it enqueues) as the test's transaction would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def notifications_of(user):
    return list(Notification.objects.filter(recipient=user))


def test_a_member_following_a_topic_gets_one_notification_per_new_thread(run_on_commit):
    follower, author = MemberFactory(), MemberFactory()
    topic = taxonomy.topic()
    follow(follower, topic)
    thread = run_on_commit(make_thread, author=author, topics=[topic], title="Tariff letters")
    [notification] = notifications_of(follower)
    assert notification.kind == "forum.new_thread"
    assert "Tariff letters" in notification.title
    assert notification.actor == author
    assert notification.url == thread.posts.get(depth=0).get_absolute_url()
    assert notification.group_key == f"forum.thread:{thread.pk}"
    assert notification.group_title == "Tariff letters"
    assert notifications_of(author) == []


def test_a_thread_matching_many_follows_notifies_each_member_once(run_on_commit):
    follower = MemberFactory()
    category = CategoryFactory()
    topic, region = taxonomy.topic(), taxonomy.region()
    for target in (category, topic, region):
        follow(follower, target)
    run_on_commit(make_thread, category=category, topics=[topic], regions=[region])
    assert len(notifications_of(follower)) == 1


def test_following_a_parent_topic_covers_its_sub_topics(run_on_commit):
    follower = MemberFactory()
    parent = taxonomy.topic("parent-topic-for-follows")
    child = taxonomy.topic("child-topic-for-follows")
    child.parent = parent
    child.save()
    follow(follower, parent)
    run_on_commit(make_thread, topics=[child])
    assert len(notifications_of(follower)) == 1


def test_replies_notify_the_thread_author_the_parent_author_and_followers_once_each(
    run_on_commit,
):
    author, answerer, follower, replier = (MemberFactory() for _ in range(4))
    thread = make_thread(author=author)
    answer = run_on_commit(make_reply, thread, author=answerer)
    follow(follower, thread)
    follow(author, thread.category)  # a second matching follow changes nothing
    run_on_commit(make_reply, thread, parent=answer, author=replier)
    kinds = {
        member.display_name: [n.kind for n in notifications_of(member)]
        for member in (author, answerer, follower)
    }
    # The author heard of both replies; the answerer of the reply to their post only.
    assert kinds[author.display_name] == ["forum.reply", "forum.reply"]
    assert kinds[answerer.display_name] == ["forum.reply"]
    assert "replied to your post" in notifications_of(answerer)[0].title
    assert kinds[follower.display_name] == ["forum.thread_activity"]
    assert notifications_of(replier) == []


def test_nobody_is_notified_of_their_own_post(run_on_commit):
    author = MemberFactory()
    follow(author, taxonomy.topic())
    thread = run_on_commit(make_thread, author=author, topics=[taxonomy.topic()])
    run_on_commit(make_reply, thread, author=author)
    assert notifications_of(author) == []


def test_a_muted_thread_sends_nothing_not_even_a_mention(run_on_commit):
    author, muter = MemberFactory(), MemberFactory(display_name="Mara Member")
    thread = make_thread(author=muter)
    mute(muter, thread)
    run_on_commit(make_reply, thread, author=author, body="@Mara-Member what do you think?")
    assert notifications_of(muter) == []


def test_followers_who_may_not_read_the_category_hear_nothing(run_on_commit):
    board = Group.objects.create(name="Board")
    restricted = CategoryFactory(restricted_to_group=board)
    members_only = CategoryFactory(visibility=Category.Visibility.MEMBERS)
    topic = taxonomy.topic()
    insider, outsider, moderator = MemberFactory(), MemberFactory(), ModeratorFactory()
    insider.groups.add(board)
    no_role = UserFactory()
    for member in (insider, outsider, moderator, no_role):
        follow(member, topic)
    run_on_commit(make_thread, category=restricted, topics=[topic], author=ModeratorFactory())
    assert len(notifications_of(insider)) == 1
    assert len(notifications_of(moderator)) == 1
    assert notifications_of(outsider) == []
    run_on_commit(make_thread, category=members_only, topics=[topic], author=insider)
    assert len(notifications_of(outsider)) == 1
    assert notifications_of(no_role) == []


def test_a_mention_notifies_once_even_when_the_post_is_edited(run_on_commit):
    author = MemberFactory()
    mentioned = MemberFactory(display_name="Ana Alves")
    later = MemberFactory(display_name="Bo Berg")
    thread = make_thread()
    post = run_on_commit(make_reply, thread, author=author, body="Ask @Ana-Alves about SMS.")
    [notification] = notifications_of(mentioned)
    assert notification.kind == "forum.mention"
    run_on_commit(
        post_edit, editor=author, post=post, body="Ask @Ana-Alves and @Bo-Berg about SMS."
    )
    assert len(notifications_of(mentioned)) == 1
    assert [n.kind for n in notifications_of(later)] == ["forum.mention"]


def test_an_accepted_answer_notifies_its_author(run_on_commit):
    asker, answerer = MemberFactory(), MemberFactory()
    question = make_question(author=asker)
    answer = make_reply(question, author=answerer)
    Notification.objects.all().delete()
    run_on_commit(answer_accept, user=asker, answer=answer)
    [notification] = notifications_of(answerer)
    assert notification.kind == "forum.answer_accepted"
    assert notification.actor == asker


def publish_for_the_first_time(page):
    type(page).objects.filter(pk=page.pk).update(first_published_at=None, live=False)
    page = type(page).objects.get(pk=page.pk)
    page.save_revision().publish()
    return page


def test_a_kb_page_published_with_a_followed_topic_notifies_once_and_not_on_republish(
    run_on_commit,
):
    from tests.factories import kb

    follower = MemberFactory()
    follow(follower, taxonomy.topic("customer-experience-and-trust"))
    follow(follower, taxonomy.region("sub-saharan-africa"))
    page = kb.case_study(title="Trust campaign in Nairobi", live=False)
    page = run_on_commit(publish_for_the_first_time, page)
    [notification] = notifications_of(follower)
    assert notification.kind == "kb.page_published"
    assert "Trust campaign in Nairobi" in notification.title
    assert notification.url == page.url
    run_on_commit(lambda: type(page).objects.get(pk=page.pk).save_revision().publish())
    assert len(notifications_of(follower)) == 1


def test_a_members_only_kb_page_notifies_only_followers_who_may_read_it(run_on_commit):
    from tests.factories import kb

    member, no_role = MemberFactory(), UserFactory()
    for user in (member, no_role):
        follow(user, taxonomy.topic("customer-experience-and-trust"))
    page = kb.case_study(live=False, members_only=True)
    run_on_commit(publish_for_the_first_time, page)
    assert len(notifications_of(member)) == 1
    assert notifications_of(no_role) == []
