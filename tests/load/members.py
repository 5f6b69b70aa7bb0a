"""Simulated members: one thread each, with its own ``requests`` session (cookies, CSRF).

A member signs in through the real sign-in form, then until the deadline (or its request
budget) picks an action by weight, times it from the request to the last byte of the answer
and waits a short think time. Every action knows what success looks like (status 200, JSON
where the page's script would ask for JSON); anything else, a connection error or a timeout
included, is an error with its detail kept. The replies the server accepted are kept with their
unique markers so the test can look for each one afterwards.
"""

import random
import re
import threading
import time
import uuid
from dataclasses import dataclass, field

import requests

REQUEST_TIMEOUT = 60.0
THINK_SECONDS = (0.2, 1.0)
ACTIONS = (
    # (endpoint, weight)
    ("forum home", 10),
    ("category", 10),
    ("thread", 20),
    ("kb page", 10),
    ("search page", 8),
    ("search api", 8),
    ("reply", 14),
    ("vote", 10),
    ("follow", 5),
    ("unfollow", 5),
)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Record:
    endpoint: str
    ok: bool
    ms: float
    detail: str = ""


@dataclass
class RunLog:
    """What every member did, shared between threads (append under the lock)."""

    records: list[Record] = field(default_factory=list)
    written: list[dict] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, record: Record, written: dict | None = None) -> None:
        with self.lock:
            self.records.append(record)
            if written is not None:
                self.written.append(written)


class SimulatedMember:
    def __init__(self, *, base_url: str, email: str, password: str, seed: dict, log: RunLog):
        self.base_url = base_url
        self.email = email
        self.password = password
        self.seed = seed
        self.log = log
        self.session = requests.Session()
        self.session.headers["Accept-Language"] = "en"
        self.random = random.Random(email)
        self.replies = 0

    # ---- one request, timed and judged ----

    def _call(self, endpoint: str, method: str, path: str, *, expect_json=False, **kwargs):
        headers = kwargs.pop("headers", {})
        if method == "POST":
            headers["X-CSRFToken"] = self.session.cookies.get("csrftoken", "")
        if expect_json:
            headers["Accept"] = "application/json"
        started = time.perf_counter()
        try:
            response = self.session.request(
                method,
                self.base_url + path,
                headers=headers,
                timeout=REQUEST_TIMEOUT,
                allow_redirects=False,
                **kwargs,
            )
            body = response.content
        except requests.RequestException as error:
            took = (time.perf_counter() - started) * 1000
            self.log.add(Record(endpoint, False, took, f"{method} {path}: {error!r}"))
            return None
        took = (time.perf_counter() - started) * 1000
        ok = response.status_code == 200
        payload = None
        if ok and expect_json:
            try:
                payload = response.json()
            except ValueError:
                ok = False
        detail = "" if ok else f"{method} {path}: {response.status_code} {body[:200]!r}"
        return response, payload, ok, took, detail

    def _record(self, endpoint, method, path, **kwargs):
        answer = self._call(endpoint, method, path, **kwargs)
        if answer is None:
            return None
        response, payload, ok, took, detail = answer
        self.log.add(Record(endpoint, ok, took, detail))
        return payload if ok else None

    # ---- the member's actions ----

    def sign_in(self) -> bool:
        form = self.session.get(self.base_url + "/accounts/login/", timeout=REQUEST_TIMEOUT)
        match = CSRF_INPUT.search(form.text)
        started = time.perf_counter()
        try:
            response = self.session.post(
                self.base_url + "/accounts/login/",
                data={
                    "login": self.email,
                    "password": self.password,
                    "csrfmiddlewaretoken": match.group(1) if match else "",
                },
                headers={"Referer": self.base_url + "/accounts/login/"},
                timeout=REQUEST_TIMEOUT,
                allow_redirects=False,
            )
        except requests.RequestException as error:
            self.log.add(Record("sign in", False, 0.0, repr(error)))
            return False
        took = (time.perf_counter() - started) * 1000
        ok = response.status_code == 302 and "sessionid" in self.session.cookies
        detail = "" if ok else f"sign in {self.email}: {response.status_code}"
        self.log.add(Record("sign in", ok, took, detail))
        return ok

    def _thread(self) -> dict:
        return self.random.choice(self.seed["threads"])

    def forum_home(self):
        self._record("forum home", "GET", "/forum/")

    def category(self):
        self._record("category", "GET", self.random.choice(self.seed["categories"])["url"])

    def thread(self):
        self._record("thread", "GET", self._thread()["url"])

    def kb_page(self):
        self._record("kb page", "GET", self.random.choice(self.seed["kb_urls"]))

    def search_page(self):
        word = self.random.choice(self.seed["search_words"])
        self._record("search page", "GET", "/search/", params={"q": word})

    def search_api(self):
        word = self.random.choice(self.seed["search_words"])
        self._record("search api", "GET", "/api/search/", params={"q": word}, expect_json=True)

    def reply(self):
        thread = self._thread()
        self.replies += 1
        marker = f"zqload{uuid.uuid4().hex[:12]}"
        body = f"Reply {self.replies} from {self.email.split('@')[0]}: {marker} worked for us."
        answer = self._call(
            "reply",
            "POST",
            f"/forum/t/{thread['id']}/reply/",
            data={"body": body, "submission_key": str(uuid.uuid4())},
            expect_json=True,
        )
        if answer is None:
            return
        response, payload, ok, took, detail = answer
        if ok and not isinstance(payload, dict) or ok and "id" not in payload:
            ok, detail = False, f"reply answered {payload!r}"
        written = (
            {"marker": marker, "post_id": payload["id"], "thread_id": thread["id"]} if ok else None
        )
        self.log.add(Record("reply", ok, took, detail), written)

    def vote(self):
        post_id = self.random.choice(self.seed["votable_post_ids"])
        value = self.random.choice(("up", "up", "down", "clear"))
        self._record(
            "vote", "POST", f"/forum/p/{post_id}/vote/", data={"value": value}, expect_json=True
        )

    def _follow_target(self) -> tuple[str, int]:
        if self.random.random() < 0.7:
            return "thread", self._thread()["id"]
        return "category", self.random.choice(self.seed["categories"])["id"]

    def follow(self):
        kind, pk = self._follow_target()
        self._record("follow", "POST", f"/forum/follow/{kind}/{pk}/", expect_json=True)

    def unfollow(self):
        kind, pk = self._follow_target()
        self._record("unfollow", "POST", f"/forum/unfollow/{kind}/{pk}/", expect_json=True)

    # ---- the loop ----

    def run(self, *, deadline: float, max_requests: int) -> None:
        if not self.sign_in():
            return
        names = [name for name, _ in ACTIONS]
        weights = [weight for _, weight in ACTIONS]
        actions = {name: getattr(self, name.replace(" ", "_")) for name in names}
        for _ in range(max_requests):
            if time.monotonic() >= deadline:
                return
            actions[self.random.choices(names, weights)[0]]()
            time.sleep(self.random.uniform(*THINK_SECONDS))


