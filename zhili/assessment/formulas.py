"""The formula types of an assessment item (考核项计分公式), pure Python, no database.

Every formula turns one measure of a unit (a rate in 0..1, or a count of events, or a score
entered by hand) into points, as `Decimal` rounded to 0.01. `max_points` is the item's
maximum (分值, > 0); `params` is the item's JSON. The types:

- `rate_band` (区间计分): points = (rate% - floor) x per_point, kept within [0, max];
  e.g. floor 75, per_point 1, max 25: 按时办结率 92.5 % gives 17.5 points. A unit with nothing
  to judge (rate None) gets `none_points` ("max" by default: nothing went wrong).
- `per_event` (按次计分): points = count x per_event (negative for a deduction), kept within
  [-max, max]; e.g. -0.5 per 督办单, max 5: 3 orders give -1.5.
- `threshold` (低于/高于标准扣分): the full max, less per_point for each percentage point the rate
  is below `threshold` (direction "below", a rate that should be high) or above it
  (direction "above", a rate that should be low, such as the return rate), never below 0.
- `bonus` (加分封顶): points = count x per_event, at most max (and never below 0).
- `manual` (人工评分): the points entered, which must lie within [-max, max] (a field error
  otherwise).
"""

from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from zhili.core.errors import InvalidInput

CENT = Decimal("0.01")
RATE_BAND = "rate_band"
PER_EVENT = "per_event"
THRESHOLD = "threshold"
BONUS = "bonus"
MANUAL = "manual"
# The types whose measure is a rate (0..1), and those whose measure is a count.
RATE_TYPES = frozenset({RATE_BAND, THRESHOLD})
COUNT_TYPES = frozenset({PER_EVENT, BONUS})


def money(value: Decimal | float | int | str) -> Decimal:
    """`value` as points: a Decimal rounded half up to 0.01."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, value))


def _param(params: Mapping[str, Any], name: str, default: object = None) -> Decimal:
    value = params.get(name, default)
    if value is None:
        raise InvalidInput(f"公式参数缺少 {name}", field="params")
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        number = Decimal("NaN")
    if isinstance(value, bool) or not number.is_finite():
        raise InvalidInput(f"公式参数 {name} 应为数字", field="params")
    return number


def _percent(rate: float | Decimal) -> Decimal:
    return Decimal(str(rate)) * 100


def _none_points(max_points: Decimal, params: Mapping[str, Any]) -> Decimal:
    value = params.get("none_points", "max")
    return (
        max_points
        if value == "max"
        else clamp(_param(params, "none_points"), Decimal(0), max_points)
    )


def rate_band(
    rate: float | Decimal | None, max_points: Decimal, params: Mapping[str, Any]
) -> Decimal:
    if rate is None:
        return money(_none_points(max_points, params))
    floor = _param(params, "floor")
    per_point = _param(params, "per_point", 1)
    return money(clamp((_percent(rate) - floor) * per_point, Decimal(0), max_points))


def threshold(
    rate: float | Decimal | None, max_points: Decimal, params: Mapping[str, Any]
) -> Decimal:
    if rate is None:
        return money(_none_points(max_points, params))
    limit = _param(params, "threshold")
    per_point = _param(params, "per_point", 1)
    if params.get("direction", "below") == "above":
        gap = _percent(rate) - limit
    else:
        gap = limit - _percent(rate)
    return money(clamp(max_points - max(gap, Decimal(0)) * per_point, Decimal(0), max_points))


def per_event(count: int | None, max_points: Decimal, params: Mapping[str, Any]) -> Decimal:
    points = Decimal(count or 0) * _param(params, "per_event")
    return money(clamp(points, -max_points, max_points))


def bonus(count: int | None, max_points: Decimal, params: Mapping[str, Any]) -> Decimal:
    points = Decimal(count or 0) * _param(params, "per_event")
    return money(clamp(points, Decimal(0), max_points))


def manual(
    value: Decimal | float | None, max_points: Decimal, params: Mapping[str, Any]
) -> Decimal:
    if value is None:
        raise InvalidInput("请填写得分", field="points")
    points = Decimal(str(value))
    if not -max_points <= points <= max_points:
        raise InvalidInput(f"得分应在 -{max_points} 至 {max_points} 之间", field="points")
    return money(points)


Formula = Callable[[Any, Decimal, Mapping[str, Any]], Decimal]
FORMULAS: dict[str, Formula] = {
    RATE_BAND: rate_band,
    THRESHOLD: threshold,
    PER_EVENT: per_event,
    BONUS: bonus,
    MANUAL: manual,
}
# What each type's params must hold, for the scheme's validation.
REQUIRED = {
    RATE_BAND: ("floor",),
    THRESHOLD: ("threshold",),
    PER_EVENT: ("per_event",),
    BONUS: ("per_event",),
    MANUAL: (),
}


def points(kind: str, measure: object, max_points: Decimal, params: Mapping[str, Any]) -> Decimal:
    """The points of `measure` under the formula `kind`."""
    if kind not in FORMULAS:
        raise InvalidInput(f"未知的计分公式 {kind}", field="formula")
    return FORMULAS[kind](measure, Decimal(max_points), params)


def check_params(kind: str, params: Mapping[str, Any]) -> None:
    """A 422 naming `params` when the formula's parameters are missing or not numbers."""
    if kind not in FORMULAS:
        raise InvalidInput(f"未知的计分公式 {kind}", field="formula")
    if not isinstance(params, Mapping):
        raise InvalidInput("公式参数应为 JSON 对象", field="params")
    for name in REQUIRED[kind]:
        _param(params, name)
    if params.get("direction", "below") not in ("below", "above"):
        raise InvalidInput("direction 应为 below 或 above", field="params")
