"""Playback control over GB/T 28181 (2016, §9.8, Annex B): MANSRTSP in INFOs of the Playback
dialog pause the device's stream, resume it, move it and change its speed, and the receiving
side follows each new PS stream. The real SIP server and simulator over UDP on 127.0.0.1,
GStreamer between them."""

import asyncio
import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from zhili.conftest import Tree
from zhili.video.gb28181 import manscdp, mansrtsp
from zhili.video.gb28181.live import LiveError
from zhili.video.tests.test_gb28181_live import CHANNEL, h264_flows, h264_packets
from zhili.video.tests.test_gb28181_records import registered
from zhili.video.tests.test_gb28181_server import rig, until


def test_mansrtsp_bodies_are_the_standards_and_read_back() -> None:
    assert mansrtsp.pause(2).encode() == b"PAUSE RTSP/1.0\r\nCSeq: 2\r\nPauseTime: now\r\n\r\n"
    assert mansrtsp.resume(3).encode() == b"PLAY RTSP/1.0\r\nCSeq: 3\r\nRange: npt=now-\r\n\r\n"
    assert mansrtsp.seek(4, 95).encode() == b"PLAY RTSP/1.0\r\nCSeq: 4\r\nRange: npt=95-\r\n\r\n"
    assert mansrtsp.speed(5, 0.5).encode() == b"PLAY RTSP/1.0\r\nCSeq: 5\r\nScale: 0.5\r\n\r\n"
    for command in (mansrtsp.pause(2), mansrtsp.resume(3), mansrtsp.seek(4, 95.5)):
        assert mansrtsp.parse(command.encode()) == command
    assert mansrtsp.parse(b"PLAY RTSP/1.0\r\ncseq:7\r\nscale: 4.0\r\n") == mansrtsp.Command(
        "PLAY", 7, scale=4.0
    )
    for bad in (b"", b"GET / HTTP/1.1\r\n", b"PLAY RTSP/1.0\r\n", b"PLAY RTSP/1.0\r\nCSeq: x\r\n"):
        with pytest.raises(ValueError):
            mansrtsp.parse(bad)
    with pytest.raises(ValueError, match="scale"):
        mansrtsp.speed(1, 3)
    with pytest.raises(ValueError):
        mansrtsp.seek(1, -1)


def test_the_playhead_follows_pause_seek_and_speed() -> None:
    head = mansrtsp.Playhead(length=600, since=100.0)
    assert head.at(110.0) == 10
    head.apply(mansrtsp.speed(2, 2.0), now=110.0)
    assert head.at(115.0) == 20  # 10 + 5 s at 2×
    head.apply(mansrtsp.pause(3), now=115.0)
    assert (head.at(200.0), head.paused) == (20, True)
    head.apply(mansrtsp.resume(4), now=200.0)
    assert head.at(201.0) == 22
    head.apply(mansrtsp.seek(5, 590), now=201.0)
    assert head.at(230.0) == 600  # never past the span's end


@pytest.mark.django_db(transaction=True)
def test_info_pauses_resumes_moves_and_speeds_up_a_playback(tree: Tree) -> None:
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(0.1)
    start = timezone.localtime().replace(microsecond=0) - timedelta(hours=3)
    span = (int(start.timestamp()), int(start.timestamp()) + 600)

    async def scenario() -> None:
        async with rig(channels=1) as r:
            await registered(r)
            live = r.platform.live
            session_id = await live.invite(
                CHANNEL, "127.0.0.1", receiver.getsockname()[1], span=span
            )
            session = live.sessions[session_id]
            streams = r.sim.streams
            assert len(await asyncio.to_thread(h264_flows, receiver)) > 10

            state = await live.control(session_id, "pause")
            assert state["paused"] is True and not streams.senders
            assert streams.controls[-1] == mansrtsp.Command("PAUSE", session.cseq)
            await asyncio.to_thread(h264_packets, receiver, 0.3)  # what was sent or in flight
            assert not await asyncio.to_thread(h264_packets, receiver, 1.0)

            state = await live.control(session_id, "resume")
            assert state["paused"] is False and len(streams.senders) == 1
            assert len(await asyncio.to_thread(h264_flows, receiver)) > 10

            state = await live.control(session_id, "seek", 300)
            assert streams.controls[-1].npt == 300 and 300 <= float(str(state["position"])) < 301
            moved = (start + timedelta(seconds=300)).strftime(manscdp.LOCAL_TIME)
            assert f"PLAYBACK:{moved}x1" in streams.sources[-1]
            # The demuxer started again on the new PS stream: H.264 again, on a new SSRC.
            after_seek = await asyncio.to_thread(h264_flows, receiver, 30)
            assert len(after_seek) >= 30 and {p[12] & 0x1F for p in after_seek} & {5, 7, 28}

            state = await live.control(session_id, "speed", 4.0)
            assert state["scale"] == 4.0 and streams.controls[-1].scale == 4.0
            assert "x4 " in streams.sources[-1]
            # What is left of the span from 300 s or a little later, at 15 fps, in a quarter of
            # the time.
            frames = int(streams.sources[-1].split("num-buffers=")[1].split()[0])
            assert round(15 * (600 - 303) / 4) <= frames <= round(15 * (600 - 300) / 4)
            assert len(await asyncio.to_thread(h264_flows, receiver)) > 10

            for action, value in (
                ("seek", 600.0),
                ("speed", 3.0),
                ("rewind", None),
                ("seek", None),
            ):
                with pytest.raises(ValueError):
                    await live.control(session_id, action, value)
            await live.bye(session_id)
            with pytest.raises(LiveError) as error:
                await live.control(session_id, "pause")
            assert error.value.code == "not_found"
            await until(lambda: not streams.senders and not streams.played)

    asyncio.run(scenario())
    receiver.close()
