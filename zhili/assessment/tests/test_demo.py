"""The assessment demo: this year's scheme, field scores, vetoes and computed scores; loading
again changes nothing."""

import io
from typing import Any

from django.utils import timezone

from config.demo import DEMO_LOADERS
from zhili.assessment import demo
from zhili.assessment.models import LedgerEntry, Scheme, Veto
from zhili.orgs.demo import load as load_orgs


def ledger() -> list[tuple[Any, ...]]:
    return sorted(LedgerEntry.objects.values_list("key", "points", "reason"))


def test_registered_after_the_data_it_scores() -> None:
    assert DEMO_LOADERS.index("zhili.assessment.demo.load") > DEMO_LOADERS.index(
        "zhili.cases.demo.load"
    )


def test_the_demo_scores_the_year_once(db: Any) -> None:
    load_orgs(stdout=io.StringIO())
    out = io.StringIO()
    demo.load(stdout=out)
    year = timezone.localdate().year
    assert Scheme.objects.filter(year=year).exists()
    assert LedgerEntry.objects.filter(year=year, period="Y", automatic=True).exists()
    assert LedgerEntry.objects.filter(item__code="field_check").count() == 21 + 16
    assert sorted(Veto.objects.values_list("state", flat=True)) == ["confirmed", "proposed"]
    assert "完成" in out.getvalue()
    first = ledger()
    demo.load(stdout=io.StringIO())
    assert ledger() == first
