"""The houses and places pages in a real browser: the houses map draws the grids and the
placed houses as a layer (let houses orange, an unfixed hazard ringed red), a click opens the
house; the house page's tenant form; the places' lists, forms and pages; editing a house and
a place (the form prefilled, the history's old → new). Screenshots go to
$ZHILI_SHOTS when set. Run with `pytest -m browser`."""

from typing import Any

from zhili.registers import houses, records
from zhili.registers.places import BY_SLUG
from zhili.registers.tests.conftest import People
from zhili.registers.tests.test_browser import shot
from zhili.registers.tests.test_houses import GRID, make_person
from zhili.registers.tests.test_places import BODIES
from zhili.web.tests.conftest import (  # noqa: F401 - fixtures
    BROWSER,
    browser,
    login,
    page,
    session_cookies,
)

pytestmark = BROWSER

# Inside the fixture tree's grid 32072290100101 (118.70-118.71, 34.50-34.51).
POINTS = [(34.503, 118.703), (34.507, 118.706)]


def seed(people: People) -> tuple[Any, Any, Any]:
    owner = make_person(people.village, "王建国", "111")
    tenant = make_person(people.village, "李小红", "222")
    values = {
        "grid": GRID,
        "use": "home",
        "ownership": "private",
        "structure": "brick_concrete",
        "area_m2": "120",
        "owner_id": owner.pk,
    }
    own = houses.house_create(
        actor=people.village,
        values={**values, "address": "甲一村东组12号", "lat": POINTS[0][0], "lng": POINTS[0][1]},
    )
    let = houses.house_create(
        actor=people.village,
        values={**values, "address": "甲一村东组14号", "lat": POINTS[1][0], "lng": POINTS[1][1]},
    )
    houses.tenancy_add(
        actor=people.village, house_id=let.pk, person_id=tenant.pk, starts_on="2026-01-01"
    )
    houses.hazard_add(
        actor=people.village, house_id=let.pk, found_on="2026-01-05", description="私拉乱接电线"
    )
    return own, let, tenant


def test_the_houses_map_layer(page: Any, live_server: Any, people: People) -> None:  # noqa: F811
    own, let, _ = seed(people)
    login(page, live_server.url, "village")
    page.goto(f"{live_server.url}/registers/houses/map/?grid={GRID}")
    page.wait_for_selector("#house-map[data-loaded=true]")
    count = page.get_by_test_id("house-map-count").inner_text()
    assert "共 2 处房屋" in count and "出租房屋 1 处" in count
    drawn = page.evaluate(
        """() => {
        const out = [];
        window.zhiliHouseMap.houses.eachLayer((m) => out.push({
          id: m.options.houseId, fill: m.options.fillColor, ring: m.options.color,
          lat: m.getLatLng().lat, lng: m.getLatLng().lng}));
        return {houses: out, grids: window.zhiliHouseMap.grids.getLayers().length};
      }"""
    )
    by_id = {h["id"]: h for h in drawn["houses"]}
    assert set(by_id) == {own.pk, let.pk}
    assert by_id[let.pk]["fill"] == "#ef6c00" and by_id[let.pk]["ring"] == "#c62828"
    assert by_id[own.pk]["fill"] == "#1565c0"
    assert (by_id[own.pk]["lat"], by_id[own.pk]["lng"]) == POINTS[0]
    assert drawn["grids"] >= 1  # the grids under the houses
    shot(page, "house-map")
    # A click on a house opens its popup, whose link is the house page.
    point = page.evaluate(
        f"""() => {{
        let found = null;
        window.zhiliHouseMap.houses.eachLayer((m) => {{ if (m.options.houseId === {let.pk}) found = m; }});
        const p = window.zhiliHouseMap.map.latLngToContainerPoint(found.getLatLng());
        const box = document.getElementById('house-map').getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
      }}"""
    )
    page.mouse.click(point[0], point[1])
    page.get_by_role("link", name="甲一村东组14号").click()
    page.get_by_test_id("house-tenants").wait_for()
    assert "李小红" in page.get_by_test_id("house-tenants").inner_text()


