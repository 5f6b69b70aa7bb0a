"""Run inside a system's own Python (ours or a peer's virtualenv), after ``django.setup()``.

    python inprocess.py queries --user-field username --user bench-member URL...
        -> JSON {"cookie": "sessionid=...", "queries": {URL: {"anonymous": n, "member": n}}}

SQL queries are counted with the Django test client and ``CaptureQueriesContext``, after two
warm-up requests per URL (the steady state of a worker that has served the page before, as
under load). Standalone: it imports nothing from the hub, so a peer's virtualenv can run it.
"""

import argparse
import json
import os
import sys


def count_queries(client, url: str, *, repeat: int = 3) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    count = -1
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        count = len(queries)
    return count


def main() -> None:
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["queries"])
    parser.add_argument("--user-field", default="username")
    parser.add_argument("--user", required=True)
    parser.add_argument("urls", nargs="+")
    args = parser.parse_args()

    user = get_user_model().objects.get(**{args.user_field: args.user})
    anonymous, member = Client(), Client()
    member.force_login(user)
    out = {"queries": {}}
    for url in args.urls:
        out["queries"][url] = {
            "anonymous": count_queries(anonymous, url),
            "member": count_queries(member, url),
        }
    # A fresh session for the load loop (the test client's one is in the same database).
    server_client = Client()
    server_client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    out["cookie"] = f"{name}={server_client.cookies[name].value}"
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
