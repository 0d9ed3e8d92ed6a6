"""A GB/T 28181 device (an NVR with N channels) in Python, for the demo and the tests.

It speaks to the platform over real UDP: REGISTER with digest, keepalives every interval,
the catalog answered in MESSAGEs of at most 20 items, DeviceControl answered (the PTZ
commands kept in `ptz_log`), alarms sent on demand, RecordInfo answered from `recordings`
(one file an hour, some hours missing) in MESSAGEs of at most `batch` items, Playback
INVITEs streamed for their span and paused, moved or sped up by MANSRTSP INFOs (`streams`).
"""

import asyncio
import contextlib
import itertools
import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from zhili.video.gb28181 import digest, manscdp, sip
from zhili.video.gb28181.alarms import Alarm, alarm_notify
from zhili.video.gb28181.endpoint import Address, Endpoint
from zhili.video.gb28181.ptz import ptz_decode
from zhili.video.gb28181.streams import Streams

log = logging.getLogger(__name__)
CENTER = (34.52, 118.77)  # Donghai


@dataclass
class SimConfig:
    device_id: str
    server: sip.Party
    password: str
    channels: int = 4
    keepalive_interval: float = 60.0
    host: str = "127.0.0.1"
    port: int = 0
    batch: int = 20
    expires: int = 3600
    civil_code: str = "320722"
    seed: int = 28181
    time_zone: str = "Asia/Shanghai"  # the standard's times are local, written without a zone
    record_delay: float = 0.0  # seconds before each RecordInfo answer (a slow NVR)
    records_silent: bool = False  # never answers RecordInfo (a broken NVR)


