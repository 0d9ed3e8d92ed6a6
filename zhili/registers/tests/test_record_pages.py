"""The houses and places pages: the create forms (errors shown by the field), the edit forms
(prefilled, the history showing each change's old and new values), the house page's tenants
and hazards, archive, the person's houses (一人一档), the map's points, and 404 for a record
out of sight."""

from decimal import Decimal
from typing import Any

import pytest

from zhili.core.personal import mask_id_number
from zhili.registers import houses, records
from zhili.registers.models import House, Place
from zhili.registers.places import BY_SLUG, PLACE_KINDS
from zhili.registers.tests.conftest import People
from zhili.registers.tests.test_houses import GRID, make_person
from zhili.registers.tests.test_places import BODIES, CODE, UPDATES


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


def house_form(house: House, **fields: Any) -> dict:
    """The edit form as the page prefills it, with `fields` changed."""
    owner = mask_id_number(house.owner.id_number) if house.owner else ""
    form = {
        "grid": house.grid.code,
        "address": house.address,
        "lat": house.lat,
        "lng": house.lng,
        "use": house.use,
        "ownership": house.ownership,
        "structure": house.structure,
        "area_m2": house.area_m2,
        "owner_id_number": owner,
        **fields,
    }
    return {k: v for k, v in form.items() if v is not None}


def test_house_edit_form_is_prefilled_and_the_history_shows_the_change(
    client: Any, people: People
) -> None:
    owner = make_person(people.village, "刘强", "444")
    house = make_house(people.village, owner_id=owner.pk)
    url, edit = f"/registers/houses/{house.pk}/", f"/registers/houses/{house.pk}/edit/"
    client.force_login(people.gridworker)
    assert f'href="{edit}"' in client.get(url).content.decode()
    page = client.get(edit).content.decode()
    assert "编辑房屋" in page and 'value="甲一村西组3号"' in page and "保存修改" in page
    assert '<option value="rental" selected>' in page and 'value="88.00"' in page
    # The owner as the house page shows them: masked, never in full.
    assert f'value="{mask_id_number(owner.id_number)}"' in page and owner.id_number not in page
    bad = client.post(edit, house_form(house, area_m2="abc"))
    assert bad.status_code == 400 and 'data-testid="error-area_m2"' in bad.content.decode()
    unknown = client.post(edit, house_form(house, owner_id_number="320722198001019999"))
    assert 'data-testid="error-owner_id_number"' in unknown.content.decode()
    response = client.post(edit, house_form(house, use="shop", area_m2="95.5"))
    assert response.status_code == 302 and response["Location"] == url
    house.refresh_from_db()
    assert (house.use, house.area_m2, house.owner) == ("shop", Decimal("95.50"), owner)
    history = client.get(url).content.decode()
    assert "修改" in history and "房屋用途：</span>出租 → 商用" in history
    assert "建筑面积（平方米）：</span>88.00 → 95.50" in history
    # An emptied owner's number leaves the house without an owner, named in the history.
    assert client.post(edit, house_form(house, owner_id_number="")).status_code == 302
    house.refresh_from_db()
    assert house.owner is None
    assert "房主：</span>刘强 → —" in client.get(url).content.decode()


def test_house_edit_is_the_keepers_and_refused_once_archived(client: Any, people: People) -> None:
    house = make_house(people.village)
    edit = f"/registers/houses/{house.pk}/edit/"
    client.force_login(people.other_township)
    assert client.get(edit).status_code == 404
    client.force_login(people.dispatcher)  # reads the house, does not keep it
    assert client.get(edit).status_code in (403, 404)
    assert "record-edit" not in client.get(f"/registers/houses/{house.pk}/").content.decode()
    houses.house_archive(actor=people.village, house_id=house.pk, why="危房拆除")
    client.force_login(people.gridworker)
    assert "record-edit" not in client.get(f"/registers/houses/{house.pk}/").content.decode()
    refused = client.get(edit)
    assert refused.status_code == 409 and "该房屋已注销，不能修改" in refused.content.decode()
    assert "record-submit" not in refused.content.decode()
    assert client.post(edit, house_form(house, use="shop")).status_code == 409
    house.refresh_from_db()
    assert house.use == "rental"


def place_form(slug: str, **details: Any) -> dict:
    body = BODIES[slug]
    form = {"grid": GRID, "address": "甲镇人民路8号", "name": body["name"]}
    if "credit_code" in body:
        form["credit_code"] = body["credit_code"]
    facts = {**body["details"], **details}
    form.update({f"details.{k}": v for k, v in facts.items() if v is not None})
    return form


@pytest.mark.parametrize("slug", list(BODIES))
def test_place_edit_form_is_prefilled_and_the_history_shows_the_change(
    client: Any, people: People, slug: str
) -> None:
    values = {"grid": GRID, "address": "甲镇人民路8号", **BODIES[slug]}
    place = records.place_create(actor=people.village, kind=BY_SLUG[slug], values=values)
    url, edit = f"/registers/{slug}/{place.pk}/", f"/registers/{slug}/{place.pk}/edit/"
    client.force_login(people.gridworker)
    assert f'href="{edit}"' in client.get(url).content.decode()
    page = client.get(edit).content.decode()
    assert f'value="{BODIES[slug]["name"]}"' in page and "保存修改" in page
    key, old, new = UPDATES[slug]
    assert f'name="details.{key}"' in page and str(old) in page
    response = client.post(edit, place_form(slug, **{key: new}))
    assert response.status_code == 302 and response["Location"] == url
    place.refresh_from_db()
    assert place.details == {**BODIES[slug]["details"], key: new}
    label = PLACE_KINDS[BY_SLUG[slug]].fields[key].label
    assert f"{label}：</span>{old} → {new}" in client.get(url).content.decode()
    client.force_login(people.other_township)
    assert client.get(edit).status_code == 404


def test_place_edit_clears_an_emptied_fact_and_names_a_bad_one(client: Any, people: People) -> None:
    slug = "organizations-registry"
    values = {"grid": GRID, "address": "甲镇人民路8号", **BODIES[slug]}
    place = records.place_create(actor=people.village, kind="organization", values=values)
    edit = f"/registers/{slug}/{place.pk}/edit/"
    client.force_login(people.village)
    bad = client.post(edit, place_form(slug, legal_representative=None))
    assert bad.status_code == 400
    assert 'data-testid="error-details.legal_representative"' in bad.content.decode()
    assert client.post(edit, place_form(slug, hazardous_goods=None)).status_code == 302
    place.refresh_from_db()
    assert "hazardous_goods" not in place.details
    page = client.get(f"/registers/{slug}/{place.pk}/").content.decode()
    assert "危险物品情况：</span>氢氟酸 2 吨 → —" in page
