"""The places' registers (enterprises and social organizations, schools, lines, key areas)
through their API: one mechanism for four kinds. The credit code's GB 32100 checksum, the
kinds' own fields, duplicates, scope, a partial update (the facts merged, each change's
[old, new] in the history, audited) and archive."""

from typing import Any

import pytest

from zhili.cases.tests.test_api import error, get, post
from zhili.core.models import AuditLog
from zhili.registers.models import Place, RecordChange
from zhili.registers.places import BY_SLUG, CREDIT_ALPHABET, check_credit_code, credit_check_char
from zhili.registers.tests.conftest import People
from zhili.registers.tests.test_houses import patch

GRID = "32072290100101"


def credit_code(body: str = "91320722MA1X2Y3K4") -> str:
    return body + credit_check_char(body)


CODE = credit_code()

BODIES = {
    "organizations-registry": {
        "name": "东海县晶华石英制品有限公司",
        "credit_code": CODE,
        "details": {
            "category": "非公有制经济组织",
            "legal_representative": "周明",
            "security_head": "陈刚",
            "employees": 86,
            "hazardous_goods": "氢氟酸 2 吨",
            "party_organization": True,
            "union_organization": True,
        },
    },
    "schools": {
        "name": "甲镇中心小学",
        "details": {
            "school_type": "小学",
            "students": 1260,
            "staff": 84,
            "security_head": "孙伟",
            "guards": 4,
        },
    },
    "lines": {
        "name": "陇海铁路甲镇段",
        "details": {
            "line_type": "铁路",
            "owner": "上海铁路局",
            "responsible_unit": "甲镇派出所",
            "hazard_level": "一般",
        },
    },
    "key-areas": {
        "name": "甲镇火车站周边",
        "details": {
            "problem": "非法营运、拉客",
            "lead_unit": "县公安局",
            "deadline": "2027-06-30",
            "progress": "整治中",
        },
    },
}


def create(client: Any, user: Any, slug: str, **fields: Any) -> Any:
    body = {"grid": GRID, "address": "甲镇人民路8号", **BODIES[slug], **fields}
    return post(client, user, f"/api/v1/{slug}", body)


def test_the_credit_code_checksum() -> None:
    # Published example codes (GB 32100's check character verified by hand).
    assert check_credit_code("91350100m000100y43") == "91350100M000100Y43"
    assert check_credit_code("91110000600037341L") == "91110000600037341L"
    wrong = CODE[:17] + next(c for c in CREDIT_ALPHABET if c != CODE[17])
    for bad, why in (
        (wrong, "校验位"),
        ("91320722MA1X2Y3K", "18位"),
        ("91320722MA1X2Y3KI" + "0", "无效字符"),
        ("91ABCDEFMA1X2Y3K40", "行政区划"),
    ):
        with pytest.raises(Exception, match=why) as caught:
            check_credit_code(bad)
        assert getattr(caught.value, "field", None) == "credit_code"


@pytest.mark.parametrize("slug", list(BODIES))
def test_each_register_creates_lists_and_scopes(client: Any, people: People, slug: str) -> None:
    response = create(client, people.gridworker, slug)
    assert response.status_code == 201, response.content
    place = response.json()
    assert place["details"] == BODIES[slug]["details"]
    assert place["history"][0]["action"] == "create"
    url = f"/api/v1/{slug}/{place['id']}"
    for user in (people.gridworker, people.village, people.township, people.dispatcher):
        assert get(client, user, url).status_code == 200
        listed = get(client, user, f"/api/v1/{slug}").json()["items"]
        assert [p["id"] for p in listed] == [place["id"]]
    for user in (people.other_worker, people.other_township, people.health):
        error(get(client, user, url), 404, code="not_found")
        assert get(client, user, f"/api/v1/{slug}").json()["items"] == []
    # One kind's record is not another kind's.
    other = next(s for s in BODIES if s != slug)
    error(get(client, people.village, f"/api/v1/{other}/{place['id']}"), 404)


