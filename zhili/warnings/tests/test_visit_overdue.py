"""走访逾期: an open role of the people register past its visit cycle by more than the rule's
days raises one warning per grid, to its township; a second scan adds nothing; a visit made
clears it, a visit made before prevents it; a closed warning is not raised again for the same
overdue stretch, a new stretch raises a new one; and a special group's role is counted, never
named, for readers who may not see it. Dates are relative to the clock."""

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zhili.cases.tests.test_api import get
from zhili.core.errors import InvalidInput
from zhili.registers import visits
from zhili.registers.models import Person, PersonRole
from zhili.registers.tests.conftest import id_number, people  # noqa: F401  (fixture)
from zhili.warnings.models import RuleKind, Warning, WarningRule, WarningState
from zhili.warnings.rules import clean_params
from zhili.warnings.services import warnings_scan

pytestmark = pytest.mark.any_day


@pytest.fixture(autouse=True)
def only_visits(db: Any) -> None:
    WarningRule.objects.exclude(kind=RuleKind.VISIT_OVERDUE).update(enabled=False)


def resident(grid: Any, name: str, seq: int) -> Person:
    return Person.objects.create(
        id_number=id_number(seq=f"{seq:03d}"),
        name=name,
        sex="male",
        birth_date="1980-01-01",
        grid=grid,
    )


def role(person: Person, kind: str, care: str, days_ago: float) -> PersonRole:
    """An open role started `days_ago` (never visited unless a test visits it)."""
    started = timezone.now() - timedelta(days=days_ago)
    return PersonRole.objects.create(person=person, kind=kind, care_level=care, started_at=started)


def visit(actor: Any, r: PersonRole, days_ago: float) -> None:
    visits.visit_record(
        actor=actor,
        person_id=r.person_id,
        role_id=r.pk,
        client_uuid=uuid.uuid4(),
        visited_at=timezone.now() - timedelta(days=days_ago),
    )


@pytest.fixture
def county(people: Any, settings: Any) -> Any:  # noqa: F811
    """甲一村1号网格 (g111, 甲镇): 赵建国 a floating resident of high care (7 days) 20 days
    unvisited (13 days late), and 钱秀英 a drug user of high care 30 days unvisited (a special
    group); a low-care role (90 days) 10 days old, not due; a high-care role 12 days old, 5
    days late (under the rule's 7). 乙一村1号网格 (g211, 乙乡): one normal-care role (30 days)
    45 days unvisited."""
    settings.ZHILI_VISIT_DAYS = {"high": 7, "normal": 30, "low": 90}
    tree = people.tree
    zhao = resident(tree.g111, "赵建国", 1)
    qian = resident(tree.g111, "钱秀英", 2)
    sun = resident(tree.g111, "孙玉兰", 3)
    li = resident(tree.g211, "李海燕", 4)
    people.floating = role(zhao, "floating", "high", 20)
    people.drug = role(qian, "drug", "high", 30)
    people.not_due = role(sun, "left_behind", "low", 10)
    people.slightly_late = role(sun, "floating", "high", 12)
    people.far = role(li, "floating", "normal", 45)
    return people


def test_an_overdue_visit_raises_one_warning_per_grid_to_its_township(county: Any) -> None:
    result = warnings_scan()
    assert (result.issued, result.extended, result.cleared) == (2, 0, 0)
    tree = county.tree
    g111 = Warning.objects.get(subject=f"grid:{tree.g111.pk}:visits")
    assert (g111.unit, g111.center, g111.kind, g111.level) == (
        tree.t1,
        tree.county,
        RuleKind.VISIT_OVERDUE,
        "yellow",
    )
    assert g111.count == 2 and g111.state == WarningState.ISSUED
    assert g111.title == f"{tree.g111.name}2名重点人员走访逾期"
    assert "赵**（流动人口" in g111.summary and "特殊人群 1 人" in g111.summary
    # Masked, and the special group neither named nor its kind told.
    text = g111.title + g111.summary + "".join(g111.sources.values_list("title", flat=True))
    for secret in ("赵建国", "钱秀英", "钱**", "吸毒", "孙", county.floating.person.id_number):
        assert secret not in text, secret
    numbers = set(g111.sources.values_list("number", flat=True))
    day = timezone.localdate(county.floating.started_at)
    assert f"R{county.floating.pk}-{day:%Y%m%d}" in numbers and len(numbers) == 2
    g211 = Warning.objects.get(subject=f"grid:{tree.g211.pk}:visits")
    assert g211.unit == tree.t2 and g211.count == 1