def run_members(
    *, base_url: str, seed: dict, seconds: float, max_requests_per_member: int
) -> RunLog:
    """Run every seeded member in its own thread until ``seconds`` have passed; each member
    stops after ``max_requests_per_member`` actions too, so the run is bounded both ways."""
    log = RunLog()
    deadline = time.monotonic() + seconds
    members = [
        SimulatedMember(
            base_url=base_url,
            email=member["email"],
            password=seed["password"],
            seed=seed,
            log=log,
        )
        for member in seed["members"]
    ]
    threads = [
        threading.Thread(
            target=member.run,
            kwargs={"deadline": deadline, "max_requests": max_requests_per_member},
            name=f"load-{member.email}",
        )
        for member in members
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + REQUEST_TIMEOUT * 2)
    return log


def thread_page_markers(*, base_url: str, email: str, password: str, seed: dict) -> str:
    """Every page of every seeded thread in the oldest-first view, as one member sees them
    (the text of all pages joined), to look for each written marker."""
    member = SimulatedMember(
        base_url=base_url, email=email, password=password, seed=seed, log=RunLog()
    )
    if not member.sign_in():
        raise AssertionError(f"{email} could not sign in to read the threads back")
    texts = []
    for thread in seed["threads"]:
        page = 1
        while True:
            response = member.session.get(
                base_url + thread["url"],
                params={"view": "chronological", "page": page},
                timeout=REQUEST_TIMEOUT,
            )
            assert response.status_code == 200, (thread["url"], page, response.status_code)
            texts.append(response.text)
            if f"page={page + 1}" not in response.text:
                break
            page += 1
    return "\n".join(texts)
