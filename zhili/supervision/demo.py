"""`zhili demo` for supervision: the 督办单 the outbox handler would have opened for the demo
year's red cards, with their answers and reviews.

The cases demo writes its cases in bulk, so no `cases.carded` event ever reached
`handlers.open_order_on_red_card`. This loader opens those orders through the same service
(`services.order_open_for_red_card`), one red card at a time in card order, dated at the card
(`issued_at=card_at`), so numbers, due dates, texts and escalation levels are the ones the
handler would have produced. Then it plays the rest of each order's life in memory and writes
it in bulk: orders older than `SETTLED_DAYS` were answered by the unit and closed by the center
(a few sent back once first); recent ones are still waiting for an answer or for review.

Idempotent: a red card that already has its order is skipped, and only the orders opened by
this run get a history, so a second run adds nothing.
"""

import random
import time
from collections import Counter
from datetime import datetime, timedelta
from typing import Any, TextIO

from django.db import connection, transaction
from django.utils import timezone

from zhili.cases.models import Card, Case
from zhili.core import workcal
from zhili.core.audit import audit
from zhili.core.models import NumberCounter, Series
from zhili.orgs.demo.data import COUNTY
from zhili.orgs.models import Organization, User
from zhili.petitions.models import Card as PetitionCard
from zhili.petitions.models import Petition
from zhili.supervision.models import (
    OrderEvent,
    OrderKind,
    OrderState,
    SupervisionOrder,
)
from zhili.supervision.services import (
    CASE_TARGET,
    answer_due,
    due_fields,
    moment_text,
    order_open_for_petition_red_card,
    order_open_for_red_card,
)

SEED = 20260
# Orders issued more than this many days ago have been answered and closed.
SETTLED_DAYS = 10
REJECT_SHARE = 0.08  # old orders sent back once before being closed
LATE_SHARE = 0.12  # answers given after the answer time limit
PENDING_SHARE = 0.3  # recent orders the unit has not answered yet
# However old they are, the newest orders count as recent, so that a small demo year still
# has an order waiting for an answer and one waiting for review.
MIN_RECENT = 3
PROGRESS_EVERY = 500

CAUSES = [
    "承办人员同时承担多项专项整治任务，对该工单办理进度跟踪不及时，未在时限内办结。",
    "该事项涉及多个部门职责交叉，前期协调会商耗时较长，导致办理超期。",
    "现场处置需等待施工队伍和材料到位，受天气影响工期顺延，未能按期办结。",
    "当事人长期在外务工，多次联系未果，无法及时上门核实情况。",
    "工单流转环节衔接不畅，签收后未及时指派具体承办人，延误了办理时间。",
    "问题整改需履行资金审批和招标程序，周期较长，未在规定时限内完成。",
    "承办人员对办理时限把握不准，误以为可在回复诉求人后再行办结。",
    "双方当事人分歧较大，调解工作反复进行，未能在时限内达成一致。",
]
MEASURES = [
    "已明确专人负责，每日跟踪办理进度，确保三个工作日内办结并回复诉求人。",
    "已召开专题协调会明确牵头单位和配合单位职责，建立限时办结台账，逐项销号。",
    "已安排施工队伍进场处置，同步对同类问题开展排查，举一反三防止再次超期。",
    "已调整承办力量，实行工单签收、指派、办理全程提醒，杜绝超期现象。",
    "已将该事项纳入单位周例会督办事项，主要负责人亲自过问，按周通报进展。",
    "已对相关承办人员进行约谈提醒，并组织业务培训，熟悉办理时限和流程要求。",
    "已与诉求人取得联系并说明情况，约定办理时间节点，办结后第一时间回复。",
    "已完善内部流转制度，工单签收后两小时内指派到人，临期工单每日预警。",
]
REJECT_REASONS = [
    "超期原因分析不够深入，整改措施不具体，请补充细化后重新答复。",
    "答复未说明办结时间节点，请明确完成时限后重新答复。",
    "整改措施未落实到具体责任人，请补充后重新答复。",
]
CLOSE_NOTES = [
    "同意办结。请严格落实整改措施，防止类似问题再次发生。",
    "答复情况属实，予以办结。",
    "同意办结，整改情况纳入月度考核。",
    "",
]

ORDER_FIELDS = [
    "state",
    "answer_cause",
    "answer_measures",
    "answered_by",
    "answered_at",
    "closed_by",
    "closed_at",
    "close_note",
    "due_at",
    "due_from",
    "due_provisional",
    "request",
    "updated_at",
]


def _say(stdout: TextIO, text: str) -> None:
    stdout.write(f"[supervision] {text}\n")
    if hasattr(stdout, "flush"):
        stdout.flush()


