"""The Donghai demo seed: its shape, its geometry, its personas and its idempotence.

The demo is loaded once for the module (about a second) and removed afterwards, so the
other test modules, which build their own small tree with the same county code, never see it.
"""

import io
import re
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import shapely
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from zhili.core.models import AuditLog
from zhili.core.roles import Role
from zhili.orgs.demo import data, geometry, loader
from zhili.orgs.models import Boundary, Grid, Organization, User

KM2 = geometry.KM_LNG * geometry.KM_LAT


def _remove_demo() -> None:
    Grid.objects.filter(is_demo=True).delete()
    Boundary.objects.filter(organization__path__startswith=f"/{data.COUNTY}/").delete()
    AuditLog.objects.filter(action="core.demo.load").delete()
    User.objects.filter(is_demo=True).delete()
    county = Organization.objects.filter(path__startswith=f"/{data.COUNTY}/")
    for depth in sorted(set(county.values_list("depth", flat=True)), reverse=True):
        county.filter(depth=depth).delete()


@pytest.fixture(scope="module")
def loaded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock():
        out = io.StringIO()
        started = time.monotonic()
        call_command("demo", "--only", "zhili.orgs", stdout=out)
        elapsed = time.monotonic() - started
        yield {"elapsed": elapsed, "output": out.getvalue()}
        _remove_demo()


pytestmark = [pytest.mark.usefixtures("loaded"), pytest.mark.any_day]


def _counts() -> dict[str, int]:
    return {
        "orgs": Organization.objects.count(),
        "grids": Grid.objects.count(),
        "users": User.objects.count(),
        "workers": Grid.workers.through.objects.count(),
        "memberships": User.groups.through.objects.count(),
        "boundaries": Boundary.objects.count(),
    }


def test_runs_fast_and_reports_progress(loaded: dict[str, Any]) -> None:
    assert loaded["elapsed"] < 60
    assert "[4/8] 村（社区）综治中心 346" in loaded["output"]
    assert "zhili-demo" in loaded["output"]


@pytest.mark.django_db
def test_the_centers_carry_the_generated_population() -> None:
    county = Organization.objects.get(code="320722")
    townships = Organization.objects.filter(level="township", kind="center")
    assert county.population == sum(t.population for t in townships) == 1_250_000


def test_the_login_count_printed_is_the_number_of_logins_listed(loaded: dict[str, Any]) -> None:
    """One "演示账号 N 个" line, followed by a table of N accounts one can log in with."""
    output = loaded["output"]
    counts = re.findall(r"演示账号\s*(\d+)", output)
    assert len(counts) == 1
    table = output.split(f"演示账号 {counts[0]} 个")[1].splitlines()[3:]  # after the header
    rows = [line.split()[0] for line in table if line.strip()]
    assert len(rows) == int(counts[0]) == len(loader.PERSONAS)
    assert "admin" in rows and data.DUTY_SEAT not in rows  # generated staff have no password


@pytest.mark.django_db
def test_county_level_units() -> None:
    county = Organization.objects.get(code="320722")
    assert (county.name, county.area_name, county.kind, county.level, county.division) == (
        "东海县综治中心",
        "东海县",
        "center",
        "county",
        "county",
    )
    children = county.children.all()
    by_kind = Counter(children.values_list("kind", flat=True))
    assert by_kind["office"] == 4 and by_kind["subcenter"] == 7 and by_kind["liaison_office"] == 8
    codes = set(children.values_list("code", flat=True))
    assert {f"320722-{c}" for c, _ in data.DEPARTMENTS} <= codes
    assert {"320722-XFJD", "320722-MDTC", "320722-XXZX", "320722-LL8"} <= codes
    assert all(children.filter(kind="liaison_office").values_list("is_demo", flat=True))
    stations = Organization.objects.filter(parent__code="320722-GAJ")
    assert stations.count() == 21
    assert stations.get(code="320722-GAJ-320722003").name == "白塔埠镇派出所"


