"""Activities and services through the API: public ones only, every public field, the schedule with its next dates,
and the filters of the search page."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samen030.activities.schedule import AMSTERDAM
from samen030.places.models import Buurt, Postcode
from tests.factories import ActivityFactory, OrganisationFactory

NOW = dt.datetime(2026, 3, 10, 9, tzinfo=AMSTERDAM)


@pytest.fixture
def coffee(stemlid_org, lombok):
    return ActivityFactory(
        title="Koffieochtend Lombok",
        slug="koffieochtend-lombok",
        organisations=[stemlid_org],
        location_buurt=lombok,
        buurten=[lombok],
        venue="Buurthuis Lombok",
        contact_name="Sanne",
        contact_email="koffie@buurthuislombok.nl",
        step_free=True,
    )


@pytest.fixture
def advice(steunlid_org, places):
    elsewhere = Buurt.objects.filter(wijk_id="WK034402").first()
    return ActivityFactory(
        title="Fietsspreekuur",
        slug="fietsspreekuur",
        description="Laat je fiets nakijken door de fietsenmaker.",
        kind="dienst",
        organisations=[steunlid_org],
        buurten=[elsewhere],
        themes=["sport-en-bewegen"],
        cost="prijs",
        price=Decimal("2.50"),
        rrule="",
        starts_at=timezone.now() + dt.timedelta(days=10),
        ends_at=timezone.now() + dt.timedelta(days=10, hours=2),
    )


@pytest.fixture
def invisible(stemlid_org, lombok):
    """Activities nobody may see through the API: paused, hidden, or offered only by an unpublished organisation."""
    unpublished = OrganisationFactory(name="Nog niet", slug="nog-niet", is_published=False)
    return [
        ActivityFactory(title="Gepauzeerd", slug="gepauzeerd", organisations=[stemlid_org], is_paused=True),
        ActivityFactory(
            title="Verborgen",
            slug="verborgen",
            organisations=[stemlid_org],
            hidden_at=timezone.now(),
            hidden_reason="x",
        ),
        ActivityFactory(title="Onbekend", slug="onbekend", organisations=[unpublished]),
    ]


@time_machine.travel(NOW, tick=False)
def test_the_detail_has_every_public_field(client, coffee, lombok):
    data = client.get("/api/v1/activiteiten/koffieochtend-lombok/").json()
    assert data["title"] == "Koffieochtend Lombok"
    assert data["kind"] == "activiteit"
    assert data["description"].startswith("Kom koffie drinken")
    assert "<strong>Iedereen</strong>" in data["description_html"]
    assert data["organisations"] == [
        {
            "slug": "buurthuis-lombok",
            "name": "Buurthuis Lombok",
            "url": "http://testserver/api/v1/organisaties/buurthuis-lombok/",
        }
    ]
    assert [theme["slug"] for theme in data["themes"]] == ["ontmoeting"]
    assert data["languages"] == ["nl"]
    assert data["location"]["type"] == "adres"
    assert data["location"]["venue"] == "Buurthuis Lombok"
    assert data["location"]["postcode"] == "3531 AB"
    assert data["location"]["buurt"]["code"] == "BU03440121"
    assert [b["code"] for b in data["buurten"]] == ["BU03440121"]
    assert data["schedule"] == {
        "starts_at": "2026-03-17T10:00:00+01:00",
        "ends_at": "2026-03-17T12:00:00+01:00",
        "rrule": "FREQ=WEEKLY",
        "exdates": [],
        "timezone": "Europe/Amsterdam",
    }
    assert data["cost"] == {"type": "gratis", "price": None}
    assert data["accessibility"] == {
        "step_free": True,
        "hearing_loop": False,
        "accompaniment": False,
        "childcare": False,
    }
    assert data["joining"] == "binnenlopen"
    assert data["contact"]["email"] == "koffie@buurthuislombok.nl"
    assert data["confirmed_at"]
    assert data["html_url"] == "http://testserver/activiteiten/koffieochtend-lombok/"


@time_machine.travel(NOW, tick=False)
def test_next_occurrences_keep_local_time_across_summer_time(client, coffee):
    data = client.get("/api/v1/activiteiten/koffieochtend-lombok/").json()
    starts = [occurrence["start"] for occurrence in data["next_occurrences"]]
    # The clocks go forward on 29 March 2026: the coffee morning stays at 10:00 local time.
    assert starts == [
        "2026-03-17T10:00:00+01:00",
        "2026-03-24T10:00:00+01:00",
        "2026-03-31T10:00:00+02:00",
        "2026-04-07T10:00:00+02:00",
        "2026-04-14T10:00:00+02:00",
    ]
    assert data["next_occurrences"][0]["end"] == "2026-03-17T12:00:00+01:00"


@time_machine.travel(NOW, tick=False)
def test_a_monthly_activity_gets_dates_beyond_the_coming_weeks(client, stemlid_org):
    ActivityFactory(slug="maandelijks", organisations=[stemlid_org], rrule="FREQ=MONTHLY;BYDAY=+3TU")
    data = client.get("/api/v1/activiteiten/maandelijks/").json()
    assert len(data["next_occurrences"]) == 5
    assert data["next_occurrences"][-1]["start"].startswith("2026-07-21")


def test_paused_hidden_and_unpublished_activities_are_not_shown(client, coffee, invisible):
    data = client.get("/api/v1/activiteiten/").json()
    assert [a["slug"] for a in data["results"]] == ["koffieochtend-lombok"]
    for activity in invisible:
        assert client.get(f"/api/v1/activiteiten/{activity.slug}/").status_code == 404


def test_an_unpublished_co_organiser_is_left_out(client, coffee):
    coffee.organisations.add(OrganisationFactory(name="Geheim", slug="geheim", is_published=False))
    data = client.get("/api/v1/activiteiten/koffieochtend-lombok/").json()
    assert [o["slug"] for o in data["organisations"]] == ["buurthuis-lombok"]


def test_a_price_is_given_in_euros(client, advice):
    data = client.get("/api/v1/activiteiten/fietsspreekuur/").json()
    assert data["kind"] == "dienst"
    assert data["cost"] == {"type": "prijs", "price": "2.50"}
    assert data["schedule"]["rrule"] == ""


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Without search words: soonest first (the coffee morning is within a week, the advice in ten days).
        ({}, ["koffieochtend-lombok", "fietsspreekuur"]),
        ({"q": "koffie"}, ["koffieochtend-lombok"]),
        ({"q": "fietsspreekuren"}, ["fietsspreekuur"]),
        ({"thema": "ontmoeting"}, ["koffieochtend-lombok"]),
        ({"thema": ["ontmoeting", "sport-en-bewegen"]}, ["koffieochtend-lombok", "fietsspreekuur"]),
        ({"wijk": "WK034401"}, ["koffieochtend-lombok"]),
        ({"wijk": "WK034402"}, ["fietsspreekuur"]),
        ({"buurt": "BU03440121"}, ["koffieochtend-lombok"]),
        ({"soort": "dienst"}, ["fietsspreekuur"]),
        ({"gratis": "on"}, ["koffieochtend-lombok"]),
        ({"dag": "di"}, ["koffieochtend-lombok"]),
        ({"dagdeel": "ochtend"}, ["koffieochtend-lombok"]),
        ({"taal": "ar"}, []),
    ],
)
def test_the_search_pages_filters(client, coffee, advice, query, expected):
    data = client.get("/api/v1/activiteiten/", query).json()
    assert [a["slug"] for a in data["results"]] == expected


def test_next_dates_follow_a_search_by_day(client, stemlid_org):
    ActivityFactory(slug="elke-dag", organisations=[stemlid_org], rrule="FREQ=DAILY", starts_at=timezone.now())
    data = client.get("/api/v1/activiteiten/", {"dag": "za"}).json()
    dates = [dt.datetime.fromisoformat(o["start"]) for o in data["results"][0]["next_occurrences"]]
    assert len(dates) == 5
    assert {date.weekday() for date in dates} == {5}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"thema": "bestaat-niet"}, "thema"),
        ({"wijk": "WK0"}, "wijk"),
        ({"buurt": "Lombok"}, "buurt"),
        ({"soort": "feest"}, "soort"),
        ({"dag": "maandag"}, "dag"),
        ({"van": "morgen"}, "van"),
        ({"van": "2026-05-01", "tot": "2026-04-01"}, "tot"),
        ({"postcode": "9999ZZ"}, "postcode"),
        ({"sorteer": "prijs"}, "sorteer"),
        ({"page_size": "-1"}, "page_size"),
    ],
)
def test_bad_filters_get_a_400(client, coffee, query, field):
    response = client.get("/api/v1/activiteiten/", query)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_the_number_of_queries_does_not_grow_with_the_activities(client, coffee, stemlid_org, lombok):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/activiteiten/", {"page_size": 100})
        assert response.status_code == 200
        return len(captured), len(response.json()["results"])

    few, shown = queries()
    others = list(Buurt.objects.order_by("code")[:4])
    for number in range(15):
        ActivityFactory(
            organisations=[stemlid_org, OrganisationFactory()],
            buurten=others,
            location_buurt=lombok,
            themes=["ontmoeting", "taal"],
            slug=f"extra-{number}",
        )
    many, shown_many = queries()
    assert (shown, shown_many) == (1, 16)
    assert many == few


@pytest.mark.parametrize(
    "query",
    [{}, {"q": "koffie"}, {"soort": "dienst"}, {"wijk": "WK034401", "dag": "di"}, {"postcode": "3531AB"}],
)
def test_the_api_finds_what_the_search_page_finds_in_the_same_order(client, coffee, advice, query):
    Postcode.objects.get_or_create(pc6="3531AB", buurt=coffee.location_buurt)
    page = client.get("/zoeken/", query).content.decode()
    on_page = re.findall(r'<h3 class="utrecht-heading-3"><a class="utrecht-link" href="/activiteiten/([^/]+)/">', page)
    in_api = [a["slug"] for a in client.get("/api/v1/activiteiten/", query).json()["results"]]
    assert on_page
    assert in_api == on_page
