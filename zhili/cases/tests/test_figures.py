"""Unit figures on a hand-built month of cases: every number checked."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhili.cases.figures import FIGURE_LABELS, unit_figures
from zhili.cases.services import case_act
from zhili.cases.sweep import sweep_cards
from zhili.core.errors import InvalidInput

TZ = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


@pytest.fixture
def month(register, staff, catalog):
    """November 2026 for 住建局 (ZJJ) and 城管局 (CGJ); every case is a lamp case (→ ZJJ)."""

    def act(moment, actor, case, action, **params):
        with time_machine.travel(moment, tick=False):
            return case_act(actor=actor, case=case, action=action, **params)

    def dispatched(moment, **params):
        with time_machine.travel(moment, tick=False):
            case = register(category=catalog.lamp)
        return act(moment, staff.dispatcher, case, "dispatch", **params)

    zjj, d = staff.zjj_handler, staff.dispatcher
    # A: acknowledged and replied on time, 满意.
    a = dispatched(at(2026, 11, 2, 9, 0))  # ack due 11-03 09:00, due 11-09 09:00
    a = act(at(2026, 11, 2, 10, 0), zjj, a, "acknowledge")
    a = act(at(2026, 11, 3, 10, 0), zjj, a, "reply", reply="已更换灯泡")
    a = act(at(2026, 11, 3, 11, 0), d, a, "close")
    act(at(2026, 11, 4, 9, 0), d, a, "rate", rating="satisfied")
    # B: acknowledged late, red card, replied late, 不满意.
    b = dispatched(at(2026, 11, 2, 9, 0))
    b = act(at(2026, 11, 4, 9, 0), zjj, b, "acknowledge")
    # C: on time after an approved extension, 基本满意.
    c = dispatched(at(2026, 11, 2, 9, 0))
    c = act(at(2026, 11, 2, 11, 0), zjj, c, "acknowledge")
    c = act(
        at(2026, 11, 3, 9, 0),
        zjj,
        c,
        "request_extension",
        reason="需采购",
        until="2026-11-20T17:00",
    )
    c = act(at(2026, 11, 4, 9, 0), d, c, "approve_extension")
    with time_machine.travel(at(2026, 11, 9, 9, 0), tick=False):
        assert sweep_cards().red == 1  # B
    b.refresh_from_db()
    b = act(at(2026, 11, 10, 9, 0), zjj, b, "reply", reply="已修复")
    b = act(at(2026, 11, 10, 10, 0), d, b, "close")
    act(at(2026, 11, 11, 9, 0), d, b, "rate", rating="unsatisfied")
    c = act(at(2026, 11, 16, 9, 0), zjj, c, "reply", reply="已修复")
    c = act(at(2026, 11, 16, 10, 0), d, c, "close")
    act(at(2026, 11, 17, 9, 0), d, c, "rate", rating="basically_satisfied")
    # D: returned by ZJJ, then reassigned to CGJ, which has not acknowledged it.
    dd = dispatched(at(2026, 11, 2, 9, 0))
    dd = act(at(2026, 11, 2, 10, 0), zjj, dd, "return", reason="不属于本单位职责")
    act(at(2026, 11, 3, 9, 0), d, dd, "reassign", unit="320722-CGJ")
    # E: dispatched in October: outside the period.
    e = dispatched(at(2026, 10, 30, 9, 0))
    act(at(2026, 10, 30, 10, 0), zjj, e, "acknowledge")


def test_figures_of_a_month(month, staff):
    cgj, zjj = unit_figures(user=staff.leader, start=date(2026, 11, 1), end=date(2026, 11, 30))
    assert (zjj.unit_code, zjj.unit_name) == ("320722-ZJJ", "住建局")
    assert (
        zjj.received,
        zjj.handled,
        zjj.acknowledged_on_time,
        zjj.closed_on_time,
        zjj.returned,
        zjj.extended,
        zjj.overdue,
        zjj.rated,
        zjj.satisfied,
    ) == (4, 3, 2, 2, 1, 1, 1, 3, 2)
    assert zjj.acknowledged_on_time_rate == pytest.approx(0.6667)
    assert zjj.closed_on_time_rate == pytest.approx(0.6667)
    assert zjj.satisfaction_rate == pytest.approx(0.6667)

    assert cgj.unit_code == "320722-CGJ"
    assert (cgj.received, cgj.handled, cgj.acknowledged_on_time, cgj.returned) == (1, 1, 0, 0)
    assert (cgj.rated, cgj.satisfaction_rate, cgj.acknowledged_on_time_rate) == (0, None, 0.0)


def test_figures_of_october_and_of_named_units(month, staff):
    [zjj] = unit_figures(user=staff.leader, start=date(2026, 10, 1), end=date(2026, 10, 31))
    assert (zjj.received, zjj.acknowledged_on_time) == (1, 1)
    named = unit_figures(
        user=staff.leader,
        start=date(2026, 11, 1),
        end=date(2026, 11, 30),
        unit_codes=["320722-CGJ"],
    )
    assert [f.unit_code for f in named] == ["320722-CGJ"]


def test_figures_are_scoped(month, staff):
    period = {"start": date(2026, 11, 1), "end": date(2026, 11, 30)}
    assert [f.unit_code for f in unit_figures(user=staff.zjj_handler, **period)] == ["320722-ZJJ"]
    assert unit_figures(user=staff.township, **period) == []
    assert unit_figures(user=staff.township, unit_codes=["320722-ZJJ"], **period) == []


def test_a_reversed_period_is_refused(staff):
    with pytest.raises(InvalidInput) as refused:
        unit_figures(user=staff.leader, start=date(2026, 11, 30), end=date(2026, 11, 1))
    assert refused.value.field == "end"


def test_figures_api(month, staff):
    client = Client()
    client.force_login(staff.dispatcher)
    response = client.get("/api/v1/case-figures?start=2026-11-01&end=2026-11-30&unit=320722-ZJJ")
    assert response.status_code == 200
    [row] = response.json()
    assert (row["unit_code"], row["received"], row["overdue"], row["satisfaction_rate"]) == (
        "320722-ZJJ",
        4,
        1,
        pytest.approx(0.6667),
    )
    bad = client.get("/api/v1/case-figures?start=2026-11-30&end=2026-11-01")
    assert (bad.status_code, bad.json()["field"]) == (422, "end")
    assert client.get("/api/v1/case-figures?start=x&end=2026-11-01").status_code == 422


def test_the_case_list_opens_the_cases_behind_each_figure(month, staff):
    """`figure` (with `figure_unit` and the days) lists exactly the cases a unit's figure
    counts: every figure of both units, the shortfalls of the rates included."""
    client = Client()
    client.force_login(staff.leader)
    nov = {"figure_from": "2026-11-01", "figure_to": "2026-11-30"}
    with time_machine.travel(at(2026, 12, 2, 9, 0), tick=False):
        rows = unit_figures(user=staff.leader, start=date(2026, 11, 1), end=date(2026, 11, 30))
        checked = 0
        for row in rows:
            expected = {
                name: getattr(row, name) for name in FIGURE_LABELS if hasattr(row, name)
            } | {
                "acknowledged_late": row.acknowledge_judged - row.acknowledged_on_time,
                "closed_late": row.close_judged - row.closed_on_time,
                "unsatisfied": row.rated - row.satisfied,
                "assisted_not_on_time": row.assisted - row.assisted_on_time,
            }
            assert set(expected) == set(FIGURE_LABELS)
            for figure, n in expected.items():
                query = {"figure": figure, "figure_unit": row.unit_code, **nov}
                page = client.get("/cases/", query)
                assert page.context["page"].next_cursor is None
                assert len(page.context["page"].items) == n, (row.unit_code, figure)
                checked += n
        assert checked > 10
        # 住建局's returned lamp case D is now 城管局's: listed under both, as each counts it.
        returned = client.get("/cases/", {"figure": "returned", "figure_unit": "320722-ZJJ", **nov})
        [case] = returned.context["page"].items
        assert case.lead_unit.code == "320722-CGJ"
        assert "考核口径：退单；住建局及其下级单位" in returned.content.decode()
        # The county's code holds every unit under it; an unknown one holds nothing.
        county = client.get("/cases/", {"figure": "handled", "figure_unit": "320722", **nov})
        assert len(county.context["page"].items) == sum(r.handled for r in rows)
        nothing = client.get("/cases/", {"figure": "handled", "figure_unit": "NOPE", **nov})
        assert nothing.status_code == 200 and nothing.context["page"].items == []
        junk = client.get("/cases/", {"figure": "nonsense", "figure_from": "2026-13-01"})
        assert junk.status_code == 200 and "考核口径" not in junk.content.decode()
