"""`zhili demo` for petitions: about 200 petitions received over the last six months, in
every state, with their petitioners, timelines and cards, a few group visits, review and
re-review chains, a repeat after re-review, and key petitioners (each a role of the people
register: demo_key_roles.py).

Each petition's life is played in memory with the regulation's calendar-day limits
(zhili.petitions.deadlines) and written in bulk, numbered in order of receipt from the
counter (take_block); the repeats after re-review are numbered after them. The red cards'
supervision orders are opened by the supervision demo (`load_petition_orders`), which runs
after this one. Extra demo users (handlers in units
the personas do not cover) are created here with the demo password.

Idempotent: when demo petitions exist, nothing is written again.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TextIO

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from zhili.core.counters import take_block
from zhili.core.models import Series
from zhili.core.personal import id_number_check_digit
from zhili.core.roles import Role
from zhili.orgs.demo.data import COUNTY, PASSWORD, person_name
from zhili.orgs.demo.hours import office_after, office_before
from zhili.orgs.models import Level, Organization, User
from zhili.petitions import deadlines
from zhili.petitions.demo_key_roles import key_roles, key_roles_missing
from zhili.petitions.models import (
    Card,
    Delivery,
    Form,
    KeyLevel,
    KeyPetitioner,
    Kind,
    Outcome,
    Petition,
    Petitioner,
    PetitionEvent,
    PetitionParty,
    Route,
    Stage,
    State,
)
from zhili.petitions.services.registration import REPEAT_MESSAGE, REPEAT_WHERE

SEED = 2022
COUNT = 200
DAYS = 182
# Handlers the personas do not provide: (username, name, unit code suffix, title).
DEMO_USERS = [
    ("jijian", "孟庆华", "JJJC", "纪检监察举报中心干部"),
    ("renshe", "邵春燕", "RSJ", "劳动保障监察员"),
    ("ziyuan", "韩立伟", "ZRZYJ", "土地执法科科员"),
]
# (category, kind, title, matter, handling unit suffix or "" for the township, route)
MATTERS = [
    (
        "land",
        Kind.CLAIM,
        "征地补偿款未足额发放",
        "{village}修建道路征收我家承包地{n}亩，补偿款至今只发放一半，多次找村委会未得到答复，要求足额发放。",
        "ZRZYJ",
        Route.DEPARTMENT_DUTY,
    ),
    (
        "land",
        Kind.CLAIM,
        "宅基地确权登记面积有误",
        "{village}宅基地确权时登记面积比实际少{n}平方米，申请更正未果，要求重新测量登记。",
        "ZRZYJ",
        Route.WRITTEN_OPINION,
    ),
    (
        "labour",
        Kind.CLAIM,
        "建筑工地拖欠农民工工资",
        "我们{n}人在县城某小区工地务工，包工头拖欠工资共计{money}元，春节前多次讨要无果，要求帮助追讨。",
        "RSJ",
        Route.DEPARTMENT_DUTY,
    ),
    (
        "labour",
        Kind.CLAIM,
        "企业未依法缴纳社会保险",
        "本人在某服装厂工作{n}年，单位一直未给缴纳养老保险，要求补缴。",
        "RSJ",
        Route.ARBITRATION,
    ),
    (
        "urban",
        Kind.CLAIM,
        "小区物业服务不到位",
        "{village}小区物业公司长期不清运垃圾、电梯频繁故障，业主多次反映未解决，要求监管部门介入。",
        "ZJJ",
        Route.DEPARTMENT_DUTY,
    ),
    (
        "urban",
        Kind.SUGGESTION,
        "建议增设公交站点",
        "{village}附近居民较多，最近的公交站点距离{n}公里，老人孩子出行不便，建议增设站点。",
        "JTYSJ",
        "",
    ),
    (
        "rural",
        Kind.CLAIM,
        "土地流转租金未兑现",
        "{village}合作社流转我们{n}户的土地，今年租金至今未支付，要求兑现。",
        "",
        Route.DEPARTMENT_DUTY,
    ),
    (
        "environment",
        Kind.CLAIM,
        "养殖场异味扰民",
        "{village}村东养殖场距离居民区不足{n}百米，夏季异味严重，污水直排沟渠，要求整改。",
        "STHJJ",
        Route.DEPARTMENT_DUTY,
    ),
    (
        "education_health",
        Kind.SUGGESTION,
        "建议改善村卫生室条件",
        "{village}卫生室药品种类少、设备陈旧，村民看小病也要跑到镇上，建议加大投入。",
        "WJW",
        "",
    ),
    (
        "civil_affairs",
        Kind.CLAIM,
        "低保资格被取消有异议",
        "本人家庭困难，{village}今年复核时取消了我家低保，认为不符合实际情况，要求重新审核。",
        "MZJ",
        Route.ADMINISTRATIVE_REVIEW,
    ),
    (
        "law",
        Kind.CLAIM,
        "对民事判决执行不满",
        "本人与他人借款纠纷一案法院已判决，对方至今未履行还款{money}元，要求督促执行。",
        "SFSS",  # 涉法涉诉: to the political-legal organs (zhili.petitions.routing)
        Route.LITIGATION,
    ),
    (
        "discipline",
        Kind.ACCUSATION,
        "反映村干部优亲厚友",
        "{village}村干部在危房改造补助评定中优亲厚友，将不符合条件的亲属列入补助名单，请求调查处理。",
        "JJJC",
        "",
    ),
    (
        "discipline",
        Kind.ACCUSATION,
        "举报村集体资金使用不公开",
        "{village}集体土地租金{money}元的使用情况多年未公开，怀疑被挪用，请求查处。",
        "JJJC",
        "",
    ),
    (
        "transport",
        Kind.CLAIM,
        "村道损坏影响出行",
        "{village}通村道路多处塌陷，雨天车辆无法通行，要求尽快维修。",
        "",
        Route.DEPARTMENT_DUTY,
    ),
]
FACTS = [
    "经调查核实，信访人反映的情况基本属实，相关责任单位存在工作不到位的问题。",
    "经实地走访和调阅资料，信访人反映的情况部分属实。",
    "经核查，相关款项已于近期拨付到位，信访人反映的情况已得到解决。",
]
# (opinion, outcome): what a handling unit answers, and the conclusion it states.
OPINIONS = [
    ("责成相关单位于15日内整改到位，并将整改结果书面告知信访人。", Outcome.SUPPORT),
    ("支持信访人的合理诉求，已协调有关单位依法依规予以解决。", Outcome.SUPPORT),
    ("信访人的诉求缺乏政策依据，不予支持，已向信访人做好政策解释工作。", Outcome.REJECT),
    ("建议信访人通过法定途径主张权利，本机关将依法提供必要帮助。", Outcome.EXPLAIN),
]
# The legal basis a reply names, by content category (the acts only: demo texts cite no
# article they have not been checked against).
BASIS = {
    "land": "《中华人民共和国土地管理法》及省征地补偿安置规定",
    "labour": "《保障农民工工资支付条例》",
    "urban": "《物业管理条例》",
    "rural": "《中华人民共和国农村土地承包法》",
    "environment": "《中华人民共和国大气污染防治法》《中华人民共和国水污染防治法》",
    "education_health": "《中华人民共和国基本医疗卫生与健康促进法》",
    "civil_affairs": "《社会救助暂行办法》",
    "transport": "《农村公路建设管理办法》",
    "law": "《中华人民共和国民事诉讼法》",
    "discipline": "《中国共产党纪律处分条例》",
}
NOT_ACCEPTED = [
    (
        "该事项已进入诉讼程序，依法不属于信访受理范围。",
        "请依法通过诉讼程序主张权利，向东海县人民法院提出",
    ),
    ("该事项应当通过劳动人事争议仲裁途径解决。", "请向东海县劳动人事争议仲裁委员会申请仲裁"),
]


@dataclass
class Life:
    """One petition's played life: the model fields and its timeline rows."""

    fields: dict[str, Any]
    steps: list[tuple[str, str, str, datetime, str, str]] = field(default_factory=list)
    # (action, from, to, at, actor key "officer"/"handler"/"head", note)
    anonymous: bool = False  # an anonymous letter: nothing delivered, reviewed or rated


