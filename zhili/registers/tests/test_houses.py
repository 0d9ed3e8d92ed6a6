"""The houses register through the API: create (422 naming the field), scope (another grid
or township gets 404), tenants from the people register, hazards, a partial update (history
[old, new], audit), archive instead of delete, and the person's houses (一人一档)."""

import json
from typing import Any

import pytest

from zhili.cases.tests.test_api import auth, error, get, post
from zhili.core.models import AuditLog
from zhili.registers import selectors, services
from zhili.registers.models import House, RecordChange
from zhili.registers.tests.conftest import People, id_number

GRID = "32072290100101"


def make_person(user: Any, name: str, seq: str, grid: str = GRID) -> Any:
    values = {"id_number": id_number(seq=seq), "name": name, "grid": grid}
    return services.person_create(actor=user, values=values)


def patch(client: Any, user: Any, url: str, body: dict) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json", **auth(user))


def house_body(**fields: Any) -> dict:
    body = {
        "grid": GRID,
        "address": "甲一村东组12号",
        "use": "home",
        "ownership": "private",
        "structure": "brick_concrete",
        "area_m2": 126.5,
        "lat": 34.505,
        "lng": 118.705,
    }
    return {**body, **fields}


@pytest.fixture
def owner(people: People) -> Any:
    return make_person(people.village, "王建国", "111")


@pytest.fixture
def house(client: Any, people: People, owner: Any) -> dict:
    response = post(client, people.gridworker, "/api/v1/houses", house_body(owner_id=owner.pk))
    assert response.status_code == 201, response.content
    return response.json()


def test_create_answers_the_detail(house: dict, owner: Any) -> None:
    assert house["address"] == "甲一村东组12号" and house["use_label"] == "自住"
    assert house["structure_label"] == "砖混" and house["area_m2"] == 126.5
    assert house["owner"]["name"] == "王建国"
    assert house["owner"]["id_number"] == "320722********" + owner.id_number[-4:]
    assert house["let"] is False and house["tenancies"] == [] and house["hazards"] == []
    assert house["history"][0]["action"] == "create"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"address": ""}, "address"),
        ({"use": "castle"}, "use"),
        ({"ownership": ""}, "ownership"),
        ({"structure": "straw"}, "structure"),
        ({"area_m2": 0}, "area_m2"),
        ({"grid": "32072290200101"}, "grid"),  # another township's grid
        ({"lat": None}, "lat"),
        ({"owner_id": 999999}, "owner_id"),
    ],
)
def test_bad_input_is_422_naming_the_field(
    client: Any, people: People, fields: dict, field: str
) -> None:
    error(post(client, people.gridworker, "/api/v1/houses", house_body(**fields)), 422, field=field)
    assert not House.objects.exists()


def test_an_owner_out_of_sight_is_refused(client: Any, people: People) -> None:
    stranger = make_person(people.other_township, "赵六", "222", grid="32072290200101")
    body = house_body(owner_id=stranger.pk)
    error(post(client, people.gridworker, "/api/v1/houses", body), 422, field="owner_id")


def test_scope_is_404_for_another_grid_and_township(
    client: Any, people: People, house: dict
) -> None:
    url = f"/api/v1/houses/{house['id']}"
    for user in (people.other_worker, people.other_township, people.judicial):
        error(get(client, user, url), 404, code="not_found")
        assert get(client, user, "/api/v1/houses").json()["items"] == []
        error(post(client, user, f"{url}/archive", {"why": "拆除"}), 404)
    for user in (people.gridworker, people.village, people.township, people.dispatcher):
        assert get(client, user, url).status_code == 200
    # The county center reads the house; keeping it is the grid's, village's and township's.
    hazard = {"found_on": "2026-01-05", "description": "电线私拉乱接"}
    error(post(client, people.dispatcher, f"{url}/hazards", hazard), 403)


