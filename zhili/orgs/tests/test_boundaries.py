"""区划边界: the official file's import (all or nothing, each bad feature named), the scoped
GeoJSON read, and the administrators' page.

The fixture tree's units are squares of 0.01 degree near 118.7°E 34.5°N (zhili/conftest.py):
T1 holds V11 (two grids) and V12, T2 holds V21.
"""

import json
from typing import Any

import pytest
import shapely
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from zhili.conftest import Tree, square
from zhili.core import stamps
from zhili.core.errors import Forbidden, InvalidInput
from zhili.core.models import AuditLog
from zhili.core.roles import Role
from zhili.orgs import boundary_file, services
from zhili.orgs.models import Boundary, BoundarySource, Organization, User

pytestmark = pytest.mark.django_db

URL = "/api/v1/orgs/boundaries"


def rect(lng: float, lat: float, width: float, height: float = 0.01) -> dict[str, Any]:
    ring = [[lng, lat], [lng + width, lat], [lng + width, lat + height], [lng, lat + height]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def feature(geometry: dict[str, Any] | None, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features: dict[str, Any], **members: Any) -> bytes:
    document = {"type": "FeatureCollection", **members, "features": list(features)}
    return json.dumps(document, ensure_ascii=False).encode()


def official(tree: Tree) -> bytes:
    """T1 and its two villages, as a county's natural resources bureau would send them."""
    return collection(
        feature(rect(118.70, 34.50, 0.03), code=tree.t1.code, name="甲镇"),
        feature(rect(118.70, 34.50, 0.02), code=tree.v11.code, name="甲一村"),
        feature(rect(118.72, 34.50, 0.01), code=tree.v12.code, name="甲二村"),
    )


def schematic(unit: Organization, geometry: dict[str, Any]) -> Boundary:
    fields = services.geometry_fields(shapely.geometry.shape(geometry))
    return Boundary.objects.create(organization=unit, source=BoundarySource.SCHEMATIC, **fields)


def refused(actor: User, content: bytes) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        services.boundaries_import(actor=actor, name="边界.geojson", content=content)
    return caught.value


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(content: bytes, name: str = "东海县村级界线.geojson") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/geo+json")


# --- the import ------------------------------------------------------------------------------


def test_a_good_file_adds_the_units_and_says_which_are_still_missing(personas, tree):
    content = official(tree)
    result = services.boundaries_import(
        actor=personas.admin, name="C:\\gis\\东海县村级界线.geojson", content=content
    )
    assert result.added == {"township": 1, "village": 2} and result.created
    assert result.replaced == {} and result.unchanged == {} and result.repaired == []
    assert {u.code for u in result.missing} == {tree.t2.code, tree.v21.code}
    assert result.file_name == "东海县村级界线.geojson"
    boundary = Boundary.objects.get(organization=tree.v11)
    assert boundary.source == BoundarySource.OFFICIAL
    assert (boundary.uploaded_by, boundary.file_name) == (personas.admin, result.file_name)
    assert boundary.file_sha256 == result.sha256 and len(result.sha256) == 64
    assert (boundary.min_lng, boundary.max_lng) == pytest.approx((118.70, 118.72))
    assert boundary.area_km2 == pytest.approx(2 * 1.11 * 0.92, rel=0.02)
    row = AuditLog.objects.get(action="orgs.boundaries.import")
    assert row.actor == personas.admin
    assert row.extra["file_name"] == result.file_name and row.extra["sha256"] == result.sha256
    assert row.extra["added"] == [tree.t1.code, tree.v11.code, tree.v12.code]


def test_replacing_a_schematic_boundary_is_counted_and_audited(personas, tree):
    schematic(tree.t1, rect(118.70, 34.50, 0.03))
    result = services.boundaries_import(
        actor=personas.admin, name="a.geojson", content=official(tree)
    )
    assert result.replaced == {"township": 1} and result.added == {"village": 2}
    assert Boundary.objects.get(organization=tree.t1).source == BoundarySource.OFFICIAL
    replaced = AuditLog.objects.get(action="orgs.boundaries.import").extra["replaced"]
    assert replaced == [{"code": tree.t1.code, "source": "schematic", "sha256": ""}]
    assert Boundary.objects.count() == 3  # one per unit, still


def test_the_same_file_again_changes_nothing(personas, tree):
    services.boundaries_import(actor=personas.admin, name="a.geojson", content=official(tree))
    again = services.boundaries_import(
        actor=personas.admin, name="a.geojson", content=official(tree)
    )
    assert again.unchanged == {"township": 1, "village": 2}
    assert again.added == again.replaced == {} and not again.created


def test_a_feature_of_the_wrong_type_is_named_by_its_index(personas, tree):
    point = {"type": "Point", "coordinates": [118.7, 34.5]}
    content = collection(
        feature(rect(118.70, 34.50, 0.03), code=tree.t1.code),
        feature(point, code=tree.v11.code),
    )
    error = refused(personas.admin, content)
    assert error.status == 422 and error.field == "features[1].geometry.type"
    assert "第 2 个要素" in error.message and "Point" in error.message


def test_nothing_is_written_when_one_feature_is_bad(personas, tree):
    before = schematic(tree.t1, rect(118.70, 34.50, 0.03))
    content = collection(
        feature(rect(118.70, 34.50, 0.02), code=tree.t1.code),
        feature(rect(118.70, 34.50, 0.02), code=tree.v11.code),
        feature(rect(118.72, 34.50, 0.01), code="320722901099"),  # no such village
    )
    error = refused(personas.admin, content)
    assert error.field == "features[2].properties.code" and "320722901099" in error.message
    assert list(Boundary.objects.values_list("organization_id", "source", "area_km2")) == [
        (tree.t1.pk, "schematic", before.area_km2)
    ]
    assert not AuditLog.objects.filter(action="orgs.boundaries.import").exists()


def test_projected_coordinates_are_refused_saying_so(personas, tree):
    metres = rect(512_000, 3_820_000, 1_000, 1_000)
    error = refused(personas.admin, collection(feature(metres, code=tree.t1.code)))
    assert error.field == "features[0].geometry.coordinates"
    assert "投影坐标" in error.message and "EPSG:4326" in error.message


def test_latitude_and_longitude_swapped_are_refused_saying_so(personas, tree):
    swapped = {
        "type": "Polygon",
        "coordinates": [[[34.5, 118.7], [34.5, 118.8], [34.6, 118.8], [34.5, 118.7]]],
    }
    error = refused(personas.admin, collection(feature(swapped, code=tree.t1.code)))
    assert error.field == "features[0].geometry.coordinates" and "[经度, 纬度]" in error.message


def test_a_projected_crs_member_is_refused(personas, tree):
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4549"}}
    content = collection(feature(rect(118.70, 34.50, 0.03), code=tree.t1.code), crs=crs)
    error = refused(personas.admin, content)
    assert error.field == "crs" and "EPSG::4549" in error.message
    cgcs2000 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4490"}}
    content = collection(feature(rect(118.70, 34.50, 0.03), code=tree.t1.code), crs=cgcs2000)
    assert services.boundaries_import(actor=personas.admin, name="a", content=content).created


def test_a_unit_out_of_scope_is_answered_as_one_that_does_not_exist(personas, tree, make_user):
    township_admin = make_user("t1admin", tree.t1, Role.ADMIN)
    out_of_scope = refused(
        township_admin, collection(feature(rect(118.70, 34.51, 0.01), code=tree.v21.code))
    )
    unknown = refused(
        township_admin, collection(feature(rect(118.70, 34.51, 0.01), code="320722901077"))
    )
    assert out_of_scope.field == unknown.field == "features[0].properties.code"
    assert out_of_scope.status == unknown.status == 422
    assert out_of_scope.message.replace(tree.v21.code, "X") == unknown.message.replace(
        "320722901077", "X"
    )
    within = collection(feature(rect(118.70, 34.50, 0.02), code=tree.v11.code))
    result = services.boundaries_import(actor=township_admin, name="a", content=within)
    assert {u.code for u in result.missing} == {tree.t1.code, tree.v12.code}  # T2's not listed


def test_a_department_is_not_a_unit_with_a_boundary(personas, tree):
    error = refused(
        personas.admin, collection(feature(rect(118.7, 34.5, 0.01), code=tree.gaj.code))
    )
    assert error.field == "features[0].properties.code"


def test_only_an_administrator_may_import(personas, tree):
    for persona in (personas.township, personas.dispatcher, personas.leader):
        with pytest.raises(Forbidden):
            services.boundaries_import(actor=persona, name="a", content=official(tree))
    assert not Boundary.objects.exists()


@pytest.mark.parametrize(
    ("properties", "unit"),
    [
        ({"区划代码": "320722901"}, "t1"),
        ({"ADCODE": 320722901001}, "v11"),  # a number, any case
        ({"XZQDM": "320722901002"}, "v12"),
        ({"code": "320722901000"}, "t1"),  # a statistical code padded with zeros
        ({"code": "3207229010010000000"}, "v11"),  # a 19-digit 坐落单位代码
        ({"name": "乙一村"}, "v21"),  # no code: a name unique in scope
        ({"NAME": "甲镇综治中心", "code": ""}, "t1"),
    ],
)
def test_the_unit_is_named_by_any_common_property(personas, tree, properties, unit):
    content = collection(feature(rect(118.70, 34.50, 0.01), **properties))
    services.boundaries_import(actor=personas.admin, name="a", content=content)
    assert Boundary.objects.get().organization == getattr(tree, unit)


def test_a_name_held_by_two_units_asks_for_the_code(personas, tree):
    Organization.objects.filter(pk=tree.v21.pk).update(name="甲一村", area_name="甲一村")
    error = refused(personas.admin, collection(feature(rect(118.7, 34.5, 0.01), name="甲一村")))
    assert error.field == "features[0].properties.name"
    assert "对应多个单位" in error.message and "code" in error.message


def test_a_feature_naming_no_unit_is_refused(personas, tree):
    error = refused(personas.admin, collection(feature(rect(118.7, 34.5, 0.01), 面积=3)))
    assert error.field == "features[0].properties.code" and "区划代码" in error.message


def test_two_features_for_one_unit_are_refused(personas, tree):
    content = collection(
        feature(rect(118.70, 34.50, 0.01), code=tree.v11.code),
        feature(rect(118.71, 34.50, 0.01), adcode=tree.v11.code),
    )
    error = refused(personas.admin, content)
    assert error.field == "features[1].properties.adcode" and "MultiPolygon" in error.message


def test_an_invalid_polygon_is_made_valid_and_reported(personas, tree):
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[118.70, 34.50], [118.72, 34.51], [118.72, 34.50], [118.70, 34.51], [118.70, 34.50]]
        ],
    }
    content = collection(feature(bowtie, code=tree.v11.code))
    result = services.boundaries_import(actor=personas.admin, name="a", content=content)
    assert result.repaired == [
        {"feature": 0, "code": tree.v11.code, "reason": result.repaired[0]["reason"]}
    ]
    assert "Self-intersection" in result.repaired[0]["reason"]
    stored = shapely.geometry.shape(Boundary.objects.get().geometry)
    assert stored.is_valid and stored.geom_type == "MultiPolygon" and stored.area > 0


