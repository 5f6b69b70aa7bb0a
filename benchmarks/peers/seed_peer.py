"""Seed a peer from the exported thread: ``python seed_peer.py spirit|machina CONTENT.json``.

Run in the peer's virtualenv with its settings (``benchmarks.peer_setup`` does). Creates the
50 authors and a member who signs in (``bench-member``), one category/forum, and the thread
with every post's stored HTML exactly as ours stores it (the peers' own Markdown renderers are
not called on these bodies, so every system serves the same markup). Prints the thread's URL
as JSON. Idempotent only on a fresh database (the suite deletes it first).
"""

import json
import os
import sys
from datetime import datetime


def seed_spirit(content: dict) -> str:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from djconfig import utils as djconfig_utils
    from djconfig.models import Config
    from spirit.admin.forms import BasicConfigForm
    from spirit.category.models import Category
    from spirit.comment.models import Comment
    from spirit.topic.models import Topic

    call_command("createcachetable", verbosity=0)
    User = get_user_model()
    authors = []
    for n, author in enumerate(content["authors"], start=1):
        user = User.objects.create(username=f"author{n}", email=f"author{n}@peer.test")
        user.set_unusable_password()
        user.save()
        user.st.nickname = author["display_name"]
        user.st.is_verified = True
        user.st.save()
        authors.append(user)
    member = User.objects.create_user("bench-member", "bench-member@peer.test", "bench-password")
    member.st.is_verified = True
    member.st.save()
    field = BasicConfigForm().fields["comments_per_page"]
    Config.objects.update_or_create(
        key="comments_per_page",
        defaults={"value": djconfig_utils.serialize(value=100, field=field)},
    )
    category = Category.objects.create(title="Water communication", description="Bench")
    posts = content["posts"]
    first = posts[0]
    topic = Topic.objects.create(
        user=authors[first["author"]],
        category=category,
        title=content["title"],
        date=datetime.fromisoformat(first["created_at"]),
        last_active=datetime.fromisoformat(posts[-1]["created_at"]),
        comment_count=len(posts),
    )
    Comment.objects.bulk_create(
        Comment(
            user=authors[post["author"]],
            topic=topic,
            comment=post["body"],
            comment_html=post["body_html"],
            date=datetime.fromisoformat(post["created_at"]),
        )
        for post in posts
    )
    return topic.get_absolute_url()


def seed_machina(content: dict) -> str:
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from machina.apps.forum.models import Forum
    from machina.apps.forum_conversation.models import Post, Topic
    from machina.apps.forum_permission.models import ForumPermission, UserForumPermission

    User = get_user_model()
    authors = []
    for n, author in enumerate(content["authors"], start=1):
        first_name, _, last_name = author["display_name"].partition(" ")
        user = User.objects.create(
            username=f"author{n}",
            email=f"author{n}@peer.test",
            first_name=first_name,
            last_name=last_name,
        )
        user.set_unusable_password()
        user.save()
        authors.append(user)
    User.objects.create_user("bench-member", "bench-member@peer.test", "bench-password")
    for codename in ("can_see_forum", "can_read_forum"):
        permission = ForumPermission.objects.get(codename=codename)
        UserForumPermission.objects.create(
            permission=permission, anonymous_user=True, has_perm=True, forum=None
        )
        UserForumPermission.objects.create(
            permission=permission, authenticated_user=True, has_perm=True, forum=None
        )
    forum = Forum.objects.create(name="Water communication", type=Forum.FORUM_POST)
    posts = content["posts"]
    topic = Topic.objects.create(
        forum=forum,
        poster=authors[posts[0]["author"]],
        subject=content["title"],
        type=Topic.TOPIC_POST,
        status=Topic.TOPIC_UNLOCKED,
        approved=True,
    )
    for post in posts:
        created = Post.objects.create(
            topic=topic,
            poster=authors[post["author"]],
            subject=content["title"] if post["position"] == 1 else f"Re: {content['title']}",
            content=post["body"],
            approved=True,
        )
        Post.objects.filter(pk=created.pk).update(
            _content_rendered=post["body_html"],
            created=datetime.fromisoformat(post["created_at"]),
        )
    topic.refresh_from_db()
    return reverse(
        "forum_conversation:topic",
        kwargs={"forum_slug": forum.slug, "forum_pk": forum.pk, "slug": topic.slug, "pk": topic.pk},
    )


def main() -> None:
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    peer, content_path = sys.argv[1], sys.argv[2]
    with open(content_path, encoding="utf-8") as handle:
        content = json.load(handle)
    seeders = {"spirit": seed_spirit, "machina": seed_machina}
    url = seeders[peer](content)
    sys.stdout.write(json.dumps({"thread_url": url}) + "\n")


if __name__ == "__main__":
    main()
