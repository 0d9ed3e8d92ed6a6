"""SIP messages (RFC 3261) as GB/T 28181-2016 uses them: parse and build, no I/O.

Only what the standard's devices send is understood: one message per datagram (or per
Content-Length frame on TCP), compact header names, header parameters. Bodies are bytes;
MANSCDP XML is read and written by `manscdp`.
"""

import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

COMPACT = {
    "v": "Via",
    "f": "From",
    "t": "To",
    "i": "Call-ID",
    "m": "Contact",
    "l": "Content-Length",
    "c": "Content-Type",
    "e": "Content-Encoding",
    "k": "Supported",
    "s": "Subject",
}
CANONICAL = {
    name.lower(): name
    for name in (*COMPACT.values(), "CSeq", "Max-Forwards", "Expires", "User-Agent", "Date")
} | {"www-authenticate": "WWW-Authenticate", "call-id": "Call-ID", "cseq": "CSeq"}
REASONS = {
    100: "Trying",
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    481: "Call/Transaction Does Not Exist",
    488: "Not Acceptable Here",
    500: "Server Internal Error",
}
VERSION = "SIP/2.0"
BRANCH_MAGIC = "z9hG4bK"


class SipParseError(ValueError):
    """Bytes that are not a SIP message this module can read."""


def canonical(name: str) -> str:
    full = COMPACT.get(name.strip().lower(), name.strip())
    return CANONICAL.get(full.lower(), full)


