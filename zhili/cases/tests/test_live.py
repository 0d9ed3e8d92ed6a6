"""Live updates: a dispatch reaches the WebSocket of the target unit, in one process (the
in-memory channel layer) and across two processes through Redis (the real server, started
with `zhili serve`).

WebSocket tests use transactional databases: the consumer reads the session and the user
through database_sync_to_async on another connection, and pushes go out on commit.
"""

import asyncio
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.contrib.auth.hashers import make_password
from django.test import Client
from redis.exceptions import ConnectionError as RedisConnectionError

from config.asgi import application
from zhili.cases import live
from zhili.cases.models import State
from zhili.cases.services import case_act
from zhili.conftest import PASSWORD, database_url_for_server, free_port, wait_until
from zhili.core import live as core_live
from zhili.core.roles import Role
from zhili.web.consumers import groups_for_user

IN_MEMORY = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
ORIGIN = (b"origin", b"http://testserver")
ROOT = Path(__file__).resolve().parents[3]

live_db = pytest.mark.django_db(transaction=True)


@pytest.fixture
def memory_layer(settings: Any) -> None:
    # Hermetic: with REDIS_URL set the suite's layer is Redis, shared with other test runs.
    settings.CHANNEL_LAYERS = IN_MEMORY


def session_cookie(user: Any) -> tuple[bytes, bytes]:
    client = Client()
    client.force_login(user, backend="zhili.orgs.auth.StaffBackend")
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return (b"cookie", f"{django_settings.SESSION_COOKIE_NAME}={key}".encode())


def communicator(user: Any = None) -> WebsocketCommunicator:
    headers = [ORIGIN] + ([session_cookie(user)] if user is not None else [])
    return WebsocketCommunicator(application, "/ws/cases/", headers=headers)


async def closed_with(comm: WebsocketCommunicator) -> int:
    connected, _ = await comm.connect()
    assert connected  # accepted, then closed, so that the browser sees the code
    output = await comm.receive_output(timeout=1)
    assert output["type"] == "websocket.close"
    return output["code"]


def test_message_carries_the_chinese_label_and_title(register, memory_layer):
    case = register()
    payload = live.message(case, "dispatch")
    assert payload["label"] == "派单"
    assert payload["title"] == "夜间施工噪音"
    assert live.message(case, "register")["label"] == "受理"
    assert live.message(case, "return")["label"] == "退回"


@live_db
def test_anonymous_socket_is_closed_with_4401(tree, memory_layer):
    assert async_to_sync(closed_with)(communicator()) == 4401


@live_db
def test_user_without_a_unit_is_closed_with_4403(staff, memory_layer):
    assert async_to_sync(closed_with)(communicator(staff.outsider)) == 4403


@live_db
def test_a_dispatch_reaches_the_target_unit_only(register, staff, rules, catalog, memory_layer):
    case = register(category=catalog.lamp)  # routed to 住建局
    assert case.suggested_unit == rules.zjj
    target, other = communicator(staff.zjj_handler), communicator(staff.cgj_handler)
    county = communicator(staff.leader)  # county-wide: the root's group hears everything

    async def scenario() -> None:
        for comm in (target, other, county):
            connected, _ = await comm.connect()
            assert connected
        await database_sync_to_async(case_act)(actor=staff.dispatcher, case=case, action="dispatch")
        for comm in (target, county):
            got = await comm.receive_json_from(timeout=1)
            assert got["type"] == "case.update"
            assert got["case_no"] == case.case_no
            assert got["action"] == "dispatch"
            assert got["label"] == "派单"
            assert got["state"] == State.DISPATCHED
            assert got["lead_unit"] == rules.zjj.code
        assert await other.receive_nothing(timeout=0.2)
        for comm in (target, other, county):
            await comm.disconnect()

    async_to_sync(scenario)()


