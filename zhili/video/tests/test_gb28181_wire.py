"""The SIP server's answers on the wire, and what it does with bad input (never a crash)."""

import asyncio
import socket
from collections.abc import Callable

import pytest

from zhili.conftest import Tree
from zhili.video.gb28181 import digest, manscdp, sip
from zhili.video.gb28181.server import Config, Platform

SERVER, DOMAIN, PASSWORD = "32072200002000000001", "3207220000", "secret-28181"
DEVICE = "32072200001320000007"
pytestmark = pytest.mark.django_db(transaction=True)


def exchange(sock: socket.socket, server: tuple[str, int], message: sip.Message) -> sip.Response:
    sock.sendto(sip.encode(message), server)
    answer = sip.parse(sock.recv(65536))
    assert isinstance(answer, sip.Response)
    return answer


def register(me: sip.Party, target: sip.Party, auth: str = "", code: str = "") -> sip.Request:
    extra = [("Contact", me.contact), ("Expires", "3600")] + (
        [("Authorization", auth)] if auth else []
    )
    request = sip.request(
        "REGISTER", sip.Party(code or me.id, DOMAIN, me.host, me.port), target, extra=extra
    )
    return request


def run_against_server(client: Callable[[socket.socket, tuple[str, int]], None]) -> None:
    async def scenario() -> None:
        platform = Platform(Config(SERVER, DOMAIN, PASSWORD, "127.0.0.1", 0), on_alarm=print)
        server = await platform.start()
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(3)
        try:
            await asyncio.to_thread(client, sock, server)
        finally:
            sock.close()
            platform.close()

    asyncio.run(scenario())


def test_register_challenge_then_200_with_date(tree: Tree) -> None:
    def client(sock: socket.socket, server: tuple[str, int]) -> None:
        me = sip.Party(DEVICE, DOMAIN, *sock.getsockname())
        target = sip.Party(SERVER, DOMAIN, *server)
        first = exchange(sock, server, register(me, target))
        assert isinstance(first, sip.Response) and first.status == 401
        challenge = digest.parse_auth(first.headers.get("WWW-Authenticate"))
        assert challenge["realm"] == DOMAIN and len(challenge["nonce"]) == 32
        stale = dict(challenge, nonce="0" * 32)
        auth = digest.authorization(
            stale, username=DEVICE, password=PASSWORD, method="REGISTER", uri=target.uri
        )
        assert exchange(sock, server, register(me, target, auth)).status == 401
        auth = digest.authorization(
            challenge, username=DEVICE, password=PASSWORD, method="REGISTER", uri=target.uri
        )
        ok = exchange(sock, server, register(me, target, auth))
        assert isinstance(ok, sip.Response) and ok.status == 200
        assert ok.headers.get("Date")[:4].isdigit() and ok.headers.get("Expires") == "3600"
        assert "tag" in sip.params(ok.headers.get("To"))[1]

    run_against_server(client)


def test_bad_input_is_answered_or_ignored_and_the_server_goes_on(tree: Tree) -> None:
    def client(sock: socket.socket, server: tuple[str, int]) -> None:
        me = sip.Party(DEVICE, DOMAIN, *sock.getsockname())
        target = sip.Party(SERVER, DOMAIN, *server)
        sock.sendto(b"\x00\xffnot sip at all", server)  # ignored
        first = exchange(sock, server, register(me, target, code="11010000001320000007"))
        assert isinstance(first, sip.Response) and first.status == 401
        challenge = digest.parse_auth(first.headers.get("WWW-Authenticate"))
        auth = digest.authorization(
            challenge,
            username="11010000001320000007",
            password=PASSWORD,
            method="REGISTER",
            uri=target.uri,
        )
        foreign = register(me, target, auth, code="11010000001320000007")
        assert exchange(sock, server, foreign).status == 403  # not the county's
        bad_xml = sip.request(
            "MESSAGE",
            me,
            target,
            extra=[("Content-Type", manscdp.CONTENT_TYPE)],
            body=b"<Notify><CmdType>",
        )
        assert exchange(sock, server, bad_xml).status == 400
        assert exchange(sock, server, sip.request("SUBSCRIBE", me, target)).status == 405
        keepalive = sip.request("MESSAGE", me, target, body=manscdp.keepalive(DEVICE, 1))
        assert exchange(sock, server, keepalive).status == 403  # not registered

    run_against_server(client)
