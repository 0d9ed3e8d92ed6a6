"""The cases API contract that outside clients rely on (issue 3): shapes, status codes and
the error format ``{"detail", "code", "field"}``."""

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhili.cases.models import Case, CaseAttachment, State
from zhili.core.models import AuditLog
from zhili.orgs.services import token_issue

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def auth(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user)}"}


def post(client: Any, user: Any, url: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else ""
    return client.post(url, data, content_type="application/json", **auth(user))


def get(client: Any, user: Any, url: str) -> Any:
    return client.get(url, **auth(user))


def act(client: Any, user: Any, case_no: str, action: str, body: Any = None) -> Any:
    return post(client, user, f"/api/v1/cases/{case_no}/actions/{action}", body)


def error(response: Any, status: int, code: str | None = None, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"detail", "code", "field"}
    assert body["detail"]
    if code:
        assert body["code"] == code
    assert body["field"] == field
    return body


NEW_CASE = {
    "category": "HJ01",
    "title": "夜间施工噪音",
    "description": "小区旁工地夜间施工，噪音很大",
    "lat": 34.505,
    "lng": 118.705,
    "address": "甲镇人民路1号",
    "urgency": "normal",
    "reporter_name": "王先生",
    "reporter_phone": "13912345678",
    "channel": "hotline",
}


@pytest.fixture
def created(client: Any, staff: Any) -> dict:
    response = post(client, staff.dispatcher, "/api/v1/cases", NEW_CASE)
    assert response.status_code == 201, response.content
    return response.json()


# --- OpenAPI and authentication -------------------------------------------------------------

CASE_PATHS = [
    "/api/v1/case-categories",
    "/api/v1/cases",
    "/api/v1/cases/buckets",
    "/api/v1/cases/{case_no}",
    "/api/v1/cases/{case_no}/actions/{action}",
    "/api/v1/cases/{case_no}/attachments",
    "/api/v1/cases/{case_no}/reveal-phone",
]


def test_openapi_describes_the_cases_api(client: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    for path in CASE_PATHS:
        assert path in schema["paths"], path
    create = schema["paths"]["/api/v1/cases"]["post"]
    assert {"201", "401", "403", "422"} <= set(create["responses"])
    action = schema["paths"]["/api/v1/cases/{case_no}/actions/{action}"]["post"]
    assert {"200", "403", "404", "409", "422"} <= set(action["responses"])
    action_param = next(p for p in action["parameters"] if p["name"] == "action")
    assert "dispatch" in json.dumps(action_param) or "ActionName" in json.dumps(action_param)
    components = schema["components"]["schemas"]
    assert {"case_no", "state", "handling_unit", "grid", "due_at"} <= set(
        components["CaseCreatedOut"]["properties"]
    )
    assert "timeline" in components["CaseOut"]["properties"]
    assert {"items", "next_cursor"} <= set(components["CasePageOut"]["properties"])
    assert "事件工单" in create["tags"]


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/case-categories"),
        ("get", "/api/v1/cases"),
        ("post", "/api/v1/cases"),
        ("get", "/api/v1/cases/DH20261126-00001"),
        ("post", "/api/v1/cases/DH20261126-00001/actions/dispatch"),
        ("post", "/api/v1/cases/DH20261126-00001/reveal-phone"),
    ],
)
def test_unauthenticated_is_401(client: Any, db: Any, method: str, url: str) -> None:
    response = getattr(client, method)(url, content_type="application/json")
    error(response, 401, "unauthenticated")


def test_session_login_works(client: Any, staff: Any, created: dict) -> None:
    client.force_login(staff.dispatcher)
    assert client.get(f"/api/v1/cases/{created['case_no']}").status_code == 200


# --- catalog --------------------------------------------------------------------------------


