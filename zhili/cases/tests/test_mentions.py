"""一人一档 and 一案一码 on cases: a case's tracking code opens it for whoever may see it; a case
names the people and houses it concerns (the registers' links), suggested by the caller's
phone, never by a name; a person's detail lists the cases naming them, within sight."""

from typing import Any

import pytest

from zhili.cases.tests.test_api import auth, error, get, post
from zhili.core.models import AuditLog
from zhili.registers import services as registers
from zhili.registers.models import Mention
from zhili.registers.tests.conftest import id_number

PHONE = "13912345678"  # the caller's phone on the `register` fixture's cases


@pytest.fixture
def resident(staff: Any, tree: Any) -> Any:
    """A person of grid G111 whose phone is the caller's."""
    tree.g111.workers.add(staff.gridworker)
    values = {"id_number": id_number(seq="456"), "name": "王建国", "grid": tree.g111.code}
    return registers.person_create(actor=staff.gridworker, values={**values, "phone": PHONE})


def links(client: Any, user: Any, code: str) -> Any:
    return get(client, user, f"/api/v1/dossiers/{code}/mentions")


def test_the_code_opens_the_case_for_whoever_may_see_it(
    client: Any, staff: Any, register: Any
) -> None:
    case = register()
    client.force_login(staff.dispatcher)
    answer = client.get(f"/d/{case.case_no}/")
    assert (answer.status_code, answer["Location"]) == (302, f"/cases/{case.case_no}/")
    client.force_login(staff.t2_officer)  # another township's: as if it did not exist
    assert client.get(f"/d/{case.case_no}/").status_code == 404
    assert client.get("/d/DH20990101-99999/").status_code == 404
    client.logout()
    assert client.get(f"/d/{case.case_no}/")["Location"].startswith("/login/")


def test_the_callers_phone_suggests_the_person_and_a_link_names_them(
    client: Any, staff: Any, register: Any, resident: Any
) -> None:
    case = register()
    shown = links(client, staff.dispatcher, case.case_no).json()
    assert shown["dossier"]["code"] == case.case_no
    assert shown["dossier"]["qr"].endswith(f"/d/{case.case_no}/")
    assert [p["id"] for p in shown["suggested"]] == [resident.pk]
    assert shown["suggested"][0]["phone"] == "139****5678"
    assert resident.id_number not in str(shown)

    body = {"person": resident.pk, "relation": "reporter"}
    made = post(client, staff.dispatcher, f"/api/v1/dossiers/{case.case_no}/mentions", body)
    assert made.status_code == 201, made.content
    assert made.json()["person"]["name"] == "王建国"
    again = post(client, staff.dispatcher, f"/api/v1/dossiers/{case.case_no}/mentions", body)
    error(again, 409, "duplicate", field="person")

    shown = links(client, staff.dispatcher, case.case_no).json()
    assert [m["person"]["id"] for m in shown["people"]] == [resident.pk]
    assert shown["suggested"] == [] and shown["hidden"] == 0
    # On the case's own timeline, without the person's name; and audited.
    step = case.events.get(action="mention")
    assert step.note == "关联人员（反映人）" and "王建国" not in step.note
    assert AuditLog.objects.filter(action="registers.mention.add", actor=staff.dispatcher).exists()

    # 一人一档: the person's detail lists the case, for whoever sees both.
    detail = get(client, staff.dispatcher, f"/api/v1/people/{resident.pk}").json()
    assert [(r["code"], r["relation"]) for r in detail["records"]] == [(case.case_no, "反映人")]
    assert detail["records"][0]["page"] == f"/cases/{case.case_no}/"


def test_each_viewer_sees_only_what_is_theirs(
    client: Any, staff: Any, register: Any, resident: Any
) -> None:
    case = register()
    body = {"person": resident.pk, "relation": "party"}
    assert (
        post(
            client, staff.dispatcher, f"/api/v1/dossiers/{case.case_no}/mentions", body
        ).status_code
        == 201
    )
    # Another township's officer sees neither the case nor its links.
    error(links(client, staff.t2_officer, case.case_no), 404, field="code")
    # The grid worker holds the person but not the case: the person's records leave it out.
    case_seen = get(client, staff.gridworker, f"/api/v1/cases/{case.case_no}").status_code == 200
    detail = get(client, staff.gridworker, f"/api/v1/people/{resident.pk}").json()
    assert [r["code"] for r in detail["records"]] == ([case.case_no] if case_seen else [])


def test_an_unlink_keeps_the_row_and_a_new_link_may_follow(
    client: Any, staff: Any, register: Any, resident: Any
) -> None:
    case = register()
    url = f"/api/v1/dossiers/{case.case_no}/mentions"
    made = post(client, staff.dispatcher, url, {"person": resident.pk}).json()
    assert made["relation"] == "concerned"
    gone = client.delete(f"{url}/{made['id']}", **auth(staff.dispatcher))
    assert gone.status_code == 204
    assert links(client, staff.dispatcher, case.case_no).json()["people"] == []
    row = Mention.objects.get(pk=made["id"])
    assert row.removed_at is not None and row.removed_by == staff.dispatcher
    assert case.events.filter(action="unmention").exists()
    error(client.delete(f"{url}/{made['id']}", **auth(staff.dispatcher)), 404, field="mention")
    assert post(client, staff.dispatcher, url, {"person": resident.pk}).status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "person"),
        ({"person": 1, "house": 1}, "person"),
        ({"person": 1, "relation": "house"}, "relation"),
        ({"person": 1, "relation": "boss"}, "relation"),
    ],
)
def test_bad_links_are_422_naming_the_field(
    client: Any, staff: Any, register: Any, resident: Any, body: dict, field: str
) -> None:
    case = register()
    body = {**body, "person": resident.pk} if "person" in body else body
    answer = post(client, staff.dispatcher, f"/api/v1/dossiers/{case.case_no}/mentions", body)
    error(answer, 422, field=field)
    assert not Mention.objects.exists()


