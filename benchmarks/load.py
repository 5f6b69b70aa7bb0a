"""The load loop: ``concurrency`` threads, each sending GET requests over http.client.

A new connection per request (gunicorn's sync workers close them anyway), so every system is
measured the same way. The first ``warmup`` requests are sent and discarded; then ``requests``
are timed from the request to the last byte of the body. Any status other than 200, and any
connection error, counts as an error (and is not timed).
"""

import http.client
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from benchmarks.stats import median, percentile


@dataclass
class LoadResult:
    url: str
    timings_ms: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    elapsed_s: float = 0.0
    body_bytes: int = 0

    @property
    def requests(self) -> int:
        return len(self.timings_ms) + self.errors

    @property
    def p50(self) -> float:
        return median(self.timings_ms)

    @property
    def p95(self) -> float:
        return percentile(self.timings_ms, 0.95)

    @property
    def rps(self) -> float:
        return self.requests / self.elapsed_s if self.elapsed_s else 0.0


def fetch(url: str, *, cookie: str = "", timeout: float = 30.0) -> tuple[int, bytes, dict]:
    """One GET: (status, body, headers lower-cased)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    headers = {"Host": parts.netloc, "Accept": "text/html", "Accept-Language": "en"}
    if cookie:
        headers["Cookie"] = cookie
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("GET", path or "/", headers=headers)
        response = connection.getresponse()
        body = response.read()
        return response.status, body, {k.lower(): v for k, v in response.getheaders()}
    finally:
        connection.close()


def run_load(
    url: str, *, requests: int, concurrency: int = 2, warmup: int = 10, cookie: str = ""
) -> LoadResult:
    """Send ``warmup`` then ``requests`` GETs to ``url`` from ``concurrency`` threads."""
    for _ in range(warmup):
        try:
            fetch(url, cookie=cookie)
        except OSError:
            pass
    result = LoadResult(url=url)
    lock = threading.Lock()
    remaining = [requests]

    def worker() -> None:
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            started = time.perf_counter()
            try:
                status, body, _ = fetch(url, cookie=cookie)
            except OSError:
                with lock:
                    result.errors += 1
                continue
            took = (time.perf_counter() - started) * 1000
            with lock:
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status == 200:
                    result.timings_ms.append(took)
                    result.body_bytes = len(body)
                else:
                    result.errors += 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.elapsed_s = time.perf_counter() - started
    return result