def test_catalog_lists_codes_parents_and_limits(client: Any, staff: Any) -> None:
    response = get(client, staff.village, "/api/v1/case-categories")
    assert response.status_code == 200
    by_code = {c["code"]: c for c in response.json()}
    assert set(by_code) == {"HJ", "HJ01", "SZ", "SZ01", "JF"}
    noise = by_code["HJ01"]
    assert noise["name"] == "噪音扰民" and noise["parent"] == "HJ" and noise["depth"] == 1
    assert noise["default_urgency"] == "normal"
    limits = {row["urgency"]: row for row in noise["time_limits"]}
    assert limits["normal"]["acknowledge"] == {
        "amount": 1,
        "unit": "working_days",
        "unit_label": "工作日",
    }
    assert limits["normal"]["handle"]["amount"] == 5
    assert limits["emergency"]["handle"] == {
        "amount": 120,
        "unit": "minutes",
        "unit_label": "自然分钟",
    }
    assert by_code["HJ"]["parent"] is None


# --- intake ---------------------------------------------------------------------------------


def test_create_answers_the_contract(created: dict, rules: Any, tree: Any) -> None:
    assert created["case_no"].startswith("DH") and created["case_no"].endswith("-00001")
    assert created["state"] == "registered"
    assert created["handling_unit"] == {"code": tree.t1.code, "name": tree.t1.name}
    assert created["dispatch_center"]["code"] == tree.t1.code
    assert created["grid"] == {"code": tree.g111.code, "name": tree.g111.name}
    assert created["township"]["code"] == tree.t1.code
    assert created["due_at"] and created["acknowledge_due_at"]
    assert created["due_at_projected"] is True
    assert created["due_at"] > created["acknowledge_due_at"]
    assert created["routing"] == "匹配权责清单：噪音扰民 × 甲镇综治中心 → 甲镇综治中心"
    assert created["out_of_area"] is False
    case = Case.objects.get(case_no=created["case_no"])
    assert case.due_at is None  # the clock starts at dispatch


def test_create_without_rule_goes_to_county_with_null_unit(
    client: Any, staff: Any, tree: Any
) -> None:
    body = {**NEW_CASE, "category": "JF", "lat": 34.515, "lng": 118.705}  # V21: no rule
    response = post(client, staff.dispatcher, "/api/v1/cases", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["handling_unit"] is None
    assert created["dispatch_center"]["code"] == tree.county.code
    assert "未匹配" in created["routing"]


def test_create_outside_the_county_is_accepted_and_flagged(
    client: Any, staff: Any, tree: Any
) -> None:
    body = {**NEW_CASE, "lat": 31.2, "lng": 121.5}
    created = post(client, staff.dispatcher, "/api/v1/cases", body).json()
    assert created["out_of_area"] is True
    assert created["grid"] is None
    assert created["dispatch_center"]["code"] == tree.county.code


def test_create_defaults_urgency_and_channel(client: Any, staff: Any) -> None:
    body = {k: v for k, v in NEW_CASE.items() if k not in ("urgency", "channel")}
    response = post(client, staff.dispatcher, "/api/v1/cases", body)
    assert response.status_code == 201
    case = Case.objects.get(case_no=response.json()["case_no"])
    assert (case.urgency, case.channel) == ("normal", "hotline")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "NOPE"}, "category"),
        ({"urgency": "whenever"}, "urgency"),
        ({"channel": "pigeon"}, "channel"),
        ({"reporter_phone": "12345"}, "reporter_phone"),
        ({"lat": None}, "lat"),
        ({"lat": 91}, "lat"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"description": ""}, "description"),
        ({"lat": None, "lng": None, "address": ""}, "address"),
    ],
)
def test_create_bad_input_is_422_naming_the_field(
    client: Any, staff: Any, change: dict, field: str
) -> None:
    response = post(client, staff.dispatcher, "/api/v1/cases", {**NEW_CASE, **change})
    error(response, 422, field=field)
    assert not Case.objects.exists()


def test_create_missing_field_is_422(client: Any, staff: Any) -> None:
    body = {k: v for k, v in NEW_CASE.items() if k != "title"}
    error(post(client, staff.dispatcher, "/api/v1/cases", body), 422, field="title")


