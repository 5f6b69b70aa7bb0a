"""A small "world" of real objects for the access-control and CSRF suites, and the roles that
look at it.

Everything is made through the services (or the real views), so the rows are what the site
would hold: public, members-only and group-restricted forum categories with threads and
replies, a question with an answer, KB pages (public, members-only, draft), a member's KB
submission, follows, notifications, a flag in the moderation queue, a suspended member, and the
search index filled from the projection of all that.

Unique marker words sit in the titles and bodies of the content that only some roles may see;
the suites assert they never appear in a response to anyone else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from forum.models import Category, Flag, Post, Thread
from forum.services.flags import flag_create
from members.models import Notification, User
from members.services.notifications import notification_create
from members.services.roles import user_roles_set
from members.services.suspensions import member_suspend
from members.services.unsubscribe import unsubscribe_token
from search.backends import search_backend
from search.projection import iter_documents
from taxonomy.models import Region, Topic
from tests.factories import kb as kb_factories
from tests.factories.follows import follow
from tests.factories.forum import (
    CategoryFactory,
    GuestFactory,
    make_moderator,
    make_reply,
    make_thread,
)
from tests.factories.members import MemberFactory

# Roles, in the column order of the expectation tables (design.md section 2, plus a suspended
# member, a member of the group a category is restricted to, and the author of the content).
ROLES = (
    "visitor",
    "member",
    "guest",
    "moderator",
    "editor",
    "admin",
    "suspended",
    "group_member",
    "owner",
)

# Marker words. Each appears only in content some roles must not see.
MEMBERS_MARKER = "marmosetseven"  # members-only forum category: thread title, body, reply
GROUP_MARKER = "gharialnine"  # group-restricted category: thread title, body, reply
KB_MEMBERS_MARKER = "kakapothree"  # members-only KB page
DRAFT_MARKER = "dugongfive"  # a KB page that was never published
SUBMISSION_MARKER = "sifakafour"  # the owner's unpublished KB submission

MARKERS = (MEMBERS_MARKER, GROUP_MARKER, KB_MEMBERS_MARKER, DRAFT_MARKER, SUBMISSION_MARKER)

SIGNED_IN_READERS = frozenset(ROLES) - {"visitor"}


def marker_readers(marker: str) -> frozenset[str]:
    """The roles that may see ``marker`` on the public site (outside the admins)."""
    if marker in (MEMBERS_MARKER, KB_MEMBERS_MARKER):
        return SIGNED_IN_READERS
    if marker == GROUP_MARKER:
        return frozenset({"moderator", "admin", "group_member"})
    if marker == SUBMISSION_MARKER:
        return frozenset({"owner"})
    return frozenset()  # the draft: nobody outside the Wagtail admin


@dataclass
class World:
    users: dict[str, User | None]
    other_member: User
    board: Group
    public_category: Category
    members_category: Category
    group_category: Category
    question_category: Category
    public_thread: Thread
    members_thread: Thread
    group_thread: Thread
    question: Thread
    public_reply: Post
    members_reply: Post
    group_reply: Post
    answer: Post
    flagged_post: Post
    flag: Flag
    members_topic: Topic
    members_region: Region
    group_region: Region
    public_page: object
    members_page: object
    draft_page: object
    submission: object
    notification: Notification
    other_notification: Notification
    unsubscribe_token: str
    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        if role not in self.clients:
            client = Client()
            user = self.users[role]
            if user is not None:
                client.force_login(user)
            self.clients[role] = client
        return self.clients[role]


def _privileged(roles: set[str], **kwargs) -> User:
    user = MemberFactory(roles=[], **kwargs)
    user_roles_set(user=user, roles_wanted=roles, actor=None)
    TOTP.activate(user, kb_factories.PRIVILEGED_TOTP_SECRET)
    return User.objects.get(pk=user.pk)


def _submission(owner: User):
    """The owner's KB submission, saved as a draft through the real form."""
    from kb.models import Submission
    from tests.kb.test_submissions import case_study_data

    client = Client()
    client.force_login(owner)
    response = client.post(
        "/contribute/new/case-study/",
        case_study_data(
            title=f"Our {SUBMISSION_MARKER} pilot",
            summary=f"Draft about {SUBMISSION_MARKER}.",
            action="save",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Submission.objects.get(author=owner)


def build_world() -> World:
    board = Group.objects.create(name="Utility board")
    owner = MemberFactory(email="owner@example.org", display_name="Olive Owner")
    users: dict[str, User | None] = {
        "visitor": None,
        "member": MemberFactory(email="member@example.org", display_name="Mina Member"),
        "guest": GuestFactory(email="guest@example.org", display_name="Gus Guest"),
        "moderator": make_moderator(email="moderator@example.org", display_name="Mo Moderator"),
        "editor": _privileged({"member", "editor"}, email="editor@example.org"),
        "admin": _privileged({"member", "admin"}, email="admin@example.org"),
        "suspended": MemberFactory(email="suspended@example.org", display_name="Sue Suspended"),
        "group_member": MemberFactory(email="board@example.org", display_name="Bo Board"),
        "owner": owner,
    }
    users["group_member"].groups.add(board)
    other_member = MemberFactory(email="other@example.org", display_name="Otto Other")

    topic = Topic.objects.get(slug="customer-experience-and-trust")
    public_region = Region.objects.get(slug="sub-saharan-africa")
    members_topic = Topic.objects.get(slug="sms-and-text-messaging")
    members_region = Region.objects.get(slug="europe-and-northern-america")
    group_region = Region.objects.get(slug="latin-america-and-the-caribbean")

    public_category = CategoryFactory(slug="open-talk", name="Open talk")
    members_category = CategoryFactory(
        slug="members-lounge", name="Members lounge", visibility=Category.Visibility.MEMBERS
    )
    group_category = CategoryFactory(
        slug="board-room",
        name="Board room",
        visibility=Category.Visibility.MEMBERS,
        restricted_to_group=board,
    )
    question_category = CategoryFactory(
        slug="ask-the-experts", name="Ask the experts", mode=Category.Mode.QUESTIONS
    )

    public_thread = make_thread(
        category=public_category,
        author=owner,
        title="Explaining tariffs in public",
        body="We explained the tariff rise with a leaflet.",
        topics=[topic, members_topic],
        regions=[public_region],
    )
    public_reply = make_reply(public_thread, author=owner, body="The owner's public reply.")
    flagged_post = make_reply(public_thread, author=other_member, body="Buy cheap pumps now")
    members_thread = make_thread(
        category=members_category,
        author=owner,
        title=f"Members talk {MEMBERS_MARKER}",
        body=f"Our board {MEMBERS_MARKER} discussed the tariff.",
        topics=[topic, members_topic],
        regions=[members_region],
    )
    members_reply = make_reply(members_thread, author=owner, body=f"Reply {MEMBERS_MARKER}.")
    group_thread = make_thread(
        category=group_category,
        author=users["group_member"],
        title=f"Board papers {GROUP_MARKER}",
        body=f"Confidential {GROUP_MARKER} figures on the tariff.",
        topics=[topic, members_topic],
        regions=[group_region],
    )
    group_reply = make_reply(group_thread, author=users["group_member"], body=f"{GROUP_MARKER}.")
    question = make_thread(
        category=question_category,
        author=owner,
        title="Which channel for outage alerts?",
        body="SMS or an app?",
    )
    answer = make_reply(question, author=other_member, body="SMS reached more customers.")
    flag = flag_create(flagger=users["member"], post=flagged_post, reason=Flag.Reason.SPAM)

    public_page = kb_factories.case_study(title="Public tariff case study")
    members_page = kb_factories.case_study(
        # Lists and the teaser show a members-only page's title and summary to everyone
        # (kb.access), so the marker sits in the body only.
        title="Members case study on tariffs",
        challenge=f"<p>The {KB_MEMBERS_MARKER} challenge.</p>",
        lessons=f"<p>Lessons {KB_MEMBERS_MARKER}.</p>",
        members_only=True,
    )
    draft_page = kb_factories.case_study(
        title=f"Unpublished {DRAFT_MARKER}", summary=f"Draft {DRAFT_MARKER}.", live=False
    )
    submission = _submission(owner)

    follow(owner, public_thread)
    follow(owner, public_category)
    notification = notification_create(
        recipient=owner,
        kind="reply",
        title="Otto replied to your thread",
        url=public_thread.get_absolute_url(),
        actor=other_member,
    )
    other_notification = notification_create(
        recipient=other_member,
        kind="reply",
        title="Olive replied to your thread",
        url=public_thread.get_absolute_url(),
        actor=owner,
    )
    member_suspend(actor=users["moderator"], member=users["suspended"], reason="Spam", days=7)
    token = unsubscribe_token(user=owner, kind="immediate")

    search_backend().index(list(iter_documents()))

    return World(
        users=users,
        other_member=other_member,
        board=board,
        public_category=public_category,
        members_category=members_category,
        group_category=group_category,
        question_category=question_category,
        public_thread=public_thread,
        members_thread=members_thread,
        group_thread=group_thread,
        question=question,
        public_reply=public_reply,
        members_reply=members_reply,
        group_reply=group_reply,
        answer=answer,
        flagged_post=flagged_post,
        flag=flag,
        members_topic=members_topic,
        members_region=members_region,
        group_region=group_region,
        public_page=public_page,
        members_page=members_page,
        draft_page=draft_page,
        submission=submission,
        notification=notification,
        other_notification=other_notification,
        unsubscribe_token=token,
    )


# -- the URL configuration ----------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern, flattened: the full route text and its key in the tables."""

    route: str
    key: str
    pattern: URLPattern

    @property
    def is_third_party_admin(self) -> bool:
        return self.route.startswith(("admin/", "django-admin/"))


def routes() -> list[Route]:
    """Every URL pattern of the URL configuration, walked recursively."""
    found: list[Route] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            else:
                route = prefix + str(pattern.pattern)
                if pattern.name:
                    key = f"{namespace}:{pattern.name}" if namespace else pattern.name
                else:
                    key = route
                found.append(Route(route=route, key=key, pattern=pattern))

    walk(get_resolver().url_patterns, "", "")
    return found


_CONVERTER = re.compile(r"<(?:(?P<converter>[a-z]+):)?(?P<name>\w+)>")
_NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>(?:[^()]|\([^()]*\))*)\)")