@live_db
def test_a_return_reaches_the_unit_it_left_and_the_dispatcher(
    register, staff, rules, catalog, memory_layer
):
    case = register(category=catalog.lamp)
    case = case_act(actor=staff.dispatcher, case=case, action="dispatch")
    unit, dispatcher = communicator(staff.zjj_handler), communicator(staff.dispatcher)

    async def scenario() -> None:
        for comm in (unit, dispatcher):
            assert (await comm.connect())[0]
        await database_sync_to_async(case_act)(
            actor=staff.zjj_handler, case=case, action="return", reason="不属于本单位职责"
        )
        for comm in (unit, dispatcher):
            got = await comm.receive_json_from(timeout=1)
            assert (got["action"], got["label"], got["lead_unit"]) == ("return", "退回", "")
            await comm.disconnect()

    async_to_sync(scenario)()


@live_db
def test_nothing_is_pushed_when_the_transaction_rolls_back(
    register, staff, rules, catalog, memory_layer
):
    case = register(category=catalog.lamp)
    target = communicator(staff.zjj_handler)

    def dispatch_then_fail() -> None:
        from django.db import transaction

        with pytest.raises(RuntimeError), transaction.atomic():
            case_act(actor=staff.dispatcher, case=case, action="dispatch")
            raise RuntimeError("rolled back")

    async def scenario() -> None:
        assert (await target.connect())[0]
        await database_sync_to_async(dispatch_then_fail)()
        assert await target.receive_nothing(timeout=0.2)
        await target.disconnect()

    async_to_sync(scenario)()


@live_db
def test_a_push_to_one_user_reaches_that_users_pages_only_as_it_was_sent(
    staff, rules, make_user, memory_layer
):
    """Any message, whatever its type, goes to the browser as it is: a dispatch to one
    handheld reaches that user's sockets and no colleague's."""
    colleague_user = make_user("zjj2", rules.zjj, Role.DEPARTMENT_HANDLER)
    mine, colleague = communicator(staff.zjj_handler), communicator(colleague_user)
    message = {"type": "forces.dispatch", "number": "ZH1", "title": "现场处置"}

    async def scenario() -> None:
        for comm in (mine, colleague):
            assert (await comm.connect())[0]
        await database_sync_to_async(core_live.push)(
            [core_live.user_group(staff.zjj_handler.pk)], message
        )
        assert await mine.receive_json_from(timeout=1) == message
        assert await colleague.receive_nothing(timeout=0.2)
        for comm in (mine, colleague):
            await comm.disconnect()

    async_to_sync(scenario)()


# --- a channel layer that is down -------------------------------------------------------------


class DeadLayer:
    """A channel layer whose Redis is gone: every send fails; it counts the attempts."""

    def __init__(self) -> None:
        self.attempts = 0

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        self.attempts += 1
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.fixture
def dead_layer(monkeypatch: pytest.MonkeyPatch) -> Iterator[DeadLayer]:
    layer = DeadLayer()
    monkeypatch.setattr(core_live, "get_channel_layer", lambda: layer)
    core_live.layer_outage.reset()
    yield layer
    core_live.layer_outage.reset()


GROUPS = core_live.groups_for("/320722/320722901/320722901001/", "/320722/320722-GAJ/")


def test_a_push_stops_at_the_first_failure_and_logs_the_outage_once(dead_layer, caplog):
    assert len(GROUPS) == 4
    core_live.push(GROUPS, {"type": "case.update", "case_no": "DH1"})
    assert dead_layer.attempts == 1  # not once per group
    core_live.push(GROUPS, {"type": "case.update", "case_no": "DH2"})
    assert dead_layer.attempts == 1  # within the pause, Redis is not tried again
    warnings = [r for r in caplog.records if r.name == "zhili.core.live"]
    assert [r.levelname for r in warnings] == ["ERROR", "WARNING"]  # a traceback, then the outage
    assert "channel layer unreachable" in warnings[1].getMessage()


