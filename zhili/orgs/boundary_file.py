"""Reading an official boundary file (区划边界): a GeoJSON FeatureCollection whose features
each name one unit and carry its Polygon or MultiPolygon in WGS84 longitude and latitude.

No database here: `read_features` turns the file's bytes into checked features, and
`match_units` finds each feature's unit among those given; both raise `InvalidInput` naming
the part at fault (``file``, ``crs``, ``features[3].geometry``, ``features[3].properties.code``
...) with a message in Chinese that says what to do. The service
(`zhili.orgs.services.boundaries_import`) reads the units in scope and writes the boundaries.
"""

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import shapely
from django.core.files.uploadedfile import UploadedFile

from zhili.core.errors import InvalidInput
from zhili.orgs.models import Organization

MAX_BYTES = 20 * 1024 * 1024
MAX_MB = MAX_BYTES // 1024 // 1024
# The property that names a feature's unit: its code first, else its name. Compared without
# case, so ADCODE and XZQDM (第三次全国国土调查's 行政区代码) are found too.
CODE_KEYS = ("code", "区划代码", "行政区划代码", "adcode", "xzqdm", "qhdm")
NAME_KEYS = ("name", "名称", "区划名称", "xzqmc", "qhmc")
# A `crs` member (GeoJSON 2008) naming one of these is longitude and latitude: WGS84, or
# CGCS2000 (EPSG:4490), which differs from WGS84 by centimetres.
LNG_LAT_CRS = ("CRS84", "4326", "4490")
# Coordinates are kept to 1e-7 degree (about 1 cm): finer adds bytes, not precision.
GRID_SIZE = 1e-7
POLYGONAL = {"Polygon", "MultiPolygon"}


@dataclass(frozen=True)
class FileFeature:
    """One feature of the file, checked: `index` is its position in ``features``."""

    index: int
    code: str
    code_key: str  # the property as spelled in the file ("" when there is no code)
    name: str
    name_key: str
    geometry: shapely.Geometry
    repaired: str  # why the polygon was invalid before make_valid, "" when it was valid

    @property
    def where(self) -> str:
        return f"features[{self.index}]"

    @property
    def label(self) -> str:
        return f"第 {self.index + 1} 个要素（features[{self.index}]）"


def upload_content(upload: UploadedFile, *, field: str = "file") -> bytes:
    """The bytes of an uploaded boundary file, refused (422 naming `field`) when empty or
    larger than `MAX_BYTES` before it is read."""
    size = upload.size or 0
    if size > MAX_BYTES:
        raise InvalidInput(
            f"文件“{upload.name}”超过 {MAX_MB} MB，请分乡镇拆分后分批上传", field=field
        )
    content = upload.read()
    if not content:
        raise InvalidInput(f"文件“{upload.name}”是空文件", field=field)
    return content


def read_features(content: bytes) -> list[FileFeature]:
    if len(content) > MAX_BYTES:
        raise InvalidInput(f"文件超过 {MAX_MB} MB，请分乡镇拆分后分批上传", field="file")
    document = _parse(content)
    _check_crs(document.get("crs"))
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise InvalidInput("文件中没有要素（features 为空或缺失）", field="features")
    return [_feature(index, feature) for index, feature in enumerate(features)]


def _parse(content: bytes) -> dict[str, object]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("gb18030", errors="replace")  # files saved by Chinese GIS tools
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"文件不是有效的 GeoJSON：第 {exc.lineno} 行第 {exc.colno} 列无法解析（{exc.msg}）",
            field="file",
        ) from exc
    except RecursionError as exc:
        raise InvalidInput("文件不是有效的 GeoJSON：嵌套层数过多", field="file") from exc
    kind = document.get("type") if isinstance(document, dict) else type(document).__name__
    if kind != "FeatureCollection":
        raise InvalidInput(
            f"文件应为 GeoJSON 要素集合（FeatureCollection），实际为 {str(kind)[:40]}",
            field="type",
        )
    return document


