"""What a supervision order supervises, as the order's pages, its export and its Word notice
show it: one `Shown` per target, whatever app the target belongs to.

An order names its target generically (`target_type`, `target_id`). Each target type has a
describer in `TARGETS`: cases and petitions are described here; apps above supervision
(plans' tasks, warnings) register theirs from their `AppConfig.ready()`, so this app never
imports them (zhili/core/registry.py). A describer reads a batch of ids at once (a list page
shows twenty orders in a fixed number of queries) and, given a user, links the records that
user may open; given none (the Word notice, the export), it links nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.urls import reverse

from zhili.cases import selectors as case_selectors
from zhili.cases.models import Case
from zhili.core.registry import Registry
from zhili.core.types import Actor
from zhili.petitions import selectors as petition_selectors
from zhili.petitions.models import Petition
from zhili.supervision.models import SupervisionOrder
from zhili.supervision.services import CASE_TARGET, PETITION_TARGET


@dataclass(frozen=True)
class Shown:
    noun: str  # what the target is: 事件工单, 信访事项, 计划任务, 预警
    number: str
    title: str
    state: str  # its state, as its own pages word it
    # The labels of its number, title, start and time limit (the Word notice's table).
    labels: tuple[str, str, str, str]
    start: datetime | None
    due: datetime | None
    facts: tuple[tuple[str, str], ...] = ()  # more (label, text) lines for the order's page
    card: str = ""  # "red" / "yellow" when the target carries a card
    due_provisional: bool = False
    url: str | None = None  # its page, when the user asking may open it


# A describer: (the user asking, or None for no links; the target ids) -> Shown by target id.
Describe = Callable[["Actor | None", list[str]], dict[str, Shown]]
TARGETS: Registry[Describe] = Registry("supervision target")


def shown(user: Actor | None, orders: Iterable[SupervisionOrder]) -> dict[int, Shown]:
    """Each order's target by the order's id (an order whose target type has no describer,
    or whose target is gone, is left out: its pages show the bare type and id)."""
    ids: dict[str, list[str]] = defaultdict(list)
    orders = list(orders)
    for order in orders:
        ids[order.target_type].append(order.target_id)
    found: dict[str, dict[str, Shown]] = {}
    for target_type, keys in ids.items():
        describe = TARGETS.get(target_type)
        found[target_type] = describe(user, keys) if describe else {}
    out = {}
    for order in orders:
        target = found[order.target_type].get(order.target_id)
        if target is not None:
            out[order.pk] = target
    return out


def shown_one(user: Actor | None, order: SupervisionOrder) -> Shown | None:
    return shown(user, [order]).get(order.pk)


def int_keys(keys: list[str]) -> list[int]:
    """The ids of targets keyed by their primary key (ids that are not numbers match nothing)."""
    return [int(k) for k in keys if k.isdigit()]


M = TypeVar("M", bound=Model)


def each_shown(
    user: Actor | None,
    records: Iterable[M],
    listed: Callable[..., QuerySet[M]],
    page: str,
    show: Callable[[M], Shown],
) -> dict[str, Shown]:
    """`show(record)` for each record by its id, linked to its `page` (a URL name taking the
    record's number) when the user may open it: when the app's own scoped list selector
    (`listed`) holds it."""
    records = list(records)
    visible: set[int] = set()
    if user is not None and records:
        pks = [r.pk for r in records]
        visible = set(listed(user=user).filter(pk__in=pks).values_list("pk", flat=True))
    out = {}
    for record in records:
        shown = show(record)
        if record.pk in visible:
            shown = replace(shown, url=reverse(page, args=[shown.number]))
        out[str(record.pk)] = shown
    return out


@TARGETS.entry(CASE_TARGET)
def _cases(user: Actor | None, keys: list[str]) -> dict[str, Shown]:
    cases = Case.objects.filter(pk__in=int_keys(keys)).select_related("category", "lead_unit")
    return each_shown(user, cases, case_selectors.case_list, "cases:detail", _case)


def _case(c: Case) -> Shown:
    return Shown(
        noun="事件工单",
        number=c.case_no,
        title=c.title,
        state=c.get_state_display(),
        labels=("工单编号", "事项标题", "受理时间", "办结时限"),
        start=c.registered_at,
        due=c.due_at,
        facts=(
            ("事项分类", c.category.name),
            ("主办单位", c.lead_unit.name if c.lead_unit else "—"),
        ),
        card=c.card,
        due_provisional=c.due_provisional,
    )


@TARGETS.entry(PETITION_TARGET)
def _petitions(user: Actor | None, keys: list[str]) -> dict[str, Shown]:
    petitions = Petition.objects.filter(pk__in=int_keys(keys)).select_related("handling_unit")
    return each_shown(
        user, petitions, petition_selectors.petition_list, "petitions:detail", _petition
    )


def _petition(p: Petition) -> Shown:
    return Shown(
        noun="信访事项",
        number=p.number,
        title=p.title,
        state=p.get_state_display(),
        labels=("信访件编号", "信访事项", "收到时间", "当前环节时限"),
        start=p.received_at,
        due=p.due_at,
        facts=(
            ("信访类别", p.get_kind_display()),
            ("承办单位", p.handling_unit.name if p.handling_unit else "—"),
        ),
        card=p.card,
    )
