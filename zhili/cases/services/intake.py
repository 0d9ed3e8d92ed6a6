"""Intake (受理): the request from any channel, its validation, routing and case number."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from zhili.cases import duplicates, live, workflow
from zhili.cases.events import CaseRegistered
from zhili.cases.models import Case, Category, Channel, State, Urgency
from zhili.cases.routing import Route, route
from zhili.cases.selectors import category_is_leaf
from zhili.cases.services.attachments import attach_files
from zhili.cases.services.common import history
from zhili.core.audit import audit
from zhili.core.counters import take_next
from zhili.core.errors import Forbidden, InvalidInput
from zhili.core.events import emit
from zhili.core.models import Series
from zhili.core.personal import validate_phone
from zhili.core.rows import insert_row, update_row
from zhili.core.scope import role_codes
from zhili.core.text import clean_line, clean_text
from zhili.core.types import SystemActor
from zhili.core.uploads import check_upload


def next_case_no(now: datetime) -> str:
    """DH20261126-00042: sequential per local day, gap-free, safe under concurrent intake.

    See zhili.core.counters: the number is gap-free; take it late in the transaction.
    """
    day = timezone.localdate(now)
    number = take_next(Series.CASE, day.isoformat())
    return f"{settings.ZHILI_CASE_PREFIX}{day:%Y%m%d}-{number:05d}"


def title_from(text: str, limit: int = 40) -> str:
    """A title for a request that came without one: its first line, shortened to `limit`."""
    first = text.strip().splitlines()[0].strip() if text.strip() else ""
    return first if len(first) <= limit else first[: limit - 1] + "…"


@dataclass(frozen=True, kw_only=True)
class Reported:
    """What a report says besides its matter: how urgent, where, and who reports it (given by
    keyword)."""

    urgency: str = ""
    lat: float | None = None
    lng: float | None = None
    address: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""


@dataclass(frozen=True)
class Intake(Reported):
    """What a citizen's request says, from any channel."""

    channel: str
    category: Category
    title: str
    description: str
    anonymous: bool = False
    external_id: str = ""
    imposed_due_at: datetime | None = None  # the sending platform's deadline, if it sets one


# Django builds an enum's `values` list anew on every access: check against sets made once.
CHANNELS = frozenset(Channel.values)
URGENCIES = frozenset(Urgency.values)
# Text fields with a column limit (the title's is checked above with its own message).
LENGTHS = [
    ("address", 300, "地址"),
    ("reporter_name", 50, "诉求人姓名"),
    ("external_id", 100, "外部编号"),
]


def _cleaned(intake: Intake) -> Intake:
    """Without bidi controls and invisible characters, whatever the channel (zhili.core.text)."""
    return replace(
        intake,
        title=clean_line(intake.title),
        reporter_name=clean_line(intake.reporter_name),
        description=clean_text(intake.description),
        address=clean_text(intake.address),
    )


def validate_intake(intake: Intake) -> None:
    if intake.channel not in CHANNELS:
        raise InvalidInput(f"未知的来源渠道 {intake.channel}", field="channel")
    if not intake.category.is_active:
        raise InvalidInput("该事项分类已停用", field="category")
    if intake.urgency and intake.urgency not in URGENCIES:
        raise InvalidInput("紧急程度只能是 normal、urgent 或 emergency", field="urgency")
    if not intake.title.strip():
        raise InvalidInput("请填写标题", field="title")
    if len(intake.title) > 200:
        raise InvalidInput("标题不能超过200字", field="title")
    if not intake.description.strip():
        raise InvalidInput("请填写诉求内容", field="description")
    if (intake.lat is None) != (intake.lng is None):
        raise InvalidInput("经纬度须同时提供", field="lng" if intake.lng is None else "lat")
    if intake.lat is None and not intake.address.strip():
        raise InvalidInput("请在地图上选点或填写地址", field="address")
    for field, limit, label in LENGTHS:
        if len(getattr(intake, field).strip()) > limit:
            raise InvalidInput(f"{label}不能超过{limit}字", field=field)


