"""The shell of the platform: home page per role, password change, error pages."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.http import require_http_methods

from zhili.core.errors import DomainError
from zhili.core.roles import Action, Role
from zhili.core.scope import can, role_codes
from zhili.core.types import Actor
from zhili.core.workcards import work_cards
from zhili.orgs import lockout, services
from zhili.orgs.auth import StaffRequest
from zhili.web.context import NAV_CONDITIONS
from zhili.web.forms import PasswordChangeForm
from zhili.web.overview import overview_for

# The modules a user opens most, under "我的待办": (title, description, url name, action).
# Only what is built is listed; the navigation has every page.
SECTIONS: list[tuple[str, str, str, str | None]] = [
    (
        "指挥大屏",
        "本辖区态势一屏总览：今日受理、来源趋势、热点、预警、处置力量",
        "screen:screen",
        Action.CASES_VIEW,
    ),
    ("受理登记", "12345热线、来电来访等诉求登记", "cases:intake", Action.CASES_INTAKE),
    ("工单查询", "全部可见工单的检索与导出", "cases:list", Action.CASES_VIEW),
    ("事件地图", "事件分布与处置状态", "cases:map", Action.CASES_VIEW),
    ("办理质效", "各承办单位签收、办结、满意情况", "cases:figures", Action.CASES_VIEW),
    ("督办单", "红牌超期工单的督办与答复", "supervision:list", Action.SUPERVISION_VIEW),
    ("矛盾纠纷调解", "纠纷台账、调解、协议与司法确认", "mediation:list", Action.DISPUTES_VIEW),
    ("信访事项", "登记、转送交办、办理与答复", "petitions:list", Action.PETITIONS_VIEW),
    ("领导接访", "接访日历、预约与包案", "receptions:rota", Action.PETITIONS_VIEW),
    ("组织架构", "县、乡、村三级综治中心与职能部门", "orgs:tree", Action.ORGS_VIEW),
    ("网格地图", "全县网格分布、网格员与坐标定位", "orgs:grid_map", Action.GRIDS_VIEW),
    ("人员与角色", "工作人员账号、所属单位与角色", "orgs:people", Action.PEOPLE_MANAGE),
]


def greeting(now: datetime | None = None) -> str:
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


def sections(user: Actor) -> list[dict[str, str]]:
    """The SECTIONS this user may open, by the navigation's rules (NAV_CONDITIONS too)."""
    cards = []
    for title, description, name, action in SECTIONS:
        if action is not None and not can(user, action):
            continue
        if name in NAV_CONDITIONS and not import_string(NAV_CONDITIONS[name])(user):
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
        "overview": overview_for(user),
        "work": work_cards(user),
        "sections": sections(user),
    }
    return render(request, "web/home.html", context)


# Service fields -> form fields, for errors raised by user_change_password.
PASSWORD_FIELDS = {"old_password": "old_password", "new_password": "new_password1"}


class LoginView(auth_views.LoginView):
    """Django's login page, saying how many tries are left once a few have failed."""

    template_name = "web/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
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
