"""A world for the search access suite (issue 15, item 2): content in every visibility state,
each item with its own topics and regions, indexed through the product's own path (the
search outbox, applied after commit by the task queue), and the roles of ``access_world``.

Every item is declared once in ``SPECS``: its kind, who may find it (``readers``), its facet
values and a title word of its own. Expected hits and facet counts are computed from these
declarations (``expected_facets``), never from what a backend answers.

Visibility classes:

- ``public``: a public thread and case study and method guide, a thread by a member who is
  suspended afterwards, a thread by a member who then deletes the account (their old name
  must never show again), a thread whose opening post a moderator hides (the forum still
  lists it by title; the hidden text must never show), and a hidden reply.
- ``members``: a thread in a members-only category; a members-only case study.
- ``group``: a thread in a members category restricted to a group, and one in a public
  category restricted to it (moderators, admins and the group's members read both).
- ``never``: a draft case study, a method guide published then unpublished, a member's KB
  submission in editorial review.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.test import Client

from forum.models import Category
from forum.services.moderation import post_hide
from members.models import User
from members.services.accounts import account_delete
from members.services.suspensions import member_suspend
from search.models import IndexOutbox
from search.projection import page_doc_id, thread_doc_id
from taxonomy.models import Country, Region, Topic
from tests.factories import kb as kb_factories
from tests.factories.forum import (
    CategoryFactory,
    GuestFactory,
    make_moderator,
    make_reply,
    make_thread,
)
from tests.factories.members import MemberFactory
from tests.security.access_world import _privileged

COMMON = "aqueduct"
"""In every title, so one query matches every document (and the search page shows facets)."""

ROLES = (
    "visitor",
    "member",
    "guest",
    "moderator",
    "editor",
    "admin",
    "suspended",
    "group_member",
)

READERS = {
    "public": frozenset(ROLES),
    "members": frozenset(ROLES) - {"visitor"},
    "group": frozenset({"moderator", "admin", "group_member"}),
    "never": frozenset(),
}

HIDDEN_OPENING_MARKER = "pangolinopening"  # the opening post a moderator hid
HIDDEN_REPLY_MARKER = "pangolinreply"  # a reply a moderator hid
FORMER_NAME_MARKER = "Fennecformer"  # the display name of a member who deleted the account
MEMBERS_BODY_MARKER = "kakapobody"  # the body of the members-only case study
ALWAYS_HIDDEN = (HIDDEN_OPENING_MARKER, HIDDEN_REPLY_MARKER, FORMER_NAME_MARKER)


@dataclass(frozen=True)
class Spec:
    key: str
    word: str  # a word of its own in the title (lower case)
    kind: str  # thread, case_study, method_guide
    readers: str  # a key of READERS
    topics: tuple[str, ...]
    regions: tuple[str, ...]
    countries: tuple[str, ...] = ()  # ISO alpha-2
    audiences: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return f"{COMMON.capitalize()} {self.word} {self.kind.replace('_', ' ')}"


SPECS = (
    Spec(
        "pub_thread",
        "wombatone",
        "thread",
        "public",
        ("tariffs-and-investment",),
        ("sub-saharan-africa",),
    ),
    Spec(
        "pub_case",
        "wombattwo",
        "case_study",
        "public",
        ("tariffs-and-investment", "customer-experience-and-trust"),
        ("sub-saharan-africa",),
        countries=("KE",),
        audiences=("residential-customers",),
        channels=("sms",),
    ),
    Spec(
        "pub_guide",
        "wombatthree",
        "method_guide",
        "public",
        ("behaviour-change-and-conservation",),
        ("global",),
    ),
    Spec(
        "suspended_thread",
        "wombatfour",
        "thread",
        "public",
        ("research-and-evaluation",),
        ("oceania",),
    ),
    Spec(
        "former_thread",
        "wombatfive",
        "thread",
        "public",
        ("inclusion-and-accessibility",),
        ("australia-and-new-zealand",),
    ),
    Spec(
        "hidden_opening_thread",
        "wombatsix",
        "thread",
        "public",
        ("environment-and-source-protection",),
        ("northern-africa-and-western-asia",),
    ),
    Spec(
        "members_thread",
        "marmosetseven",
        "thread",
        "members",
        ("water-quality-and-public-health",),
        ("europe-and-northern-america",),
    ),
    Spec(
        "members_case",
        "kakapoeight",
        "case_study",
        "members",
        ("water-quality-and-public-health", "sms-and-text-messaging"),
        ("europe-and-northern-america",),
        countries=("FR",),
        audiences=("media",),
        channels=("email",),
    ),
    Spec(
        "group_thread",
        "gharialnine",
        "thread",
        "group",
        ("internal-and-cross-group-communication",),
        ("latin-america-and-the-caribbean",),
    ),
    Spec(
        "group_public_thread",
        "gharialten",
        "thread",
        "group",
        ("social-media",),
        ("central-and-southern-asia",),
    ),
    Spec(
        "draft_case",
        "dugongeleven",
        "case_study",
        "never",
        ("smart-meters-and-ami-feedback",),
        ("eastern-and-south-eastern-asia",),
        countries=("JP",),
        audiences=("staff",),
        channels=("radio-and-tv",),
    ),
    Spec(
        "unpublished_guide",
        "dugongtwelve",
        "method_guide",
        "never",
        ("web-and-chatbots",),
        ("oceania",),
        channels=("web",),
    ),
    Spec(
        "submission",
        "sifakathirteen",
        "case_study",
        "never",
        ("mobile-apps-and-surveys",),
        ("central-and-southern-asia",),
        countries=("IN",),
        audiences=("business-customers",),
    ),
)
SPEC = {spec.key: spec for spec in SPECS}


def visible_specs(role: str) -> list[Spec]:
    return [spec for spec in SPECS if role in READERS[spec.readers]]


def hidden_specs(role: str) -> list[Spec]:
    return [spec for spec in SPECS if role not in READERS[spec.readers]]


def forbidden_words(role: str) -> tuple[str, ...]:
    """What must never appear in a search response to ``role``: the title words of what it
    may not see, hidden post text and a deleted member's old name; for readers outside the
    members, the members-only case study's body too."""
    words = [spec.word for spec in hidden_specs(role)] + list(ALWAYS_HIDDEN)
    if role not in READERS["members"]:
        words.append(MEMBERS_BODY_MARKER)
    return tuple(words)


