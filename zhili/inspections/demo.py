"""`zhili demo` for 督: a joint inspection of three township centers by the county center with
the county's 纪委监委 and 组织部, its checklist, and findings at each stage of rectification
(struck off after an independent re-check; failed at the re-check, hence circulated; being
rectified; overdue), a work circular partly read, and the day's 回头看 over the demo's closed
cases. Written through the services, as the staff would; run once (the inspection's title).
"""

import time
from datetime import timedelta
from decimal import Decimal
from typing import TextIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from zhili.core.roles import Role
from zhili.inspections import circulars, services, standards
from zhili.inspections.lookback import lookback_run
from zhili.inspections.models import (
    CheckKind,
    Finding,
    FindingEvent,
    GuidanceKind,
    Inspection,
    InspectionKind,
)
from zhili.orgs.models import Level, Organization, User

TITLE = "第四季度综治中心规范化建设联合督查"
CHECKLIST = [
    ("", "场所设置：受理大厅、调解室、接访室、指挥中心等功能区设置到位"),
    ("", "入驻力量：信访、司法、公安等部门常驻人员在岗"),
    ("dispute_rate", "运行机制：矛盾纠纷一站式受理、分流交办、跟踪督办闭环运行"),
    ("visits_on_time", "网格管理：网格员按期走访重点人员并录入平台"),
    ("", "信息系统：工单签收、办理、回访在平台全程留痕"),
]
PROBLEMS = [
    ("调解室台账不全，抽查11月纠纷3件未建档", "补齐台账，建立纠纷登记建档制度，专人负责"),
    ("受理大厅无人值守，群众来访无人接待", "落实值班制度，工作日受理窗口不少于2人在岗"),
    ("网格员走访重点人员记录缺失，10月以来8人次未走访", "补齐走访，落实走访提醒与月度通报"),
    ("工单签收超时率偏高，11月超时签收12件", "明确签收责任人，开启超时提醒，每周自查"),
]


def _user(role: str, org: Organization | None = None) -> User | None:
    users = User.objects.filter(groups__name=role, is_active=True)
    if org is not None:
        users = users.filter(organization=org)
    return users.order_by("id").first()


def _photo() -> SimpleUploadedFile:
    """A photo of the rectified site (a demo's placeholder image)."""
    png = b"\x89PNG\r\n\x1a\n" + bytes(64)
    return SimpleUploadedFile("整改后现场照片.png", png, content_type="image/png")


def load(*, stdout: TextIO) -> None:
    started = time.monotonic()
    if Inspection.objects.filter(title=TITLE).exists():
        stdout.write("督查：演示数据已存在，跳过\n")
        return
    director, analyst = _user(Role.CENTER_DIRECTOR), _user(Role.ANALYST)
    townships = list(
        Organization.objects.filter(level=Level.TOWNSHIP, kind="center").order_by("code")[:3]
    )
    bodies = list(Organization.objects.filter(code__in=["320722-JWJW", "320722-ZZB"]))
    if director is None or analyst is None or len(townships) < 3 or director.organization is None:
        stdout.write("督查：缺少演示组织或账号，跳过\n")
        return
    with transaction.atomic():
        inspection = _inspection(director, townships, bodies)
        findings = _findings(director, inspection, townships)
        _rectify(director, analyst, findings)
        _circular(director, townships)
        _standards(director, townships[1])
    result = lookback_run()
    stdout.write(
        f"督查：联合督查 1 次，整改事项 {Finding.objects.count()} 个；回头看抽查 {result.drawn} 件，"
        f"复发 {result.recurred} 件（{time.monotonic() - started:.1f} 秒）\n"
    )


def _inspection(
    director: User, townships: list[Organization], bodies: list[Organization]
) -> Inspection:
    today = timezone.localdate()
    center = director.organization
    assert center is not None
    data = services.InspectionInput(
        kind=InspectionKind.JOINT,
        title=TITLE,
        basis="依据《关于加强社会治安综合治理中心规范化建设的指导意见》，对照县、乡、村三级综治中心建设标准逐项检查。",
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=4),
        team=[center.code, *(b.code for b in bodies)],
        targets=[t.code for t in townships],
        checklist=[(text, code) for code, text in CHECKLIST],
    )
    return services.inspection_create(actor=director, data=data)