def _check_crs(crs: object) -> None:
    if crs is None:
        return
    properties = crs.get("properties") if isinstance(crs, dict) else None
    name = str(properties.get("name", "")) if isinstance(properties, dict) else ""
    if not any(tag in name.upper() for tag in LNG_LAT_CRS):
        raise InvalidInput(
            f"文件声明的坐标系“{name[:80] or crs}”不是经纬度坐标（WGS84 或 CGCS2000）："
            "请在 GIS 软件中导出为 WGS84 经纬度（EPSG:4326）后再上传",
            field="crs",
        )


def _feature(index: int, feature: object) -> FileFeature:
    where, label = f"features[{index}]", f"第 {index + 1} 个要素（features[{index}]）"
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise InvalidInput(f"{label}不是 GeoJSON 要素（Feature）", field=where)
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        raise InvalidInput(f"{label}的属性（properties）不是对象", field=f"{where}.properties")
    code_key, code = _property(properties, CODE_KEYS)
    name_key, name = _property(properties, NAME_KEYS)
    if not code and not name:
        raise InvalidInput(
            f"{label}没有指明单位：请在属性中填写 code（单位编码，如 320722003），"
            "也可用 区划代码、行政区划代码、adcode、XZQDM，或填写唯一的单位名称 name",
            field=f"{where}.properties.code",
        )
    geometry, repaired = _geometry(feature.get("geometry"), where=where, label=label)
    return FileFeature(index, code, code_key, name, name_key, geometry, repaired)


def _property(properties: Mapping[str, object], keys: tuple[str, ...]) -> tuple[str, str]:
    """The first of `keys` the properties hold with a value (any case): (key as spelled,
    value as text); ("", "") when none does."""
    spelled = {str(k).strip().lower(): k for k in properties}
    for key in keys:
        original = spelled.get(key)
        if original is None:
            continue
        value = properties[original]
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a code stored as a number by a spreadsheet
        text = "" if value is None or isinstance(value, dict | list) else str(value).strip()
        if text:
            return str(original), text[:100]
    return "", ""


def _geometry(value: object, *, where: str, label: str) -> tuple[shapely.Geometry, str]:
    field = f"{where}.geometry"
    if not isinstance(value, dict):
        raise InvalidInput(f"{label}缺少几何（geometry）", field=field)
    kind = value.get("type")
    if kind not in POLYGONAL:
        raise InvalidInput(
            f"{label}的几何类型应为 Polygon 或 MultiPolygon，实际为 {str(kind)[:40]}",
            field=f"{field}.type",
        )
    try:
        geom = shapely.force_2d(shapely.geometry.shape(value))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise _bad_coordinates(label, field, f"坐标无法组成多边形（{str(exc)[:80]}）") from exc
    except shapely.errors.GEOSException as exc:
        raise _bad_coordinates(label, field, f"坐标无法组成多边形（{str(exc)[:80]}）") from exc
    if geom.is_empty:
        raise InvalidInput(f"{label}的几何为空", field=f"{field}.coordinates")
    _check_lng_lat(shapely.get_coordinates(geom), label=label, field=field)
    return _valid(geom, label=label, field=field)


def _bad_coordinates(label: str, field: str, what: str) -> InvalidInput:
    return InvalidInput(f"{label}的{what}", field=f"{field}.coordinates")


def _check_lng_lat(xy: np.ndarray, *, label: str, field: str) -> None:
    if not np.isfinite(xy).all():
        raise _bad_coordinates(label, field, "坐标含有非数字的值")
    lng, lat = np.abs(xy[:, 0]), np.abs(xy[:, 1])
    if (lng <= 180).all() and (lat <= 90).all():
        return
    x, y = (_number(v) for v in xy[int(np.argmax(np.maximum(lng / 180, lat / 90)))])
    sample = f"（如 {x}, {y}）"
    if max(lng.max(), lat.max()) > 1000:
        what = (
            f"坐标{sample}超出经纬度范围：文件使用的似乎是投影坐标（单位为米），"
            "请在 GIS 软件中转换为 WGS84 经纬度（EPSG:4326）后再上传"
        )
    elif (lng <= 90).all() and (lat <= 180).all():
        what = f"坐标{sample}的纬度超出 ±90°：顺序似乎是 [纬度, 经度]，GeoJSON 要求 [经度, 纬度]"
    else:
        what = f"坐标{sample}超出经纬度范围（经度 ±180°，纬度 ±90°）"
    raise _bad_coordinates(label, field, what)