def test_a_redis_that_never_answers_holds_a_push_no_longer_than_its_bound(
    dead_layer, monkeypatch, caplog
):
    async def group_send(group: str, message: dict[str, Any]) -> None:
        dead_layer.attempts += 1
        await asyncio.sleep(60)  # accepted, never answered: the layer's 15 s read timeout

    monkeypatch.setattr(dead_layer, "group_send", group_send)
    monkeypatch.setattr(core_live, "PUSH_TIMEOUT", 0.2)
    started = time.monotonic()
    core_live.push(GROUPS, {"type": "case.update", "case_no": "DH1"})
    assert time.monotonic() - started < 2
    assert dead_layer.attempts == 1
    assert core_live.layer_outage.down
    assert "channel layer unreachable (TimeoutError" in caplog.text


def test_pushes_resume_when_the_layer_answers_again(dead_layer, monkeypatch, caplog):
    monkeypatch.setattr(core_live.layer_outage, "pause", 0)
    core_live.push(GROUPS, {"type": "case.update", "case_no": "DH1"})
    core_live.push(GROUPS, {"type": "case.update", "case_no": "DH2"})
    assert dead_layer.attempts == 2  # pause over: tried again, once
    sent: list[str] = []

    async def group_send(group: str, message: dict[str, Any]) -> None:
        sent.append(group)

    monkeypatch.setattr(dead_layer, "group_send", group_send)
    core_live.push(GROUPS, {"type": "case.update", "case_no": "DH3"})
    assert sent == GROUPS
    assert not core_live.layer_outage.down
    assert "channel layer answers again" in caplog.text


# --- two processes, through Redis ---------------------------------------------------------------


def redis_url() -> str:
    """The suite's Redis: tests that need it are marked `redis`, skipped without REDIS_URL."""
    return os.environ["REDIS_URL"]


def redis_reachable(url: str) -> bool:
    parsed = urllib.parse.urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), 0.5):
            return True
    except OSError:
        return False


def wait_healthy(base: str, server: subprocess.Popen, timeout: float = 30) -> None:
    def healthy() -> bool:
        if server.poll() is not None:
            raise AssertionError(f"server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:  # noqa: S310
                return answer.status == 200
        except OSError:
            return False

    wait_until(healthy, timeout, f"the server at {base} is healthy", every=0.2)


class Server(str):
    """The base URL of a running server, with the file its log goes to."""

    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    url = redis_url()
    if not redis_reachable(url):
        pytest.skip(f"Redis at {url} is unreachable: the two-process test needs it")
    database = database_url_for_server()
    if database is None:
        pytest.skip(
            "the test database is in-memory SQLite, which another process cannot open: "
            "the two-process test runs on PostgreSQL (DATABASE_URL) or a file SQLite test DB"
        )
    # This process sends through the same Redis as the server: with REDIS_URL set, the suite's
    # channel layer is the production one (config/settings.py).
    assert "channels_redis" in django_settings.CHANNEL_LAYERS["default"]["BACKEND"]
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "REDIS_URL": url,
        "DEBUG": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LOG_LEVEL": "WARNING",
    }
    # The production entry point, not uvicorn with options of the test's own.
    command = [sys.executable, "-m", "zhili", "serve", "--host", "127.0.0.1", "--port", str(port)]
    log = tmp_path / "server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT
        )
    base = Server(f"http://127.0.0.1:{port}")
    base.log = log
    try:
        try:
            # Generous: a loaded 2-core machine has taken over 30 s to import and start.
            wait_healthy(base, process, timeout=90)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; server log:\n{base.log_text()[-3000:]}") from exc
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def login(base: str, username: str) -> str:
    """Sign in through the server's login page; return the session id it set."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/login/", timeout=5) as page:
        html = page.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token, "no CSRF token on the login page"
    form = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    request = urllib.request.Request(  # noqa: S310  (our own server, http)
        f"{base}/login/", data=form, headers={"Referer": base}
    )
    with opener.open(request, timeout=5):
        pass
    cookies = {c.name: c.value for c in jar}
    assert django_settings.SESSION_COOKIE_NAME in cookies, "login did not set a session"
    return cookies[django_settings.SESSION_COOKIE_NAME]


def signed_in_socket(server: Server, user: Any) -> Any:
    """A WebSocket to the server's /ws/cases/, signed in as `user` through the login page."""
    from websockets.sync.client import connect

    # The server's hashers are the default ones; the suite's fast MD5 is not among them.
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    cookie = f"{django_settings.SESSION_COOKIE_NAME}={login(server, user.username)}"
    ws_url = server.replace("http://", "ws://") + "/ws/cases/"
    return connect(ws_url, origin=server, additional_headers={"Cookie": cookie}, open_timeout=5)