@dataclass
class SearchWorld:
    users: dict[str, User | None]
    objects: dict[str, object]
    years: dict[str, int]
    doc_ids: dict[str, str]
    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        if role not in self.clients:
            client = Client()
            if self.users[role] is not None:
                client.force_login(self.users[role])
            self.clients[role] = client
        return self.clients[role]


def _topics_with_parents(slugs) -> list[str]:
    found = []
    for topic in Topic.objects.filter(slug__in=slugs).select_related("parent"):
        if topic.parent is not None:
            found.append(topic.parent.slug)
        found.append(topic.slug)
    return list(dict.fromkeys(found))


def spec_facets(spec: Spec, year: int) -> dict[str, list[str]]:
    """The facet values a document of ``spec`` carries, as the projection documents them:
    topics with their parents, regions with the regions of its countries."""
    countries = list(Country.objects.filter(iso_alpha2__in=spec.countries).select_related("region"))
    regions = list(dict.fromkeys([*spec.regions, *(c.region.slug for c in countries)]))
    return {
        "type": [spec.kind],
        "topic": _topics_with_parents(spec.topics),
        "region": regions,
        "country": [c.slug for c in countries],
        "audience": list(spec.audiences),
        "channel": list(spec.channels),
        "year": [str(year)],
    }


def expected_facets(world: SearchWorld, specs) -> dict[str, dict[str, int]]:
    """{facet: {value: count}} over ``specs`` (values with a count only)."""
    counts: dict[str, Counter] = {}
    for spec in specs:
        for facet, values in spec_facets(spec, world.years[spec.key]).items():
            counts.setdefault(facet, Counter()).update(values)
    return {facet: dict(counter) for facet, counter in counts.items() if counter}


