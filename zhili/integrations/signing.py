"""The signature of a push and of a reply call-back, both ways the same recipe:

    signature = hex(HMAC-SHA256(secret, f"{timestamp}.".encode() + raw_body))

sent in `X-Zhili-Signature`, with the unix time in seconds in `X-Zhili-Timestamp`.
"""

import hashlib
import hmac
import time

TIMESTAMP_HEADER = "X-Zhili-Timestamp"
SIGNATURE_HEADER = "X-Zhili-Signature"


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_matches(secret: str, timestamp: int | str, body: bytes, presented: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), presented.strip().lower())


def signed_headers(secret: str, body: bytes, *, timestamp: int | None = None) -> dict[str, str]:
    """The headers of a signed request carrying `body` (now, unless told otherwise)."""
    ts = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: str(ts),
        SIGNATURE_HEADER: sign(secret, ts, body),
    }
