import pytest
from django.urls import reverse

from samen030.places.services import import_boundaries
from tests.factories import MembershipFactory, OrganisationFactory

from .test_services import BOUNDARY_DATA


def test_the_wijken_page_lists_all_ten_with_population(client, places):
    response = client.get("/wijken/")
    assert response.status_code == 200
    assert response.content.count(b'href="/wijken/WK0344') == 10
    assert "51.195" in response.text  # Vleuten-De Meern, Dutch thousands separator
    assert "buurten-map" not in response.text  # no boundaries loaded: the list works alone


def test_a_wijk_page_lists_its_buurten_with_breadcrumbs(client, places):
    response = client.get("/wijken/WK034401/")
    assert response.status_code == 200
    assert response.content.count(b'href="/buurten/BU034401') == 11
    assert "Lombok-Oost" in response.text
    assert 'href="/wijken/"' in response.text  # breadcrumb back to all wijken
    assert "29.710" in response.text


def test_codes_are_accepted_in_lower_case(client, places):
    assert client.get("/wijken/wk034401/").status_code == 200
    assert client.get("/buurten/bu03440121/").status_code == 200


@pytest.mark.parametrize("url", ["/wijken/WK999999/", "/buurten/BU00000000/", "/wijken/<script>/"])
def test_unknown_places_are_a_404(client, places, url):
    assert client.get(url).status_code == 404


def test_a_buurt_page_shows_its_member_organisations_only(client, lombok):
    member = OrganisationFactory(name="Taalcafé Lombok", buurten=[lombok])
    MembershipFactory(organisation=member)
    wijk_wide = OrganisationFactory(name="Welzijn West")
    wijk_wide.wijken.set([lombok.wijk])
    MembershipFactory(organisation=wijk_wide)
    OrganisationFactory(name="Geen Lid Lombok", buurten=[lombok])  # not a member
    ended = OrganisationFactory(name="Oud Lid Lombok", buurten=[lombok])
    MembershipFactory(organisation=ended, start_date="2020-01-01", end_date="2021-01-01")
    response = client.get(reverse("buurt-detail", args=["BU03440121"]))
    assert "Taalcafé Lombok" in response.text
    assert "Welzijn West" in response.text
    assert "Geen Lid Lombok" not in response.text
    assert "Oud Lid Lombok" not in response.text
    assert 'href="/wijken/WK034401/"' in response.text


def test_with_boundaries_the_map_and_its_attribution_appear(client, places):
    import_boundaries(str(BOUNDARY_DATA / "utrecht_buurten_2024.geojson"))
    response = client.get("/wijken/WK034401/")
    assert 'id="buurten-map"' in response.text
    assert "Kadaster / Centraal Bureau voor de Statistiek, 2024" in response.text
    geojson = client.get("/kaart/buurten.geojson?wijk=WK034401").json()
    assert geojson["type"] == "FeatureCollection"
    assert len(geojson["features"]) == 11
    assert geojson["features"][0]["properties"]["url"].startswith("/buurten/BU034401")
    assert len(client.get("/kaart/buurten.geojson").json()["features"]) == 111
