"""The supervision pages: who sees them, the scope, the answer / close / reject forms, and the
Word notice."""

from datetime import datetime, timedelta
from io import BytesIO

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from zhili.core.roles import PERMISSIONS, Action, Role
from zhili.core.xlsx import XLSX
from zhili.supervision import workflow
from zhili.supervision.models import Level, OrderState, SupervisionOrder
from zhili.supervision.tests.test_orders import START, deliver_all, red_lamp_case

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def order(register, staff, catalog):
    red_lamp_case(register, staff, catalog)
    deliver_all(START + timedelta(hours=2, minutes=1))
    return SupervisionOrder.objects.get()


def act(client: Client, order: SupervisionOrder, action: str, **data):
    url = reverse("supervision:act", args=[order.number, action])
    return client.post(url, data, headers=HX)


def test_the_supervision_action_follows_the_workflow_roles():
    roles = workflow.HANDLERS | workflow.CENTER_ROLES
    for role, actions in PERMISSIONS.items():
        if role == Role.ADMIN:
            continue
        assert (Action.SUPERVISION_VIEW in actions) == (role in roles), role


def test_list_and_detail_render_for_the_unit_and_the_center(order, staff):
    detail_url = reverse("supervision:detail", args=[order.number])
    for persona in ("zjj_handler", "dispatcher", "leader"):
        client = client_for(getattr(staff, persona))
        listed = client.get(reverse("supervision:list"))
        assert listed.status_code == 200, persona
        body = listed.content.decode()
        assert f'data-testid="order-row-{order.number}"' in body, persona
        assert "普通督办" in body and "住建局" in body
        assert f'href="/cases/{order.case.case_no}/"' in body, persona
        assert reverse("supervision:list") in client.get(reverse("web:home")).content.decode()
        detail = client.get(detail_url)
        assert detail.status_code == 200, persona
        text = detail.content.decode()
        assert order.reason in text
        assert reverse("supervision:document", args=[order.number]) in text
        assert "下发督办" in text and "系统（自动督办）" in text
    unit_detail = client_for(staff.zjj_handler).get(detail_url).content.decode()
    assert 'data-testid="action-answer"' in unit_detail
    center_detail = client_for(staff.dispatcher).get(detail_url).content.decode()
    assert 'data-testid="action-answer"' not in center_detail
    assert "您当前没有可对该督办单执行的操作" in center_detail


def test_out_of_scope_is_404_and_roles_without_the_action_are_refused(order, staff, make_user):
    for persona in ("cgj_handler", "township", "village"):
        client = client_for(getattr(staff, persona))
        listed = client.get(reverse("supervision:list") + "?state=all")
        assert listed.status_code == 200, persona
        assert order.number not in listed.content.decode(), persona
        for name in ("detail", "document"):
            url = reverse(f"supervision:{name}", args=[order.number])
            assert client.get(url).status_code == 404, (persona, name)
        assert act(client, order, "answer", cause="a", measures="b").status_code == 404
    analyst = make_user("analyst", staff.dispatcher.organization, Role.ANALYST)
    client = client_for(analyst)
    assert client.get(reverse("supervision:list")).status_code == 403
    assert reverse("supervision:list") not in client.get(reverse("web:home")).content.decode()
    assert client_for(staff.outsider).get(reverse("supervision:list")).status_code == 403


def test_tabs_and_filters(order, staff):
    client = client_for(staff.dispatcher)
    response = client.get(reverse("supervision:list"))
    tabs = {t["key"]: t["count"] for t in response.context["tabs"]}
    assert tabs == {"issued": 1, "answered": 0, "closed": 0, "all": 1}
    assert response.context["current"] == "issued"
    answered = client.get(reverse("supervision:list") + "?state=answered", headers=HX)
    assert answered.templates[0].name == "supervision/_list.html"
    assert order.number not in answered.content.decode()
    red = client.get(reverse("supervision:list") + f"?state=all&level={Level.RED}")
    assert order.number not in red.content.decode()
    assert {t["key"]: t["count"] for t in red.context["tabs"]}["all"] == 0
    unit = client.get(reverse("supervision:list") + "?unit=320722-ZJJ&issued_from=2026-11-26")
    assert order.number in unit.content.decode()
    later = client.get(reverse("supervision:list") + "?issued_from=2026-11-27")
    assert order.number not in later.content.decode()
    junk = client.get(reverse("supervision:list") + "?level=x&issued_from=nope&state=zzz")
    assert junk.status_code == 200 and order.number in junk.content.decode()


