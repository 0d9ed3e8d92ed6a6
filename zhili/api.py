"""The JSON API at /api/v1/: one NinjaAPI, one router per app, one error format.

Every error is JSON: ``{"detail": "<message in Chinese>", "code": "<stable code>",
"field": "<input at fault or null>"}`` with a 4xx status.
"""

import logging
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import UploadedFile
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.module_loading import import_string
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.security import django_auth
from pydantic import BaseModel

from zhili.core.api_errors import message as api_error_message
from zhili.core.errors import DomainError, InvalidInput
from zhili.orgs.auth import BearerAuth

# The errors any operation may answer with, in the one error format, by what it takes: a JSON
# body that does not parse (400), no or a lapsed credential (401), an input naming a record
# that does not exist or is out of scope (404), an invalid input (422).
COMMON_ERRORS = {
    400: "请求体不是有效的 JSON",
    401: "未登录或令牌无效",
    404: "未找到该记录，或不在可见范围内",
    422: "参数无效（field 指明字段）",
}


class ZhiliAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, object] | None = None
    ) -> OpenAPISchema:
        """Ninja's document, with `COMMON_ERRORS` declared on every operation they apply to
        (routers declare the others, such as 403 and 409), so that clients and the fuzzer
        (zhili/core/tests/test_fuzz_api.py) know every status an operation answers with."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        from zhili.orgs.api import ErrorOut

        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault(
            "ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        for methods in schema["paths"].values():
            for operation in methods.values():
                declare_errors(operation)
        return schema


def declare_errors(operation: dict[str, Any]) -> None:
    body = operation.get("requestBody", {}).get("content", {})
    applies = {
        400: "application/json" in body,
        401: bool(operation.get("security")),
        404: bool(operation.get("parameters") or body),
        422: bool(operation.get("parameters") or body),
    }
    ref = {"$ref": "#/components/schemas/ErrorOut"}
    responses = operation.setdefault("responses", {})
    for status, description in COMMON_ERRORS.items():
        if applies[status] and str(status) not in responses and status not in responses:
            responses[status] = {
                "description": description,
                "content": {"application/json": {"schema": ref}},
            }


logger = logging.getLogger(__name__)

api = ZhiliAPI(
    title="Zhili 治理 API",
    version="1",
    description="东海县社会治理综合平台接口。认证：`Authorization: Bearer <token>`（POST /auth/token 获取）或登录会话。",
    auth=[BearerAuth(), django_auth],
    urls_namespace="api",
)


def error(
    request: HttpRequest, status: int, detail: str, code: str, field: str | None = None
) -> HttpResponse:
    return api.create_response(
        request, {"detail": detail, "code": code, "field": field}, status=status
    )


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return error(request, exc.status, exc.message, exc.code, exc.field)


def field_name(loc: list) -> str | None:
    """The input's name as the client sent it: ``["body", "credentials", "password"]`` is
    ``password`` (ninja puts the view's body parameter name second; query schemas are flat)."""
    parts = [str(part) for part in loc]
    if len(parts) > 2 and parts[0] in ("body", "form"):
        parts = parts[2:]
    elif parts and parts[0] in ("body", "form", "query", "path", "header", "cookie", "file"):
        parts = parts[1:]
    return ".".join(parts) or None


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    field = field_name(first.get("loc", []))
    message = f"参数 {field} 无效：{first.get('msg', '')}" if field else "请求参数无效"
    response = {"detail": message, "code": "invalid", "field": field, "errors": exc.errors}
    return api.create_response(request, response, status=422)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Raised by ninja itself: 400 for a body that does not parse, 429 when throttled.
    detail = COMMON_ERRORS[400] if exc.status_code == 400 else exc.message
    return error(request, exc.status_code, detail, f"http_{exc.status_code}")


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    # Django itself would answer a plain 400 (zhili.core.api_errors for the other paths).
    code, detail = api_error_message(413)
    return error(request, 413, detail, code)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(request, 401, "未登录或令牌无效", "unauthenticated")


@api.exception_handler(OperationalError)
def on_database_busy(request: HttpRequest, exc: OperationalError) -> HttpResponse:
    """The database could not serve the request now (SQLite's write lock held past its
    timeout under load, a connection refused or lost): 503 with Retry-After, which the
    handheld's outbox and other clients retry. Logged as the fault it is."""
    logger.error("database unavailable for %s %s: %s", request.method, request.path, exc)
    response = error(request, 503, "系统繁忙，请稍后重试", "database_busy")
    response["Retry-After"] = "5"
    return response


@api.exception_handler(Http404)
def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, "未找到该记录", "not_found")


def nul_field(value: object, name: str | None) -> str | None:
    """The name of the first input holding a NUL character (PostgreSQL text cannot store one),
    looking through schemas, lists and dicts; ``""`` when it is `value` itself, unnamed."""
    if isinstance(value, str):
        return (name or "") if "\x00" in value else None
    if isinstance(value, BaseModel):
        items: Iterable[tuple[object, object]] = (
            (k, getattr(value, k)) for k in type(value).model_fields
        )
    elif isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list | tuple | set):
        items = ((None, item) for item in value)
    elif isinstance(value, UploadedFile):
        items = [(None, value.name or "")]
    else:
        return None
    for key, item in items:
        inner = name if key is None else (f"{name}.{key}" if name else str(key))
        found = nul_field(item, inner)
        if found is not None:
            return found
    return None


def refuse_nul(view: Callable[..., object]) -> Callable[..., object]:
    """Every operation, once its input is validated: a NUL character anywhere in it is a 422
    naming the field (a body or query schema's own fields, as `field_name` does), not a 500
    from the database."""

    @wraps(view)
    def guarded(request: HttpRequest, **values: object) -> object:
        for name, value in values.items():
            field = nul_field(value, None if isinstance(value, BaseModel) else name)
            if field is not None:
                field = field or name
                raise InvalidInput(f"参数 {field} 不能包含空字符（\\x00）", field=field)
        return view(request, **values)

    return guarded


api.add_decorator(refuse_nul)


# The apps' routers, mounted in this order (the OpenAPI's order of the tags). They are
# imported once the NinjaAPI and its error format exist: their modules import this one.
ROUTERS = (
    "zhili.orgs.api.auth_router",
    "zhili.orgs.api.orgs_router",
    "zhili.cases.api.cases_router",
    "zhili.cases.api_figures.figures_router",
    "zhili.supervision.api.supervision_router",
    "zhili.integrations.api.router",
    "zhili.integrations.push_api.push_router",
    "zhili.mediation.api.disputes_router",
    "zhili.petitions.api.petitions_router",
    "zhili.receptions.api.receptions_router",
    "zhili.video.api.cameras_router",
    "zhili.rooms.api.rooms_router",
    "zhili.training.api.training_router",
    "zhili.forces.api.forces_router",
    "zhili.incidents.api.incidents_router",
    "zhili.intercom.api.intercom_router",
    "zhili.screen.api.screen_router",
    "zhili.registers.api.people_router",
    "zhili.registers.records_api.records_router",
    "zhili.registers.mentions_api.mentions_router",
    "zhili.warnings.api.warnings_router",
    "zhili.inspections.api.inspections_router",
    "zhili.inspections.standards_api.standards_router",
    "zhili.opinions.api.opinions_router",
    "zhili.plans.api.plans_router",
    "zhili.reports.api.reports_router",
    "zhili.assessment.api.assessment_router",
)


def _mount() -> None:
    for router in ROUTERS:
        api.add_router("/", import_string(router))


_mount()
