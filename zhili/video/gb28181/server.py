"""The platform's GB/T 28181 SIP server (`zhili gb28181`): one asyncio process over UDP.

REGISTER with digest (401 with a nonce, then 200 with Date; a wrong password 403;
Expires: 0 unregisters), MESSAGE keepalives, catalog queries after each registration and
the responses loaded into the register, alarms to the configured hook, PTZ control out.
The register is written through `zhili.video.devices` on Django's one sync thread.
"""

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from datetime import datetime

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from zhili.video import devices
from zhili.video.gb28181 import digest, manscdp, sip
from zhili.video.gb28181.alarms import Alarm, alarm_from, alarm_hook
from zhili.video.gb28181.catalogs import Catalogs
from zhili.video.gb28181.endpoint import Address, Endpoint
from zhili.video.gb28181.keepalives import Keepalives
from zhili.video.gb28181.live import Live, LiveError
from zhili.video.gb28181.manscdp import RecordItem
from zhili.video.gb28181.ptz import ptz_command
from zhili.video.gb28181.records import Records
from zhili.video.models import Camera, CameraStatus, Device

log = logging.getLogger(__name__)
DEFAULT_EXPIRES = 3600
Headers = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Config:
    server_id: str
    domain: str
    password: str
    host: str = "127.0.0.1"
    port: int = 5060
    keepalive_interval: float = 60.0
    keepalive_missed: int = 3
    media_host: str = ""  # where devices send media; the SIP host when empty
    record_timeout: float = 8.0  # a RecordInfo query's every answer in by then

    @classmethod
    def from_settings(cls, *, host: str | None = None, port: int | None = None) -> "Config":
        return cls(
            server_id=settings.GB28181_SERVER_ID,
            domain=settings.GB28181_DOMAIN,
            password=settings.GB28181_PASSWORD,
            host=settings.GB28181_HOST if host is None else host,
            port=settings.GB28181_PORT if port is None else port,
            keepalive_interval=settings.GB28181_KEEPALIVE_INTERVAL,
            keepalive_missed=settings.GB28181_KEEPALIVE_MISSED,
            media_host=settings.GB28181_MEDIA_HOST,
            record_timeout=settings.GB28181_RECORD_TIMEOUT,
        )