def _say(stdout: TextIO, text: str) -> None:
    stdout.write(f"  信访事项：{text}\n")


def _id_number(rng: random.Random) -> str:
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 50))
    first = f"320722{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first + id_number_check_digit(first)


def _users(units: dict[str, Organization]) -> dict[Any, User]:
    password = make_password(PASSWORD)
    group = Group.objects.get_or_create(name=Role.DEPARTMENT_HANDLER)[0]
    for username, name, suffix, title in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults=dict(
                full_name=name,
                organization=units[suffix],
                title=title,
                password=password,
                is_demo=True,
            ),
        )
        if created:
            user.groups.add(group)
    return {
        u.organization_id: u
        for u in User.objects.filter(is_demo=True, organization__isnull=False).filter(
            groups__name__in=[Role.DEPARTMENT_HANDLER, Role.TOWNSHIP_OFFICER]
        )
    }


def _heads() -> dict[int, User]:
    """The head of each unit that has one (第三十四条's approver): a department's head, a
    township's secretary; the county center's director heads the sub-centers it houses."""
    heads: dict[int, User] = {}
    for user in User.objects.filter(
        organization__isnull=False,
        groups__name__in=[Role.UNIT_HEAD, Role.TOWNSHIP_SECRETARY],
    ).order_by("-is_demo", "id"):
        if user.organization_id is not None:
            heads.setdefault(user.organization_id, user)
    director = User.objects.filter(username="director", organization__isnull=False).first()
    if director is not None:
        for unit in Organization.objects.filter(
            parent_id=director.organization_id, kind="subcenter"
        ):
            heads.setdefault(unit.pk, director)
    return heads


