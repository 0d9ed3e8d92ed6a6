"""基础数据质量 (data_quality): of the records a township entered or keeps in the period (the
cases its people registered, the people, houses and places made in its grids, the visits to
its people), the share with no defect; the ledger entry links the list of the defective ones.
Hand-computed on a small county; dates relative to now."""

from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from django.utils import timezone

from zhili.assessment.metrics import Context, data_quality
from zhili.assessment.models import LedgerEntry
from zhili.assessment.periods import month_of
from zhili.assessment.services import scheme_create_default, scores_compute
from zhili.assessment.units import Owners
from zhili.cases.models import Case
from zhili.registers.models import House, Person, PersonRole, Place, Visit
from zhili.registers.tests.conftest import id_number

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]

ADDRESS_NOWHERE = "无法识别的某处地址"  # no point, no place the gazetteer knows: no grid


@pytest.fixture
def county(tree: Any, staff: Any, register: Any) -> Any:
    """甲镇 (T1): 14 records, 9 defective (5 complete); 乙乡 (T2): 40 records, 1 defective."""
    period = month_of(timezone.localdate())
    before = period.start - timedelta(hours=1)
    seq = iter(range(100, 999))

    def person(grid: Any, **fields: Any) -> Person:
        fields.setdefault("house", "3号楼1单元")
        return Person.objects.create(
            id_number=id_number(seq=f"{next(seq):03d}"),
            name="某某",
            sex="male",
            birth_date="1980-01-01",
            grid=grid,
            **fields,
        )

    def house(grid: Any, point: bool, **fields: Any) -> House:
        where = {"lat": 34.505, "lng": 118.705} if point else {}
        return House.objects.create(
            grid=grid,
            address="幸福路8号",
            use="home",
            ownership="private",
            structure="brick_concrete",
            area_m2=Decimal("96.5"),
            **where,
            **fields,
        )

    t1, v11 = staff.township, staff.village  # 甲镇's own people (the township, 甲一村)
    # Cases: 5 of 甲镇's people's, 3 of them defective (c5 twice, counted once).
    cases = {
        "c1": register(actor=t1),
        "c2": register(actor=v11, lat=None, lng=None, address=ADDRESS_NOWHERE),
        "c3": register(actor=t1, reporter_name="李女士", reporter_phone=""),
        "c4": register(actor=t1, anonymous=True, reporter_phone=""),
        "c5": register(actor=v11, lat=None, lng=None, address=ADDRESS_NOWHERE, reporter_phone=""),
        # Not 甲镇's: registered last month, or by the county's dispatcher.
        "c6": register(actor=t1, reporter_phone=""),
        "c7": register(reporter_phone=""),
    }
    Case.objects.filter(pk=cases["c6"].pk).update(registered_at=before)
    # People: 3 counted, 2 defective; an archived one and last month's left out.
    p1 = person(tree.g111)
    person(tree.g112, house="")
    person(tree.g121, same_as_registered=False, current_address="")
    person(tree.g111, house="", archived=True)
    old = person(tree.g111, house="")
    Person.objects.filter(pk=old.pk).update(created_at=before)
    # Houses 2 (1 without a point), places 1 (without a point).
    house(tree.g111, True)
    house(tree.g121, False)
    Place.objects.create(grid=tree.g112, address="幸福路9号", kind="school", name="甲镇中心小学")
    # Visits to 甲镇's people: 3 this month, 2 defective; last month's left out.
    role = PersonRole.objects.create(person=p1, kind="floating", care_level="high")
    now = timezone.now()

    def visit(at: Any, point: bool, notes: str) -> Visit:
        where = {"lat": 34.505, "lng": 118.705} if point else {}
        return Visit.objects.create(
            role=role, by=staff.gridworker, visited_at=at, client_uuid=uuid4(), notes=notes, **where
        )

    visit(now, True, "在家，情况稳定")
    visit(now, False, "在家")
    visit(now, True, "")
    visit(before, False, "")
    # 乙乡: 39 people with their house, one house without a point: 39/40.
    for _ in range(39):
        person(tree.g211)
    house(tree.g211, False)
    return period, cases