def test_create_by_a_role_without_intake_is_403(client: Any, staff: Any) -> None:
    error(post(client, staff.police, "/api/v1/cases", NEW_CASE), 403, "forbidden")


def test_anonymous_intake_keeps_no_reporter(client: Any, staff: Any) -> None:
    body = {**NEW_CASE, "anonymous": True}
    created = post(client, staff.dispatcher, "/api/v1/cases", body).json()
    case = Case.objects.get(case_no=created["case_no"])
    assert (case.reporter_name, case.reporter_phone, case.anonymous) == ("", "", True)


# --- list -----------------------------------------------------------------------------------


def many(register: Any, n: int) -> list[Case]:
    return [register(title=f"噪音 {i}") for i in range(n)]


def test_list_masks_the_phone_and_pages_by_keyset(client: Any, staff: Any, register: Any) -> None:
    cases = many(register, 5)
    newest_first = [c.case_no for c in reversed(cases)]
    seen: list[str] = []
    url = "/api/v1/cases?limit=2"
    while True:
        body = get(client, staff.dispatcher, url).json()
        seen += [item["case_no"] for item in body["items"]]
        for item in body["items"]:
            assert item["reporter_phone"] == "139****5678"
        if body["next_cursor"] is None:
            break
        url = f"/api/v1/cases?limit=2&cursor={body['next_cursor']}"
    assert seen == newest_first


def test_list_filters(client: Any, staff: Any, register: Any, catalog: Any) -> None:
    noise = register()
    lamp = register(category=catalog.lamp, title="路灯不亮")
    from zhili.cases.services import case_act

    case_act(actor=staff.township, case=noise, action="dispatch")

    def nos(query: str) -> list[str]:
        response = get(client, staff.dispatcher, f"/api/v1/cases?{query}")
        assert response.status_code == 200, response.content
        return [item["case_no"] for item in response.json()["items"]]

    assert nos("state=dispatched") == [noise.case_no]
    assert nos("state=registered&state=dispatched") == [lamp.case_no, noise.case_no]
    assert nos("state=registered,dispatched") == [lamp.case_no, noise.case_no]
    assert nos("category=SZ") == [lamp.case_no]
    assert nos("q=路灯") == [lamp.case_no]
    assert nos(f"q={noise.case_no}") == [noise.case_no]
    assert nos("view=workbench&bucket=to_dispatch") == [lamp.case_no]
    inbox = get(client, staff.township, "/api/v1/cases?bucket=to_acknowledge").json()
    assert [item["case_no"] for item in inbox["items"]] == [noise.case_no]
    assert nos(f"unit={staff.township.organization.code}") == [noise.case_no]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("state=flying", "state"),
        ("limit=201", "limit"),
        ("limit=0", "limit"),
        ("cursor=!!!", "cursor"),
        ("bucket=nope", "bucket"),
        ("view=inbox&bucket=to_dispatch", "bucket"),
        ("card=purple", "card"),
        ("category=NOPE", "category"),
        ("registered_from=yesterday", "registered_from"),
    ],
)
def test_list_bad_query_is_422(client: Any, staff: Any, query: str, field: str) -> None:
    error(get(client, staff.dispatcher, f"/api/v1/cases?{query}"), 422, field=field)


def test_bucket_counts(client: Any, staff: Any, register: Any) -> None:
    register()
    response = get(client, staff.township, "/api/v1/cases/buckets?view=workbench")
    counts = {row["key"]: row["count"] for row in response.json()}
    assert counts["to_dispatch"] == 1 and counts["returned"] == 0
    inbox = get(client, staff.township, "/api/v1/cases/buckets?view=inbox").json()
    keys = [row["key"] for row in inbox]
    assert keys == ["to_acknowledge", "in_progress", "replied", "assist"]


# --- detail ---------------------------------------------------------------------------------


