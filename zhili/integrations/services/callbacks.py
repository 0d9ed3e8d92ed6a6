"""The reply call-back: when a pushed case is closed, or given back to its source as outside
the county (退回来源, ``"result": "returned"``, the reason as the reply), or merged into such a
master, the reply is POSTed, signed, to the sender's callback URL by a task, and retried with exponential
backoff until it is delivered or the attempts run out (then it waits, visibly failed, for an
administrator to send it again). The row is written in the closing event's handler, so a
sender that is down loses no reply; every attempt is logged."""

import json
import time
from datetime import datetime, timedelta

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhili.cases.models import Case, State
from zhili.core.audit import audit
from zhili.core.errors import Conflict
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor
from zhili.integrations.models import CallbackState, PushedOrder, ReplyAttempt, ReplyCallback
from zhili.integrations.signing import signed_headers

DEFAULTS = {"base_seconds": 60, "max_seconds": 6 * 3600, "max_attempts": 10, "timeout": 10.0}
# A claimed attempt holds the row this long: a worker that dies mid-attempt is retried later.
CLAIM_LEASE = timedelta(minutes=5)


def config(key: str) -> float:
    """A number of ZHILI_REPLY_CALLBACKS (seconds, attempts), else its default."""
    value: float = getattr(settings, "ZHILI_REPLY_CALLBACKS", {}).get(key, DEFAULTS[key])
    return value


def backoff(attempts: int) -> timedelta:
    """60 s, 2 min, 4 min ... after the 1st, 2nd, 3rd failure, capped at 6 hours."""
    seconds = config("base_seconds") * 2 ** (attempts - 1)
    return timedelta(seconds=min(seconds, config("max_seconds")))


# A case's outcome that its sender is owed: closed (and rated), or returned as not ours.
ANSWERED = (State.CLOSED, State.RATED, State.RETURNED_TO_SOURCE)


def _closed_master(case_id: int, action: str) -> Case | None:
    if action in ("close", "return_to_source"):
        master_id: int | None = case_id
    elif action == "merge":
        master_id = Case.objects.filter(pk=case_id).values_list("master_id", flat=True).first()
    else:
        return None
    if master_id is None:
        return None
    return Case.objects.filter(pk=master_id, state__in=ANSWERED).select_related("lead_unit").first()


def _orders_owed(master: Case, case_id: int, action: str) -> list[PushedOrder]:
    if action == "merge":  # a late duplicate of a closed master: only itself
        cases = Q(case_id=case_id, case__state=State.MERGED)
    else:
        cases = Q(case=master) | Q(case__master=master, case__state=State.MERGED)
    return list(PushedOrder.objects.filter(cases).select_related("case", "source"))


def payload_for(order: PushedOrder, master: Case) -> dict[str, object]:
    """A merged duplicate answers with its master's reply, unit and time. `result` says
    whether the matter was handled (closed) or given back as outside the county (returned:
    the reply is the reason)."""
    returned = master.state == State.RETURNED_TO_SOURCE
    return {
        "result": "returned" if returned else "closed",
        "order_no": order.order_no,
        "case_no": order.case.case_no,
        "reply": master.reply,
        "closed_at": master.closed_at.isoformat() if master.closed_at else None,
        "handling_unit": master.lead_unit.name if master.lead_unit else "",
        "master_case_no": master.case_no if master.pk != order.case_id else None,
    }


def callbacks_for_transition(*, case_id: int, action: str, event_id: int) -> list[ReplyCallback]:
    """The replies owed after a transition (called by the event handler, in its transaction);
    each is sent by a task enqueued after commit. Idempotent per (order, event)."""
    master = _closed_master(case_id, action)
    if master is None:
        return []
    created = []
    for order in _orders_owed(master, case_id, action):
        if not order.source.callback_url:
            continue
        callback, new = ReplyCallback.objects.get_or_create(
            order=order,
            event_id=event_id,
            defaults={
                "url": order.source.callback_url,
                "payload": payload_for(order, master),
                "next_attempt_at": timezone.now(),
            },
        )
        if new:
            audit(None, "integrations.callback.create", callback, order_no=order.order_no)
            _enqueue_after_commit(callback.pk)
            created.append(callback)
    return created