@pytest.mark.parametrize(
    ("content", "field", "words"),
    [
        (b"{not json", "file", "无法解析"),
        (b"\xef\xbb\xbf[]", "type", "FeatureCollection"),
        (json.dumps({"type": "Feature"}).encode(), "type", "Feature"),
        (collection(), "features", "没有要素"),
        (collection({"type": "Feature"}), "features[0].properties.code", "code"),
        (collection(feature(None, code="320722901")), "features[0].geometry", "缺少几何"),
        (
            collection(feature({"type": "Polygon", "coordinates": [[[1, 2]]]}, code="320722901")),
            "features[0].geometry.coordinates",
            "无法组成多边形",
        ),
        (
            collection(feature(rect(118.7, 34.5, 0.0, 0.0), code="320722901")),
            "features[0].geometry",
            "面积为零",
        ),
        (collection(["a"]), "features[0]", "不是 GeoJSON 要素"),
    ],
)
def test_a_malformed_file_is_refused_naming_the_part(personas, tree, content, field, words):
    error = refused(personas.admin, content)
    assert (error.field, error.status) == (field, 422)
    assert words in error.message


def test_a_file_over_the_limit_is_refused(personas, tree, monkeypatch):
    monkeypatch.setattr(boundary_file, "MAX_BYTES", 100)
    error = refused(personas.admin, official(tree))
    assert error.field == "file" and "MB" in error.message


