"""The navigation of the whole platform, filtered by what the user may do.

Later modules add their entries to NAVIGATION; each entry names the URL and the action a
user needs to see it (None: everyone signed in).
"""

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from zhili.core import workcal
from zhili.core.roles import Action
from zhili.core.scope import can

BANNER_FROM_MONTH = 11  # next year's holidays are usually published in November

# (section, label, url name, required action)
NAVIGATION: list[tuple[str, str, str, str | None]] = [
    ("工作台", "首页", "web:home", None),
    ("工作台", "网格通（手机）", "mobile:home", None),
    ("事件工单", "受理登记", "cases:intake", Action.CASES_INTAKE),
    ("事件工单", "分拨工作台", "cases:workbench", Action.CASES_DISPATCH),
    ("事件工单", "本单位待办", "cases:inbox", Action.CASES_HANDLE),
    ("事件工单", "工单查询", "cases:list", Action.CASES_VIEW),
    ("事件工单", "回访", "cases:follow_up", Action.CASES_DISPATCH),
    ("事件工单", "事件地图", "cases:map", Action.CASES_VIEW),
    ("事件工单", "办理质效", "cases:figures", Action.CASES_VIEW),
    ("事件工单", "工单导入", "imports:index", Action.CASES_IMPORT),
    ("督查督办", "督办单", "supervision:list", Action.SUPERVISION_VIEW),
    ("督查督办", "督查", "inspections:list", Action.INSPECTIONS_VIEW),
    ("督查督办", "整改销号", "inspections:findings", Action.INSPECTIONS_VIEW),
    ("督查督办", "通报", "inspections:circulars", Action.INSPECTIONS_VIEW),
    ("督查督办", "回头看", "inspections:lookbacks", Action.INSPECTIONS_VIEW),
    ("督查督办", "建设标准", "inspections:standards", Action.INSPECTIONS_VIEW),
    ("研判预警", "研判报告", "reports:list", Action.REPORTS_VIEW),
    ("研判预警", "预警处置", "warnings:list", Action.WARNINGS_VIEW),
    ("研判预警", "预警规则", "warnings:rules", Action.WARNING_RULES_MANAGE),
    ("研判预警", "网络舆情", "opinions:list", Action.OPINIONS_VIEW),
    ("统筹协调", "年度工作计划", "plans:index", Action.PLANS_VIEW),
    ("统筹协调", "月度进展报送", "plans:progress", Action.PLANS_VIEW),
    ("统筹协调", "会议与决定事项", "plans:meetings", Action.PLANS_VIEW),
    ("考核评价", "考核得分与排名", "assessment:index", Action.ASSESSMENT_VIEW),
    ("矛盾纠纷调解", "纠纷登记", "mediation:register", Action.DISPUTES_MEDIATE),
    ("矛盾纠纷调解", "纠纷台账", "mediation:list", Action.DISPUTES_VIEW),
    ("矛盾纠纷调解", "司法确认", "mediation:confirmations", Action.DISPUTES_VIEW),
    ("矛盾纠纷调解", "风险预警", "mediation:alerts", Action.CASES_VIEW),
    ("矛盾纠纷调解", "调委会与调解员", "mediation:committees", Action.DISPUTES_VIEW),
    ("矛盾纠纷调解", "统计月报", "mediation:monthly", Action.DISPUTES_VIEW),
    ("矛盾纠纷调解", "案例选集", "mediation:collection", Action.DISPUTES_VIEW),
    ("矛盾纠纷调解", "结案检索", "mediation:search", Action.DISPUTES_VIEW),
    ("矛盾纠纷调解", "调解排行", "mediation:rankings", Action.DISPUTES_VIEW),
    ("信访接访", "信访登记", "petitions:register", Action.PETITIONS_REGISTER),
    ("信访接访", "信访事项", "petitions:list", Action.PETITIONS_VIEW),
    ("信访接访", "重点上访人员", "petitions:key_petitioners", Action.KEY_PETITIONERS_VIEW),
    ("信访接访", "领导接访日历", "receptions:rota", Action.PETITIONS_VIEW),
    ("信访接访", "视频接访预约", "receptions:booking", Action.RECEPTIONS_BOOK),
    ("信访接访", "我的接访与包案", "receptions:mine", Action.RECEPTIONS_RECEIVE),
    ("信访接访", "领导包案", "receptions:ownerships", Action.RECEPTIONS_MANAGE),
    ("信访接访", "乡镇领导接访督导", "receptions:townships", Action.PETITIONS_VIEW),
    ("视频会议与培训", "视频会议", "rooms:meetings", None),
    ("视频会议与培训", "网上培训", "training:list", None),
    ("治安监控", "监控点位", "video:cameras", Action.CAMERAS_VIEW),
    ("治安监控", "视频墙", "video:wall", Action.CAMERAS_VIEW),
    ("治安监控", "监控地图", "video:map", Action.CAMERAS_VIEW),
    ("治安监控", "监控目录", "video:tree", Action.CAMERAS_VIEW),
    ("指挥调度", "处置力量", "forces:desk", Action.FORCES_VIEW),
    ("指挥调度", "指挥事件", "incidents:list", Action.FORCES_VIEW),
    ("指挥调度", "应急预案", "incidents:plans", Action.FORCES_VIEW),
    ("指挥调度", "对讲", "intercom:desk", Action.FORCES_VIEW),
    ("基础数据", "实有人口", "registers:people", Action.REGISTERS_VIEW),
    ("基础数据", "实有房屋", "registers:houses", Action.REGISTERS_VIEW),
    ("基础数据", "房屋地图", "registers:house_map", Action.REGISTERS_VIEW),
    ("基础数据", "企业和社会组织", "registers:places_organization", Action.REGISTERS_VIEW),
    ("基础数据", "学校", "registers:places_school", Action.REGISTERS_VIEW),
    ("基础数据", "护路护线", "registers:places_line", Action.REGISTERS_VIEW),
    ("基础数据", "重点地区", "registers:places_key_area", Action.REGISTERS_VIEW),
    ("组织与网格", "组织架构", "orgs:tree", Action.ORGS_VIEW),
    ("组织与网格", "网格地图", "orgs:grid_map", Action.GRIDS_VIEW),
    ("组织与网格", "区划边界", "orgs:boundaries", Action.ORGS_MANAGE),
    ("系统管理", "人员与角色", "orgs:people", Action.PEOPLE_MANAGE),
    ("系统管理", "接口密钥", "integrations:keys", Action.INTEGRATIONS_MANAGE),
    ("系统管理", "推送对接", "integrations:push", Action.INTEGRATIONS_MANAGE),
    ("系统管理", "分类映射", "integrations:mappings", Action.INTEGRATIONS_MANAGE),
    ("系统管理", "节假日安排", "web:calendar", Action.CALENDAR_MANAGE),
]


