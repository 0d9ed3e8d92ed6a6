"""The demo's screen loader rebuilds the daily figures of every day its cases span."""

import io
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhili.cases.models import Case
from zhili.screen import demo
from zhili.screen.models import DailyFigure

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]


def test_the_demo_fills_the_screen_from_the_oldest_case_to_today(register: Any) -> None:
    out = io.StringIO()
    demo.load(stdout=out)
    assert "尚无工单" in out.getvalue() and not DailyFigure.objects.exists()
    old = register(channel="hotline")
    Case.objects.filter(pk=old.pk).update(registered_at=timezone.now() - timedelta(days=20))
    register(channel="web")
    demo.load(stdout=out)
    days = set(DailyFigure.objects.filter(received__gt=0).values_list("day", flat=True))
    today = timezone.localdate()
    assert days == {today - timedelta(days=20), today}
    rows = DailyFigure.objects.count()
    demo.load(stdout=out)  # again: the same rows rebuilt, none added
    assert DailyFigure.objects.count() == rows
