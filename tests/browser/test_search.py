"""A resident finds a Dutch-language coffee morning in their buurt through search: from the home page, refined
with the filters, on a phone without JavaScript too."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from samen030.places.models import Buurt, Postcode
from tests.browser.conftest import nl
from tests.factories import ActivityFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def coffee_mornings(stemlid_org, lombok):
    Postcode.objects.create(pc6="3531AB", buurt=lombok)
    elsewhere = Buurt.objects.exclude(wijk=lombok.wijk).order_by("code").first()
    ActivityFactory(
        title="Koffieochtend Lombok",
        slug="koffieochtend-lombok",
        organisations=[stemlid_org],
        location_buurt=lombok,
        languages=["nl"],
    )
    ActivityFactory(
        title="Koffieochtend Arabisch",
        slug="koffieochtend-arabisch",
        organisations=[stemlid_org],
        location_buurt=lombok,
        languages=["ar"],
    )
    ActivityFactory(
        title="Koffieochtend elders",
        slug="koffieochtend-elders",
        organisations=[stemlid_org],
        location_buurt=elsewhere,
        languages=["nl"],
    )


def result_titles(page):
    return page.get_by_role("main").locator(".samen030-card h3")


@pytest.mark.usefixtures("coffee_mornings")
def test_a_resident_finds_a_dutch_coffee_morning_in_their_buurt(browse):
    page = browse.page
    browse.goto("/")
    search = page.get_by_role("search", name=nl("Search activities and services"))
    search.get_by_role("searchbox").fill("koffieochtend")
    browse.submit(search.get_by_role("button", name=nl("Search")))
    assert browse.path == "/zoeken/?q=koffieochtend"
    expect(result_titles(page)).to_have_count(3)

    form = page.get_by_role("search", name=nl("Search activities and services"))
    form.get_by_label(nl("Near postcode")).fill("3531 AB")
    form.get_by_label(nl("Language spoken")).select_option("nl")
    browse.submit(form.get_by_role("button", name=nl("Search")).first)
    assert "postcode=3531+AB" in browse.path
    assert "taal=nl" in browse.path
    expect(result_titles(page)).to_have_text(["Koffieochtend Lombok", "Koffieochtend elders"])

    browse.follow(page.get_by_role("link", name="Koffieochtend Lombok"))
    assert browse.path == "/activiteiten/koffieochtend-lombok/"


@pytest.mark.usefixtures("coffee_mornings")
def test_search_works_on_a_phone_without_javascript_and_explains_bad_input(open_page):
    tab = open_page(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = tab.page
    tab.goto("/zoeken/")
    form = page.get_by_role("search", name=nl("Search activities and services"))
    form.get_by_label(nl("Near postcode")).fill("9999 ZZ")
    tab.submit(form.get_by_role("button", name=nl("Search")).first)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("9999 ZZ")
    expect(result_titles(page)).to_have_count(0)
    # The summary links to the field; following it puts the field in view.
    expect(alert.get_by_role("link")).to_have_attribute("href", "#id_postcode")

    form.get_by_label(nl("Near postcode")).fill("3531 AB")
    form.get_by_role("group", name=nl("Day of the week")).get_by_label(nl("Tuesday")).check()
    tab.submit(form.get_by_role("button", name=nl("Search")).first)
    expect(result_titles(page)).to_have_text(["Koffieochtend Arabisch", "Koffieochtend Lombok", "Koffieochtend elders"])
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360, "no sideways scrolling at 360 px"
