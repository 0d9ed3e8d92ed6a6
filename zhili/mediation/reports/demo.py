"""`zhili demo` for the collections: a committee's pick of exemplary cases among the demo
disputes that the mediation loader archived with an agreement - one per dispute type, the
earliest archived, up to PICK cases, each with a commentary (评析) written for its type.

Runs after `zhili.mediation.demo.load`. Idempotent: when a demo dispute is already exemplary
it adds nothing. The marks are written as the service writes them (fields, a timeline row and
an audit row), dated at the archive, by a demo committee chair whose place covers the
dispute when there is one.
"""

from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.roles import Role
from zhili.mediation.models import Dispute, DisputeEvent, DisputeKind, DisputeState, Outcome
from zhili.orgs.models import User

PICK = 12

COMMENTARY: dict[str, str] = {
    DisputeKind.MARRIAGE_FAMILY: "本案调解员坚持情理法相结合，先疏导情绪、再厘清财产与抚养问题，"
    "促成双方互谅互让，既维护了妇女儿童合法权益，又避免了家庭矛盾升级，体现了人民调解“柔性化解”的优势。",
    DisputeKind.NEIGHBOURHOOD: "邻里纠纷多因小事积怨。调解员实地察看、邀请村干部和乡贤共同参与，"
    "以“远亲不如近邻”说理，当场化解积怨，做到小事不出村，是基层“枫桥经验”的生动实践。",
    DisputeKind.HOUSING_HOMESTEAD: "宅基地界址纠纷政策性强。调解员调取原始确权资料、现场丈量，"
    "用事实和政策说话，引导双方依法确定界址，消除了长期隐患，为同类纠纷提供了可复制的办法。",
    DisputeKind.CONTRACT: "调解员围绕合同条款逐项释法，帮助双方核对往来凭证、明确违约责任，"
    "促成分期履行方案，既减少了诉讼成本，又保全了双方的合作关系。",
    DisputeKind.BUSINESS: "本案涉及生产经营中的利益分配，调解员邀请行业主管部门参与，"
    "兼顾各方经营实际，达成可执行的协议，助力营商环境优化。",
    DisputeKind.DAMAGES: "调解员依据损害赔偿相关规定，组织双方核算医疗费、误工费等实际损失，"
    "引导合理确定赔偿数额并当场履行，避免了矛盾激化为治安或刑事案件。",
    DisputeKind.LAND_FOREST: "山林土地纠纷历史成因复杂。调解员会同自然资源所查阅档案、现场勘界，"
    "多次上门做工作，最终促成双方按原承包合同划定界线，维护了农村稳定。",
    DisputeKind.EXPROPRIATION: "征地拆迁纠纷群众关注度高。调解员在政策框架内耐心解释补偿标准，"
    "帮助当事人依法主张权益，推动问题在基层依法化解，防止了越级上访。",
    DisputeKind.POLLUTION: "调解员联合生态环境部门现场监测、明确整改措施和补偿方案，"
    "既解决了群众的合理诉求，又督促企业规范生产，实现了法律效果与社会效果的统一。",
    DisputeKind.LABOUR: "本案涉及农民工工资，调解员联合人社部门核实用工事实，"
    "依法督促用人单位限期足额支付，有效防止了群体性讨薪事件的发生。",
    DisputeKind.CONSUMER: "调解员依据消费者权益保护法释法明理，促成商家退赔并改进服务，"
    "以小案件维护了消费者权益和市场秩序。",
    DisputeKind.MEDICAL: "医疗纠纷专业性强。调解员邀请医学专家参与评析，客观说明诊疗过程，"
    "引导双方理性协商，依法确定补偿，避免了“医闹”，维护了正常医疗秩序。",
    DisputeKind.TRAFFIC: "调解员以交警责任认定为依据，结合保险理赔规则逐项计算赔偿，"
    "一次调解达成协议并当场履行，做到了快调快结。",
    DisputeKind.PROPERTY_MGMT: "调解员组织业主代表、物业公司和社区三方座谈，"
    "厘清服务标准与收费争议，推动签订服务承诺，为小区长效治理打下基础。",
    DisputeKind.OTHER: "调解员主动介入、依法依规、耐心细致，促成双方自愿达成协议并履行完毕，"
    "取得了良好的法律效果和社会效果。",
}


def _chairs() -> list[User]:
    return list(
        User.objects.filter(is_demo=True, groups__name=Role.MEDIATION_CHAIR)
        .select_related("organization")
        .order_by("organization__depth", "username")
    )


def _marker(chairs: list[User], dispute: Dispute) -> User | None:
    """The first demo chair whose place covers the dispute signs its mark; None writes it as
    the system."""
    for chair in chairs:
        if chair.organization and dispute.path.startswith(chair.organization.path):
            return chair
    return None


def _candidates() -> list[Dispute]:
    archived = Dispute.objects.filter(
        is_demo=True,
        state=DisputeState.ARCHIVED,
        outcome=Outcome.AGREEMENT,
        agreement__isnull=False,
    ).order_by("closed_at", "id")
    chosen: dict[str, Dispute] = {}
    for dispute in archived.iterator():
        chosen.setdefault(dispute.kind, dispute)
        if len(chosen) >= PICK:
            break
    return list(chosen.values())


def load(*, stdout: TextIO | Any) -> None:
    if Dispute.objects.filter(is_demo=True, is_exemplary=True).exists():
        stdout.write("  典型案例已存在，跳过\n")
        return
    chairs = _chairs()
    picked = _candidates()
    with transaction.atomic():
        for dispute in picked:
            actor = _marker(chairs, dispute)
            note = COMMENTARY.get(dispute.kind, COMMENTARY[DisputeKind.OTHER])
            Dispute.objects.filter(pk=dispute.pk).update(
                is_exemplary=True,
                exemplary_note=note,
                exemplary_at=dispute.closed_at,
                exemplary_by=actor,
            )
            DisputeEvent.objects.create(
                dispute=dispute,
                action="mark_exemplary",
                from_state=dispute.state,
                to_state=dispute.state,
                actor=actor,
                note=note,
                created_at=dispute.closed_at or timezone.now(),
            )
            audit(actor, "mediation.dispute.mark_exemplary", dispute, number=dispute.number)
    stdout.write(f"  典型案例 {len(picked)} 件\n")