def _number(value: float) -> str:
    return f"{value:.7f}".rstrip("0").rstrip(".")


def _valid(geom: shapely.Geometry, *, label: str, field: str) -> tuple[shapely.Geometry, str]:
    """`geom` on the 1 cm grid, made valid when it is not, with the reason it was not."""
    repaired = "" if geom.is_valid else shapely.is_valid_reason(geom)
    if repaired:
        geom = _polygonal(shapely.make_valid(geom))
    geom = _polygonal(shapely.set_precision(geom, GRID_SIZE))
    if geom.is_empty or geom.area == 0 or not math.isfinite(geom.area):
        reason = f"（{repaired}）" if repaired else ""
        raise InvalidInput(f"{label}的多边形面积为零或无法修复{reason}", field=field)
    return shapely.orient_polygons(geom), repaired


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygons of `geom` (make_valid may add the lines where a ring touched itself)."""
    if geom.geom_type in POLYGONAL:
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in POLYGONAL]
    return shapely.union_all(parts) if parts else shapely.Polygon()


# --- which unit each feature names ------------------------------------------------------------


def match_units(
    features: list[FileFeature], units: list[Organization]
) -> list[tuple[FileFeature, Organization]]:
    """Each feature's unit among `units` (those the uploader may change), by its code, else
    by a name only one of them has; InvalidInput naming the first feature that has none, or
    whose unit an earlier feature already named."""
    by_code = {u.code: u for u in units}
    by_name: dict[str, list[Organization]] = {}
    for unit in units:
        for label in {unit.name, unit.area_name} - {""}:
            by_name.setdefault(label, []).append(unit)
    seen: dict[int, FileFeature] = {}
    matched = []
    for feature in features:
        unit = _unit_of(feature, by_code, by_name)
        if unit.pk in seen:
            first = seen[unit.pk]
            raise InvalidInput(
                f"{feature.label}与{first.label}指向同一单位“{unit.display_area}”（{unit.code}）："
                "一个单位只能有一个要素，飞地请合并为 MultiPolygon",
                field=_unit_field(feature),
            )
        seen[unit.pk] = feature
        matched.append((feature, unit))
    return matched


def _unit_field(feature: FileFeature) -> str:
    return f"{feature.where}.properties.{feature.code_key or feature.name_key}"


def _code_candidates(code: str) -> list[str]:
    """`code`, then, for a statistical code padded with zeros (320722003000 for a township,
    a 19-digit 坐落单位代码 for a village), the code without its padding."""
    candidates = [code]
    if code.isdigit():
        candidates += [code[:n] for n in (12, 9, 6) if len(code) > n and set(code[n:]) == {"0"}]
    return candidates


def _unit_of(
    feature: FileFeature, by_code: dict[str, Organization], by_name: dict[str, list[Organization]]
) -> Organization:
    field = _unit_field(feature)
    if feature.code:
        for code in _code_candidates(feature.code):
            if code in by_code:
                return by_code[code]
        raise InvalidInput(
            f"{feature.label}的区划代码“{feature.code}”在您的管辖范围内没有对应的"
            "县、乡镇或村（社区）综治中心",
            field=field,
        )
    found = by_name.get(feature.name, [])
    if len(found) == 1:
        return found[0]
    if found:
        names = "、".join(f"{u.name}（{u.code}）" for u in found[:5])
        raise InvalidInput(
            f"{feature.label}的名称“{feature.name}”对应多个单位：{names}；请在属性中填写区划代码 code",
            field=field,
        )
    raise InvalidInput(
        f"{feature.label}的名称“{feature.name}”在您的管辖范围内没有对应的单位；"
        "请在属性中填写区划代码 code",
        field=field,
    )
