"""The lesson quiz's scoring (测验评分). Pure Python.

Each question has its points; a single-choice or true/false question is right when the one
option chosen is the answer, a multiple-choice question only when exactly the answer's options
are chosen (no partial credit, as in the cadres' online examinations). The score is the share
of the points won, out of 100, rounded half up.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Key:
    """A question as scored: its id, the options' count, the right options and its points."""

    id: int
    options: int
    answer: frozenset[int]
    points: int
    multiple: bool = False


@dataclass(frozen=True)
class Marked:
    score: int  # 0..100
    right: frozenset[int]  # the ids of the questions answered right


class BadAnswer(ValueError):
    """An answer names an option the question does not have, or several for a one-choice
    question; `question` is its id."""

    def __init__(self, question: int, message: str) -> None:
        super().__init__(message)
        self.question = question
        self.message = message


def check(keys: Sequence[Key], answers: Mapping[int, Sequence[int]]) -> None:
    known = {k.id: k for k in keys}
    for qid, chosen in answers.items():
        key = known.get(qid)
        if key is None:
            raise BadAnswer(qid, "该题不属于本课时测验")
        if any(not 0 <= c < key.options for c in chosen):
            raise BadAnswer(qid, "选项不存在")
        if not key.multiple and len(set(chosen)) > 1:
            raise BadAnswer(qid, "该题只能选一个答案")


def mark(keys: Sequence[Key], answers: Mapping[int, Sequence[int]]) -> Marked:
    check(keys, answers)
    total = sum(k.points for k in keys)
    right = frozenset(k.id for k in keys if frozenset(answers.get(k.id, ())) == k.answer)
    won = sum(k.points for k in keys if k.id in right)
    if total == 0:
        return Marked(100, right)
    score = (Decimal(won * 100) / Decimal(total)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return Marked(int(score), right)
