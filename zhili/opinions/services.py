"""Every write to the 舆情 register: an item registered by the staff who found it, and its
response (through the dossier kernel)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from zhili.cases.routing import county_center
from zhili.core.audit import audit
from zhili.core.counters import take_next
from zhili.core.dates import check_moment
from zhili.core.dossier import action_of, apply_transition, check_action, record_history
from zhili.core.dossier import actions_for as kernel_actions_for
from zhili.core.errors import Forbidden, InvalidInput, required_text
from zhili.core.models import Series
from zhili.core.roles import Action
from zhili.core.scope import can, scope_for
from zhili.core.types import Actor
from zhili.core.workflow import Transition
from zhili.opinions import workflow
from zhili.opinions.models import Heat, Opinion, OpinionState, Source
from zhili.orgs.models import Organization


@dataclass(frozen=True)
class OpinionInput:
    title: str
    summary: str
    source: str
    url: str
    heat: str
    found_at: datetime
    place: str = ""  # a township center's code; empty: the county
    views: int | None = None


def _place(actor: Actor, code: str) -> Organization:
    place = Organization.objects.filter(code=code).first() if code else county_center()
    if place is None:
        raise InvalidInput("涉及地区不存在", field="place")
    if not scope_for(actor).covers_path(place.path):
        raise InvalidInput("涉及地区不在您所在单位的范围内", field="place")
    return place


def _checked(data: OpinionInput) -> None:
    required_text(data.title, field="title", label="标题", limit=200)
    required_text(data.summary, field="summary", label="内容摘要", limit=5000)
    if data.source not in Source.values:
        raise InvalidInput("请选择来源", field="source")
    if data.heat not in Heat.values:
        raise InvalidInput("请选择热度", field="heat")
    try:
        URLValidator(schemes=["http", "https"])(data.url)
    except ValidationError:
        raise InvalidInput("链接应为 http(s):// 开头的网址", field="url") from None
    check_moment(data.found_at, field="found_at")
    if data.found_at > timezone.now():
        raise InvalidInput("发现时间不能晚于现在", field="found_at")
    if data.views is not None and not 0 <= data.views <= 10**10:
        raise InvalidInput("阅读量超出范围", field="views")


@transaction.atomic
def opinion_register(*, actor: Actor, data: OpinionInput) -> Opinion:
    if not can(actor, Action.OPINIONS_KEEP):
        raise Forbidden("您的角色不能登记舆情")
    _checked(data)
    place = _place(actor, data.place)
    year = timezone.localdate().year
    opinion = Opinion.objects.create(
        number=f"YQ{year}-{take_next(Series.OPINION, str(year)):05d}",
        title=data.title.strip(),
        summary=data.summary.strip(),
        source=data.source,
        url=data.url,
        heat=data.heat,
        views=data.views,
        found_at=data.found_at,
        place=place,
        place_path=place.path,
        state=OpinionState.OPEN,
        registered_by=actor,
    )
    record_history(
        workflow.KIND,
        opinion,
        "register",
        from_state="",
        to_state=OpinionState.OPEN,
        actor=actor,
        note=f"{opinion.get_source_display()}，热度{opinion.get_heat_display()}",
    )
    audit(actor, "opinions.opinion.register", opinion, number=opinion.number)
    return opinion


def actions_for(actor: Actor, opinion: Opinion) -> list[Transition]:
    return kernel_actions_for(workflow.KIND, actor, opinion)


@transaction.atomic
def opinion_respond(*, actor: Actor, opinion: Opinion, response: str) -> Opinion:
    """How it was answered: the facts published, the matter handled, who was told."""
    transition = check_action(workflow.KIND, actor, opinion, "respond")
    response = required_text(response, field="response", label="回应处置情况", limit=5000)
    changes: dict[str, object] = {
        "response": response,
        "responded_by": actor,
        "responded_at": timezone.now(),
        "updated_at": timezone.now(),
    }
    return apply_transition(
        workflow.KIND, opinion, transition, actor, changes, note=response
    ).record


ACTIONS = {
    "respond": lambda actor, opinion, data: opinion_respond(
        actor=actor, opinion=opinion, response=str(data.get("response") or "")
    ),
}


def opinion_act(actor: Actor, opinion: Opinion, action: str, data: Mapping[str, object]) -> Opinion:
    return action_of(ACTIONS, action)(actor, opinion, data)
