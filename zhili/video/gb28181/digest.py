"""HTTP digest authentication for SIP REGISTER (RFC 2617, MD5, with or without qop=auth)."""

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

PAIR = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - the standard's algorithm


def parse_auth(value: str) -> dict[str, str]:
    """`Digest username="a", realm="b", nc=00000001` → {"username": "a", ...}."""
    scheme, _, rest = value.strip().partition(" ")
    if scheme.lower() != "digest":
        return {}
    return {m[1].lower(): m[2] if m[2] is not None else m[3] for m in PAIR.finditer(rest)}


def expected(fields: dict[str, str], *, method: str, password: str) -> str:
    """The `response` a client that knows `password` computes for these fields."""
    ha1 = md5(f"{fields.get('username', '')}:{fields.get('realm', '')}:{password}")
    ha2 = md5(f"{method}:{fields.get('uri', '')}")
    if fields.get("qop"):
        tail = f"{fields.get('nc', '')}:{fields.get('cnonce', '')}:{fields['qop']}"
        return md5(f"{ha1}:{fields.get('nonce', '')}:{tail}:{ha2}")
    return md5(f"{ha1}:{fields.get('nonce', '')}:{ha2}")


def authorization(
    challenge: dict[str, str], *, username: str, password: str, method: str, uri: str
) -> str:
    """The Authorization header a client sends back to a WWW-Authenticate `challenge`."""
    fields = {"username": username, "realm": challenge.get("realm", ""), "uri": uri}
    fields["nonce"] = challenge.get("nonce", "")
    if "auth" in challenge.get("qop", "").split(","):
        fields |= {"qop": "auth", "nc": "00000001", "cnonce": secrets.token_hex(8)}
    fields["response"] = expected(fields, method=method, password=password)
    quoted = ", ".join(
        f"{k}={v}" if k in ("qop", "nc") else f'{k}="{v}"' for k, v in fields.items()
    )
    return f"Digest {quoted}, algorithm=MD5"


@dataclass
class Nonces:
    """The nonces this server handed out, each good for `ttl` seconds."""

    ttl: float = 300.0

    def __post_init__(self) -> None:
        self.issued: dict[str, float] = {}

    def issue(self) -> str:
        now = time.monotonic()
        self.issued = {n: t for n, t in self.issued.items() if now - t < self.ttl}
        nonce = secrets.token_hex(16)
        self.issued[nonce] = now
        return nonce

    def fresh(self, nonce: str) -> bool:
        issued = self.issued.get(nonce)
        return issued is not None and time.monotonic() - issued < self.ttl


def challenge(realm: str, nonce: str) -> str:
    return f'Digest realm="{realm}", nonce="{nonce}", algorithm=MD5'


def verify(fields: dict[str, str], *, method: str, password: str) -> bool:
    given = fields.get("response", "")
    return hmac.compare_digest(given.lower(), expected(fields, method=method, password=password))
