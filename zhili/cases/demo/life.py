"""One case's life, replayed in memory through the workflow up to `now`."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from zhili.cases import deadlines
from zhili.cases.demo import rules, texts
from zhili.cases.models import AssistState, Card, Case, Rating, State, Urgency
from zhili.cases.services.assists import OPEN as OPEN_TASK
from zhili.cases.services.assists import assist_clock
from zhili.cases.workflow import CLOCK_RUNNING
from zhili.core import workcal
from zhili.orgs.demo.data import COUNTY
from zhili.orgs.models import Level, Organization

if TYPE_CHECKING:
    from zhili.cases.demo.generator import Generator


@dataclass
class Draft:
    """A generated case: its row (unsaved), its timeline and its links to other rows."""

    case: Case
    events: list[dict[str, Any]] = field(default_factory=list)
    # The assisting units' tasks (协办任务): the unit and its CaseAssist fields.
    assists: list[tuple[Organization, dict[str, Any]]] = field(default_factory=list)
    master: int | None = None  # index of the master case in the batch


class _Stop(Exception):
    """The replay reached `now`: later events have not happened yet."""


class _Life:
    """Replays one case's life through the workflow, as the services would have written it."""

    def __init__(self, gen: "Generator", draft: Draft, group: str):
        self.g, self.d, self.c, self.group = gen, draft, draft.case, group
        self.rng = gen.rng
        self.t = self.c.registered_at
        self.round_the_clock = self.c.urgency == Urgency.EMERGENCY

    # --- bookkeeping ----------------------------------------------------------------------

    def event(
        self,
        action: str,
        from_state: str,
        to_state: str,
        at: datetime,
        actor: int | None,
        actor_unit: Organization | None,
        note: str = "",
        **data: Any,
    ) -> None:
        self.d.events.append(
            dict(
                action=action,
                from_state=from_state,
                to_state=to_state,
                created_at=at,
                actor_id=actor,
                actor_unit_id=actor_unit.pk if actor_unit else self._user_unit(actor),
                note=note,
                data=data,
            )
        )
        if action != "card":  # the sweep leaves updated_at alone
            self.c.updated_at = at

    def _user_unit(self, user: int | None) -> int | None:
        return self.g.w.user_units.get(user) if user else None

    def at(self, moment: datetime) -> datetime:
        """Move the case's clock to `moment`, letting the scheduler's cards fall first."""
        if moment > self.g.now:
            raise _Stop
        self.sweep(moment)
        self.t = moment
        return moment

    def sweep(self, moment: datetime) -> None:
        """What zhili.cases.sweep does each time it runs: the card, and a "card" timeline row."""
        c = self.c
        while c.warn_at is not None and moment >= c.warn_at and c.state in CLOCK_RUNNING:
            at = c.warn_at
            if c.due_at is not None and at < c.due_at:
                c.card, c.card_at, c.warn_at = Card.YELLOW, at, c.due_at
            else:
                c.card, c.card_at, c.warn_at = Card.RED, at, None
            label = Card(c.card).label
            self.event("card", c.state, c.state, at, None, None, label, card=c.card)

    def transition(
        self, action: str, to_state: str | None, side: Organization, note: str = "", **data: Any
    ) -> None:
        from_state = self.c.state
        self.c.state = to_state or from_state
        actor = self.g.actor(side, self.t)
        self.event(action, from_state, self.c.state, self.t, actor, side, note, **data)

    def finish(self) -> None:
        """Bring the cards up to `now` for a case still with its unit."""
        self.sweep(self.g.now)

    # --- time ------------------------------------------------------------------------------
    # People act in office hours (the county's working periods, ZHILI_WORK_HOURS, on working
    # days); only an emergency (特急, a clock of calendar minutes) is handled round the clock.
    # The sweep's cards fall at any hour: the scheduler runs day and night.

    def working(self, hours: float) -> datetime:
        return workcal.add_working_time(self.t, timedelta(hours=hours))

    def calendar(self, minutes: float) -> datetime:
        return self.t + timedelta(minutes=minutes)

    def soon(self, minutes: float, hours: float) -> datetime:
        """After `minutes` for an emergency, after `hours` of office time for the others."""
        return self.calendar(minutes) if self.round_the_clock else self.working(hours)

    def share(self, start: datetime, end: datetime, fraction: float) -> datetime:
        """The moment `fraction` of the way from `start` to `end`: in calendar time for an
        emergency, in office time (so inside office hours) for the others."""
        if self.round_the_clock:
            return start + (end - start) * fraction
        span = workcal.working_time_between(start, end) if end > start else timedelta()
        return workcal.add_working_time(start, span * fraction)

    # --- the life --------------------------------------------------------------------------

    def live(self) -> None:
        c, rng, g = self.c, self.rng, self.g
        fast = c.urgency != Urgency.NORMAL
        master = g.master_for(c)
        if master is not None and rng.random() < 0.25:
            self.at(self.soon(rng.uniform(5, 90), rng.uniform(0.1, 1.5)))
            master_case = g.drafts[master].case
            self.d.master = master
            note = f"合并至 {master_case.case_no}"
            self.transition(
                "merge", State.MERGED, c.dispatch_center, note, master=master_case.case_no
            )
            return
        unit = c.suggested_unit
        if unit is None:
            unit = self._unmatched(fast)
        elif c.dispatch_center.level == Level.TOWNSHIP and rng.random() < 0.01:
            self.at(self.working(rng.uniform(0.2, 3)))
            county = g.w.county
            self.transition(
                "escalate",
                None,
                c.dispatch_center,
                rng.choice(texts.ESCALATE_REASONS),
                to_center=county.code,
            )
            c.dispatch_center, c.dispatch_path = county, county.path
            unit = g.w.orgs[rules.department(rules.FALLBACK_UNITS.get(self.group, "SFJ"))]
            unit = self._county_unit() or unit
        self.at(self.soon(rng.uniform(2, 25), rng.uniform(0.05, 0.5 if fast else 1.5)))
        self.dispatch(unit, "dispatch")
        if rng.random() < 0.04:
            self.bounce()
        self.handle()

    def _county_unit(self) -> Organization | None:
        suffix = rules.COUNTY_LEAVES.get(self.c.category.name) or rules.COUNTY_GROUPS.get(
            self.group
        )
        return self.g.w.orgs[rules.department(suffix)] if suffix else None

    def _unmatched(self, fast: bool) -> Organization:
        """No rule matched: the county dispatcher hands it down to the township, or picks a
        department."""
        c, rng, g = self.c, self.rng, self.g
        self.at(
            self.soon(rng.uniform(5, 40), rng.uniform(0.1, 0.8) if fast else rng.uniform(0.2, 3))
        )
        if c.township is not None and rng.random() < 0.7:
            township = c.township
            self.transition(
                "assign_down",
                None,
                c.dispatch_center,
                f"交办{township.name}",
                to_center=township.code,
            )
            c.dispatch_center, c.dispatch_path = township, township.path
            return township
        return (
            self._county_unit()
            or g.w.orgs[rules.department(rules.FALLBACK_UNITS.get(self.group, "XFJ"))]
        )

    def dispatch(self, unit: Organization, action: str) -> None:
        c, g = self.c, self.g
        previous = c.lead_unit.code if c.lead_unit else ""
        from_state = c.state
        c.lead_unit, c.unit_path, c.dispatched_at, c.acknowledged_at = unit, unit.path, self.t, None
        self.clock()
        c.state = State.DISPATCHED
        helpers = self._helpers(unit)
        tasks = self._open_tasks(helpers)
        note = f"派往{unit.name}" + (f"，协办：{helpers[0].name}" if helpers else "")
        self.event(
            action,
            from_state,
            c.state,
            self.t,
            g.actor(c.dispatch_center, self.t),
            c.dispatch_center,
            note,
            unit=unit.code,
            previous_unit=previous,
            **tasks,
        )

    def _helpers(self, unit: Organization) -> list[Organization]:
        """A department's case sometimes needs another department's help (协办)."""
        if unit.kind != "department" or self.rng.random() >= 0.08:
            return []
        helper = rules.REASSIGN_TO.get(unit.code.removeprefix(f"{COUNTY}-"))
        return [self.g.w.orgs[rules.department(helper)]] if helper else []

    def _open_tasks(self, helpers: list[Organization]) -> dict[str, Any]:
        """As zhili.cases.services.assists.open_tasks: new tasks, the others withdrawn."""
        c = self.c
        withdrawn = self._withdraw([h.pk for h in helpers])
        if not helpers:
            return {"withdrawn": withdrawn} if withdrawn else {}
        assert c.due_at is not None
        clock = assist_clock(self.t, c.due_at, calendar=c.calendar_clock)
        fresh = {
            "state": AssistState.DISPATCHED,
            "dispatched_at": self.t,
            **clock.fields(),
            "acknowledged_at": None,
            "replied_at": None,
            "reply": "",
            "replied_by_id": None,
            "updated_at": self.t,
        }
        kept = {org.pk: task for org, task in self.d.assists}
        for helper in helpers:
            if helper.pk in kept:
                kept[helper.pk].update(fresh)
            else:
                self.d.assists.append((helper, dict(fresh)))
        tasks: dict[str, Any] = {
            "assisting": [h.code for h in helpers],
            "assist_due_at": clock.due_at.isoformat(),
        }
        return tasks | ({"withdrawn": withdrawn} if withdrawn else {})

    def _withdraw(self, keep: list[int] | None = None) -> list[str]:
        """The open tasks of the units not kept are withdrawn (a return, a new dispatch)."""
        codes = []
        for org, task in self.d.assists:
            if org.pk not in (keep or []) and task["state"] in OPEN_TASK:
                task.update(state=AssistState.WITHDRAWN, updated_at=self.t)
                codes.append(org.code)
        return codes

    def assist(self, start: datetime) -> None:
        """The assisting units acknowledge their tasks and reply, most by their deadline."""
        c, rng, g = self.c, self.rng, self.g
        for org, task in self.d.assists:
            if task["state"] != AssistState.DISPATCHED:
                continue
            due = task["due_at"]
            self.at(max(self.t, self.share(start, due, rng.uniform(0.03, 0.25))))
            task.update(state=AssistState.ACKNOWLEDGED, acknowledged_at=self.t, updated_at=self.t)
            self.event(
                "assist_acknowledge",
                c.state,
                c.state,
                self.t,
                g.actor(org, self.t),
                org,
                unit=org.code,
                task_from=AssistState.DISPATCHED,
            )
            fraction = rng.uniform(1.02, 1.5) if rng.random() < 0.1 else rng.uniform(0.4, 0.95)
            self.at(max(self.t, self.share(start, due, fraction)))
            reply, actor = rng.choice(texts.ASSIST_REPLIES), g.actor(org, self.t)
            task.update(
                state=AssistState.REPLIED,
                replied_at=self.t,
                reply=reply,
                replied_by_id=actor,
                updated_at=self.t,
            )
            self.event(
                "assist_reply",
                c.state,
                c.state,
                self.t,
                actor,
                org,
                reply,
                unit=org.code,
                task_from=AssistState.ACKNOWLEDGED,
            )

    def clock(self) -> None:
        c = self.c
        clock = deadlines.start_clock(c.category, c.urgency, self.t)
        c.acknowledge_due_at, c.due_at, c.warn_at = (
            clock.acknowledge_due_at,
            clock.due_at,
            clock.warn_at,
        )
        c.calendar_clock, c.card, c.card_at = clock.calendar, Card.NONE, None
        c.remaining_seconds, c.extension_requested_until, c.extension_reason = None, None, ""
        c.due_provisional, c.clock_from, c.clock_seconds = clock.provisional, self.t, None

    def bounce(self) -> None:
        """The unit sends the case back; the dispatcher sends it elsewhere."""
        c, rng = self.c, self.rng
        assert c.lead_unit is not None and c.acknowledge_due_at is not None
        self.at(self.share(self.t, c.acknowledge_due_at, rng.uniform(0.1, 0.8)))
        unit = c.lead_unit
        self.give_back("return", unit, rng.choice(texts.RETURN_REASONS))
        self.redispatch(unit)

    def give_back(self, action: str, unit: Organization, note: str) -> None:
        """The case goes back to its center (a return, or an approved return request)."""
        c, g = self.c, self.g
        side = unit if action == "return" else c.dispatch_center
        withdrawn = self._withdraw()
        c.lead_unit, c.unit_path, c.warn_at = None, "", None
        c.returned_count += 1
        from_state = c.state
        c.state = State.RETURNED
        self.event(
            action,
            from_state,
            c.state,
            self.t,
            g.actor(side, self.t),
            side,
            note,
            previous_unit=unit.code,
            **({"withdrawn": withdrawn} if withdrawn else {}),
        )

    def redispatch(self, unit: Organization) -> None:
        """The dispatcher sends a returned case to another unit."""
        c, rng, g = self.c, self.rng, self.g
        self.at(self.working(rng.uniform(0.2, 4)))
        suffix = rules.REASSIGN_TO.get(unit.code.removeprefix(f"{COUNTY}-"))
        if suffix:
            target = g.w.orgs[rules.department(suffix)]
        elif c.township is not None and unit.pk != c.township.pk:
            target = c.township
        else:
            target = g.w.orgs[rules.department("SFJ")]
        if not target.path.startswith(c.dispatch_center.path):
            county = g.w.county
            c.dispatch_center, c.dispatch_path = county, county.path
        self.dispatch(target, "reassign")

    def handle(self, reopened: bool = False) -> None:
        c, rng = self.c, self.rng
        fast = c.urgency != Urgency.NORMAL
        unit = c.lead_unit
        assert unit is not None and c.acknowledge_due_at is not None and c.due_at is not None
        late_ack = rng.random() < 0.04
        self.at(
            self.share(
                c.dispatched_at or self.t,
                c.acknowledge_due_at,
                rng.uniform(1.05, 2.5) if late_ack else rng.uniform(0.03, 0.7),
            )
        )
        c.acknowledged_at = self.t
        self.transition("acknowledge", State.ACKNOWLEDGED, unit)
        # How much of the handling time the unit will use: most finish well within it.
        roll = rng.random()
        use = (
            rng.uniform(0.1, 0.6)
            if roll < 0.72
            else rng.uniform(0.6, 0.8)
            if roll < 0.88
            else rng.uniform(0.8, 1.0)
            if roll < 0.95
            else rng.uniform(1.0, 2.2)
        )
        start = c.dispatched_at or self.t
        if self.d.assists:
            self.assist(start)
        if rng.random() < 0.01 and self._returned_late(unit):
            self.handle(reopened)
            return
        if rng.random() < 0.85:
            self.at(
                max(self.t, self.share(start, c.due_at, min(use, 1.0) * rng.uniform(0.05, 0.3)))
            )
            self.transition("start", State.IN_PROGRESS, unit)
            if self._suspends():
                return
        if c.urgency == Urgency.NORMAL and use > 0.75 and rng.random() < 0.3:
            self.extend(start, use)
        reply_at = max(self.t, self.share(start, c.due_at, use))
        self.at(reply_at)
        resolution = rng.choice(texts.RESOLUTIONS.get(self.group, texts.RESOLUTIONS["QT"]))
        c.reply = f"经{unit.name}核查处理，{resolution}。{rng.choice(texts.CONTACTS)}"
        c.replied_at, c.warn_at = self.t, None
        self.transition("reply", State.REPLIED, unit, c.reply)
        if c.urgency == Urgency.NORMAL and rng.random() < 0.03:
            self._sent_back(unit, resolution)
        self.at(
            self.soon(rng.uniform(10, 600), rng.uniform(0.1, 1) if fast else rng.uniform(0.2, 6))
        )
        c.closed_at = self.t
        self.transition("close", State.CLOSED, c.dispatch_center)
        if rng.random() < 0.01:
            return  # the citizen could not be reached for the follow-up
        self.at(self.working(rng.uniform(1, 20)))  # the center's follow-up call
        roll = rng.random()
        if reopened:
            rating = Rating.SATISFIED if roll < 0.8 else Rating.BASICALLY_SATISFIED
        else:
            rating = (
                Rating.SATISFIED
                if roll < 0.92
                else Rating.BASICALLY_SATISFIED
                if roll < 0.97
                else Rating.UNSATISFIED
            )
        c.rating = rating
        c.rating_comment = rng.choice(texts.RATING_COMMENTS[rating])
        c.rated_at = self.t
        self.transition("rate", State.RATED, c.dispatch_center, c.rating_comment, rating=rating)
        if rating == Rating.UNSATISFIED and rng.random() < 0.4:
            self.reopen()

    def _returned_late(self, unit: Organization) -> bool:
        """Past the return window the unit asks the center to take the case back (申请退单);
        True when the center agreed and the case went to another unit."""
        c, rng = self.c, self.rng
        self.at(self.working(rng.uniform(3, 20)))
        reason = rng.choice(texts.RETURN_REQUEST_REASONS)
        c.return_requested_at, c.return_reason = self.t, reason
        self.transition("request_return", None, unit, reason, unit=unit.code)
        self.at(self.working(rng.uniform(0.5, 6)))
        c.return_requested_at = None
        if rng.random() < 0.6:
            self.give_back("approve_return", unit, reason)
            self.redispatch(unit)
            return True
        refusal = rng.choice(texts.REFUSE_RETURN_REASONS)
        self.transition("refuse_return", None, c.dispatch_center, refusal, unit=unit.code)
        return False

    def _sent_back(self, unit: Organization, resolution: str) -> None:
        """The center's review finds the reply weak (审核退回); the unit answers again."""
        c, rng = self.c, self.rng
        self.at(self.working(rng.uniform(0.3, 6)))
        reason, rejected = rng.choice(texts.SEND_BACK_REASONS), c.reply
        c.reply, c.replied_at = "", None
        c.sent_back_count += 1
        c.send_back_reason = reason
        assert c.due_at is not None and c.dispatched_at is not None
        warn = (
            None
            if c.card == Card.RED
            else c.due_at
            if c.card == Card.YELLOW
            else deadlines.warn_point(c.dispatched_at, c.due_at, calendar=c.calendar_clock)
        )
        # A moment already past falls at the next sweep, that is now.
        c.warn_at = max(warn, self.t) if warn else None
        self.transition(
            "send_back",
            State.IN_PROGRESS,
            c.dispatch_center,
            reason,
            unit=unit.code,
            rejected_reply=rejected,
        )
        self.at(self.working(rng.uniform(2, 24)))
        c.reply = f"经{unit.name}到现场再次核实，{resolution}。已电话告知诉求人处理结果。"
        c.replied_at, c.warn_at = self.t, None
        self.transition("reply", State.REPLIED, unit, c.reply)

    def _suspends(self) -> bool:
        c, rng = self.c, self.rng
        if self.g.now - c.registered_at > timedelta(days=30) or rng.random() > 0.02:
            return False
        assert c.due_at is not None
        self.at(self.working(rng.uniform(0.5, 6)))
        left = deadlines.elapsed(self.t, c.due_at, calendar=c.calendar_clock)
        c.remaining_seconds = max(int(left.total_seconds()), 0)
        c.state_before_suspend, c.suspended_at, c.warn_at = c.state, self.t, None
        self.transition(
            "suspend", State.SUSPENDED, c.dispatch_center, rng.choice(texts.SUSPEND_REASONS)
        )
        return True

    def extend(self, start: datetime, use: float) -> None:
        c, rng = self.c, self.rng
        assert c.due_at is not None and c.lead_unit is not None
        self.at(max(self.t, self.share(start, c.due_at, rng.uniform(0.4, 0.7))))
        days = (
            workcal.add_workdays(timezone.localdate(c.due_at), 5) - timezone.localdate(c.due_at)
        ).days
        until = c.due_at + timedelta(days=days)
        reason = rng.choice(texts.EXTENSION_REASONS)
        c.extension_requested_until, c.extension_reason = until, reason
        self.transition("request_extension", None, c.lead_unit, reason, until=until.isoformat())
        self.at(self.working(rng.uniform(0.3, 4)))
        if rng.random() < 0.2:
            c.extension_requested_until = None
            self.transition("refuse_extension", None, c.dispatch_center, "理由不充分，请按期办结")
            return
        c.due_at, c.extended, c.extension_requested_until = until, True, None
        c.due_provisional, c.clock_from, c.clock_seconds = False, None, None
        if c.card != Card.RED:
            warn = deadlines.warn_point(self.t, until, calendar=c.calendar_clock)
            c.card, c.card_at, c.warn_at = Card.NONE, None, max(warn, self.t)
        else:
            c.warn_at = until
        self.transition("approve_extension", None, c.dispatch_center, until=until.isoformat())

    def reopen(self) -> None:
        c, rng = self.c, self.rng
        assert c.lead_unit is not None
        self.at(self.working(rng.uniform(1, 8)))
        unit = c.lead_unit
        c.reopen_count += 1
        c.rating, c.rating_comment, c.rated_at = "", "", None
        c.replied_at, c.closed_at = None, None
        c.dispatched_at, c.acknowledged_at = self.t, None
        self.clock()
        self.transition(
            "reopen", State.DISPATCHED, c.dispatch_center, rng.choice(texts.REOPEN_REASONS)
        )
        c.unit_path = unit.path
        self.handle(reopened=True)