def test_an_overdue_answer_is_highlighted(order, staff):
    client = client_for(staff.zjj_handler)
    assert f'data-testid="late-{order.number}"' not in client.get("/supervision/").content.decode()
    with time_machine.travel(order.due_at + timedelta(hours=3), tick=False):
        body = client.get(reverse("supervision:list")).content.decode()
        assert f'data-testid="late-{order.number}"' in body
        assert "已超时 3小时" in body
        overdue = client.get(reverse("supervision:list") + "?overdue=1").content.decode()
        assert order.number in overdue
        detail = client.get(reverse("supervision:detail", args=[order.number]))
        assert "已超时 3小时" in detail.content.decode()


def test_the_unit_answers_and_the_center_closes_through_the_pages(order, staff):
    unit = client_for(staff.zjj_handler)
    opened = unit.get(reverse("supervision:act", args=[order.number, "answer"]), headers=HX)
    assert opened.status_code == 200
    assert 'data-testid="action-form-answer"' in opened.content.decode()

    # An empty answer comes back with the error beside the field.
    empty = act(unit, order, "answer", cause="  ", measures="")
    assert empty.status_code == 400
    body = empty.content.decode()
    assert 'data-testid="error-cause"' in body and "请填写超期原因" in body
    assert "请填写整改措施" in body
    assert empty.templates[0].name == "supervision/_detail_body.html"
    # Whitespace passes the form's `required` but not the service: still beside the field.
    blank = act(unit, order, "answer", cause="人手不足", measures="   ")
    assert blank.status_code in (400, 422)
    assert "请填写整改措施" in blank.content.decode()

    # The center cannot answer for the unit: a 403 with the message, not a 500.
    refused = act(client_for(staff.dispatcher), order, "answer", cause="a", measures="b")
    assert refused.status_code == 403
    assert "您的角色不能执行“答复”" in refused.content.decode()

    answered = act(unit, order, "answer", cause="维修班组人手不足", measures="增派维修班组")
    assert answered.status_code == 200
    assert "已答复" in answered.content.decode()
    order.refresh_from_db()
    assert (order.state, order.answered_by) == (OrderState.ANSWERED, staff.zjj_handler)
    # Answering twice is a conflict, shown in the form.
    again = act(unit, order, "answer", cause="x", measures="y")
    assert again.status_code == 409

    center = client_for(staff.dispatcher)
    no_reason = act(center, order, "reject", reason="")
    assert no_reason.status_code == 400
    assert "请填写退回理由" in no_reason.content.decode()
    rejected = act(center, order, "reject", reason="整改措施不具体")
    assert rejected.status_code == 200
    order.refresh_from_db()
    assert order.state == OrderState.ISSUED
    act(unit, order, "answer", cause="维修班组人手不足", measures="本周内增派两个维修班组")

    closed = center.post(
        reverse("supervision:act", args=[order.number, "close"]), {"note": "整改措施可行"}
    )
    assert closed.status_code == 302  # without HTMX: back to the detail page
    order.refresh_from_db()
    assert (order.state, order.closed_by, order.close_note) == (
        OrderState.CLOSED,
        staff.dispatcher,
        "整改措施可行",
    )
    page = center.get(closed["Location"]).content.decode()
    assert "已审核办结" in page
    history = [e.label for e in center.get(closed["Location"]).context["history"]]
    assert history == ["下发督办", "答复", "退回重新答复", "答复", "审核办结"]
    assert "整改措施不具体" in page


def test_an_action_the_user_may_not_take_opens_no_form(order, staff):
    response = client_for(staff.dispatcher).get(
        reverse("supervision:act", args=[order.number, "close"]), headers=HX
    )
    assert response.status_code == 409
    assert 'data-testid="action-form-close"' not in response.content.decode()
    unknown = client_for(staff.dispatcher).get(
        reverse("supervision:act", args=[order.number, "delete"])
    )
    assert unknown.status_code == 404


