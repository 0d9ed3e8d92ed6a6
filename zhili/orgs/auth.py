"""Authentication: the staff backend, bearer tokens for the API, and the lockout answer."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django_htmx.middleware import HtmxDetails
from ninja.security import HttpBearer

from zhili.orgs.models import AuthToken, User
from zhili.orgs.services import token_digest


class StaffRequest(HttpRequest):
    """A request from a signed-in staff member, as views behind login see it (for typing)."""

    user: User
    htmx: HtmxDetails
    auth_token: AuthToken


def demo_login_allowed(user: object) -> bool:
    return not getattr(user, "is_demo", False) or settings.ZHILI_ALLOW_DEMO_USERS


class StaffBackend(ModelBackend):
    """Django's model backend, refusing demo accounts outside DEBUG unless allowed."""

    def user_can_authenticate(self, user: User | AnonymousUser | None) -> bool:
        return super().user_can_authenticate(user) and demo_login_allowed(user)


class BearerAuth(HttpBearer):
    """`Authorization: Bearer <token>`; tokens lapse after ZHILI_TOKEN_IDLE_DAYS unused."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        now = timezone.now()
        idle = timedelta(days=settings.ZHILI_TOKEN_IDLE_DAYS)
        row = (
            AuthToken.objects.select_related("user__organization")
            .filter(
                digest=token_digest(token), revoked_at__isnull=True, last_used_at__gte=now - idle
            )
            .first()
        )
        if row is None or not row.user.is_active or not demo_login_allowed(row.user):
            return None
        if now - row.last_used_at > timedelta(minutes=5):
            AuthToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        request.auth_token = row  # type: ignore[attr-defined]
        return row.user


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    message = "登录失败次数过多，账号已被临时锁定，请稍后再试或联系管理员"
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": message, "code": "locked_out", "field": "username", "remaining": 0},
            status=429,
        )
    return render(request, "web/locked_out.html", {"message": message}, status=429)
