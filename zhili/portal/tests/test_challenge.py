"""The arithmetic challenge: Chinese words, a signed token that does not carry the answer,
one try per token."""

import pytest
from django.core import signing

from zhili.core.errors import InvalidInput
from zhili.portal import challenge
from zhili.portal.tests.conftest import solve


def test_numbers_in_chinese_words():
    words = [challenge.chinese_number(n) for n in (0, 7, 10, 12, 20, 45, 81)]
    assert words == ["零", "七", "十", "十二", "二十", "四十五", "八十一"]


def test_the_token_does_not_carry_the_answer():
    for _ in range(50):
        issued = challenge.issue()
        answer = solve(issued.question)
        payload = signing.loads(issued.token, salt=challenge.SALT)
        assert set(payload) == {"n", "d"}
        assert answer not in (str(payload["n"]), str(payload["d"]))
        assert int(answer) >= 0


def test_a_right_answer_passes_once(db):
    issued = challenge.issue()
    answer = solve(issued.question)
    nonce = challenge.verify(issued.token, f" {answer} ")
    assert nonce
    with pytest.raises(challenge.ChallengeUsed) as used:
        challenge.verify(issued.token, answer)
    assert used.value.nonce == nonce and used.value.field == "challenge_answer"


def test_a_tampered_token_is_refused(db):
    issued = challenge.issue()
    with pytest.raises(InvalidInput):
        challenge.verify(issued.token[:-2] + "xx", solve(issued.question))