@pytest.mark.parametrize(
    ("slug", "fields", "field"),
    [
        (
            "organizations-registry",
            {"credit_code": CODE[:17] + "0" if CODE[17] != "0" else CODE[:17] + "1"},
            "credit_code",
        ),
        ("organizations-registry", {"credit_code": ""}, "credit_code"),
        (
            "organizations-registry",
            {"details": {"category": "国企", "legal_representative": "x"}},
            "details.category",
        ),
        (
            "organizations-registry",
            {"details": {"category": "社会组织"}},
            "details.legal_representative",
        ),
        (
            "schools",
            {"details": {"school_type": "小学", "security_head": "孙", "students": -3}},
            "details.students",
        ),
        (
            "schools",
            {"details": {"school_type": "小学", "security_head": "孙", "guards": "四"}},
            "details.guards",
        ),
        ("schools", {"credit_code": CODE}, "credit_code"),
        (
            "lines",
            {"details": {"line_type": "铁路", "responsible_unit": "x", "hazard_level": "极高"}},
            "details.hazard_level",
        ),
        (
            "key-areas",
            {"details": {"problem": "x", "lead_unit": "y", "deadline": "明年"}},
            "details.deadline",
        ),
        ("key-areas", {"details": {"nope": 1}}, "details.nope"),
        ("schools", {"name": ""}, "name"),
        ("lines", {"grid": "32072290200101"}, "grid"),
        ("lines", {"address": ""}, "address"),
    ],
)
def test_bad_input_is_422_naming_the_field(
    client: Any, people: People, slug: str, fields: dict, field: str
) -> None:
    error(create(client, people.gridworker, slug, **fields), 422, field=field)
    assert not Place.objects.exists()


def test_a_credit_code_is_registered_once_while_open(client: Any, people: People) -> None:
    slug = "organizations-registry"
    first = create(client, people.gridworker, slug).json()
    body = error(
        create(client, people.village, slug, name="另一家"),
        409,
        code="duplicate",
        field="credit_code",
    )
    assert body["link"] == f"/api/v1/{slug}/{first['id']}"
    by_code = get(client, people.village, f"/api/v1/{slug}?q={CODE.lower()}").json()["items"]
    assert [p["id"] for p in by_code] == [first["id"]]
    archived = post(
        client,
        people.gridworker,
        f"/api/v1/{slug}/{first['id']}/archive",
        {"why": "已注销营业执照"},
    ).json()
    assert archived["archived"] is True and [h["action"] for h in archived["history"]] == [
        "archive",
        "create",
    ]
    assert Place.objects.filter(pk=first["id"]).exists()
    # Archived, its code may be registered again (a new registration of the same entity).
    assert create(client, people.village, slug).status_code == 201


def test_archive_needs_the_keeper(client: Any, people: People) -> None:
    place = create(client, people.gridworker, "schools").json()
    url = f"/api/v1/schools/{place['id']}/archive"
    error(post(client, people.other_township, url, {"why": "撤并"}), 404)
    error(post(client, people.dispatcher, url, {"why": "撤并"}), 403)  # reads, does not keep
    error(post(client, people.gridworker, url, {"why": ""}), 422, field="why")
    assert post(client, people.township, url, {"why": "撤并"}).status_code == 200


# A fact of each kind to change, from the value in BODIES to a new one.
UPDATES = {
    "organizations-registry": ("employees", 86, 90),
    "schools": ("students", 1260, 1300),
    "lines": ("hazard_level", "一般", "较大"),
    "key-areas": ("progress", "整治中", "已完成"),
}


@pytest.mark.parametrize("slug", list(BODIES))
def test_each_register_updates_with_history_and_audit(
    client: Any, people: People, slug: str
) -> None:
    place = create(client, people.gridworker, slug).json()
    url = f"/api/v1/{slug}/{place['id']}"
    key, old, new = UPDATES[slug]
    body = {"name": "新名称", "details": {key: new}, "address": "甲镇人民路8号"}
    response = patch(client, people.gridworker, url, body)
    assert response.status_code == 200, response.content
    updated = response.json()
    # The facts sent are merged into those kept; the unchanged address is not a change.
    assert updated["name"] == "新名称"
    assert updated["details"] == {**BODIES[slug]["details"], key: new}
    assert [h["action"] for h in updated["history"]] == ["update", "create"]
    assert updated["history"][0]["changes"] == {
        "name": [BODIES[slug]["name"], "新名称"],
        key: [old, new],
    }
    assert AuditLog.objects.filter(action=f"registers.place.{BY_SLUG[slug]}.update").count() == 1
    assert get(client, people.township, url).json()["name"] == "新名称"


