"""Rules (a)-(d) on a seeded county: each rule finds exactly the seeded subjects (precision
and recall 1.0), next to near misses of every threshold (one request fewer, one hour too
old, another category, a closure too long ago)."""

from collections import defaultdict
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from zhili.cases.models import Case
from zhili.core.workcal import is_workday
from zhili.petitions.services import PersonIn
from zhili.petitions.tests.conftest import ID_B, ID_C
from zhili.receptions.models import RotaDay
from zhili.warnings.models import RuleKind, Warning, WarningRule, WarningState
from zhili.warnings.rules import digest
from zhili.warnings.services import warnings_scan

pytestmark = pytest.mark.any_day


def nowhere(tag: str) -> dict[str, Any]:
    """Placed by an address of its own (no grid): no two such cases cluster."""
    return {"lat": None, "lng": None, "address": f"东海县某村{tag}号"}


G112 = {"lat": 34.505, "lng": 118.715}  # inside grid g112 of the fixture tree
G121 = {"lat": 34.505, "lng": 118.725}
G211 = {"lat": 34.515, "lng": 118.705}
ROAD = "东海县牛山街道和平路18号"


def _phones(case_at: Any, phone: str, *hours: float) -> list[Case]:
    return [case_at(h, reporter_phone=phone, **nowhere(f"{phone}-{h}")) for h in hours]


def _petition(petition_at: Any, hours: float, id_number: str, phone: str, **more: Any) -> Any:
    person = PersonIn(name="赵某某", id_number=id_number, phone=phone)
    return petition_at(hours, petitioners=[person], **more)


def seed_repeat(case_at: Any, petition_at: Any) -> set[str]:
    _phones(case_at, "13900000001", 10, 200, 600)  # 3 within 30 days: fires
    _phones(case_at, "13900000002", 10, 20)  # 2: no
    _phones(case_at, "13900000003", 10, 20, 740)  # the 3rd is 31 days old: no
    _phones(case_at, "13900000004", 30, 40)  # 2 cases and a petition: fires
    _petition(petition_at, 50, "", "13900000004")
    for hours in (5, 100, 300):  # the same ID number 3 times: fires (its phone is the ID's)
        _petition(petition_at, hours, ID_B, "13700000001", title=f"反映补偿问题{hours}")
    for hours in (5, 100):  # 2: no
        _petition(petition_at, hours, ID_C, "13700000002", title=f"反映噪音问题{hours}")
    return {
        f"phone:{digest('13900000001')}",
        f"phone:{digest('13900000004')}",
        f"id:{digest(ID_B)}",
    }


def seed_cluster(case_at: Any, catalog: Any, tree: Any) -> set[str]:
    for hours in (1, 10, 20, 40, 70):  # 5 noise cases in g112 within 72 h: fires
        case_at(hours, category=catalog.noise, reporter_phone=f"1350000{hours:04d}", **G112)
    for hours in (1, 10, 20, 40):  # 4 in g121: no
        case_at(hours, category=catalog.noise, reporter_phone=f"1351000{hours:04d}", **G121)
    for hours in (1, 10, 20, 40, 80):  # the 5th is 80 h old: no
        case_at(hours, category=catalog.lamp, reporter_phone=f"1352000{hours:04d}", **G211)
    for hours in (2, 3, 4, 5, 6):  # 5 at one address placed by no grid: fires
        case_at(
            hours,
            category=catalog.lamp,
            reporter_phone=f"1353000{hours:04d}",
            lat=None,
            lng=None,
            address=ROAD,
        )
    return {
        f"grid:{tree.g112.pk}:cat:{catalog.noise.pk}",
        f"addr:{digest(ROAD)}:cat:{catalog.lamp.pk}",
    }


