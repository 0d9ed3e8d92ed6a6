"""Rows near a point: the `near=lat,lng,radius_m` filter the lists share (cameras, forces).

A row is any model with `lat` and `lng` columns (WGS84 degrees). The database narrows the
rows to a bounding box; the exact great-circle distance is computed here.
"""

import math
from dataclasses import dataclass
from typing import TypeVar

from django.db import models
from django.db.models import QuerySet

from zhili.core.dossier.pages import pack_cursor, unpack_cursor
from zhili.core.errors import InvalidInput
from zhili.core.geo import EARTH_RADIUS_M, distance_m

MAX_RADIUS_M = 100_000
M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Near:
    lat: float
    lng: float
    radius_m: float


def parse_near(text: str) -> Near:
    """`lat,lng,radius_m` (WGS84 degrees, metres); a 422 naming `near` otherwise."""
    parts = text.split(",")
    try:
        lat, lng, radius = (float(p) for p in parts)
    except ValueError as exc:
        raise InvalidInput(
            "near 应为 lat,lng,radius_m（纬度、经度、半径米数），如 34.52,118.77,500", field="near"
        ) from exc
    if not all(math.isfinite(v) for v in (lat, lng, radius)):
        raise InvalidInput("near 的数值无效", field="near")
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise InvalidInput("near 的纬度或经度超出范围", field="near")
    if not 0 < radius <= MAX_RADIUS_M:
        raise InvalidInput(f"near 的半径应在 0 到 {MAX_RADIUS_M} 米之间", field="near")
    return Near(lat, lng, radius)


def nearest(rows: QuerySet[M], near: Near) -> list[tuple[float, int]]:
    """(distance in metres rounded to the millimetre, id) of the rows within the radius,
    nearest first: a bounding box in SQL, the exact distance here."""
    dlat = math.degrees(near.radius_m / EARTH_RADIUS_M)
    cos_lat = max(math.cos(math.radians(near.lat)), 1e-6)
    dlng = min(180.0, dlat / cos_lat)
    box = rows.filter(
        lat__gte=near.lat - dlat,
        lat__lte=near.lat + dlat,
        lng__gte=near.lng - dlng,
        lng__lte=near.lng + dlng,
    )
    found = []
    for pk, lat, lng in box.values_list("id", "lat", "lng"):
        if lat is None or lng is None:  # the box leaves none out; for the type checker
            continue
        d = round(distance_m(near.lat, near.lng, lat, lng), 3)
        if d <= near.radius_m:
            found.append((d, pk))
    return sorted(found)


def _distance_and_pk(parts: list[str]) -> tuple[float, int]:
    distance, pk = parts
    return float(distance), int(pk)


def near_page(
    rows: QuerySet[M], near: Near, *, cursor: str, size: int
) -> tuple[list[M], str | None]:
    """A page of `rows` within the radius, nearest first, after `cursor` (the distance and id
    of the previous page's last row); each row carries its `distance_m`."""
    found = nearest(rows, near)
    if cursor:
        start = unpack_cursor(cursor, _distance_and_pk)
        found = [key for key in found if key > start]
    chosen = found[:size]
    by_pk = rows.in_bulk([pk for _d, pk in chosen])
    page = []
    for distance, pk in chosen:
        row = by_pk[pk]
        row.distance_m = distance  # type: ignore[attr-defined]
        page.append(row)
    more = len(found) > size
    return page, pack_cursor(f"{chosen[-1][0]:.3f}", chosen[-1][1]) if more else None