def test_detail_has_every_part(client: Any, staff: Any, created: dict, tree: Any) -> None:
    no = created["case_no"]
    detail = get(client, staff.township, f"/api/v1/cases/{no}").json()
    assert detail["case_no"] == no and detail["state"] == "registered"
    assert detail["state_label"] == "已受理"
    assert detail["reporter_phone"] == "139****5678"
    assert detail["can_reveal_phone"] is True
    assert detail["routing"]["suggested_unit"]["code"] == tree.t1.code
    assert detail["handling_unit"] is None
    [line] = detail["timeline"]
    assert line["action"] == "register" and line["label"] == "受理"
    assert line["to_state_label"] == "已受理" and line["actor"] == "dispatcher"
    assert line["unit"]["code"] == tree.county.code
    names = {a["name"] for a in detail["actions"]}
    assert {"dispatch", "suspend", "merge"} <= names
    assert "acknowledge" not in names


def test_detail_out_of_scope_is_404(client: Any, staff: Any, created: dict) -> None:
    no = created["case_no"]
    error(get(client, staff.v12_officer, f"/api/v1/cases/{no}"), 404, "not_found")
    error(get(client, staff.dispatcher, "/api/v1/cases/DH20000101-00001"), 404, "not_found")


def test_reveal_phone_is_audited_and_needs_the_permission(
    client: Any, staff: Any, created: dict
) -> None:
    url = f"/api/v1/cases/{created['case_no']}/reveal-phone"
    response = post(client, staff.township, url)
    assert response.json() == {"reporter_phone": "13912345678"}
    assert AuditLog.objects.filter(action="personal_data.reveal", actor=staff.township).exists()
    error(post(client, staff.gridworker, url), 403, "forbidden")
    detail = get(client, staff.gridworker, f"/api/v1/cases/{created['case_no']}").json()
    assert detail["can_reveal_phone"] is False
    error(post(client, staff.v12_officer, url), 404)


# --- actions --------------------------------------------------------------------------------


def test_the_whole_loop_through_the_api(client: Any, staff: Any, created: dict) -> None:
    no, township = created["case_no"], staff.township
    steps = [
        ("dispatch", None, "dispatched"),
        ("acknowledge", None, "acknowledged"),
        ("start", {}, "in_progress"),
        ("reply", {"reply": "已责令停工"}, "replied"),
        ("close", {"note": "核实属实"}, "closed"),
        ("rate", {"rating": "satisfied", "comment": "很快"}, "rated"),
    ]
    for action, body, state in steps:
        response = act(client, township, no, action, body)
        assert response.status_code == 200, (action, response.content)
        result = response.json()
        assert result["state"] == state and result["action"] == action
        assert result["case"]["state"] == state
    detail = result["case"]
    assert detail["rating"] == "satisfied" and detail["rating_label"] == "满意"
    assert detail["reply"] == "已责令停工"
    assert detail["due_at"] and detail["acknowledge_due_at"]
    assert [line["action"] for line in detail["timeline"]] == [
        "register",
        "dispatch",
        "acknowledge",
        "start",
        "reply",
        "close",
        "rate",
    ]
    assert detail["timeline"][1]["from_state_label"] == "已受理"
    assert detail["timeline"][1]["to_state_label"] == "已派单"


def test_dispatch_to_a_named_unit(client: Any, staff: Any, created: dict, rules: Any) -> None:
    body = {"unit": rules.cgj.code, "assisting": [rules.zjj.code], "note": "请城管处理"}
    result = act(client, staff.dispatcher, created["case_no"], "dispatch", body).json()
    assert result["case"]["handling_unit"]["code"] == rules.cgj.code
    assert result["case"]["assisting_units"] == [{"code": rules.zjj.code, "name": "住建局"}]


