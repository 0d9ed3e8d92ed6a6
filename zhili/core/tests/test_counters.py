"""Gap-free counters: many counter rows at once (`take_blocks`) give what one `take_block` per
row gives, whether the rows exist or not."""

from datetime import date

import pytest

from zhili.cases.models import CaseNumberCounter
from zhili.core.counters import take_block, take_blocks

pytestmark = pytest.mark.django_db


def test_take_blocks_continues_existing_rows_and_creates_missing_ones() -> None:
    CaseNumberCounter.objects.create(day=date(2025, 3, 2), last=7)
    CaseNumberCounter.objects.create(day=date(2025, 3, 4), last=1)
    counts = {date(2025, 3, 4): 2, date(2025, 3, 1): 3, date(2025, 3, 2): 5}
    assert take_blocks(CaseNumberCounter, "day", counts) == {
        date(2025, 3, 1): 1,
        date(2025, 3, 2): 8,
        date(2025, 3, 4): 2,
    }
    assert dict(CaseNumberCounter.objects.values_list("day", "last")) == {
        date(2025, 3, 1): 3,
        date(2025, 3, 2): 12,
        date(2025, 3, 4): 3,
    }
    # The next numbers follow on, whichever way they are taken.
    assert take_blocks(CaseNumberCounter, "day", {date(2025, 3, 1): 1}) == {date(2025, 3, 1): 4}
    assert take_block(CaseNumberCounter, 1, day=date(2025, 3, 2)) == 13
    assert take_blocks(CaseNumberCounter, "day", {}) == {}


def test_take_blocks_refuses_an_empty_block() -> None:
    with pytest.raises(ValueError):
        take_blocks(CaseNumberCounter, "day", {date(2025, 3, 1): 2, date(2025, 3, 2): 0})
    assert not CaseNumberCounter.objects.exists()