def seed_group(case_at: Any, petition_at: Any, dispute_at: Any) -> set[str]:
    wages = case_at(3, title="工地农民工集体讨薪", reporter_phone="13600000001", **nowhere("a"))
    case_at(30, title="农民工讨薪", reporter_phone="13600000002", **nowhere("b"))  # 30 h old: no
    crowd = _petition(petition_at, 4, "", "13600000003", people_count=12, form="visit")
    _petition(petition_at, 4, "", "13600000004", people_count=3, title="反映道路问题")
    # A petition's account names a keyword (its title does not): fires.
    unpaid = _petition(
        petition_at,
        5,
        "",
        "13600000005",
        title="反映工程款拖欠问题",
        matter="包工头拖欠二十余名农民工工资，工人准备到工地门口拉横幅。",
    )
    _petition(  # 9 people and no keyword: no
        petition_at,
        6,
        "",
        "13600000006",
        people_count=9,
        title="反映小区物业服务问题",
        matter="物业服务差，业主联名反映。",
    )
    _petition(  # the keyword in its title, but 30 h old: no
        petition_at, 30, "", "13600000007", title="反映征地拆迁补偿标准", matter="补偿偏低。"
    )
    rent = dispute_at(2, title="土地流转租金纠纷", summary="承包方拖欠租金。", people_count=15)
    road = dispute_at(  # a keyword in its account: fires
        3, title="修路占地纠纷", summary="部分村民对占地补偿不满，扬言堵路阻止施工。"
    )
    dispute_at(3, title="邻里排水沟纠纷", people_count=9)  # 9 people, no keyword: no
    dispute_at(  # 12 people and a keyword, but 30 h old: no
        30, title="宅基地界线纠纷", summary="双方亲属聚集对峙。", people_count=12
    )
    return {
        f"case:{wages.case_no}",
        f"petition:{crowd.number}",
        f"petition:{unpaid.number}",
        f"dispute:{rent.number}",
        f"dispute:{road.number}",
    }


def seed_recurrence(case_at: Any, catalog: Any) -> set[str]:
    def at(address: str, hours: float, category: Any, **more: Any) -> Case:
        phone = f"1370{abs(hash((address, hours))) % 10_000_000:07d}"
        return case_at(
            hours,
            category=category,
            address=address,
            lat=None,
            lng=None,
            reporter_phone=phone,
            **more,
        )

    at("和平路20号", 300, catalog.noise, closed_hours_ago=240)
    again = at("和平路20号", 5, catalog.noise)  # 10 days after closure, same category: fires
    at("和平路22号", 1200, catalog.noise, closed_hours_ago=960)
    at("和平路22号", 5, catalog.noise)  # 40 days after closure: no
    at("和平路24号", 300, catalog.noise, closed_hours_ago=240)
    at("和平路24号", 5, catalog.lamp)  # another category: no
    at("和平路26号", 300, catalog.noise, closed_hours_ago=240)
    at("和平路26号", 30, catalog.noise)  # before the scan's 24 hours: no
    return {f"case:{again.case_no}"}


def test_rules_a_to_d_reach_precision_and_recall_one(
    case_at: Any, petition_at: Any, dispute_at: Any, catalog: Any, tree: Any
) -> None:
    expected = {
        RuleKind.REPEAT: seed_repeat(case_at, petition_at),
        RuleKind.CLUSTER: seed_cluster(case_at, catalog, tree),
        RuleKind.GROUP: seed_group(case_at, petition_at, dispute_at),
        RuleKind.RECURRENCE: seed_recurrence(case_at, catalog),
    }
    result = warnings_scan()
    found: dict[str, set[str]] = defaultdict(set)
    for kind, subject in Warning.objects.values_list("kind", "subject"):
        found[kind].add(subject)
    for kind, wanted in expected.items():
        hits = found[kind] & wanted
        precision = len(hits) / len(found[kind]) if found[kind] else 0.0
        recall = len(hits) / len(wanted)
        assert (kind, precision, recall) == (kind, 1.0, 1.0), (found[kind], wanted)
    assert result.issued == sum(len(s) for s in expected.values())
    assert result.rules == 7  # (a)-(e), rota gap, overdue visits: the last 3 find nothing here


def test_a_warning_names_its_records_and_masks_the_person(case_at: Any, petition_at: Any) -> None:
    seed_repeat(case_at, petition_at)
    warnings_scan()
    warning = Warning.objects.get(subject=f"phone:{digest('13900000001')}")
    assert warning.count == 3
    assert sorted(warning.sources.values_list("kind", flat=True)) == ["case"] * 3
    numbers = set(warning.sources.values_list("number", flat=True))
    assert numbers == set(
        Case.objects.filter(reporter_phone="13900000001").values_list("case_no", flat=True)
    )
    assert "13900000001" not in warning.title + warning.summary
    assert "139****0001" in warning.title
    assert warning.state == WarningState.ISSUED
    assert warning.level == WarningRule.objects.get(code="repeat-30d").level
    assert warning.events.get().action == "issue"