class Actors:
    """Who acts for an organization in the demo (None: it has no demo account), the same
    choice as the cases demo's timelines."""

    def __init__(self) -> None:
        self.users = dict(User.objects.filter(is_demo=True).values_list("username", "pk"))

    def of(self, org: Organization) -> int | None:
        if org.code == COUNTY:
            return self.users.get("dispatcher")
        if org.kind == "center" and org.level == "township":
            return self.users.get(f"to{org.code}")
        if org.kind == "center" and org.level == "village":
            return self.users.get(f"vo{org.code}")
        if org.code == f"{COUNTY}-GAJ":
            return self.users.get("police")
        return None


def open_orders(stdout: TextIO, started: float) -> list[SupervisionOrder]:
    """Open, in card order, the order of every red-carded demo case that has none yet."""
    done = set(
        SupervisionOrder.objects.filter(
            target_type=CASE_TARGET, kind=OrderKind.RED_CARD, trigger_at__isnull=False
        ).values_list("target_id", "trigger_at")
    )
    red = Case.objects.filter(is_demo=True, card=Card.RED, card_at__isnull=False).order_by(
        "card_at", "id"
    )
    todo = [(pk, at) for pk, at in red.values_list("id", "card_at") if (str(pk), at) not in done]
    _say(stdout, f"红牌工单 {red.count()} 件，待开督办单 {len(todo)} 件")
    opened = []
    for number, (pk, card_at) in enumerate(todo, start=1):
        order = order_open_for_red_card(case_id=pk, issued_at=card_at)
        if order is not None:
            opened.append(order)
        if number % PROGRESS_EVERY == 0:
            _say(stdout, f"{number}/{len(todo)} 已下发 ... {time.monotonic() - started:.1f}s")
    return opened


class Life:
    """The rest of one order's life, in memory: answer, maybe reject and answer again, close."""

    def __init__(self, rng: random.Random, actors: Actors, now: datetime):
        self.rng, self.actors, self.now = rng, actors, now
        self.events: list[OrderEvent] = []
        self.counts: Counter[str] = Counter()

    def _event(
        self,
        order: SupervisionOrder,
        action: str,
        to_state: str,
        actor: int | None,
        note: str,
        at: datetime,
    ) -> None:
        at = min(at, self.now)  # a long holiday right after an old order could push past now
        self.events.append(
            OrderEvent(
                order=order,
                action=action,
                from_state=order.state,
                to_state=to_state,
                actor_id=actor,
                note=note,
                created_at=at,
            )
        )
        order.state, order.updated_at = to_state, at
        self.counts[action] += 1

    def answer_time(self, start: datetime, due: datetime) -> datetime:
        hours = (workcal.working_time_between(start, due).total_seconds() / 3600) or 16
        if self.rng.random() < LATE_SHARE:
            return workcal.add_working_time(due, timedelta(hours=self.rng.uniform(1, 12)))
        return workcal.add_working_time(start, timedelta(hours=self.rng.uniform(0.1, 0.9) * hours))

    def answer(self, order: SupervisionOrder, at: datetime) -> None:
        rng = self.rng
        cause, measures = rng.choice(CAUSES), rng.choice(MEASURES)
        actor = self.actors.of(order.unit)
        order.answer_cause, order.answer_measures = cause, measures
        order.answered_by_id, order.answered_at = actor, at
        self._event(
            order,
            "answer",
            OrderState.ANSWERED,
            actor,
            f"超期原因：{cause}\n整改措施：{measures}",
            at,
        )

    def reject(self, order: SupervisionOrder, at: datetime) -> None:
        reason = self.rng.choice(REJECT_REASONS)
        due = answer_due(at)
        order.request = order.request.replace(moment_text(order.due_at), moment_text(due))
        order.close_note = reason
        for field, value in due_fields(at, due).items():
            setattr(order, field, value)
        self._event(order, "reject", OrderState.ISSUED, self.actors.of(order.center), reason, at)

    def close(self, order: SupervisionOrder, at: datetime) -> None:
        note = self.rng.choice(CLOSE_NOTES)
        actor = self.actors.of(order.center)
        order.closed_by_id, order.closed_at, order.close_note = actor, at, note
        self._event(order, "close", OrderState.CLOSED, actor, note, at)

    def settle(self, order: SupervisionOrder) -> None:
        """An old order: answered, perhaps sent back once and answered again, then closed."""
        rng = self.rng
        at = self.answer_time(order.issued_at, order.due_at)
        self.answer(order, at)
        if rng.random() < REJECT_SHARE:
            at = workcal.add_working_time(at, timedelta(hours=rng.uniform(0.5, 6)))
            self.reject(order, at)
            at = self.answer_time(at, order.due_at)
            self.answer(order, at)
        self.close(order, workcal.add_working_time(at, timedelta(hours=rng.uniform(0.5, 12))))

    def recent(self, order: SupervisionOrder, *, force: str = "") -> None:
        """A recent order: still waiting for the unit's answer, or answered and under review."""
        at = self.answer_time(order.issued_at, order.due_at)
        if force == "answer":
            at = min(at, self.now - timedelta(minutes=5))
            at = max(at, order.issued_at + timedelta(minutes=1))
        elif force == "wait" or self.rng.random() < PENDING_SHARE or at > self.now:
            return
        self.answer(order, at)


