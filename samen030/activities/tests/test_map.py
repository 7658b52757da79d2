"""The map of activities: a list that works alone, a GeoJSON layer (RFC 7946) with the same filters, only public
activities, placed inside their buurt, small enough for the whole city."""

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samen030.activities.demo import create_demo_activities
from samen030.activities.map import feature_collection, spread
from samen030.activities.models import Activity
from samen030.activities.search import search_activities
from samen030.places import geometry as geo
from samen030.places.models import Buurt
from samen030.places.services import import_boundaries
from tests.factories import ActivityFactory, OrganisationFactory

BOUNDARY_DATA = Path(__file__).resolve().parents[2] / "places" / "data"  # the CBS 2024 files shipped with the app
GEOJSON = reverse("activities-geojson")
MAP = reverse("activity-map")


@pytest.fixture
def boundaries(places):
    import_boundaries(str(BOUNDARY_DATA / "utrecht_buurten_2024.geojson"))


@pytest.fixture
def elsewhere(lombok):
    return Buurt.objects.exclude(wijk=lombok.wijk).order_by("code").first()


@pytest.fixture
def coffee(boundaries, stemlid_org, lombok):
    return ActivityFactory(
        title="Koffieochtend Lombok",
        slug="koffieochtend-lombok",
        organisations=[stemlid_org],
        location_buurt=lombok,
        buurten=[lombok],
        themes=["ontmoeting", "eten"],
    )


@pytest.fixture
def elsewhere_activities(stemlid_org, elsewhere):
    ActivityFactory(
        title="Taalles elders",
        organisations=[stemlid_org],
        location_buurt=elsewhere,
        buurten=[elsewhere],
        themes=["taal"],
    )
    ActivityFactory(
        title="Dienst elders",
        organisations=[stemlid_org],
        location_buurt=elsewhere,
        buurten=[elsewhere],
        themes=["taal"],
        kind="dienst",
    )


