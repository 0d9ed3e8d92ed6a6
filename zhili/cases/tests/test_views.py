"""The case pages: who sees which page, the scope, and the HTMX actions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from zhili.cases import workflow
from zhili.cases.models import Case, State
from zhili.cases.services import case_act
from zhili.cases.views import lists as list_views
from zhili.cases.views import map as map_views
from zhili.core.audit import AuditLog
from zhili.core.roles import PERMISSIONS, Action, Role

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
T1_V12 = {"lat": 34.505, "lng": 118.725}  # grid G121 of village V12 in township T1
T2_V21 = {"lat": 34.515, "lng": 118.705}  # grid G211 of village V21 in township T2
HX = {"HX-Request": "true"}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def act(client: Client, case: Case, action: str, ctx: str = "detail", **data):
    url = reverse("cases:act", args=[case.case_no, action])
    return client.post(url, {"ctx": ctx, **data}, headers=HX)


# --- roles and navigation ----------------------------------------------------------------------


def test_case_actions_follow_the_workflow_role_sets():
    for role, actions in PERMISSIONS.items():
        if role == Role.ADMIN:
            continue
        assert (Action.CASES_DISPATCH in actions) == (role in workflow.DISPATCHERS), role
        assert (Action.CASES_INTAKE in actions) == (role in workflow.INTAKE), role
        assert (Action.CASES_HANDLE in actions) == (role in workflow.HANDLERS), role


@pytest.mark.parametrize(
    ("persona", "allowed", "refused"),
    [
        ("dispatcher", ["intake", "workbench", "follow_up", "list", "map"], ["inbox"]),
        ("township", ["intake", "workbench", "inbox", "follow_up", "list", "map"], []),
        ("police", ["inbox", "list", "map"], ["intake", "workbench", "follow_up"]),
        ("village", ["intake", "inbox", "list", "map"], ["workbench", "follow_up"]),
        ("leader", ["list", "map"], ["intake", "workbench", "inbox", "follow_up"]),
    ],
)
def test_pages_render_for_their_roles_and_refuse_others(staff, persona, allowed, refused):
    client = client_for(getattr(staff, persona))
    home = client.get(reverse("web:home")).content.decode()
    for name in allowed:
        response = client.get(reverse(f"cases:{name}"))
        assert response.status_code == 200, name
        assert reverse(f"cases:{name}") in home, f"{name} missing from the navigation"
    for name in refused:
        assert client.get(reverse(f"cases:{name}")).status_code == 403, name
        assert f'href="{reverse(f"cases:{name}")}"' not in home, f"{name} shown in navigation"


def test_pages_require_login(staff):
    response = Client().get(reverse("cases:workbench"))
    assert response.status_code == 302


def test_home_counts_the_centers_queue(staff, register):
    register()
    register()
    response = client_for(staff.township).get(reverse("web:home"))  # T1 holds its noise cases
    [card] = [c for c in response.context["work"] if c.key == "cases-center"]
    to_dispatch = next(f for f in card.details if f.label == "待派单")
    assert (to_dispatch.value, to_dispatch.url) == (2, "/cases/workbench/?bucket=to_dispatch")
    assert 'data-testid="work-cases-center"' in response.content.decode()


# --- scope ------------------------------------------------------------------------------------


def test_village_officer_gets_404_for_another_villages_case(staff, register, catalog):
    other = register(**T1_V12)
    own = register(category=catalog.dispute, lat=34.505, lng=118.705)
    client = client_for(staff.village)
    assert client.get(reverse("cases:detail", args=[other.case_no])).status_code == 404
    assert client.get(reverse("cases:detail", args=[own.case_no])).status_code == 200
    attachment = reverse("cases:attachment", args=[other.case_no, 1])
    assert client.get(attachment).status_code == 404
    assert act(client, other, "acknowledge").status_code == 404


def test_detail_shows_fields_timeline_routing_and_masked_phone(staff, register):
    case = register(**T1_V12)
    body = client_for(staff.dispatcher).get(reverse("cases:detail", args=[case.case_no]))
    text = body.content.decode()
    assert case.case_no in text
    assert "139****5678" in text and "13912345678" not in text
    assert "匹配权责清单" in text
    assert "受理登记" in text  # the timeline's first line
    assert 'data-testid="action-dispatch"' in text
    assert "甲二村" in text


def test_reveal_phone_is_audited(staff, register):
    case = register()
    url = reverse("cases:reveal_phone", args=[case.case_no])
    response = client_for(staff.dispatcher).post(url, headers=HX)
    assert "13912345678" in response.content.decode()
    assert AuditLog.objects.filter(action="personal_data.reveal").count() == 1
    assert client_for(staff.police).post(url, headers=HX).status_code == 403


# --- intake -----------------------------------------------------------------------------------


def intake_data(catalog, **fields):
    data = {
        "channel": "hotline",
        "category": catalog.noise.code,
        "title": "夜间施工噪音",
        "description": "工地夜间施工",
        "urgency": "",
        "lat": T1_V12["lat"],
        "lng": T1_V12["lng"],
        "address": "",
        "reporter_name": "王先生",
        "reporter_phone": "13912345678",
    }
    data.update(fields)
    return data


def test_intake_registers_and_redirects_to_the_detail(staff, catalog):
    client = client_for(staff.dispatcher)
    data = intake_data(catalog, attachments=[SimpleUploadedFile("photo.png", PNG)])
    response = client.post(reverse("cases:intake"), data, headers=HX)
    assert response.status_code == 204
    case = Case.objects.get()
    assert response["HX-Redirect"] == reverse("cases:detail", args=[case.case_no])
    assert case.attachments.count() == 1
    detail = client.get(response["HX-Redirect"]).content.decode()
    assert f"受理成功，工单编号 {case.case_no}" in detail


def test_intake_address_only_is_accepted(staff, catalog):
    data = intake_data(catalog, lat="", lng="", address="牛山街道和平路12号")
    response = client_for(staff.dispatcher).post(reverse("cases:intake"), data, headers=HX)
    assert response.status_code == 204
    assert Case.objects.get().address == "牛山街道和平路12号"


@pytest.mark.parametrize(
    ("fields", "status", "field"),
    [
        ({"title": ""}, 400, "title"),
        ({"category": ""}, 400, "category"),
        ({"category": "NOPE"}, 422, "category"),
        ({"reporter_phone": "12345"}, 422, "reporter_phone"),
        ({"lat": "", "lng": "", "address": ""}, 422, "address"),
    ],
)
def test_intake_bad_input_comes_back_beside_its_field(staff, catalog, fields, status, field):
    data = intake_data(catalog, **fields)
    response = client_for(staff.dispatcher).post(reverse("cases:intake"), data, headers=HX)
    assert response.status_code == status
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert not Case.objects.exists()


def test_category_search_and_routing_preview(staff, catalog, rules):
    client = client_for(staff.dispatcher)
    options = client.get(reverse("cases:category_options"), {"category_q": "噪音"}, headers=HX)
    assert catalog.noise.code in options.content.decode()
    assert f'data-category-code="{catalog.env.code}"' not in options.content.decode()
    preview = client.get(
        reverse("cases:routing_preview"), {"category": catalog.noise.code, **T1_V12}, headers=HX
    ).content.decode()
    assert "匹配权责清单：噪音扰民 × 甲镇" in preview
    assert "1个工作日" in preview and "5个工作日" in preview
    outside = client.get(
        reverse("cases:routing_preview"),
        {"category": catalog.noise.code, "lat": "30", "lng": "110"},
        headers=HX,
    ).content.decode()
    assert "辖区外" in outside


# --- workbench --------------------------------------------------------------------------------


def test_workbench_one_click_dispatch_swaps_the_row(staff, register):
    case = register(**T1_V12)
    client = client_for(staff.township)  # T1 holds its noise cases
    page = client.get(reverse("cases:workbench")).content.decode()
    assert f'data-testid="dispatch-{case.case_no}"' in page
    assert "data-live-refresh" in page
    response = act(client, case, "dispatch", ctx="workbench")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "zhili:counts"
    body = response.content.decode()
    assert body.lstrip().startswith("<tbody")
    assert "已派单" in body
    case.refresh_from_db()
    assert case.state == State.DISPATCHED and case.lead_unit == staff.township.organization


def test_workbench_dispatch_to_an_unknown_unit_is_a_422_beside_the_field(staff, register):
    case = register(**T1_V12)
    response = act(client_for(staff.dispatcher), case, "dispatch", ctx="workbench", unit="XX-1")
    assert response.status_code == 422
    assert 'data-testid="error-unit"' in response.content.decode()


def test_bulk_dispatch_reports_each_row(staff, register, catalog, rules):
    lamp = register(category=catalog.lamp, **T2_V21)
    unmatched = register(category=catalog.dispute, **T2_V21)
    client = client_for(staff.dispatcher)
    url = reverse("cases:bulk_dispatch")
    numbers = [lamp.case_no, unmatched.case_no]
    response = client.post(url, {"case": numbers, "mode": "suggested"}, headers=HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "已派往住建局" in body
    assert "权责清单未匹配到承办单位" in body
    response = client.post(
        url, {"case": [unmatched.case_no], "mode": "unit", "unit": rules.cgj.code}, headers=HX
    )
    assert "已派往城管局" in response.content.decode()
    assert Case.objects.filter(state=State.DISPATCHED).count() == 2


def test_county_workbench_holds_only_the_county_centers_queue(staff, register, catalog):
    township_held = register()  # 噪音 in T1: the township center dispatches it
    county_held = register(category=catalog.lamp)  # 路灯: 住建局, dispatched by the county
    page = client_for(staff.dispatcher).get(reverse("cases:workbench")).content.decode()
    assert county_held.case_no in page and township_held.case_no not in page
    # The county still sees the township's case in the lists.
    listing = client_for(staff.dispatcher).get(reverse("cases:list")).content.decode()
    assert township_held.case_no in listing


def test_workbench_counts_refresh(staff, register):
    register()
    response = client_for(staff.township).get(
        reverse("cases:workbench_tabs"), headers=HX
    )  # T1 holds its noise cases
    assert 'data-testid="count-to_dispatch">1<' in response.content.decode()


# --- inbox and follow-up ----------------------------------------------------------------------


def test_inbox_acknowledge_and_reply_with_an_attachment(staff, register, rules):
    case = register(**T2_V21)  # 噪音 in T2: the county rule, 城管局
    case_act(actor=staff.dispatcher, case=case, action="dispatch")
    client = client_for(staff.cgj_handler)
    page = client.get(reverse("cases:inbox")).content.decode()
    assert f'data-testid="acknowledge-{case.case_no}"' in page
    assert act(client, case, "acknowledge", ctx="inbox").status_code == 200
    form = client.get(
        reverse("cases:act", args=[case.case_no, "reply"]), {"ctx": "inbox"}, headers=HX
    )
    assert 'data-testid="action-form-reply"' in form.content.decode()
    empty = act(client, case, "reply", ctx="inbox", reply="")
    assert empty.status_code == 400
    assert 'data-testid="error-reply"' in empty.content.decode()
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    response = act(client, case, "reply", ctx="inbox", reply="已责令停工", attachments=[photo])
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.state == State.REPLIED and case.reply == "已责令停工"
    item = case.attachments.get()
    served = client.get(reverse("cases:attachment", args=[case.case_no, item.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"


def test_inbox_return_needs_a_reason(staff, register, rules):
    case = register(**T2_V21)
    case_act(actor=staff.dispatcher, case=case, action="dispatch")
    client = client_for(staff.cgj_handler)
    assert act(client, case, "return", ctx="inbox", reason="").status_code == 400
    response = act(client, case, "return", ctx="inbox", reason="不属于本部门职责")
    assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).state == State.RETURNED


def test_follow_up_rates_and_offers_reopen(staff, register):
    case = register(**T1_V12)
    for action, params in [
        ("dispatch", {}),
        ("acknowledge", {}),
        ("reply", {"reply": "已处理"}),
        ("close", {}),
    ]:
        case = case_act(actor=staff.township, case=case, action=action, **params)
    client = client_for(staff.township)  # T1 holds its noise cases
    page = client.get(reverse("cases:follow_up")).content.decode()
    assert f'data-testid="rate-{case.case_no}"' in page
    bad = act(client, case, "rate", ctx="followup", rating="")
    assert bad.status_code == 400 and 'data-testid="error-rating"' in bad.content.decode()
    response = act(client, case, "rate", ctx="followup", rating="unsatisfied", comment="噪音仍在")
    assert response.status_code == 200
    assert f'data-testid="reopen-{case.case_no}"' in response.content.decode()


# --- list and map -----------------------------------------------------------------------------


def test_list_pages_by_keyset(staff, register, monkeypatch):
    monkeypatch.setattr(list_views, "PAGE_SIZE", 2)
    cases = [register() for _ in range(3)]
    client = client_for(staff.dispatcher)
    first = client.get(reverse("cases:list"))
    assert [c.case_no for c in first.context["page"].items] == [
        cases[2].case_no,
        cases[1].case_no,
    ]
    cursor = first.context["page"].next_cursor
    second = client.get(reverse("cases:list"), {"cursor": cursor}, headers=HX)
    assert [c.case_no for c in second.context["page"].items] == [cases[0].case_no]
    assert client.get(reverse("cases:list"), {"cursor": "garbage"}).status_code == 200
    assert client.get(reverse("cases:list"), {"category": "NOPE"}).status_code == 200


def test_list_filters(staff, register, catalog):
    register(**T1_V12)
    register(category=catalog.lamp, **T2_V21)
    response = client_for(staff.dispatcher).get(reverse("cases:list"), {"category": "SZ"})
    assert [c.category.code for c in response.context["page"].items] == ["SZ01"]


def test_map_points_are_scoped_and_capped(staff, register, monkeypatch):
    register(**T1_V12)
    register(**T2_V21)
    body = client_for(staff.township).get(reverse("cases:map_points")).json()
    assert body["count"] == 1 and not body["capped"]
    monkeypatch.setattr(map_views, "MAP_CAP", 1)
    body = client_for(staff.dispatcher).get(reverse("cases:map_points")).json()
    assert body["count"] == 1 and body["capped"]


def test_intake_page_that_fails_after_registering_keeps_no_case(
    staff, catalog, settings, monkeypatch
):
    """A page's answer fails after the service committed (issue 11 item 2's relative): the
    500 page, and no case, so that submitting the form again makes one case, not two."""
    from zhili.cases.views import intake as intake_views

    settings.DEBUG = False
    client = client_for(staff.dispatcher)
    client.raise_request_exception = False
    monkeypatch.setattr(intake_views, "go", lambda request, url: 1 / 0)
    response = client.post(reverse("cases:intake"), intake_data(catalog), headers=HX)
    assert response.status_code == 500
    assert not Case.objects.exists()


def test_intake_page_refuses_a_group_and_strips_bidi_controls(staff, catalog):
    client = client_for(staff.dispatcher)
    group = client.post(reverse("cases:intake"), intake_data(catalog, category="HJ"), headers=HX)
    assert group.status_code in (400, 422) and not Case.objects.exists()
    assert "大类" in group.content.decode()
    data = intake_data(catalog, title="夜间\u202e施工", reporter_name="王\u200b先生")
    assert client.post(reverse("cases:intake"), data, headers=HX).status_code == 204
    assert Case.objects.values_list("title", "reporter_name").get() == ("夜间施工", "王先生")
