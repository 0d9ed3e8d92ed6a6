"""The supervision demo's orders on red-carded petitions: opened after the petitions demo, one
per red card, dated at the card, through the outbox handler's service; a second run opens none."""

import io
from typing import Any

import pytest

from zhili.orgs.demo import load as load_orgs
from zhili.petitions import demo as petitions_demo
from zhili.petitions.models import Card, Petition
from zhili.supervision import demo
from zhili.supervision.models import OrderKind, SupervisionOrder

pytestmark = pytest.mark.any_day


def test_every_red_carded_demo_petition_gets_its_order_once(db: Any) -> None:
    load_orgs(stdout=io.StringIO())
    petitions_demo.load(stdout=io.StringIO())
    red = dict(Petition.objects.filter(is_demo=True, card=Card.RED).values_list("id", "card_at"))
    assert red, "the petitions demo should hold red cards"
    out = io.StringIO()
    result = demo.load_petition_orders(stdout=out)
    found = SupervisionOrder.objects.filter(petition__isnull=False)
    assert result["created"]["orders"] == len(red) == found.count()
    assert sorted(found.values_list("petition_id", flat=True)) == sorted(red)
    for order in found:
        assert order.kind == OrderKind.RED_CARD and order.issued_at == red[order.petition_id]
    assert f"信访红牌 {len(red)} 件，新开督办单 {len(red)} 件" in out.getvalue()

    again = io.StringIO()
    assert demo.load_petition_orders(stdout=again)["created"]["orders"] == 0
    assert SupervisionOrder.objects.filter(petition__isnull=False).count() == len(red)
    assert "新开督办单 0 件" in again.getvalue()
