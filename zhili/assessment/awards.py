"""十佳调解室 and 十佳调解能手: a shortlist computed from the mediation dossiers over the year
(`award_factors`: the mediation ranking's volume, success rate and performance of
agreements, with judicial confirmations, satisfaction and file quality), leaving out whoever
belongs to a unit barred from the year's awards by a veto; then the committee's vote,
recorded per candidate; then the decision: the candidates with a majority of the votes cast,
best supported first, at most ten."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhili.assessment import award_factors
from zhili.assessment.models import AwardKind, LedgerEntry, Nomination
from zhili.core.audit import audit
from zhili.core.errors import Conflict, InvalidInput, NotFound
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor
from zhili.mediation.models import MediationRoom, Mediator
from zhili.mediation.reports.ranking import MIN_CASES
from zhili.mediation.reports.selectors import mediator_ranking, room_ranking

FORMULA = (
    f"推荐名单对全年调结的调解卷宗计算（调结不少于 {MIN_CASES} 件者参评）。"
    + award_factors.FORMULA
    + "取前 20 名交评审委员会表决；被一票否决单位的调解室和调解员不列入。"
    "赞成票超过实到票数半数者当选，按赞成票多少取前 10 名。"
)
SHORTLIST = 20  # twice the awards: the committee chooses
AWARDS = 10


def _paths(kind: str, keys: list[int]) -> dict[int, str]:
    if kind == AwardKind.ROOM:
        return dict(MediationRoom.objects.filter(pk__in=keys).values_list("pk", "path"))
    return dict(Mediator.objects.filter(pk__in=keys).values_list("pk", "committee__path"))


def barred_paths(year: int) -> list[str]:
    rows = LedgerEntry.objects.filter(year=year, bars_awards=True).select_related("unit")
    return [e.unit.path for e in rows]


def _percent(rate: float | None) -> Decimal | None:
    return None if rate is None else Decimal(str(round(rate * 100, 1)))


def _nomination(year: int, kind: str, rank: int, s: award_factors.AwardScore) -> Nomination:
    tally, f = s.ranked.tally, s.factors
    return Nomination(
        year=year,
        kind=kind,
        key=tally.key,
        name=tally.name,
        unit=tally.unit,
        rank=rank,
        score=Decimal(str(s.score)),
        mediated=tally.mediated,
        succeeded=tally.succeeded,
        ranking_score=Decimal(str(s.ranked.score)),
        performance_rate=_percent(s.ranked.performance_rate),
        written=f.written,
        confirmed=f.confirmed,
        rated=f.rated,
        satisfied=f.satisfied,
        file_rate=_percent(f.file_rate),
    )


@transaction.atomic
def shortlist_compute(*, actor: Actor, year: int, kind: str) -> list[Nomination]:
    """The year's shortlist of `kind`, written once (a vote recorded on it stays)."""
    require(actor, Action.ASSESSMENT_MANAGE)
    if kind not in AwardKind.values:
        raise InvalidInput("奖项应为 room 或 mediator", field="kind")
    if Nomination.objects.filter(year=year, kind=kind).exists():
        raise Conflict("本年度该奖项的推荐名单已生成", code="shortlist_exists")
    ranking = room_ranking if kind == AwardKind.ROOM else mediator_ranking
    start, end = date(year, 1, 1), date(year, 12, 31)
    ranked = ranking(user=actor, start=start, end=end, top=10_000)
    factors = award_factors.award_factors(user=actor, kind=kind, start=start, end=end)
    scored = award_factors.rank(ranked, factors)
    paths = _paths(kind, [s.ranked.tally.key for s in scored])
    bars = barred_paths(year)
    kept = [
        s for s in scored if not any(paths.get(s.ranked.tally.key, "").startswith(p) for p in bars)
    ]
    rows = [_nomination(year, kind, n, s) for n, s in enumerate(kept[:SHORTLIST], start=1)]
    Nomination.objects.bulk_create(rows)
    audit(actor, "assessment.awards.shortlist", None, year=year, kind=kind, count=len(rows))
    return list(Nomination.objects.filter(year=year, kind=kind))


@transaction.atomic
def vote_record(
    *, actor: Actor, nomination_id: int, votes_for: int, votes_against: int, abstentions: int
) -> Nomination:
    require(actor, Action.ASSESSMENT_MANAGE)
    found = Nomination.objects.select_for_update().filter(pk=nomination_id).first()
    if found is None:
        raise NotFound("未找到该推荐对象")
    for name, value in (
        ("votes_for", votes_for),
        ("votes_against", votes_against),
        ("abstentions", abstentions),
    ):
        if not 0 <= value <= 999:
            raise InvalidInput("票数应为 0 至 999 的整数", field=name)
    if votes_for + votes_against + abstentions == 0:
        raise InvalidInput("请填写表决票数", field="votes_for")
    found.votes_for, found.votes_against, found.abstentions = votes_for, votes_against, abstentions
    found.voted_by, found.voted_at = actor, timezone.now()
    found.save()
    audit(actor, "assessment.awards.vote", found, votes_for=votes_for)
    return found


@transaction.atomic
def awards_decide(*, actor: Actor, year: int, kind: str) -> list[Nomination]:
    """The winners: a majority of the votes cast, most votes first (then the shortlist's
    order), at most AWARDS; every candidate must have been voted on."""
    require(actor, Action.ASSESSMENT_MANAGE)
    candidates = list(Nomination.objects.select_for_update().filter(year=year, kind=kind))
    if not candidates:
        raise NotFound("尚未生成推荐名单", field="kind")
    waiting = [c.name for c in candidates if c.votes_for is None]
    if waiting:
        raise Conflict(f"尚有 {len(waiting)} 名推荐对象未表决", code="votes_missing")

    def cast(c: Nomination) -> int:
        return (c.votes_for or 0) + (c.votes_against or 0) + (c.abstentions or 0)

    passing = [c for c in candidates if (c.votes_for or 0) * 2 > cast(c)]
    passing.sort(key=lambda c: (-(c.votes_for or 0), c.rank))
    winners = {c.pk for c in passing[:AWARDS]}
    for c in candidates:
        c.selected = c.pk in winners
    Nomination.objects.bulk_update(candidates, ["selected"])
    audit(actor, "assessment.awards.decide", None, year=year, kind=kind, selected=len(winners))
    return [c for c in candidates if c.selected]