def geojson(client, query=""):
    response = client.get(GEOJSON + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return validated(json.loads(response.content))


def validated(data):
    """Check the structure RFC 7946 prescribes for a FeatureCollection of Points, and our compact properties."""
    assert data["type"] == "FeatureCollection"
    assert isinstance(data["features"], list)
    assert "crs" not in data
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert isinstance(lon, float)
        assert isinstance(lat, float)
        assert 4.9 < lon < 5.2  # longitude first, in Utrecht
        assert 52.0 < lat < 52.2
        assert len(str(lon).split(".")[1]) <= 4
        assert len(str(lat).split(".")[1]) <= 4
        assert set(feature["properties"]) == {"title", "url", "kind", "themes"}
    return data


def titles(data):
    return sorted(feature["properties"]["title"] for feature in data["features"])


def test_the_geojson_has_public_activities_with_compact_properties_inside_their_buurt(client, coffee, lombok):
    data = geojson(client)
    (feature,) = data["features"]
    assert feature["properties"] == {
        "title": "Koffieochtend Lombok",
        "url": "/activiteiten/koffieochtend-lombok/",
        "kind": "activiteit",
        "themes": ["ontmoeting", "eten"],
    }
    lon, lat = feature["geometry"]["coordinates"]
    assert geo.contains(Buurt.objects.get(pk=lombok.pk).geometry, lon, lat)
    assert geojson(client)["features"][0]["geometry"] == feature["geometry"]  # the same place every time


def test_only_public_current_confirmed_activities_with_an_address_are_on_the_map(
    client, coffee, stemlid_org, lombok, places
):
    hidden_org = OrganisationFactory(is_published=False)
    long_ago = timezone.now() - dt.timedelta(days=400)
    for title, changes in {
        "Gepauzeerd": {"is_paused": True},
        "Verborgen": {"hidden_at": timezone.now()},
        "Lang niet bevestigd": {"confirmed_at": timezone.now() - dt.timedelta(days=600)},
        "Voorbij": {"rrule": "", "starts_at": long_ago, "ends_at": long_ago},
    }.items():
        ActivityFactory(title=title, organisations=[stemlid_org], location_buurt=lombok, **changes)
    ActivityFactory(title="Niet toegelaten", organisations=[hidden_org], location_buurt=lombok)
    ActivityFactory(
        title="Online taalmaatje", organisations=[stemlid_org], location="online", online_url="https://x.nl"
    )
    ActivityFactory(
        title="Een jaar niet bevestigd", organisations=[stemlid_org], location_buurt=lombok, confirmed_at=long_ago
    )

    assert titles(geojson(client)) == ["Een jaar niet bevestigd", "Koffieochtend Lombok"]
    page = client.get(MAP, HTTP_ACCEPT_LANGUAGE="en")
    assert "Online taalmaatje" in page.text
    assert "Online (not on the map)" in page.text
    for title in ["Gepauzeerd", "Verborgen", "Lang niet bevestigd", "Voorbij", "Niet toegelaten"]:
        assert title not in page.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Dienst elders", "Koffieochtend Lombok", "Taalles elders"]),
        ("?thema=taal", ["Dienst elders", "Taalles elders"]),
        ("?soort=dienst", ["Dienst elders"]),
        ("?q=elders", ["Dienst elders", "Taalles elders"]),
        ("?q=elders&soort=dienst", ["Dienst elders"]),
        ("?thema=taal&soort=activiteit", ["Taalles elders"]),
        ("?buurt={lombok}", ["Koffieochtend Lombok"]),
        ("?wijk={wijk}", ["Koffieochtend Lombok"]),
        ("?wijk={other_wijk}", ["Dienst elders", "Taalles elders"]),
    ],
)
@pytest.mark.usefixtures("coffee", "elsewhere_activities")
def test_the_filters_of_the_search_page_apply_to_the_geojson_and_the_list(client, lombok, elsewhere, query, expected):
    query = query.format(lombok=lombok.code, wijk=lombok.wijk_id, other_wijk=elsewhere.wijk_id)
    assert titles(geojson(client, query)) == expected
    page = client.get(MAP + query)
    assert page.status_code == 200
    listed = [title for title in ["Dienst elders", "Koffieochtend Lombok", "Taalles elders"] if title in page.text]
    assert listed == expected
    assert GEOJSON + query.replace("&", "&amp;") in page.text or not query  # the map loads the same selection


