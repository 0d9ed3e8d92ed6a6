"""The JSON API at /api/v1/: one NinjaAPI, one router per app, one error format.

Every error is JSON: ``{"detail": "<message in Chinese>", "code": "<stable code>",
"field": "<input at fault or null>"}`` with a 4xx status.
"""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import django_auth

from zhili.core.errors import DomainError
from zhili.orgs.auth import BearerAuth

api = NinjaAPI(
    title="Zhili 治理 API",
    version="1",
    description="东海县社会治理综合平台接口。认证:`Authorization: Bearer <token>`(POST /auth/token 获取)或登录会话。",
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
    message = f"参数 {field} 无效:{first.get('msg', '')}" if field else "请求参数无效"
    response = {"detail": message, "code": "invalid", "field": field, "errors": exc.errors}
    return api.create_response(request, response, status=422)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(request, 401, "未登录或令牌无效", "unauthenticated")


@api.exception_handler(Http404)
def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, "未找到该记录", "not_found")


def _mount() -> None:
    from zhili.cases.api import cases_router
    from zhili.cases.api_figures import figures_router
    from zhili.integrations.api import router as integrations_router
    from zhili.orgs.api import auth_router, orgs_router
    from zhili.supervision.api import supervision_router

    api.add_router("/", auth_router)
    api.add_router("/", orgs_router)
    api.add_router("/", cases_router)
    api.add_router("/", figures_router)
    api.add_router("/", supervision_router)
    api.add_router("/", integrations_router)


_mount()
