"""Scoped reads and the township supervision figures."""

from datetime import date, time

import pytest
import time_machine

from zhili.receptions import selectors
from zhili.receptions.services import (
    appointment_no_show,
    ownership_assign,
    reception_record,
    rota_set,
)
from zhili.receptions.tests.conftest import booked

pytestmark = pytest.mark.django_db


def book(rx, day, slot):
    return booked(rx, day, slot, subject="道路破损", visitor_name="吴九")


def test_township_figures_for_a_period(rx, make_petition) -> None:
    t1 = rx.tree.t1
    thursday = rota_set(
        actor=rx.petition, organization=t1, day=date(2026, 11, 26), leader=rx.secretary
    )
    rota_set(actor=rx.petition, organization=t1, day=date(2026, 11, 27), leader=rx.secretary)
    rota_set(
        actor=rx.petition, organization=rx.tree.t2, day=date(2026, 11, 27), leader=rx.secretary2
    )
    seen = book(rx, thursday, time(9, 0))
    missed = book(rx, thursday, time(9, 30))
    forgotten = book(rx, thursday, time(10, 0))
    reception_record(
        actor=rx.secretary,
        appointment=seen,
        mode="video",
        request="a",
        decision="b",
        people_count=3,
        department_ids=[rx.sfj.pk, rx.rsj.pk],
    )
    appointment_no_show(actor=rx.secretary, appointment=missed)
    ownership_assign(
        actor=rx.secretary,
        leader=rx.secretary,
        petition=make_petition(unit=t1),
        target_date=date(2026, 11, 27),
    )
    assert forgotten.state == "booked"
    with time_machine.travel("2026-11-30 10:00 +0800"):
        rows = selectors.township_summary(
            user=rx.dispatcher, start=date(2026, 11, 1), end=date(2026, 11, 30)
        )
        by_code = {r.township.code: r for r in rows}
        one = by_code["320722901"]
        assert (one.rota_days, one.receptions, one.people, one.joint, one.video) == (2, 1, 3, 1, 1)
        assert (one.not_received, one.ownerships, one.overdue) == (2, 1, 1)
        assert one.leaders == "张书记"
        assert by_code["320722902"].rota_days == 1
        ranked = selectors.township_summary(
            user=rx.dispatcher,
            start=date(2026, 11, 1),
            end=date(2026, 11, 30),
            sort="overdue",
            descending=True,
        )
        assert ranked[0].township.code == "320722901"
        own = selectors.township_summary(
            user=rx.township_officer2, start=date(2026, 11, 1), end=date(2026, 11, 30)
        )
        assert [r.township.code for r in own] == ["320722902"]


def test_reads_are_scoped(rx, county_day) -> None:
    township_day = rota_set(
        actor=rx.petition, organization=rx.tree.t1, day=date(2026, 11, 26), leader=rx.secretary
    )
    assert set(
        selectors.rota_list(user=rx.dispatcher, start=date(2026, 11, 1), end=date(2026, 11, 30))
    ) == {
        county_day,
        township_day,
    }
    assert list(
        selectors.rota_list(user=rx.township, start=date(2026, 11, 1), end=date(2026, 11, 30))
    ) == [township_day]
    assert not selectors.rota_list(
        user=rx.outsider, start=date(2026, 11, 1), end=date(2026, 11, 30)
    ).exists()
    assert selectors.default_organization(rx.township) == rx.tree.t1
    assert selectors.default_organization(rx.petition) == rx.tree.county
    assert [o.code for o in selectors.rota_organizations(rx.township)] == ["320722901"]
    assert list(selectors.leaders_for(rx.tree.t1)) == [rx.secretary]
    assert set(selectors.leaders_for(rx.tree.county)) == {rx.leader, rx.leader2}


def test_rota_days_gone_with_no_one_received_are_counted_against_the_rota(rx) -> None:
    from zhili.receptions.exports import townships_xlsx

    t1 = rx.tree.t1
    with time_machine.travel("2026-11-20 10:00 +0800"):  # the rota is arranged ahead
        days = {
            d: rota_set(
                actor=rx.petition, organization=t1, day=date(2026, 11, d), leader=rx.secretary
            )
            for d in (23, 24, 25, 30)
        }
        book(rx, days[25], time(9, 0))  # booked, but no one was received that day
    with time_machine.travel("2026-11-24 23:30 +0800"):  # late in the evening, China time
        reception_record(
            actor=rx.secretary,
            rota_day=days[24],
            visitor_name="吴九",
            mode="video",
            request="a",
            decision="b",
        )
    with time_machine.travel("2026-11-30 10:00 +0800"):
        rows = selectors.township_summary(
            user=rx.dispatcher, start=date(2026, 11, 1), end=date(2026, 11, 30)
        )
        one = {r.township.code: r for r in rows}["320722901"]
        # The 24th received someone; the 30th is not over.
        assert one.idle_dates == [date(2026, 11, 23), date(2026, 11, 25)]
        assert (one.rota_days, one.idle_days) == (4, 2)
        assert selectors.totals(rows)["idle_days"] == 2
        workbook = townships_xlsx(rows, date(2026, 11, 1), date(2026, 11, 30))
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(workbook)).active
    headers = [c.value for c in sheet[2]]
    row = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] == t1.area_name)
    assert row[headers.index("无接访日（天）")] == 2
    assert row[headers.index("无接访日期")] == "11月23日、11月25日"
