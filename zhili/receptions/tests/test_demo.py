"""The reception demo on the test tree (plus 白塔埠镇 and a few departments): rota for the
last, this and the next month, past receptions, coming bookings, 包案; a second run adds nothing."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from zhili.conftest import make_org
from zhili.core import workcal
from zhili.receptions import demo
from zhili.receptions.models import Appointment, Ownership, Reception, RotaDay

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]


def counts() -> tuple[int, ...]:
    return (
        RotaDay.objects.count(),
        Appointment.objects.count(),
        Reception.objects.count(),
        Ownership.objects.count(),
    )


def test_the_demo_fills_the_rota_and_is_idempotent(rx, make_petition, make_user) -> None:
    from zhili.core.roles import Role

    baitabu = make_org("320722003", "白塔埠镇综治中心", "center", "township", rx.tree.county)
    make_user("secretary", baitabu, Role.TOWNSHIP_SECRETARY, full_name="张志强")
    for code, name in [("ZJJ", "住建局"), ("ZRZYJ", "自然资源和规划局"), ("MZJ", "民政局")]:
        make_org(f"320722-{code}", name, "department", "county", rx.tree.county)
    for n in range(30):
        make_petition(f"信访事项{n}")
    out = io.StringIO()
    demo.load(stdout=out)
    first = counts()
    demo.load(stdout=io.StringIO())
    assert counts() == first

    # The rota covers the last, this and the next month, every working day, whatever today is.
    today = timezone.localdate()
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    after_next = (month + timedelta(days=93)).replace(day=1)
    days = [month + timedelta(days=n) for n in range((after_next - month).days)]
    workdays = [d for d in days if workcal.is_workday(d)]
    county = RotaDay.objects.filter(organization=rx.tree.county)
    assert sorted(county.values_list("date", flat=True)) == workdays
    leaders = set(county.values_list("leader__username", flat=True))
    assert leaders == {"leader", "xld1", "xld2", "xld3", "xld4", "xld5"}
    township = RotaDay.objects.filter(organization=baitabu)
    assert township.exists()
    assert {d.weekday() for d in township.values_list("date", flat=True)} <= {1, 3}
    assert set(township.values_list("leader__username", flat=True)) == {"secretary"}

    past = Reception.objects.filter(received_at__date__lt=today)
    assert past.count() > 10
    assert past.filter(mode="video").exists() and past.filter(departments__isnull=False).exists()
    coming = Appointment.objects.filter(state="booked", rota_day__date__gte=today)
    assert coming.exists() and coming.filter(petition__isnull=False).exists()
    assert not Appointment.objects.filter(state="booked", rota_day__date__lt=today).exists()
    owned = Ownership.objects.all()
    assert owned.filter(state="resolved").exists() and owned.filter(state="active").exists()
    assert f"接访日程 县级 {len(workdays)} 天" in out.getvalue()
