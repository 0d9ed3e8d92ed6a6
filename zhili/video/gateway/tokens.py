"""Janus signed tokens (`token_auth_secret`): `expiry,realm,plugin…:base64(HMAC-SHA1)`.

Janus checks the signature and the expiry itself, so the platform mints a token without calling
Janus, and a token leaked from a page is worth nothing a minute or two later.
"""

import base64
import hashlib
import hmac
from datetime import datetime

REALM = "janus"
STREAMING = "janus.plugin.streaming"
VIDEOROOM = "janus.plugin.videoroom"
AUDIOBRIDGE = "janus.plugin.audiobridge"


def sign(secret: str, *, expires_at: datetime, plugins: tuple[str, ...] = (STREAMING,)) -> str:
    data = ",".join([str(int(expires_at.timestamp())), REALM, *plugins])
    digest = hmac.new(secret.encode(), data.encode(), hashlib.sha1).digest()
    return f"{data}:{base64.b64encode(digest).decode()}"
