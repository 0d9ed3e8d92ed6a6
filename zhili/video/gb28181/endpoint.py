"""A SIP endpoint over UDP (asyncio): requests in go to a handler, responses in complete the
requests this side sent (retransmitted on RFC 3261's timer T1 until an answer or the timeout;
no longer once a provisional 1xx says the other side has it).
Both the platform's server and the device simulator stand on it."""

import asyncio
import itertools
import logging
import time
from collections.abc import Awaitable, Callable
from typing import cast

from zhili.video.gb28181 import sip

log = logging.getLogger(__name__)
Address = tuple[str, int]
Handler = Callable[[sip.Request, Address], Awaitable[None]]
T1 = 0.5
MAX_ANSWERS = 65536  # final responses kept at most (about 2,000 a second for ANSWER_MEMORY)
ANSWER_MEMORY = 32.0  # seconds a final response is kept for retransmitted requests (64×T1)


class Endpoint(asyncio.DatagramProtocol):
    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.transport: asyncio.DatagramTransport | None = None
        self.pending: dict[tuple[str, int], asyncio.Future[sip.Response]] = {}
        self.tasks: set[asyncio.Task[None]] = set()
        self.proceeding: set[tuple[str, int]] = set()
        self.inflight: set[tuple[str, int, str, str]] = set()
        self.answers: dict[tuple[str, int, str, str], tuple[bytes, float]] = {}

    @classmethod
    async def open(cls, host: str, port: int, handler: Handler) -> "Endpoint":
        loop = asyncio.get_running_loop()
        _, endpoint = await loop.create_datagram_endpoint(
            lambda: cls(handler), local_addr=(host, port)
        )
        return endpoint

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    @property
    def address(self) -> Address:
        assert self.transport is not None
        host, port = self.transport.get_extra_info("sockname")[:2]
        return host, port

    def datagram_received(self, data: bytes, addr: tuple[str | object, int]) -> None:
        source = (str(addr[0]), int(addr[1]))
        try:
            message = sip.parse(data)
            sip.cseq(message)
        except sip.SipParseError as exc:
            log.info("unreadable datagram from %s: %s", source, exc)
            return
        if isinstance(message, sip.Response):
            self._answered(message)
            return
        if self._repeated(message, source):
            return
        task = asyncio.create_task(self._handle(message, source))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def _repeated(self, request: sip.Request, source: Address) -> bool:
        """A retransmission of a request in hand is dropped; of one answered, answered again
        with the same response (RFC 3261 server transactions, without their timers)."""
        key = _transaction(request)
        if key in self.inflight:
            return True
        answer = self.answers.get(key)
        if answer is not None and time.monotonic() - answer[1] < ANSWER_MEMORY:
            if self.transport is not None:
                self.transport.sendto(answer[0], source)
            return True
        self.inflight.add(key)
        return False

    async def _handle(self, request: sip.Request, source: Address) -> None:
        try:
            await self.handler(request, source)
        except Exception:
            log.exception("%s from %s failed", request.method, source)
            self.send(sip.response_to(request, 500), source)
        finally:
            self.inflight.discard(_transaction(request))

    def _answered(self, response: sip.Response) -> None:
        key = (response.headers.get("Call-ID"), sip.cseq(response)[0])
        if response.status < 200:  # 100 Trying: the other side has it, stop resending
            if key in self.pending:
                self.proceeding.add(key)
            return
        future = self.pending.pop(key, None)
        if future is not None and not future.done():
            future.set_result(response)

    def send(self, message: sip.Message, addr: Address) -> None:
        if self.transport is None:
            return
        data = sip.encode(message)
        self.transport.sendto(data, addr)
        if isinstance(message, sip.Response) and message.status >= 200:
            self._remember(_transaction(message), data)

    def _remember(self, key: tuple[str, int, str, str], data: bytes) -> None:
        # Oldest first (a dict keeps its insertion order): drop the expired from the front, a
        # few per answer. Rebuilding the whole dict past a size cost a copy of every entry per
        # answer once more than that many came within ANSWER_MEMORY (about 130 a second).
        now = time.monotonic()
        self.answers.pop(key, None)
        for old, (_data, at) in list(itertools.islice(self.answers.items(), 8)):
            if now - at < ANSWER_MEMORY and len(self.answers) < MAX_ANSWERS:
                break
            del self.answers[old]
        self.answers[key] = (data, now)

    async def request(
        self, request: sip.Request, addr: Address, *, timeout: float = 4.0
    ) -> sip.Response:
        """Send `request` and wait for its final response; TimeoutError after `timeout`."""
        key = (request.headers.get("Call-ID"), sip.cseq(request)[0])
        future: asyncio.Future[sip.Response] = asyncio.get_running_loop().create_future()
        self.pending[key] = future
        try:
            async with asyncio.timeout(timeout):
                return await self._retransmit(request, addr, future, key)
        finally:
            self.pending.pop(key, None)
            self.proceeding.discard(key)

    async def _retransmit(
        self,
        request: sip.Request,
        addr: Address,
        future: asyncio.Future[sip.Response],
        key: tuple[str, int],
    ) -> sip.Response:
        wait = T1
        while True:
            if key not in self.proceeding:
                self.send(request, addr)
            done, _ = await asyncio.wait({future}, timeout=wait)
            if done:
                return future.result()
            wait = min(wait * 2, 4.0)

    def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        if self.transport is not None:
            self.transport.close()


def _transaction(message: sip.Message) -> tuple[str, int, str, str]:
    """(Call-ID, CSeq number, CSeq method, top Via branch): one transaction's requests and
    responses share it."""
    number, method = sip.cseq(message)
    branch = sip.params(message.headers.get("Via"))[1].get("branch", "")
    return message.headers.get("Call-ID"), number, method, branch
