"""Wijken and buurten through the API: codes, names, the wijk of a buurt, and boundaries only when asked."""

import pytest

from samen030.places.models import Buurt, Wijk

SQUARE = {"type": "Polygon", "coordinates": [[[5.09, 52.08], [5.1, 52.08], [5.1, 52.09], [5.09, 52.09], [5.09, 52.08]]]}


@pytest.fixture
def lombok_with_boundary(lombok):
    lombok.set_geometry(SQUARE)
    lombok.save()
    return lombok


def test_it_lists_every_wijk_by_code_with_its_number_of_buurten(client, places):
    response = client.get("/api/v1/wijken/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["count"] == 10
    codes = [wijk["code"] for wijk in data["results"]]
    assert codes == sorted(codes)
    west = next(wijk for wijk in data["results"] if wijk["code"] == "WK034401")
    assert west["buurt_count"] == Buurt.objects.filter(wijk_id="WK034401").count()
    assert west["url"] == "http://testserver/api/v1/wijken/WK034401/"
    assert west["html_url"] == "http://testserver/wijken/WK034401/"
    assert west["geometry"] is None


def test_a_wijk_shows_its_buurten_and_boundary(client, places):
    Wijk.objects.filter(code="WK034401").update(geometry=SQUARE)
    data = client.get("/api/v1/wijken/wk034401/").json()
    assert data["code"] == "WK034401"
    assert data["geometry"] == SQUARE
    assert "BU03440121" in [buurt["code"] for buurt in data["buurten"]]


def test_buurten_are_paginated_in_code_order(client, places):
    first = client.get("/api/v1/buurten/", {"page_size": 100}).json()
    assert first["count"] == 111
    assert len(first["results"]) == 100
    assert first["next"].endswith("page=2&page_size=100")
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 11
    codes = [buurt["code"] for buurt in first["results"] + second["results"]]
    assert codes == sorted(codes)
    assert len(set(codes)) == 111


def test_a_buurt_names_its_wijk(client, lombok):
    data = client.get("/api/v1/buurten/BU03440121/").json()
    assert data["name"] == lombok.name
    assert data["wijk"]["code"] == "WK034401"
    assert data["wijk"]["url"] == "http://testserver/api/v1/wijken/WK034401/"


def test_buurten_of_one_wijk(client, places):
    data = client.get("/api/v1/buurten/", {"wijk": "WK034401", "page_size": 100}).json()
    assert data["count"] == Buurt.objects.filter(wijk_id="WK034401").count() > 0
    assert {buurt["wijk"]["code"] for buurt in data["results"]} == {"WK034401"}


def test_boundaries_appear_in_lists_only_when_asked(client, lombok_with_boundary):
    plain = client.get("/api/v1/buurten/", {"wijk": "WK034401"}).json()
    shown = client.get("/api/v1/buurten/", {"wijk": "WK034401", "geometrie": "true"}).json()
    lombok_plain = next(b for b in plain["results"] if b["code"] == "BU03440121")
    lombok_shown = next(b for b in shown["results"] if b["code"] == "BU03440121")
    assert lombok_plain["geometry"] is None
    assert lombok_plain["bbox"] == [5.09, 52.08, 5.1, 52.09]
    assert lombok_shown["geometry"] == SQUARE
    assert client.get("/api/v1/buurten/BU03440121/").json()["geometry"] == SQUARE


@pytest.mark.parametrize(
    ("query", "field"),
    [({"wijk": "WK999999"}, "wijk"), ({"geometrie": "misschien"}, "geometrie"), ({"page_size": "veel"}, "page_size")],
)
def test_bad_parameters_get_a_400_naming_the_parameter(client, places, query, field):
    response = client.get("/api/v1/buurten/", query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert field in response.json()["errors"]


def test_an_unknown_code_is_a_json_404(client, places):
    response = client.get("/api/v1/buurten/BU00000000/")
    assert response.status_code == 404
    assert response.json()["detail"]
