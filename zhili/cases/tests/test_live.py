"""Live updates: a dispatch reaches the WebSocket of the target unit, in one process (the
in-memory channel layer) and across two processes through Redis (a real uvicorn server).

WebSocket tests use transactional databases: the consumer reads the session and the user
through database_sync_to_async on another connection, and pushes go out on commit.
"""

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
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client

from config.asgi import application
from zhili.cases import live
from zhili.cases.models import State
from zhili.cases.services import case_act
from zhili.conftest import PASSWORD

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


# --- two processes, through Redis ---------------------------------------------------------------


def redis_url() -> str:
    return os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def redis_reachable(url: str) -> bool:
    parsed = urllib.parse.urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), 0.5):
            return True
    except OSError:
        return False


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
        return s.getsockname()[1]


def wait_healthy(base: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"server at {base} not healthy within {timeout} s")


@pytest.fixture
def server(settings: Any) -> Iterator[str]:
    url = redis_url()
    if not redis_reachable(url):
        pytest.skip(f"Redis at {url} is unreachable: the two-process test needs it")
    database = database_url_for_server()
    if database is None:
        pytest.skip(
            "the test database is in-memory SQLite, which another process cannot open: "
            "the two-process test runs on PostgreSQL (DATABASE_URL) or a file SQLite test DB"
        )
    # This process sends through the same Redis as the server.
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [url]}}
    }
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "REDIS_URL": url,
        "DEBUG": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    command = [sys.executable, "-m", "uvicorn", "config.asgi:application"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process)
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


@pytest.mark.real_clock
@live_db
def test_a_dispatch_reaches_a_socket_on_another_process_through_redis(
    server, register, staff, rules, catalog
):
    from websockets.sync.client import connect

    user = staff.zjj_handler
    # The server's hashers are the default ones; the suite's fast MD5 is not among them.
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    session = login(server, user.username)
    # Other test runs may share this Redis: recognise our case by a title no one else uses.
    title = f"路灯不亮 {uuid.uuid4().hex[:8]}"
    # Real clock here: an emergency counts calendar minutes, so no holiday table is needed
    # whatever the date.
    case = register(category=catalog.lamp, title=title, urgency="emergency")

    ws_url = server.replace("http://", "ws://") + "/ws/cases/"
    cookie = f"{django_settings.SESSION_COOKIE_NAME}={session}"
    with connect(
        ws_url, origin=server, additional_headers={"Cookie": cookie}, open_timeout=5
    ) as ws:
        time.sleep(0.2)  # the consumer joins its group right before accepting; let it settle
        case_act(actor=staff.dispatcher, case=case, action="dispatch")
        sent = time.monotonic()
        got = None
        while (left := 1.0 - (time.monotonic() - sent)) > 0:
            try:
                message = json.loads(ws.recv(timeout=left))
            except TimeoutError:
                break
            if message.get("title") == title:
                got = message
                break
        assert got is not None, "the dispatch did not reach the other process within 1 s"
        assert (got["case_no"], got["action"], got["label"]) == (case.case_no, "dispatch", "派单")
        assert got["lead_unit"] == rules.zjj.code
