"""Plain-Python GeoJSON polygons: validation, bounding boxes and point-in-polygon, without a GIS stack.

Coordinates are WGS84 longitude/latitude as in RFC 7946. A geometry is stored as the GeoJSON object itself
(Polygon or MultiPolygon); rings are closed lists of [lon, lat] positions, the first ring of a polygon its outer
boundary and any further rings its holes.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from typing import Any

Ring = Sequence[Sequence[float]]
Polygon = Sequence[Ring]
BBox = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat


class GeometryError(ValueError):
    """A geometry that is not a valid GeoJSON (Multi)Polygon in WGS84."""


def polygons(geometry: dict[str, Any]) -> list[Polygon]:
    """The polygons of a Polygon or MultiPolygon, after checking that they are well formed."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        raise GeometryError(f"expected a Polygon or MultiPolygon, got {kind!r}")
    if not isinstance(coordinates, list) or not coordinates:
        raise GeometryError("the geometry has no coordinates")
    result = [coordinates] if kind == "Polygon" else coordinates
    for polygon in result:
        _check_polygon(polygon)
    return result


def _check_polygon(polygon: Any) -> None:
    if not isinstance(polygon, list) or not polygon:
        raise GeometryError("a polygon needs at least one ring")
    for ring in polygon:
        if not isinstance(ring, list) or len(ring) < 4:
            raise GeometryError("a ring needs at least four positions")
        for position in ring:
            if (
                not isinstance(position, list | tuple)
                or len(position) < 2
                or not all(isinstance(c, int | float) and math.isfinite(c) for c in position[:2])
            ):
                raise GeometryError(f"not a coordinate pair: {position!r}")
            lon, lat = position[0], position[1]
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise GeometryError(f"coordinates out of range for WGS84 longitude/latitude: {position!r}")
        if list(ring[0][:2]) != list(ring[-1][:2]):
            raise GeometryError("a ring must end where it starts")


def bbox(geometry: dict[str, Any]) -> BBox:
    lons: list[float] = []
    lats: list[float] = []
    for polygon in polygons(geometry):
        for position in polygon[0]:
            lons.append(position[0])
            lats.append(position[1])
    return min(lons), min(lats), max(lons), max(lats)


def _ring_contains(ring: Ring, lon: float, lat: float) -> bool:
    """Even-odd rule: count crossings of a ray from the point towards positive longitude."""
    inside = False
    previous = ring[-1]
    for current in ring:
        x1, y1 = previous[0], previous[1]
        x2, y2 = current[0], current[1]
        if (y1 > lat) != (y2 > lat):
            crossing = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lon < crossing:
                inside = not inside
        previous = current
    return inside


def contains(geometry: dict[str, Any], lon: float, lat: float) -> bool:
    """Whether the point lies inside the (multi)polygon: inside an outer ring and outside its holes."""
    for polygon in polygons(geometry):
        if _ring_contains(polygon[0], lon, lat) and not any(_ring_contains(hole, lon, lat) for hole in polygon[1:]):
            return True
    return False


def union_bbox(boxes: Iterable[BBox]) -> BBox | None:
    boxes = list(boxes)
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _distance_to_boundary(polygon: Polygon, lon: float, lat: float, scale: float) -> float:
    """Distance from the point to the nearest edge of the polygon (any ring), in degrees of latitude, with
    longitudes multiplied by `scale` (the cosine of the latitude) so that both axes measure the same."""
    best = math.inf
    px, py = lon * scale, lat
    for ring in polygon:
        for start, end in itertools.pairwise(ring):
            x1, y1, x2, y2 = start[0] * scale, start[1], end[0] * scale, end[1]
            dx, dy = x2 - x1, y2 - y1
            length = dx * dx + dy * dy
            t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - x1) * dx + (py - y1) * dy) / length))
            best = min(best, math.hypot(px - (x1 + t * dx), py - (y1 + t * dy)))
    return best


def _crossings(polygon: Polygon, lat: float) -> list[float]:
    found = []
    for ring in polygon:
        previous = ring[-1]
        for current in ring:
            x1, y1, x2, y2 = previous[0], previous[1], current[0], current[1]
            if (y1 > lat) != (y2 > lat):
                found.append(x1 + (lat - y1) * (x2 - x1) / (y2 - y1))
            previous = current
    return sorted(found)


def representative_point(geometry: dict[str, Any], *, scanlines: int = 24) -> tuple[float, float, float]:
    """A point well inside the (multi)polygon, and its distance to the boundary: (lon, lat, radius in degrees of
    latitude). Unlike the centroid it is always inside, also for a crescent or a polygon with holes. Horizontal
    lines cross the polygon; the middle of every stretch inside is a candidate, and the candidate farthest from the
    boundary wins (an approximation of the centre of the largest inscribed circle)."""
    best = (0.0, 0.0, -1.0)
    for polygon in polygons(geometry):
        lats = [position[1] for position in polygon[0]]
        low, high = min(lats), max(lats)
        scale = math.cos(math.radians((low + high) / 2))
        for step in range(1, scanlines + 1):
            lat = low + (high - low) * step / (scanlines + 1)
            xs = _crossings(polygon, lat)
            for left, right in zip(xs[::2], xs[1::2], strict=False):
                lon = (left + right) / 2
                radius = _distance_to_boundary(polygon, lon, lat, scale)
                if radius > best[2]:
                    best = (lon, lat, radius)
    if best[2] < 0:  # degenerate: no line crossed it; fall back to the middle of the bounding box
        min_lon, min_lat, max_lon, max_lat = bbox(geometry)
        return (min_lon + max_lon) / 2, (min_lat + max_lat) / 2, 0.0
    return best