def _play(rng: random.Random, received: datetime, now: datetime, force: str = "") -> Life:
    """Walk a petition from receipt to where `now` finds it."""
    f: dict[str, Any] = {
        "received_at": received,
        "state": State.REGISTERED,
        "stage": Stage.ORIGINAL,
        "transfer_due": deadlines.limit_after(received, "transfer"),
    }
    life = Life(f, anonymous=force == "anonymous")

    def step(action: str, target: str, at: datetime, actor: str, note: str = "") -> bool:
        if at > now:
            return False
        life.steps.append((action, f["state"], target, at, actor, note))
        f["state"] = target
        return True

    t = office_after(
        received
        + timedelta(
            days=rng.choice([1, 2, 3, 5, 8, 12]) if rng.random() > 0.06 else 17,
            hours=rng.randrange(1, 8),
        ),
        before=now,
    )
    fast = force in ("review_pending", "re_review_pending")
    if force == "stuck":
        t = office_after(received + timedelta(days=40), before=now)
    if not force and rng.random() < 0.05:
        reason, where = rng.choice(NOT_ACCEPTED)
        if step("not_accept", State.NOT_ACCEPTED, t, "officer", reason):
            f.update(not_accepted_reason=reason, not_accepted_route=where)
            closed = office_after(t + timedelta(days=rng.randrange(2, 12)), before=now)
            if step("close", State.CLOSED, closed, "officer"):
                f["closed_at"] = closed
        return life
    if not step("assign", State.ASSIGNED, t, "officer"):
        return life
    until = deadlines.limit_after(t, "hand_back")
    f.update(
        transferred_at=t,
        accept_due=deadlines.limit_after(t, "accept"),
        hand_back_until=until,
        hand_back_provisional=deadlines.is_provisional(t, until),
    )
    if force.startswith("hand_back"):
        t = _hand_back(f, step, t, now, refused=force == "hand_back_refused")
        if f["state"] != State.ASSIGNED:
            return life
    t = office_after(
        t + timedelta(days=rng.choice([1, 2, 3, 4, 6]), hours=rng.randrange(1, 6)), before=now
    )
    if not step("accept", State.ACCEPTED, t, "handler", "决定受理，出具受理告知书"):
        return life
    f.update(accepted_at=t, handle_due=deadlines.limit_after(t, "handle"))
    t = office_after(t + timedelta(days=rng.randrange(1, 4)), before=now)
    if not step("start", State.HANDLING, t, "handler"):
        return life
    extended = force != "late" and rng.random() < 0.12
    span = rng.randrange(15, 58) if not extended else rng.randrange(62, 85)
    if fast:
        span = 15
    elif force == "late":
        span = rng.randrange(95, 120)  # still unanswered past the limit
    elif rng.random() < 0.05:
        span = rng.randrange(61, 75)  # answered late, without extension
    if extended:
        at = office_after(f["accepted_at"] + timedelta(days=rng.randrange(40, 55)), before=now)
        _extend(life, at, rng.choice([15, 20, 30]), now)
    if force == "extension_pending":
        _extend(life, office_after(t + timedelta(days=1), before=now), 30, now, approved=False)
        return life
    t = office_after(f["accepted_at"] + timedelta(days=span, hours=rng.randrange(1, 8)), before=now)
    if not step("reply", State.REPLIED, t, "handler", "出具答复意见书"):
        return life
    opinion, outcome = rng.choice(OPINIONS)
    f.update(replied_at=t, reply_facts=rng.choice(FACTS), reply=opinion, reply_outcome=outcome)
    _deliver(life, "reply", t, now)
    rated = t + timedelta(days=3)  # the petitioner rates online, at any hour
    if rng.random() < 0.7 and rated <= now and not life.anonymous:
        f.update(
            rating=rng.choice(["satisfied"] * 5 + ["basically"] * 3 + ["unsatisfied"] * 2),
            rated_at=rated,
        )
        life.steps.append(("rate", f["state"], f["state"], rated, "citizen", "信访人自评"))
    # Chains stopped half-way for the demo: (stop after this action) by force.
    stop = {"review_pending": "request_review", "reviewed": "decide_review"}
    stop |= {"re_review_pending": "request_re_review", "re_reviewed": "decide_re_review"}
    wants_review = force in ("review", "re_review", *stop) or (not force and rng.random() < 0.06)
    t = office_after(t + timedelta(days=rng.randrange(2, 6)), before=now)
    if not wants_review:
        if step("close", State.CLOSED, t, "officer"):
            f["closed_at"] = t
        return life
    t = office_after(t + timedelta(days=5 if fast else rng.randrange(5, 20)), before=now)
    if not step("request_review", State.REVIEW_REQUESTED, t, "officer", "对答复意见不服，申请复查"):
        return life
    halt = stop.get(force, "")
    f.update(
        stage=Stage.REVIEW,
        review_requested_at=t,
        review_reason="对答复意见不服，申请复查",
        review_due=deadlines.limit_after(t, "review"),
    )
    if halt == "request_review":
        return life
    t = office_after(t + timedelta(days=10 if fast else rng.randrange(10, 28)), before=now)
    if not step("decide_review", State.REVIEWED, t, "officer", "复查维持原答复意见"):
        return life
    f.update(
        review_decided_at=t,
        review_opinion="经复查，原答复意见认定事实清楚，处理恰当，予以维持。",
    )
    _deliver(life, "review", t, now)
    if halt == "decide_review":
        return life
    if force not in ("re_review", "re_review_pending", "re_reviewed"):
        t = office_after(t + timedelta(days=2), before=now)
        if step("close", State.CLOSED, t, "officer"):
            f["closed_at"] = t
        return life
    t = office_after(t + timedelta(days=5 if fast else rng.randrange(5, 20)), before=now)
    if not step(
        "request_re_review", State.RE_REVIEW_REQUESTED, t, "officer", "对复查意见不服，申请复核"
    ):
        return life
    f.update(
        stage=Stage.RE_REVIEW,
        re_review_requested_at=t,
        re_review_reason="对复查意见不服，申请复核",
        re_review_due=deadlines.limit_after(t, "re_review"),
    )
    if halt == "request_re_review":
        _hearing(life, office_after(t + timedelta(days=3), before=now), now)
        return life
    t = office_after(t + timedelta(days=rng.randrange(10, 28)), before=now)
    if not step("decide_re_review", State.RE_REVIEWED, t, "officer", "复核维持复查意见"):
        return life
    f.update(
        re_review_decided_at=t,
        re_review_opinion="经复核，复查意见正确，予以维持。本事项信访程序终结。",
    )
    _deliver(life, "re_review", t, now)
    if halt == "decide_re_review":
        return life
    t = office_after(t + timedelta(days=2), before=now)
    if step("close", State.CLOSED, t, "officer"):
        f["closed_at"] = t
    return life


