"""A resident finds a Dutch-language coffee morning in their buurt on the map, and without JavaScript in its list."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import nl

pytestmark = pytest.mark.browser

BOUNDARY_DATA = Path(__file__).resolve().parents[2] / "samen030" / "places" / "data"  # shipped CBS 2024 files


@pytest.fixture
def coffee_mornings(places, lombok, stemlid_org):
    from samen030.places.models import Buurt
    from samen030.places.services import import_boundaries
    from tests.factories import ActivityFactory, OrganisationFactory

    import_boundaries(str(BOUNDARY_DATA / "utrecht_buurten_2024.geojson"))
    ActivityFactory(
        title="Koffieochtend Lombok",
        slug="koffieochtend-lombok",
        organisations=[stemlid_org],
        location_buurt=lombok,
        buurten=[lombok],
        languages=["nl"],
    )
    ActivityFactory(
        title="Turkse koffie in Lombok", organisations=[stemlid_org], location_buurt=lombok, languages=["tr"]
    )
    elsewhere = Buurt.objects.get(code="BU03440311")
    other = OrganisationFactory(name="Buurtkamer Overvecht", buurten=[elsewhere])
    ActivityFactory(title="Koffieochtend Overvecht", organisations=[other], location_buurt=elsewhere)


@pytest.mark.usefixtures("coffee_mornings")
def test_a_resident_finds_a_dutch_coffee_morning_in_their_buurt_on_the_map(browse, lombok):
    page = browse.page
    browse.goto("/")
    browse.follow(page.get_by_role("navigation", name=nl("Main menu")).get_by_role("link", name=nl("Map")))
    assert browse.path == "/kaart/"
    region = page.get_by_role("region", name=nl("Map of the activities and services; the same ones are in the list"))
    expect(region).to_be_visible()
    expect(region.locator(".leaflet-marker-icon").first).to_be_visible()  # markers (or clusters) arrived

    filters = page.get_by_role("search", name=nl("Filter"))
    filters.get_by_label(nl("Buurt"), exact=True).select_option(value=lombok.code)
    filters.get_by_label(nl("Language spoken")).select_option(value="nl")
    browse.submit(filters.get_by_role("button", name=nl("Show")))
    assert f"buurt={lombok.code}" in browse.path
    assert "taal=nl" in browse.path

    results = page.locator("#activity-list .samen030-card h3")
    expect(results).to_have_text(["Koffieochtend Lombok"])
    marker = region.get_by_role("button", name="Koffieochtend Lombok")
    expect(marker).to_have_count(1)  # the only marker left, with the title as its accessible name
    marker.focus()
    page.keyboard.press("Enter")  # a keyboard user opens the popup
    link = region.locator(".leaflet-popup").get_by_role("link", name="Koffieochtend Lombok")
    expect(link).to_be_visible()
    browse.follow(link)
    assert browse.path == "/activiteiten/koffieochtend-lombok/"


@pytest.mark.usefixtures("coffee_mornings")
def test_without_javascript_the_list_beside_the_map_works(open_page, lombok):
    tab = open_page(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = tab.page
    tab.goto(f"/kaart/?buurt={lombok.code}")
    expect(page.locator("#activity-list .samen030-card h3")).to_have_text(
        ["Koffieochtend Lombok", "Turkse koffie in Lombok"]
    )
    tab.follow(page.get_by_role("link", name=nl("Skip the map and go to the list")))
    tab.follow(page.get_by_role("link", name="Turkse koffie in Lombok"))
    assert tab.path.startswith("/activiteiten/")
