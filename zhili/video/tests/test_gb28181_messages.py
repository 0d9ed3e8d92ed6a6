"""GB/T 28181 messages without I/O: SIP parse and build, MANSCDP bodies, digest, PTZCmd."""

import pytest

from zhili.video.gb28181 import digest, manscdp, sip
from zhili.video.gb28181.ptz import PtzError, ptz_command, ptz_decode

REGISTER = (
    b"REGISTER sip:32072200002000000001@3207220000 SIP/2.0\r\n"
    b"Via: SIP/2.0/UDP 10.0.0.5:5060;rport;branch=z9hG4bK1\r\n"
    b"From: <sip:32072201001180000001@3207220000>;tag=abc\r\n"
    b"t: <sip:32072201001180000001@3207220000>\r\n"
    b"Call-ID: 42@10.0.0.5\r\n"
    b"CSeq: 1 REGISTER\r\n"
    b"Contact: <sip:32072201001180000001@10.0.0.5:5060>\r\n"
    b"Max-Forwards: 70\r\n"
    b"Expires: 3600\r\n"
    b"Content-Length: 0\r\n\r\n"
)


def test_a_register_is_parsed_with_compact_headers() -> None:
    message = sip.parse(REGISTER)
    assert isinstance(message, sip.Request)
    assert message.method == "REGISTER"
    assert message.headers.get("To") == "<sip:32072201001180000001@3207220000>"
    assert sip.uri_user(message.headers.get("From")) == "32072201001180000001"
    assert sip.params(message.headers.get("From"))[1] == {"tag": "abc"}
    assert sip.cseq(message) == (1, "REGISTER")
    assert message.headers.get("expires") == "3600"


def test_a_response_copies_the_dialog_headers_and_adds_a_to_tag() -> None:
    request = sip.parse(REGISTER)
    assert isinstance(request, sip.Request)
    response = sip.response_to(request, 200, to_tag="x1", extra=[("Date", "2026-12-03T10:00:00")])
    again = sip.parse(sip.encode(response))
    assert isinstance(again, sip.Response)
    assert (again.status, again.reason) == (200, "OK")
    assert again.headers.get("Via") == request.headers.get("Via")
    assert sip.params(again.headers.get("To"))[1]["tag"] == "x1"
    assert again.headers.get("Call-ID") == "42@10.0.0.5"
    assert again.headers.get("Content-Length") == "0"


def test_a_message_with_a_body_round_trips() -> None:
    me = sip.Party("32072201001180000001", "3207220000", "127.0.0.1", 5061)
    server = sip.Party("32072200002000000001", "3207220000", "127.0.0.1", 5060)
    body = manscdp.keepalive(me.id, 7)
    request = sip.request(
        "MESSAGE", me, server, extra=[("Content-Type", manscdp.CONTENT_TYPE)], body=body
    )
    parsed = sip.parse(sip.encode(request) + b"trailing garbage")
    assert isinstance(parsed, sip.Request)
    assert parsed.uri == "sip:32072200002000000001@127.0.0.1:5060"
    assert parsed.body == body
    doc = manscdp.loads(parsed.body)
    assert (doc.root, doc.cmd_type, doc.sn, doc.device_id) == ("Notify", "Keepalive", 7, me.id)


@pytest.mark.parametrize(
    "data", [b"", b"HELLO\r\n\r\n", b"SIP/2.0 abc OK\r\n\r\n", b"INVITE x SIP/2.0\r\nbad\r\n\r\n"]
)
def test_garbage_is_a_parse_error(data: bytes) -> None:
    with pytest.raises(sip.SipParseError):
        sip.parse(data)


def test_a_gb2312_catalog_round_trips() -> None:
    item = manscdp.CatalogItem(
        "32072201001310000001", "石榴街道东门", "OFF", "320722", "", 118.7, 34.5, 1
    )
    body = manscdp.catalog_response("32072201001180000001", 3, 40, [item])
    assert body.startswith(b'<?xml version="1.0" encoding="GB2312"?>')
    assert "石榴".encode("gb2312") in body
    total, items = manscdp.catalog_items(manscdp.loads(body))
    assert total == 40
    assert items == [item]
    assert not items[0].online


def test_a_body_with_a_doctype_or_no_xml_is_refused() -> None:
    with pytest.raises(manscdp.BodyError):
        manscdp.loads(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Notify/>')
    with pytest.raises(manscdp.BodyError):
        manscdp.loads(b"<Notify><CmdType>")


def test_digest_the_rfc_2617_example() -> None:
    """RFC 2617 section 3.5, the worked example (qop=auth)."""
    fields = {
        "username": "Mufasa",
        "realm": "testrealm@host.com",
        "nonce": "dcd98b7102dd2f0e8b11d0f600bfb0c093",
        "uri": "/dir/index.html",
        "qop": "auth",
        "nc": "00000001",
        "cnonce": "0a4f113b",
    }
    response = "6629fae49393a05397450978507c4ef1"
    assert digest.expected(fields, method="GET", password="Circle Of Life") == response
    assert digest.verify(fields | {"response": response}, method="GET", password="Circle Of Life")


def test_digest_authorization_answers_a_challenge() -> None:
    nonces = digest.Nonces()
    nonce = nonces.issue()
    challenge = digest.parse_auth(digest.challenge("3207220000", nonce))
    header = digest.authorization(
        challenge, username="dev", password="pw", method="REGISTER", uri="sip:s@3207220000"
    )
    fields = digest.parse_auth(header)
    assert fields["nonce"] == nonce and nonces.fresh(nonce) and not nonces.fresh("other")
    assert digest.verify(fields, method="REGISTER", password="pw")
    assert not digest.verify(fields, method="REGISTER", password="wrong")


@pytest.mark.parametrize(
    ("command", "speed", "expected"),
    [
        # The standard's layout: A5 0F 01, command, pan, tilt, zoom<<4, sum mod 256.
        ("stop", 1, "A50F0100000000B5"),
        ("left", 0x1F, "A50F01021F0000D6"),
        ("right", 0x1F, "A50F01011F0000D5"),
        ("up", 0x1F, "A50F0108001F00DC"),
        ("down", 0x1F, "A50F0104001F00D8"),
        ("zoom_in", 0x10, "A50F0110000010D5"),
        ("zoom_out", 0xFF, "A50F01200000F0C5"),
    ],
)
def test_ptz_command_bytes(command: str, speed: int, expected: str) -> None:
    assert ptz_command(command, speed) == expected
    data = bytes.fromhex(expected)
    assert sum(data[:7]) % 256 == data[7]


def test_ptz_decode_reads_back_and_bad_input_names_the_field() -> None:
    assert ptz_decode(ptz_command("left", 200)) == ("left", 200)
    assert ptz_decode(ptz_command("zoom_out", 255)) == ("zoom_out", 15)
    with pytest.raises(ValueError):
        ptz_decode("A50F0100000000B6")
    with pytest.raises(PtzError) as error:
        ptz_command("spin", 1)
    assert error.value.field == "command"
    with pytest.raises(PtzError) as error:
        ptz_command("left", 0)
    assert error.value.field == "speed"
