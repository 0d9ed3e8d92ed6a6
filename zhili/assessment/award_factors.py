"""The 十佳 score: the mediation ranking (volume, success rate, performance of agreements;
`zhili.mediation.reports.ranking`) and three further factors the issue names, read from the
same dossiers (the disputes a candidate mediated to an end in the year, as the ranking
counts them):

- 司法确认率 (judicial confirmation): of the candidate's written agreements (an oral one has no
  调解协议书 to bring to a court), those a court confirmed (`Agreement.confirmation_result`
  确认有效);
- 满意率 (satisfaction): a dispute has no rating of its own; a dispute opened from a case
  (事件工单转入) answers that case, whose citizen rates it after the outcome, so its rating is
  the party's judgement of the mediation: (满意 + 基本满意) / rated, as the case figures count
  it. Disputes registered otherwise carry no rating and are not judged;
- 卷宗完整率 (file quality): the share of the elements a people's mediation file must hold
  that the dossier holds, averaged over the candidate's disputes. For every dispute: every
  party's consent recorded (人民调解法 第十七条), a session record (调解记录), the file
  archived (审核归档); with an agreement: the agreement in effect (a written one signed by
  every party and the mediator and sealed, 第二十九条; an oral one on reaching it) and its
  performance followed up (履行回访); without one: the notice of other routes (告知书,
  第二十六条).

score = 0.7 x the ranking's score + 10 x 司法确认率 + 10 x 满意率 + 10 x 卷宗完整率, out of 100;
a factor with nothing to judge (no written agreement, no rated dispute) is left out and the
rest scaled back to 100. Ties go to more successes, then the ranking's own order.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from zhili.assessment.models import AwardKind
from zhili.cases.models import Rating
from zhili.core.types import Actor
from zhili.mediation.models import (
    AgreementForm,
    ConfirmationResult,
    Consent,
    Dispute,
    Outcome,
    Party,
    Session,
)
from zhili.mediation.reports.ranking import Ranked
from zhili.mediation.reports.selectors import dispute_mediators, mediated_disputes

RANKING_SHARE = 0.7  # of the mediation ranking's 100
WEIGHT_CONFIRMED = 10
WEIGHT_SATISFIED = 10
WEIGHT_FILES = 10
SATISFIED = (Rating.SATISFIED, Rating.BASICALLY_SATISFIED)

FORMULA = (
    f"推荐得分 = {RANKING_SHARE:g} × 调解排行得分（调解成功件数、调解成功率、协议履行率）"
    f" + {WEIGHT_CONFIRMED} × 司法确认率 + {WEIGHT_SATISFIED} × 满意率"
    f" + {WEIGHT_FILES} × 卷宗完整率。"
    "司法确认率 = 经人民法院确认有效的书面调解协议 ÷ 书面调解协议；"
    "满意率 =（满意 + 基本满意）÷ 已评价件数，按事件工单转入的纠纷在工单回访中的评价计（纠纷本身不设评价）；"
    "卷宗完整率 = 卷宗应有要件（当事人意愿、调解记录、审核归档；达成协议的另有协议生效与履行回访，"
    "调解不成的另有告知其他救济途径）齐备的比例，按件平均。"
    "无书面协议或无评价件的，该项不计，其余按比例折算为百分制。"
)


@dataclass
class Factors:
    """What was counted for one candidate beyond the ranking's tally."""

    written: int = 0  # written agreements
    confirmed: int = 0  # of those, confirmed by a court
    rated: int = 0  # disputes opened from a case whose case was rated
    satisfied: int = 0  # of those, 满意 or 基本满意
    files: int = 0
    file_points: float = 0.0  # the sum over files of the share of elements present

    def add(self, row: "FileRow") -> None:
        self.written += row.written
        self.confirmed += row.confirmed
        self.rated += bool(row.rating)
        self.satisfied += row.rating in SATISFIED
        self.files += 1
        self.file_points += row.completeness

    @staticmethod
    def _rate(part: float, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def confirmation_rate(self) -> float | None:
        return self._rate(self.confirmed, self.written)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._rate(self.satisfied, self.rated)

    @property
    def file_rate(self) -> float | None:
        return self._rate(self.file_points, self.files)


@dataclass(frozen=True)
class FileRow:
    """One dispute as the factors see it."""

    written: bool
    confirmed: bool
    rating: str
    elements: tuple[bool, ...]

    @property
    def completeness(self) -> float:
        return sum(self.elements) / len(self.elements)


@dataclass(frozen=True)
class AwardScore:
    ranked: Ranked  # the mediation ranking's entry (its tally, rates and score)
    factors: Factors
    score: float


def award_score(ranked: Ranked, factors: Factors) -> float:
    parts = [
        (RANKING_SHARE * 100, ranked.score / 100),
        (WEIGHT_CONFIRMED, factors.confirmation_rate),
        (WEIGHT_SATISFIED, factors.satisfaction_rate),
        (WEIGHT_FILES, factors.file_rate),
    ]
    judged = [(weight, rate) for weight, rate in parts if rate is not None]
    total = sum(weight * rate for weight, rate in judged)
    return round(total * 100 / sum(weight for weight, _r in judged), 2)


def rank(ranked: Iterable[Ranked], factors: dict[int, Factors]) -> list[AwardScore]:
    """The ranking's entries by the 十佳 score, best first."""
    scored = []
    for entry in ranked:
        found = factors.get(entry.tally.key, Factors())
        scored.append(AwardScore(entry, found, award_score(entry, found)))
    scored.sort(key=lambda s: (-s.score, -s.ranked.tally.succeeded, s.ranked.rank))
    return scored


# --- the dossiers ------------------------------------------------------------------------------


def _file_rows(qs: QuerySet[Dispute]) -> dict[int, tuple[FileRow, int | None]]:
    """Dispute id -> (its FileRow, its room) in one query."""
    rows = qs.annotate(
        recorded=Exists(Session.objects.filter(dispute=OuterRef("pk"))),
        undecided=Exists(Party.objects.filter(dispute=OuterRef("pk"), consent=Consent.PENDING)),
        noticed=ExpressionWrapper(~Q(routes_notice=""), output_field=BooleanField()),
    ).values_list(
        "pk",
        "room_id",
        "outcome",
        "closed_at",
        "recorded",
        "undecided",
        "noticed",
        "agreement__form",
        "agreement__effective_at",
        "agreement__performed",
        "agreement__confirmation_result",
        "case__rating",
    )
    out: dict[int, tuple[FileRow, int | None]] = {}
    for pk, room, outcome, closed, recorded, undecided, noticed, *agreement, rating in rows:
        form, effective, performed, result = agreement
        written = outcome == Outcome.AGREEMENT and form == AgreementForm.WRITTEN
        common: tuple[bool, ...] = (not undecided, bool(recorded), closed is not None)
        if outcome == Outcome.AGREEMENT:
            in_effect = effective is not None or form == AgreementForm.ORAL
            elements = (*common, in_effect, bool(performed))
        else:
            elements = (*common, bool(noticed))
        row = FileRow(
            written=written,
            confirmed=written and result == ConfirmationResult.CONFIRMED,
            rating=rating or "",
            elements=elements,
        )
        out[pk] = (row, room)
    return out


def award_factors(*, user: Actor, kind: str, start: date, end: date) -> dict[int, Factors]:
    """Candidate key (mediator or room id) -> its factors over the disputes mediated to an
    end in [start, end] that the user sees: the ranking's own disputes."""
    qs = mediated_disputes(user, start, end)
    rows = _file_rows(qs)
    factors: dict[int, Factors] = defaultdict(Factors)
    if kind == AwardKind.ROOM:
        for row, room in rows.values():
            if room:
                factors[room].add(row)
        return dict(factors)
    for pk, mediators in dispute_mediators(qs).items():
        if pk in rows:
            for mediator in mediators:
                factors[mediator].add(rows[pk][0])
    return dict(factors)