# What each delivered answer opens: (its title, the window's limit and field).
ANSWERS = {
    "reply": ("答复意见书", "review_request", "review_request_until"),
    "review": ("复查意见书", "re_review_request", "re_review_request_until"),
    "re_review": ("复核意见书", "", ""),
}
METHODS = [Delivery.DIRECT, Delivery.MAIL, Delivery.DIRECT, Delivery.ELECTRONIC]


def _deliver(life: Life, key: str, issued: datetime, now: datetime) -> None:
    """The answer reaches the petitioner two days after it is issued (送达): the window of
    the next request runs from that day."""
    f = life.fields
    at = office_after(issued + timedelta(days=2), before=now)
    if at > now or life.anonymous:
        return
    method = METHODS[issued.day % len(METHODS)]
    title, limit, field_name = ANSWERS[key]
    f.update({f"{key}_delivered_on": timezone.localdate(at), f"{key}_delivery_method": method})
    note = f"{title}于{timezone.localdate(at):%Y年%m月%d日}{Delivery(method).label}"
    if limit:
        f[field_name] = deadlines.limit_after(at, limit)
    life.steps.append(("deliver", f["state"], f["state"], at, "officer", note))


def _hearing(life: Life, at: datetime, now: datetime) -> None:
    """A hearing under way in a re-review: the clock stops (第三十六条第二款)."""
    if at > now:
        return
    f = life.fields
    f["hearing_started_on"] = timezone.localdate(at)
    note = f"自{timezone.localdate(at):%Y年%m月%d日}起举行听证，听证所需时间不计算在复核期限内"
    life.steps.append(("hearing_start", f["state"], f["state"], at, "officer", note))


