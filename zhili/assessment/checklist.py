"""The year's assessment items, as an inspection's checklist may cite them
(zhili.inspections.checklist; registered when AssessmentConfig.ready() imports this module).

A year whose scheme is not made yet offers the default scheme's items: those are the items it
will be made with (`services.scheme_create_default`, when the year's first score or deduction
comes)."""

from zhili.assessment import defaults
from zhili.assessment.models import Item, Scheme
from zhili.inspections.checklist import ITEM_SOURCES


@ITEM_SOURCES.entry("assessment")
def scheme_items(year: int) -> dict[str, str]:
    if Scheme.objects.filter(year=year).exists():
        items = Item.objects.filter(scheme__year=year).order_by("order", "id")
        return dict(items.values_list("code", "name"))
    return {row[0]: row[1] for _c, _n, _k, _w, rows in defaults.CATALOGS for row in rows}
