"""Shared fixtures: a small governance tree and one persona per place in it.

    county center 320722 ── sub-center 320722-XFJD, department 320722-GAJ
      ├─ township T1 (320722901) ── village V11 (grids G111, G112), village V12 (grid G121)
      └─ township T2 (320722902) ── village V21 (grid G211)

Grids are unit squares of 0.01 degrees laid side by side, so edges are shared.
"""

import os
import socket
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from _pytest.runner import runtestprotocol
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import OperationalError, connection, connections, transaction
from django.test import TransactionTestCase
from django.utils import timezone

from config import test_databases
from zhili.core import sharedcache, stamps
from zhili.core.roles import Role
from zhili.orgs.models import Grid, Organization, User
from zhili.orgs.services import GRID_STAMP, tree_path

# --- for tests that start another process (a real server) ------------------------------------


def database_url_for_server() -> str | None:
    """The test database as a URL another process can open, or None (in-memory SQLite)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return None if connection.is_in_memory_db() else f"sqlite:///{db['NAME']}"
    if connection.vendor != "postgresql":
        return None
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{user}{password}@{host}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


T = TypeVar("T")


def wait_until(
    predicate: Callable[[], T],
    timeout: float = 10.0,
    what: str = "",
    *,
    every: float = 0.05,
    pause: Callable[[float], object] = time.sleep,
) -> T:
    """Ask `predicate` every `every` seconds until it answers something true, and return that
    answer; fail naming `what` once `timeout` seconds have passed. The one way tests wait for
    another process or thread: on a condition, never on a bare sleep. (`pause` is for a caller
    whose events only arrive while it is waiting in its own loop, e.g. Playwright's.)"""
    deadline = time.monotonic() + timeout
    while not (answer := predicate()):
        if time.monotonic() >= deadline:
            raise AssertionError(
                f"not within {timeout} s: {what or predicate.__doc__ or predicate}"
            )
        pause(every)
    return answer


PASSWORD = "test-pass-123"

# Every test starts on this working day, with the clock ticking from there, whatever the date
# the suite runs on: later than the fixed moments some tests travel to. Data a test compares
# with "now" must be made under the same clock: the module-wide demo fixtures load inside
# `suite_clock()` and compare with the moment it returns.
TEST_EPOCH = datetime(2026, 11, 26, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Thursday

# ZHILI_TEST_CLOCK=process: no fixed epoch, the tests run on the process clock. CI runs the
# day-sensitive tests (marker `any_day`) that way under Debian's faketime, on chosen dates
# (.ci/run), to prove they hold on any day, not only on the epoch.
PROCESS_CLOCK = os.environ.get("ZHILI_TEST_CLOCK", "") == "process"


@contextmanager
def suite_clock() -> Iterator[datetime]:
    """Stop the clock at the moment the suite's tests start from while the body runs (a demo
    load): everything it makes has one "now", the moment returned."""
    moment = timezone.now() if PROCESS_CLOCK else TEST_EPOCH
    with time_machine.travel(moment, tick=False):
        yield moment


SLOW_MARKERS = ("browser", "video_engines")


@pytest.hookimpl(trylast=True)  # after pytest-django's own order (its database tests first)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The modules with a browser or Janus first, the rest in their order after them.

    `make test` hands whole modules to its workers (xdist's loadfile) in this order; the slow
    modules (a browser test takes seconds, the others milliseconds) sorted last by their paths
    (zhili/web/) left one worker running them alone at the end while the other had finished."""
    slow = {
        item.nodeid.partition("::")[0]
        for item in items
        if any(item.get_closest_marker(name) for name in SLOW_MARKERS)
    }
    items.sort(key=lambda item: item.nodeid.partition("::")[0] not in slow)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("redis") and not os.environ.get("REDIS_URL"):
        pytest.skip("needs Redis: set REDIS_URL (e.g. redis://127.0.0.1:6379/1)")
    if item.get_closest_marker("browser") or "browser" in getattr(item, "fixturenames", ()):
        require_browser()


# Engines a test runs beside that can crash on their own (zhili/video/tests/engines.py registers
# the session's Janus): each check notes in ENGINE_DEATHS how its engine died, if it did, and
# starts it again; an engine stopped with its session notes there a death before the stop.
ENGINE_CHECKS: list[Callable[[], None]] = []
ENGINE_DEATHS: list[str] = []


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> bool | None:
    """A test beside Janus runs again, once, when it failed and Janus died meanwhile.

    Debian's Janus (1.1.2) can crash in a VideoRoom race between a room's destroy and a
    participant's hangup (upstream meetecho/janus-gateway#3154, fixed in later releases; seen
    in two of three full runs on 2026-12-05). The crash is reported as a warning with the end of
    Janus's log, and every test after it on the worker finds Janus started again."""
    if "janus_server" not in getattr(item, "fixturenames", ()):
        return None
    item.ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    reports = runtestprotocol(item, nextitem=nextitem, log=False)
    for check in ENGINE_CHECKS:
        check()
    deaths, ENGINE_DEATHS[:] = list(ENGINE_DEATHS), []
    if deaths:
        again = any(report.failed for report in reports)
        note = " (the test failed and ran again)" if again else ""
        item.warn(pytest.PytestWarning(f"{'; '.join(deaths)}{note}"))
        if again:
            reports = runtestprotocol(item, nextitem=nextitem, log=False)
    for report in reports:
        item.ihook.pytest_runtest_logreport(report=report)
    item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
    return True


# --- browser tests: Playwright drives Debian's chromium, never a downloaded browser -----------

CHROMIUM = "/usr/bin/chromium"


def on_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"true", "1", "yes"}


def require_browser(path: str = CHROMIUM) -> None:
    """The one rule for a browser test without its browser: skipped on a developer's machine,
    failed on CI (CI=true), where a skip would hide that no browser test ran."""
    if os.access(path, os.X_OK):
        return
    if on_ci():
        pytest.fail(
            f"the browser {path} is missing and CI=true: browser tests must run, not be skipped "
            "(install Debian's chromium package: make browser)",
            pytrace=False,
        )
    pytest.skip(f"{path} 不存在：安装 Debian 的 chromium 包")


@pytest.fixture(autouse=True)
def fixed_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    # A test that talks to another process (a server, Redis message expiry) keeps real time.
    real = ("real_clock", "video_engines")
    if PROCESS_CLOCK or any(request.node.get_closest_marker(name) for name in real):
        yield
        return
    with time_machine.travel(TEST_EPOCH, tick=True):
        yield


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    # The default PBKDF2 costs ~0.3 s per password; the personas alone would take seconds.
    # PBKDF2 stays listed so that hashes made outside the test (the demo data) still verify.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_modify_db_settings: None,
) -> None:
    """pytest-django's, with the test database copied from a template migrated once
    (config/test_databases.py) and kept after the run."""
    from pytest_django.fixtures import _get_databases_for_setup

    aliases, serialized = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        for alias in sorted(aliases):
            if test_databases.supported(connections[alias]):
                test_databases.prepare(connections[alias], alias in serialized)
            else:
                connections[alias].creation.create_test_db(
                    verbosity=0, autoclobber=True, serialize=alias in serialized
                )