EXTENSION_REASON = "涉及多个部门，需进一步调查核实"


def _extend(life: Life, at: datetime, days: int, now: datetime, *, approved: bool = True) -> None:
    """The officer asks (第三十四条) and, the next day, the unit's head approves."""
    f = life.fields
    if at > now:
        return
    note = f"申请延长办理期限{days}日，报单位负责人审批。理由：{EXTENSION_REASON}"
    life.steps.append(("extend", f["state"], f["state"], at, "handler", note))
    f.update(
        extension_requested_days=days,
        extension_requested_at=at,
        extension_reason=EXTENSION_REASON,
        extension_requested_by="handler",
    )
    decided = office_after(at + timedelta(days=1, hours=1), before=now)
    if not approved or decided > now:
        return
    due = deadlines.days_after(f["handle_due"], days)
    note = f"批准延长办理期限{days}日，至{deadlines.last_day_text(due)}"
    life.steps.append(("approve_extension", f["state"], f["state"], decided, "head", note))
    f.update(
        extension_days=days,
        extended_at=decided,
        extension_decided_at=decided,
        extension_decided_by="head",
        handle_due=due,
    )


HAND_BACK_REASON = "该事项涉及企业职工社会保险缴纳，属于县人社局职权范围，不属于本单位职责"


def _hand_back(
    f: dict[str, Any], step: Any, t: datetime, now: datetime, *, refused: bool
) -> datetime:
    """The unit objects the next day (第二十三条第三款); the office refuses the objection two
    days later, or has not decided yet."""
    at = office_after(t + timedelta(days=1, hours=2), before=now)
    if not step("hand_back", State.HAND_BACK_REQUESTED, at, "handler", HAND_BACK_REASON):
        return at
    f.update(hand_back_at=at, hand_back_reason=HAND_BACK_REASON)
    if refused:
        at = office_after(at + timedelta(days=2), before=now)
        step("refuse_hand_back", State.ASSIGNED, at, "officer", "经核实，该事项属于承办单位职责")
    return at


def _cards(f: dict[str, Any], now: datetime) -> None:
    start, due = deadlines.current_limit(f, f["state"])
    f.update(due_at=None, warn_at=None, card="", card_at=None)
    if start is None or due is None:
        return
    warn = deadlines.warn_point(start, due)
    f["due_at"] = due
    if due <= now:
        f.update(card=Card.RED, card_at=due + timedelta(minutes=1))
    elif warn <= now:
        f.update(card=Card.YELLOW, card_at=warn + timedelta(minutes=1), warn_at=due)
    else:
        f["warn_at"] = warn


