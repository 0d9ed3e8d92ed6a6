import io

import pytest
from django.core.management import call_command

from zhili.core.management.commands import demo
from zhili.core.workcal import CalendarYearUnknown

LOADED: list[str] = []


def loads_fine(*, stdout):
    LOADED.append("fine")


def needs_next_year(*, stdout):
    raise CalendarYearUnknown(2027)


def never_reached(*, stdout):
    LOADED.append("later")


@pytest.mark.django_db
def test_an_unknown_calendar_year_stops_the_demo_with_a_clear_message(monkeypatch):
    here = __name__
    loaders = [f"{here}.loads_fine", f"{here}.needs_next_year", f"{here}.never_reached"]
    monkeypatch.setattr(demo, "DEMO_LOADERS", loaders)
    LOADED.clear()
    out, err = io.StringIO(), io.StringIO()
    call_command("demo", stdout=out, stderr=err)
    assert LOADED == ["fine"]
    assert "2027 年的节假日安排尚未配置" in err.getvalue()
    assert "演示账号" in out.getvalue()  # the logins are still listed