def test_the_search_matches_an_exact_id_number_or_phone_never_a_name(
    client: Any, staff: Any, resident: Any
) -> None:
    found = get(client, staff.dispatcher, f"/api/v1/people/match?phone={PHONE}").json()
    assert [p["id"] for p in found] == [resident.pk] and found[0]["id_number"].count("*") >= 8
    found = get(client, staff.dispatcher, f"/api/v1/people/match?id_number={resident.id_number}")
    assert [p["id"] for p in found.json()] == [resident.pk]
    error(get(client, staff.dispatcher, "/api/v1/people/match"), 422, field="id_number")
    error(
        get(client, staff.dispatcher, "/api/v1/people/match?id_number=320722198001011234"),
        422,
        field="id_number",
    )
    error(get(client, staff.dispatcher, "/api/v1/people/match?phone=123"), 422, field="phone")
    assert get(client, staff.t2_officer, f"/api/v1/people/match?phone={PHONE}").json() == []


def test_the_case_page_shows_its_code_and_links_a_suggested_person(
    client: Any, staff: Any, register: Any, resident: Any
) -> None:
    case = register()
    client.force_login(staff.dispatcher)
    page = client.get(f"/cases/{case.case_no}/").content.decode()
    assert 'data-testid="dossier-code"' in page and f"/d/{case.case_no}/" in page
    assert "<svg" in page.split('data-testid="dossier-qr"')[1][:400]  # the QR itself
    assert 'data-testid="suggested-person"' in page and "王建国" in page
    assert resident.id_number not in page and PHONE not in page.split("dossier-links")[1]

    back = f"/cases/{case.case_no}/"
    answer = client.post(
        f"/registers/links/{case.case_no}/add/",
        {"person": resident.pk, "relation": "reporter", "next": back},
    )
    assert (answer.status_code, answer["Location"]) == (302, back)
    page = client.get(back).content.decode()
    assert 'data-testid="linked-person"' in page and 'data-testid="suggested-person"' not in page
    assert "关联人员或房屋" in page  # the timeline's step, named
    # An address elsewhere is not followed: back to the dossier's page.
    answer = client.post(
        f"/registers/links/{case.case_no}/add/",
        {"person": resident.pk, "next": "https://example.org/"},
    )
    assert answer["Location"] == back
    person_page = client.get(f"/registers/people/{resident.pk}/").content.decode()
    assert case.case_no in person_page.split('data-testid="person-records"')[1]


def test_the_find_page_searches_exactly_and_says_what_is_wrong(
    client: Any, staff: Any, register: Any, resident: Any
) -> None:
    case = register()
    client.force_login(staff.dispatcher)
    found = client.get(f"/registers/links/{case.case_no}/", {"q": PHONE}).content.decode()
    assert found.count('data-testid="found-person"') == 1 and "王建国" in found
    by_name = client.get(f"/registers/links/{case.case_no}/", {"q": "王建国"})
    assert 'data-testid="found-person"' not in by_name.content.decode()  # a name is an address
    bad = client.get(f"/registers/links/{case.case_no}/", {"q": "320722198001011234"})
    assert bad.status_code == 422 and "身份" in bad.content.decode()
    client.force_login(staff.t2_officer)
    assert client.get(f"/registers/links/{case.case_no}/", {"q": PHONE}).status_code == 404


def test_the_demo_makes_residents_the_callers_of_earlier_cases(
    staff: Any, tree: Any, register: Any
) -> None:
    from zhili.registers import demo

    tree.g111.workers.add(staff.gridworker)
    residents = [
        registers.person_create(
            actor=staff.gridworker,
            values={
                "id_number": id_number(seq=f"{n:03d}"),
                "name": f"居民{n}",
                "grid": tree.g111.code,
            },
        )
        for n in range(7)
    ]
    cases = [register(reporter_phone=f"1391234{n:04d}") for n in range(7)]
    assert demo._links(residents) == demo.LINKED_PER_KIND
    linked = Mention.objects.order_by("pk")
    assert [m.code for m in linked] == [c.case_no for c in cases[: demo.LINKED_PER_KIND]]
    phones = [m.person.phone if m.person else "" for m in linked]
    assert phones == [c.reporter_phone for c in cases[: demo.LINKED_PER_KIND]]
    # The next ones are left for the case page to suggest.
    residents[demo.LINKED_PER_KIND].refresh_from_db()
    assert residents[demo.LINKED_PER_KIND].phone == cases[demo.LINKED_PER_KIND].reporter_phone
    assert cases[0].events.filter(action="mention").count() == 1


def test_a_persons_records_cost_the_same_queries_however_many(
    staff: Any, register: Any, resident: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhili.registers.mentions import mention_add, records_naming

    def cost() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            named = records_naming(staff.dispatcher, person=resident)
        return len(named), len(queries)

    for n in range(5):
        case = register()
        mention_add(
            actor=staff.dispatcher, code=case.case_no, person_id=resident.pk, relation="party"
        )
        if n == 0:
            one = cost()
    five = cost()
    assert (one[0], five[0]) == (1, 5)
    assert five[1] == one[1], (one, five)
