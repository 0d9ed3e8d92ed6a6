"""A warning as a supervision order shows it (zhili.supervision.targets; registered when
WarningsConfig.ready() imports this module): the order of a warning not answered in time
names it and links it."""

from __future__ import annotations

from django.urls import reverse

from zhili.core.types import Actor
from zhili.supervision.targets import TARGETS, Shown, int_keys, visible_pks
from zhili.warnings.models import Warning
from zhili.warnings.selectors import warning_list
from zhili.warnings.services import SUPERVISED


@TARGETS.entry(SUPERVISED)
def warnings(user: Actor | None, keys: list[str]) -> dict[str, Shown]:
    found = list(Warning.objects.filter(pk__in=int_keys(keys)).select_related("unit"))
    visible = visible_pks(user, found, warning_list)
    return {
        str(w.pk): Shown(
            noun="预警",
            number=w.number,
            title=w.title,
            state=w.get_state_display(),
            labels=("预警编号", "预警事项", "发布时间", "答复时限"),
            start=w.issued_at,
            due=w.answer_due_at,
            facts=(("预警等级", w.get_level_display()), ("责任单位", w.unit.name)),
            url=reverse("warnings:detail", args=[w.number]) if w.pk in visible else None,
        )
        for w in found
    }