def test_a_file_saved_in_gbk_is_read(personas, tree):
    content = collection(feature(rect(118.7, 34.5, 0.01), 名称="乙一村")).decode()
    services.boundaries_import(actor=personas.admin, name="a", content=content.encode("gbk"))
    assert Boundary.objects.get().organization == tree.v21


# --- the API: read ---------------------------------------------------------------------------


@pytest.fixture
def drawn(tree: Tree) -> Tree:
    """Schematic boundaries for the whole fixture tree: the county, T1, T2 and the villages."""
    for unit, geometry in [
        (tree.county, rect(118.70, 34.50, 0.03, 0.02)),
        (tree.t1, rect(118.70, 34.50, 0.03)),
        (tree.t2, square(118.70, 34.51)),
        (tree.v11, rect(118.70, 34.50, 0.02)),
        (tree.v12, square(118.72, 34.50)),
        (tree.v21, square(118.70, 34.51)),
    ]:
        schematic(unit, geometry)
    stamps.bump(services.BOUNDARY_STAMP)
    return tree


def codes(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    body = json.loads(response.content)
    assert body["type"] == "FeatureCollection"
    return {f["properties"]["code"] for f in body["features"]}


def test_a_township_sees_its_own_boundaries_only(personas, drawn):
    client = client_for(personas.township)
    assert codes(client.get(URL)) == {drawn.t1.code, drawn.v11.code, drawn.v12.code}
    assert codes(client.get(URL, {"level": "village"})) == {drawn.v11.code, drawn.v12.code}
    assert codes(client.get(URL, {"level": "township"})) == {drawn.t1.code}
    other = client.get(URL, {"within": drawn.t2.code})  # another township's: never
    unknown = client.get(URL, {"within": "320722999"})
    assert other.status_code == unknown.status_code == 404
    assert (
        other.json()
        == unknown.json()
        == {"detail": "单位不存在", "code": "not_found", "field": "within"}
    )


def test_the_county_sees_every_township_and_a_villages_within_one(personas, drawn):
    client = client_for(personas.dispatcher)
    assert codes(client.get(URL, {"level": "township"})) == {drawn.t1.code, drawn.t2.code}
    assert codes(client.get(URL, {"level": "village", "within": drawn.t2.code})) == {drawn.v21.code}
    assert len(codes(client.get(URL))) == 6


def test_a_village_sees_itself_and_a_department_nothing(personas, drawn):
    assert codes(client_for(personas.village).get(URL)) == {drawn.v11.code}
    assert codes(client_for(personas.police).get(URL)) == set()


def test_the_features_carry_code_name_level_and_source(personas, drawn):
    body = client_for(personas.township).get(URL, {"level": "village"}).json()
    first = next(f for f in body["features"] if f["id"] == drawn.v11.code)
    assert first["properties"] == {
        "code": drawn.v11.code,
        "name": "甲一村",
        "level": "village",
        "parent": drawn.t1.code,
        "source": "schematic",
        "area_km2": first["properties"]["area_km2"],
    }
    assert shapely.geometry.shape(first["geometry"]).equals(
        shapely.geometry.shape(rect(118.70, 34.50, 0.02))
    )


def test_an_unchanged_collection_answers_304_and_a_change_a_new_etag(personas, drawn):
    client = client_for(personas.dispatcher)
    first = client.get(URL, {"level": "township"})
    etag = first["ETag"]
    assert first["Cache-Control"] == "private, no-cache"
    again = client.get(URL, {"level": "township"}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert client.get(URL, {"level": "village"})["ETag"] != etag  # another selection
    services.boundaries_import(actor=personas.admin, name="a", content=official(drawn))
    changed = client.get(URL, {"level": "township"}, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    sources = {
        f["properties"]["code"]: f["properties"]["source"] for f in changed.json()["features"]
    }
    assert sources == {drawn.t1.code: "official", drawn.t2.code: "schematic"}


def test_the_read_needs_a_login_and_a_known_level(personas, drawn):
    assert Client().get(URL).status_code == 401
    bad = client_for(personas.dispatcher).get(URL, {"level": "grid"})
    assert bad.status_code == 422 and bad.json()["field"] == "level"


def test_the_url_names_are_stable():
    assert reverse("api:boundary_collection") == URL
    assert reverse("api:boundaries_import") == URL
    assert reverse("orgs:boundaries") == "/orgs/boundaries/"


# --- the API: upload -------------------------------------------------------------------------


def test_upload_answers_201_then_200_with_the_counts(personas, tree, bearer):
    client = Client(headers=bearer(personas.admin))
    first = client.post(URL, {"file": upload(official(tree))})
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["added"] == {"county": 0, "township": 1, "village": 2}
    assert body["file_name"] == "东海县村级界线.geojson" and len(body["sha256"]) == 64
    assert {u["code"] for u in body["missing"]} == {tree.t2.code, tree.v21.code}
    second = client.post(URL, {"file": upload(official(tree))})
    assert second.status_code == 200 and second.json()["unchanged"]["village"] == 2


def test_upload_refuses_a_bad_feature_with_a_422_naming_it(personas, tree, bearer):
    metres = rect(512_000, 3_820_000, 1_000, 1_000)
    content = collection(
        feature(rect(118.7, 34.5, 0.01), code=tree.v11.code), feature(metres, code=tree.v12.code)
    )
    response = Client(headers=bearer(personas.admin)).post(URL, {"file": upload(content)})
    assert response.status_code == 422
    assert response.json()["field"] == "features[1].geometry.coordinates"
    assert "投影坐标" in response.json()["detail"]
    assert not Boundary.objects.exists()


def test_upload_is_for_administrators_only(personas, tree, bearer):
    response = Client(headers=bearer(personas.township)).post(URL, {"file": upload(official(tree))})
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert not Boundary.objects.exists()


def test_upload_over_the_limit_is_refused_before_reading(personas, tree, bearer, monkeypatch):
    monkeypatch.setattr(boundary_file, "MAX_BYTES", 100)
    response = Client(headers=bearer(personas.admin)).post(URL, {"file": upload(official(tree))})
    assert response.status_code == 422
    assert response.json()["field"] == "file" and "MB" in response.json()["detail"]


def test_upload_without_a_file_names_the_field(personas, tree, bearer):
    response = Client(headers=bearer(personas.admin)).post(URL, {})
    assert response.status_code == 422 and response.json()["field"] == "file"


# --- the page --------------------------------------------------------------------------------

PAGE = "/orgs/boundaries/"


def test_the_page_lists_townships_with_their_villages_and_the_sources(personas, drawn):
    services.boundaries_import(actor=personas.admin, name="正式.geojson", content=official(drawn))
    response = client_for(personas.admin).get(PAGE)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>区划边界</h1>" in body and "上传正式边界" in body
    assert f'data-testid="boundary-township-{drawn.t1.code}"' in body
    assert f'data-testid="boundary-village-{drawn.v21.code}"' in body
    assert "正式边界 <strong>1</strong> / 2" in body  # townships
    assert "正式边界 <strong>2</strong> / 3" in body  # villages
    assert 'title="文件：正式.geojson"' in body and personas.admin.display_name in body
    assert "vendor/leaflet/leaflet.js" in body and "orgs/boundaries.js" in body
    assert reverse("api:boundary_collection") in body


def test_the_page_uploads_and_reports(personas, drawn):
    client = client_for(personas.admin)
    response = client.post(PAGE, {"file": upload(official(drawn))}, follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    body = response.content.decode()
    assert "已导入“东海县村级界线.geojson”：新增 0 个，替换 3 个（乡镇 1，村（社区） 2）" in body
    assert "仍有 2 个乡镇、村（社区）没有正式边界" in body  # T2 and V21


def test_the_page_says_which_features_were_repaired(personas, drawn):
    bowtie = [[118.70, 34.50], [118.72, 34.51], [118.72, 34.50], [118.70, 34.51], [118.70, 34.50]]
    content = collection(feature({"type": "Polygon", "coordinates": [bowtie]}, code=drawn.v11.code))
    response = client_for(personas.admin).post(PAGE, {"file": upload(content)}, follow=True)
    body = response.content.decode()
    assert "以下要素的多边形无效，已自动修复" in body
    assert f"features[0]（{drawn.v11.code}）：Self-intersection" in body


def test_the_page_shows_a_refused_file_and_where(personas, drawn):
    content = collection(
        feature({"type": "LineString", "coordinates": [[1, 2], [3, 4]]}, code="320722901")
    )
    response = client_for(personas.admin).post(PAGE, {"file": upload(content)})
    assert response.status_code == 422
    body = response.content.decode()
    assert "LineString" in body and "features[0].geometry.type" in body
    assert Boundary.objects.filter(source=BoundarySource.OFFICIAL).count() == 0


def test_the_page_is_for_administrators(personas, drawn):
    assert client_for(personas.township).get(PAGE).status_code == 403
    assert (
        client_for(personas.leader).post(PAGE, {"file": upload(official(drawn))}).status_code == 403
    )
    assert Client().get(PAGE).status_code == 302


def test_the_navigation_links_the_page_for_administrators_only(personas, tree):
    admin = client_for(personas.admin).get(reverse("orgs:tree")).content.decode()
    township = client_for(personas.township).get(reverse("orgs:tree")).content.decode()
    assert f'href="{PAGE}"' in admin and f'href="{PAGE}"' not in township
