"""The houses and places pages: the create forms (errors shown by the field), the house page's
tenants and hazards, archive, the person's houses (一人一档), the map's points, and 404 for a
record out of sight."""

from typing import Any

import pytest

from zhili.registers import houses, records
from zhili.registers.models import House, Place
from zhili.registers.places import BY_SLUG
from zhili.registers.tests.conftest import People
from zhili.registers.tests.test_houses import GRID, make_person
from zhili.registers.tests.test_places import BODIES, CODE


def make_house(user: Any, **fields: Any) -> House:
    values = {
        "grid": GRID,
        "address": "甲一村西组3号",
        "use": "rental",
        "ownership": "private",
        "structure": "brick_wood",
        "area_m2": "88",
        "lat": 34.503,
        "lng": 118.703,
        **fields,
    }
    return houses.house_create(actor=user, values=values)


def test_house_form_creates_and_names_bad_fields(client: Any, people: People) -> None:
    owner = make_person(people.village, "刘强", "444")
    client.force_login(people.gridworker)
    page = client.get("/registers/houses/new/").content.decode()
    assert "登记房屋" in page and "甲一村 · 甲一村1号网格" in page
    assert "甲一村2号网格" not in page  # another worker's grid is not offered
    form = {
        "grid": GRID,
        "address": "甲一村东组7号",
        "use": "home",
        "ownership": "private",
        "structure": "concrete",
        "area_m2": "abc",
        "owner_id_number": "320722198001019999",
    }
    response = client.post("/registers/houses/new/", form)
    assert response.status_code == 400
    assert 'data-testid="error-area_m2"' in response.content.decode()
    response = client.post("/registers/houses/new/", {**form, "area_m2": "96.5"})
    assert 'data-testid="error-owner_id_number"' in response.content.decode()
    assert not House.objects.exists()
    response = client.post(
        "/registers/houses/new/", {**form, "area_m2": "96.5", "owner_id_number": owner.id_number}
    )
    house = House.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/registers/houses/{house.pk}/"
    assert house.owner == owner and house.area_m2 == 96.5


def test_house_page_tenants_hazards_and_archive(client: Any, people: People) -> None:
    owner = make_person(people.village, "刘强", "444")
    tenant = make_person(people.village, "陈静", "555")
    house = make_house(people.village, owner_id=owner.pk)
    url = f"/registers/houses/{house.pk}/"
    client.force_login(people.gridworker)
    step = {
        "step": "tenancy",
        "tenancy-id_number": tenant.id_number,
        "tenancy-starts_on": "2026-02-01",
    }
    assert client.post(url, step).status_code == 302
    bad = {**step, "tenancy-id_number": "320722198001010000"}
    assert "实有人口中未找到" in client.post(url, bad).content.decode()
    hazard = {
        "step": "hazard",
        "hazard-found_on": "2026-02-03",
        "hazard-description": "楼道堆放杂物",
    }
    assert client.post(url, hazard).status_code == 302
    page = client.get(url).content.decode()
    assert "陈静" in page and tenant.id_number not in page and "楼道堆放杂物" in page
    assert "出租房屋" in page and "未整改" in page and "登记承租人" in page
    # 一人一档: both people's pages name the house.
    client.force_login(people.village)
    for person, relation in ((owner, "房主"), (tenant, "承租人")):
        person_page = client.get(f"/registers/people/{person.pk}/").content.decode()
        assert "甲一村西组3号" in person_page and relation in person_page
    archive = {"step": "archive", "archive-why": "危房拆除"}
    assert client.post(url, archive).status_code == 302
    house.refresh_from_db()
    assert house.archived and House.objects.filter(pk=house.pk).exists()
    page = client.get(url).content.decode()
    assert "已注销" in page and "危房拆除" in page and "tenancy-submit" not in page


def test_out_of_sight_is_404_and_the_map_points_are_scoped(client: Any, people: People) -> None:
    house = make_house(people.village)
    make_house(people.village, address="甲一村南组1号", lat=None, lng=None)  # not placed
    client.force_login(people.village)
    points = client.get("/registers/houses/map/points/").json()
    assert [row[0] for row in points["houses"]] == [house.pk]
    assert "房屋地图" in client.get("/registers/houses/map/").content.decode()
    client.force_login(people.other_township)
    assert client.get(f"/registers/houses/{house.pk}/").status_code == 404
    assert client.get("/registers/houses/map/points/").json()["houses"] == []
    assert "甲一村西组3号" not in client.get("/registers/houses/").content.decode()


@pytest.mark.parametrize("slug", list(BODIES))
def test_place_forms_lists_and_pages(client: Any, people: People, slug: str) -> None:
    kind = BY_SLUG[slug]
    client.force_login(people.gridworker)
    page = client.get(f"/registers/{slug}/new/").content.decode()
    assert "登记" in page and 'name="details.' in page
    body = BODIES[slug]
    form = {"grid": GRID, "address": "甲镇人民路8号", "name": body["name"]}
    for key, value in body["details"].items():
        form[f"details.{key}"] = value
    if "credit_code" in body:
        bad = {**form, "credit_code": CODE[:17] + ("0" if CODE[17] != "0" else "1")}
        response = client.post(f"/registers/{slug}/new/", bad)
        assert response.status_code == 400
        assert 'data-testid="error-credit_code"' in response.content.decode()
        form["credit_code"] = CODE
    response = client.post(f"/registers/{slug}/new/", form)
    assert response.status_code == 302, response.content.decode()
    place = Place.objects.get(kind=kind)
    assert place.details == body["details"]
    listed = client.get(f"/registers/{slug}/").content.decode()
    assert body["name"] in listed
    detail = client.get(f"/registers/{slug}/{place.pk}/").content.decode()
    assert body["name"] in detail and "注销" in detail
    client.force_login(people.other_township)
    assert client.get(f"/registers/{slug}/{place.pk}/").status_code == 404
    assert body["name"] not in client.get(f"/registers/{slug}/").content.decode()


def test_place_archive_from_its_page(client: Any, people: People) -> None:
    values = {"grid": GRID, "address": "甲镇", **BODIES["schools"]}
    place = records.place_create(actor=people.village, kind="school", values=values)
    client.force_login(people.township)
    url = f"/registers/schools/{place.pk}/"
    assert client.post(url, {"archive-why": ""}).status_code == 400
    assert client.post(url, {"archive-why": "撤并"}).status_code == 302
    place.refresh_from_db()
    assert place.archived and place.archived_why == "撤并"