# Tables a transactional test leaves as they are: what migrate made and nothing deletes
# (Django's flush truncates them too, then rebuilds them in its post_migrate signal).
KEPT_ROWS = frozenset({"django_migrations", "django_content_type", "auth_permission"})
_flush = TransactionTestCase._fixture_teardown
_tables: dict[str, list[str]] = {}


# The rows the data migrations made (the default standards, warning rules ...), copied once per
# session right after migrate into tables of their own, and put back after every transactional
# test: such a test empties every table, and a test after it on the same worker would find no
# standards where every real database has them.
SEED_PREFIX = "zz_seed_"
_seeded: dict[str, list[str]] = {}


def _snapshot_seeded(alias: str) -> None:
    db = connections[alias]
    names = db.introspection.django_table_names(only_existing=True, include_views=False)
    _tables[alias] = sorted(set(names) - KEPT_ROWS)
    quote = db.ops.quote_name
    seeded = []
    with db.cursor() as cursor:
        for table in _tables[alias]:
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")  # noqa: S608 (model tables)
            if cursor.fetchone() is None:
                continue
            copy = quote(SEED_PREFIX + table)
            cursor.execute(f"DROP TABLE IF EXISTS {copy}")
            cursor.execute(f"CREATE TABLE {copy} AS SELECT * FROM {quote(table)}")  # noqa: S608
            seeded.append(table)
    _seeded[alias] = seeded


def _empty_tables(test: TransactionTestCase) -> None:
    """After a transactional test (a browser, a live server, other processes): every table
    emptied with DELETE, in one transaction, the content types and permissions kept and the
    data migrations' rows put back (`_snapshot_seeded`).

    Django's flush instead truncates every table and then re-creates the content types and
    permissions: 2-9 s a test on PostgreSQL (TRUNCATE of 95 tables and the post_migrate
    signal, measured 2026-12-04), against 0.1 s for these DELETEs. The foreign keys are
    deferred (Django makes them so), so the order of the tables does not matter."""
    if test.available_apps is not None or test.serialized_rollback:
        _flush(test)
        return
    for alias in test._databases_names(include_mirrors=False):
        db = connections[alias]
        if alias not in _tables:
            names = db.introspection.django_table_names(only_existing=True, include_views=False)
            _tables[alias] = sorted(set(names) - KEPT_ROWS)
        # A server the test started may still be writing (a page's last beat, a Janus event):
        # PostgreSQL then may pick these DELETEs as a deadlock's victim (seen 2026-12-05 on
        # rooms_presence at load 18), and the next test would find this one's rows.
        for attempt in range(1, 6):
            try:
                _delete_all(alias)
                break
            except OperationalError as exc:
                if "deadlock" not in str(exc) or attempt == 5:
                    raise
                time.sleep(0.2 * attempt)


