"""The ledger: posts are idempotent on their key, land on the ranked unit, and refuse bad input
with a field error."""

from decimal import Decimal

import pytest

from zhili.assessment.models import LedgerEntry
from zhili.assessment.selectors import scores
from zhili.assessment.services import ledger_post, manual_score
from zhili.assessment.tests.conftest import YEAR, day
from zhili.core.audit import AuditLog
from zhili.core.errors import Forbidden, InvalidInput


def post(unit, key="inspection-finding:7:1", points="-1", **kw):
    fields = dict(
        actor=None,
        unit=unit,
        on=day(11, 12),
        item_code="inspection_findings",
        points=Decimal(points),
        reason="督查发现：台账不全",
        source_label="督查发现问题",
        source_url="/inspections/7/",
        key=key,
    )
    fields.update(kw)
    return ledger_post(**fields)


def test_the_default_scheme_has_the_inspection_item(scheme):
    item = scheme.items.get(code="inspection_findings")
    assert (item.formula, item.catalog.kind, item.automatic) == ("per_event", "deduction", False)
    assert item.params["per_event"] < 0


def test_a_repost_with_the_same_key_is_a_no_op(scheme, tree):
    first = post(tree.t1)
    again = post(tree.t1, points="-2", reason="另一个理由")
    assert again.pk == first.pk
    assert LedgerEntry.objects.count() == 1
    assert (again.points, again.reason) == (Decimal("-1.00"), "督查发现：台账不全")
    assert AuditLog.objects.filter(action="assessment.ledger.post").count() == 1


def test_a_village_finding_is_its_townships(scheme, tree):
    entry = post(tree.v11)
    assert entry.unit == tree.t1


def test_each_finding_counts_in_the_period_and_links_its_records(scheme, tree, staff):
    post(tree.t1, key="inspection-finding:7:1")
    post(tree.t1, key="inspection-finding:7:2", points="-2")
    _scheme, _p, rows = scores(user=staff.leader, year=YEAR, period="11", group="township")
    t1 = next(r for r in rows if r.org == tree.t1)
    cell = next(i for i in t1.items if i.item.code == "inspection_findings")
    assert (cell.points, cell.entries) == (Decimal("-3.00"), 2)
    assert "unit=320722901" in cell.sources_url and "item=inspection_findings" in cell.sources_url
    # Posted on November 12: in November, the fourth quarter and the year, not in October.
    for period, n in [("10", 0), ("Q4", 2), ("year", 2)]:
        _s, _p, rows = scores(user=staff.leader, year=YEAR, period=period, group="township")
        t1 = next(r for r in rows if r.org == tree.t1)
        assert next(i for i in t1.items if i.item.code == "inspection_findings").entries == n


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"item_code": "nope"}, "item_code"),
        ({"points": Decimal("-21")}, "points"),
        ({"reason": " "}, "reason"),
        ({"key": "k" * 201}, "key"),
    ],
)
def test_bad_posts_name_the_field(scheme, tree, changes, field):
    with pytest.raises(InvalidInput) as exc:
        post(tree.t1, **changes)
    assert exc.value.field == field
    assert not LedgerEntry.objects.exists()


def test_a_unit_outside_the_groups_is_refused(scheme, tree):
    with pytest.raises(InvalidInput) as exc:
        post(tree.xfjd)
    assert exc.value.field == "unit"


def test_manual_scores_need_the_right_and_a_manual_item(scheme, tree, assessors, staff):
    entry = manual_score(
        actor=assessors.director,
        unit=tree.t1,
        on=day(11, 20),
        item_code="field_check",
        points=Decimal("8.5"),
        reason="实地考核：台账规范",
        evidence_url="/files/1",
    )
    assert (entry.points, entry.source_url, entry.posted_by) == (
        Decimal("8.50"),
        "/files/1",
        assessors.director,
    )
    with pytest.raises(Forbidden):
        manual_score(
            actor=staff.township,
            unit=tree.t1,
            on=day(11, 20),
            item_code="field_check",
            points=Decimal(1),
            reason="x",
        )
    with pytest.raises(InvalidInput) as exc:
        manual_score(
            actor=assessors.director,
            unit=tree.t1,
            on=day(11, 20),
            item_code="close_rate",
            points=Decimal(1),
            reason="x",
        )
    assert exc.value.field == "item_code"