def test_an_unknown_filter_value_gets_a_json_error_not_a_crash(client, coffee):
    response = client.get(GEOJSON + "?thema=bestaat-niet&buurt=BU0000", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert set(body["fields"]) == {"thema", "buurt"}
    page = client.get(MAP + "?thema=bestaat-niet", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Select a valid choice" in page.text
    assert "Koffieochtend Lombok" not in page.text


def test_the_map_page_is_a_list_first_with_a_labelled_map_and_a_skip_link(client, coffee):
    page = client.get(MAP, HTTP_ACCEPT_LANGUAGE="en")
    text = page.text
    assert 'id="activities-map"' in text
    assert 'role="region" aria-label="Map of the activities and services; the same ones are in the list"' in text
    assert 'href="#activity-list"' in text
    assert 'id="activity-list"' in text
    assert 'href="/activiteiten/koffieochtend-lombok/"' in text
    assert "leaflet.markercluster.js" in text
    assert 'href="/kaart/"' in client.get("/", HTTP_ACCEPT_LANGUAGE="en").text  # in the main menu


def test_without_boundaries_the_list_works_alone(client, stemlid_org, lombok):
    ActivityFactory(title="Koffieochtend Lombok", organisations=[stemlid_org], location_buurt=lombok)
    page = client.get(MAP)
    assert "Koffieochtend Lombok" in page.text
    assert "activities-map" not in page.text
    assert "leaflet" not in page.text
    assert geojson(client)["features"] == []


def test_the_list_is_paginated(client, boundaries, stemlid_org, lombok):
    for n in range(51):
        ActivityFactory(title=f"Activiteit {n:02d}", organisations=[stemlid_org], location_buurt=lombok)
    first = client.get(MAP + "?soort=activiteit&sorteer=datum")
    assert "Activiteit 49" in first.text
    assert "Activiteit 50" not in first.text
    second = client.get(MAP + "?soort=activiteit&sorteer=datum&page=2")
    assert "Activiteit 50" in second.text
    assert len(geojson(client)["features"]) == 51


def test_the_geojson_takes_the_same_few_queries_for_many_activities(client, coffee, stemlid_org, lombok):
    def count():
        with CaptureQueriesContext(connection) as queries:
            geojson(client)
        return len(queries)

    few = count()
    for n in range(20):
        ActivityFactory(organisations=[stemlid_org], location_buurt=lombok, themes=["taal", "eten"], title=f"A{n}")
    assert count() == few <= 5


def test_visitors_get_the_geojson_from_the_page_cache_and_compressed(client, coffee, settings, stemlid_org, lombok):
    settings.PAGE_CACHE_SECONDS = 60
    for n in range(4):
        ActivityFactory(title=f"Buurtmaaltijd {n}", organisations=[stemlid_org], location_buurt=lombok)
    first = client.get(GEOJSON, HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(first.content))["features"]) == 5
    ActivityFactory(organisations=[stemlid_org], location_buurt=lombok)  # not through the site: no new version
    with CaptureQueriesContext(connection) as queries:
        again = client.get(GEOJSON)
    assert len(json.loads(again.content)["features"]) == 5
    assert not [q for q in queries.captured_queries if "activities_activity" in q["sql"]]


def test_the_whole_city_stays_under_500_kb_gzipped_at_20000_activities(boundaries, places):
    """Measured per feature on realistic demo activities (Dutch titles with the buurt's name, numbered slugs, one to
    three themes), then scaled to the 20,000 activities of the benchmark."""
    for buurt in Buurt.objects.order_by("code"):
        OrganisationFactory(buurten=[buurt], visiting_buurt=buurt, postcode="3500AA", street="Straat")
    create_demo_activities(count=3000)
    data = validated(feature_collection(search_activities({})))
    count = len(data["features"])
    assert count > 2000
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    per_feature = len(gzip.compress(body)) / count
    assert per_feature * 20_000 < 500 * 1024  # measured: about 22 bytes a feature, 430 KB for 20,000


def test_spread_keeps_every_marker_inside_its_buurt(boundaries):
    for buurt in Buurt.objects.with_boundaries():
        for activity_id in range(1, 60):
            lon, lat = spread(activity_id, lon=buurt.point_lon, lat=buurt.point_lat, radius=buurt.point_radius)
            assert geo.contains(buurt.geometry, lon, lat), (buurt.code, activity_id)


def test_online_activities_are_not_placed(boundaries, stemlid_org):
    ActivityFactory(organisations=[stemlid_org], location="online", online_url="https://x.nl", location_buurt=None)
    assert Activity.objects.count() == 1
    assert feature_collection(Activity.objects.all())["features"] == []


def test_the_whats_on_pages_link_to_the_map_with_their_filters(client, lombok):
    page = client.get(reverse("buurt-activities", args=[lombok.code]) + "?kind=dienst")
    assert f'href="/kaart/?soort=dienst&amp;buurt={lombok.code}"' in page.text
    wijk_page = client.get(reverse("wijk-activities", args=[lombok.wijk_id]))
    assert f'href="/kaart/?wijk={lombok.wijk_id}"' in wijk_page.text
    theme_page = client.get(reverse("theme-activities", args=["taal"]))
    assert 'href="/kaart/?thema=taal"' in theme_page.text
    search_page = client.get(reverse("activity-search") + "?q=koffie&soort=dienst")
    assert 'href="/kaart/?q=koffie&amp;soort=dienst"' in search_page.text