def test_house_and_place_pages(page: Any, live_server: Any, people: People) -> None:  # noqa: F811
    own, let, tenant = seed(people)
    for slug, body in BODIES.items():
        values = {"grid": GRID, "address": "甲镇人民路8号", **body}
        records.place_create(actor=people.village, kind=BY_SLUG[slug], values=values)
    login(page, live_server.url, "gridworker")
    page.goto(f"{live_server.url}/registers/houses/")
    page.get_by_test_id(f"house-{let.pk}").wait_for()
    assert "1 处" in page.get_by_test_id(f"house-{let.pk}").inner_text()
    shot(page, "houses")
    page.get_by_test_id("house-new").click()
    page.get_by_test_id("record-form").wait_for()
    shot(page, "house-new")
    page.goto(f"{live_server.url}/registers/houses/{own.pk}/")
    page.fill("#id_tenancy-id_number", tenant.id_number)
    page.fill("#id_tenancy-starts_on", "2026-02-01")
    page.get_by_test_id("tenancy-submit").click()
    page.wait_for_load_state()
    assert "李小红" in page.get_by_test_id("house-tenants").inner_text()
    assert tenant.id_number not in page.content()
    shot(page, "house")
    page.goto(f"{live_server.url}/registers/people/{tenant.pk}/")
    houses_text = page.get_by_test_id("person-houses").inner_text()
    assert "甲一村东组12号" in houses_text and "甲一村东组14号" in houses_text
    shot(page, "person-houses")
    for slug, body in BODIES.items():
        page.goto(f"{live_server.url}/registers/{slug}/")
        page.get_by_role("link", name=body["name"]).click()
        page.get_by_test_id("place-facts").wait_for()
        shot(page, f"{slug}-detail")
        page.goto(f"{live_server.url}/registers/{slug}/")
        shot(page, slug)
        page.get_by_test_id("place-new").click()
        page.get_by_test_id("record-form").wait_for()
        shot(page, f"{slug}-new")


def test_house_and_place_edit(page: Any, live_server: Any, people: People) -> None:  # noqa: F811
    own, _, _ = seed(people)
    values = {"grid": GRID, "address": "甲镇人民路8号", **BODIES["schools"]}
    school = records.place_create(actor=people.village, kind="school", values=values)
    login(page, live_server.url, "gridworker")
    page.goto(f"{live_server.url}/registers/houses/{own.pk}/")
    page.get_by_test_id("record-edit").click()
    page.get_by_test_id("record-form").wait_for()
    assert page.input_value("#id_address") == "甲一村东组12号"
    assert page.input_value("#id_area_m2") == "120.00"
    assert page.input_value("#id_owner_id_number").startswith("320722********")
    shot(page, "house-edit")
    page.fill("#id_area_m2", "135")
    page.select_option("#id_use", "shop")
    page.get_by_test_id("record-submit").click()
    page.get_by_test_id("house-facts").wait_for()
    assert "商用" in page.get_by_test_id("house-facts").inner_text()
    history = page.get_by_test_id("record-history").inner_text()
    assert "建筑面积（平方米）：120.00 → 135.00" in history and "房屋用途：自住 → 商用" in history
    shot(page, "house-edited")
    page.goto(f"{live_server.url}/registers/schools/{school.pk}/")
    page.get_by_test_id("record-edit").click()
    page.get_by_test_id("record-form").wait_for()
    assert page.input_value("[name='details.students']") == "1260"
    shot(page, "school-edit")
    page.fill("[name='details.students']", "1300")
    page.get_by_test_id("record-submit").click()
    page.get_by_test_id("place-facts").wait_for()
    assert "在校学生数：1260 → 1300" in page.get_by_test_id("record-history").inner_text()
