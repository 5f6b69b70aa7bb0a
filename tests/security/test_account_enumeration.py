"""Sign-in, sign-up and password reset reveal nothing about whether an account exists.

For an email that has an account and one that has none, each form answers with the same
status, the same redirect and the same page (once the echoed email and the CSRF tokens are
normalised), and costs the same number of password hashes: a counting PBKDF2 hasher
(tests/security/hashers.py) is the only hasher, so every hash a request computes is counted.
A password hash is the only step whose cost is large enough to time over the network; equal
counts mean no measurable timing difference, without a clock.

The sign-up of an existing email used to skip password hashing (allauth only sends the
"account already exists" mail), one hash (~0.3 s with production PBKDF2) faster than a new
account; the account adapter now hashes a throwaway password on that path (members.adapters).
One coarse timing check remains on that path: the medians of interleaved samples differ by
less than half of one hash, far above the noise of a request and far below the leak.
"""

import re
import statistics
import time

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from tests.factories.members import UserFactory
from tests.security import summary
from tests.security.hashers import CountingPBKDF2PasswordHasher

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"
EXISTING = "known.member@example.org"
TIMING_SAMPLES = 7
_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')


@pytest.fixture
def counting_hasher(settings):
    # The only hasher: Django picks the hasher of a stored hash by its algorithm name, so a
    # second pbkdf2_sha256 hasher in the list would verify uncounted.
    settings.PASSWORD_HASHERS = ["tests.security.hashers.CountingPBKDF2PasswordHasher"]
    CountingPBKDF2PasswordHasher.reset()
    return CountingPBKDF2PasswordHasher


@pytest.fixture
def cheap_hashes(counting_hasher, monkeypatch):
    """The counts do not depend on the cost of a hash; keep the counting tests fast."""
    monkeypatch.setattr(counting_hasher, "iterations", 1_000)
    return counting_hasher


@pytest.fixture
def existing(counting_hasher):
    return UserFactory(email=EXISTING, password=PASSWORD)


def sign_up(client, email):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def sign_in(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": "wrong " + PASSWORD})


def reset(client, email):
    return client.post(reverse("account_reset_password"), {"email": email})


def normalised(response, email):
    body = response.content.decode()
    body = body.replace(email, "EMAIL")
    return response.status_code, response.get("Location", ""), _CSRF.sub(r"\1TOKEN\2", body)


FORMS = {"sign-up": sign_up, "sign-in": sign_in, "password reset": reset}


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_the_answer_is_the_same_for_an_existing_and_an_unknown_email(
    client, cheap_hashes, existing, form
):
    unknown = "nobody.here@example.org"
    known_answer = normalised(form(client, EXISTING), EXISTING)
    client.cookies.clear()
    unknown_answer = normalised(form(client, unknown), unknown)
    assert unknown_answer[:2] == known_answer[:2]
    assert unknown_answer[2] == known_answer[2]
    summary.add("account enumeration: forms compared (existing vs unknown email)", 1)


def hashes_computed(client, hasher, form, email):
    client.cookies.clear()
    hasher.reset()
    form(client, email)
    return hasher.computed


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_an_existing_email_costs_as_many_password_hashes_as_an_unknown_one(
    client, cheap_hashes, existing, counting_hasher, form
):
    known = hashes_computed(client, counting_hasher, form, EXISTING)
    unknown = hashes_computed(client, counting_hasher, form, "nobody.here@example.org")
    summary.add("account enumeration: hash counts compared (existing vs unknown email)", 1)
    assert known == unknown, f"{form.__name__}: existing {known} hashes, unknown {unknown}"


def test_signing_in_with_an_unknown_email_still_hashes_the_password(
    client, cheap_hashes, existing, counting_hasher
):
    # Both backends hash for an unknown user (Django's ModelBackend hashes a throwaway
    # password, allauth's backend "mitigates the timing attack" the same way), as both
    # check the password of a known one: a wrong password costs one hash per backend.
    from django.conf import settings

    backends = len(settings.AUTHENTICATION_BACKENDS)
    unknown = hashes_computed(client, counting_hasher, sign_in, "nobody.here@example.org")
    assert unknown == backends
    assert counting_hasher.verified == 0  # no stored hash was checked: the hashes were dummies
    known = hashes_computed(client, counting_hasher, sign_in, EXISTING)
    assert known == backends
    assert counting_hasher.verified == backends


def test_signing_up_hashes_one_password_for_a_new_and_an_existing_email(
    client, cheap_hashes, existing, counting_hasher
):
    assert hashes_computed(client, counting_hasher, sign_up, "new.member@example.org") == 1
    assert hashes_computed(client, counting_hasher, sign_up, EXISTING) == 1


def median_ms(samples):
    return statistics.median(samples) * 1000


def timed(call):
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def test_signing_up_with_an_existing_email_takes_as_long_as_with_a_new_one(client, existing):
    """Coarse: a skipped hash is a whole hash; the tolerance is half of one."""
    numbers = iter(range(1000))

    def fresh():
        return f"timing-{next(numbers)}@example.org"

    sign_up(client, EXISTING), sign_up(client, fresh())  # warm templates and the hasher
    known, unknown, one_hash = [], [], []
    for index in range(TIMING_SAMPLES):
        client.cookies.clear()
        pair = [("known", EXISTING), ("unknown", fresh())]
        if index % 2:
            pair.reverse()  # alternate the order so drift on the machine hits both alike
        for kind, email in pair:
            duration = timed(lambda email=email: sign_up(client, email))
            (known if kind == "known" else unknown).append(duration)
        one_hash.append(timed(lambda: make_password(PASSWORD)))
    difference = abs(median_ms(known) - median_ms(unknown))
    tolerance = median_ms(one_hash) / 2
    summary.add("account enumeration: timed sign-up requests", 2 * TIMING_SAMPLES)
    assert difference < tolerance, (
        f"existing {median_ms(known):.1f} ms, new {median_ms(unknown):.1f} ms,"
        f" tolerance {tolerance:.1f} ms (half of one hash)"
    )
