"""The handheld's answers to a dispatch (接收 / 到场 / 完成), each with where the force is,
in order."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from zhili.core.dossier import record_history
from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.core.types import Actor
from zhili.incidents import workflow
from zhili.incidents.models import Answer, Dispatch
from zhili.incidents.services.common import check_point, push_force_step, set_status

ANSWER_ORDER = [Answer.ACCEPT, Answer.ARRIVE, Answer.FINISH]


@transaction.atomic
def dispatch_answer(
    *, actor: Actor, dispatch_id: int, answer: str, lat: float | None, lng: float | None
) -> Dispatch:
    """The force's answer to a dispatch (接收 / 到场 / 完成) with where it is: from its own
    handheld, or recorded by a desk that commands the incident."""
    sent = _answerable(actor, dispatch_id)
    _check_answer(sent, answer, lat, lng)
    now = timezone.now()
    lat, lng = _stamp(sent, answer, now, lat, lng)
    set_status(actor, sent.incident, sent.force, answer)
    label = Answer(answer).label
    record_history(
        workflow.KIND,
        sent.incident,
        answer,
        from_state=sent.incident.state,
        to_state=sent.incident.state,
        actor=actor,
        note=f"{sent.force.name}{label}",
        at=now,
        force=sent.force.code,
        dispatch=sent.pk,
        lat=lat,
        lng=lng,
    )
    push_force_step(sent.incident, sent, answer, f"力量{label}")
    return sent


def _stamp(
    sent: Dispatch, answer: str, now: datetime, lat: float | None, lng: float | None
) -> tuple[float | None, float | None]:
    """The answer's moment and place on the dispatch (without a place from the handheld, the
    force's last known one); that place."""
    lat = lat if lat is not None else sent.force.lat
    lng = lng if lng is not None else sent.force.lng
    setattr(sent, f"{answer}_at", now)
    setattr(sent, f"{answer}_lat", lat)
    setattr(sent, f"{answer}_lng", lng)
    sent.save()
    return lat, lng


def _answerable(actor: Actor, dispatch_id: int) -> Dispatch:
    """The dispatch, locked, if the actor is its force's user or commands its incident
    (out of sight: 404; seen but not commanded: 403)."""
    sent = (
        Dispatch.objects.select_for_update()
        .select_related("incident", "force__team__team_type")
        .filter(pk=dispatch_id)
        .first()
    )
    if sent is None:
        raise NotFound("派遣不存在")
    own = sent.force.user_id is not None and sent.force.user_id == actor.pk
    if not own:
        if not workflow.visible(actor, sent.incident):
            raise NotFound("派遣不存在")
        if not workflow.commands(actor, sent.incident):
            raise Forbidden("只能答复派给本人的任务", code="forbidden")
    return sent


def _check_answer(sent: Dispatch, answer: str, lat: float | None, lng: float | None) -> None:
    """An answer is one of Answer's, after the last one given; a point is on the globe."""
    if answer not in Answer.values:
        names = "、".join(f"{v}（{label}）" for v, label in Answer.choices)
        raise InvalidInput(f"答复应为：{names}", field="answer")
    if lat is not None and lng is not None:
        check_point(lat, lng)
    given = sent.stage()
    if given and ANSWER_ORDER.index(Answer(given)) >= ANSWER_ORDER.index(Answer(answer)):
        raise Conflict(f"已{Answer(given).label}，不能再{Answer(answer).label}", code="wrong_state")
