import http.server
import json
import threading
from functools import partial
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from samen030.places.models import Buurt, Gemeente, Postcode, Wijk
from samen030.places.services import ImportFailed, import_boundaries, import_postcodes, load_indeling

BOUNDARY_DATA = Path(__file__).resolve().parents[1] / "data"  # the CBS 2024 files shipped with the app


def square(lon: float, lat: float, size: float = 0.01) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
    }


def feature_collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def write_json(tmp_path: Path, data: object, name: str = "kaart.geojson") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_it_loads_utrecht_with_10_wijken_and_111_buurten():
    report = load_indeling()
    assert Gemeente.objects.get().code == "GM0344"
    assert Wijk.objects.count() == 10
    assert Buurt.objects.count() == 111
    assert report.created == 122
    lombok = Buurt.objects.get(code="BU03440121")
    assert lombok.name == "Lombok-Oost"
    assert lombok.wijk.code == "WK034401"
    assert lombok.indeling_year == 2024
    assert sum(Wijk.objects.values_list("population", flat=True)) == 374_215


@pytest.mark.django_db
def test_every_buurt_code_contains_its_wijk_code():
    load_indeling()
    for buurt in Buurt.objects.all():
        assert buurt.wijk_id == "WK" + buurt.code[2:8]


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    load_indeling()
    second = load_indeling()
    assert (second.created, second.updated, second.unchanged) == (0, 0, 122)


@pytest.mark.django_db
def test_loading_repairs_a_changed_name():
    load_indeling()
    Buurt.objects.filter(code="BU03440121").update(name="Verkeerd")
    report = load_indeling()
    assert report.updated == 1
    assert Buurt.objects.get(code="BU03440121").name == "Lombok-Oost"


@pytest.mark.django_db
def test_it_imports_the_real_cbs_boundaries_and_finds_buurten_by_point(places):
    report = import_boundaries(str(BOUNDARY_DATA / "utrecht_buurten_2024.geojson"))
    assert report.updated == 111
    assert Buurt.objects.with_boundaries().count() == 111
    # The Dom tower lies in the Binnenstad, Utrecht Science Park in Oost.
    assert Buurt.objects.containing(lat=52.0907, lon=5.1214).wijk_id == "WK034406"
    assert Buurt.objects.containing(lat=52.0858, lon=5.1740).code == "BU03440533"
    assert Buurt.objects.containing(lat=52.37, lon=4.89) is None  # Amsterdam
    again = import_boundaries(str(BOUNDARY_DATA / "utrecht_buurten_2024.geojson"))
    assert (again.updated, again.unchanged) == (0, 111)


@pytest.mark.django_db
def test_it_imports_wijk_boundaries_too(places):
    report = import_boundaries(str(BOUNDARY_DATA / "utrecht_wijken_2024.geojson"))
    assert report.updated == 10
    assert Wijk.objects.filter(geometry__isnull=False).count() == 10


@pytest.mark.django_db
def test_small_polygons_made_here_are_matched_by_code_and_others_skipped(places, tmp_path):
    source = write_json(
        tmp_path,
        feature_collection(
            [
                {"type": "Feature", "properties": {"statcode": "BU03440121"}, "geometry": square(5.0, 52.0)},
                {"type": "Feature", "id": "BU03440122", "properties": {}, "geometry": square(5.1, 52.0)},
                {"type": "Feature", "properties": {"statcode": "BU03630000"}, "geometry": square(4.9, 52.3)},
            ]
        ),
    )
    report = import_boundaries(source)
    assert report.updated == 2
    assert report.skipped == ["BU03630000"]
    assert Buurt.objects.containing(lat=52.005, lon=5.005).code == "BU03440121"
    assert Buurt.objects.containing(lat=52.005, lon=5.105).code == "BU03440122"