def new_case(
    intake: Intake, decision: Route, *, reporter_phone: str, registered_at: datetime, now: datetime
) -> Case:
    """The case `intake` asks for, routed by `decision` and written `now`: what every way in
    (one intake, the bulk import) writes the same. `reporter_phone` is the checked number."""
    case = Case(
        channel=intake.channel,
        external_id=intake.external_id,
        imposed_due_at=intake.imposed_due_at,
        category=intake.category,
        title=intake.title.strip(),
        description=intake.description.strip(),
        urgency=intake.urgency or intake.category.default_urgency,
        lat=intake.lat,
        lng=intake.lng,
        address=intake.address.strip(),
        reporter_name="" if intake.anonymous else intake.reporter_name.strip(),
        reporter_phone="" if intake.anonymous else reporter_phone,
        anonymous=intake.anonymous,
        state=State.REGISTERED,
        registered_at=registered_at,
        updated_at=now,
    )
    _place(case, decision)
    return case


def _place(case: Case, decision: Route) -> None:
    """Where the routing put the case: its grid and area, its dispatch center, the unit the
    rules suggest, and why."""
    location = decision.location
    area = (location.village or location.township) if location else None
    case.grid = location.grid if location else None
    case.village = location.village if location else None
    case.township = location.township if location else None
    case.out_of_area = decision.out_of_area
    case.dispatch_center = decision.dispatch_center
    case.suggested_unit = decision.unit
    case.routing_rule_id = decision.rule_id
    case.routing_note = decision.explanation
    case.area_path = area.path if area else ""
    case.dispatch_path = decision.dispatch_center.path


def _check_may_register(actor: SystemActor) -> None:
    if actor is not None and not role_codes(actor) & workflow.INTAKE and not actor.is_superuser:
        raise Forbidden("您的角色不能受理事件")


def _checked(intake: Intake) -> tuple[Intake, str]:
    """The intake cleaned and validated, and its reporter's phone number checked."""
    intake = _cleaned(intake)
    validate_intake(intake)
    # Here, not in `validate_intake`, which the bulk import runs per row (its own check of the
    # catalog codes reads the catalog once).
    if not category_is_leaf(intake.category):
        raise InvalidInput(
            f"“{intake.category.name}”是大类，请选择其下的具体事项分类", field="category"
        )
    phone = (
        validate_phone(intake.reporter_phone, field="reporter_phone")
        if intake.reporter_phone
        else ""
    )
    return intake, phone


def _announce(actor: SystemActor, case: Case, decision: Route) -> None:
    """The audit row, the domain event and the live push of a registered case."""
    audit(actor, "cases.case.register", case, case_no=case.case_no, channel=case.channel)
    emit(
        CaseRegistered(
            case_id=case.pk,
            case_no=case.case_no,
            channel=case.channel,
            dispatch_center=decision.dispatch_center.code,
            suggested_unit=decision.unit.code if decision.unit else "",
        )
    )
    live.announce_after_commit(case, "register")


@transaction.atomic
def case_register(
    *, actor: SystemActor, intake: Intake, attachments: Iterable[UploadedFile] = ()
) -> Case:
    _check_may_register(actor)
    intake, phone = _checked(intake)
    files = [(f, check_upload(f)) for f in attachments]
    # Without a point, the address is placed by the names it holds (zhili.orgs.gazetteer).
    decision = route(
        category=intake.category, lat=intake.lat, lng=intake.lng, address=intake.address
    )
    now = timezone.now()
    case = new_case(intake, decision, reporter_phone=phone, registered_at=now, now=now)
    case.case_no = f"~{uuid.uuid4().hex[:24]}"  # provisional: the day's number is taken last
    case.registered_by = actor if getattr(actor, "pk", None) else None
    insert_row(case)
    event = history(case, "register", "", State.REGISTERED, actor, decision.explanation)
    attach_files(case, files, actor, event)
    # Index the text and flag likely duplicates before taking the number (whose counter row
    # stays locked until commit).
    duplicates.on_intake(case)
    # The counter row stays locked until commit: taking the number last keeps that short, so
    # concurrent intakes wait on each other as little as possible.
    case.case_no = next_case_no(now)
    update_row(case, "case_no")
    _announce(actor, case, decision)
    return case
