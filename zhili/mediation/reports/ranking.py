"""The ranking formula of 十佳调解能手 (mediators) and 十佳调解室 (mediation rooms), without
the database. The selectors count, this module ranks; the assessment reuses both.

For each mediator (or room), over the chosen period (disputes whose mediation ended in it):
- n, mediated: disputes mediated to an end (agreement or no agreement) in which the mediator
  took part (lead or co-mediator), or that were mediated in the room;
- s, succeeded: those ended with an agreement;
- success rate r = s / n;
- performance rate p = (performed + 0.5 x partly performed) / s, from the follow-up of the
  agreements (履行回访); an agreement not yet followed up counts as not performed, because
  the follow-up is part of the work being ranked;
- qualified: n >= the minimum number of cases (default MIN_CASES);
- score = 50 x s / s_max + 30 x r + 20 x p, where s_max is the largest s among the
  qualified; rounded to 0.01. Ties go to more successes, then the higher success rate, then
  the name.
Only qualified entries are ranked; the first TOP are the 十佳.
"""

from collections.abc import Iterable
from dataclasses import dataclass

MIN_CASES = 5
TOP = 10
WEIGHT_VOLUME = 50
WEIGHT_SUCCESS = 30
WEIGHT_PERFORMANCE = 20

FORMULA = (
    f"得分 = {WEIGHT_VOLUME} × 调解成功件数 ÷ 参评者中最高成功件数"
    f" + {WEIGHT_SUCCESS} × 调解成功率"
    f" + {WEIGHT_PERFORMANCE} × 协议履行率；"
    "调解成功率 = 调解成功件数 ÷ 调结件数（达成协议与调解不成）；"
    "协议履行率 =（已履行 + 0.5 × 部分履行）÷ 调解成功件数，未回访的协议按未履行计；"
    "统计区间内调结件数不少于最低件数者参评，同分者依次按成功件数、成功率、名称排序。"
)


@dataclass(frozen=True)
class Tally:
    """What was counted for one mediator or room."""

    key: int
    name: str
    unit: str  # the committee (or the room's place), for the page
    mediated: int
    succeeded: int
    performed: int = 0
    partly: int = 0


@dataclass(frozen=True)
class Ranked:
    rank: int
    tally: Tally
    success_rate: float  # 0..1
    performance_rate: float  # 0..1
    score: float

    @property
    def name(self) -> str:
        return self.tally.name

    @property
    def success_percent(self) -> str:
        return f"{self.success_rate * 100:.1f}%"

    @property
    def performance_percent(self) -> str:
        return f"{self.performance_rate * 100:.1f}%"


def _rate(part: float, whole: int) -> float:
    return part / whole if whole else 0.0


def score(tally: Tally, best: int) -> tuple[float, float, float]:
    """(score, success rate, performance rate) of one tally against the best success count."""
    success = _rate(tally.succeeded, tally.mediated)
    performance = min(_rate(tally.performed + 0.5 * tally.partly, tally.succeeded), 1.0)
    volume = _rate(tally.succeeded, best)
    total = WEIGHT_VOLUME * volume + WEIGHT_SUCCESS * success + WEIGHT_PERFORMANCE * performance
    return round(total, 2), success, performance


def rank(tallies: Iterable[Tally], *, min_cases: int = MIN_CASES, top: int = TOP) -> list[Ranked]:
    """The qualified tallies, best first, at most `top` of them."""
    qualified = [t for t in tallies if t.mediated >= max(min_cases, 1)]
    best = max((t.succeeded for t in qualified), default=0)
    scored = []
    for tally in qualified:
        total, success, performance = score(tally, best)
        scored.append((total, success, performance, tally))
    scored.sort(key=lambda row: (-row[0], -row[3].succeeded, -row[1], row[3].name, row[3].key))
    return [
        Ranked(rank=i + 1, tally=t, success_rate=s, performance_rate=p, score=total)
        for i, (total, s, p, t) in enumerate(scored[:top])
    ]
