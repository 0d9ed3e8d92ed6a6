"""A simple challenge against robots: an arithmetic question in Chinese words.

The question travels with the form as a signed token (django.core.signing, with an expiry)
that holds a random nonce and a keyed digest of the answer, never the answer itself: signing
does not hide the payload. A token can be answered once: its nonce is marked used in the
cache on the first attempt, right or wrong, so a robot cannot try every answer on one token.
The cache is the shared one (zhili.core.sharedcache): with Redis down, tokens are marked
used in this process's memory and reports are still accepted.
"""

import hmac
import secrets
import unicodedata
from dataclasses import dataclass

from django.core import signing
from django.utils.crypto import salted_hmac

from zhili.core import sharedcache
from zhili.core.errors import InvalidInput
from zhili.core.numerals import chinese_number

SALT = "zhili.portal.challenge"
TTL = 30 * 60  # seconds to answer: a report with a map and photos takes a while
FIELD = "challenge_answer"


class ChallengeUsed(InvalidInput):
    """The token was already answered; `nonce` lets the caller find what it produced."""

    def __init__(self, nonce: str):
        super().__init__("验证题已使用，请回答新的题目", field=FIELD, code="challenge_used")
        self.nonce = nonce


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def _digest(nonce: str, answer: str) -> str:
    return salted_hmac(SALT, f"{nonce}:{answer}").hexdigest()


def _question() -> tuple[str, int]:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    kind = secrets.randbelow(3)
    if kind == 0:
        return f"{chinese_number(a)}加{chinese_number(b)}等于几？", a + b
    if kind == 1:
        a, b = max(a, b) + 5, min(a, b)
        return f"{chinese_number(a)}减{chinese_number(b)}等于几？", a - b
    return f"{chinese_number(a)}乘以{chinese_number(b)}等于几？", a * b


def issue() -> Challenge:
    question, answer = _question()
    nonce = secrets.token_urlsafe(12)
    token = signing.dumps({"n": nonce, "d": _digest(nonce, str(answer))}, salt=SALT)
    return Challenge(question, token)


def normalize(answer: str) -> str:
    """Full-width digits (from a Chinese keyboard) become ASCII; spaces go."""
    return unicodedata.normalize("NFKC", answer or "").strip()


def verify(token: str, answer: str) -> str:
    """The token's nonce, if `answer` is right and the token is fresh and unused.

    Raises InvalidInput naming the answer field (ChallengeUsed for a token already answered).
    """
    try:
        data = signing.loads(token or "", salt=SALT, max_age=TTL)
    except signing.SignatureExpired as exc:
        raise InvalidInput("验证题已过期，请回答新的题目", field=FIELD) from exc
    except signing.BadSignature as exc:
        raise InvalidInput("请回答验证题", field=FIELD) from exc
    nonce = str(data.get("n", ""))
    if not sharedcache.add(f"portal:challenge:{nonce}", 1, timeout=TTL + 60):
        raise ChallengeUsed(nonce)
    if not hmac.compare_digest(_digest(nonce, normalize(answer)), str(data.get("d", ""))):
        raise InvalidInput("验证题答案不正确，请回答新的题目", field=FIELD)
    return nonce
