"""The API's side of a dossier: one action endpoint and keyset pages, the same for all.

- `POST /api/v1/<dossiers>/{number}/actions/{action}`: the action's input in the body (the
  fields the action reads; the rest may be left out), the dossier's detail in the answer.
- Every list answers `{items, next_cursor}`: newest first, `cursor` from the previous page.
"""

import enum
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TypedDict, TypeVar, cast

from django.db import models
from django.http import HttpRequest
from ninja import Body, Field, Router, Schema
from pydantic import create_model

from zhili.core.dossier.history import action_labels, history_rows
from zhili.core.dossier.kinds import DossierKind
from zhili.core.dossier.pages import Page, keyset_page
from zhili.core.near import near_page, parse_near
from zhili.core.schemas import ERRORS, Input
from zhili.core.types import Actor, PageRequest

R = TypeVar("R", bound=models.Model)

MAX_PAGE = 200


class PageQuery(Input):
    cursor: str = Field("", description="上一页返回的 next_cursor；第一页留空")
    limit: int = Field(50, ge=1, le=MAX_PAGE)


class NearPageQuery(PageQuery):
    """A page of a list of things with a place, which may ask for those near a point."""

    near: str = Field(
        "",
        max_length=100,
        description="lat,lng,radius_m（纬度、经度、半径米数，如 34.52,118.77,500）：半径内的，由近及远",
    )


class DossierHistoryOut(Schema):
    """A row of a dossier's history."""

    action: str
    label: str = Field(..., description="操作名称")
    from_state: str
    to_state: str
    actor: str | None = Field(..., description="操作人姓名；系统或群众的操作为 null")
    unit: str | None = Field(None, description="操作人所在单位")
    note: str
    created_at: datetime


class HistoryItem(TypedDict):
    action: str
    label: str
    from_state: str
    to_state: str
    actor: str | None
    unit: str | None
    note: str
    created_at: datetime


def history_out(kind: DossierKind[R], record: R) -> list[HistoryItem]:
    names = action_labels(kind)
    return [
        {
            "action": row.action,
            "label": names.get(row.action, row.action),
            "from_state": row.from_state,
            "to_state": row.to_state,
            "actor": str(row.actor) if row.actor else None,
            "unit": row.actor_unit.name if row.actor_unit else None,
            "note": row.note,
            "created_at": row.created_at,
        }
        for row in history_rows(kind, record)
    ]


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """The schema of a page of `item`s: `{items, next_cursor}`."""
    return create_model(  # type: ignore[call-overload,no-any-return]
        name,
        __base__=Schema,
        items=(list[item], ...),  # type: ignore[valid-type]
        next_cursor=(str | None, Field(..., description="下一页游标；为 null 表示没有更多")),
    )


def page_out(page: Page[R], item_out: Callable[[R], object]) -> dict[str, object]:
    return {"items": [item_out(row) for row in page.items], "next_cursor": page.next_cursor}


def query_page(
    rows: models.QuerySet[R], query: PageQuery, item_out: Callable[[R], object], *, field: str
) -> dict[str, object]:
    """The page of `rows` that `query` asks for (newest `field` first), as `{items,
    next_cursor}`."""
    page = keyset_page(rows, field=field, cursor=query.cursor, size=query.limit)
    return page_out(page, item_out)


def near_query_page(
    rows: models.QuerySet[R], query: NearPageQuery, item_out: Callable[[R], object], *, field: str
) -> dict[str, object]:
    """The page `query` asks for: within its `near` circle nearest first, else newest `field`
    first."""
    if not query.near:
        return query_page(rows, query, item_out, field=field)
    items, cursor = near_page(rows, parse_near(query.near), cursor=query.cursor, size=query.limit)
    return {"items": [item_out(row) for row in items], "next_cursor": cursor}


def action_names(kind: DossierKind[R]) -> type[enum.Enum]:
    """The kind's transitions as an enum, so that the OpenAPI lists them."""
    name = "".join(part.title() for part in kind.audit_name.split(".")) + "Action"
    return enum.Enum(name, {t: t for t in kind.table.transitions}, type=str)  # type: ignore[return-value]