def _enqueue_after_commit(callback_id: int, run_after: datetime | None = None) -> None:
    from zhili.integrations.tasks import deliver_reply

    def enqueue() -> None:
        task = deliver_reply.using(run_after=run_after) if run_after else deliver_reply
        task.enqueue(callback_id)

    transaction.on_commit(enqueue)


def _claim(callback_id: int) -> bool:
    now = timezone.now()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return bool(
        ReplyCallback.objects.filter(due, pk=callback_id, state=CallbackState.PENDING).update(
            next_attempt_at=now + CLAIM_LEASE
        )
    )


def callback_attempt(callback_id: int) -> str:
    """One attempt (the task's body): POST, log, then delivered, retried later or failed."""
    if not _claim(callback_id):
        return "skipped"
    callback = ReplyCallback.objects.select_related("order__source").get(pk=callback_id)
    source = callback.order.source
    url = source.callback_url or callback.url
    body = json.dumps(callback.payload, ensure_ascii=False, separators=(",", ":")).encode()
    started_at, clock = timezone.now(), time.perf_counter()
    status, error = None, ""
    try:
        response = httpx.post(
            url,
            content=body,
            headers=signed_headers(source.secret, body),
            timeout=config("timeout"),
        )
        status = response.status_code
        if not 200 <= status < 300:
            error = f"HTTP {status}"
    except httpx.HTTPError as exc:
        error = f"{exc.__class__.__name__}: {exc}"
    duration = round((time.perf_counter() - clock) * 1000)
    return _record(callback, url, started_at, status, error[:500], duration)


@transaction.atomic
def _record(
    callback: ReplyCallback, url: str, started_at: datetime, status: int | None, error: str, ms: int
) -> str:
    ReplyAttempt.objects.create(
        callback=callback,
        number=callback.log.count() + 1,
        started_at=started_at,
        status_code=status,
        error=error,
        duration_ms=ms,
    )
    attempts = callback.attempts + 1
    now = timezone.now()
    changes: dict[str, object] = {"attempts": attempts, "url": url, "last_error": error}
    if not error:
        changes |= {"state": CallbackState.DELIVERED, "delivered_at": now, "next_attempt_at": None}
    elif attempts >= config("max_attempts"):
        changes |= {"state": CallbackState.FAILED, "failed_at": now, "next_attempt_at": None}
    else:
        next_attempt = now + backoff(attempts)
        changes["next_attempt_at"] = next_attempt
        _enqueue_after_commit(callback.pk, run_after=next_attempt)
    ReplyCallback.objects.filter(pk=callback.pk).update(**changes)
    outcome = str(changes.get("state", "retry"))
    audit(None, f"integrations.callback.{outcome}", callback, attempts=attempts, error=error)
    return outcome


@transaction.atomic
def callback_resend(*, actor: Actor, callback: ReplyCallback) -> ReplyCallback:
    """Send a failed reply again (after the sender is back): a fresh round of attempts."""
    require(actor, Action.INTEGRATIONS_MANAGE)
    changed = ReplyCallback.objects.filter(pk=callback.pk, state=CallbackState.FAILED).update(
        state=CallbackState.PENDING, attempts=0, failed_at=None, next_attempt_at=timezone.now()
    )
    if not changed:
        raise Conflict("只有发送失败的回调可以重新发送")
    callback.refresh_from_db()
    audit(actor, "integrations.callback.resend", callback)
    _enqueue_after_commit(callback.pk)
    return callback


def callbacks_resume() -> int:
    """Enqueue again the pending replies whose attempt is long overdue (a lost task, a worker
    that died mid-attempt). The claim in `callback_attempt` keeps a reply from going twice."""
    stale = timezone.now() - CLAIM_LEASE
    ids = list(
        ReplyCallback.objects.filter(
            state=CallbackState.PENDING, next_attempt_at__lt=stale
        ).values_list("id", flat=True)[:1000]
    )
    from zhili.integrations.tasks import deliver_reply

    for callback_id in ids:
        deliver_reply.enqueue(callback_id)
    return len(ids)
