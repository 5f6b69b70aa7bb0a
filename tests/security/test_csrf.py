"""CSRF (issue 15, item 3): every state-changing endpoint refuses a request without a valid
CSRF token, generated from the URL configuration so a new endpoint cannot be left out.

Each project URL case (``access_world.project_cases``: every pattern, with concrete URLs built
from a world of real objects) is first POSTed *with* a token, as a normal browser would, inside
a rolled-back transaction, to find a role that may use it and whether it accepts POST at all.
Then, with ``Client(enforce_csrf_checks=True)`` signed in as that role, it is sent: a POST with
no CSRF cookie, a POST with the cookie but no token, a POST with a wrong token, a POST with the
right token from a cross-site ``Origin``, and PUT, PATCH and DELETE without a token. Every one
must answer 403 from Django's CSRF check (its ``django.security.csrf`` log record), run no
INSERT, UPDATE or DELETE and send no email. Every pattern of the Wagtail and Django admins gets
the same requests as an admin with a second factor.

The only views that opt out of Django's CSRF check are listed in ``CSRF_EXEMPT`` with the reason;
a new ``csrf_exempt`` view fails ``test_csrf_exempt_views_are_exactly_the_listed_ones``.
"""

import logging
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from members.services.unsubscribe import unsubscribe_token
from tests.security import summary
from tests.security.access_world import build_world, example_path, project_cases, routes

pytestmark = pytest.mark.django_db

CSRF_EXEMPT = {
    # RFC 8058 one-click unsubscribe: a mail client POSTs "List-Unsubscribe=One-Click" with no
    # cookie and no token; the signed, expiring token in the URL is the authority, and a GET
    # only shows a confirm button (members/unsubscribe_views.py).
    "members:unsubscribe": "one-click unsubscribe (RFC 8058)",
    # Wagtail's admin API is Django REST framework: its views are csrf_exempt for Django's
    # middleware because DRF's SessionAuthentication enforces CSRF itself for signed-in
    # sessions. They are still requested below and must refuse without a token.
    **{
        f"wagtailadmin_api:{kind}:{view}": "DRF, checks CSRF itself"
        for kind, views in (
            ("pages", ("listing", "detail", "find", "action")),
            ("documents", ("listing", "detail", "find")),
            ("images", ("listing", "detail", "find")),
        )
        for view in views
    },
}
DRF_CHECKED = {key for key, why in CSRF_EXEMPT.items() if why.startswith("DRF")}

# The order in which roles are tried as "a role allowed to use it": the signed-in roles
# first, the visitor last (sign-in, sign-up and password reset forms are for visitors).
CANDIDATE_ROLES = ("member", "owner", "group_member", "moderator", "editor", "admin", "visitor")
SIGN_IN_PATHS = ("/accounts/login/", "/accounts/reauthenticate/", "/accounts/2fa/")
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
CROSS_SITE = "https://attacker.example"


class _CsrfRefusals(logging.Handler):
    """Counts Django's "Forbidden (CSRF ...)" records."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


@pytest.fixture
def csrf_refusals():
    handler = _CsrfRefusals()
    logger = logging.getLogger("django.security.csrf")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def test_csrf_exempt_views_are_exactly_the_listed_ones():
    exempt = {
        route.key for route in routes() if getattr(route.pattern.callback, "csrf_exempt", False)
    }
    assert exempt == set(CSRF_EXEMPT), (
        f"csrf_exempt views not in CSRF_EXEMPT: {sorted(exempt - set(CSRF_EXEMPT))}; "
        f"listed but no longer exempt: {sorted(set(CSRF_EXEMPT) - exempt)}"
    )


def _tokened_post(world, role: str, path: str):
    """A browser's POST (the test client skips the token check), rolled back."""
    client = world.client(role)
    before = client.cookies.get(settings.SESSION_COOKIE_NAME)
    before = before.value if before else None
    with transaction.atomic():
        response = client.post(path, {})
        transaction.set_rollback(True)
    if before:
        client.cookies[settings.SESSION_COOKIE_NAME] = before
    return response


def _used(response, role: str) -> bool:
    """Whether ``role`` got to use the endpoint (not refused, not sent to sign in)."""
    status = response.status_code
    if status in (200, 201, 204, 400):
        return True
    if status in (301, 302, 303):
        return not response["Location"].startswith(SIGN_IN_PATHS)
    return False


def _allowed_role(world, path: str) -> tuple[str | None, bool]:
    """(a role that may use ``path`` by POST, whether any role's POST is not a 405)."""
    statuses = {}
    for role in CANDIDATE_ROLES:
        response = _tokened_post(world, role, path)
        statuses[role] = response.status_code
        if _used(response, role):
            # A form for visitors answers a signed-in member with a redirect away.
            if role != "visitor" and response.status_code in (301, 302, 303):
                visitor = _tokened_post(world, "visitor", path)
                if visitor.status_code == 200:
                    return "visitor", True
            return role, True
    return None, any(status != 405 for status in statuses.values())


