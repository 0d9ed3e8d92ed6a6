"""The shell of the platform: home page per role, password change, error pages."""

from typing import Any

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from zhili.core.errors import DomainError
from zhili.core.roles import Action, Role
from zhili.core.scope import can, role_codes
from zhili.orgs import lockout, selectors, services
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Level
from zhili.web.forms import PasswordChangeForm

# Sections of the platform that exist, shown as cards on the home page.
# (title, description, url name, required action)
BUILT_SECTIONS: list[tuple[str, str, str, str | None]] = [
    ("组织架构", "县、乡、村三级综治中心与职能部门", "orgs:tree", Action.ORGS_VIEW),
    ("网格地图", "全县网格分布、网格员与坐标定位", "orgs:grid_map", Action.GRIDS_VIEW),
    ("人员与角色", "工作人员账号、所属单位与角色", "orgs:people", Action.PEOPLE_MANAGE),
]

# Modules of the plan that are not built yet: listed honestly, with no figures.
PLANNED_SECTIONS: list[tuple[str, str]] = [
    ("矛盾调解", "矛盾纠纷排查、调解登记与调解协议"),
    ("信访接访", "信访登记、受理告知、办理与答复"),
    ("视频监控", "雪亮工程视频点位接入与实时查看"),
    ("指挥调度", "大屏、实时对讲与处置力量调度"),
    ("视频会议", "县乡村三级视频会议与网上培训"),
    ("研判分析", "日报告、周例会、月分析、季点评与预警"),
    ("考核评比", "先进单位、十佳调解室与评等定级"),
]


def greeting(now: Any = None) -> str:
    hour = timezone.localtime(now).hour
    if hour < 6:
        return "您好"
    if hour < 12:
        return "上午好"
    if hour < 14:
        return "中午好"
    if hour < 19:
        return "下午好"
    return "晚上好"


def home_figures(user: Any) -> list[dict[str, Any]]:
    """Real counts within the user's scope; nothing is shown that is not measured."""
    orgs = selectors.organization_list(user=user).filter(kind="center")
    return [
        {
            "label": "乡镇（街道）综治中心",
            "value": orgs.filter(level=Level.TOWNSHIP).count(),
            "unit": "个",
        },
        {
            "label": "村（社区）综治中心",
            "value": orgs.filter(level=Level.VILLAGE).count(),
            "unit": "个",
        },
        {"label": "网格", "value": selectors.grid_list(user=user).count(), "unit": "个"},
        {"label": "工作人员", "value": selectors.staff_list(user=user).count(), "unit": "人"},
    ]


def built_sections(user: Any) -> list[dict[str, str]]:
    cards = []
    for title, description, name, action in BUILT_SECTIONS:
        if action is not None and not can(user, action):
            continue
        try:
            cards.append({"title": title, "description": description, "url": reverse(name)})
        except NoReverseMatch:
            continue
    return cards


@login_required
def home(request: StaffRequest) -> HttpResponse:
    user = request.user
    codes = role_codes(user)
    context = {
        "greeting": greeting(),
        "organization": user.organization,
        "roles": [label for code, label in Role.choices if code in codes],
        "figures": home_figures(user) if can(user, Action.ORGS_VIEW) else [],
        "sections": built_sections(user),
        "cases_card": _cases_card(user),
        "supervision_card": _supervision_card(user),
        "planned": [{"title": t, "description": d} for t, d in PLANNED_SECTIONS],
    }
    return render(request, "web/home.html", context)


def _cases_card(user: Any) -> dict[str, Any] | None:
    from zhili.cases.views import home_card  # the cases pages import this module

    return home_card(user)


def _supervision_card(user: Any) -> dict[str, Any] | None:
    from zhili.supervision.views import home_card  # the supervision pages import this module

    return home_card(user)


# Service fields -> form fields, for errors raised by user_change_password.
PASSWORD_FIELDS = {"old_password": "old_password", "new_password": "new_password1"}


class LoginView(auth_views.LoginView):
    """Django's login page, saying how many tries are left once a few have failed."""

    template_name = "web/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["login_warning"] = lockout.warning(self.request)
        context["lockout_limit"] = settings.AXES_FAILURE_LIMIT
        return context


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: StaffRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.user_change_password(
                    user=request.user,
                    old_password=form.cleaned_data["old_password"],
                    new_password=form.cleaned_data["new_password1"],
                )
            except DomainError as exc:
                form.add_error(PASSWORD_FIELDS.get(exc.field or ""), exc.message)
                status = exc.status
            else:
                update_session_auth_hash(request, request.user)
                return redirect("password_change_done")
    return render(request, "web/password_change.html", {"form": form}, status=status)


@login_required
def password_change_done(request: StaffRequest) -> HttpResponse:
    return render(request, "web/password_change_done.html")


def forbidden(request: HttpRequest, message: str = "您没有访问此页面的权限") -> HttpResponse:
    return render(request, "web/forbidden.html", {"message": message}, status=403)