def load(*, stdout: TextIO) -> dict[str, Any]:
    started = time.monotonic()
    if Petition.objects.filter(is_demo=True).exists():
        # A demo loaded before key petitioners were roles: link its records now.
        linked = key_roles_missing(User.objects.filter(username="petition").first())
        more = f"（重点上访人员补充纳入实有人口 {linked} 人）" if linked else ""
        _say(stdout, f"演示信访事项已存在，跳过{more}")
        return {"created": {}}
    units = {
        o.code.split("-")[-1]: o for o in Organization.objects.filter(code__startswith=f"{COUNTY}-")
    }
    if "XFJD" not in units:
        _say(stdout, "未找到信访接待中心（请先载入组织机构演示数据），跳过")
        return {"created": {}}
    with transaction.atomic():
        created = _load(stdout, units, started)
    _say(stdout, f"完成 ... {time.monotonic() - started:.1f}s")
    return {"created": created}


def _load(stdout: TextIO, units: dict[str, Organization], started: float) -> dict[str, Any]:
    rng = random.Random(SEED)
    now = timezone.now()
    handlers = _users(units)
    for user in User.objects.filter(
        organization__isnull=False,
        groups__name__in=[Role.DEPARTMENT_HANDLER, Role.TOWNSHIP_OFFICER, Role.PETITION_OFFICER],
    ).order_by("-is_demo", "id"):
        handlers.setdefault(user.organization_id, user)
    heads = _heads()
    officer = User.objects.filter(username="petition").first()
    office = units["XFJD"]
    townships = list(
        Organization.objects.filter(level=Level.TOWNSHIP, kind="center").order_by("code")
    )
    villages = list(
        Organization.objects.filter(level=Level.VILLAGE).values_list("parent_id", "area_name")
    )
    by_township: dict[int, list[str]] = {}
    for parent, name in villages:
        by_township.setdefault(parent, []).append(name)
    # People: most petition once, some return with other matters.
    people = [
        Petitioner(
            name=person_name(rng),
            id_number=_id_number(rng) if rng.random() < 0.85 else "",
            phone=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
            address="",
            township=rng.choice(townships),
            is_demo=True,
            created_at=now,
        )
        for _ in range(170)
    ]
    seen: set[str] = set()
    for p in people:
        if p.id_number in seen:
            p.id_number = ""
        seen.add(p.id_number)
        home = p.township or townships[0]
        p.address = f"{home.area_name}{rng.choice(by_township.get(home.pk, ['']))}"
    Petitioner.objects.bulk_create(people)
    lives: list[tuple[Life, list[tuple[Petitioner, bool]]]] = []
    # Lives steered for the demo: review chains, petitions stuck past their limits.
    forced = {7: "re_review", 23: "re_review", 41: "review", 55: "review", 98: "re_review"}
    forced |= {100: "review", 102: "review", 60: "late", 80: "late", 95: "late", 105: "late"}
    forced |= {165: "stuck", 170: "stuck", 176: "stuck", 140: "review_pending"}
    forced |= {30: "reviewed", 125: "re_review_pending", 12: "re_reviewed", 143: "review_pending"}
    forced |= {185: "hand_back", 150: "hand_back_refused", 138: "extension_pending"}
    forced |= {70: "anonymous", 90: "anonymous"}
    for i in range(COUNT):
        received = office_before(
            now - timedelta(days=DAYS * (1 - (i / COUNT) ** 0.9), hours=rng.randrange(0, 9))
        )
        matter = MATTERS[rng.randrange(len(MATTERS))]
        if forced.get(i) == "extension_pending":
            matter = MATTERS[0]  # at 自然资源和规划局, whose head is the "unithead" persona
        if forced.get(i) == "anonymous":
            matter = MATTERS[12]  # an anonymous accusation (检举控告), to discipline inspection
        life = _play(rng, received, now, forced.get(i, ""))
        township = rng.choice(townships[:8]) if rng.random() < 0.8 else rng.choice(townships)
        if rng.random() < 0.3:
            township = next((t for t in townships if t.code == f"{COUNTY}003"), township)
        is_group = rng.random() < 0.08
        named = (
            rng.sample(people, rng.randrange(3, 6))
            if is_group
            else [people[rng.randrange(len(people)) if rng.random() < 0.25 else i % len(people)]]
        )
        village = rng.choice(by_township.get(township.pk, [township.area_name]))
        f = life.fields
        f.update(
            form=rng.choice(
                [Form.VISIT] * 4
                + [Form.LETTER] * 2
                + [Form.CALL, Form.ONLINE, Form.ONLINE, Form.FAX]
            ),
            kind=matter[1],
            category=matter[0],
            title=matter[2],
            matter=matter[3].format(
                village=village, n=rng.randrange(2, 9), money=rng.randrange(8, 90) * 1000
            ),
            route=matter[5] if matter[1] == Kind.CLAIM else "",
            township=township,
            is_group=is_group,
            people_count=rng.randrange(8, 60) if is_group else 1,
            registering_unit=office,
            registering_path=office.path,
            registered_by=officer,
            is_demo=True,
        )
        if is_group:
            f["form"] = Form.VISIT
        if life.anonymous:
            f.update(form=Form.LETTER, is_anonymous=True, is_group=False, people_count=1)
            named = []
        if f.get("replied_at"):
            f.update(reply_requests=f["matter"], reply_basis=BASIS.get(matter[0], ""))
        if f.get("transferred_at"):
            unit = units.get(str(matter[4])) or township
            f.update(handling_unit=unit, handling_path=unit.path)
            if f.get("extension_requested_by"):
                f["extension_requested_by"] = handlers.get(unit.pk)
            if f.get("extension_decided_by"):
                f["extension_decided_by"] = heads.get(unit.pk)
            above = unit.parent or office  # where a review and a re-review are requested
            if f.get("review_requested_at"):
                f["review_unit"] = above
            if f.get("re_review_requested_at"):
                f["re_review_unit"] = above
        _cards(f, now)
        lives.append((life, [(p, is_group) for p in named]))
    # A repeat after re-review: the first chain's petitioner comes again with the same matter.
    chains = [(life, who) for life, who in lives if life.fields.get("re_review_decided_at")]

    lives.sort(key=lambda item: item[0].fields["received_at"])
    year = str(timezone.localdate(now).year)
    start = take_block(Series.PETITION, year, len(lives) + len(chains))
    petitions = []
    for n, (life, _) in enumerate(lives):
        life.fields["number"] = f"XF{year}-{start + n:06d}"
        life.fields["updated_at"] = max([life.fields["received_at"], *[s[3] for s in life.steps]])
        petitions.append(Petition(**life.fields))
    Petition.objects.bulk_create(petitions)
    n = len(lives)
    repeats = []
    for life, who in chains:
        original = next(p for p in petitions if p.number == life.fields["number"])
        decided = original.re_review_decided_at or now
        received = office_before(min(now - timedelta(hours=3), decided + timedelta(days=12)))
        repeat = Petition(
            number=f"XF{year}-{start + n:06d}",
            form=Form.VISIT,
            kind=original.kind,
            route=original.route,
            title=f"再次反映{original.title}",
            matter=original.matter,
            category=original.category,
            township=original.township,
            registering_unit=office,
            registering_path=office.path,
            registered_by=officer,
            state=State.NOT_ACCEPTED,
            received_at=received,
            transfer_due=deadlines.limit_after(received, "transfer"),
            not_accepted_reason=f"{REPEAT_MESSAGE}（原信访事项 {original.number}）",
            not_accepted_route=REPEAT_WHERE,
            repeat_of=original,
            repeat_flag=REPEAT_MESSAGE,
            is_demo=True,
            updated_at=received,
        )
        n += 1
        repeats.append((repeat, who))
    Petition.objects.bulk_create([r for r, _ in repeats])
    parties, events = [], []
    for petition, (life, who) in zip(petitions, lives, strict=True):
        parties += [
            PetitionParty(petition=petition, petitioner=p, is_representative=rep, order=k)
            for k, (p, rep) in enumerate(who)
        ]
        events.append(
            PetitionEvent(
                petition=petition,
                action="register",
                to_state=State.REGISTERED,
                actor=officer,
                actor_unit=office,
                created_at=petition.received_at,
            )
        )
        handler = handlers.get(petition.handling_unit_id) if petition.handling_unit_id else None
        head = heads.get(petition.handling_unit_id) if petition.handling_unit_id else None
        for action, src, dst, at, actor_key, note in life.steps:
            actor = {"officer": officer, "handler": handler, "head": head}.get(actor_key)
            actor_unit = office if actor_key == "officer" else None
            if actor_key in ("handler", "head"):
                actor_unit = petition.handling_unit
            events.append(
                PetitionEvent(
                    petition=petition,
                    action=action,
                    from_state=src,
                    to_state=dst,
                    actor=actor,
                    actor_unit=actor_unit,
                    note=note,
                    created_at=at,
                )
            )
        if petition.card:
            events.append(
                PetitionEvent(
                    petition=petition,
                    action="card",
                    from_state=petition.state,
                    to_state=petition.state,
                    note="超期红牌" if petition.card == Card.RED else "临期黄牌预警",
                    data={"card": petition.card},
                    created_at=petition.card_at or now,
                )
            )
    for repeat, who in repeats:
        parties += [
            PetitionParty(petition=repeat, petitioner=p, is_representative=rep, order=k)
            for k, (p, rep) in enumerate(who)
        ]
        events += [
            PetitionEvent(
                petition=repeat,
                action="register",
                to_state=State.REGISTERED,
                actor=officer,
                actor_unit=office,
                created_at=repeat.received_at,
            ),
            PetitionEvent(
                petition=repeat,
                action="not_accept",
                from_state=State.REGISTERED,
                to_state=State.NOT_ACCEPTED,
                actor=officer,
                actor_unit=office,
                note=repeat.not_accepted_reason,
                created_at=repeat.received_at,
            ),
        ]
    PetitionParty.objects.bulk_create(parties, ignore_conflicts=True)
    PetitionEvent.objects.bulk_create(events, batch_size=1000)
    _say(
        stdout,
        f"{len(petitions) + len(repeats)} 件（集体访 {sum(p.is_group for p in petitions)} 件，"
        f"复查复核 {sum(1 for p in petitions if p.review_requested_at)} 件，"
        f"重复信访 {len(repeats)} 件） ... {time.monotonic() - started:.1f}s",
    )
    keys, roles = _key_petitioners(rng, repeats, parties, townships, officer)
    cards = {c: sum(1 for p in petitions if p.card == c) for c in (Card.YELLOW, Card.RED)}
    _say(
        stdout,
        f"重点上访人员 {keys} 人（纳入实有人口 {roles} 人），"
        f"黄牌 {cards[Card.YELLOW]} 件，红牌 {cards[Card.RED]} 件 ... "
        f"{time.monotonic() - started:.1f}s",
    )
    return {
        "petitions": len(petitions) + len(repeats),
        "key_petitioners": keys,
        "key_petitioner_roles": roles,
    }


