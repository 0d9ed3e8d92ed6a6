"""The 日报: generated from the data, every figure reconciling with the list its link opens."""

import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.utils import timezone

from zhili.cases.models import Channel
from zhili.registers.models import PersonRole, Visit
from zhili.reports.daily import CHANNEL_FIVE, GROUND, POLICE, PUBLIC, VISITS, channels_of
from zhili.reports.models import Report, ReportState
from zhili.reports.sections import SECTIONS, Builder, Section
from zhili.reports.services import report_generate, report_request

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def generate(actor: Any, day: Any) -> Report:
    report = report_request(actor=actor, kind="daily", period=f"{day:%Y-%m-%d}")
    return report_generate(report.pk)


def figures(content: dict[str, Any]) -> list[tuple[str, list[Any], dict[str, Any]]]:
    """Every figure of the report: (section key, its row, the figure)."""
    found = []
    for section in content["sections"]:
        for table in section["tables"]:
            for row in table["rows"]:
                found += [(section["key"], row, c) for c in row if isinstance(c, dict) and "n" in c]
    return found


def rows_at(client: Client, url: str) -> int:
    """How many rows the list at `url` holds (every list here fits on one page)."""
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    if "kept" in context:
        return len(context["rows"])
    page = context["page"]
    if hasattr(page, "paginator"):
        return page.paginator.count
    assert page.next_cursor is None, url
    return len(page.items)


def table(content: dict[str, Any], key: str, title: str) -> dict[str, int]:
    section = next(s for s in content["sections"] if s["key"] == key)
    found = next(t for t in section["tables"] if title in t["title"])
    return {row[-2] if len(row) > 2 else row[0]: row[-1]["n"] for row in found["rows"]}


def test_the_daily_report_counts_the_day(day_data, staff):
    report = generate(staff.dispatcher, day_data.day)
    assert report.state == ReportState.DONE and report.progress == 100
    content = report.content
    assert [s["title"] for s in content["sections"]] == [
        "一、总体情况",
        "二、新增预警",
        "三、红黄牌",
        "四、超期未办结",
        "五、重点人员走访",
        "六、在办督办",
    ]
    levels = table(content, "warnings", "按预警等级")
    assert (levels["黄色预警"], levels["橙色预警"], levels["合计"]) == (1, 1, 2)
    kinds = table(content, "warnings", "按预警类型")
    assert (kinds["同一人反复诉求"], kinds["同一网格同类事项聚集"]) == (1, 1)
    channels = table(content, "totals", "按来源渠道")
    assert channels == {
        "12345热线": 2,
        "群众网上/APP": 1,
        "Open311接口": 1,
        "110/120/119联动": 1,
        "数字城管": 1,
        "合计": 6,
    }
    five = table(content, "totals", "五情")
    assert (
        five[
            "12345热线、网格员上报、群众网上/APP、领导交办、部门转办、Open311接口、窗口来访（工单，件）"
        ]
        == 4
    )
    assert five["110/120/119联动（工单，件）"] == 1
    assert five["数字城管、视频巡查发现（工单，件）"] == 1
    assert five["阳光信访（工单，件）"] == 0
    assert five["网格巡查（次）"] == 1
    assert five["发现房屋安全隐患（处）"] == 1
    assert five["信访事项（件）"] == 0
    assert five["网络舆情登记（条）"] == 1
    assert table(content, "cards", "当日亮牌") == {"红牌（已超期）": 1, "黄牌（临近时限）": 1}
    assert table(content, "overdue", "超期未办结")["合计"] == 2
    assert table(content, "visits", "走访") == {"逾期未走访": 1, "次日应走访": 1}
    assert "张三丰" not in str(content)  # names masked: 张**
    # A special group's person (刑满释放) is neither named nor their group told.
    missed = report.content["records"]["visits-missed"]["rows"]
    assert missed[0][:2] == ["—", "特殊人群"] and "刑满释放" not in str(report.content)
    due = report.content["records"]["visits-due"]["rows"]
    assert due[0][:2] == ["李*", "流动人口"]


def test_every_figure_counts_what_its_link_lists(day_data, staff):
    report = generate(staff.dispatcher, day_data.day)
    client = client_for(staff.dispatcher)
    found = figures(report.content)
    assert len(found) >= 15
    for key, row, figure in found:
        assert rows_at(client, figure["url"]) == figure["n"], (key, row)