@pytest.mark.django_db
def test_townships_and_villages() -> None:
    townships = Organization.objects.filter(level="township", kind="center")
    assert Counter(townships.values_list("division", flat=True)) == {
        "town": 11,
        "township": 6,
        "subdistrict": 2,
        "state_farm": 2,
    }
    codes = list(townships.order_by("code").values_list("code", flat=True))
    assert codes == [f"320722{n:03d}" for n in range(1, 22)]
    assert townships.get(code="320722003").name == "白塔埠镇综治中心"
    farms = townships.filter(division="state_farm").order_by("code")
    assert [f.area_name for f in farms] == ["东海农场", "岗埠农场"]  # the county's two state farms
    assert not townships.filter(is_demo=True).exists()  # the 21 names are all real
    assert not Organization.objects.filter(name__contains="示例").exists()
    villages = Organization.objects.filter(level="village", kind="center")
    assert villages.count() == 346
    for v in villages.select_related("parent"):
        assert v.code.startswith(v.parent.code) and len(v.code) == 12
        assert v.path == f"{v.parent.path}{v.code}/" and v.depth == 2
    names = villages.values_list("parent_id", "area_name")
    assert len(set(names)) == 346  # unique within their township


@pytest.mark.django_db
def test_grids_per_village_and_staff() -> None:
    per_village = Counter(Grid.objects.values_list("village_id", flat=True))
    assert len(per_village) == 346
    assert set(per_village.values()) <= {1, 2, 3, 4}
    assert not Grid.objects.filter(leader__isnull=True).exists()
    workers = Counter(Grid.workers.through.objects.values_list("grid_id", flat=True))
    assert len(workers) == Grid.objects.count()
    first = Grid.objects.get(code=loader.PERSONA_GRID)
    assert first.leader.username == "gridleader"
    assert first.workers.filter(username="gridworker").exists()


def test_geometry_tiles_the_county_without_gaps_or_overlaps() -> None:
    polygons = [p for _, p in geometry.demo_grid_polygons()]
    assert all(p.is_valid and p.geom_type == "Polygon" for p in polygons)
    union = shapely.union_all(polygons)
    assert union.area == pytest.approx(sum(p.area for p in polygons), rel=1e-9)
    assert union.geom_type == "Polygon" and len(union.interiors) == 0
    assert union.area == pytest.approx(geometry.demo_county_outline().area, rel=1e-9)
    assert union.area * KM2 == pytest.approx(2037, rel=0.01)
    west, south, east, north = union.bounds
    assert 60 < (east - west) * geometry.KM_LNG < 80 and 45 < (north - south) * geometry.KM_LAT < 60


@pytest.mark.django_db
def test_stored_grids_match_the_pure_geometry() -> None:
    stored = {g.code: g for g in Grid.objects.all()}
    pure = dict(geometry.demo_grid_polygons())
    assert stored.keys() == pure.keys()
    grid = stored[loader.PERSONA_GRID]
    assert shapely.geometry.shape(grid.geometry).equals(pure[loader.PERSONA_GRID])
    assert (grid.min_lng, grid.min_lat) == pure[loader.PERSONA_GRID].bounds[:2]
    assert sum(g.area_km2 for g in stored.values()) == pytest.approx(2037, rel=0.01)