def _key_petitioners(
    rng: random.Random,
    repeats: list,
    parties: list[PetitionParty],
    townships: list[Organization],
    officer: Any,
) -> tuple[int, int]:
    """The key register's records (the most frequent petitioners) and how many of them are
    roles of the people register (demo_key_roles.py)."""
    counts: dict[int, int] = {}
    for party in parties:
        counts[party.petitioner.pk] = counts.get(party.petitioner.pk, 0) + 1
    frequent = [pk for pk, c in sorted(counts.items(), key=lambda kv: -kv[1]) if c >= 2][:6]
    frequent += [p.pk for r, who in repeats for p, _ in who if p.pk not in frequent]
    reasons = [
        "多次重复信访，对处理意见不满意，有越级上访倾向。",
        "信访事项已复核终结，仍反复到县、市上访。",
        "组织、串联他人集体上访，情绪较为激动。",
    ]
    by_pk = {p.pk: p for p in Petitioner.objects.filter(pk__in=frequent).select_related("township")}
    records = [
        KeyPetitioner(
            petitioner=by_pk[pk],
            reason=rng.choice(reasons),
            level=rng.choice(list(KeyLevel.values)),
            responsible_unit=by_pk[pk].township or townships[0],
            responsible_path=(by_pk[pk].township or townships[0]).path,
            measures="落实包案领导和责任人，网格按关注程度走访，及时掌握思想动态，依法依规解决合理诉求。",
            since=timezone.localdate() - timedelta(days=rng.randrange(20, 150)),
            created_by=officer,
            is_demo=True,
        )
        for pk in frequent
        if pk in by_pk
    ]
    KeyPetitioner.objects.bulk_create(records)
    return len(records), key_roles(rng, records, officer)
