"""The people register: ID validation, duplicates, scope, special-group visibility, audit
and masks, through the API."""

from typing import Any

import pytest

from zhili.cases.tests.test_api import auth, error, get, post
from zhili.core.models import AuditLog
from zhili.registers.models import Person, PersonChange
from zhili.registers.services import check_id_number
from zhili.registers.tests.conftest import ID, People, id_number


def create(client: Any, user: Any, **fields: Any) -> Any:
    body = {"id_number": ID, "name": "张伟", "grid": "32072290100101", "phone": "13812345678"}
    return post(client, user, "/api/v1/people", {**body, **fields})


@pytest.fixture
def person(client: Any, people: People) -> dict:
    response = create(client, people.gridworker)
    assert response.status_code == 201, response.content
    return response.json()


def test_id_validation_checks_checksum_birth_and_region() -> None:
    assert check_id_number(ID.lower()) == ID
    bad_check = ID[:17] + ("0" if ID[17] != "0" else "1")
    for bad in (bad_check, id_number(born="19800230"), id_number(region="990722"), "12345"):
        with pytest.raises(Exception) as caught:
            check_id_number(bad)
        assert getattr(caught.value, "field", None) == "id_number"
    with pytest.raises(Exception, match="出生日期"):
        check_id_number(id_number(born="29990101"))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"id_number": ID[:17] + ("0" if ID[17] != "0" else "1")}, "id_number"),
        ({"id_number": id_number(region="000722")}, "id_number"),
        ({"phone": "12345"}, "phone"),
        ({"grid": "32072290200101"}, "grid"),  # another township's grid
        ({"grid": "nope"}, "grid"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_input_is_422_naming_the_field(
    client: Any, people: People, fields: dict, field: str
) -> None:
    error(create(client, people.gridworker, **fields), 422, field=field)


def test_create_derives_birth_and_sex_and_masks(person: dict) -> None:
    assert person["birth_date"] == "1980-01-01"
    assert person["sex"] == "男"
    assert person["id_number"] == "320722********" + ID[-4:]
    assert person["phone"] == "138****5678"
    assert ID not in str(person) and "13812345678" not in str(person)
    assert person["history"][0]["action"] == "create"


def test_duplicate_is_409_with_the_existing_link(client: Any, people: People, person: dict) -> None:
    body = error(
        create(client, people.village, name="张三"), 409, code="duplicate", field="id_number"
    )
    assert body["link"] == f"/api/v1/people/{person['id']}"
    assert Person.objects.count() == 1


def test_scope_for_person_and_role(client: Any, people: People, person: dict) -> None:
    url = f"/api/v1/people/{person['id']}"
    role = post(client, people.gridworker, f"{url}/roles", {"kind": "floating"}).json()
    for user in (people.other_worker, people.other_township, people.police):
        error(get(client, user, url), 404, code="not_found")
        error(get(client, user, f"{url}/roles/{role['id']}"), 404, code="not_found")
        assert get(client, user, "/api/v1/people").json()["items"] == []
    for user in (people.gridworker, people.village, people.township, people.dispatcher):
        assert get(client, user, url).status_code == 200
        assert get(client, user, f"{url}/roles/{role['id']}").status_code == 200


def test_a_correction_role_is_seen_only_by_holders_and_judicial(
    client: Any, people: People, person: dict
) -> None:
    url = f"/api/v1/people/{person['id']}"
    body = {
        "kind": "correction",
        "care_level": "high",
        "details": {"category": "缓刑", "starts_on": "2026-01-01", "out_of_control": False},
    }
    response = post(client, people.township, f"{url}/roles", body)
    assert response.status_code == 201, response.content
    role = response.json()
    AuditLog.objects.all().delete()
    for user in (people.gridworker, people.village, people.township, people.judicial):
        detail = get(client, user, url).json()
        assert [r["kind"] for r in detail["roles"]] == ["correction"], user
        assert get(client, user, f"{url}/roles/{role['id']}").status_code == 200
    reads = AuditLog.objects.filter(action="registers.special.read", target_id=str(person["id"]))
    assert sorted(reads.values_list("actor__username", flat=True)) == sorted(
        ["gridworker", "village", "township", "judicial"] * 2
    )
    # The county center sees the person but not the special group; health does not see them.
    assert get(client, people.dispatcher, url).json()["roles"] == []
    error(get(client, people.dispatcher, f"{url}/roles/{role['id']}"), 404)
    error(get(client, people.health, url), 404)
    error(get(client, people.dispatcher, "/api/v1/people?role=correction"), 403, field="role")
    listed = get(client, people.judicial, "/api/v1/people?role=correction").json()["items"]
    assert [p["id"] for p in listed] == [person["id"]]
    assert AuditLog.objects.filter(action="registers.special.list", actor=people.judicial).exists()


def test_role_details_are_validated(client: Any, people: People, person: dict) -> None:
    url = f"/api/v1/people/{person['id']}/roles"
    for details, field in (
        ({"category": "死刑"}, "details.category"),
        ({"starts_on": "yesterday"}, "details.starts_on"),
        ({"unknown": "x"}, "details.unknown"),
    ):
        error(
            post(client, people.gridworker, url, {"kind": "correction", "details": details}),
            422,
            field=field,
        )
    error(post(client, people.gridworker, url, {"kind": "witch"}), 422, field="kind")
    error(
        post(client, people.gridworker, url, {"kind": "drug", "care_level": "x"}),
        422,
        field="care_level",
    )


def test_reveal_is_audited_and_needs_the_permission(
    client: Any, people: People, person: dict
) -> None:
    url = f"/api/v1/people/{person['id']}/reveal"
    error(post(client, people.gridworker, url, {"field": "id_number"}), 403)
    answer = post(client, people.village, url, {"field": "id_number"}).json()
    assert answer == {"field": "id_number", "value": ID}
    assert (
        AuditLog.objects.filter(
            action="personal_data.reveal", actor=people.village, target_id=str(person["id"])
        ).count()
        == 1
    )
    error(post(client, people.other_township, url, {"field": "id_number"}), 404)


def test_list_is_masked_and_q_rules(client: Any, people: People, person: dict) -> None:
    items = get(client, people.village, "/api/v1/people").json()["items"]
    assert items[0]["id_number"] == person["id_number"] and items[0]["phone"] == "138****5678"
    assert len(get(client, people.village, f"/api/v1/people?q={ID}").json()["items"]) == 1
    assert len(get(client, people.village, "/api/v1/people?q=13812345678").json()["items"]) == 1
    error(get(client, people.village, "/api/v1/people?q=张伟"), 422, field="q")
    named = get(client, people.village, "/api/v1/people?q=张伟&grid=32072290100101")
    assert len(named.json()["items"]) == 1


def test_update_and_archive_keep_history(client: Any, people: People, person: dict) -> None:
    url = f"/api/v1/people/{person['id']}"
    response = client.patch(
        url,
        '{"occupation": "农民", "phone": "13900001111"}',
        content_type="application/json",
        **auth(people.gridworker),
    )
    assert response.status_code == 200, response.content
    change = PersonChange.objects.filter(action="update").get()
    assert change.changes["phone"] == ["138****5678", "139****1111"]
    archived = post(client, people.gridworker, f"{url}/archive", {"why": "迁出"}).json()
    assert archived["archived"] is True and Person.objects.filter(pk=person["id"]).exists()
    assert AuditLog.objects.filter(action="registers.person.archive").count() == 1


def test_a_county_reader_who_works_with_a_group_still_sees_everyone(
    client: Any, people: People, person: dict
) -> None:
    from zhili.registers.selectors import people_visible, worked_kinds

    # The county leader works with the key petitioners: that adds them, it hides no one.
    assert worked_kinds(people.leader)
    assert list(people_visible(people.leader).values_list("pk", flat=True)) == [person["id"]]
    assert get(client, people.leader, f"/api/v1/people/{person['id']}").status_code == 200


def test_the_key_petitioner_role_is_kept_by_the_petition_register_only(
    client: Any, people: People, person: dict
) -> None:
    from zhili.registers.models import PersonRole

    url = f"/api/v1/people/{person['id']}/roles"
    refused = post(client, people.gridworker, url, {"kind": "key_petitioner"})
    error(refused, 409, code="kept_elsewhere", field="kind")
    # One the petition office opened (registers.services.kept_role_open) is not the grid's
    # to change or end either.
    role = PersonRole.objects.create(person_id=person["id"], kind="key_petitioner")
    changed = client.patch(
        f"{url}/{role.pk}",
        '{"care_level": "low"}',
        content_type="application/json",
        **auth(people.gridworker),
    )
    error(changed, 409, code="kept_elsewhere", field="kind")
    ended = post(client, people.gridworker, f"{url}/{role.pk}/end", {"why": "已稳定"})
    error(ended, 409, code="kept_elsewhere", field="kind")
    role.refresh_from_db()
    assert (role.care_level, role.ended_at) == ("normal", None)