def test_a_second_scan_raises_nothing_and_adds_nothing(county: Any) -> None:
    warnings_scan()
    again = warnings_scan()
    assert (again.issued, again.extended, again.cleared) == (0, 0, 0)
    assert Warning.objects.count() == 2


def test_a_newly_overdue_role_is_added_to_the_grids_open_warning(county: Any) -> None:
    warnings_scan()
    PersonRole.objects.filter(pk=county.slightly_late.pk).update(
        started_at=timezone.now() - timedelta(days=15)
    )
    result = warnings_scan()
    assert (result.issued, result.extended) == (0, 1)
    warning = Warning.objects.get(subject=f"grid:{county.tree.g111.pk}:visits")
    assert warning.count == 3
    assert [e.action for e in warning.events.order_by("id")] == ["issue", "evidence"]


def test_the_visits_made_clear_the_grids_warning(county: Any) -> None:
    warnings_scan()
    visit(county.gridworker, county.floating, 0)
    assert warnings_scan().cleared == 0  # the drug user is still overdue
    visit(county.gridworker, county.drug, 0.5)
    result = warnings_scan()
    assert (result.issued, result.cleared) == (0, 1)
    warning = Warning.objects.get(subject=f"grid:{county.tree.g111.pk}:visits")
    assert warning.state == WarningState.CLOSED and warning.closed_by is None
    assert warning.events.order_by("-id").first().action == "clear"
    assert Warning.objects.get(subject=f"grid:{county.tree.g211.pk}:visits").state == "issued"
    assert warnings_scan().issued == 0  # cleared stays cleared


def test_a_visit_made_in_time_prevents_the_warning(county: Any) -> None:
    visit(county.gridworker, county.floating, 2)
    visit(county.gridworker, county.drug, 6)  # due tomorrow: not overdue
    warnings_scan()
    assert not Warning.objects.filter(subject=f"grid:{county.tree.g111.pk}:visits").exists()


def test_a_closed_warning_is_not_raised_again_for_the_same_stretch(county: Any) -> None:
    warnings_scan()
    Warning.objects.update(state=WarningState.CLOSED)  # answered and closed, not yet visited
    assert warnings_scan().issued == 0
    # A visit 15 days ago: a new stretch of the floating role, 8 days late.
    visit(county.gridworker, county.floating, 15)
    assert warnings_scan().issued == 1
    newest = Warning.objects.order_by("-id").first()
    assert newest is not None and newest.subject == f"grid:{county.tree.g111.pk}:visits"
    assert newest.count == 1  # the drug user's stretch was named by the closed one


def test_the_rules_days_are_its_setting(county: Any) -> None:
    rule = WarningRule.objects.get(kind=RuleKind.VISIT_OVERDUE)
    rule.params = clean_params(rule.kind, {"days": 3})
    rule.save()
    warnings_scan()
    g111 = Warning.objects.get(subject=f"grid:{county.tree.g111.pk}:visits")
    assert g111.count == 3  # 孙玉兰's role, 5 days late, is over 3
    with pytest.raises(InvalidInput) as bad:
        clean_params(rule.kind, {"days": -1})
    assert bad.value.field == "params.days"


def test_readers_see_the_special_group_only_as_a_count(county: Any) -> None:
    warnings_scan()
    warning = Warning.objects.get(subject=f"grid:{county.tree.g111.pk}:visits")
    url = f"/api/v1/warnings/{warning.number}"
    client = Client()
    body = get(client, county.dispatcher, url).json()
    sources = {s["title"].split("，")[0]: s for s in body["sources"]}
    assert sources["赵**（流动人口）"]["url"] == f"/registers/people/{county.floating.person_id}/"
    special = sources["特殊人群（类别和姓名仅属地可见）"]
    assert special["url"] == "" and special["kind"] == "visit"
    assert get(client, county.township, url).status_code == 200
    assert get(client, county.other_township, url).status_code == 404
    client.force_login(county.dispatcher)
    page = client.get(f"/warnings/{warning.number}/").content.decode()
    assert "赵**" in page and "吸毒" not in page and "钱" not in page
