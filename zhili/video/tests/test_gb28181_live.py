"""Live media over GB/T 28181: INVITE through the control port, the simulator's PS over RTP
through our gateway, H.264 RTP packets arriving on a UDP port, BYE stopping them. Real
GStreamer processes and UDP sockets on 127.0.0.1."""

import asyncio
import socket
import subprocess
import time
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async

from zhili.conftest import Tree
from zhili.video.gb28181 import control
from zhili.video.gb28181.media import Sdp, parse_sdp, rtp_packet, rtp_payload, split_packs
from zhili.video.models import Camera, Device
from zhili.video.tests.test_gb28181_server import NVR, rig, until

CHANNEL = f"{NVR[:10]}1310000001"


def test_sdp_offer_round_trips_with_its_ssrc() -> None:
    offer = Sdp("32072200002000000001", "127.0.0.1", 30000, "0200000001")
    text = offer.encode().decode()
    assert "s=Play" in text and "a=rtpmap:96 PS/90000" in text and "y=0200000001" in text
    assert "m=video 30000 RTP/AVP 96" in text and "a=recvonly" in text
    assert parse_sdp(offer.encode()) == offer
    tcp = Sdp("x", "10.0.0.1", 30002, "1", tcp=True)
    assert "a=setup:passive" in tcp.encode().decode() and parse_sdp(tcp.encode()).tcp
    answer = Sdp("x", "10.0.0.2", 30004, "1", "sendonly", tcp=True)
    assert "a=setup:active" in answer.encode().decode()


def test_rtp_packets_and_ps_packs() -> None:
    packet = rtp_packet(b"abc", seq=65537, timestamp=90000, ssrc=200000001, marker=True)
    assert packet[:2] == b"\x80\xe0" and rtp_payload(packet, ssrc=200000001) == b"abc"
    assert rtp_payload(packet, ssrc=1) is None and rtp_payload(b"\x80", ssrc=1) is None
    buffer = bytearray(b"junk\x00\x00\x01\xbaone\x00\x00\x01\xbatwo\x00\x00\x01\xbathr")
    assert split_packs(buffer) == [b"\x00\x00\x01\xbaone", b"\x00\x00\x01\xbatwo"]
    assert bytes(buffer) == b"\x00\x00\x01\xbathr"


def h264_packets(sock: socket.socket, seconds: float) -> list[bytes]:
    packets, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            packets.append(sock.recv(2048))
        except TimeoutError:
            continue
    return packets


def h264_flows(sock: socket.socket, at_least: int = 11, within: float = 10.0) -> list[bytes]:
    """The packets read until `at_least` came, or all that came `within` seconds: a busy
    machine may start a stream late, and a stream that does flow stops the wait at once."""
    packets, deadline = [], time.monotonic() + within
    while len(packets) < at_least and time.monotonic() < deadline:
        try:
            packets.append(sock.recv(2048))
        except TimeoutError:
            continue
    return packets


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("tcp", [False, True], ids=["udp", "tcp-passive"])
def test_invite_brings_h264_rtp_to_the_port_and_bye_stops_it(tree: Tree, tcp: bool) -> None:
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(0.1)
    rtp_port = receiver.getsockname()[1]

    async def scenario() -> tuple[list[bytes], list[bytes]]:
        async with rig(channels=2) as r:
            server = await control.serve_control(r.platform, 0)
            port = server.sockets[0].getsockname()[1]
            assert await r.sim.register() == 200
            await until(lambda: Camera.objects.filter(code=CHANNEL).exists())
            call = sync_to_async(control.call, thread_sensitive=False)
            answer = await call(
                {
                    "op": "invite",
                    "channel": CHANNEL,
                    "rtp_host": "127.0.0.1",
                    "rtp_port": rtp_port,
                    "tcp": tcp,
                },
                port=port,
            )
            during = await asyncio.to_thread(h264_packets, receiver, 4.0)
            await call({"op": "bye", "session": answer["session"]}, port=port)
            await asyncio.to_thread(h264_packets, receiver, 0.5)  # what was in flight
            after = await asyncio.to_thread(h264_packets, receiver, 1.0)
            with pytest.raises(control.ControlError) as error:
                await call(
                    {
                        "op": "invite",
                        "channel": "32072200001310009999",
                        "rtp_host": "127.0.0.1",
                        "rtp_port": 1,
                    },
                    port=port,
                )
            assert error.value.code == "not_found"
            offline = Device.objects.filter(code=NVR).update
            await sync_to_async(offline)(status="offline")
            with pytest.raises(control.ControlError) as error:
                await call(
                    {"op": "invite", "channel": CHANNEL, "rtp_host": "127.0.0.1", "rtp_port": 1},
                    port=port,
                )
            assert error.value.code == "device_offline"
            with pytest.raises(control.ControlError) as error:
                await call(
                    {"op": "ptz", "channel": CHANNEL, "command": "spin", "speed": 1}, port=port
                )
            assert (error.value.code, error.value.field) == ("invalid", "command")
            server.close()
            assert r.sim.streams.invites == 1 and not r.sim.streams.senders
            assert r.sim.streams.transports == ["tcp" if tcp else "udp"]
            return during, after

    during, after = asyncio.run(scenario())
    receiver.close()
    assert len(during) > 20
    assert {p[1] & 0x7F for p in during} == {96}
    nal_types = {p[12] & 0x1F for p in during}
    assert nal_types & {5, 7, 28}  # an IDR, an SPS, or fragments of them: H.264
    assert after == []


def test_the_client_says_when_the_server_is_not_running() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    with pytest.raises(control.ControlError) as error:
        control.call({"op": "bye", "session": "x"}, port=free)
    assert error.value.code == "gateway_unavailable"


@pytest.mark.django_db(transaction=True)
def test_the_gateways_h264_decodes_into_frames(tree: Tree, tmp_path: Path) -> None:
    """ffmpeg reads the gateway's output as H.264 RTP and decodes 10 frames of 320×240."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sdp = tmp_path / "h264.sdp"
    sdp.write_text(
        "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=x\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        f"m=video {port} RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
    )
    ffmpeg = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-protocol_whitelist"]
    ffmpeg += ["file,udp,rtp", "-i", str(sdp), "-frames:v", "10", "-f", "framemd5", "-"]

    async def scenario() -> bytes:
        async with rig(channels=1) as r:
            decoder = await asyncio.create_subprocess_exec(*ffmpeg, stdout=subprocess.PIPE)
            assert await r.sim.register() == 200
            await until(lambda: Camera.objects.filter(code=CHANNEL).exists())
            session = await r.platform.live.invite(CHANNEL, "127.0.0.1", port)
            out, _ = await asyncio.wait_for(decoder.communicate(), timeout=15)
            await r.platform.live.bye(session)
            return out

    frames = [line for line in asyncio.run(scenario()).decode().splitlines() if line[:1] == "0"]
    assert len(frames) == 10
    assert all(line.split(",")[4].strip() == str(320 * 240 * 3 // 2) for line in frames)
