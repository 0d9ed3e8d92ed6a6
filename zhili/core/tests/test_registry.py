"""Batched panels (zhili/core/registry.py): each entry is asked once for all the listed
records, and each record gets every panel's rows by name, empty where a panel has none."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured

from zhili.core.registry import BatchPanels


def test_each_panel_answers_once_for_all_the_records_in_their_order() -> None:
    panels: BatchPanels = BatchPanels("test panel")
    asked: list[list[int]] = []

    def rooms(user, records):
        asked.append([r.pk for r in records])
        return {r.pk: [f"room of {r.pk}"] for r in records if r.pk != 2}

    def seats(user, records):
        return {3: ("seat",)}

    panels.register("rooms", rooms)
    panels.register("seats", seats)
    records = [SimpleNamespace(pk=pk) for pk in (3, 1, 2)]
    assert panels.context_many(None, records) == [
        {"rooms": ["room of 3"], "seats": ["seat"]},
        {"rooms": ["room of 1"], "seats": []},
        {"rooms": [], "seats": []},
    ]
    assert asked == [[3, 1, 2]]
    # One record's page asks the same way; no records, no question.
    assert panels.context(None, records[1]) == {"rooms": ["room of 1"], "seats": []}
    assert panels.context_many(None, []) == []
    assert asked == [[3, 1, 2], [1]]
    with pytest.raises(ImproperlyConfigured):
        panels.register("rooms", seats)