# Concrete text for the regex patterns that are not built from the world (allauth keys,
# Wagtail's and Django's catch-alls). A regex pattern missing here fails the suites.
REGEX_EXAMPLES = {
    "documents/^(\\d+)/(.*)$": "documents/999999/missing.pdf",
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": "accounts/confirm-email/not-a-key/",
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
        "accounts/password/reset/key/zz-not-a-key/"
    ),
    "accounts/oidc/^(?P<provider_id>[^/]+)/login/": "accounts/oidc/no-such-provider/login/",
    "accounts/oidc/^(?P<provider_id>[^/]+)/login/callback/": (
        "accounts/oidc/no-such-provider/login/callback/"
    ),
    "admin/^.*/$": "admin/no-such-admin-page/",
    "django-admin/(?P<url>.*)$": "django-admin/no-such-page/",
}


def example_path(route: Route, *, ints: int = 1) -> str:
    """A concrete path for a third-party pattern: every int is ``ints``, every string "x"."""
    if route.route in REGEX_EXAMPLES:
        return "/" + REGEX_EXAMPLES[route.route]
    text = route.route

    def converter(match: re.Match) -> str:
        kind = match.group("converter") or "str"
        return str(ints) if kind == "int" else "1" if kind == "path" else "x"

    if "^" in text or "(" in text or "$" in text:
        text = _regex_example(text, ints)
    text = _CONVERTER.sub(converter, text)
    return "/" + text