def test_tenants_make_a_let_house_and_show_on_their_page(
    client: Any, people: People, house: dict, owner: Any
) -> None:
    tenant = make_person(people.village, "李小红", "333")
    url = f"/api/v1/houses/{house['id']}"
    response = post(
        client,
        people.gridworker,
        f"{url}/tenancies",
        {"person_id": tenant.pk, "starts_on": "2025-03-01", "ends_on": "2030-02-28"},
    )
    assert response.status_code == 201, response.content
    detail = response.json()
    assert detail["let"] is True
    [tenancy] = detail["tenancies"]
    assert tenancy["tenant"]["name"] == "李小红" and tenancy["current"] is True
    assert tenant.id_number not in response.content.decode()
    listed = get(client, people.village, "/api/v1/houses?let=true").json()["items"]
    assert [h["id"] for h in listed] == [house["id"]]
    assert get(client, people.village, "/api/v1/houses?let=false").json()["items"] == []
    # The same tenant twice, the owner as tenant, an end before the start: refused by field.
    again = {"person_id": tenant.pk, "starts_on": "2026-01-01"}
    error(post(client, people.gridworker, f"{url}/tenancies", again), 409, field="person_id")
    own = {"person_id": owner.pk, "starts_on": "2026-01-01"}
    error(post(client, people.gridworker, f"{url}/tenancies", own), 422, field="person_id")
    ended = post(
        client, people.gridworker, f"{url}/tenancies/{tenancy['id']}/end", {"ends_on": "2025-01-01"}
    )
    error(ended, 422, field="ends_on")
    ended = post(
        client, people.gridworker, f"{url}/tenancies/{tenancy['id']}/end", {"ends_on": "2025-12-31"}
    )
    assert ended.json()["tenancies"][0]["current"] is False
    # 一人一档: the owner's and the tenant's pages name the house.
    assert [r["relation"] for r in selectors.person_houses(people.village, tenant)] == ["承租人"]
    assert [r["relation"] for r in selectors.person_houses(people.village, owner)] == ["房主"]
    assert selectors.person_houses(people.other_township, tenant) == []
    detail = get(client, people.village, f"/api/v1/people/{tenant.pk}").json()
    assert detail["houses"] == [
        {
            "id": house["id"],
            "address": "甲一村东组12号",
            "relation": "承租人",
            "starts_on": "2025-03-01",
            "ends_on": "2025-12-31",
        }
    ]


def test_hazards_are_found_and_fixed(client: Any, people: People, house: dict) -> None:
    url = f"/api/v1/houses/{house['id']}"
    body = {"found_on": "2026-01-05", "description": "电动车楼道内充电"}
    detail = post(client, people.gridworker, f"{url}/hazards", body).json()
    [hazard] = detail["hazards"]
    assert hazard["fixed_on"] is None
    error(
        post(client, people.gridworker, f"{url}/hazards", {**body, "description": ""}),
        422,
        field="description",
    )
    error(
        post(
            client,
            people.gridworker,
            f"{url}/hazards/{hazard['id']}/fix",
            {"fixed_on": "2026-01-01"},
        ),
        422,
        field="fixed_on",
    )
    fixed = post(
        client, people.gridworker, f"{url}/hazards/{hazard['id']}/fix", {"fixed_on": "2026-01-06"}
    ).json()
    assert fixed["hazards"][0]["fixed_on"] == "2026-01-06"


def test_archive_keeps_the_house_with_its_history(client: Any, people: People, house: dict) -> None:
    url = f"/api/v1/houses/{house['id']}"
    error(post(client, people.gridworker, f"{url}/archive", {"why": ""}), 422, field="why")
    archived = post(client, people.gridworker, f"{url}/archive", {"why": "已拆除"}).json()
    assert archived["archived"] is True and archived["archived_why"] == "已拆除"
    assert House.objects.filter(pk=house["id"]).exists()
    assert [h["action"] for h in archived["history"]] == ["archive", "create"]
    assert RecordChange.objects.filter(house_id=house["id"]).count() == 2
    assert AuditLog.objects.filter(action="registers.house.archive").count() == 1
    error(post(client, people.gridworker, f"{url}/archive", {"why": "再次"}), 409)
    hazard = {"found_on": "2026-01-05", "description": "x"}
    error(post(client, people.gridworker, f"{url}/hazards", hazard), 409)
    # Still listed, marked archived.
    assert get(client, people.village, "/api/v1/houses").json()["items"][0]["archived"] is True