def test_a_fact_given_null_is_cleared(client: Any, people: People) -> None:
    place = create(client, people.gridworker, "organizations-registry").json()
    url = f"/api/v1/organizations-registry/{place['id']}"
    body = {"details": {"hazardous_goods": None, "industry": "石英制品"}}
    updated = patch(client, people.gridworker, url, body).json()
    assert "hazardous_goods" not in updated["details"]
    assert updated["details"]["industry"] == "石英制品"
    assert updated["history"][0]["changes"] == {
        "hazardous_goods": ["氢氟酸 2 吨", None],
        "industry": [None, "石英制品"],
    }


@pytest.mark.parametrize(
    ("slug", "fields", "field"),
    [
        ("organizations-registry", {"details": {"category": "国企"}}, "details.category"),
        (
            "organizations-registry",
            {"details": {"legal_representative": None}},  # a required fact is not cleared
            "details.legal_representative",
        ),
        ("organizations-registry", {"credit_code": "91320722MA1X2Y3K4Z"}, "credit_code"),
        ("organizations-registry", {"credit_code": ""}, "credit_code"),
        ("schools", {"details": {"students": -3}}, "details.students"),
        ("schools", {"details": {"guards": "四"}}, "details.guards"),
        ("schools", {"details": "x"}, "details"),
        ("schools", {"credit_code": CODE}, "credit_code"),
        ("lines", {"details": {"hazard_level": "极高"}}, "details.hazard_level"),
        ("key-areas", {"details": {"deadline": "明年"}}, "details.deadline"),
        ("key-areas", {"details": {"nope": 1}}, "details.nope"),
        ("schools", {"name": ""}, "name"),
        ("lines", {"grid": "32072290200101"}, "grid"),
        ("lines", {"address": None}, "address"),
        ("lines", {"lng": 118.7}, "lat"),
    ],
)
def test_update_bad_input_is_422_naming_the_field(
    client: Any, people: People, slug: str, fields: dict, field: str
) -> None:
    place = create(client, people.gridworker, slug).json()
    url = f"/api/v1/{slug}/{place['id']}"
    error(patch(client, people.gridworker, url, fields), 422, field=field)
    assert get(client, people.gridworker, url).json() == place  # nothing half-written
    assert not RecordChange.objects.filter(action="update").exists()


def test_update_to_a_registered_credit_code_is_409_with_its_link(
    client: Any, people: People
) -> None:
    slug = "organizations-registry"
    first = create(client, people.gridworker, slug).json()
    other = credit_code("91320722MA1X2Y3K5")
    second = create(client, people.gridworker, slug, name="另一家", credit_code=other).json()
    url = f"/api/v1/{slug}/{second['id']}"
    body = error(
        patch(client, people.gridworker, url, {"credit_code": CODE}),
        409,
        code="duplicate",
        field="credit_code",
    )
    assert body["link"] == f"/api/v1/{slug}/{first['id']}"
    # Its own code again is no change; a new valid code is.
    assert patch(client, people.gridworker, url, {"credit_code": other.lower()}).status_code == 200
    new = credit_code("91320722MA1X2Y3K6")
    changed = patch(client, people.gridworker, url, {"credit_code": new}).json()
    assert changed["credit_code"] == new
    assert changed["history"][0]["changes"] == {"credit_code": [other, new]}


def test_update_scope_and_archived(client: Any, people: People) -> None:
    place = create(client, people.gridworker, "schools").json()
    url = f"/api/v1/schools/{place['id']}"
    for user in (people.other_worker, people.other_township, people.health):
        error(patch(client, user, url, {"name": "x"}), 404, code="not_found")
    error(patch(client, people.village, f"/api/v1/lines/{place['id']}", {"name": "x"}), 404)
    error(patch(client, people.dispatcher, url, {"name": "x"}), 403)  # reads, does not keep
    post(client, people.gridworker, f"{url}/archive", {"why": "撤并"})
    body = error(patch(client, people.township, url, {"name": "x"}), 409)
    assert "已注销" in body["detail"]
    assert Place.objects.get(pk=place["id"]).name == BODIES["schools"]["name"]