@dataclass
class Simulator:
    config: SimConfig
    ptz_log: list[tuple[str, str, int]] = field(default_factory=list)
    catalogs_sent: int = 0

    def __post_init__(self) -> None:
        self.endpoint: Endpoint | None = None
        self.cseq = itertools.count(1)
        self.sn = itertools.count(1)
        self.call_id = sip.new_call_id()
        self.tag = sip.new_tag()
        self.keepalives: asyncio.Task[None] | None = None
        self.streams = Streams(self)
        self.zone = ZoneInfo(self.config.time_zone)

    async def start(self) -> Address:
        self.endpoint = await Endpoint.open(self.config.host, self.config.port, self.on_request)
        return self.endpoint.address

    @property
    def me(self) -> sip.Party:
        assert self.endpoint is not None
        host, port = self.endpoint.address
        return sip.Party(self.config.device_id, self.config.server.domain, host, port)

    @property
    def server_addr(self) -> Address:
        return self.config.server.host, self.config.server.port

    def channel_ids(self) -> list[str]:
        prefix = self.config.device_id[:10] + "131"
        return [f"{prefix}{n:07d}" for n in range(1, self.config.channels + 1)]

    def channel_items(self) -> list[manscdp.CatalogItem]:
        rng = random.Random(self.config.seed)
        return [
            manscdp.CatalogItem(
                device_id=code,
                name=f"模拟通道{n:04d}",
                status="ON" if n % 10 else "OFF",
                civil_code=self.config.civil_code,
                parent_id=self.config.device_id,
                longitude=CENTER[1] + rng.uniform(-0.2, 0.2),
                latitude=CENTER[0] + rng.uniform(-0.15, 0.15),
                ptz_type=1 if n % 4 == 0 else 3,
                manufacturer="Zhili",
                model="SIM-NVR",
            )
            for n, code in enumerate(self.channel_ids(), start=1)
        ]

    # --- requests to the platform -----------------------------------------------------------

    async def send(
        self, method: str, *, extra: sip.Headers | None = None, body: bytes = b""
    ) -> sip.Response:
        assert self.endpoint is not None
        headers = list(extra.items) if extra else []
        if body:
            headers.append(("Content-Type", manscdp.CONTENT_TYPE))
        call_id = self.call_id if method == "REGISTER" else ""
        request = sip.request(
            method,
            self.me,
            self.config.server,
            cseq_no=next(self.cseq),
            call_id=call_id,
            from_tag=self.tag if method == "REGISTER" else "",
            extra=headers,
            body=body,
        )
        return await self.endpoint.request(request, self.server_addr)

    async def register(self, *, expires: int | None = None, password: str | None = None) -> int:
        """REGISTER, answering the digest challenge; the final status (200, 403 ...)."""
        ttl = self.config.expires if expires is None else expires
        base = [("Contact", self.me.contact), ("Expires", str(ttl))]
        response = await self.send("REGISTER", extra=sip.Headers(base))
        if response.status != 401:
            return response.status
        challenge = digest.parse_auth(response.headers.get("WWW-Authenticate"))
        auth = digest.authorization(
            challenge,
            username=self.config.device_id,
            password=self.config.password if password is None else password,
            method="REGISTER",
            uri=self.config.server.uri,
        )
        response = await self.send("REGISTER", extra=sip.Headers([*base, ("Authorization", auth)]))
        return response.status

    async def keepalive(self) -> int:
        body = manscdp.keepalive(self.config.device_id, next(self.sn))
        return (await self.send("MESSAGE", body=body)).status

    def start_keepalives(self) -> None:
        self.keepalives = asyncio.create_task(self._keepalive_loop())

    async def _keepalive_loop(self) -> None:
        while True:
            await asyncio.sleep(self.config.keepalive_interval)
            with contextlib.suppress(TimeoutError):
                if await self.keepalive() == 403:  # the platform forgot us: register again
                    await self.register()

    def stop_keepalives(self) -> None:
        if self.keepalives is not None:
            self.keepalives.cancel()
            self.keepalives = None

    async def alarm(self, alarm: Alarm) -> int:
        return (await self.send("MESSAGE", body=alarm_notify(alarm, next(self.sn)))).status

    # --- requests from the platform ---------------------------------------------------------

    async def on_request(self, request: sip.Request, addr: Address) -> None:
        assert self.endpoint is not None
        if request.method in ("INVITE", "ACK", "INFO", "BYE"):
            await self.streams.on_request(request, addr)
            return
        if request.method != "MESSAGE":
            self.endpoint.send(sip.response_to(request, 405, to_tag=sip.new_tag()), addr)
            return
        doc = manscdp.loads(request.body)
        self.endpoint.send(sip.response_to(request, 200, to_tag=sip.new_tag()), addr)
        if (doc.root, doc.cmd_type) == ("Query", "Catalog"):
            await self.send_catalog(doc.sn)
        elif (doc.root, doc.cmd_type) == ("Control", "DeviceControl"):
            command, speed = ptz_decode(doc.text("PTZCmd"))
            self.ptz_log.append((doc.device_id, command, speed))
        elif (doc.root, doc.cmd_type) == ("Query", "RecordInfo") and not self.config.records_silent:
            await self.send_records(doc)

    async def send_catalog(self, sn: int) -> None:
        items = self.channel_items()
        size = self.config.batch
        for start in range(0, len(items), size):
            body = manscdp.catalog_response(
                self.config.device_id, sn, len(items), items[start : start + size]
            )
            await self.send("MESSAGE", body=body)
        self.catalogs_sent += 1

    def recordings(self, channel: str, start: datetime, end: datetime) -> list[manscdp.RecordItem]:
        """The channel's files between start and end (naive local times, as on the wire): one
        a whole hour, none after now, and none in the hours its number leaves out (gaps)."""
        n = int(channel[-7:]) if channel[-7:].isdigit() else 0
        now = datetime.now(self.zone).replace(tzinfo=None)
        hour = start.replace(minute=0, second=0, microsecond=0)
        items = []
        while hour < min(end, now):
            if (hour.hour + n) % 7 != 3:
                begin, stop = max(hour, start), min(hour + timedelta(hours=1), end, now)
                items.append(self._record(channel, begin, stop))
            hour += timedelta(hours=1)
        return items

    def _record(self, channel: str, start: datetime, end: datetime) -> manscdp.RecordItem:
        name = f"{channel}_{start:%Y%m%d%H%M%S}"
        return manscdp.RecordItem(
            device_id=channel,
            name=name,
            start_time=start.strftime(manscdp.LOCAL_TIME),
            end_time=end.strftime(manscdp.LOCAL_TIME),
            file_path=f"/record/{channel}/{start:%Y%m%d}/{name}.ps",
            address="模拟硬盘录像机",
            recorder_id=self.config.device_id,
        )

    async def send_records(self, doc: manscdp.Doc) -> None:
        times = [
            datetime.strptime(doc.text(k)[:19], manscdp.LOCAL_TIME)
            for k in ("StartTime", "EndTime")
        ]
        items = self.recordings(doc.device_id, *times)
        size, name = self.config.batch, f"模拟通道{doc.device_id[-4:]}"
        for start in range(0, max(len(items), 1), size):
            await asyncio.sleep(self.config.record_delay)
            body = manscdp.record_info_response(
                doc.device_id, doc.sn, name, len(items), items[start : start + size]
            )
            await self.send("MESSAGE", body=body)

    async def aclose(self) -> None:
        await self.streams.stop_all()
        self.close()

    def close(self) -> None:
        self.stop_keepalives()
        if self.endpoint is not None:
            self.endpoint.close()