def update_titled(ws: Any, title: str, within: float) -> dict[str, Any] | None:
    """The first update for the case titled `title` within `within` seconds, or None.
    Other test runs may share this Redis: our case is recognised by a title no one else uses."""
    sent = time.monotonic()
    while (left := within - (time.monotonic() - sent)) > 0:
        try:
            message = json.loads(ws.recv(timeout=left))
        except TimeoutError:
            return None
        if message.get("title") == title:
            return message
    return None


def unique_title() -> str:
    return f"路灯不亮 {uuid.uuid4().hex[:8]}"


def joined(ws: Any, user: Any) -> None:
    """Return once the server's consumer behind `ws` is in its unit's group: a probe sent to
    the group through Redis from this process comes back on the socket."""
    probe = f"probe {uuid.uuid4().hex}"
    send = async_to_sync(get_channel_layer().group_send)
    for group in groups_for_user(user):
        send(group, {"type": "case.update", "title": probe})
    assert update_titled(ws, probe, within=10) is not None, "the socket never joined its group"


@pytest.mark.redis
@pytest.mark.real_clock
@live_db
def test_a_dispatch_reaches_a_socket_on_another_process_through_redis(
    server, register, staff, rules, catalog
):
    title = unique_title()
    # Real clock here: an emergency counts calendar minutes, so no holiday table is needed
    # whatever the date.
    case = register(category=catalog.lamp, title=title, urgency="emergency")
    with signed_in_socket(server, staff.zjj_handler) as ws:
        joined(ws, staff.zjj_handler)
        case_act(actor=staff.dispatcher, case=case, action="dispatch")
        got = update_titled(ws, title, within=1.0)
        assert got is not None, "the dispatch did not reach the other process within 1 s"
        assert (got["case_no"], got["action"], got["label"]) == (case.case_no, "dispatch", "派单")
        assert got["lead_unit"] == rules.zjj.code


IDLE_SECONDS = 30  # several times channels-redis's 5 s blocking receive (brpop_timeout)


@pytest.mark.redis
@pytest.mark.real_clock
@live_db
def test_an_idle_socket_stays_open_through_redis_and_hears_a_later_update(
    server, register, staff, rules, catalog
):
    """A page left open gets the update that comes after a quiet half-minute. redis-py's
    default 5 s read timeout once killed the channel layer's blocking receive: every socket
    was dropped after ~5 s without a close frame (issue 11, item 1)."""
    from websockets.exceptions import ConnectionClosed

    title = unique_title()
    case = register(category=catalog.lamp, title=title, urgency="emergency")
    with signed_in_socket(server, staff.zjj_handler) as ws:
        opened = time.monotonic()
        try:
            stray = update_titled(ws, title, within=IDLE_SECONDS)
        except ConnectionClosed as exc:
            held = time.monotonic() - opened
            raise AssertionError(
                f"the socket was dropped after {held:.1f} s ({exc!r}); "
                f"server log:\n{server.log_text()[-3000:]}"
            ) from exc
        assert stray is None  # nothing about our case happened yet
        case_act(actor=staff.dispatcher, case=case, action="dispatch")
        got = update_titled(ws, title, within=2.0)
        assert got is not None, (
            f"no update within 2 s after {IDLE_SECONDS} s idle; "
            f"server log:\n{server.log_text()[-3000:]}"
        )
        assert (got["case_no"], got["action"]) == (case.case_no, "dispatch")
    assert "TimeoutError" not in server.log_text()
