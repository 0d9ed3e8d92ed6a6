"""`zhili demo` for the big screen: its daily figures rebuilt over the demo's days, as
`zhili screen_backfill` does once on an installed platform (the scheduler keeps only today
and yesterday current). Without it a fresh demo's 近30日来源趋势 showed the last two days
only. Idempotent: a day's rows are rebuilt, never added twice."""

import time
from datetime import timedelta
from typing import TextIO

from django.db.models import Min
from django.utils import timezone

from zhili.cases.models import Case
from zhili.screen.services import refresh_day

# The screen reads at most this far back (its trends: 30 days; its comparisons: a year).
MAX_DAYS = 400


def load(*, stdout: TextIO) -> None:
    started = time.monotonic()
    today = timezone.localdate()
    first = Case.objects.aggregate(first=Min("registered_at"))["first"]
    if first is None:
        stdout.write("大屏日统计：尚无工单，跳过\n")
        return
    days = min((today - timezone.localdate(first)).days + 1, MAX_DAYS)
    rows = 0
    for n in range(days - 1, -1, -1):
        rows += refresh_day(today - timedelta(days=n))
        if n % 60 == 0:
            stdout.write(f"大屏日统计：{days - n}/{days} 天，{rows} 行\n")
    stdout.write(f"大屏日统计：{days} 天已重建（{time.monotonic() - started:.1f} 秒）\n")