def test_update_changes_only_the_fields_sent_with_history_and_audit(
    client: Any, people: People, house: dict, owner: Any
) -> None:
    url = f"/api/v1/houses/{house['id']}"
    new_owner = make_person(people.village, "李四", "444")
    body = {"use": "rental", "area_m2": 130, "owner_id": new_owner.pk, "address": "甲一村东组12号"}
    response = patch(client, people.gridworker, url, body)
    assert response.status_code == 200, response.content
    detail = response.json()
    assert detail["use"] == "rental" and detail["area_m2"] == 130.0
    assert detail["owner"]["name"] == "李四" and detail["structure"] == "brick_concrete"
    assert [h["action"] for h in detail["history"]] == ["update", "create"]
    # Only what changed, each [old, new]; the unchanged address is not a change.
    assert detail["history"][0]["changes"] == {
        "use": ["home", "rental"],
        "area_m2": ["126.50", "130.00"],
        "owner": [owner.pk, new_owner.pk],
    }
    [logged] = AuditLog.objects.filter(action="registers.house.update")
    assert logged.actor == people.gridworker and logged.extra["fields"] == [
        "area_m2",
        "owner",
        "use",
    ]
    # The same values again change nothing and write nothing; null clears the owner.
    assert patch(client, people.gridworker, url, body).status_code == 200
    assert RecordChange.objects.filter(house_id=house["id"], action="update").count() == 1
    cleared = patch(client, people.village, url, {"owner_id": None, "lat": None, "lng": None})
    assert cleared.json()["owner"] is None and cleared.json()["lat"] is None
    # Another grid the worker does not keep is refused; the village moves it to its other grid.
    error(patch(client, people.gridworker, url, {"grid": "32072290100102"}), 422, field="grid")
    moved = patch(client, people.village, url, {"grid": "32072290100102"}).json()
    assert moved["grid"]["code"] == "32072290100102"
    assert moved["history"][0]["changes"] == {"grid": [GRID, "32072290100102"]}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"address": ""}, "address"),
        ({"address": None}, "address"),
        ({"use": "castle"}, "use"),
        ({"structure": None}, "structure"),
        ({"area_m2": -5}, "area_m2"),
        ({"area_m2": None}, "area_m2"),
        ({"grid": "32072290200101"}, "grid"),  # another township's grid
        ({"lat": 34.5}, "lng"),  # a point is a pair
        ({"lat": 91, "lng": 118.7}, "lat"),
        ({"owner_id": 999999}, "owner_id"),
        ({"let": None}, "let"),
    ],
)
def test_update_bad_input_is_422_naming_the_field(
    client: Any, people: People, house: dict, fields: dict, field: str
) -> None:
    url = f"/api/v1/houses/{house['id']}"
    error(patch(client, people.gridworker, url, fields), 422, field=field)
    assert get(client, people.gridworker, url).json() == house  # nothing half-written
    assert not AuditLog.objects.filter(action="registers.house.update").exists()


def test_update_keeps_a_let_house_let_while_a_tenant_lives_there(
    client: Any, people: People, house: dict
) -> None:
    url = f"/api/v1/houses/{house['id']}"
    tenant = make_person(people.village, "李小红", "333")
    post(
        client,
        people.gridworker,
        f"{url}/tenancies",
        {"person_id": tenant.pk, "starts_on": "2026-01-01"},
    )
    error(patch(client, people.gridworker, url, {"let": False}), 422, field="let")
    error(patch(client, people.gridworker, url, {"owner_id": tenant.pk}), 422, field="owner_id")


def test_update_scope_and_archived(client: Any, people: People, house: dict) -> None:
    url = f"/api/v1/houses/{house['id']}"
    for user in (people.other_worker, people.other_township, people.judicial):
        error(patch(client, user, url, {"use": "shop"}), 404, code="not_found")
    error(patch(client, people.dispatcher, url, {"use": "shop"}), 403)  # reads, does not keep
    error(patch(client, people.gridworker, "/api/v1/houses/999999", {"use": "shop"}), 404)
    post(client, people.gridworker, f"{url}/archive", {"why": "已拆除"})
    body = error(patch(client, people.gridworker, url, {"use": "shop"}), 409)
    assert body["detail"] == "该房屋已注销，不能修改"
    assert House.objects.get(pk=house["id"]).use == "home"
    assert not RecordChange.objects.filter(house_id=house["id"], action="update").exists()