def test_a_second_scan_adds_evidence_to_the_open_warning_instead_of_another(
    case_at: Any,
) -> None:
    _phones(case_at, "13900000001", 10, 200, 600)
    assert warnings_scan().issued == 1
    assert warnings_scan().issued == 0  # nothing new: nothing written
    _phones(case_at, "13900000001", 1)
    result = warnings_scan()
    assert (result.issued, result.extended) == (0, 1)
    warning = Warning.objects.get()
    assert warning.count == 4
    assert [e.action for e in warning.events.order_by("id")] == ["issue", "evidence"]


def test_after_closure_only_newer_records_raise_a_new_warning(case_at: Any, staff: Any) -> None:
    _phones(case_at, "13900000001", 10, 200, 600)
    warnings_scan()
    Warning.objects.update(state=WarningState.CLOSED)
    assert warnings_scan().issued == 0  # the same records again: nothing
    with time_machine.travel(timezone.now() + timedelta(hours=3), tick=True):
        _phones(case_at, "13900000001", 1, 2)  # two newer: below the threshold of 3
        assert warnings_scan().issued == 0
        _phones(case_at, "13900000001", 0.5)
        assert warnings_scan().issued == 1
    newest = Warning.objects.order_by("-id").first()
    assert newest is not None and newest.count == 3


def test_the_warning_goes_to_the_township_of_the_latest_record(
    case_at: Any, catalog: Any, tree: Any
) -> None:
    seed_cluster(case_at, catalog, tree)
    warnings_scan()
    grid = Warning.objects.get(subject__startswith="grid:")
    assert grid.unit == tree.t1  # g112 lies in 甲一村 of 甲镇
    assert grid.center == tree.county
    road = Warning.objects.get(subject__startswith="addr:")
    assert road.unit == tree.county  # placed by no township: the county center answers


def test_a_disabled_rule_raises_nothing(case_at: Any) -> None:
    WarningRule.objects.filter(kind=RuleKind.REPEAT).update(enabled=False)
    _phones(case_at, "13900000001", 10, 200, 600)
    assert warnings_scan().issued == 0


def test_a_rule_threshold_is_read_from_its_settings(case_at: Any) -> None:
    rule = WarningRule.objects.get(code="repeat-30d")
    rule.params = {"threshold": 2, "days": 30}
    rule.save()
    _phones(case_at, "13900000002", 10, 20)
    assert warnings_scan().issued == 1


def test_rule_e_raises_a_village_surge_once_with_its_cases(case_at: Any, catalog: Any) -> None:
    """甲二村 (grid g121) has a lamp case every other day for four weeks, then 7 yesterday."""
    yesterday = timezone.localtime().replace(hour=10) - timedelta(days=1)
    hours_ago = (timezone.now() - yesterday).total_seconds() / 3600
    for day in range(2, 30, 2):
        case_at(
            hours_ago + 24 * day, category=catalog.lamp, reporter_phone=f"1388{day:07d}", **G121
        )
    surge = [
        case_at(hours_ago + i / 10, category=catalog.lamp, reporter_phone=f"1389{i:07d}", **G121)
        for i in range(7)
    ]
    WarningRule.objects.exclude(kind=RuleKind.SURGE).update(enabled=False)
    assert warnings_scan().issued == 1
    warning = Warning.objects.get()
    assert warning.title == "甲二村“路灯损坏”类事项异常增多"
    assert set(warning.sources.values_list("number", flat=True)) == {c.case_no for c in surge}
    assert warning.unit.name == "甲镇综治中心"
    assert warnings_scan().issued == 0  # the day's surge is raised once


def test_rule_d_counts_only_another_case_closed_before_the_new_one(
    case_at: Any, catalog: Any
) -> None:
    """At one address and category: a case of the window closed within the hour (its own
    closure is no recurrence), then a second one after that closure (a recurrence of the
    first, named with it), and a case closed only after the second was registered (no
    earlier closure for it)."""
    road = {"address": "和平路30号", "lat": None, "lng": None, "category": catalog.noise}
    first = case_at(20, closed_hours_ago=19, reporter_phone="13700000301", **road)
    second = case_at(10, reporter_phone="13700000302", **road)
    other = {**road, "address": "和平路32号"}
    case_at(10, reporter_phone="13700000303", **other)
    case_at(30, closed_hours_ago=5, reporter_phone="13700000304", **other)
    WarningRule.objects.exclude(kind=RuleKind.RECURRENCE).update(enabled=False)
    assert warnings_scan().issued == 1
    warning = Warning.objects.get()
    assert warning.subject == f"case:{second.case_no}"
    assert set(warning.sources.values_list("number", flat=True)) == {
        first.case_no,
        second.case_no,
    }


