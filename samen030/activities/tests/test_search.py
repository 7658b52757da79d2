"""Search at /zoeken/ through HTTP, and search_activities directly: relevance, every filter, pagination, bad input,
the 18-month rule and the query count. Runs the same on SQLite and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.text import slugify

from samen030.activities import services
from samen030.activities.models import Activity, TargetGroup, Theme
from samen030.activities.schedule import AMSTERDAM, occurrences, summarise, upcoming
from samen030.activities.search import ActivitySearchForm, index_activities, search_activities
from samen030.places.models import Buurt, Postcode
from tests.factories import ActivityFactory, OrganisationFactory

NOW = dt.datetime(2026, 3, 10, 9, tzinfo=AMSTERDAM)  # a Tuesday
URL = "/zoeken/"
RESULT = re.compile(r'<h3 class="utrecht-heading-3"><a class="utrecht-link" href="/activiteiten/([^/]+)/">')


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def organisation(stemlid_org):
    return stemlid_org


@pytest.fixture
def make(organisation, lombok):
    """make(title, **fields): a public weekly activity of the Lombok organisation, indexed like the services do."""

    def make_activity(title: str, **fields):
        fields.setdefault("slug", slugify(title))
        fields.setdefault("organisations", [organisation])
        fields.setdefault("location_buurt", lombok)
        fields.setdefault("confirmed_at", NOW - dt.timedelta(days=10))
        return ActivityFactory(title=title, **fields)

    return make_activity


def slugs(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return RESULT.findall(response.text)


def found(**data) -> list[str]:
    form = ActivitySearchForm(data)
    assert form.is_valid(), form.errors
    return [activity.slug for activity in search_activities(form.cleaned_data)]


# Relevance ---------------------------------------------------------------------------------------------------


@pytest.fixture
def catalogue(make):
    make("Taalcafé", description="Samen Nederlands oefenen aan de keukentafel.", themes=["taal"])
    make(
        "Buurtmaaltijd",
        description="Na het taalcafé eten we samen. Ook voor bezoekers van het taalcafe; taalcafé-vrienden welkom.",
        themes=["eten"],
    )
    make("Koffieochtend", description="Koffie en een praatje.")
    make("Fietsreparatie", description="We maken je fiets weer heel.")
    make("Fietsles voor vrouwen", description="Leren fietsen in het park.", rrule="FREQ=WEEKLY;BYDAY=SA")
    make("Spreekuur geldzaken", description="Hulp met formulieren.", kind="dienst", themes=["geldzaken"])


def test_taalcafe_without_accent_finds_the_taalcafe_first_and_title_matches_above_description_matches(
    client, catalogue
):
    assert slugs(client, q="taalcafe") == ["taalcafe", "buurtmaaltijd"]
    assert slugs(client, q="Taalcafé") == ["taalcafe", "buurtmaaltijd"]


def test_stemming_and_prefixes_find_related_words(client, catalogue):
    assert set(slugs(client, q="fietsen")) == {"fietsreparatie", "fietsles-voor-vrouwen"}
    assert set(slugs(client, q="fiets")) == {"fietsreparatie", "fietsles-voor-vrouwen"}
    assert slugs(client, q="koffieochtend") == ["koffieochtend"]
    assert slugs(client, q="KOFFIEOCHTENDEN") == ["koffieochtend"]


def test_search_finds_organisation_theme_and_buurt_names(client, catalogue, organisation):
    assert len(slugs(client, q="Buurthuis Lombok")) == 6  # the organisation's name and the buurt of all six
    assert slugs(client, q="money matters") == ["spreekuur-geldzaken"]  # the theme's English name
    assert slugs(client, q="eten")[0] == "buurtmaaltijd"  # its theme, and a description word
    assert slugs(client, q="lombok west") == slugs(client, q="lombok")  # the buurt and its wijk
    assert len(slugs(client, q="lombok west")) == 6


def test_every_word_must_match_and_stop_words_are_ignored(client, catalogue):
    assert slugs(client, q="fiets vrouwen") == ["fietsles-voor-vrouwen"]
    assert slugs(client, q="het taalcafé met de fiets") == []
    assert slugs(client, q="het taalcafé van") == ["taalcafe", "buurtmaaltijd"]


# Visibility --------------------------------------------------------------------------------------------------


def test_paused_hidden_and_unpublished_activities_never_show(client, make, board_member):
    make("Taalcafé open")
    paused = make("Taalcafé gepauzeerd", is_paused=True)
    hidden = make("Taalcafé verborgen", hidden_at=NOW)
    make("Taalcafé concept", organisations=[OrganisationFactory(is_published=False)])
    assert slugs(client, q="taalcafe") == ["taalcafe-open"]
    assert found(q="taalcafe") == ["taalcafe-open"]
    services.resume_activity(activity=paused)
    services.unhide_activity(activity=hidden)
    assert set(slugs(client, q="taalcafe")) == {"taalcafe-open", "taalcafe-gepauzeerd", "taalcafe-verborgen"}


def test_listings_unconfirmed_for_18_months_drop_out_until_confirmed(client, make):
    make("Taalcafé vers", confirmed_at=NOW - dt.timedelta(days=30))
    old = make("Taalcafé oud", confirmed_at=NOW - dt.timedelta(days=400))
    gone = make("Taalcafé vergeten", confirmed_at=NOW - dt.timedelta(days=560))
    response = client.get(URL, {"q": "taalcafe"})
    assert RESULT.findall(response.text) == ["taalcafe-oud", "taalcafe-vers"]  # soonest next date, then title
    assert response.text.count("niet recent bevestigd") == 1  # the 13-month-old one is marked
    services.confirm_activity(activity=gone)
    assert "taalcafe-vergeten" in slugs(client, q="taalcafe")
    assert old.slug in slugs(client, q="taalcafe")


def test_activities_that_are_over_are_left_out(client, make):
    make("Taalcafé eenmalig geweest", rrule="", starts_at=NOW - dt.timedelta(days=3))
    make("Taalcafé eenmalig straks", rrule="", starts_at=NOW + dt.timedelta(days=3))
    make("Taalcafé afgelopen reeks", rrule="FREQ=WEEKLY;COUNT=2", starts_at=NOW - dt.timedelta(days=30))
    assert slugs(client, q="taalcafe") == ["taalcafe-eenmalig-straks"]


# Keeping the index up to date --------------------------------------------------------------------------------


@pytest.fixture
def lombok_postcode(lombok):
    return Postcode.objects.create(pc6="3531AB", buurt=lombok)


def test_editing_through_the_page_updates_the_search(client, login, make, stemlid_editor, lombok_postcode):
    activity = make("Koffieochtend")
    edit_url = f"/activiteiten/{activity.slug}/bewerken/"
    data = {
        "title": "Theeochtend",
        "kind": "activiteit",
        "description": "Thee en een praatje.",
        "organisations": [o.pk for o in activity.organisations.all()],
        "themes": ["ontmoeting"],
        "languages": ["nl"],
        "date": "2026-03-17",
        "start_time": "10:00",
        "end_time": "12:00",
        "repeat": "weekly",
        "location": "adres",
        "street": "Kanaalstraat",
        "house_number": "12",
        "postcode": "3531AB",
        "cost": "gratis",
        "joining": "binnenlopen",
    }
    response = login(stemlid_editor).post(edit_url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert slugs(client, q="theeochtend") == [activity.slug]
    assert slugs(client, q="koffieochtend") == []
    services.remove_activity(activity=Activity.objects.get(pk=activity.pk))
    assert slugs(client, q="theeochtend") == []


def test_rebuild_search_derives_every_activity_again(client, make, capsys):
    activity = make("Koffieochtend", search_index=False)
    assert slugs(client, q="koffieochtend") == []
    call_command("rebuild_search")
    assert "Indexed 1 activities" in capsys.readouterr().out
    assert slugs(client, q="koffieochtend") == [activity.slug]


# Filters -----------------------------------------------------------------------------------------------------


def test_filters_on_kind_theme_target_group_free_language_and_accessibility(client, make):
    make("Eettafel", themes=["eten"], cost="bijdrage", languages=["nl", "ar"], step_free=True)
    make("Spreekuur", kind="dienst", themes=["geldzaken"], hearing_loop=True, step_free=True)
    senior = make("Ouderensoos", themes=["ontmoeting"], childcare=True)
    senior.target_groups.set(TargetGroup.objects.filter(slug="ouderen"))
    index_activities([senior.pk])
    assert slugs(client, soort="dienst") == ["spreekuur"]
    assert set(slugs(client, thema=["eten", "geldzaken"])) == {"eettafel", "spreekuur"}
    assert slugs(client, doelgroep="ouderen") == ["ouderensoos"]
    assert set(slugs(client, gratis="on")) == {"spreekuur", "ouderensoos"}
    assert slugs(client, taal="ar") == ["eettafel"]
    assert set(slugs(client, toegankelijk="drempelvrij")) == {"eettafel", "spreekuur"}
    assert slugs(client, toegankelijk=["drempelvrij", "ringleiding"]) == ["spreekuur"]
    assert slugs(client, toegankelijk="kinderopvang") == ["ouderensoos"]


def test_filters_on_wijk_and_buurt_include_activities_serving_them(client, make, lombok):
    elsewhere = Buurt.objects.exclude(wijk=lombok.wijk).first()
    same_wijk = Buurt.objects.filter(wijk=lombok.wijk).exclude(pk=lombok.pk).first()
    make("In Lombok")
    make("Elders", location_buurt=elsewhere)
    make("Elders voor Lombok", location_buurt=elsewhere, buurten=[lombok])
    make("Buurman", location_buurt=same_wijk)
    assert set(slugs(client, buurt=lombok.code)) == {"in-lombok", "elders-voor-lombok"}
    assert set(slugs(client, wijk=lombok.wijk.code)) == {"in-lombok", "elders-voor-lombok", "buurman"}
    assert slugs(client, wijk=lombok.wijk.code, buurt=lombok.code, q="elders") == ["elders-voor-lombok"]


def test_filters_on_weekday_part_of_day_and_dates(client, make):
    # NOW is Tuesday 10 March 2026.
    make("Dinsdagochtend")  # weekly on Tuesdays 10:00-12:00 from 17 March
    make(
        "Donderdagavond",
        starts_at=dt.datetime(2026, 3, 12, 19, 30, tzinfo=AMSTERDAM),
        ends_at=dt.datetime(2026, 3, 12, 21, tzinfo=AMSTERDAM),
    )
    make(
        "Zaterdagmarkt eenmalig",
        rrule="",
        starts_at=dt.datetime(2026, 4, 4, 11, tzinfo=AMSTERDAM),
        ends_at=dt.datetime(2026, 4, 4, 15, tzinfo=AMSTERDAM),
    )
    make(
        "Maandag en woensdag middag",
        rrule="FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20260331T220000Z",
        starts_at=dt.datetime(2026, 3, 11, 14, tzinfo=AMSTERDAM),
        ends_at=dt.datetime(2026, 3, 11, 16, tzinfo=AMSTERDAM),
    )
    assert slugs(client, dag="di") == ["dinsdagochtend"]
    assert set(slugs(client, dag=["ma", "do"])) == {"donderdagavond", "maandag-en-woensdag-middag"}
    assert slugs(client, dagdeel="avond") == ["donderdagavond"]
    assert set(slugs(client, dagdeel="middag")) == {"zaterdagmarkt-eenmalig", "maandag-en-woensdag-middag"}
    assert set(slugs(client, dagdeel="ochtend")) == {"dinsdagochtend", "zaterdagmarkt-eenmalig"}
    # Wednesday 1 to Sunday 5 April: the market is on the 4th; the Monday/Wednesday series ended on 31 March;
    # there is no Tuesday in the range.
    assert set(slugs(client, van="2026-04-01", tot="2026-04-05")) == {"donderdagavond", "zaterdagmarkt-eenmalig"}
    assert "dinsdagochtend" in slugs(client, van="2026-04-01", tot="2026-04-07")
    # Wednesday 15 April to Friday 17 April: no Tuesday, no Saturday.
    assert slugs(client, van="15-04-2026", tot="17-04-2026") == ["donderdagavond"]
    assert slugs(client, van="2026-04-15", tot="2026-04-17", dag="za") == []


def test_results_show_the_next_dates_that_fit_the_filters(client, make):
    make(
        "Maandag en woensdag middag",
        rrule="FREQ=WEEKLY;BYDAY=MO,WE",
        starts_at=dt.datetime(2026, 3, 11, 14, tzinfo=AMSTERDAM),
        ends_at=dt.datetime(2026, 3, 11, 16, tzinfo=AMSTERDAM),
    )
    response = client.get(URL, {"dag": "ma"})
    assert 'datetime="2026-03-16T14:00:00+01:00"' in response.text
    assert 'datetime="2026-03-11T14:00:00+01:00"' not in response.text  # a Wednesday
    assert 'datetime="2026-03-11T14:00:00+01:00"' in client.get(URL).text


def test_near_a_postcode_puts_its_buurt_first_then_its_wijk_then_the_nearest_buurten(
    client, make, lombok, lombok_postcode
):
    same_wijk = Buurt.objects.filter(wijk=lombok.wijk).exclude(pk=lombok.pk).order_by("code").first()
    near, far = Buurt.objects.exclude(wijk=lombok.wijk).order_by("code")[:2]
    for buurt, west in ((lombok, 5.10), (near, 5.12), (far, 5.30), (same_wijk, 5.40)):
        Buurt.objects.filter(pk=buurt.pk).update(min_lon=west, max_lon=west + 0.01, min_lat=52.09, max_lat=52.10)
    make("A ver weg", location_buurt=far)
    make("B dichtbij", location_buurt=near)
    make("C zelfde wijk", location_buurt=same_wijk)
    make("D in Lombok")
    make("E online", location_buurt=None, location="online")
    make("F online voor Lombok", location_buurt=None, location="online", buurten=[lombok])
    expected = ["d-in-lombok", "f-online-voor-lombok", "c-zelfde-wijk", "b-dichtbij", "a-ver-weg", "e-online"]
    assert slugs(client, postcode="3531 ab") == expected
    assert slugs(client, postcode="3531") == expected
    assert slugs(client)[0] == "a-ver-weg"  # without a postcode: by date, then title


def test_near_a_postcode_uses_the_representative_points_of_the_buurten_where_known(
    client, make, lombok, lombok_postcode
):
    # Boxes say: "box near" is close and "point near" far; the points inside the buurten say the opposite. A buurt
    # without a point is placed by the centre of its box.
    box_near, point_near, box_only = Buurt.objects.exclude(wijk=lombok.wijk).order_by("code")[:3]
    bbox = {"min_lat": 52.09, "max_lat": 52.10}
    Buurt.objects.filter(pk=lombok.pk).update(min_lon=5.10, max_lon=5.11, point_lon=5.105, point_lat=52.095, **bbox)
    Buurt.objects.filter(pk=box_near.pk).update(min_lon=5.11, max_lon=5.12, point_lon=5.50, point_lat=52.095, **bbox)
    Buurt.objects.filter(pk=point_near.pk).update(min_lon=5.40, max_lon=5.60, point_lon=5.12, point_lat=52.095, **bbox)
    Buurt.objects.filter(pk=box_only.pk).update(min_lon=5.20, max_lon=5.21, point_lon=None, point_lat=None, **bbox)
    make("A box near", location_buurt=box_near)
    make("B point near", location_buurt=point_near)
    make("C box only", location_buurt=box_only)
    assert slugs(client, postcode="3531 AB") == ["b-point-near", "c-box-only", "a-box-near"]


def test_sorting_by_relevance_or_by_date(client, make):
    make("Taalcafé later", starts_at=dt.datetime(2026, 3, 13, 10, tzinfo=AMSTERDAM))
    make(
        "Buurtmaaltijd", description="Met de taalcafé-groep.", starts_at=dt.datetime(2026, 3, 11, 10, tzinfo=AMSTERDAM)
    )
    assert slugs(client, q="taalcafe") == ["taalcafe-later", "buurtmaaltijd"]
    assert slugs(client, q="taalcafe", sorteer="datum") == ["buurtmaaltijd", "taalcafe-later"]
    assert slugs(client) == ["buurtmaaltijd", "taalcafe-later"]


# Pagination and shareable URLs ------------------------------------------------------------------------------


def test_results_are_paginated_and_the_links_keep_every_filter(client, make):
    for number in range(25):
        make(f"Koffie {number:02d}", themes=["ontmoeting"])
    response = client.get(URL, {"q": "koffie", "thema": "ontmoeting", "dag": "di"})
    assert len(RESULT.findall(response.text)) == 20
    assert "25 resultaten" in response.text
    assert 'href="?q=koffie&amp;thema=ontmoeting&amp;dag=di&amp;page=2"' in response.text
    second = client.get(URL, {"q": "koffie", "thema": "ontmoeting", "dag": "di", "page": 2})
    assert len(RESULT.findall(second.text)) == 5
    assert client.get(URL, {"q": "koffie", "page": "tien"}).status_code == 200


def test_the_form_shows_the_search_that_was_made(client, make):
    response = client.get(URL, {"q": "koffie", "dag": "di", "postcode": "", "gratis": "on"})
    assert 'value="koffie"' in response.text
    assert re.search(r'<input[^>]*name="dag"[^>]*value="di"[^>]*checked', response.text)


# Bad input ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"postcode": "9999 ZZ"}, "We kennen postcode 9999 ZZ niet in Utrecht"),
        ({"postcode": "hallo"}, "is geen Nederlandse postcode"),
        ({"van": "2026-05-01", "tot": "2026-04-01"}, "De einddatum ligt voor de begindatum"),
        ({"van": "31-02-2026"}, "Voer een geldige datum in"),
        ({"thema": "bestaat-niet"}, "bestaat-niet"),
        ({"dag": "maandag"}, "maandag"),
        ({"buurt": "BU999"}, "Selecteer een geldige keuze"),
        ({"q": "x" * 300}, "Zorg dat deze waarde niet meer dan 200 tekens bevat"),
    ],
)
def test_bad_input_gets_a_clear_message_and_no_results(client, make, params, message):
    make("Koffieochtend")
    response = client.get(URL, params)
    assert response.status_code == 200
    assert message in response.text
    assert RESULT.findall(response.text) == []
    assert "utrecht-alert--error" in response.text


def test_the_page_is_in_english_too(client, make):
    make("Koffieochtend")
    client.cookies["django_language"] = "en"
    response = client.get(URL, {"q": "koffie"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Search activities and services" in response.text
    assert "1 result" in response.text


def test_the_home_page_and_the_menu_lead_to_search(client, places):
    response = client.get("/")
    assert 'action="/zoeken/"' in response.text
    assert 'href="/zoeken/"' in response.text


# Query count -------------------------------------------------------------------------------------------------


def test_the_number_of_queries_does_not_grow_with_the_results(client, make, organisation, lombok_postcode):
    params = {"q": "koffie", "thema": "ontmoeting", "postcode": "3531AB", "dagdeel": "ochtend"}
    make("Koffie 0", themes=["ontmoeting"])
    with CaptureQueriesContext(connection) as few:
        assert len(slugs(client, **params)) == 1
    extra = [OrganisationFactory(name=f"Mede {n}", slug=f"mede-{n}") for n in range(3)]
    for number in range(1, 20):
        make(f"Koffie {number}", themes=["ontmoeting", "eten"], organisations=[organisation, *extra])
    with CaptureQueriesContext(connection) as many:
        assert len(slugs(client, **params)) == 20
    assert len(many.captured_queries) == len(few.captured_queries)


# The derived schedule columns --------------------------------------------------------------------------------


def test_the_schedule_summary_of_a_repeating_and_a_one_off_activity():
    weekly = summarise(
        starts_at=dt.datetime(2026, 3, 3, 11, 30, tzinfo=AMSTERDAM),
        ends_at=dt.datetime(2026, 3, 3, 13, tzinfo=AMSTERDAM),
        rrule="FREQ=WEEKLY;BYDAY=TU,TH;COUNT=4",
        exdates=[],
        today=dt.date(2026, 3, 4),
    )
    assert weekly.weekdays == 2 | 8
    assert weekly.dayparts == 1 | 2
    assert (weekly.first_date, weekly.last_date, weekly.next_date) == (
        dt.date(2026, 3, 3),
        dt.date(2026, 3, 12),
        dt.date(2026, 3, 5),
    )
    evening = summarise(
        starts_at=dt.datetime(2026, 3, 7, 20, tzinfo=AMSTERDAM),
        ends_at=None,
        rrule="",
        exdates=[],
        today=dt.date(2026, 3, 8),
    )
    assert (evening.weekdays, evening.dayparts, evening.last_date, evening.next_date) == (
        32,
        4,
        dt.date(2026, 3, 7),
        None,
    )


def test_search_activities_can_be_used_without_the_page(make):
    make("Taalcafé", themes=["taal"])
    form = ActivitySearchForm({"q": "taalcafe", "thema": ["taal"]})
    assert form.is_valid()
    results = search_activities(form.cleaned_data, now=timezone.now())
    assert [(a.title, a.title_hits) for a in results] == [("Taalcafé", 1)]
    assert Theme.objects.filter(slug="taal").exists()


@pytest.mark.parametrize(
    "rrule", ["", "FREQ=WEEKLY", "FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20260430T220000Z", "FREQ=MONTHLY;BYDAY=+2TU"]
)
def test_upcoming_gives_the_first_occurrences_lazily(rrule):
    starts_at = dt.datetime(2026, 3, 3, 10, tzinfo=AMSTERDAM)
    window = {"window_start": NOW, "window_end": NOW + dt.timedelta(days=200)}
    schedule_ = {"starts_at": starts_at, "ends_at": starts_at + dt.timedelta(hours=2), "rrule": rrule, "exdates": []}
    every = occurrences(**schedule_, **window)
    assert upcoming(**schedule_, **window, limit=3) == every[:3]
    mondays = upcoming(**schedule_, **window, limit=2, keep=lambda o: o.start.weekday() == 0)
    assert mondays == [o for o in every if o.start.weekday() == 0][:2]


def test_the_filter_form_is_the_same_html_as_with_djangos_widget_templates(make):
    from samen030.core.tests.test_widgets import template_html

    data = {"buurt": "BU03440121", "thema": ["taal", "eten"], "dag": ["di"], "taal": "ar", "wijk": "WK034405"}
    for form in (ActivitySearchForm(), ActivitySearchForm(data)):
        form.is_valid()
        compared = 0
        for field in form:
            if type(field.field.widget).__module__ == "samen030.core.widgets":
                assert str(field.as_widget()) == template_html(field), field.name
                compared += 1
        assert compared == 10


# Renames of what activities are tagged with ------------------------------------------------------------------


def test_renaming_the_organisation_on_its_page_updates_the_search(client, login, make, organisation, stemlid_editor):
    from samen030.organisations.tests.test_views import form_data

    make("Koffieochtend")
    assert slugs(client, q="buurthuis") == ["koffieochtend"]
    response = login(stemlid_editor).post(
        f"/organisaties/{organisation.slug}/bewerken/", form_data(organisation, name="Wijkcentrum Zonnebloem")
    )
    assert response.status_code == 302
    assert slugs(client, q="zonnebloem") == ["koffieochtend"]
    assert slugs(client, q="buurthuis") == []


def test_renaming_the_organisation_in_the_admin_updates_the_search(client, rf, make, organisation, platform_admin):
    from django.contrib import admin

    from samen030.organisations.models import Organisation

    make("Koffieochtend")
    model_admin = admin.site._registry[Organisation]
    request = rf.post("/")
    request.user = platform_admin
    form_class = model_admin.get_form(request, organisation, change=True)
    initial = form_class(instance=organisation).initial
    data = {key: value for key, value in initial.items() if value is not None}
    data.update(name="Wijkcentrum Zonnebloem", buurten=[b.pk for b in organisation.buurten.all()], wijken=[])
    form = form_class(data, instance=organisation)
    assert form.is_valid(), form.errors
    model_admin.save_model(request, form.save(commit=False), form, change=True)
    assert slugs(client, q="zonnebloem") == ["koffieochtend"]


@pytest.mark.parametrize("model", ["theme", "targetgroup"])
def test_renaming_a_theme_or_target_group_in_the_admin_updates_the_search(client, login, make, platform_admin, model):
    term = Theme.objects.get(slug="taal") if model == "theme" else TargetGroup.objects.order_by("pk").first()
    activity = make("Koffieochtend")
    getattr(activity, "themes" if model == "theme" else "target_groups").set([term])
    index_activities([activity.pk])
    make("Fietsles")
    assert slugs(client, q="zwaluw") == []
    response = login(platform_admin).post(
        f"/beheer/activities/{model}/{term.pk}/change/",
        {"name": "Zwaluwstaart", "name_en": "Swallowtail", "slug": term.slug, "position": term.position},
    )
    assert response.status_code == 302
    assert slugs(client, q="zwaluw") == ["koffieochtend"]
    assert slugs(client, q="swallowtail") == ["koffieochtend"]