def test_action_errors(client: Any, staff: Any, created: dict) -> None:
    no = created["case_no"]
    # outside the scope: 404 before anything else
    error(act(client, staff.v12_officer, no, "dispatch"), 404, "not_found")
    # a role that may not (the grid worker sees the case in its village)
    error(act(client, staff.gridworker, no, "dispatch"), 403, "forbidden")
    # the state does not allow it
    error(act(client, staff.township, no, "close"), 409, "wrong_state")
    # bad input, named
    error(act(client, staff.township, no, "dispatch", {"unit": "NOPE"}), 422, field="unit")
    error(act(client, staff.township, no, "suspend", {"reason": " "}), 422, field="reason")
    error(act(client, staff.township, no, "fly"), 422, field="action")
    error(act(client, staff.township, no, "dispatch", {"assisting": "x"}), 422, field="assisting")
    assert act(client, staff.township, no, "dispatch").status_code == 200
    error(act(client, staff.township, no, "dispatch"), 409, "wrong_state")
    # the county dispatcher's side: the case is held by the township center
    error(act(client, staff.cgj_handler, no, "acknowledge"), 404)
    error(act(client, staff.dispatcher, no, "acknowledge"), 403, "forbidden")
    assert act(client, staff.township, no, "acknowledge").status_code == 200
    error(act(client, staff.township, no, "reply", {"reply": ""}), 422, field="reply")
    error(
        act(client, staff.township, no, "request_extension", {"reason": "等材料", "until": "x"}),
        422,
        field="until",
    )


def test_rate_with_a_bad_rating_is_422(client: Any, staff: Any, created: dict) -> None:
    no, township = created["case_no"], staff.township
    for action, body in [("dispatch", None), ("acknowledge", None), ("reply", {"reply": "好"})]:
        assert act(client, township, no, action, body).status_code == 200
    assert act(client, township, no, "close").status_code == 200
    error(act(client, township, no, "rate", {"rating": "meh"}), 422, field="rating")
    error(act(client, township, no, "rate", {}), 422, field="rating")
    assert Case.objects.get(case_no=no).state == State.CLOSED


def test_merge_through_the_api(client: Any, staff: Any, register: Any) -> None:
    master, duplicate = register(), register()
    body = {"master": master.case_no}
    result = act(client, staff.township, duplicate.case_no, "merge", body).json()
    assert result["state"] == "merged" and result["case"]["master"] == master.case_no
    detail = get(client, staff.township, f"/api/v1/cases/{master.case_no}").json()
    assert detail["duplicates"] == [duplicate.case_no]
    error(
        act(client, staff.township, master.case_no, "merge", {"master": "NO"}), 422, field="master"
    )


# --- attachments ----------------------------------------------------------------------------


def upload(client: Any, user: Any, case_no: str, name: str, content: bytes) -> Any:
    file = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return client.post(f"/api/v1/cases/{case_no}/attachments", {"file": file}, **auth(user))


def test_attachment_upload_and_download(
    client: Any, staff: Any, created: dict, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    no = created["case_no"]
    response = upload(client, staff.township, no, "现场.jpg", JPEG)
    assert response.status_code == 201, response.content
    [attachment] = response.json()
    assert attachment["content_type"] == "image/jpeg" and attachment["size"] == len(JPEG)
    detail = get(client, staff.township, f"/api/v1/cases/{no}").json()
    assert detail["timeline"][-1]["action"] == "attach"
    assert detail["timeline"][-1]["attachments"][0]["name"] == "现场.jpg"
    assert detail["attachments"][0]["url"] == attachment["url"]
    download = get(client, staff.township, attachment["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == JPEG
    error(get(client, staff.v12_officer, attachment["url"]), 404)
    error(get(client, staff.township, f"/api/v1/cases/{no}/attachments/999999"), 404)


def test_attachment_refused_by_content(
    client: Any, staff: Any, created: dict, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    no = created["case_no"]
    error(upload(client, staff.township, no, "photo.jpg", b"just text"), 422, field="file")
    error(upload(client, staff.v12_officer, no, "a.jpg", JPEG), 404)
    # the grid worker sees the case (its village) but is on neither side
    error(upload(client, staff.gridworker, no, "a.jpg", JPEG), 403)
    assert not CaseAttachment.objects.exists()
