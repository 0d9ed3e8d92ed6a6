"""The case services: the whole loop and every side road, each writing a timeline row, an
audit row and a domain event; bad input refused naming the field, with nothing written."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhili.cases.models import Case, CaseAttachment, CaseEvent, State
from zhili.cases.selectors import case_list
from zhili.cases.services import Intake, actions_for, case_act, case_attach, case_register
from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.core.models import AuditLog, OutboxEvent
from zhili.core.outbox import deliver_pending
from zhili.core.roles import Role

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def trail(case: Case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))


def audits(case: Case) -> list[str]:
    rows = AuditLog.objects.filter(target_type="cases.case", target_id=str(case.pk))
    return list(rows.order_by("id").values_list("action", flat=True))


def events(case: Case) -> list[str]:
    rows = OutboxEvent.objects.filter(payload__case_no=case.case_no).order_by("id")
    return [row.payload.get("action", "register") for row in rows]


def step(actor: Any, case: Case, action: str, **params: Any) -> Case:
    """Take the action and check that it left its three traces."""
    before = (len(trail(case)), len(audits(case)), len(events(case)))
    case = case_act(actor=actor, case=case, action=action, **params)
    assert trail(case)[before[0] :] == [action]
    assert audits(case)[before[1] :] == [f"cases.case.{action}"]
    assert events(case)[before[2] :] == [action]
    return case


@pytest.fixture
def lamp_case(register: Any, catalog: Any) -> Case:
    """A 路灯损坏 case: county-wide rule -> 住建局, dispatched by the county center."""
    return register(category=catalog.lamp, title="路灯不亮")


@pytest.fixture
def with_zjj(lamp_case: Case, staff: Any) -> Case:
    return step(staff.dispatcher, lamp_case, "dispatch")


@pytest.fixture
def acknowledged(with_zjj: Case, staff: Any) -> Case:
    return step(staff.zjj_handler, with_zjj, "acknowledge")


def test_register_writes_the_case_and_its_traces(lamp_case: Case, rules: Any, tree: Any) -> None:
    assert lamp_case.state == State.REGISTERED
    assert lamp_case.suggested_unit == rules.zjj and lamp_case.lead_unit is None
    assert lamp_case.dispatch_center == tree.county
    assert (lamp_case.grid, lamp_case.village, lamp_case.township) == (tree.g111, tree.v11, tree.t1)
    assert lamp_case.area_path == tree.v11.path
    assert lamp_case.routing_note == "匹配权责清单：市政设施 × 全县 → 住建局"
    assert trail(lamp_case) == ["register"]
    assert audits(lamp_case) == ["cases.case.register"]
    assert events(lamp_case) == ["register"]


def test_the_whole_loop(lamp_case: Case, staff: Any, rules: Any) -> None:
    case = step(staff.dispatcher, lamp_case, "dispatch")
    assert case.lead_unit == rules.zjj and case.unit_path == rules.zjj.path
    assert case.dispatched_at and case.due_at and case.acknowledge_due_at and case.warn_at
    assert case.acknowledge_due_at < case.due_at
    case = step(staff.zjj_handler, case, "acknowledge")
    assert case.acknowledged_at
    case = step(staff.zjj_handler, case, "start")
    case = step(staff.zjj_handler, case, "reply", reply="已更换灯泡")
    assert case.reply == "已更换灯泡" and case.replied_at and case.warn_at is None
    case = step(staff.dispatcher, case, "close")
    assert case.closed_at
    case = step(staff.dispatcher, case, "rate", rating="satisfied", comment="修得快")
    assert (case.state, case.rating, case.rating_comment) == (State.RATED, "satisfied", "修得快")
    assert trail(case) == [
        "register",
        "dispatch",
        "acknowledge",
        "start",
        "reply",
        "close",
        "rate",
    ]
    rated = CaseEvent.objects.get(case=case, action="rate")
    assert (rated.from_state, rated.to_state, rated.actor) == ("closed", "rated", staff.dispatcher)
    assert rated.actor_unit == staff.dispatcher.organization


def test_reply_may_skip_start(acknowledged: Case, staff: Any) -> None:
    assert step(staff.zjj_handler, acknowledged, "reply", reply="好").state == State.REPLIED


def test_return_with_a_reason_then_reassign(with_zjj: Case, staff: Any, rules: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        case_act(actor=staff.zjj_handler, case=with_zjj, action="return", reason="  ")
    assert refused.value.field == "reason"
    case = step(staff.zjj_handler, with_zjj, "return", reason="不属于本单位职责")
    assert case.state == State.RETURNED and case.lead_unit is None and case.returned_count == 1
    assert CaseEvent.objects.get(case=case, action="return").note == "不属于本单位职责"
    # once returned, the unit no longer sees it
    assert not case_list(user=staff.zjj_handler).filter(pk=case.pk).exists()
    case = step(staff.dispatcher, case, "reassign", unit=rules.cgj.code)
    assert case.state == State.DISPATCHED and case.lead_unit == rules.cgj
    assert case.due_at is not None
    assert case_list(user=staff.cgj_handler).filter(pk=case.pk).exists()


def test_escalate_to_the_county_and_assign_down(register: Any, staff: Any, tree: Any) -> None:
    case = register()  # noise in T1: held by the township center
    assert case.dispatch_center == tree.t1
    with pytest.raises(Conflict):
        case_act(actor=staff.dispatcher, case=case, action="assign_down", township=tree.t1.code)
    with pytest.raises(InvalidInput) as no_reason:
        case_act(actor=staff.township, case=case, action="escalate", reason="")
    assert no_reason.value.field == "reason"
    case = step(staff.township, case, "escalate", reason="涉及多个部门，请县中心协调")
    assert case.dispatch_center == tree.county and case.dispatch_path == tree.county.path
    assert case.state == State.REGISTERED
    with pytest.raises(Conflict) as again:
        case_act(actor=staff.dispatcher, case=case, action="escalate", reason="再上报")
    assert again.value.code == "wrong_state"
    # the township no longer holds the case: it may not dispatch it
    with pytest.raises(Forbidden):
        case_act(actor=staff.township, case=case, action="dispatch")
    with pytest.raises(InvalidInput) as bad:
        case_act(actor=staff.dispatcher, case=case, action="assign_down", township=tree.v11.code)
    assert bad.value.field == "township"
    case = step(staff.dispatcher, case, "assign_down", township=tree.t1.code)
    assert case.dispatch_center == tree.t1


def test_assign_down_defaults_to_the_case_township(register: Any, staff: Any, tree: Any) -> None:
    case = register()
    case = case_act(actor=staff.township, case=case, action="escalate", reason="协调")
    case = case_act(actor=staff.dispatcher, case=case, action="assign_down")
    assert case.dispatch_center == tree.t1


def test_extension_request_approve_refuse(acknowledged: Case, staff: Any) -> None:
    case = acknowledged
    original_due = case.due_at
    assert original_due is not None
    with pytest.raises(Conflict):  # nothing to approve yet
        case_act(actor=staff.dispatcher, case=case, action="approve_extension")
    with pytest.raises(InvalidInput) as early:
        case_act(
            actor=staff.zjj_handler,
            case=case,
            action="request_extension",
            until=original_due - timedelta(hours=1),
            reason="等待配件",
        )
    assert early.value.field == "until"
    until = original_due + timedelta(days=3)
    case = step(staff.zjj_handler, case, "request_extension", until=until, reason="等待配件")
    assert case.extension_requested_until == until and case.extension_reason == "等待配件"
    with pytest.raises(Conflict):  # one request at a time
        case_act(
            actor=staff.zjj_handler, case=case, action="request_extension", until=until, reason="x"
        )
    with pytest.raises(Forbidden):  # the handler may not approve its own request
        case_act(actor=staff.zjj_handler, case=case, action="approve_extension")
    case = step(staff.dispatcher, case, "approve_extension")
    assert case.due_at == until and case.extended and case.extension_requested_until is None
    later = until + timedelta(days=2)
    case = step(
        staff.zjj_handler, case, "request_extension", until=later.isoformat(), reason="再等"
    )
    with pytest.raises(InvalidInput) as no_reason:
        case_act(actor=staff.dispatcher, case=case, action="refuse_extension")
    assert no_reason.value.field == "reason"
    case = step(staff.dispatcher, case, "refuse_extension", reason="理由不充分")
    assert case.due_at == until and case.extension_requested_until is None


def test_suspend_and_resume(with_zjj: Case, staff: Any) -> None:
    case = step(staff.dispatcher, with_zjj, "suspend", reason="当事人外出")
    assert case.state == State.SUSPENDED and case.state_before_suspend == State.DISPATCHED
    assert case.remaining_seconds is not None and case.warn_at is None
    with pytest.raises(Conflict):
        case_act(actor=staff.zjj_handler, case=case, action="acknowledge")
    case = step(staff.dispatcher, case, "resume")
    assert case.state == State.DISPATCHED and case.remaining_seconds is None
    assert case.due_at is not None and case.warn_at is not None


def test_merge_and_the_duplicate_follows_the_master(
    register: Any, staff: Any, catalog: Any
) -> None:
    master = register(category=catalog.lamp)
    duplicate = register(category=catalog.lamp, title="同一路灯")
    with pytest.raises(InvalidInput) as itself:
        case_act(actor=staff.dispatcher, case=duplicate, action="merge", master=duplicate.case_no)
    assert itself.value.field == "master"
    duplicate = step(staff.dispatcher, duplicate, "merge", master=master.case_no)
    assert duplicate.state == State.MERGED and duplicate.master == master
    third = register(category=catalog.lamp)
    with pytest.raises(InvalidInput) as chained:
        case_act(actor=staff.dispatcher, case=third, action="merge", master=duplicate.case_no)
    assert chained.value.field == "master"
    assert actions_for(staff.dispatcher, duplicate) == []
    master = case_act(actor=staff.dispatcher, case=master, action="dispatch")
    master = case_act(actor=staff.zjj_handler, case=master, action="acknowledge")
    master = case_act(actor=staff.zjj_handler, case=master, action="reply", reply="已修复")
    master = case_act(actor=staff.dispatcher, case=master, action="close")
    while deliver_pending(worker_id="test"):
        pass
    duplicate.refresh_from_db()
    assert duplicate.reply == "已修复"
    assert duplicate.state == State.MERGED  # it stays merged, carrying the master's outcome


def test_merge_into_a_case_out_of_sight_is_refused(register: Any, staff: Any, catalog: Any) -> None:
    elsewhere = register(category=catalog.lamp, lat=34.515, lng=118.705)  # V21, county-held
    township_case = register()  # T1-held
    with pytest.raises(InvalidInput) as refused:
        case_act(actor=staff.township, case=township_case, action="merge", master=elsewhere.case_no)
    assert refused.value.field == "master"
    assert "不存在" in refused.value.message


def rate(case: Case, staff: Any, rating: str) -> Case:
    case = case_act(actor=staff.dispatcher, case=case, action="dispatch")
    case = case_act(actor=staff.zjj_handler, case=case, action="acknowledge")
    case = case_act(actor=staff.zjj_handler, case=case, action="reply", reply="已处理")
    case = case_act(actor=staff.dispatcher, case=case, action="close")
    return case_act(actor=staff.dispatcher, case=case, action="rate", rating=rating)


def test_reopen_only_after_unsatisfied(register: Any, staff: Any, catalog: Any) -> None:
    happy = rate(register(category=catalog.lamp), staff, "satisfied")
    with pytest.raises(Conflict) as refused:
        case_act(actor=staff.dispatcher, case=happy, action="reopen", reason="复查")
    assert "不满意" in refused.value.message
    basically = rate(register(category=catalog.lamp), staff, "basically_satisfied")
    with pytest.raises(Conflict):
        case_act(actor=staff.dispatcher, case=basically, action="reopen", reason="复查")
    unhappy = rate(register(category=catalog.lamp), staff, "unsatisfied")
    assert "reopen" in [t.name for t in actions_for(staff.dispatcher, unhappy)]
    with pytest.raises(InvalidInput) as no_reason:
        case_act(actor=staff.dispatcher, case=unhappy, action="reopen")
    assert no_reason.value.field == "reason"
    case = step(staff.dispatcher, unhappy, "reopen", reason="群众反映路灯仍不亮")
    assert case.state == State.DISPATCHED and case.reopen_count == 1
    assert case.rating == "" and case.closed_at is None and case.lead_unit is not None


def test_role_and_side(lamp_case: Case, staff: Any, tree: Any, make_user: Any) -> None:
    # a county leader sees every case but may not dispatch (role) ...
    leader = make_user("county_leader", tree.county, Role.COUNTY_LEADER)
    with pytest.raises(Forbidden) as role:
        case_act(actor=leader, case=lamp_case, action="dispatch")
    assert "角色" in role.value.message
    # ... and a township officer sees a case in its township but may not dispatch it when its
    # center does not hold it (side)
    with pytest.raises(Forbidden) as side:
        case_act(actor=staff.township, case=lamp_case, action="dispatch")
    assert "分拨中心" in side.value.message
    case = case_act(actor=staff.dispatcher, case=lamp_case, action="dispatch")
    # another department does not see what was given to 住建局 ...
    with pytest.raises(NotFound):
        case_act(actor=staff.cgj_handler, case=case, action="acknowledge")
    # ... and a sub-center's handler, who sees every case, may not acknowledge it either
    xfjd_handler = make_user("xfjd_handler", tree.xfjd, Role.DEPARTMENT_HANDLER)
    with pytest.raises(Forbidden) as other:
        case_act(actor=xfjd_handler, case=case, action="acknowledge")
    assert "派给您所在单位" in other.value.message
    assert trail(case) == ["register", "dispatch"]


def test_stale_copy_gets_a_conflict(lamp_case: Case, staff: Any) -> None:
    stale = Case.objects.get(pk=lamp_case.pk)
    case_act(actor=staff.dispatcher, case=lamp_case, action="dispatch")
    with pytest.raises(Conflict) as lost:
        case_act(actor=staff.dispatcher, case=stale, action="dispatch")
    assert lost.value.code == "concurrent_update"
    assert trail(lamp_case) == ["register", "dispatch"]


@pytest.mark.parametrize(
    ("action", "params", "field"),
    [
        ("dispatch", {"unit": "NO-SUCH"}, "unit"),
        ("dispatch", {"unit": "32072290100101"}, "unit"),  # a grid code is no unit
        ("dispatch", {"assisting": ["NO-SUCH"]}, "assisting"),
        ("suspend", {}, "reason"),
        ("merge", {}, "master"),
        ("merge", {"master": "DH19990101-00001"}, "master"),
    ],
)
def test_bad_input_names_the_field(
    lamp_case: Case, staff: Any, action: str, params: dict, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        case_act(actor=staff.dispatcher, case=lamp_case, action=action, **params)
    assert refused.value.field == field
    assert trail(lamp_case) == ["register"]


def test_dispatch_outside_the_dispatchers_area_is_refused(
    register: Any, staff: Any, tree: Any
) -> None:
    case = register()  # held by T1
    with pytest.raises(InvalidInput) as refused:
        case_act(actor=staff.township, case=case, action="dispatch", unit=tree.t2.code)
    assert refused.value.field == "unit"


def test_no_suggested_unit_needs_a_unit(register: Any, staff: Any, catalog: Any) -> None:
    case = register(category=catalog.dispute, lat=34.515, lng=118.705)  # no rule in V21
    with pytest.raises(InvalidInput) as refused:
        case_act(actor=staff.dispatcher, case=case, action="dispatch")
    assert refused.value.field == "unit"


def test_rate_and_reply_need_their_fields(acknowledged: Case, staff: Any) -> None:
    with pytest.raises(InvalidInput) as no_reply:
        case_act(actor=staff.zjj_handler, case=acknowledged, action="reply", reply=" ")
    assert no_reply.value.field == "reply"
    case = case_act(actor=staff.zjj_handler, case=acknowledged, action="reply", reply="好")
    case = case_act(actor=staff.dispatcher, case=case, action="close")
    with pytest.raises(InvalidInput) as bad:
        case_act(actor=staff.dispatcher, case=case, action="rate", rating="so-so")
    assert bad.value.field == "rating"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"reporter_phone": "110"}, "reporter_phone"),
        ({"title": ""}, "title"),
        ({"description": " "}, "description"),
        ({"urgency": "later"}, "urgency"),
        ({"channel": "fax"}, "channel"),
        ({"lat": None}, "lat"),
        ({"lat": None, "lng": None}, "address"),
        ({"address": "路" * 301}, "address"),
        ({"reporter_name": "张" * 51}, "reporter_name"),
        ({"external_id": "x" * 101}, "external_id"),
    ],
)
def test_intake_bad_input(register: Any, fields: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        register(**fields)
    assert refused.value.field == field
    assert not Case.objects.exists()


def test_intake_by_a_department_is_forbidden(register: Any, staff: Any) -> None:
    with pytest.raises(Forbidden):
        register(actor=staff.police)


def test_register_refuses_an_attachment_by_content(
    staff: Any, catalog: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("photo.jpg", b"this is text", content_type="image/jpeg")
    intake = Intake(
        channel="hotline", category=catalog.lamp, title="路灯", description="不亮", address="甲镇"
    )
    with pytest.raises(InvalidInput) as refused:
        case_register(actor=staff.dispatcher, intake=intake, attachments=[fake])
    assert refused.value.field == "attachments"
    assert not Case.objects.exists() and not CaseAttachment.objects.exists()


def test_case_attach(with_zjj: Case, staff: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("photo.jpg", b"just text, not a photo")
    with pytest.raises(InvalidInput) as refused:
        case_attach(actor=staff.zjj_handler, case=with_zjj, files=[fake])
    assert refused.value.field == "file"
    with pytest.raises(Forbidden):
        case_attach(
            actor=staff.cgj_handler, case=with_zjj, files=[SimpleUploadedFile("a.jpg", JPEG)]
        )
    with pytest.raises(InvalidInput):
        case_attach(actor=staff.zjj_handler, case=with_zjj, files=[])
    assert not CaseAttachment.objects.exists()
    [added] = case_attach(
        actor=staff.zjj_handler, case=with_zjj, files=[SimpleUploadedFile("现场.jpg", JPEG)]
    )
    assert added.content_type == "image/jpeg" and added.uploaded_by == staff.zjj_handler
    assert added.event is not None and added.event.action == "attach"
    assert trail(with_zjj)[-1] == "attach"
    assert audits(with_zjj)[-1] == "cases.case.attach"
    # the dispatch side may attach too; the state does not move
    case_attach(actor=staff.dispatcher, case=with_zjj, files=[SimpleUploadedFile("b.jpg", JPEG)])
    with_zjj.refresh_from_db()
    assert with_zjj.state == State.DISPATCHED


def test_actions_for_each_side(with_zjj: Case, staff: Any) -> None:
    def names(user: Any) -> set[str]:
        return {t.name for t in actions_for(user, with_zjj)}

    assert names(staff.zjj_handler) == {"acknowledge", "return"}
    assert names(staff.dispatcher) == {"reassign", "suspend", "merge"}
    assert names(staff.cgj_handler) == set()
