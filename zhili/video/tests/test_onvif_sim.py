"""The ONVIF simulator's WS-Security, checked by hand-made envelopes (not through the client,
so that the simulator is held to the UsernameToken profile itself): PasswordDigest is
Base64(SHA-1(nonce + created + password)); a replayed nonce, a stale Created, a wrong password
or no token at all is the fault env:Sender / ter:NotAuthorized, HTTP 400."""

import base64
import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree as ET

from zhili.video.sim.onvif import SOAP, TDS, TER, WSS_PROFILE, WSSE, WSU, Device, answer

PASSWORD = "sim-secret"


def device() -> Device:
    return Device(number=5, username="admin", password=PASSWORD, rtsp="rtsp://127.0.0.1:8554")


def envelope(
    operation: str, *, password: str = PASSWORD, created: datetime | None = None, nonce: bytes
) -> bytes:
    stamp = (created or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    raw = hashlib.sha1(nonce + stamp.encode() + password.encode()).digest()  # noqa: S324 - WS-Security's digest
    digest = base64.b64encode(raw)
    return f"""<s:Envelope xmlns:s="{SOAP}"><s:Header>
      <wsse:Security xmlns:wsse="{WSSE}" xmlns:wsu="{WSU}"><wsse:UsernameToken>
        <wsse:Username>admin</wsse:Username>
        <wsse:Password Type="{WSS_PROFILE}#PasswordDigest">{digest.decode()}</wsse:Password>
        <wsse:Nonce>{base64.b64encode(nonce).decode()}</wsse:Nonce>
        <wsu:Created>{stamp}</wsu:Created>
      </wsse:UsernameToken></wsse:Security></s:Header>
      <s:Body><{operation} xmlns="{TDS}"/></s:Body></s:Envelope>""".encode()


def parse(body: bytes) -> ET.Element:
    return ET.fromstring(body)  # noqa: S314 - the simulator's own answer, in this process


def fault(status: int, body: bytes) -> tuple[int, str | None]:
    value = parse(body).find(f".//{{{SOAP}}}Subcode/{{{SOAP}}}Value")
    return status, None if value is None else value.text


def test_a_good_digest_is_answered() -> None:
    status, body = answer(
        device(), "/onvif/device_service", envelope("GetDeviceInformation", nonce=b"n1"), "h"
    )
    assert status == 200
    assert parse(body).findtext(f".//{{{TDS}}}SerialNumber") == "SIM0005"


def test_refusals_are_not_authorized() -> None:
    camera, path = device(), "/onvif/device_service"
    nonce = secrets.token_bytes(16)
    assert answer(camera, path, envelope("GetServices", nonce=nonce), "h")[0] == 200
    replayed = answer(camera, path, envelope("GetServices", nonce=nonce), "h")
    stale = envelope("GetServices", nonce=b"n2", created=datetime.now(UTC) - timedelta(minutes=10))
    wrong = envelope("GetServices", nonce=b"n3", password="guess")
    bare = (
        f'<s:Envelope xmlns:s="{SOAP}"><s:Body><GetServices xmlns="{TDS}"/></s:Body></s:Envelope>'
    )
    for status, body in (
        replayed,
        answer(camera, path, stale, "h"),
        answer(camera, path, wrong, "h"),
        answer(camera, path, bare.encode(), "h"),
    ):
        assert fault(status, body) == (400, "ter:NotAuthorized")
        assert f'xmlns:ter="{TER}"'.encode() in body  # the prefix names ONVIF's error namespace
    # The device's clock is asked before logging in.
    clock = bare.replace("GetServices", "GetSystemDateAndTime").encode()
    assert answer(camera, path, clock, "h")[0] == 200