def _findings(
    director: User, inspection: Inspection, townships: list[Organization]
) -> list[Finding]:
    today = timezone.localdate()
    units = [townships[0], townships[1], townships[2], townships[0]]
    made = []
    for (problem, requirement), unit in zip(PROBLEMS, units, strict=True):
        head = _user(Role.TOWNSHIP_SECRETARY, unit)
        data = services.FindingInput(
            unit=unit.code,
            problem=problem,
            requirement=requirement,
            due_on=today + timedelta(days=7),
            unit_leader=head.full_name if head and head.full_name else "乡镇政法委书记",
        )
        made.append(
            services.finding_issue(
                actor=director, inspection=inspection, data=data, center=inspection.center
            )
        )
    return made


def _rectify(director: User, analyst: User, findings: list[Finding]) -> None:
    """The first struck off, the second failed at its re-check, the third being rectified,
    the fourth past its deadline (issued, as the demo tells it, twelve days ago)."""
    done, failed, _open, late = findings
    for finding in (done, failed):
        officer = _user(Role.TOWNSHIP_SECRETARY, finding.unit) or _user(
            Role.TOWNSHIP_OFFICER, finding.unit
        )
        if officer is None:
            continue
        services.finding_report(
            actor=officer,
            finding=finding,
            report="已按要求整改，附整改后照片。",
            evidence=[_photo()],
        )
    services.finding_pass(actor=analyst, finding=done, note="现场复查，台账齐全")
    services.finding_close(actor=director, finding=done)
    services.finding_fail(
        actor=analyst,
        finding=failed,
        reason="复查时受理窗口仍只有1人在岗",
        due_on=timezone.localdate() + timedelta(days=5),
    )
    issued = late.issued_at - timedelta(days=12)
    due = timezone.localdate() - timedelta(days=2)
    Finding.objects.filter(pk=late.pk).update(issued_at=issued, due_at=services.end_of(due))
    FindingEvent.objects.filter(finding=late, action="issue").update(
        created_at=issued, note=f"整改期限 {due:%Y年%m月%d日}：{late.requirement}"
    )


def _circular(director: User, townships: list[Organization]) -> None:
    circular = circulars.circular_issue(
        actor=director,
        kind="work",
        title="关于第四季度综治中心规范化建设联合督查情况的通报",
        body=(
            "近期，县综治中心会同县纪委监委、县委组织部对部分乡镇综治中心规范化建设情况开展了联合督查。\n"
            "督查发现，部分乡镇存在台账不全、窗口值守不到位、网格走访不及时等问题，已逐一下发整改通知书。\n"
            "请各乡镇对照督查清单举一反三、自查自纠，整改情况按期报送。"
        ),
        unit_codes=[t.code for t in townships],
    )
    reader = _user(Role.TOWNSHIP_SECRETARY, townships[0])
    if reader is not None:
        circulars.circular_read(actor=reader, circular=circular)


def _standards(director: User, township: Organization) -> None:
    """The inspectors score a township against the township standards (two gaps, each a
    finding), and a training given there."""
    short = {"t-stationed": ("14", "工作日受理窗口仅1人在岗"), "t-grid": ("11", "重点人员走访滞后")}
    scores = {
        s.code: standards.ScoreInput(Decimal(short[s.code][0]), short[s.code][1])
        if s.code in short
        else standards.ScoreInput(s.points)
        for s in standards.standards_for(township.level)
    }
    standards.standard_check(
        actor=director, unit_code=township.code, kind=CheckKind.INSPECTION, scores=scores
    )
    standards.guidance_record(
        actor=director,
        unit_code=township.code,
        kind=GuidanceKind.TRAINING,
        on=timezone.localdate() - timedelta(days=6),
        topic="综治中心规范化建设与平台使用培训",
        content="讲解三级综治中心建设标准、工单签收办理回访全流程留痕和视频调解设备使用。",
        attendees=26,
    )