def play(orders: list[SupervisionOrder], now: datetime) -> tuple[list[OrderEvent], Counter[str]]:
    life = Life(random.Random(SEED), Actors(), now)
    settled = now - timedelta(days=SETTLED_DAYS)
    old = sum(o.issued_at < settled for o in orders)
    old = max(min(old, len(orders) - MIN_RECENT), 0)
    for order in orders[:old]:
        life.settle(order)
    recent = orders[old:]
    # Among the recent ones the newest always waits for its answer and the oldest (when there
    # are two) always waits for review, so that every tab of the list has rows.
    for index, order in enumerate(recent):
        force = "wait" if index == len(recent) - 1 else "answer" if index == 0 else ""
        life.recent(order, force=force)
    return life.events, life.counts


def _write_orders(orders: list[SupervisionOrder]) -> None:
    """Write the played fields back with executemany: bulk_update's CASE expressions would
    take longer than opening the orders did."""
    fields = [f for f in SupervisionOrder._meta.concrete_fields if f.name in ORDER_FIELDS]
    rows = [
        [*(f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields), o.pk]
        for o in orders
    ]
    quote = connection.ops.quote_name
    table = quote(SupervisionOrder._meta.db_table)
    sets = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {sets} WHERE {quote('id')} = %s",  # noqa: S608 - fixed names
            rows,
        )


def load(*, stdout: TextIO) -> dict[str, Any]:
    """Open the orders of the demo cases' red cards, then answer and close the old ones."""
    started = time.monotonic()
    now = timezone.now()
    with transaction.atomic():
        opened = open_orders(stdout, started)
        ids = [o.pk for o in opened]
        orders = list(
            SupervisionOrder.objects.filter(pk__in=ids)
            .select_related("unit", "center")
            .order_by("issued_at", "id")
        )
        if orders:
            _say(stdout, f"督办单 {len(orders)} 件已下发 ... {time.monotonic() - started:.1f}s")
        events, counts = play(orders, now)
        _write_orders(orders)
        OrderEvent.objects.bulk_create(events, batch_size=2000)
        states = Counter(o.state for o in orders)
        levels = Counter(o.level for o in orders)
        created = {
            "orders": len(orders),
            "events": len(orders) + len(events),
            "answers": counts["answer"],
            "rejects": counts["reject"],
            "closes": counts["close"],
        }
        audit(
            None,
            "supervision.demo.load",
            None,
            created=created,
            states=dict(states),
            levels=dict(levels),
            total=SupervisionOrder.objects.filter(case__is_demo=True).count(),
        )
    if not orders:
        _say(stdout, "红牌工单均已有督办单，跳过")
        return {"created": created}
    labels = dict(OrderState.choices)
    spread = "、".join(f"{labels[s]} {states.get(s, 0)}" for s in OrderState.values)
    _say(
        stdout,
        f"督办单 {len(orders)} 件（{spread}），退回重答 {counts['reject']} 次 ... "
        f"{time.monotonic() - started:.1f}s",
    )
    return {"created": created}


def unload() -> None:
    """Remove the orders on demo cases (for tests; before the cases demo's own unload, since
    an order protects its case)."""
    SupervisionOrder.objects.filter(case__is_demo=True).delete()
    if not SupervisionOrder.objects.exists():
        NumberCounter.objects.filter(series=Series.ORDER).delete()


def load_petition_orders(*, stdout: TextIO) -> dict[str, Any]:
    """Open the order of every red-carded demo petition, in card order, through the outbox
    handler's service, dated at the card; runs after the petitions demo. Idempotent: a card
    that already has its order is skipped."""
    started = time.monotonic()
    red = Petition.objects.filter(is_demo=True, card=PetitionCard.RED, card_at__isnull=False)
    on_petitions = SupervisionOrder.objects.filter(petition__isnull=False)
    before = on_petitions.count()
    with transaction.atomic():
        for pk, card_at in red.order_by("card_at", "id").values_list("id", "card_at"):
            order_open_for_petition_red_card(petition_id=pk, issued_at=card_at)
    opened = on_petitions.count() - before
    _say(
        stdout,
        f"信访红牌 {red.count()} 件，新开督办单 {opened} 件 ... {time.monotonic() - started:.1f}s",
    )
    return {"created": {"orders": opened}}