# Entries shown only when the user also has something there (url name -> dotted predicate of
# the user): a department's handler may view petitions but keeps no rota and sees none.
NAV_CONDITIONS: dict[str, str] = {
    "receptions:rota": "zhili.receptions.selectors.has_rota",
    # 视频接访预约: a township's or village's booking staff, not the county's (no center to book for)
    "receptions:booking": "zhili.receptions.selectors.may_book",
    # the grid workers' app, which is also the handheld of every user linked to a force
    "mobile:home": "zhili.mobile.selectors.may_use_app",
    # the county's reports: its staff always, another unit once one was delivered to it
    "reports:list": "zhili.reports.selectors.has_reports",
}


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    sections: dict[str, list[dict[str, str | bool]]] = {}
    for section, label, name, action in NAVIGATION:
        if action is not None and not can(user, action):
            continue
        if name in NAV_CONDITIONS and not import_string(NAV_CONDITIONS[name])(user):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        sections.setdefault(section, []).append(
            {"label": label, "url": url, "active": request.path == url}
        )
    return {"nav_sections": sections}


def calendar_banner(request: HttpRequest) -> dict[str, object]:
    """Administrators are reminded, from 1 November on, to enter next year's holidays: until
    then the time limits that reach it are provisional (zhili.core.workcal)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not can(user, Action.CALENDAR_MANAGE):
        return {}
    today = timezone.localdate()
    years = [today.year] if workcal.is_provisional_year(today.year) else []
    if today.month >= BANNER_FROM_MONTH and workcal.is_provisional_year(today.year + 1):
        years.append(today.year + 1)
    if not years:
        return {}
    return {
        "calendar_banner": {"year": years[0], "url": reverse("web:calendar_year", args=[years[0]])}
    }