@pytest.mark.django_db
def test_every_township_and_village_has_its_schematic_boundary() -> None:
    boundaries = Boundary.objects.select_related("organization")
    levels = Counter(b.organization.level for b in boundaries)
    assert levels == {"county": 1, "township": 21, "village": 346}
    assert {b.source for b in boundaries} == {"schematic"}
    assert not boundaries.filter(uploaded_by__isnull=False).exists()
    grids: dict[str, list[shapely.Geometry]] = {}
    for code, polygon in geometry.demo_grid_polygons():
        grids.setdefault(code[:12], []).append(polygon)  # the village's code
        grids.setdefault(code[:9], []).append(polygon)  # the township's
    for boundary in boundaries.exclude(organization__level="county"):
        outline = shapely.geometry.shape(boundary.geometry)
        union = shapely.union_all(grids[boundary.organization.code])
        assert outline.is_valid and outline.geom_type == "Polygon"
        assert outline.symmetric_difference(union).area < 1e-12, boundary.organization.code
    county = shapely.geometry.shape(boundaries.get(organization__level="county").geometry)
    assert county.equals(geometry.demo_county_outline())
    # Lightly simplified: the vertices in the middle of straight edges are gone.
    stored = sum(
        shapely.get_num_coordinates(shapely.geometry.shape(b.geometry)) for b in boundaries
    )
    unions = sum(shapely.get_num_coordinates(shapely.union_all(p)) for p in grids.values())
    assert stored < unions * 0.75


@pytest.mark.django_db
def test_loading_again_keeps_an_official_boundary() -> None:
    township = Boundary.objects.get(organization__code="320722003")
    Boundary.objects.filter(pk=township.pk).update(source="official", file_name="正式.geojson")
    call_command("demo", "--only", "zhili.orgs", stdout=io.StringIO())
    township.refresh_from_db()
    assert (township.source, township.file_name) == ("official", "正式.geojson")
    assert Boundary.objects.count() == 368


@pytest.mark.django_db
def test_the_api_gives_the_demo_townships_boundaries(client: Any) -> None:
    client.force_login(User.objects.get(username="township"))  # 白塔埠镇's officer
    body = client.get("/api/v1/orgs/boundaries", {"level": "village"}).json()
    codes = {f["properties"]["code"] for f in body["features"]}
    assert len(codes) == Organization.objects.filter(parent__code="320722003").count()
    assert all(code.startswith("320722003") for code in codes)


EXPECTED_ORG = {
    "admin": "320722",
    "director": "320722",
    "dispatcher": "320722",
    "leader": "320722",
    "analyst": "320722-XXZX",
    "secretary": "320722003",
    "township": "320722003",
    "village": loader.PERSONA_VILLAGE,
    "gridleader": loader.PERSONA_VILLAGE,
    "gridworker": loader.PERSONA_VILLAGE,
    "police": "320722-GAJ",
    "mediator": "320722-MDTC",
    "petition": "320722-XFJD",
    "tjzr": "320722003",
    "judicial": "320722-SFJ",
    "health": "320722-WJW",
    "beatpolice": "320722-GAJ",
    "unithead": "320722-ZRZYJ",
}


@pytest.mark.django_db
def test_one_persona_per_role_with_a_working_password(settings: Any) -> None:
    settings.ZHILI_ALLOW_DEMO_USERS = True
    personas = User.objects.filter(username__in=EXPECTED_ORG).select_related("organization")
    roles = Counter()
    for user in personas:
        assert user.organization.code == EXPECTED_ORG[user.username]
        roles.update(user.groups.values_list("name", flat=True))
    assert set(roles) == set(Role.values)
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="dispatcher", password="zhili-demo") is not None
    staff = User.objects.get(username="to320722001")
    assert not staff.has_usable_password()


@pytest.mark.django_db
def test_loading_again_changes_nothing() -> None:
    before = _counts()
    out = io.StringIO()
    call_command("demo", "--only", "zhili.orgs", stdout=out)
    assert _counts() == before
    assert "（新建 0）" in out.getvalue()
    assert AuditLog.objects.filter(action="core.demo.load").count() == 2


@pytest.mark.django_db
def test_locate_finds_the_demo_grid(client: Any) -> None:
    client.force_login(User.objects.get(username="dispatcher"))
    code, polygon = next((c, p) for c, p in geometry.demo_grid_polygons() if p.contains(p.centroid))
    point = polygon.centroid
    response = client.get("/api/v1/grids/locate", {"lat": point.y, "lng": point.x})
    assert response.status_code == 200
    assert response.json()["grid"]["code"] == code
    assert response.json()["township"]["code"] == code[:9]
