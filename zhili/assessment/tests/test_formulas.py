"""Every formula type against examples computed by hand (the comments show the sums)."""

from decimal import Decimal

import pytest

from zhili.assessment import formulas
from zhili.core.errors import InvalidInput

D = Decimal


@pytest.mark.parametrize(
    ("rate", "params", "top", "expected"),
    [
        # 按时办结率 92.5 %: 92.5 - 75 = 17.5
        (0.925, {"floor": 75}, 25, D("17.50")),
        # 99 %: 99 - 75 = 24
        (0.99, {"floor": 75, "per_point": 1}, 25, D("24.00")),
        # 100 %: 25 by the sum, and 25 is the maximum
        (1.0, {"floor": 75}, 25, D("25.00")),
        # 60 %: 60 - 75 < 0, so 0
        (0.60, {"floor": 75}, 25, D("0.00")),
        # 93.33 %: (93.33 - 80) x 0.5 = 6.665, rounded half up: 6.67
        (0.9333, {"floor": 80, "per_point": 0.5}, 10, D("6.67")),
        # 98 %, 2 a point above 85: (98 - 85) x 2 = 26, capped at 15
        (0.98, {"floor": 85, "per_point": 2}, 15, D("15.00")),
        # nothing to judge: the maximum (none_points "max"), or what none_points says
        (None, {"floor": 75}, 25, D("25.00")),
        (None, {"floor": 75, "none_points": 5}, 25, D("5.00")),
    ],
)
def test_rate_band(rate, params, top, expected):
    assert formulas.points("rate_band", rate, D(top), params) == expected


@pytest.mark.parametrize(
    ("rate", "params", "expected"),
    [
        # 满意率 90 %, threshold 95, 0.5 a point: 15 - (95 - 90) x 0.5 = 12.5
        (0.90, {"threshold": 95, "per_point": 0.5}, D("12.50")),
        # at or above the threshold: the whole 15
        (0.97, {"threshold": 95, "per_point": 0.5}, D("15.00")),
        # 50 %: 15 - 45 x 0.5 = -7.5, never below 0
        (0.50, {"threshold": 95, "per_point": 0.5}, D("0.00")),
        # 退单率 8 %, at most 5 %: 15 - (8 - 5) x 1 = 12
        (0.08, {"threshold": 5, "per_point": 1, "direction": "above"}, D("12.00")),
        # 退单率 3 %: below the ceiling, 15
        (0.03, {"threshold": 5, "direction": "above"}, D("15.00")),
    ],
)
def test_threshold(rate, params, expected):
    assert formulas.points("threshold", rate, D(15), params) == expected


@pytest.mark.parametrize(
    ("count", "per", "top", "expected"),
    [
        (3, -0.5, 10, D("-1.50")),  # 3 督办单 x -0.5
        (0, -0.5, 10, D("0.00")),
        (30, -0.5, 10, D("-10.00")),  # 30 x -0.5 = -15, at most 10 off
        (4, 1.5, 5, D("5.00")),  # 4 x 1.5 = 6, at most 5
        (2, 1.5, 5, D("3.00")),
    ],
)
def test_per_event(count, per, top, expected):
    assert formulas.points("per_event", count, D(top), {"per_event": per}) == expected


@pytest.mark.parametrize(
    ("count", "per", "expected"),
    [(2, 1, D("2.00")), (9, 1, D("5.00")), (3, 0.75, D("2.25")), (0, 1, D("0.00"))],
)
def test_bonus_is_capped(count, per, expected):
    # 9 x 1 = 9, capped at 5; 3 x 0.75 = 2.25
    assert formulas.points("bonus", count, D(5), {"per_event": per}) == expected


def test_a_bonus_never_takes_off():
    assert formulas.points("bonus", 3, D(5), {"per_event": -1}) == D("0.00")


def test_manual_takes_the_points_within_the_maximum():
    assert formulas.points("manual", D("8.456"), D(10), {}) == D("8.46")
    assert formulas.points("manual", -2, D(10), {}) == D("-2.00")
    with pytest.raises(InvalidInput) as exc:
        formulas.points("manual", 11, D(10), {})
    assert exc.value.field == "points"
    with pytest.raises(InvalidInput):
        formulas.points("manual", None, D(10), {})


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("rate_band", {}),
        ("rate_band", {"floor": "abc"}),
        ("rate_band", {"floor": "NaN"}),
        ("per_event", {"per_event": True}),
        ("threshold", {"threshold": 5, "direction": "sideways"}),
        ("nonsense", {}),
    ],
)
def test_bad_parameters_are_field_errors(kind, params):
    with pytest.raises(InvalidInput) as exc:
        formulas.check_params(kind, params)
    assert exc.value.field in ("params", "formula")


def test_an_item_with_bad_parameters_does_not_validate():
    from django.core.exceptions import ValidationError

    from zhili.assessment.models import Item

    with pytest.raises(ValidationError) as exc:
        Item(formula="rate_band", params={"per_point": 1}).clean()
    assert "params" in exc.value.message_dict