def test_the_word_notice_downloads(order, staff):
    response = client_for(staff.zjj_handler).get(
        reverse("supervision:document", args=[order.number])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert f'filename="{order.number}.docx"' in response["Content-Disposition"]
    document = Document(BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "督 办 通 知 单" in text and order.number in text
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert order.case.case_no in cells


def _supervision_card(user):
    response = client_for(user).get(reverse("web:home"))
    cards = [c for c in response.context["work"] if c.key == "supervision"]
    return {f.label: (f.value, f.url) for f in cards[0].figures} if cards else None


def test_the_home_card_counts_what_to_answer_and_to_close(order, staff):
    unit = _supervision_card(staff.zjj_handler)
    assert unit["待答复"] == (1, "/supervision/?state=issued&side=unit")
    assert unit["已超期"][0] == 0 and unit["今日到期"][0] == 0
    assert "待审核办结" not in unit  # a handling unit does not close orders
    assert _supervision_card(staff.dispatcher) == {
        "待审核办结": (0, "/supervision/?state=answered&side=center")
    }
    act(client_for(staff.zjj_handler), order, "answer", cause="a", measures="b")
    assert _supervision_card(staff.dispatcher)["待审核办结"][0] == 1
    # A township officer (both handler and dispatcher) sees no order of the county's.
    township = _supervision_card(staff.township)
    assert [value for value, _url in township.values()] == [0, 0, 0, 0]


def later_today():
    """A moment between now and the end of the local day (on any day the suite runs)."""
    now = timezone.now()
    tomorrow = timezone.make_aware(
        datetime.combine(timezone.localdate(now) + timedelta(days=1), datetime.min.time())
    )
    return now + (tomorrow - now) / 2


def test_the_list_narrows_to_the_users_side_and_to_today(order, staff):
    client = client_for(staff.zjj_handler)
    mine = {"state": "issued", "side": "unit"}
    response = client.get(reverse("supervision:list"), mine)
    assert [o.number for o in response.context["orders"]] == [order.number]
    SupervisionOrder.objects.filter(pk=order.pk).update(due_at=later_today())
    response = client.get(reverse("supervision:list"), {**mine, "due_today": "1"})
    assert [o.number for o in response.context["orders"]] == [order.number]
    assert _supervision_card(staff.zjj_handler)["今日到期"][0] == 1
    SupervisionOrder.objects.filter(pk=order.pk).update(due_at=timezone.now() - timedelta(1))
    response = client.get(reverse("supervision:list"), {**mine, "due_today": "1"})
    assert response.context["orders"] == []
    assert _supervision_card(staff.zjj_handler)["已超期"][0] == 1
    # Another unit is not the supervised one.
    response = client_for(staff.cgj_handler).get(reverse("supervision:list"), mine)
    assert response.context["orders"] == []


def test_the_case_detail_lists_its_orders(order, staff):
    response = client_for(staff.dispatcher).get(reverse("cases:detail", args=[order.case.case_no]))
    body = response.content.decode()
    assert 'data-testid="case-supervision"' in body
    assert reverse("supervision:detail", args=[order.number]) in body


def _sheet_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    return list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))


def test_the_list_exports_its_tab_and_filters_as_xlsx(order, staff):
    client = client_for(staff.zjj_handler)
    page = client.get(reverse("supervision:list")).content.decode()
    assert 'data-testid="export-xlsx"' in page and "共 1 件" in page
    header, *rows = _sheet_rows(client.get(reverse("supervision:export"), {"state": "issued"}))
    assert header[:5] == ("督办单编号", "类型", "督办等级", "督办对象", "被督办单位")
    [row] = rows
    values = dict(zip(header, row, strict=True))
    assert (values["督办单编号"], values["督办对象"]) == (order.number, order.case.case_no)
    assert (values["被督办单位"], values["状态"]) == ("住建局", "已下发")
    assert values["督办事由"] == order.reason
    # The default tab is the list's (待答复); another tab, or another unit, has no row.
    assert len(_sheet_rows(client.get(reverse("supervision:export")))) == 2
    closed = client.get(reverse("supervision:export"), {"state": "closed"})
    assert _sheet_rows(closed) == [header]
    other = client_for(staff.cgj_handler).get(reverse("supervision:export"), {"state": "all"})
    assert _sheet_rows(other) == [header]


def test_an_answered_order_exports_its_answer(order, staff):
    act(client_for(staff.zjj_handler), order, "answer", cause="人手不足", measures="=增派人员")
    response = client_for(staff.dispatcher).get(reverse("supervision:export"), {"state": "all"})
    header, row = _sheet_rows(response)
    values = dict(zip(header, row, strict=True))
    assert (values["状态"], values["超期原因"], values["整改措施"]) == (
        "已答复",
        "人手不足",
        "=增派人员",
    )
    assert isinstance(values["答复时间"], datetime)


def test_within_a_unit_lists_its_orders_and_those_below_it(order, staff, tree):
    """`within` (an assessment entry's link): the orders to a unit and to the units under it;
    an unknown unit holds none."""
    client = client_for(staff.dispatcher)

    def listed(within: str) -> int:
        page = client.get(reverse("supervision:list"), {"state": "all", "within": within})
        return page.context["page"].paginator.count

    assert (listed(tree.county.code), listed("320722-ZJJ")) == (1, 1)
    assert (listed(tree.t1.code), listed("NOPE")) == (0, 0)
    assert listed("") == 1
