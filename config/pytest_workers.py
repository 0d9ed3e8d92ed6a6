"""A pytest plugin (loaded by `addopts` in pyproject.toml) for parallel test workers.

`make test` runs the suite in several pytest-xdist workers. Each worker has its own test database
(`test.sqlite3_gw0`, `test_test_gw1`, ...: config/test_databases.py); this gives each its own
Redis database in the same way, so that one worker's flushed cache or channel groups never reach
another's. It runs at import, before Django reads its settings, and rewrites `REDIS_URL` in the
environment, so that the servers a test starts in another process use the same database.
"""

import os
import re

REDIS_DATABASES = 16  # a stock Redis server's `databases`


def worker_redis_url(url: str, worker: str) -> str:
    """`url` moved to the database after its own, one per worker: gw0 takes db+1, gw1 db+2."""
    number = int(worker.removeprefix("gw"))
    match = re.fullmatch(r"(?P<server>redis://[^/]+)(?:/(?P<db>\d+))?", url)
    if match is None:
        raise ValueError(f"REDIS_URL: expected redis://host:port[/db], got {url!r}")
    db = (int(match["db"] or 0) + 1 + number) % REDIS_DATABASES
    return f"{match['server']}/{db}"


_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker and os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = worker_redis_url(os.environ["REDIS_URL"], _worker)
