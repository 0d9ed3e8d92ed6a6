"""The choices a case's fields take: channels, urgencies, states, cards, ratings, limit units."""

from django.db import models


class Channel(models.TextChoices):
    HOTLINE = "hotline", "12345热线"
    EMERGENCY = "emergency", "110/120/119联动"
    PETITION = "petition", "阳光信访"
    CITY_MANAGEMENT = "city_management", "数字城管"
    GRID_REPORT = "grid_report", "网格员上报"
    WEB = "web", "群众网上/APP"
    LEADER_ASSIGNED = "leader_assigned", "领导交办"
    DEPARTMENT_REFERRAL = "department_referral", "部门转办"
    OPEN311 = "open311", "Open311接口"
    WALK_IN = "walk_in", "窗口来访"
    # A camera alarm (an analytics box's webhook or a GB/T 28181 alarm notification),
    # registered by zhili.video.alarms.
    VIDEO = "video", "视频巡查发现"


class Situation(models.TextChoices):
    """The 五情 a case counts in (the seed's 社情民意、警情分析、地情监控、访情研判; the fifth,
    舆情, is the opinions register, no case channel): the 日报's and 月分析's rows and the big
    screen's sources."""

    PUBLIC = "public", "社情民意"
    POLICE = "police", "警情"
    GROUND = "ground", "地情"
    PETITION = "petition", "访情"


# Every channel in exactly one 情 (issue 18's mapping): citizens' own requests, however they
# came in, the grid workers' reports among them, are 社情民意; the 110/120/119 linkage 警情;
# what city management and the cameras find on the ground 地情 (with the grid's patrols and
# hazards, which are no cases); the 阳光信访 system's pushes 访情.
CHANNEL_SITUATION: dict[str, str] = {
    Channel.HOTLINE: Situation.PUBLIC,
    Channel.GRID_REPORT: Situation.PUBLIC,
    Channel.WEB: Situation.PUBLIC,
    Channel.OPEN311: Situation.PUBLIC,
    Channel.WALK_IN: Situation.PUBLIC,
    Channel.LEADER_ASSIGNED: Situation.PUBLIC,
    Channel.DEPARTMENT_REFERRAL: Situation.PUBLIC,
    Channel.EMERGENCY: Situation.POLICE,
    Channel.CITY_MANAGEMENT: Situation.GROUND,
    Channel.VIDEO: Situation.GROUND,
    Channel.PETITION: Situation.PETITION,
}


class Urgency(models.TextChoices):
    NORMAL = "normal", "一般"
    URGENT = "urgent", "紧急"
    EMERGENCY = "emergency", "特急"


class State(models.TextChoices):
    REGISTERED = "registered", "已受理"
    DISPATCHED = "dispatched", "已派单"
    ACKNOWLEDGED = "acknowledged", "已签收"
    IN_PROGRESS = "in_progress", "处置中"
    REPLIED = "replied", "已反馈"
    CLOSED = "closed", "已办结"
    RATED = "rated", "已回访"
    RETURNED = "returned", "已退回"
    SUSPENDED = "suspended", "已挂起"
    MERGED = "merged", "已合并"
    # A dispute or a petition opened from the case handles it on its own clock
    # (zhili.cases.services.dossiers); the case waits for its outcome.
    HELD = "held", "转卷宗办理"
    # 退回来源: a case outside the county (辖区外) given back to the channel that brought it,
    # with the reason as its answer (zhili.cases.services.transitions._return_to_source).
    RETURNED_TO_SOURCE = "returned_to_source", "已退回来源"


# The states a case waits in for someone's work (to dispatch, to handle, to review): the
# queues' counts read these rows only, through the partial index `case_open`, whose
# condition lists them in this order (SQLite uses a partial index for a query that repeats
# its condition term for term).
WORK_STATES = (
    State.REGISTERED,
    State.RETURNED,
    State.DISPATCHED,
    State.ACKNOWLEDGED,
    State.IN_PROGRESS,
    State.REPLIED,
)


class Card(models.TextChoices):
    NONE = "", "无"
    YELLOW = "yellow", "黄牌"
    RED = "red", "红牌"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY_SATISFIED = "basically_satisfied", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class LimitUnit(models.TextChoices):
    MINUTES = "minutes", "自然分钟"
    WORKING_HOURS = "working_hours", "工作小时"
    WORKING_DAYS = "working_days", "工作日"