def _submission(owner: User, spec: Spec):
    """The owner's case study, submitted for editorial review through the real form."""
    from kb.models import Submission
    from tests.kb.test_submissions import case_study_data

    client = Client()
    client.force_login(owner)
    response = client.post(
        "/contribute/new/case-study/",
        case_study_data(
            title=spec.title,
            summary=f"Submitted {spec.word} study.",
            topics=[
                str(pk)
                for pk in Topic.objects.filter(slug__in=spec.topics).values_list("pk", flat=True)
            ],
            countries=[str(Country.objects.get(iso_alpha2=c).pk) for c in spec.countries],
            action="submit",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    submission = Submission.objects.get(author=owner)
    assert submission.status == Submission.Status.IN_REVIEW
    return submission


def _page(spec: Spec, **options):
    builder = kb_factories.case_study if spec.kind == "case_study" else kb_factories.method_guide
    return builder(
        title=spec.title,
        summary=f"Summary {spec.word}.",
        topics=spec.topics,
        regions=spec.regions,
        countries=spec.countries,
        audiences=spec.audiences,
        channels=spec.channels,
        **options,
    )


def build_search_world(capture_on_commit) -> SearchWorld:
    """Create the world in two committed steps, as the site would see them: the content, then
    what changes it (a hidden opening post and reply, a suspension, an account deletion, an
    unpublished page). Each step's outbox rows are applied by the task after "commit"
    (``capture_on_commit``: pytest-django's ``django_capture_on_commit_callbacks``)."""
    board = Group.objects.create(name="Water board")
    users: dict[str, User | None] = {
        "visitor": None,
        "member": MemberFactory(display_name="Mina Member"),
        "guest": GuestFactory(display_name="Gus Guest"),
        "moderator": make_moderator(display_name="Mo Moderator"),
        "editor": _privileged({"member", "editor"}),
        "admin": _privileged({"member", "admin"}),
        "suspended": MemberFactory(display_name="Sue Suspended"),
        "group_member": MemberFactory(display_name="Bo Board"),
    }
    users["group_member"].groups.add(board)
    owner = MemberFactory(display_name="Olive Owner")
    former = MemberFactory(display_name=f"{FORMER_NAME_MARKER} Fox")
    public = CategoryFactory(slug="open-water", name="Open water")
    members = CategoryFactory(
        slug="members-well", name="Members well", visibility=Category.Visibility.MEMBERS
    )
    board_room = CategoryFactory(
        slug="board-well",
        name="Board well",
        visibility=Category.Visibility.MEMBERS,
        restricted_to_group=board,
    )
    board_public = CategoryFactory(
        slug="board-notices", name="Board notices", restricted_to_group=board
    )
    categories = {
        "pub_thread": public,
        "suspended_thread": public,
        "former_thread": public,
        "hidden_opening_thread": public,
        "members_thread": members,
        "group_thread": board_room,
        "group_public_thread": board_public,
    }
    authors = {
        "suspended_thread": users["suspended"],
        "former_thread": former,
        "group_thread": users["group_member"],
        "group_public_thread": users["group_member"],
    }
    objects: dict[str, object] = {}

    with capture_on_commit(execute=True):
        for spec in SPECS:
            if spec.key in categories:
                objects[spec.key] = make_thread(
                    category=categories[spec.key],
                    author=authors.get(spec.key, owner),
                    title=spec.title,
                    body=(
                        f"Opening {HIDDEN_OPENING_MARKER} text."
                        if spec.key == "hidden_opening_thread"
                        else f"Opening post of the {spec.word} thread."
                    ),
                    topics=Topic.objects.filter(slug__in=spec.topics),
                    regions=Region.objects.filter(slug__in=spec.regions),
                )
            elif spec.key == "submission":
                objects[spec.key] = _submission(owner, spec)
            elif spec.key == "members_case":
                objects[spec.key] = _page(
                    spec,
                    members_only=True,
                    challenge=f"<p>The {MEMBERS_BODY_MARKER} challenge.</p>",
                )
            else:
                objects[spec.key] = _page(spec, live=spec.key != "draft_case")
        hidden_reply = make_reply(
            objects["pub_thread"], author=owner, body=f"A {HIDDEN_REPLY_MARKER} rumour."
        )
        make_reply(objects["pub_thread"], author=owner, body="A visible reply about leaflets.")

    with capture_on_commit(execute=True):
        post_hide(moderator=users["moderator"], post=hidden_reply, reason="Rumour")
        post_hide(
            moderator=users["moderator"],
            post=objects["hidden_opening_thread"].posts.get(depth=0),
            reason="Rumour",
        )
        member_suspend(actor=users["moderator"], member=users["suspended"], reason="Spam", days=7)
        account_delete(user=former)
        objects["unpublished_guide"].unpublish()

    pending = list(
        IndexOutbox.objects.filter(applied_at__isnull=True).values_list("doc_id", "last_error")
    )
    assert pending == [], f"index outbox rows left pending: {pending}"

    years, doc_ids = {}, {}
    for spec in SPECS:
        obj = objects[spec.key]
        if spec.kind == "thread":
            years[spec.key] = obj.created_at.year
            doc_ids[spec.key] = thread_doc_id(obj.pk)
        else:
            page = obj.page if spec.key == "submission" else obj
            page.refresh_from_db()
            moment = page.first_published_at or page.latest_revision_created_at
            years[spec.key] = moment.year if moment else 0
            doc_ids[spec.key] = page_doc_id(page.pk)
    return SearchWorld(users=users, objects=objects, years=years, doc_ids=doc_ids)