@pytest.mark.django_db
def test_a_broken_geometry_stops_the_whole_import(places, tmp_path):
    open_ring = {"type": "Polygon", "coordinates": [[[5, 52], [5.1, 52], [5.1, 52.1], [5, 52.1]]]}
    source = write_json(
        tmp_path,
        feature_collection(
            [
                {"type": "Feature", "properties": {"statcode": "BU03440121"}, "geometry": square(5.0, 52.0)},
                {"type": "Feature", "properties": {"statcode": "BU03440122"}, "geometry": open_ring},
            ]
        ),
    )
    with pytest.raises(ImportFailed, match="feature 2 \\(BU03440122\\)"):
        import_boundaries(source)
    assert not Buurt.objects.with_boundaries().exists()  # nothing half-saved


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [("not json at all", "not valid JSON"), ('{"type": "Feature"}', "FeatureCollection"), ("[]", "FeatureCollection")],
)
def test_a_file_that_is_not_a_feature_collection_is_refused(places, tmp_path, content, message):
    path = tmp_path / "kaart.geojson"
    path.write_text(content)
    with pytest.raises(ImportFailed, match=message):
        import_boundaries(str(path))


@pytest.mark.django_db
def test_a_missing_file_is_a_clear_command_error(places, tmp_path):
    with pytest.raises(CommandError, match="could not read"):
        call_command("import_boundaries", str(tmp_path / "bestaat-niet.geojson"))


@pytest.fixture
def http_folder(tmp_path):
    """Serve tmp_path over HTTP on the loopback interface, for the URL variant of the imports."""
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_boundaries_can_come_from_a_url(places, tmp_path, http_folder):
    write_json(
        tmp_path, feature_collection([{"type": "Feature", "id": "WK034401", "geometry": square(5.0, 52.0, 0.1)}])
    )
    report = import_boundaries(f"{http_folder}/kaart.geojson")
    assert report.updated == 1
    assert Wijk.objects.get(code="WK034401").geometry == square(5.0, 52.0, 0.1)


@pytest.mark.django_db
def test_an_unreachable_url_is_a_clear_error(places, http_folder):
    with pytest.raises(ImportFailed, match="could not download"):
        import_boundaries(f"{http_folder}/bestaat-niet.geojson")


@pytest.mark.django_db
def test_it_imports_a_postcode_table_and_looks_up_buurten(places, tmp_path):
    path = tmp_path / "pc6.csv"
    path.write_text("PC6;Buurtcode\n3531 AB;BU03440121\n3531AC;3440122\n1011AB;BU03630000\n", encoding="utf-8")
    report = import_postcodes(str(path))
    assert (report.created, len(report.skipped)) == (2, 1)
    assert Postcode.objects.buurt_for("3531ab").code == "BU03440121"
    assert Postcode.objects.buurt_for("3531 AC").code == "BU03440122"
    assert Postcode.objects.buurt_for("1011AB") is None
    assert Postcode.objects.buurt_for("geen postcode") is None


@pytest.mark.django_db
def test_postcode_import_is_idempotent_and_can_replace(places, tmp_path):
    first = tmp_path / "a.csv"
    first.write_text("pc6,buurtcode\n3531AB,BU03440121\n3531AC,BU03440122\n")
    import_postcodes(str(first))
    again = import_postcodes(str(first))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    second = tmp_path / "b.csv"
    second.write_text("pc6,buurtcode\n3531AB,BU03440123\n")
    report = import_postcodes(str(second), replace=True)
    assert report.updated == 1
    assert list(Postcode.objects.values_list("pc6", "buurt_id")) == [("3531AB", "BU03440123")]


@pytest.mark.django_db
def test_a_bad_postcode_stops_the_import_and_names_the_line(places, tmp_path):
    path = tmp_path / "pc6.csv"
    path.write_text("pc6,buurtcode\n3531AB,BU03440121\n99XX,BU03440121\n")
    with pytest.raises(ImportFailed, match="line 3"):
        import_postcodes(str(path))
    assert not Postcode.objects.exists()


@pytest.mark.django_db
def test_a_table_without_the_right_columns_is_refused(places, tmp_path):
    path = tmp_path / "pc6.csv"
    path.write_text("straat,plaats\nKanaalstraat,Utrecht\n")
    with pytest.raises(CommandError, match="postcode column"):
        call_command("import_postcodes", str(path))
