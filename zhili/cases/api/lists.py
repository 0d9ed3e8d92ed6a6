"""Scoped case lists (all, workbench, inbox) with filters, buckets and keyset pages."""

from django.db.models import QuerySet
from ninja import Query

from zhili.cases import selectors
from zhili.cases.api.outputs import item_out
from zhili.cases.api.router import ERRORS, cases_router
from zhili.cases.api.schemas import BucketOut, CasePageOut, CaseQuery, View
from zhili.cases.models import Case, State
from zhili.core.errors import InvalidInput
from zhili.core.types import Actor
from zhili.orgs.auth import StaffRequest

BUCKETS = {View.WORKBENCH: selectors.WORKBENCH_BUCKETS, View.INBOX: selectors.INBOX_BUCKETS}


def _states(values: list[str]) -> tuple[str, ...]:
    states = tuple(s.strip() for value in values for s in value.split(",") if s.strip())
    unknown = [s for s in states if s not in State.values]
    if unknown:
        raise InvalidInput(f"未知的工单状态：{'、'.join(unknown)}", field="state")
    return states


def _base(user: Actor, view: View) -> QuerySet[Case]:
    if view == View.WORKBENCH:
        return selectors.workbench_cases(user=user)
    if view == View.INBOX:
        return selectors.inbox_cases(user=user)
    return selectors.case_list(user=user)


def _bucket(view: View, key: str) -> tuple[View, selectors.CaseFilters | None]:
    if not key:
        return view, None
    views = [view] if view != View.ALL else [View.WORKBENCH, View.INBOX]
    for candidate in views:
        if key in BUCKETS[candidate]:
            return candidate, BUCKETS[candidate][key][1]
    raise InvalidInput(f"未知的分栏：{key}", field="bucket")


@cases_router.get("/cases", response={200: CasePageOut, **ERRORS})
def case_list(request: StaffRequest, query: Query[CaseQuery]) -> dict[str, object]:
    """可见范围内的工单，最新受理的在前，按游标分页（深页与首页一样快）。"""
    view, bucket = _bucket(query.view, query.bucket)
    if view == View.INBOX and query.bucket:
        # The inbox's tabs: the unit's own cases by state, or its assisting tasks (协办).
        qs = selectors.inbox_bucket_cases(user=request.user, bucket=query.bucket)
    else:
        qs = _base(request.user, view)
        if bucket is not None:
            qs = selectors.filter_cases(qs, bucket)
    filters = selectors.CaseFilters(
        states=_states(query.state),
        category=query.category,
        township=query.township,
        channel=query.channel or "",
        urgency=query.urgency or "",
        card=query.card,
        unit=query.unit,
        center=query.center,
        registered_from=query.registered_from,
        registered_to=query.registered_to,
        extension_pending=query.extension_pending,
        return_pending=query.return_pending,
        q=query.q,
        reported_by=request.user.pk if query.mine else None,
    )
    qs = selectors.filter_cases(qs, filters, user=request.user)
    page = selectors.keyset_page(qs, cursor=query.cursor or None, size=query.limit)
    return {"items": [item_out(c) for c in page.items], "next_cursor": page.next_cursor}


@cases_router.get("/cases/buckets", response={200: list[BucketOut], **ERRORS})
def case_buckets(request: StaffRequest, view: View = View.WORKBENCH) -> list[dict[str, object]]:
    """工作台（workbench）或收件箱（inbox）各分栏的工单数。"""
    if view == View.ALL:
        raise InvalidInput("view 只能是 workbench 或 inbox", field="view")
    buckets = BUCKETS[view]
    if view == View.INBOX:
        counts = selectors.inbox_counts(user=request.user)
    else:
        counts = selectors.bucket_counts(_base(request.user, view), buckets)
    return [{"key": k, "label": buckets[k][0], "count": n} for k, n in counts.items()]