def _delete_all(alias: str) -> None:
    db = connections[alias]
    quote = db.ops.quote_name
    with transaction.atomic(using=alias), db.cursor() as cursor:
        for table in _tables[alias]:
            cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 (model tables)
        for table in _seeded.get(alias, ()):
            copy = quote(SEED_PREFIX + table)
            cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM {copy}")  # noqa: S608


@pytest.fixture(scope="session", autouse=True)
def quick_flush(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        _snapshot_seeded("default")
    with mock.patch.object(TransactionTestCase, "_fixture_teardown", _empty_tables):
        yield


def reset_caches() -> None:
    """Empty the in-process caches that follow a ChangeStamp (grid index, holidays) and the
    cache backend (django-axes and throttles read it): a test's rolled-back rows must not
    survive into the next test."""
    for caches in stamps._caches.values():
        for stamped in caches:
            stamped._value = None
            stamped.invalidate()
    cache.clear()
    sharedcache.reset()


@pytest.fixture(autouse=True)
def fresh_caches() -> Iterator[None]:
    reset_caches()
    yield
    reset_caches()


def square(lng: float, lat: float, size: float = 0.01) -> dict[str, Any]:
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def make_org(
    code: str, name: str, kind: str, level: str, parent: Organization | None
) -> Organization:
    path = tree_path(parent, code)
    return Organization.objects.create(
        code=code,
        name=name,
        area_name=name,
        kind=kind,
        level=level,
        parent=parent,
        path=path,
        depth=path.count("/") - 2,
    )


def make_grid(code: str, village: Organization, lng: float, lat: float) -> Grid:
    return Grid.objects.create(
        code=code,
        name=f"{village.name}{code[-1]}号网格",
        village=village,
        geometry=square(lng, lat),
        min_lng=lng,
        min_lat=lat,
        max_lng=lng + 0.01,
        max_lat=lat + 0.01,
    )


class Tree:
    """Attribute access to the fixture tree: tree.county, tree.t1, tree.v11, tree.g111 ..."""

    def __init__(self, **nodes: Any):
        self.__dict__.update(nodes)


@pytest.fixture
def tree(db: Any) -> Tree:
    county = make_org("320722", "东海县综治中心", "center", "county", None)
    xfjd = make_org("320722-XFJD", "信访接待中心", "subcenter", "county", county)
    gaj = make_org("320722-GAJ", "公安局", "department", "county", county)
    t1 = make_org("320722901", "甲镇综治中心", "center", "township", county)
    t2 = make_org("320722902", "乙乡综治中心", "center", "township", county)
    v11 = make_org("320722901001", "甲一村", "center", "village", t1)
    v12 = make_org("320722901002", "甲二村", "center", "village", t1)
    v21 = make_org("320722902001", "乙一村", "center", "village", t2)
    nodes = dict(county=county, xfjd=xfjd, gaj=gaj, t1=t1, t2=t2, v11=v11, v12=v12, v21=v21)
    nodes["g111"] = make_grid("32072290100101", v11, 118.70, 34.50)
    nodes["g112"] = make_grid("32072290100102", v11, 118.71, 34.50)
    nodes["g121"] = make_grid("32072290100201", v12, 118.72, 34.50)
    nodes["g211"] = make_grid("32072290200101", v21, 118.70, 34.51)
    stamps.bump(GRID_STAMP)
    return Tree(**nodes)


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    def make(username: str, org: Organization | None, *roles: str, **fields: Any) -> User:
        fields.setdefault("full_name", username)
        user = User.objects.create_user(
            username=username, password=PASSWORD, organization=org, **fields
        )
        user.groups.set([Group.objects.get_or_create(name=r)[0] for r in roles])
        return user

    return make


@pytest.fixture
def personas(tree: Tree, make_user: Callable[..., User]) -> Tree:
    """One user per kind of place: the keys used by the scope matrix tests."""
    return Tree(
        admin=make_user("admin", tree.county, Role.ADMIN),
        leader=make_user("leader", tree.county, Role.COUNTY_LEADER),
        dispatcher=make_user("dispatcher", tree.county, Role.DISPATCHER),
        petition=make_user("petition", tree.xfjd, Role.PETITION_OFFICER),
        police=make_user("police", tree.gaj, Role.DEPARTMENT_HANDLER),
        township=make_user("township", tree.t1, Role.TOWNSHIP_OFFICER),
        village=make_user("village", tree.v11, Role.VILLAGE_OFFICER),
        gridworker=make_user("gridworker", tree.v11, Role.GRID_WORKER),
        outsider=make_user("outsider", None),
    )
