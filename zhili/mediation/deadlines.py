"""The mediation module's limits, in one table.

Every number of days, months, years or members that a mediation page, document or message
prints is read from here when it is printed (`limits()` for the templates), so that changing
a limit here changes every text that states it. The law behind each is in `law.py`.

- Judicial confirmation (人民调解法 第三十三条): the parties may apply together within
  `CONFIRMATION_DAYS` days of the day the agreement takes effect. The period starts the next
  day (民法典 第二百零一条), so an agreement effective on 1 March may be brought until
  31 March; a last day that is not a working day (a weekend or a statutory holiday) moves to
  the next working day (民事诉讼法 第八十五条; 民法典 第二百零三条). An unused window is warned
  about on its `CONFIRMATION_WARN_DAY`-th day, counted from the effective day like the 30.
- Handling target: a committee generally settles a dispute within one month
  (人民调解工作若干规定 第三十三条). The target is `settings.ZHILI_MEDIATION_TARGET_MONTHS`
  months from the day of acceptance, ending on the corresponding day (民法典 第二百零二条); a
  dispute still being mediated after it gets a yellow warning, never a supervision order.
- A committee has `MIN_MEMBERS` to `MAX_MEMBERS` members (第八条) and a term of `TERM_YEARS`
  years (第九条).
- A risk alert (风险预警) is signed by the police station or petition center it went to within
  `ALERT_SIGN_HOURS` hours, counted in calendar time (a dispute about to turn violent does
  not wait for Monday). Left unsigned, it gets a yellow card at the cases' 80 % point and a
  red card past the limit, like every other late item (zhili.core.cards).
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypedDict

from django.conf import settings

from zhili.core import workcal
from zhili.core.numerals import chinese_number

CONFIRMATION_DAYS = 30
CONFIRMATION_WARN_DAY = 25
TERM_YEARS = 3
TERM_WARN_DAYS = 90  # a term ending within this many days is warned about (换届 is prepared)
MIN_MEMBERS = 3
MAX_MEMBERS = 9
ALERT_SIGN_HOURS = 24


def target_months() -> int:
    return int(getattr(settings, "ZHILI_MEDIATION_TARGET_MONTHS", 1))


@dataclass(frozen=True)
class Window:
    """The judicial-confirmation window of an agreement effective on `effective`."""

    effective: date
    due: date  # the last day an application may be made
    warn_on: date
    provisional: bool  # a day of it lies in a year whose calendar is not official yet

    @property
    def moved(self) -> bool:
        return self.due != self.effective + timedelta(days=CONFIRMATION_DAYS)


def confirmation_window(effective: date) -> Window:
    """The window of an agreement effective on `effective`; provisional when a day of it
    lies in a year whose holiday arrangement is not official yet (workcal)."""
    last = workcal.workday_on_or_after(effective + timedelta(days=CONFIRMATION_DAYS))
    return Window(
        effective=effective,
        due=last,
        warn_on=effective + timedelta(days=CONFIRMATION_WARN_DAY),
        provisional=workcal.provisional_between(effective, last),
    )


def add_months(start: date, months: int) -> date:
    """The corresponding day `months` later, or that month's last day (民法典 第二百零二条)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def handling_due(accepted: date) -> date:
    return add_months(accepted, target_months())


def alert_sign_clock(opened: datetime) -> tuple[datetime, datetime]:
    """(deadline, warning point) for signing a risk alert opened at `opened`; the warning
    point is the one the cases use (zhili.cases.deadlines.warn_point, calendar time)."""
    from zhili.cases.deadlines import warn_point

    due = opened + timedelta(hours=ALERT_SIGN_HOURS)
    return due, warn_point(opened, due, calendar=True)


class Limits(TypedDict):
    confirmation_days: int
    confirmation_warn_day: int
    term_years: int
    term_years_cn: str
    min_members: int
    max_members: int
    members_cn: str
    target_months: int
    target_text: str
    alert_sign_hours: int


def limits() -> Limits:
    """The limits as the templates print them, read now (not at import)."""
    return {
        "confirmation_days": CONFIRMATION_DAYS,
        "confirmation_warn_day": CONFIRMATION_WARN_DAY,
        "term_years": TERM_YEARS,
        "term_years_cn": chinese_number(TERM_YEARS),
        "min_members": MIN_MEMBERS,
        "max_members": MAX_MEMBERS,
        "members_cn": f"{chinese_number(MIN_MEMBERS)}至{chinese_number(MAX_MEMBERS)}人",
        "target_months": target_months(),
        "target_text": target_text(),
        "alert_sign_hours": ALERT_SIGN_HOURS,
    }


def target_text() -> str:
    """受理之日起1个月: the handling target as pages print it."""
    return f"受理之日起{target_months()}个月"
