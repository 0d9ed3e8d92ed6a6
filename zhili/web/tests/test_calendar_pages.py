"""节假日安排: the administrators' calendar pages, the import of the notice, and the banner."""

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from zhili.core import stamps, workcal
from zhili.core.models import CalendarYear, Holiday, OutboxEvent

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]
TZ = ZoneInfo("Asia/Shanghai")
NOTICE_2026 = (Path(__file__).parents[2] / "core/tests/data/notice_2026.txt").read_text("utf-8")
# A notice of the 2026 shape, moved to 2027's dates (the real one is published in November).
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至11日（农历正月初六、周四）放假调休，共7天。2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假，共1天。
六、中秋节：9月15日（周三）放假，共1天。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
"""


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


def test_only_administrators_see_the_calendar(client: Any, personas: Any) -> None:
    client.force_login(personas.dispatcher)
    assert client.get("/calendar/").status_code == 403
    client.force_login(personas.admin)
    page = client.get("/calendar/").content.decode()
    next_year = timezone.localdate().year + 1  # listed whatever the day: last year .. +2
    assert "节假日安排" in page and f'data-testid="year-{next_year}"' in page
    assert "临时日历" in page


def test_preview_then_confirm_the_2027_notice(client: Any, personas: Any) -> None:
    client.force_login(personas.admin)
    preview = client.post("/calendar/2027/", {"step": "preview", "text": NOTICE_2027})
    assert preview.status_code == 200
    body = preview.content.decode()
    assert 'data-testid="preview"' in body and "放假 27 天，调休上班 5 天" in body
    assert not CalendarYear.objects.exists()  # a preview writes nothing
    days = preview.context["preview"]["days_value"]
    done = client.post("/calendar/2027/", {"step": "confirm", "days": days})
    assert done.status_code == 302
    row = CalendarYear.objects.get(year=2027)
    assert (row.source, row.confirmed_by) == ("imported", personas.admin)
    assert Holiday.objects.filter(date__year=2027).count() == 32
    assert OutboxEvent.objects.filter(name="core.calendar_changed").exists()
    page = client.get("/calendar/2027/").content.decode()
    assert "正式（导入国务院通知）" in page
    assert 'data-day="2027-02-20" data-kind="makeup"' in page


def test_a_bad_notice_is_a_field_error_and_keeps_the_text(client: Any, personas: Any) -> None:
    client.force_login(personas.admin)
    response = client.post("/calendar/2027/", {"step": "preview", "text": "一、春节：至3日放假。"})
    assert response.status_code == 422
    body = response.content.decode()
    assert 'data-testid="error-text"' in body and "缺少月份" in body
    assert "一、春节：至3日放假。" in body  # what was typed stays in the box


def test_a_notice_missing_a_statutory_day_cannot_be_confirmed(client: Any, personas: Any) -> None:
    client.force_login(personas.admin)
    text = NOTICE_2027.replace("六、中秋节：9月15日（周三）放假，共1天。\n", "")
    body = client.post("/calendar/2027/", {"step": "preview", "text": text}).content.decode()
    assert 'data-testid="preview-missing"' in body and "中秋节（9月15日）" in body
    assert 'data-testid="confirm"' not in body


def test_a_year_the_library_knows_takes_no_import(client: Any, personas: Any) -> None:
    client.force_login(personas.admin)
    page = client.get("/calendar/2026/").content.decode()
    assert "正式（系统日历库）" in page and 'data-testid="notice-form"' not in page
    response = client.post("/calendar/2026/", {"step": "preview", "text": NOTICE_2026})
    assert response.status_code == 200  # a preview of a known year is harmless ...
    days = response.context["preview"]["days_value"]
    refused = client.post("/calendar/2026/", {"step": "confirm", "days": days})
    assert refused.status_code == 422  # ... entering it is refused
    assert "无需录入" in refused.content.decode()
    assert client.get("/calendar/3000/").status_code == 404


def test_the_banner_from_november_until_next_year_is_entered(client: Any, personas: Any) -> None:
    client.force_login(personas.admin)
    with time_machine.travel(at(2026, 10, 30, 9, 0)):
        assert 'data-testid="calendar-banner"' not in client.get("/").content.decode()
    with time_machine.travel(at(2026, 11, 1, 9, 0)):
        page = client.get("/").content.decode()
        assert 'data-testid="calendar-banner"' in page and "2027 年节假日安排尚未录入" in page
        client.force_login(personas.dispatcher)
        assert 'data-testid="calendar-banner"' not in client.get("/").content.decode()
        client.force_login(personas.admin)
        CalendarYear.objects.create(year=2027, source="entered")
        stamps.bump(workcal.STAMP)  # as the service does
        assert 'data-testid="calendar-banner"' not in client.get("/").content.decode()


def test_confirming_rows_entered_day_by_day(client: Any, personas: Any) -> None:
    from zhili.core.statutory import statutory_days

    for day, name in statutory_days(2027).items():
        Holiday.objects.create(date=day, name=name)
    Holiday.objects.create(date=date(2027, 2, 20), name="春节", is_workday=True)
    client.force_login(personas.admin)
    assert 'data-testid="confirm-rows"' in client.get("/calendar/2027/").content.decode()
    assert client.post("/calendar/2027/", {"step": "confirm_rows"}).status_code == 302
    assert CalendarYear.objects.get(year=2027).source == "entered"
