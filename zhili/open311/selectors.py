"""The reads behind the public GeoReport v2 endpoints. They are anonymous by the spec, so the
scope is fixed here instead of by a user: the active leaves of the dispatch catalog, and only
the cases that came in through Open311 (other channels' citizens are never exposed)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from zhili.cases import workflow
from zhili.cases.models import Case, CaseEvent, Category, Channel
from zhili.core.errors import InvalidInput, NotFound
from zhili.open311.models import ServiceAttribute, ServiceRequest

# The spec's default query: the last 90 days or the first 1000 requests, whichever is smaller.
WINDOW = timedelta(days=90)
LIMIT = 1000
OPEN, CLOSED = "open", "closed"
CLOSED_STATES = workflow.FINISHED  # closed, rated, merged, returned to source


def status_of(state: str) -> str:
    return CLOSED if state in CLOSED_STATES else OPEN


def _active_attributes() -> Prefetch:
    return Prefetch(
        "open311_attributes",
        queryset=ServiceAttribute.objects.filter(is_active=True).prefetch_related("values"),
        to_attr="active_attributes",
    )


def service_list() -> list[Category]:
    """The services: active categories with no active child (cases take leaves), each with
    `group` (its top-level category) and `active_attributes` set."""
    categories = list(
        Category.objects.filter(is_active=True).prefetch_related(_active_attributes())
    )
    parents = {c.parent_id for c in categories if c.parent_id}
    groups = {c.code: c for c in categories if c.depth == 0}
    leaves = [c for c in categories if c.pk not in parents]
    for leaf in leaves:
        leaf.group = groups.get(leaf.group_code)  # type: ignore[attr-defined]
    return sorted(leaves, key=lambda c: (_catalog_place(c.group), c.sort_order, c.path))  # type: ignore[attr-defined]


def _catalog_place(group: Category | None) -> tuple[int, str]:
    return (group.sort_order, group.code) if group else (0, "")


def service_get(code: str) -> Category:
    """One service with its `active_attributes`; 404 for an unknown or inactive code, or a
    group that has active children (requests go to its leaves)."""
    category = (
        Category.objects.filter(code=code, is_active=True)
        .prefetch_related(_active_attributes())
        .first()
    )
    if category is None or category.children.filter(is_active=True).exists():
        raise NotFound(f"服务类型 {code} 不存在", field="service_code")
    return category


def services_changed_at() -> datetime | None:
    return ServiceAttribute.objects.aggregate(at=Max("updated_at"))["at"]


# The timeline notes a published request may carry: the case's own steps, not the exchanges
# between the center and the units (审核退回 reasons, return requests, assisting opinions,
# recomputed deadlines).
PUBLIC_NOTE_ACTIONS = sorted(
    {"register", *workflow.TRANSITIONS} - {"send_back", "request_return", "refuse_return"}
)


def _latest_note() -> Subquery:
    return Subquery(
        CaseEvent.objects.filter(case=OuterRef("pk"), action__in=PUBLIC_NOTE_ACTIONS)
        .exclude(note="")
        .order_by("-created_at", "-id")
        .values("note")[:1]
    )


def _latest_action() -> Subquery:
    return Subquery(
        CaseEvent.objects.filter(case=OuterRef("pk"), action__in=PUBLIC_NOTE_ACTIONS)
        .exclude(note="")
        .order_by("-created_at", "-id")
        .values("action")[:1]
    )


# What the published shape reads (zhili.open311.outputs.request_out), and nothing else: a
# 1000-row answer builds fewer attributes. Reading another field would cost a query per row
# (test_read.test_listing_reads_a_fixed_number_of_queries catches that).
PUBLISHED_FIELDS = [
    "case_no",
    "state",
    "description",
    "reply",
    "address",
    "lat",
    "lng",
    "registered_at",
    "updated_at",
    "due_at",
    "acknowledge_due_at",
    "due_provisional",
    "category__code",
    "category__name",
    "lead_unit__name",
    "dispatch_center__name",
    "village__name",
    "village__area_name",
    "open311__media_url",
]


def request_cases() -> QuerySet[Case]:
    """Open311 cases with what their published shape needs in one query."""
    return (
        Case.objects.filter(channel=Channel.OPEN311)
        .select_related("category", "lead_unit", "dispatch_center", "village", "open311")
        .only(*PUBLISHED_FIELDS)
        .annotate(latest_note=_latest_note(), latest_action=_latest_action())
    )


@dataclass(frozen=True)
class RequestQuery:
    service_request_ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()


def _window(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    if start and end:
        if start > end:
            raise InvalidInput("start_date 不能晚于 end_date", field="start_date")
        if end - start > WINDOW:
            raise InvalidInput("查询时间跨度不能超过90天", field="end_date")
        return start, end
    if start:
        return start, start + WINDOW
    end = end or timezone.now()
    return end - WINDOW, end


def request_list(query: RequestQuery) -> list[Case]:
    """GET requests: the ids (which override every other filter), else the service codes,
    statuses and date window (the last 90 days by default); newest first, at most LIMIT."""
    cases = request_cases()
    if query.service_request_ids:
        cases = cases.filter(case_no__in=query.service_request_ids)
    else:
        start, end = _window(query.start, query.end)
        cases = cases.filter(registered_at__gte=start, registered_at__lte=end)
        if query.service_codes:
            known = set(
                Category.objects.filter(code__in=query.service_codes).values_list("code", flat=True)
            )
            unknown = [c for c in query.service_codes if c not in known]
            if unknown:
                raise InvalidInput(f"未知的服务类型 {'、'.join(unknown)}", field="service_code")
            cases = cases.filter(category__code__in=query.service_codes)
        if set(query.statuses) == {CLOSED}:
            cases = cases.filter(state__in=CLOSED_STATES)
        elif set(query.statuses) == {OPEN}:
            cases = cases.exclude(state__in=CLOSED_STATES)
    return list(cases.order_by("-registered_at", "-id")[:LIMIT])


def request_get(service_request_id: str) -> Case:
    case = request_cases().filter(case_no=service_request_id).first()
    if case is None:
        raise NotFound(f"诉求 {service_request_id} 不存在", field="service_request_id")
    return case


def token_get(token: str) -> ServiceRequest:
    found = ServiceRequest.objects.select_related("case").filter(token=token).first()
    if found is None:
        raise NotFound("查询令牌不存在", field="token")
    return found