class Platform:
    def __init__(self, config: Config, on_alarm: Callable[[Alarm], None] | None = None) -> None:
        self.config = config
        self.on_alarm = on_alarm or alarm_hook()
        self.nonces = digest.Nonces()
        self.sn = itertools.count(1)
        self.cseq = itertools.count(1)
        self.addresses: dict[str, Address] = {}
        self.catalogs = Catalogs(self._load_catalog)
        self.endpoint: Endpoint | None = None
        self.tasks: set[asyncio.Task[object]] = set()
        self.live = Live(self)
        self.keepalives = Keepalives()
        self.records = Records()

    async def start(self) -> Address:
        self.endpoint = await Endpoint.open(self.config.host, self.config.port, self.on_request)
        return self.endpoint.address

    @property
    def media_host(self) -> str:
        return self.config.media_host or self.me.host

    @property
    def me(self) -> sip.Party:
        assert self.endpoint is not None
        host, port = self.endpoint.address
        return sip.Party(self.config.server_id, self.config.domain, host, port)

    async def run(self, stop: asyncio.Event) -> None:
        """Serve until `stop` is set: the keepalives answered from memory written about once a
        second, a sweep for silent devices a few times an interval."""
        tick = max(0.05, min(self.config.keepalive_interval / 4, 10.0))
        flush_every = min(tick, 1.0)
        loop = asyncio.get_running_loop()
        sweep_at = loop.time()
        while not stop.is_set():
            if loop.time() >= sweep_at:
                await self.sweep()
                sweep_at = loop.time() + tick
            else:
                await self.flush()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=flush_every)
        await self.flush()
        await self.live.close()

    async def sweep(self) -> list[str]:
        await self.catalogs.flush_stale()
        await self.flush()  # the sweep reads keepalive_at: what was answered is written first
        codes = await sync_to_async(_sweep)(
            self.config.keepalive_interval, self.config.keepalive_missed
        )
        self.keepalives.forget(codes)
        return codes

    async def flush(self) -> None:
        """Write the keepalives answered from memory; one that came from a device taken offline
        meanwhile (by another sweep) goes through the register as it would have."""
        seen, channels = self.keepalives.take()
        if not seen:
            return
        lost = await sync_to_async(devices.keepalives_record)(seen=seen, channels=channels)
        self.keepalives.forget(lost)
        for code in lost:
            await self._keepalive(code)

    def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        if self.endpoint is not None:
            self.endpoint.close()

    def answer(self, request: sip.Request, addr: Address, status: int, extra: Headers = ()) -> None:
        assert self.endpoint is not None
        response = sip.response_to(request, status, to_tag=sip.new_tag(), extra=extra)
        self.endpoint.send(response, addr)

    async def on_request(self, request: sip.Request, addr: Address) -> None:
        if request.method == "REGISTER":
            await self.register(request, addr)
        elif request.method == "MESSAGE":
            await self.message(request, addr)
        elif request.method == "BYE":
            await self.live.device_bye(request, addr)
        elif request.method != "ACK":
            self.answer(request, addr, 405)

    # --- REGISTER ---------------------------------------------------------------------------

    async def register(self, request: sip.Request, addr: Address) -> None:
        code = sip.uri_user(request.headers.get("From"))
        fields = digest.parse_auth(request.headers.get("Authorization"))
        if not fields or not self.nonces.fresh(fields.get("nonce", "")):
            header = digest.challenge(self.config.domain, self.nonces.issue())
            self.answer(request, addr, 401, extra=[("WWW-Authenticate", header)])
            return
        if not self._authentic(request, fields, code):
            self.answer(request, addr, 403)
            return
        expires = _expires(request)
        date = timezone.localtime().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
        extra = [("Date", date), ("Expires", str(expires))]
        if expires == 0:
            await sync_to_async(devices.device_unregister)(code=code)
            self.keepalives.forget([code])
            self.addresses.pop(code, None)
            self.answer(request, addr, 200, extra=extra)
            return
        await self._registered(request, addr, code, expires)
        self.answer(request, addr, 200, extra=extra)
        self.spawn(self.query_catalog(code))

    def _authentic(self, request: sip.Request, fields: dict[str, str], code: str) -> bool:
        if not devices.valid_code(code) or fields.get("username") not in (code, ""):
            return False
        return digest.verify(fields, method="REGISTER", password=self.config.password)

    async def _registered(
        self, request: sip.Request, addr: Address, code: str, expires: int
    ) -> None:
        via = request.headers.get("Via").upper()
        transport = "tcp" if "/TCP" in via else "udp"
        self.addresses[code] = addr
        await sync_to_async(devices.device_register)(
            code=code, host=addr[0], port=addr[1], transport=transport, expires=expires
        )
        self.keepalives.trust(code)

    # --- MESSAGE ----------------------------------------------------------------------------

    async def message(self, request: sip.Request, addr: Address) -> None:
        code = sip.uri_user(request.headers.get("From"))
        try:
            doc = manscdp.loads(request.body)
        except manscdp.BodyError as exc:
            log.info("MESSAGE from %s: %s", code, exc)
            self.answer(request, addr, 400)
            return
        kind = (doc.root, doc.cmd_type)
        if kind == ("Notify", "Keepalive"):
            await self.keepalive(request, addr, code)
            return
        self.answer(request, addr, 200)
        if doc.cmd_type == "Catalog" and doc.root in ("Response", "Notify"):
            await self.catalogs.add(code, doc)
        elif kind == ("Response", "RecordInfo"):
            self.records.add(doc)
        elif kind == ("Notify", "MediaStatus"):
            await self.live.media_status(request, doc)
        elif kind == ("Notify", "Alarm"):
            await sync_to_async(self.on_alarm)(alarm_from(doc, code))

    async def keepalive(self, request: sip.Request, addr: Address, code: str) -> None:
        if self.keepalives.answer(code):  # known online: written at the next flush
            self.answer(request, addr, 200)
            self.addresses[code] = addr
            return
        known = await self._keepalive(code)
        self.answer(request, addr, 200 if known else 403)
        if known:
            self.addresses[code] = addr

    async def _keepalive(self, code: str) -> bool:
        known, revived = await sync_to_async(devices.device_keepalive)(code=code)
        if known:
            self.keepalives.trust(code)
        if revived:
            self.spawn(self.query_catalog(code))
        return known

    # --- requests to devices ----------------------------------------------------------------

    async def send_message(
        self, device: str, target_id: str, body: bytes, *, timeout: float = 4.0
    ) -> sip.Response:
        assert self.endpoint is not None
        addr = await self.device_address(device)
        target = sip.Party(target_id, self.config.domain, *addr)
        ctype = [("Content-Type", manscdp.CONTENT_TYPE)]
        request = sip.request(
            "MESSAGE", self.me, target, cseq_no=next(self.cseq), extra=ctype, body=body
        )
        return await self.endpoint.request(request, addr, timeout=timeout)

    async def device_address(self, device: str) -> Address:
        registered = await sync_to_async(_address)(device)
        if registered is None:
            raise LiveError(f"device {device} is offline", code="device_offline")
        return self.addresses.get(device, registered)  # where its last keepalive came from

    def device_of(self, channel: str) -> str:
        code = Camera.objects.filter(code=channel).values_list("device_code", flat=True).first()
        if not code:
            raise LiveError(f"channel {channel} has no GB/T 28181 device", code="not_found")
        return code

    async def query_catalog(self, device: str) -> int:
        sn = next(self.sn)
        self.catalogs.expect(device, sn)
        response = await self.send_message(device, device, manscdp.catalog_query(device, sn))
        return response.status

    async def ptz(self, channel: str, command: str, speed: int) -> int:
        """Send a PTZ command to the channel's device; the device's answer (200)."""
        cmd = ptz_command(command, speed)
        device = await sync_to_async(self.device_of)(channel)
        response = await self.send_message(
            device, channel, manscdp.ptz_control(channel, next(self.sn), cmd)
        )
        return response.status

    async def record_info(self, channel: str, start: datetime, end: datetime) -> list[RecordItem]:
        """The channel's recordings between `start` and `end` (§9.7), every part of the answer
        merged; LiveError `record_timeout` when they are not all in by `record_timeout`."""
        device = await sync_to_async(self.device_of)(channel)
        sn = next(self.sn)
        answers = self.records.expect(sn)
        span = [timezone.localtime(t).strftime(manscdp.LOCAL_TIME) for t in (start, end)]
        try:
            query = manscdp.record_info_query(channel, sn, *span)
            response = await self.send_message(device, channel, query)
            if response.status != 200:
                raise LiveError(f"RecordInfo answered {response.status}", code="invite_refused")
            return await asyncio.wait_for(answers, timeout=self.config.record_timeout)
        except TimeoutError:
            raise LiveError(self._record_timeout(sn), code="record_timeout") from None
        finally:
            self.records.forget(sn)

    def _record_timeout(self, sn: int) -> str:
        batch = self.records.pending.get(sn)
        if batch is None or batch.total < 0:
            return f"the device did not answer the RecordInfo query in {self.config.record_timeout:g} s"
        return (
            f"the device sent {len(batch.items)} of {batch.total} recordings "
            f"in {self.config.record_timeout:g} s"
        )

    async def _load_catalog(self, device: str, items: list[manscdp.CatalogItem]) -> None:
        result = await sync_to_async(devices.catalog_load)(device_code=device, items=items)
        log.info("catalog of %s: %s", device, result)

    def spawn(self, coroutine: Coroutine[object, object, object]) -> None:
        task = asyncio.create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(_report)
        task.add_done_callback(self.tasks.discard)


def _report(task: "asyncio.Task[object]") -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("GB/T 28181 request failed: %r", task.exception())


def _expires(request: sip.Request) -> int:
    contact = sip.params(request.headers.get("Contact"))[1].get("expires", "")
    text = request.headers.get("Expires") or contact
    return int(text) if text.strip().isdigit() else DEFAULT_EXPIRES


def _sweep(interval: float, missed: int) -> list[str]:
    close_old_connections()
    return devices.devices_sweep(interval=interval, missed=missed)


def _address(device: str) -> Address | None:
    """Where an online device registered from; None when it is offline."""
    online = Device.objects.filter(code=device, registered=True, status=CameraStatus.ONLINE)
    row = online.values_list("host", "port").first()
    return (row[0], row[1]) if row else None
