"""The assessment items (考核指标) an inspection's checklist may cite, and the check that it cites
only those.

A checklist line may name the assessment item it inspects (`ChecklistItem.item_code`), so that a
checklist can be drawn from the year's indicator scheme. The scheme belongs to the assessment app,
which sits above this one (zhili/core/tests/test_layers.py): it registers how to read a year's
items into `ITEM_SOURCES` from its `AppConfig.ready()` (zhili/assessment/checklist.py), and this
module never imports it.
"""

from collections.abc import Callable, Iterable

from zhili.core.errors import InvalidInput
from zhili.core.registry import Registry

# A source: the year -> {item code: item name}, in the scheme's order.
ItemNames = Callable[[int], dict[str, str]]
ITEM_SOURCES: Registry[ItemNames] = Registry("checklist item source")


def citable(year: int) -> dict[str, str]:
    """Every item a checklist of `year` may cite: code -> name."""
    items: dict[str, str] = {}
    for _key, source in ITEM_SOURCES.items():
        items |= source(year)
    return items


def check_codes(year: int, codes: Iterable[str]) -> None:
    """Refuse (naming the field `checklist`) a code that is not an item of the year's scheme."""
    cited = {code for code in codes if code}
    if not cited:
        return
    unknown = sorted(cited - citable(year).keys())
    if unknown:
        raise InvalidInput(
            f"督查清单引用的考核指标编码 {'、'.join(unknown)} 不在 {year} 年度考核指标体系中",
            field="checklist",
        )