def action_doc(kind: DossierKind[R]) -> str:
    names = "、".join(f"{t.name}（{t.label}）" for t in kind.table.transitions.values())
    return (
        f"执行{kind.noun}的流转操作：{names}。"
        "404：不在可见范围；403：角色或所在单位不能执行；"
        "409：当前状态不允许或已被他人处理；422：参数错误（field 指明字段）。"
    )


def add_action_route(
    router: Router,
    *,
    prefix: str,
    kind: DossierKind[R],
    get: Callable[..., R],
    act: Callable[[Actor, R, str, dict[str, object]], R],
    body: type[Input],
    out: type[Schema],
    detail: Callable[[PageRequest, R], Mapping[str, object]],
    old: Mapping[str, type[Input]] | None = None,
) -> None:
    """Add `POST <prefix>/{number}/actions/{action}` to `router`: `get(user=, number=)` (the app's selector) finds
    the record in the user's sight, `act(user, record, action, data)` takes the action,
    `detail(request, record)` answers (schema `out`). `old` (action -> its body) adds the
    deprecated `POST <prefix>/{number}/<action>` of each, which does the same."""
    take = _taker(get, act, detail)
    dossier_action = _action_endpoint(action_names(kind), take, body)
    app, noun = kind.audit_name.split(".")
    dossier_action.__name__ = f"{noun}_action"
    router.post(
        f"{prefix}/{{number}}/actions/{{action}}",
        response={200: out, **ERRORS},
        description=action_doc(kind),
        operation_id=f"zhili_{app}_api_{noun}_action",  # as the app's own endpoints are named
    )(dossier_action)
    for action, old_body in (old or {}).items():
        _add_old_action_route(
            router, prefix, kind, action, _old_action_endpoint(action, take, old_body), out
        )


def _add_old_action_route(
    router: Router,
    prefix: str,
    kind: DossierKind[R],
    action: str,
    endpoint: Callable[..., Mapping[str, object]],
    out: type[Schema],
) -> None:
    """Add the deprecated `POST <prefix>/{number}/<action>`, named as the app's own were."""
    app, noun = kind.audit_name.split(".")
    endpoint.__name__ = f"{noun}_{action}"
    router.post(
        f"{prefix}/{{number}}/{action}",
        response={200: out, **ERRORS},
        deprecated=True,
        description=f"已弃用：请用 POST {prefix}/{{number}}/actions/{action}",
        operation_id=f"zhili_{app}_api_{noun}_{action}",
    )(endpoint)


Take = Callable[[HttpRequest, str, str, dict[str, object]], Mapping[str, object]]


def _taker(
    get: Callable[..., R],
    act: Callable[[Actor, R, str, dict[str, object]], R],
    detail: Callable[[PageRequest, R], Mapping[str, object]],
) -> Take:
    """`take(request, number, action, data)`: what every action endpoint does."""

    def take(
        request: HttpRequest, number: str, action: str, data: dict[str, object]
    ) -> Mapping[str, object]:
        staff = cast(PageRequest, request)  # the API's routers let signed-in staff only in
        record = get(user=staff.user, number=number)
        return detail(staff, act(staff.user, record, action, data))

    return take


def _action_endpoint(
    names: type[enum.Enum], take: Take, body: type[Input]
) -> Callable[..., Mapping[str, object]]:
    """The endpoint's function; its annotations tell Ninja the path's actions and the body."""

    def dossier_action(
        request: HttpRequest,
        number: str,
        action: names,  # type: ignore[valid-type]
        payload: Body[body | None] = None,  # type: ignore[type-arg,valid-type]
    ) -> Mapping[str, object]:
        data: dict[str, object] = payload.dict(exclude_none=True) if payload is not None else {}
        return take(request, number, str(action.value), data)  # type: ignore[attr-defined]

    return dossier_action


def _old_action_endpoint(
    action: str, take: Take, old_body: type[Input]
) -> Callable[..., Mapping[str, object]]:
    """The endpoint of a deprecated path of one action, its input the whole body."""

    def old_action(
        request: HttpRequest,
        number: str,
        body: old_body,  # type: ignore[valid-type]
    ) -> Mapping[str, object]:
        return take(request, number, action, body.dict())  # type: ignore[attr-defined]

    return old_action
