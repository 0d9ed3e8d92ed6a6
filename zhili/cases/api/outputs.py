"""The dicts the endpoints answer with, built from the rows in the shapes of `schemas`."""

from datetime import datetime

from django.db.models import TextChoices
from django.utils import timezone

from zhili.cases import deadlines, selectors, services, workflow
from zhili.cases.models import (
    AssistState,
    Card,
    Case,
    CaseAssist,
    CaseAttachment,
    CaseEvent,
    Category,
    Channel,
    LimitUnit,
    Rating,
    State,
    Urgency,
)
from zhili.core.personal import mask_phone
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.types import Actor
from zhili.orgs.models import Grid, Organization

TIMELINE_LABELS = {
    "register": "受理",
    "attach": "上传附件",
    "card": "亮牌",
    "recompute": "时限重算",
    "assist_recompute": "协办时限重算",
    "hold": "转卷宗办理",
}


def org_ref(org: Organization | Grid | None, *, area: bool = False) -> dict[str, str] | None:
    if org is None:
        return None
    if area and isinstance(org, Organization):
        return {"code": org.code, "name": org.display_area}
    return {"code": org.code, "name": org.name}


def label(choices: type[TextChoices], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def limit_out(limit: deadlines.Limit) -> dict[str, object]:
    return {"amount": limit.amount, "unit": limit.unit, "unit_label": label(LimitUnit, limit.unit)}


def category_out(category: Category) -> dict[str, object]:
    limits = []
    for urgency in Urgency.values:
        applied = deadlines.limits_for(category, urgency)
        limits.append(
            {
                "urgency": urgency,
                "acknowledge": limit_out(applied.acknowledge),
                "handle": limit_out(applied.handle),
            }
        )
    return {
        "code": category.code,
        "name": category.name,
        "parent": category.parent.code if category.parent else None,
        "depth": category.depth,
        "default_urgency": category.default_urgency,
        "time_limits": limits,
    }


def _deadlines(case: Case) -> tuple[datetime | None, datetime | None, bool]:
    """The case's acknowledgement and handling deadlines, and whether they are provisional:
    projected from now when the clock has not started yet."""
    if case.due_at is None:
        clock = deadlines.start_clock(case.category, case.urgency, timezone.now())
        return clock.acknowledge_due_at, clock.due_at, clock.provisional
    return case.acknowledge_due_at, case.due_at, case.due_provisional


def created_out(case: Case) -> dict[str, object]:
    projected = case.due_at is None
    acknowledge_due, due, provisional = _deadlines(case)
    return {
        "case_no": case.case_no,
        "state": case.state,
        "state_label": label(State, case.state),
        "handling_unit": org_ref(case.lead_unit or case.suggested_unit),
        "dispatch_center": org_ref(case.dispatch_center),
        "grid": org_ref(case.grid),
        "village": org_ref(case.village, area=True),
        "township": org_ref(case.township, area=True),
        "urgency": case.urgency,
        "acknowledge_due_at": acknowledge_due,
        "due_at": due,
        "due_at_projected": projected,
        "due_provisional": provisional,
        "routing": case.routing_note,
        "out_of_area": case.out_of_area,
    }


def item_out(case: Case) -> dict[str, object]:
    return {
        "case_no": case.case_no,
        "title": case.title,
        "state": case.state,
        "state_label": label(State, case.state),
        "channel": case.channel,
        "urgency": case.urgency,
        "category": {"code": case.category.code, "name": case.category.name},
        "township": org_ref(case.township, area=True),
        "dispatch_center": org_ref(case.dispatch_center),
        "handling_unit": org_ref(case.lead_unit or case.suggested_unit),
        "dispatched": case.lead_unit_id is not None,
        "card": case.card,
        "due_at": case.due_at,
        "due_provisional": case.due_provisional,
        "extension_pending": case.extension_requested_until is not None,
        "return_pending": case.return_requested_at is not None,
        "reporter_name": case.reporter_name,
        "reporter_phone": mask_phone(case.reporter_phone),
        "out_of_area": case.out_of_area,
        "registered_at": case.registered_at,
    }


def attachment_out(a: CaseAttachment, case_no: str) -> dict[str, object]:
    return {
        "id": a.pk,
        "name": a.name,
        "content_type": a.content_type,
        "size": a.size,
        "uploaded_by": a.uploaded_by.display_name if a.uploaded_by else None,
        "uploaded_at": a.uploaded_at,
        "url": f"/api/v1/cases/{case_no}/attachments/{a.pk}",
    }


def assist_out(task: CaseAssist) -> dict[str, object]:
    return {
        "unit": org_ref(task.organization),
        "state": task.state,
        "state_label": label(AssistState, task.state),
        "dispatched_at": task.dispatched_at,
        "due_at": task.due_at,
        "due_provisional": task.due_provisional,
        "acknowledged_at": task.acknowledged_at,
        "replied_at": task.replied_at,
        "reply": task.reply,
        "replied_by": task.replied_by.display_name if task.replied_by else None,
        "late": task.late,
    }


def timeline_out(event: CaseEvent, case_no: str) -> dict[str, object]:
    transition = workflow.ALL_TRANSITIONS.get(event.action)
    return {
        "action": event.action,
        "label": transition.label
        if transition
        else TIMELINE_LABELS.get(event.action, event.action),
        "from_state": event.from_state,
        "from_state_label": label(State, event.from_state) if event.from_state else "",
        "to_state": event.to_state,
        "to_state_label": label(State, event.to_state),
        "actor": event.actor.display_name if event.actor else None,
        "unit": org_ref(event.actor_unit),
        "note": event.note,
        "data": event.data,
        "at": event.created_at,
        "attachments": [attachment_out(a, case_no) for a in event.attachments.all()],
    }


def detail_out(user: Actor, case: Case) -> dict[str, object]:
    return {
        **{f: getattr(case, f) for f in DETAIL_FIELDS},
        "channel_label": label(Channel, case.channel),
        "category": {"code": case.category.code, "name": case.category.name},
        "urgency_label": label(Urgency, case.urgency),
        "grid": org_ref(case.grid),
        "village": org_ref(case.village, area=True),
        "township": org_ref(case.township, area=True),
        "reporter_phone": mask_phone(case.reporter_phone),
        "can_reveal_phone": bool(case.reporter_phone) and can(user, Action.PERSONAL_DATA_REVEAL),
        "state_label": label(State, case.state),
        "dispatch_center": org_ref(case.dispatch_center),
        "handling_unit": org_ref(case.lead_unit),
        **_assisting_out(case),
        "routing": _routing_out(case),
        "registered_by": case.registered_by.display_name if case.registered_by else None,
        "card_label": label(Card, case.card) if case.card else "",
        "rating": case.rating or None,
        "rating_label": label(Rating, case.rating) if case.rating else "",
        "master": case.master.case_no if case.master else None,
        "duplicates": list(case.duplicates.order_by("id").values_list("case_no", flat=True)),
        **_history_out(case),
        "actions": [
            {"name": t.name, "label": t.label, "needs_reason": t.needs_reason}
            for t in services.actions_for(user, case)
        ],
    }


def _routing_out(case: Case) -> dict[str, object]:
    return {
        "explanation": case.routing_note,
        "suggested_unit": org_ref(case.suggested_unit),
        "rule_id": case.routing_rule_id,
    }


def _assisting_out(case: Case) -> dict[str, object]:
    """The units assisting now, by code, and every assisting task with its progress."""
    tasks = list(selectors.case_assists(case))
    return {
        "assisting_units": [
            org_ref(t.organization)
            for t in sorted(tasks, key=lambda t: t.organization.code)
            if t.state != AssistState.WITHDRAWN
        ],
        "assists": [assist_out(t) for t in tasks],
    }


def _history_out(case: Case) -> dict[str, object]:
    """The case's attachments and its timeline."""
    no = case.case_no
    attachments = case.attachments.select_related("uploaded_by").order_by("uploaded_at", "id")
    return {
        "attachments": [attachment_out(a, no) for a in attachments],
        "timeline": [timeline_out(e, no) for e in selectors.case_timeline(case)],
    }


DETAIL_FIELDS = [
    "case_no",
    "channel",
    "title",
    "description",
    "urgency",
    "lat",
    "lng",
    "address",
    "out_of_area",
    "reporter_name",
    "anonymous",
    "state",
    "state_before_suspend",
    "registered_at",
    "dispatched_at",
    "acknowledged_at",
    "replied_at",
    "closed_at",
    "rated_at",
    "acknowledge_due_at",
    "due_at",
    "due_provisional",
    "warn_at",
    "card",
    "card_at",
    "extension_requested_until",
    "extension_reason",
    "extended",
    "return_requested_at",
    "return_reason",
    "suspended_at",
    "reply",
    "rating_comment",
    "reopen_count",
    "returned_count",
    "sent_back_count",
    "send_back_reason",
]
