"""The default scheme: every automatic item has its metric, the catalogs add up, and a year's
scheme once made is its own (a later default does not change it)."""

from decimal import Decimal

from zhili.assessment import defaults
from zhili.assessment.metrics import METRICS
from zhili.assessment.models import CatalogKind, Item
from zhili.assessment.services import scheme_create_default


def test_each_groups_items_add_up_to_their_catalogs_weight():
    scored = 0
    for code, _name, kind, weight, items in defaults.CATALOGS:
        if kind != CatalogKind.SCORE:
            continue
        scored += weight
        for group in defaults.BOTH:
            tops = [top for _c, _n, top, *_rest, groups in items if group in groups]
            assert sum(tops) == weight, (code, group)
    assert scored == 100


def test_every_automatic_item_names_a_metric():
    metrics = [item[6] for *_c, items in defaults.CATALOGS for item in items if item[6]]
    assert "report_on_time" in metrics
    assert all(metric in METRICS for metric in metrics)


def test_a_years_scheme_keeps_its_items(db):
    scheme = scheme_create_default(actor=None, year=2025)
    Item.objects.filter(scheme=scheme, code="report_on_time").delete()  # an older scheme
    Item.objects.filter(scheme=scheme, code="rectification_on_time").update(max_points=10)
    again = scheme_create_default(actor=None, year=2025)
    assert again.pk == scheme.pk
    assert not again.items.filter(code="report_on_time").exists()
    assert again.items.get(code="rectification_on_time").max_points == Decimal(10)