def _regex_example(text: str, ints: int) -> str:
    def group(match: re.Match) -> str:
        body = match.group("body")
        if body in (r"\d+",):
            return str(ints)
        if "|" in body:
            return body.split("|")[0].strip("()")
        return "x"

    text = _NAMED_GROUP.sub(group, text)
    text = text.replace(r"\.", ".").replace("^", "").replace("$", "")
    return text


# -- concrete URLs of the project's patterns, built from the world ------------------------


def concrete_urls(world: World) -> dict[str, list[tuple[str, str]]]:
    """For each project URL key, the (case label, path) pairs the suites request.

    Parameterised patterns get one case per kind of object (public, members-only,
    group-restricted, someone else's...), so each expectation names what it is about.
    """
    w = world
    pub, mem, grp, q = w.public_thread, w.members_thread, w.group_thread, w.question
    threads = {"pub": pub, "mem": mem, "grp": grp}
    categories = {"pub": w.public_category, "mem": w.members_category, "grp": w.group_category}
    posts = {
        "pub": w.public_reply,
        "mem": w.members_reply,
        "grp": w.group_reply,
    }
    owner = w.users["owner"]

    def each(pattern: str, objects: dict, attribute: str = "pk") -> list[tuple[str, str]]:
        return [(label, pattern.format(getattr(obj, attribute))) for label, obj in objects.items()]

    urls: dict[str, list[tuple[str, str]]] = {
        # members
        "members:directory": [("", "/members/")],
        "members:profile": [
            ("owner", f"/members/{owner.pk}/"),
            ("other", f"/members/{w.other_member.pk}/"),
        ],
        "members:welcome": [("", "/members/welcome/")],
        "members:profile_edit": [("", "/members/profile/edit/")],
        "members:notifications": [("", "/members/notifications/")],
        "members:notification_read": [
            ("owner's", f"/members/notifications/{w.notification.pk}/read/"),
            ("other's", f"/members/notifications/{w.other_notification.pk}/read/"),
        ],
        "members:notifications_read_all": [("", "/members/notifications/read-all/")],
        "members:suspension": [("", "/members/suspension/")],
        "members:unsubscribe": [
            ("valid", f"/members/unsubscribe/{w.unsubscribe_token}/"),
            ("forged", "/members/unsubscribe/forged-token/"),
        ],
        "members:privacy": [("", "/members/privacy/")],
        "members:data_export": [("", "/members/privacy/export/")],
        "members:account_delete": [("", "/members/privacy/delete/")],
        "members:verification_resend": [("", "/members/verify/resend/")],
        # forum
        "forum:home": [("", "/forum/")],
        "forum:preview": [("", "/forum/preview/")],
        "forum:category": each("/forum/c/{}/", categories, "slug"),
        "forum:thread_new": each("/forum/c/{}/new/", categories, "slug"),
        "forum:category_mark_read": each("/forum/c/{}/mark-read/", categories, "slug"),
        "forum:thread_unread": each("/forum/unread/{}/", threads),
        "forum:thread_short": each("/forum/t/{}/", threads),
        "forum:reply": each("/forum/t/{}/reply/", threads),
        "forum:unaccept": [("question", f"/forum/t/{q.pk}/unaccept/")],
        "forum:thread_moderate": each("/forum/t/{}/moderate/", threads),
        "forum:thread_state": each("/forum/t/{}/moderate/state/", threads),
        "forum:thread_promote": each("/forum/t/{}/promote/", threads),
        "forum:thread": [(label, t.get_absolute_url()) for label, t in threads.items()],
        "forum:post": each("/forum/p/{}/", posts),
        "forum:post_edit": each("/forum/p/{}/edit/", posts),
        "forum:post_revisions": each("/forum/p/{}/history/", posts),
        "forum:post_quote": each("/forum/p/{}/quote/", posts),
        "forum:vote": each("/forum/p/{}/vote/", posts),
        "forum:accept": [("answer", f"/forum/p/{w.answer.pk}/accept/")],
        "forum:category_feed": each("/forum/feeds/c/{}/", categories, "slug"),
        "forum:topic_feed": [("members topic", f"/forum/feeds/topics/{w.members_topic.slug}/")],
        "forum:region_feed": [
            ("members region", f"/forum/feeds/regions/{w.members_region.slug}/"),
            ("group region", f"/forum/feeds/regions/{w.group_region.slug}/"),
        ],
        "forum:thread_feed": each("/forum/feeds/t/{}/", threads),
        "forum:post_flag": each("/forum/p/{}/flag/", posts),
        "forum:post_moderate": each("/forum/p/{}/moderate/", posts),
        "forum:review_queue": [("", "/forum/moderation/")],
        "forum:moderation_log": [("", "/forum/moderation/log/")],
        "forum:member_moderate": [("other", f"/forum/moderation/members/{w.other_member.pk}/")],
        "forum:following": [("", "/forum/following/")],
        "forum:following_settings": [("", "/forum/following/settings/")],
        "forum:thread_mute": each("/forum/follow/thread/{}/mute/", threads),
        "forum:thread_unmute": each("/forum/follow/thread/{}/unmute/", threads),
        "forum:follow": [
            *each("/forum/follow/thread/{}/", threads),
            ("grp category", f"/forum/follow/category/{w.group_category.pk}/"),
        ],
        "forum:unfollow": [
            ("pub", f"/forum/unfollow/thread/{pub.pk}/"),
            ("grp", f"/forum/unfollow/thread/{grp.pk}/"),
        ],
        # search
        "search:search": [
            ("members marker", f"/search/?q={MEMBERS_MARKER}"),
            ("group marker", f"/search/?q={GROUP_MARKER}"),
            ("kb marker", f"/search/?q={KB_MEMBERS_MARKER}"),
            ("tariff", "/search/?q=tariff"),
            ("everything", "/search/"),
        ],
        "search:opensearch": [("", "/search/opensearch.xml")],
        "search_api:search": [
            ("members marker", f"/api/search/?q={MEMBERS_MARKER}"),
            ("group marker", f"/api/search/?q={GROUP_MARKER}"),
            ("kb marker", f"/api/search/?q={KB_MEMBERS_MARKER}"),
            ("tariff", "/api/search/?q=tariff"),
            ("everything", "/api/search/"),
        ],
        "search_api:suggest": [
            ("members prefix", f"/api/search/suggest/?q={MEMBERS_MARKER[:6]}"),
            ("group prefix", f"/api/search/suggest/?q={GROUP_MARKER[:6]}"),
            ("kb prefix", f"/api/search/suggest/?q={KB_MEMBERS_MARKER[:6]}"),
            ("title words", "/api/search/suggest/?q=Board+pap"),
        ],
        "search_api:related": [
            ("pub thread", f"/api/search/related/forum.thread:{pub.pk}/"),
            ("mem thread", f"/api/search/related/forum.thread:{mem.pk}/"),
            ("grp thread", f"/api/search/related/forum.thread:{grp.pk}/"),
            ("mem page", f"/api/search/related/kb.page:{w.members_page.pk}/"),
        ],
        "search_api:schema": [("", "/api/schema/")],
        # kb submissions
        "kb:submission_list": [("", "/contribute/")],
        "kb:submission_new": [("case study", "/contribute/new/case-study/")],
        "kb:submission_edit": [("owner's", f"/contribute/{w.submission.pk}/edit/")],
        "kb:submission_preview": [("owner's", f"/contribute/{w.submission.pk}/preview/")],
        # site
        "sitemap": [("", "/sitemap.xml")],
        "health": [("", "/healthz")],
        "javascript-catalog": [("", "/jsi18n/")],
        "wagtail_serve": [
            ("home", "/"),
            ("kb index", "/knowledge/"),
            ("public page", w.public_page.url),
            ("members page", w.members_page.url),
            ("draft page", "/knowledge/" + w.draft_page.slug + "/"),
            ("submission draft", "/knowledge/" + w.submission.page.slug + "/"),
            ("missing", "/no-such-page/"),
        ],
        "wagtailcore_authenticate_with_password": [
            ("members page", f"/_util/authenticate_with_password/999999/{w.members_page.pk}/")
        ],
        "wagtailcore_login": [("", "/_util/login/")],
        "wagtaildocs_serve": [("missing", "/documents/999999/missing.pdf")],
        "wagtaildocs_authenticate_with_password": [
            ("missing", "/documents/authenticate_with_password/999999/")
        ],
    }
    return urls


def project_cases(world: World) -> list[tuple[str, str, str]]:
    """(route key, case key, path) for every project pattern (third-party admins apart).

    Patterns without concrete URLs in ``concrete_urls`` (allauth's, mostly) get one
    ``example_path``; the case key is the route key, plus the case label if there is one.
    """
    urls = concrete_urls(world)
    cases = []
    for route in routes():
        if route.is_third_party_admin:
            continue
        for label, path in urls.get(route.key) or [("", example_path(route))]:
            cases.append((route.key, f"{route.key} {label}".strip(), path))
    return cases