def _on_rota(personas: Any, org: Any, day: Any) -> None:
    RotaDay.objects.create(
        date=day, organization=org, org_path=org.path, leader=personas.leader, place="接访室"
    )


def test_a_working_day_within_a_week_without_a_county_leader_is_warned_once(
    personas: Any, tree: Any
) -> None:
    today = timezone.localdate()
    ahead = [today + timedelta(days=n) for n in range(1, 8)]
    workdays = [d for d in ahead if is_workday(d)]
    assert workdays  # a week always holds one
    assert warnings_scan().issued == 0  # no rota kept here yet: nothing to compare

    gap, *covered = workdays
    for day in covered:
        _on_rota(personas, tree.county, day)
    _on_rota(personas, tree.t1, gap)  # a township's leader does not stand in for the county's
    beyond = today + timedelta(days=8)
    if not covered:  # a week of one working day: the rota is kept by a day beyond the week
        _on_rota(personas, tree.county, beyond)
        assert warnings_scan().issued == 0  # only from the 28 days before on, within the week
        _on_rota(personas, tree.county, today - timedelta(days=3))
    assert warnings_scan().issued == 1
    warning = Warning.objects.get(kind=RuleKind.ROTA_GAP)
    assert warning.subject == f"rota:{gap.isoformat()}" and warning.unit == tree.county
    assert f"{gap:%m月%d日}" in warning.title and "无县领导接访排班" in warning.title
    assert f"距今 {(gap - today).days} 天" in warning.summary
    assert warning.count == 0 and warning.level == "yellow"
    assert warnings_scan().issued == 0  # warned once
    client = Client()
    client.force_login(personas.dispatcher)
    page = client.get(f"/warnings/{warning.number}/").content.decode()
    assert f"/receptions/rota/?month={gap:%Y-%m}" in page and "尚无县领导排班" in page

    _on_rota(personas, tree.county, gap)
    Warning.objects.all().delete()
    assert warnings_scan().issued == 0  # every working day of the week has its leader


def test_a_dispute_opened_from_a_case_joins_the_case_s_warning(
    case_at: Any, med: Any, staff: Any, catalog: Any
) -> None:
    """Rule (c): one matter, one warning. The keyword case raises it; the dispute opened
    from the case (its words copied, 25 people) joins it as evidence, linked to its page."""
    from zhili.cases.services import case_act
    from zhili.mediation.services import dispute_open_from_case

    WarningRule.objects.exclude(kind=RuleKind.GROUP).update(enabled=False)
    case = case_at(
        2, category=catalog.dispute, title="工地农民工集体讨薪", reporter_phone="13600000011"
    )
    assert warnings_scan().issued == 1
    case = case_act(actor=staff.dispatcher, case=case, action="dispatch")
    dispute = dispute_open_from_case(actor=med.mediator1, case=case, people_count=25)
    result = warnings_scan()
    assert (result.issued, result.extended) == (0, 1)
    warning = Warning.objects.get()
    assert warning.subject == f"case:{case.case_no}" and warning.count == 2
    assert set(warning.sources.values_list("kind", "number")) == {
        ("case", case.case_no),
        ("dispute", dispute.number),
    }
    client = Client()
    client.force_login(staff.township)
    page = client.get(f"/warnings/{warning.number}/").content.decode()
    assert f'href="/mediation/disputes/{dispute.number}/"' in page


def test_rule_c_says_why_each_record_fired(petition_at: Any, dispute_at: Any) -> None:
    """A petition of 12 people whose account names a keyword, a dispute of 15: the summary
    names each reason, the number and the kind of record."""
    WarningRule.objects.exclude(kind=RuleKind.GROUP).update(enabled=False)
    petition = _petition(
        petition_at, 2, "", "13600000021", people_count=12, matter="村民准备堵路讨说法。"
    )
    dispute = dispute_at(1, title="土地流转租金纠纷", summary="承包方拖欠租金。", people_count=15)
    assert warnings_scan().issued == 2
    by_subject = {w.subject: w for w in Warning.objects.all()}
    shown = by_subject[f"petition:{petition.number}"].summary
    assert shown.startswith(
        f"信访事项 {petition.number}“{petition.title}”12 人集体信访，涉及“堵路”"
    )
    shown = by_subject[f"dispute:{dispute.number}"].summary
    assert shown.startswith(f"矛盾纠纷 {dispute.number}“土地流转租金纠纷”涉及 15 人")
    assert {w.unit.name for w in by_subject.values()} == {"甲镇综治中心"}