def test_every_channel_counts_in_one_of_the_five() -> None:
    """A new channel left out of the 五情 fails here; the grid workers' reports are the
    people's requests (issue 18: 社情民意 is 12345, the grid, the citizens and Open311)."""
    assert set(CHANNEL_FIVE) == set(Channel.values)
    assert set(CHANNEL_FIVE.values()) == {PUBLIC, POLICE, GROUND, VISITS}
    assert {c for c in Channel.values if CHANNEL_FIVE[c] == PUBLIC} >= {
        Channel.HOTLINE,
        Channel.GRID_REPORT,
        Channel.WEB,
        Channel.OPEN311,
    }
    assert channels_of(POLICE) == [Channel.EMERGENCY]


def test_the_five_s_cases_add_up_to_the_channels_total(staff, register, catalog):
    """One case a channel, every channel: each 情's cases count its channels, together the
    day's total, and each count opens the cases it counts."""
    from zhili.reports.tests.data import _place, at, yesterday

    day = yesterday()
    for i, code in enumerate(Channel.values):
        _place(register(channel=code), registered_at=at(day, 9, i))
    report = generate(staff.dispatcher, day)
    channels = table(report.content, "totals", "按来源渠道")
    assert channels["合计"] == len(Channel.values)
    section = next(s for s in report.content["sections"] if s["key"] == "totals")
    five_table = next(t for t in section["tables"] if "五情" in t["title"])
    cases = {row[0]: row[-1] for row in five_table["rows"] if "（工单，件）" in row[1]}
    assert {five: cell["n"] for five, cell in cases.items()} == {
        five: len(channels_of(five)) for five in (PUBLIC, POLICE, GROUND, VISITS)
    }
    assert sum(cell["n"] for cell in cases.values()) == channels["合计"]
    client = client_for(staff.dispatcher)
    for five, cell in cases.items():
        assert rows_at(client, cell["url"]) == cell["n"], five


def test_a_regenerated_period_keeps_its_earlier_version(day_data, staff, register):
    first = generate(staff.dispatcher, day_data.day)
    case = register(channel="web")
    from zhili.reports.tests.data import _place, at

    _place(case, registered_at=at(day_data.day, 18))
    second = generate(staff.leader, day_data.day)
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert table(first.content, "totals", "按来源渠道")["合计"] == 6
    assert table(second.content, "totals", "按来源渠道")["合计"] == 7


def test_the_records_page_is_the_generation_time_list(day_data, staff):
    report = generate(staff.dispatcher, day_data.day)
    kept = report.content["records"]["cards-red"]
    assert kept["n"] == 1 and kept["rows"][0][0]["text"] == day_data.red.case_no
    page = client_for(staff.dispatcher).get(
        urlparse(f"/reports/{report.pk}/records/cards-red/").path
    )
    assert day_data.red.case_no in page.content.decode()
    assert (
        client_for(staff.dispatcher).get(f"/reports/{report.pk}/records/nothing/").status_code
        == 404
    )


def test_a_failing_section_fails_the_report_and_says_so(day_data, staff):
    def broken(builder: Builder) -> dict[str, Any]:
        raise RuntimeError("the register is away")

    SECTIONS.register("broken", Section("坏的一节", 25, broken))
    report = report_request(actor=staff.dispatcher, kind="daily", period=f"{day_data.day:%Y-%m-%d}")
    try:
        with pytest.raises(RuntimeError):
            report_generate(report.pk)
    finally:
        SECTIONS._entries.pop("broken")
    report.refresh_from_db()
    assert report.state == ReportState.FAILED and "生成失败" in report.message
    page = client_for(staff.dispatcher).get(f"/reports/{report.pk}/").content.decode()
    assert "生成失败" in page and "下载Word" not in page
    assert report_generate(report.pk).state == ReportState.FAILED  # runs once


def test_the_visits_are_counted_as_the_register_stood_at_the_days_end(day_data, staff):
    """A past day's report reads the roles and visits as they were at its end: a missed role
    ended, or visited, after that day is still missed on it (the scheduler's cycles, as of the
    day's end: `registers.visits.roles_as_of`)."""
    role = PersonRole.objects.get(kind="released")
    role.ended_at = timezone.now()
    role.save(update_fields=["ended_at"])
    Visit.objects.create(
        role=role, by=staff.dispatcher, visited_at=timezone.now(), client_uuid=uuid.uuid4()
    )
    content = generate(staff.dispatcher, day_data.day).content
    assert table(content, "visits", "走访") == {"逾期未走访": 1, "次日应走访": 1}
    # Today the ended role is off the register; the one due today is missed by its end.
    today = generate(staff.dispatcher, day_data.day + timedelta(days=1)).content
    assert table(today, "visits", "走访")["逾期未走访"] == 1
    assert [row[:2] for row in today["records"]["visits-missed"]["rows"]] == [["李*", "流动人口"]]
