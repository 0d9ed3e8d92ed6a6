"""The scores the scheduler keeps current (`assessment.scores`, hourly): the platform itself
(actor None, the whole county) computes the running month and quarter, and the month and
quarter just ended until they close on the CLOSE_DAY-th of the month after.

Why the 5th: the units' monthly progress reports are due by the 5th (plans.progress), and
the cards, ratings and follow-ups of the month's last days come in over the first days of
the next; the leaderboard of a month is issued after that. From the 6th the period's
computed entries stand as they are (a 月度通报 or 季点评 issued on them stays true); the
assessors may still compute it again from the scores page, which is audited like this.

Every run is `services.scores_compute`: idempotent (one entry per item and unit, keyed by
period), audited (`assessment.scores.compute` with no actor), and the year's scheme is made
from the defaults first when the county has not made one.
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

from zhili.assessment.models import LedgerEntry
from zhili.assessment.periods import Period, parse_period
from zhili.assessment.services import scheme_create_default, scores_compute

# The month's periods stay open to the scheduler until this day of the month after.
CLOSE_DAY = 5


def _quarter(day: date) -> Period:
    return parse_period(day.year, f"Q{(day.month - 1) // 3 + 1}")


def _month(day: date) -> Period:
    return parse_period(day.year, f"{day.month:02d}")


def periods_due(today: date) -> list[Period]:
    """The periods the scheduler recomputes on `today`: the month and quarter just ended
    (until the CLOSE_DAY-th), then the running month and quarter."""
    due: list[Period] = []
    if today.day <= CLOSE_DAY:
        before = today.replace(day=1) - timedelta(days=1)
        due.append(_month(before))
        if _quarter(before) != _quarter(today):
            due.append(_quarter(before))
    return [*due, _month(today), _quarter(today)]


def scores_recompute(now: datetime | None = None) -> dict[str, int]:
    """Compute every period due now (each in its own transaction); period label -> the
    entries computed."""
    today = timezone.localdate(now or timezone.now())
    done: dict[str, int] = {}
    for period in periods_due(today):
        scheme_create_default(actor=None, year=period.year)
        computed = scores_compute(actor=None, year=period.year, period=period.slug)
        done[f"{period.year}-{period.code}"] = computed.entries
    return done


def period_ensure(year: int, slug: str) -> Period:
    """The period's computed entries, computed first by the platform when it has none (a
    季点评 on a quarter the scheduler never reached); those present are read as they are."""
    period = parse_period(year, slug)
    scheme_create_default(actor=None, year=year)
    if not LedgerEntry.objects.filter(year=year, period=period.code, automatic=True).exists():
        scores_compute(actor=None, year=year, period=period.slug)
    return period