def test_the_share_of_complete_records_hand_computed(tree: Any, county: Any) -> None:
    period, _cases = county
    measures = data_quality(Context(actor=None, period=period, owners=Owners.load()))
    t1, t2 = measures[tree.t1.pk], measures[tree.t2.pk]
    # cases 2/5, people 1/3, houses 1/2, places 0/1, visits 1/3
    assert (t1.part, t1.whole, t1.value) == (5, 14, 0.3571)  # 4 places, as UnitFigures
    assert t1.text == "数据完整有效 5/14 = 35.71%"
    assert (t2.part, t2.whole, t2.value) == (39, 40, 0.975)
    slug = period.slug
    assert t1.url == f"/assessment/{period.year}/{slug}/data-quality/?unit={tree.t1.code}"


def test_the_ledger_entry_and_its_list_of_defective_records(
    client: Any, tree: Any, county: Any, assessors: Any, staff: Any
) -> None:
    period, cases = county
    scheme_create_default(actor=None, year=period.year)
    scores_compute(actor=assessors.director, year=period.year, period=period.slug)
    entries = LedgerEntry.objects.filter(item__code="data_quality", period=period.code)
    by_unit = {e.unit_id: e for e in entries}
    # 3 points at 100 %, none at 95 % or below: (97.5 - 95) x 0.6 = 1.5; 35.71 % gives 0.
    assert by_unit[tree.t2.pk].points == Decimal("1.50")
    first = by_unit[tree.t1.pk]
    assert first.points == Decimal("0.00")
    assert first.reason == "数据完整有效 5/14 = 35.71%，记 0.00 分"
    assert (first.detail["part"], first.detail["whole"]) == (5, 14)

    client.force_login(assessors.director)
    page = client.get(first.source_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "应考核记录 <strong>14</strong> 条" in html and "存在缺陷 <strong>9</strong> 条" in html
    listed = {no for no, case in cases.items() if case.case_no in html}
    assert listed == {"c2", "c3", "c5"}
    assert html.count('data-testid="defect-cases"') == 3
    assert html.count('data-testid="defect-people"') == 2
    assert html.count('data-testid="defect-houses"') == 1
    assert html.count('data-testid="defect-places"') == 1
    assert html.count('data-testid="defect-visits"') == 2
    assert "未定位到网格、诉求人未留联系电话" in html  # c5's two defects, one row
    assert "未定位到网格 2 条；诉求人未留联系电话 2 条" in html
    assert "甲镇中心小学（学校）" in html and "幸福路8号" in html  # the place, the house
    # Personal data stays masked: no ID number in full, no reporter's phone.
    assert not any(p.id_number in html for p in Person.objects.all())
    assert "13912345678" not in html

    # 乙乡's officer does not see 甲镇's list; a bad period or unit is a 404.
    client.force_login(staff.t2_officer)
    assert client.get(first.source_url).status_code == 404
    client.force_login(assessors.director)
    base = f"/assessment/{period.year}/{period.slug}/data-quality/"
    assert client.get(f"/assessment/{period.year}/13/data-quality/?unit=x").status_code == 404
    assert client.get(f"{base}?unit=nowhere").status_code == 404


def test_the_default_scheme_gives_townships_the_item(db: None) -> None:
    scheme = scheme_create_default(actor=None, year=2031)
    item = scheme.items.get(code="data_quality")
    visits = scheme.items.get(code="visits_on_time")
    assert (item.catalog.code, item.max_points, item.automatic, item.groups) == (
        "grassroots",
        3,
        True,
        ["township"],
    )
    assert visits.max_points == 5  # its 3 points came from 重点人员按期走访率
