import json
from pathlib import Path

import pytest

from samen030.places import geometry as geo

BOUNDARY_DATA = Path(__file__).resolve().parents[1] / "data"  # the CBS 2024 files shipped with the app

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]]}
WITH_HOLE = {
    "type": "Polygon",
    "coordinates": [
        [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
        [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
    ],
}
TWO_ISLANDS = {
    "type": "MultiPolygon",
    "coordinates": [
        [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]],
        [[[5, 5], [6, 5], [6, 6], [5, 6], [5, 5]]],
    ],
}


@pytest.mark.parametrize(
    ("geometry", "lon", "lat", "inside"),
    [
        (SQUARE, 5, 5, True),
        (SQUARE, 11, 5, False),
        (SQUARE, -0.001, 5, False),
        (WITH_HOLE, 2, 2, True),
        (WITH_HOLE, 5, 5, False),  # in the hole
        (TWO_ISLANDS, 0.5, 0.5, True),
        (TWO_ISLANDS, 5.5, 5.5, True),
        (TWO_ISLANDS, 3, 3, False),  # between the islands
    ],
)
def test_it_tells_whether_a_point_is_inside(geometry, lon, lat, inside):
    assert geo.contains(geometry, lon, lat) is inside


def test_a_concave_polygon_is_handled():
    # A "U" shape: the notch between the arms is outside.
    u_shape = {
        "type": "Polygon",
        "coordinates": [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]],
    }
    assert geo.contains(u_shape, 0.5, 2)
    assert not geo.contains(u_shape, 1.5, 2)
    assert geo.contains(u_shape, 1.5, 0.5)


def test_bbox_of_a_multipolygon():
    assert geo.bbox(TWO_ISLANDS) == (0, 0, 6, 6)


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "Point", "coordinates": [1, 2]}, "Polygon or MultiPolygon"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0.5]]]}, "end where it starts"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}, "four positions"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [1, 1], [0, 0]]]}, "out of range"),
        ({"type": "Polygon", "coordinates": [[[0, 0], ["a", 0], [1, 1], [0, 0]]]}, "coordinate pair"),
        ({"type": "Polygon", "coordinates": []}, "no coordinates"),
    ],
)
def test_malformed_geometry_is_refused_with_a_reason(geometry, message):
    with pytest.raises(geo.GeometryError, match=message):
        geo.polygons(geometry)


def test_the_representative_point_of_a_u_shape_is_inside_where_the_centroid_is_not():
    # A U open to the north: the middle of its bounding box lies in the gap.
    u_shape = {
        "type": "Polygon",
        "coordinates": [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]],
    }
    assert not geo.contains(u_shape, 1.5, 1.5)
    lon, lat, radius = geo.representative_point(u_shape)
    assert geo.contains(u_shape, lon, lat)
    assert radius > 0.3


def test_every_real_buurt_gets_a_point_inside_with_room_around_it():
    data = json.loads((BOUNDARY_DATA / "utrecht_buurten_2024.geojson").read_text())
    for feature in data["features"]:
        lon, lat, radius = geo.representative_point(feature["geometry"])
        assert geo.contains(feature["geometry"], lon, lat)
        assert radius > 0.0002  # more than 20 metres to the boundary
