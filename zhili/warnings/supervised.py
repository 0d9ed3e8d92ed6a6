"""A warning as a supervision order shows it (zhili.supervision.targets; registered when
WarningsConfig.ready() imports this module): the order of a warning not answered in time
names it and links it."""

from __future__ import annotations

from zhili.core.types import Actor
from zhili.supervision.targets import TARGETS, Shown, each_shown, int_keys
from zhili.warnings.models import Warning
from zhili.warnings.selectors import warning_list
from zhili.warnings.services import SUPERVISED


@TARGETS.entry(SUPERVISED)
def warnings(user: Actor | None, keys: list[str]) -> dict[str, Shown]:
    found = Warning.objects.filter(pk__in=int_keys(keys)).select_related("unit")
    return each_shown(user, found, warning_list, "warnings:detail", _shown)


def _shown(w: Warning) -> Shown:
    return Shown(
        noun="预警",
        number=w.number,
        title=w.title,
        state=w.get_state_display(),
        labels=("预警编号", "预警事项", "发布时间", "答复时限"),
        start=w.issued_at,
        due=w.answer_due_at,
        facts=(("预警等级", w.get_level_display()), ("责任单位", w.unit.name)),
    )
