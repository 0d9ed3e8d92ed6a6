"""Recorded video over GB/T 28181 (2016, §9.7 and §9.8): RecordInfo asked of a channel and its
answers merged across MESSAGEs, a device that does not answer named; a Playback INVITE
(s=Playback, u=<channel>:0, t=<start> <end>) bringing the span's H.264 and ending with the
device's MediaStatus 121. The real SIP server and simulator over UDP on 127.0.0.1."""

import asyncio
import socket
from datetime import datetime, timedelta

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from zhili.conftest import Tree
from zhili.video.gb28181 import control, manscdp
from zhili.video.gb28181.live import LiveError
from zhili.video.gb28181.media import Sdp, parse_sdp
from zhili.video.models import Camera
from zhili.video.tests.test_gb28181_live import CHANNEL, h264_packets
from zhili.video.tests.test_gb28181_server import Rig, rig, until


def test_record_info_bodies_round_trip() -> None:
    query = manscdp.loads(
        manscdp.record_info_query(CHANNEL, 7, "2026-11-25T00:00:00", "2026-11-26T00:00:00")
    )
    assert (query.root, query.cmd_type, query.sn, query.device_id) == (
        "Query",
        "RecordInfo",
        7,
        CHANNEL,
    )
    assert (query.text("StartTime"), query.text("EndTime")) == (
        "2026-11-25T00:00:00",
        "2026-11-26T00:00:00",
    )
    item = manscdp.RecordItem(
        CHANNEL, "f1", "2026-11-25T01:00:00", "2026-11-25T02:00:00", "/r/f1.ps"
    )
    answer = manscdp.loads(manscdp.record_info_response(CHANNEL, 7, "通道", 3, [item]))
    assert (answer.root, answer.cmd_type, answer.sn) == ("Response", "RecordInfo", 7)
    assert manscdp.record_items(answer) == (3, [item])


def test_playback_sdp_carries_the_span_and_the_channel() -> None:
    offer = Sdp(
        "32072200002000000001",
        "127.0.0.1",
        30000,
        "1200000001",
        session="Playback",
        uri=f"{CHANNEL}:0",
        start=1764000000,
        end=1764003600,
    )
    text = offer.encode().decode()
    assert "s=Playback\r\n" in text and f"u={CHANNEL}:0\r\n" in text
    assert "t=1764000000 1764003600\r\n" in text and "y=1200000001" in text
    assert parse_sdp(offer.encode()) == offer and parse_sdp(offer.encode()).playback
    live = parse_sdp(Sdp("x", "127.0.0.1", 1, "0").encode())
    assert (live.session, live.start, live.end, live.playback) == ("Play", 0, 0, False)


def yesterday() -> tuple[datetime, datetime]:
    end = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return end - timedelta(days=1), end


async def registered(r: Rig) -> None:
    assert await r.sim.register() == 200
    await until(lambda: Camera.objects.filter(code=CHANNEL).exists())


@pytest.mark.django_db(transaction=True)
def test_record_info_merges_a_days_answers_in_several_messages(tree: Tree) -> None:
    start, end = yesterday()

    async def scenario() -> tuple[list[manscdp.RecordItem], list[manscdp.RecordItem]]:
        async with rig(channels=1, batch=8) as r:  # 20 files: three MESSAGEs
            await registered(r)
            got = await r.platform.record_info(CHANNEL, start, end)
            naive = [timezone.localtime(t).replace(tzinfo=None) for t in (start, end)]
            return got, r.sim.recordings(CHANNEL, *naive)

    got, files = asyncio.run(scenario())
    assert len(files) == 20  # 24 hours, four of them (2, 9, 16, 23 h) without a recording
    assert got == files
    starts = [datetime.strptime(i.start_time, manscdp.LOCAL_TIME) for i in got]
    hours = {s.hour for s in starts}
    assert len(hours) == 20 and min(starts) >= timezone.localtime(start).replace(tzinfo=None)
    assert {(h + 1) % 7 for h in set(range(24)) - hours} == {3}  # the gaps: channel 1's rule


@pytest.mark.django_db(transaction=True)
def test_a_device_that_does_not_answer_is_named_and_a_span_without_files_is_empty(
    tree: Tree,
) -> None:
    start, end = yesterday()

    async def scenario() -> None:
        async with rig(channels=1, record_timeout=0.3, records_silent=True) as r:
            await registered(r)
            with pytest.raises(LiveError) as error:
                await r.platform.record_info(CHANNEL, start, end)
            assert error.value.code == "record_timeout"
            assert "did not answer the RecordInfo query in 0.3 s" in str(error.value)
            assert not r.platform.records.pending
            r.sim.config.records_silent = False
            later = timezone.now() + timedelta(days=1)  # nothing recorded in the future
            assert await r.platform.record_info(CHANNEL, later, later + timedelta(hours=2)) == []

    asyncio.run(scenario())


@pytest.mark.django_db(transaction=True)
def test_playback_brings_the_spans_h264_and_ends_with_the_file(tree: Tree) -> None:
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(0.1)
    start = timezone.localtime().replace(microsecond=0) - timedelta(hours=3)
    end = start + timedelta(seconds=3)

    async def scenario() -> list[bytes]:
        async with rig(channels=1) as r:
            server = await control.serve_control(r.platform, 0)
            port = server.sockets[0].getsockname()[1]
            await registered(r)
            request = {"op": "invite", "channel": CHANNEL, "rtp_host": "127.0.0.1"}
            request |= {"rtp_port": receiver.getsockname()[1]}
            request |= {"start": int(start.timestamp()), "end": int(end.timestamp())}
            answer = await sync_to_async(control.call, thread_sensitive=False)(request, port=port)
            assert answer["session"] in r.platform.live.sessions
            assert r.sim.streams.playbacks == [
                (CHANNEL, int(start.timestamp()), int(end.timestamp()))
            ]
            during = await asyncio.to_thread(h264_packets, receiver, 2.0)
            # The three seconds played, the device says 121 and the platform hangs up.
            await until(lambda: not r.platform.live.sessions, timeout=8)
            assert not r.sim.streams.senders
            bad = {**request, "start": request["end"]}
            with pytest.raises(control.ControlError) as error:
                await sync_to_async(control.call, thread_sensitive=False)(bad, port=port)
            assert error.value.code == "invalid"
            server.close()
            return during

    during = asyncio.run(scenario())
    receiver.close()
    assert len(during) > 10
    assert {p[1] & 0x7F for p in during} == {96}
    assert {p[12] & 0x1F for p in during} & {5, 7, 28}
