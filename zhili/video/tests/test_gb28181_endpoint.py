"""The UDP SIP endpoint: requests retransmitted until answered, not after a 100 Trying."""

import asyncio
import time

import pytest

from zhili.video.gb28181 import endpoint, sip
from zhili.video.gb28181.endpoint import Address, Endpoint


async def pair(behaviour: str) -> tuple[Endpoint, Endpoint, list[sip.Request]]:
    seen: list[sip.Request] = []

    async def handler(request: sip.Request, addr: Address) -> None:
        seen.append(request)
        if behaviour == "drop_first" and len(seen) == 1:
            return
        if behaviour == "slow":
            await asyncio.sleep(1.3)  # retransmissions meanwhile are not handled again
        if behaviour == "trying":
            server.send(sip.response_to(request, 100), addr)
            if len(seen) > 1:
                return
            await asyncio.sleep(1.3)  # past T1 and 2×T1: no resend after the 100
        server.send(sip.response_to(request, 200, to_tag="t"), addr)

    server = await Endpoint.open("127.0.0.1", 0, handler)
    client = await Endpoint.open("127.0.0.1", 0, handler)
    return server, client, seen


def invite(client: Endpoint, server: Endpoint) -> sip.Request:
    me = sip.Party("32072200002000000001", "3207220000", *client.address)
    to = sip.Party("32072200001310000001", "3207220000", *server.address)
    return sip.request("INVITE", me, to)


@pytest.mark.parametrize(("behaviour", "received"), [("drop_first", 2), ("trying", 1), ("slow", 1)])
def test_retransmission(behaviour: str, received: int) -> None:
    async def scenario() -> tuple[int, int]:
        server, client, seen = await pair(behaviour)
        response = await client.request(invite(client, server), server.address, timeout=3)
        server.close()
        client.close()
        return response.status, len(seen)

    assert asyncio.run(scenario()) == (200, received)


def test_no_answer_is_a_timeout() -> None:
    async def scenario() -> None:
        server, client, _ = await pair("drop_first")
        server.close()
        with pytest.raises(TimeoutError):
            await client.request(invite(client, server), server.address, timeout=0.3)
        client.close()

    asyncio.run(scenario())


def test_a_retransmitted_request_gets_the_same_answer_without_being_handled_again() -> None:
    async def scenario() -> None:
        server, client, seen = await pair("answer")
        request = invite(client, server)
        first = await client.request(request, server.address, timeout=3)
        loop = asyncio.get_running_loop()
        again: asyncio.Future[sip.Response] = loop.create_future()
        client.pending[(request.headers.get("Call-ID"), 1)] = again
        client.send(request, server.address)
        second = await asyncio.wait_for(again, timeout=2)
        assert len(seen) == 1
        assert second.headers.get("To") == first.headers.get("To")
        server.close()
        client.close()

    asyncio.run(scenario())


def test_the_answers_kept_for_retransmissions_expire_and_are_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(endpoint, "MAX_ANSWERS", 10)

    async def scenario() -> None:
        server, client, _seen = await pair("answer")
        stale = time.monotonic() - endpoint.ANSWER_MEMORY - 1
        server.answers = {("old", n, "INVITE", "z9hG4bK"): (b"", stale) for n in range(5)}
        sent = [invite(client, server) for _ in range(30)]
        for request in sent:
            server.send(sip.response_to(request, 200, to_tag="t"), client.address)
        kept = [key[0] for key in server.answers]
        assert "old" not in kept and len(kept) == 10
        assert kept == [r.headers.get("Call-ID") for r in sent[-10:]]  # the newest
        server.close()
        client.close()

    asyncio.run(scenario())
