"""The signed push of a work order: who sent it (signature, freshness, replay) and the one
case it becomes, however often and however concurrently it is pushed."""

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import IntegrityError, transaction

from zhili.cases.models import Case, Category, Urgency
from zhili.cases.selectors import category_is_leaf
from zhili.cases.services import Intake, case_register, title_from
from zhili.core.audit import audit
from zhili.core.dates import check_moment, parse_unix_seconds
from zhili.core.errors import DomainError, InvalidInput, NotFound
from zhili.core.personal import validate_phone
from zhili.core.rows import find_pk, insert_row
from zhili.integrations.models import (
    CategoryMapping,
    PushChannel,
    PushedOrder,
    PushSignature,
    PushSource,
)
from zhili.integrations.services.mappings import mapping_hit, mapping_resolve
from zhili.integrations.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature_matches
from zhili.petitions.services import petition_register_from_push

URGENCY_RANK: dict[str, int] = {Urgency.NORMAL: 0, Urgency.URGENT: 1, Urgency.EMERGENCY: 2}
# The intake's names for what the push body calls otherwise.
INTAKE_FIELDS = {"description": "content", "title": "content", "reporter_phone": "caller_phone"}
PETITION_FIELDS = {"received_at": "created_at", "petitioners[0].phone": "caller_phone"}


class PushRefused(DomainError):
    """The request is not an authentic, fresh push from the channel's platform."""

    status = 401
    code = "unauthenticated"


@dataclass(frozen=True)
class PushOrder:
    """A work order as the sender pushes it."""

    order_no: str
    created_at: datetime
    category: str
    content: str
    caller_name: str = ""
    caller_phone: str = ""
    address: str = ""
    lat: float | None = None
    lng: float | None = None
    deadline: datetime | None = None
    urgency: str = ""


def push_verify(*, channel: str, timestamp: str, signature: str, body: bytes) -> PushSource:
    """The active source of `channel` if the request is signed with its secret, fresh, and not
    seen before; raises PushRefused (401) otherwise. An accepted signature is recorded at once
    (in its own transaction), so the same signed request is never taken twice."""
    if channel not in PushChannel.values:
        raise NotFound("未知的推送渠道", field="channel")
    source = PushSource.objects.filter(channel=channel, is_active=True).first()
    if source is None:
        raise PushRefused("该渠道未开通工单推送", code="source_inactive", field="channel")
    try:
        ts = parse_unix_seconds(timestamp, field=TIMESTAMP_HEADER)
    except InvalidInput:
        raise PushRefused("时间戳无效", code="stale_timestamp", field=TIMESTAMP_HEADER) from None
    if abs(time.time() - ts) > source.tolerance_seconds:
        raise PushRefused("时间戳超出允许范围", code="stale_timestamp", field=TIMESTAMP_HEADER)
    if not signature or not signature_matches(source.secret, ts, body, signature):
        raise PushRefused("签名不正确", code="bad_signature", field=SIGNATURE_HEADER)
    expires = datetime.fromtimestamp(ts + source.tolerance_seconds, tz=UTC)
    try:
        with transaction.atomic():
            insert_row(
                PushSignature(
                    channel=channel, signature=signature.strip().lower(), expires_at=expires
                )
            )
    except IntegrityError:
        raise PushRefused(
            "重复的请求：该签名已使用过", code="replay", field=SIGNATURE_HEADER
        ) from None
    return source


def _existing(source: PushSource, order_no: str) -> Case | None:
    # Asked of every push, and almost always answered no: the key first, the case if found.
    pk = find_pk(Case, channel=source.channel, external_id=order_no)
    return None if pk is None else Case.objects.get(pk=pk)


@transaction.atomic
def push_accept(
    *, source: PushSource, order: PushOrder, raw: dict[str, object]
) -> tuple[Case, bool]:
    """The case of `order`: registered now (True) or the one registered before (False).

    Idempotent on (channel, order_no), the case's external id. Concurrent pushes of one order
    all try to insert; the unique constraint lets one win, the others roll back to their
    savepoint and return the winner's case.
    """
    order_no = order.order_no.strip()
    if not order_no or len(order_no) > 100:
        raise InvalidInput("工单号不能为空，且不超过100字", field="order_no")
    check_moment(order.created_at, field="created_at")
    if order.deadline is not None:
        check_moment(order.deadline, field="deadline")
    existing = _existing(source, order_no)
    if existing is None:
        try:
            with transaction.atomic():
                return _register(source, order, order_no, raw), True
        except IntegrityError:
            existing = _existing(source, order_no)
            if existing is None:
                raise
    audit(None, "integrations.push.repeat", existing, channel=source.channel, order_no=order_no)
    return existing, False


def _category_of(source: PushSource, order: PushOrder) -> tuple[CategoryMapping, Category, bool]:
    """The mapping of the order's category text, the category the case gets (the mapped one,
    else the source's fallback) and whether it was mapped."""
    if not order.category.strip():
        raise InvalidInput("请填写对方的事项分类", field="category")
    mapping = mapping_resolve(channel=source.channel, text=order.category)
    category = mapping.category if mapping.category and mapping.category.is_active else None
    if category is not None and not category_is_leaf(category):
        category = None  # mapped before the group had leaves: as if unmapped
    mapped = category is not None
    category = category or source.fallback_category
    if category is None:
        raise InvalidInput(
            f"分类“{mapping.text}”尚未映射，且该渠道未设置兜底分类", field="category"
        )
    return mapping, category, mapped


def _register(source: PushSource, order: PushOrder, order_no: str, raw: dict[str, object]) -> Case:
    phone = validate_phone(order.caller_phone, field="caller_phone") if order.caller_phone else ""
    mapping, category, mapped = _category_of(source, order)
    try:
        case = case_register(actor=None, intake=_intake(source, order, order_no, category, phone))
    except InvalidInput as exc:
        exc.field = INTAKE_FIELDS.get(exc.field or "", exc.field)
        raise
    insert_row(
        PushedOrder(
            case=case,
            source=source,
            channel=source.channel,
            order_no=order_no,
            category_text=mapping.text,
            mapping=mapping,
            mapped=mapped,
            ordered_at=order.created_at,
            deadline=order.deadline,
            raw=raw,
        )
    )
    audit(None, "integrations.push.accept", case, channel=source.channel, order_no=order_no)
    mapping_hit(mapping)
    if source.channel == PushChannel.PETITION:
        _register_petition(case, order.created_at)
    return case


def _register_petition(case: Case, received_at: datetime) -> None:
    """A 阳光信访 push is a petition by law: registered as one, linked to its case."""
    try:
        petition = petition_register_from_push(case=case, received_at=received_at)
    except InvalidInput as exc:
        exc.field = PETITION_FIELDS.get(exc.field or "", exc.field)
        raise
    if petition is None:
        audit(None, "integrations.push.no_petition_office", case, channel=PushChannel.PETITION)


def urgency_for(source: PushSource, category: Category, stated: str) -> str:
    """What the sender says; else the more urgent of the channel's and the category's."""
    if stated:
        return stated
    return max(source.default_urgency, category.default_urgency, key=lambda u: URGENCY_RANK[u])


def _intake(
    source: PushSource, order: PushOrder, order_no: str, category: Category, phone: str
) -> Intake:
    return Intake(
        channel=source.channel,
        category=category,
        title=title_from(order.content),
        description=order.content,
        urgency=urgency_for(source, category, order.urgency),
        lat=order.lat,
        lng=order.lng,
        address=order.address,
        reporter_name=order.caller_name.strip()[:50],
        reporter_phone=phone,
        external_id=order_no,
        imposed_due_at=order.deadline,
    )