class Headers:
    """Ordered SIP headers, read case-insensitively; a name may occur several times (Via)."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        self.items: list[tuple[str, str]] = [(canonical(n), v) for n, v in items]

    def get(self, name: str, default: str = "") -> str:
        values = self.get_all(name)
        return values[0] if values else default

    def get_all(self, name: str) -> list[str]:
        key = canonical(name).lower()
        return [v for n, v in self.items if n.lower() == key]

    def set(self, name: str, value: str) -> None:
        key = canonical(name)
        self.items = [(n, v) for n, v in self.items if n.lower() != key.lower()]
        self.items.append((key, value))

    def add(self, name: str, value: str) -> None:
        self.items.append((canonical(name), value))

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.items)


@dataclass
class Request:
    method: str
    uri: str
    headers: Headers = field(default_factory=Headers)
    body: bytes = b""

    @property
    def start_line(self) -> str:
        return f"{self.method} {self.uri} {VERSION}"


@dataclass
class Response:
    status: int
    reason: str
    headers: Headers = field(default_factory=Headers)
    body: bytes = b""

    @property
    def start_line(self) -> str:
        return f"{VERSION} {self.status} {self.reason}"


Message = Request | Response


def encode(message: Message) -> bytes:
    """The message on the wire, its Content-Length set from the body."""
    message.headers.set("Content-Length", str(len(message.body)))
    lines = [message.start_line, *(f"{n}: {v}" for n, v in message.headers)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + message.body


def parse(data: bytes) -> Message:
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = data.partition(b"\n\n")
    try:
        lines = head.decode("utf-8").replace("\r\n", "\n").split("\n")
    except UnicodeDecodeError as exc:
        raise SipParseError("headers are not UTF-8") from exc
    headers = Headers(_header_lines(lines[1:]))
    length = headers.get("Content-Length")
    if length:
        body = body[: _int(length, "Content-Length")]
    return _start(lines[0], headers, body)


def _start(line: str, headers: Headers, body: bytes) -> Message:
    parts = line.strip().split(" ", 2)
    if len(parts) != 3:
        raise SipParseError(f"bad start line: {line[:80]!r}")
    if parts[0] == VERSION:
        return Response(_int(parts[1], "status"), parts[2], headers, body)
    if parts[2] != VERSION or not parts[0].isalpha():
        raise SipParseError(f"bad request line: {line[:80]!r}")
    return Request(parts[0].upper(), parts[1], headers, body)


def _header_lines(lines: list[str]) -> Iterator[tuple[str, str]]:
    current: list[str] = []
    for line in lines:
        if line[:1] in (" ", "\t") and current:  # a folded continuation
            current[1] += " " + line.strip()
            continue
        if current:
            yield current[0], current[1]
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            raise SipParseError(f"bad header line: {line[:80]!r}")
        current = [name, value.strip()]
    if current:
        yield current[0], current[1]


def _int(text: str, what: str) -> int:
    try:
        return int(text.strip())
    except ValueError as exc:
        raise SipParseError(f"{what} is not a number: {text[:20]!r}") from exc


def params(value: str) -> tuple[str, dict[str, str]]:
    """`<sip:a@b>;tag=x;expires=3` → ("<sip:a@b>", {"tag": "x", "expires": "3"})."""
    end = value.find(">") + 1 if value.lstrip().startswith(("<", '"')) else 0
    main, _, rest = value[end:].partition(";")
    pairs = (p.partition("=") for p in rest.split(";") if p.strip())
    return (value[:end] + main).strip(), {k.strip().lower(): v.strip() for k, _, v in pairs}


def uri_user(value: str) -> str:
    """The user part of the SIP URI in a From, To or request URI: the GB/T 28181 id."""
    main = params(value)[0]
    uri = main[main.find("<") + 1 : main.rfind(">")] if "<" in main else main
    return uri.partition(":")[2].partition("@")[0]


def cseq(message: Message) -> tuple[int, str]:
    number, _, method = message.headers.get("CSeq").partition(" ")
    return _int(number, "CSeq"), method.strip().upper()


def new_tag() -> str:
    return secrets.token_hex(4)


def new_branch() -> str:
    return BRANCH_MAGIC + secrets.token_hex(8)


def new_call_id() -> str:
    return secrets.token_hex(12)


def response_to(
    request: Request,
    status: int,
    *,
    to_tag: str = "",
    extra: Iterable[tuple[str, str]] = (),
    body: bytes = b"",
) -> Response:
    """A response that copies the request's Via, From, To (with `to_tag` added when it has
    none), Call-ID and CSeq."""
    headers = Headers((n, v) for n, v in request.headers if n in ("Via", "From"))
    to = request.headers.get("To")
    if to_tag and "tag" not in params(to)[1]:
        to = f"{to};tag={to_tag}"
    headers.add("To", to)
    for name in ("Call-ID", "CSeq"):
        headers.add(name, request.headers.get(name))
    for name, value in extra:
        headers.add(name, value)
    return Response(status, REASONS.get(status, "Unknown"), headers, body)


@dataclass(frozen=True)
class Party:
    """One side of a request: its id, its domain and where it listens."""

    id: str
    domain: str
    host: str
    port: int

    @property
    def uri(self) -> str:
        return f"sip:{self.id}@{self.domain}"

    @property
    def contact(self) -> str:
        return f"<sip:{self.id}@{self.host}:{self.port}>"


def request(
    method: str,
    sender: Party,
    target: Party,
    *,
    cseq_no: int = 1,
    call_id: str = "",
    from_tag: str = "",
    extra: Iterable[tuple[str, str]] = (),
    body: bytes = b"",
    transport: str = "UDP",
) -> Request:
    """A new request from `sender` to `target` (outside a dialog unless tags are given)."""
    via = f"{VERSION}/{transport} {sender.host}:{sender.port};rport;branch={new_branch()}"
    headers = Headers(
        [
            ("Via", via),
            ("From", f"<{sender.uri}>;tag={from_tag or new_tag()}"),
            ("To", f"<{target.uri}>"),
            ("Call-ID", call_id or new_call_id()),
            ("CSeq", f"{cseq_no} {method}"),
            ("Max-Forwards", "70"),
            ("User-Agent", "Zhili GB28181"),
        ]
    )
    for name, value in extra:
        headers.add(name, value)
    uri = f"sip:{target.id}@{target.host}:{target.port}" if method != "REGISTER" else target.uri
    return Request(method, uri, headers, body)