def _enforcing_client(world, role: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    return client


def _forged_requests(world, role: str, path: str) -> list:
    """(label, request) for each request that lacks a valid same-site CSRF token; the clients
    are signed in here, before any request is watched for writes."""
    secret = _get_new_csrf_string()
    other = _get_new_csrf_string()
    bare = _enforcing_client(world, role)
    client = _enforcing_client(world, role)
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    requests = [
        ("POST, no cookie, no token", lambda: bare.post(path, {"x": "1"})),
        ("POST, cookie, no token", lambda: client.post(path, {"x": "1"})),
        ("POST, wrong token", lambda: client.post(path, {"csrfmiddlewaretoken": other})),
        (
            "POST, wrong header token",
            lambda: client.post(path, {}, headers={"X-CSRFToken": other}),
        ),
        (
            "POST, right token, cross-site Origin",
            lambda: client.post(
                path, {"csrfmiddlewaretoken": secret}, headers={"Origin": CROSS_SITE}
            ),
        ),
    ]
    for method in ("put", "patch", "delete"):
        requests.append(
            (f"{method.upper()}, no token", lambda m=method: getattr(client, m)(path, "x=1"))
        )
    return requests


def _check(world, role: str, path: str, csrf_refusals, *, drf: bool = False) -> list[str]:
    """The forged requests to ``path`` as ``role``: each must be a CSRF 403 that changed nothing."""
    failures = []
    for label, request in _forged_requests(world, role, path):
        outbox, refusals = len(mail.outbox), csrf_refusals.count
        with CaptureQueriesContext(connection) as queries:
            response = request()
        where = f"{path} as {role}, {label}"
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
        if writes:
            failures.append(f"{where}: wrote {writes[:3]}")
        if len(mail.outbox) != outbox:
            failures.append(f"{where}: sent an email")
        if drf:  # DRF answers its own CSRF failure, without Django's log record
            by_csrf = b"CSRF Failed" in response.content
        else:
            by_csrf = csrf_refusals.count == refusals + 1
        if response.status_code != 403 or not by_csrf:
            failures.append(
                f"{where}: {response.status_code}"
                + ("" if by_csrf else " (not refused by the CSRF check)")
            )
    return failures


def _resolves_to(path: str, key: str, route_text: str) -> bool:
    match = resolve(urlsplit(path).path)
    return match.view_name == key or match.route == route_text


def test_every_project_endpoint_refuses_requests_without_a_valid_csrf_token(csrf_refusals):
    world = build_world()
    by_key = {route.key: route for route in routes()}
    failures: list[str] = []
    post_cases, post_patterns, cases_checked, requests = 0, set(), 0, 0
    for key, case, path in project_cases(world):
        route = by_key[key]
        if not _resolves_to(path, key, route.route):
            failures.append(f"{case}: {path} does not resolve to {route.route}")
            continue
        if key in CSRF_EXEMPT:
            continue
        role, accepts_post = _allowed_role(world, path)
        if accepts_post:
            post_cases += 1
            post_patterns.add(key)
        before = len(failures)
        failures += _check(world, role or "admin", path, csrf_refusals)
        cases_checked += 1
        requests += 8
        if len(failures) > before and role is None:
            failures.append(f"  ({case}: no role could use it; checked as admin)")
    summary.add("CSRF: project URL patterns that accept POST, checked", len(post_patterns))
    summary.add("CSRF: project URL cases that accept POST, checked", post_cases)
    summary.add("CSRF: project URL cases checked (POST or not)", cases_checked)
    summary.add("CSRF: forged requests sent to project URLs", requests)
    assert post_patterns, "no project endpoint accepted a POST: the probe is broken"
    assert not failures, "\n".join(failures)


def test_every_admin_page_refuses_requests_without_a_valid_csrf_token(csrf_refusals):
    world = build_world()
    admin_routes = [route for route in routes() if route.is_third_party_admin]
    assert len(admin_routes) > 300
    failures: list[str] = []
    for route in admin_routes:
        path = example_path(route, ints=world.members_page.pk)
        failures += _check(world, "admin", path, csrf_refusals, drf=route.key in DRF_CHECKED)
    summary.add("CSRF: admin URL patterns checked (as an admin)", len(admin_routes))
    summary.add("CSRF: forged requests sent to admin URLs", 8 * len(admin_routes))
    assert not failures, "\n".join(failures)


def test_the_one_click_unsubscribe_works_without_a_token_and_a_forged_one_changes_nothing():
    world = build_world()
    owner = world.users["owner"]
    client = Client(enforce_csrf_checks=True)

    forged = client.post("/members/unsubscribe/forged/", {"List-Unsubscribe": "One-Click"})
    owner.profile.refresh_from_db()
    assert forged.status_code == 400
    assert owner.profile.notification_email == "immediate"

    token = unsubscribe_token(user=owner, kind="immediate")
    done = client.post(f"/members/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})
    owner.profile.refresh_from_db()
    assert done.status_code == 200
    assert owner.profile.notification_email != "immediate"
