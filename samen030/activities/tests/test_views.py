"""The social map through HTTP: editors create and manage activities, residents find what is on, feeds and
metadata describe the same schedule, and bad input gets a clear message instead of an error page."""

import datetime as dt
import json
import re

import hypothesis
import icalendar
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from hypothesis import strategies as st

from samen030.activities.models import Activity
from samen030.activities.schedule import AMSTERDAM
from samen030.places.models import Buurt, Postcode
from tests.factories import ActivityFactory, EditorFactory, OrganisationFactory, UserFactory

NOW = dt.datetime(2026, 3, 10, 9, tzinfo=AMSTERDAM)


@pytest.fixture
def postcode(lombok):
    return Postcode.objects.create(pc6="3531AB", buurt=lombok)


@pytest.fixture
def coffee(stemlid_org, lombok, postcode):
    return ActivityFactory(
        title="Koffieochtend Lombok", slug="koffieochtend-lombok", organisations=[stemlid_org], location_buurt=lombok
    )


def form_data(**changes):
    data = {
        "title": "Taalcafé",
        "kind": "activiteit",
        "description": "Oefen Nederlands met buren.",
        "themes": ["taal"],
        "languages": ["nl", "ar"],
        "date": "2026-03-17",
        "start_time": "10:00",
        "end_time": "12:00",
        "repeat": "weekly",
        "location": "adres",
        "venue": "Buurthuis Lombok",
        "street": "Kanaalstraat",
        "house_number": "12",
        "postcode": "3531 ab",
        "cost": "gratis",
        "joining": "binnenlopen",
    }
    data.update(changes)
    return data


def create(login, editor, organisation, **changes):
    data = form_data(**changes)
    data.setdefault("organisations", [organisation.pk])
    return login(editor).post(reverse("activity-create", args=[organisation.slug]), data, HTTP_ACCEPT_LANGUAGE="en")


# Creating and editing ---------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_an_editor_creates_a_weekly_activity_and_the_postcode_gives_the_buurt(
    login, stemlid_org, stemlid_editor, postcode, lombok
):
    response = create(login, stemlid_editor, stemlid_org)
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == activity.get_absolute_url() == "/activiteiten/taalcafe/"
    assert activity.location_buurt == lombok
    assert activity.rrule == "FREQ=WEEKLY"
    assert activity.starts_at == dt.datetime(2026, 3, 17, 10, tzinfo=AMSTERDAM)
    assert list(activity.organisations.all()) == [stemlid_org]
    page = login(None).get(activity.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Taalcafé" in page.text
    assert "Every week, from 17 March 2026." in page.text
    assert "Elke week, vanaf 17 maart 2026." in login(None).get(activity.get_absolute_url()).text


@time_machine.travel(NOW, tick=False)
def test_editing_keeps_the_schedule_choices(login, stemlid_editor, coffee):
    form = login(stemlid_editor).get(reverse("activity-edit", args=[coffee.slug]))
    assert form.status_code == 200
    assert re.search(r'value="weekly"[^>]*checked', form.text)
    assert 'value="2026-03-17"' in form.text
    response = login(stemlid_editor).post(
        reverse("activity-edit", args=[coffee.slug]),
        form_data(
            title="Koffieochtend Lombok",
            organisations=[coffee.organisations.get().pk],
            themes=["ontmoeting"],
            repeat="monthly",
            until="2026-12-31",
            exceptions="21-04-2026\n2026-07-21",
        ),
    )
    assert response.status_code == 302
    coffee.refresh_from_db()
    assert coffee.rrule == "FREQ=MONTHLY;BYDAY=+3TU;UNTIL=20261231T225959Z"
    assert coffee.exdates == ["2026-04-21", "2026-07-21"]


@pytest.mark.usefixtures("postcode")
@pytest.mark.parametrize(
    "case",
    [
        ({"end_time": "09:00"}, "end_time", "The end time must be after the start time."),
        ({"repeat": "custom", "custom_rule": "FREQ=WEEKLY;BYDAY=XX"}, "custom_rule", "cannot be read"),
        ({"repeat": "custom", "custom_rule": "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"}, "custom_rule", "no date"),
        ({"repeat": "weekly", "until": "2026-01-01"}, "until", "no date"),
        ({"exceptions": "18-03-2026"}, "exceptions", "18-03-2026"),
        ({"exceptions": "morgen"}, "exceptions", "is not a date"),
        ({"repeat": "once", "exceptions": "17-03-2026"}, "exceptions", "Only a repeating activity"),
        ({"postcode": "9999 ZZ"}, "postcode", "We do not know this postcode in Utrecht."),
        ({"postcode": "hallo"}, "postcode", ""),
        ({"location": "online"}, "online_url", "Give the link"),
        ({"cost": "prijs"}, "price", "Give the price"),
        ({"themes": []}, "themes", ""),
    ],
)
def test_bad_input_is_refused_with_a_message(login, stemlid_org, stemlid_editor, case):
    changes, field, message = case
    response = create(login, stemlid_editor, stemlid_org, **changes)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert 'role="alert"' in response.text
    assert not Activity.objects.exists()


def test_an_editor_cannot_put_an_activity_only_on_another_organisation(
    login, stemlid_org, stemlid_editor, steunlid_org, postcode
):
    response = create(login, stemlid_editor, stemlid_org, organisations=[steunlid_org.pk])
    assert response.status_code == 200
    assert "organisations" in response.context["form"].errors


def test_co_organised_activities_belong_to_both_organisations(login, stemlid_org, stemlid_editor, lombok, postcode):
    other = OrganisationFactory(name="Taalhuis Utrecht", buurten=[lombok])
    EditorFactory(organisation=other, user=stemlid_editor)
    create(login, stemlid_editor, stemlid_org, organisations=[stemlid_org.pk, other.pk])
    assert set(Activity.objects.get().organisations.all()) == {stemlid_org, other}


def test_unsafe_markdown_is_neutralised(login, stemlid_org, stemlid_editor, postcode):
    description = (
        "Hallo <script>alert('x')</script> <img src=x onerror=alert(1)> "
        "[klik](javascript:alert(1)) [site](https://example.nl) **vet**"
    )
    create(login, stemlid_editor, stemlid_org, description=description)
    page = login(None).get(Activity.objects.get().get_absolute_url()).text
    body = page.split('<div class="samen030-prose">')[1].split("</div>")[0]
    assert "<script" not in body
    assert "onerror" not in body
    assert "javascript:" not in body
    assert '<a href="https://example.nl" rel="nofollow noopener">site</a>' in body
    assert "<strong>vet</strong>" in body


def test_strangers_and_other_editors_may_not_create_or_edit(login, stemlid_org, steunlid_editor, coffee):
    assert login(None).get(reverse("activity-create", args=[stemlid_org.slug])).status_code == 302
    assert login(steunlid_editor).get(reverse("activity-create", args=[stemlid_org.slug])).status_code == 403
    assert login(steunlid_editor).get(reverse("activity-edit", args=[coffee.slug])).status_code == 403
    assert login(UserFactory(is_board=True)).get(reverse("activity-edit", args=[coffee.slug])).status_code == 403


# Duplicate, pause, remove, confirm, hide --------------------------------------------------------------------


def test_duplicating_makes_a_paused_copy_with_the_same_details(login, stemlid_editor, coffee, lombok):
    coffee.buurten.set([lombok])
    response = login(stemlid_editor).post(reverse("activity-duplicate", args=[coffee.slug]))
    copy = Activity.objects.exclude(pk=coffee.pk).get()
    assert response["Location"] == reverse("activity-edit", args=[copy.slug])
    assert copy.is_paused
    assert copy.rrule == coffee.rrule
    assert list(copy.buurten.all()) == [lombok]
    assert list(copy.organisations.all()) == list(coffee.organisations.all())
    assert login(None).get(copy.get_absolute_url()).status_code == 404


def test_a_hidden_activity_cannot_be_copied_out_of_the_boards_decision(login, stemlid_editor, coffee, board_member):
    login(board_member).post(reverse("activity-hide", args=[coffee.slug]), {"reason": "Reclame."})
    response = login(stemlid_editor).post(reverse("activity-duplicate", args=[coffee.slug]))
    assert response["Location"] == coffee.get_absolute_url()
    assert Activity.objects.count() == 1


def test_a_price_is_typed_the_dutch_way(login, stemlid_org, stemlid_editor, postcode):
    data = form_data(cost="prijs", price="2,50", organisations=[stemlid_org.pk])
    response = login(stemlid_editor).post(reverse("activity-create", args=[stemlid_org.slug]), data)
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert str(activity.price) == "2.50"
    assert "€ 2,50" in login(None).get(activity.get_absolute_url()).text


def test_online_and_at_home_activities_keep_no_address(login, stemlid_org, stemlid_editor, postcode, lombok):
    create(
        login, stemlid_editor, stemlid_org, location="online", online_url="meet.example.nl/taal", buurten=[lombok.code]
    )
    activity = Activity.objects.get()
    assert (activity.online_url, activity.street, activity.location_buurt) == ("https://meet.example.nl/taal", "", None)
    assert "https://meet.example.nl/taal" in login(None).get(activity.get_absolute_url()).text


def test_a_paused_activity_is_hidden_from_the_public_until_resumed(login, client, stemlid_editor, coffee):
    login(stemlid_editor).post(reverse("activity-pause", args=[coffee.slug]))
    assert client.get(coffee.get_absolute_url()).status_code == 404
    assert "gepauzeerd" in login(stemlid_editor).get(coffee.get_absolute_url()).text
    login(stemlid_editor).post(reverse("activity-resume", args=[coffee.slug]))
    assert client.get(coffee.get_absolute_url()).status_code == 200


def test_removing_asks_first_then_deletes(login, stemlid_org, stemlid_editor, coffee):
    assert login(stemlid_editor).get(reverse("activity-remove", args=[coffee.slug])).status_code == 200
    response = login(stemlid_editor).post(reverse("activity-remove", args=[coffee.slug]))
    assert response["Location"] == reverse("organisation-activities", args=[stemlid_org.slug])
    assert not Activity.objects.exists()


def test_the_board_hides_an_activity_with_a_reason_the_editors_see(login, client, board_member, stemlid_editor, coffee):
    empty = login(board_member).post(reverse("activity-hide", args=[coffee.slug]), {"reason": "  "})
    assert empty.status_code == 200
    login(board_member).post(reverse("activity-hide", args=[coffee.slug]), {"reason": "Dit is reclame."})
    assert client.get(coffee.get_absolute_url()).status_code == 404
    editor_view = login(stemlid_editor).get(coffee.get_absolute_url())
    assert "Dit is reclame." in editor_view.text
    assert login(stemlid_editor).post(reverse("activity-unhide", args=[coffee.slug])).status_code == 403
    assert login(stemlid_editor).get(reverse("activity-hide", args=[coffee.slug])).status_code == 403
    login(board_member).post(reverse("activity-unhide", args=[coffee.slug]))
    assert client.get(coffee.get_absolute_url()).status_code == 200


def test_a_listing_not_confirmed_for_a_year_says_so_until_an_editor_confirms(login, client, stemlid_editor, coffee):
    with time_machine.travel(timezone.now() + dt.timedelta(days=400)):
        assert "Not recently confirmed" in client.get(coffee.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").text
        assert "Niet recent bevestigd" in client.get(coffee.get_absolute_url()).text
        login(stemlid_editor).post(reverse("activity-confirm", args=[coffee.slug]))
        assert "Niet recent bevestigd" not in client.get(coffee.get_absolute_url()).text


def test_activities_of_an_unpublished_organisation_are_not_public(client, lombok, postcode):
    hidden = ActivityFactory(organisations=[OrganisationFactory(is_published=False)])
    assert client.get(hidden.get_absolute_url()).status_code == 404


# What's on: buurt, wijk, theme and organisation pages -------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_buurt_page_lists_upcoming_dates_first_with_recurring_activities_expanded(client, coffee, stemlid_org):
    one_off = ActivityFactory(
        title="Buurtfeest",
        organisations=[stemlid_org],
        starts_at=dt.datetime(2026, 3, 14, 15, tzinfo=AMSTERDAM),
        rrule="",
        location_buurt=coffee.location_buurt,
    )
    ActivityFactory(title="Vorig jaar", organisations=[stemlid_org], rrule="", starts_at=NOW - dt.timedelta(days=400))
    response = client.get(reverse("buurt-activities", args=["BU03440121"]))
    assert response.status_code == 200
    text = response.text
    assert text.index("Buurtfeest") < text.index("Koffieochtend Lombok")
    assert text.count(coffee.get_absolute_url()) == 7  # the Tuesdays from 17 March to 28 April
    assert text.count(one_off.get_absolute_url()) == 1
    assert "Vorig jaar" not in text
    assert "Dinsdag 31 maart 2026" in text  # after the change to summer time ...
    assert '<time datetime="2026-03-31T10:00:00+02:00">10:00</time>' in text  # ... still at ten
    assert '<link rel="alternate" type="text/calendar"' in text
    assert 'href="/buurten/BU03440121/activiteiten.ics"' in text


@time_machine.travel(NOW, tick=False)
def test_what_is_on_pages_are_cached_for_visitors(client, login, settings, coffee, stemlid_editor):
    settings.PAGE_CACHE_SECONDS = 60
    urls = [
        reverse("buurt-activities", args=["BU03440121"]),
        reverse("wijk-activities", args=[coffee.location_buurt.wijk.code]),
        reverse("organisation-activities", args=[coffee.organisations.get().slug]),
    ]
    for url in urls:
        assert "Koffieochtend Lombok" in client.get(url).text
    Activity.objects.filter(pk=coffee.pk).update(title="Veranderd buiten de site om")
    for url in urls:
        assert "Veranderd buiten de site om" not in client.get(url).text  # served from the cache
    assert "Veranderd buiten de site om" in login(stemlid_editor).get(urls[0]).text  # logged in: always fresh


@time_machine.travel(NOW, tick=False)
def test_the_wijk_page_includes_its_buurten_and_citywide_activities(client, coffee, stemlid_org, places):
    citywide = ActivityFactory(title="Stadswandeling", organisations=[stemlid_org], citywide=True, location="online")
    elsewhere = ActivityFactory(
        title="Elders", organisations=[stemlid_org], location_buurt=Buurt.objects.get(code="BU03440621")
    )
    text = client.get(reverse("wijk-activities", args=["WK034401"])).text
    assert "Koffieochtend Lombok" in text
    assert citywide.title in text
    assert elsewhere.title not in text


@time_machine.travel(NOW, tick=False)
def test_the_listing_filters_by_theme_and_kind_and_ignores_nonsense(client, coffee):
    url = reverse("buurt-activities", args=["BU03440121"])
    assert "Koffieochtend Lombok" in client.get(url, {"theme": "ontmoeting"}).text
    assert "Koffieochtend Lombok" not in client.get(url, {"theme": "taal"}).text
    assert "Koffieochtend Lombok" not in client.get(url, {"kind": "dienst"}).text
    assert client.get(url, {"theme": "<script>", "kind": "x", "page": "zz"}).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_theme_and_organisation_pages_list_activities(login, client, coffee, stemlid_org, stemlid_editor):
    assert "Koffieochtend Lombok" in client.get(reverse("theme-activities", args=["ontmoeting"])).text
    public = client.get(reverse("organisation-activities", args=[stemlid_org.slug])).text
    assert "Koffieochtend Lombok" in public
    assert reverse("activity-create", args=[stemlid_org.slug]) not in public
    own = login(stemlid_editor).get(reverse("organisation-activities", args=[stemlid_org.slug])).text
    assert reverse("activity-create", args=[stemlid_org.slug]) in own


def test_buurt_wijk_and_organisation_pages_link_to_what_is_on(client, stemlid_org):
    assert 'href="/buurten/BU03440121/activiteiten/"' in client.get("/buurten/BU03440121/").text
    wijk = client.get("/wijken/WK034401/").text
    assert 'href="/wijken/WK034401/activiteiten/"' in wijk
    assert 'type="text/calendar"' in wijk
    organisation = client.get(stemlid_org.get_absolute_url()).text
    assert reverse("organisation-activities", args=[stemlid_org.slug]) in organisation


@pytest.mark.parametrize(
    "url", ["/buurten/BU00000000/activiteiten/", "/wijken/WK999999/activiteiten.ics", "/themas/onbekend/activiteiten/"]
)
def test_unknown_places_and_themes_are_a_404(client, places, url):
    assert client.get(url).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_listing_does_not_repeat_queries_per_activity(client, django_assert_max_num_queries, coffee, stemlid_org):
    for number in range(10):
        ActivityFactory(title=f"Extra {number}", organisations=[stemlid_org], location_buurt=coffee.location_buurt)
    with django_assert_max_num_queries(12):
        client.get(reverse("buurt-activities", args=["BU03440121"]))


# Feeds and metadata ----------------------------------------------------------------------------------------


def parse_feed(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


@time_machine.travel(NOW, tick=False)
def test_the_buurt_feed_has_the_rule_the_time_zone_and_the_exceptions(client, coffee):
    coffee.exdates = ["2026-04-14"]
    coffee.rrule = "FREQ=WEEKLY;UNTIL=20261231T225959Z"
    coffee.save()
    calendar = parse_feed(client.get(reverse("buurt-activities-feed", args=["BU03440121"])))
    assert calendar["version"] == "2.0"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Koffieochtend Lombok"
    assert event.decoded("dtstart") == dt.datetime(2026, 3, 17, 10, tzinfo=AMSTERDAM)
    assert event["dtstart"].params["TZID"] == "Europe/Amsterdam"
    assert event.decoded("dtend") == dt.datetime(2026, 3, 17, 12, tzinfo=AMSTERDAM)
    assert event["rrule"].to_ical() == b"FREQ=WEEKLY;UNTIL=20261231T225959Z"
    exdates = event["exdate"] if isinstance(event["exdate"], list) else [event["exdate"]]
    assert [d.dt for ex in exdates for d in ex.dts] == [dt.datetime(2026, 4, 14, 10, tzinfo=AMSTERDAM)]
    assert str(event["url"]).endswith(coffee.get_absolute_url())
    assert "Iedereen is welkom" in str(event["description"])


@time_machine.travel(NOW, tick=False)
def test_the_feed_expands_the_same_dates_as_the_page_across_summer_time(client, coffee):
    """Expanding the feed's own RRULE with dateutil gives 10:00 local on both sides of 29 March 2026."""
    from dateutil.rrule import rrulestr

    [event] = parse_feed(client.get(reverse("buurt-activities-feed", args=["BU03440121"]))).walk("VEVENT")
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=event.decoded("dtstart"))
    dates = rule.between(dt.datetime(2026, 3, 20, tzinfo=AMSTERDAM), dt.datetime(2026, 4, 5, tzinfo=AMSTERDAM))
    assert [(d.day, d.hour, d.utcoffset()) for d in dates] == [
        (24, 10, dt.timedelta(hours=1)),
        (31, 10, dt.timedelta(hours=2)),
    ]


def test_wijk_theme_and_organisation_feeds_answer_and_skip_hidden_activities(client, coffee, stemlid_org):
    ActivityFactory(title="Verborgen", organisations=[stemlid_org], hidden_at=NOW, hidden_reason="x")
    for url in [
        reverse("wijk-activities-feed", args=["WK034401"]),
        reverse("theme-activities-feed", args=["ontmoeting"]),
        reverse("organisation-activities-feed", args=[stemlid_org.slug]),
    ]:
        summaries = [str(e["summary"]) for e in parse_feed(client.get(url)).walk("VEVENT")]
        assert summaries == ["Koffieochtend Lombok"], url


def jsonld(response):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)
    assert match
    return json.loads(match.group(1))


@time_machine.travel(NOW, tick=False)
def test_an_activity_page_describes_itself_as_a_schema_org_event(client, coffee):
    data = jsonld(client.get(coffee.get_absolute_url()))
    assert data["@type"] == "Event"
    assert data["name"] == "Koffieochtend Lombok"
    assert data["startDate"] == "2026-03-17T10:00:00+01:00"
    assert data["location"]["address"]["postalCode"] == "3531 AB"
    assert data["organizer"][0]["name"] == "Buurthuis Lombok"


def test_a_service_is_a_schema_org_service_and_the_metadata_cannot_break_out(client, coffee):
    coffee.kind = Activity.Kind.SERVICE
    coffee.title = "Hulp </script><script>alert(1)</script>"
    coffee.save()
    response = client.get(coffee.get_absolute_url())
    assert "<script>alert(1)" not in response.text
    data = jsonld(response)
    assert data["@type"] == "Service"
    assert data["name"] == coffee.title


def test_the_account_page_offers_editors_to_add_an_activity(login, stemlid_org, stemlid_editor):
    page = login(stemlid_editor).get(reverse("account-home")).text
    assert reverse("activity-create", args=[stemlid_org.slug]) in page
    assert reverse("organisation-activities", args=[stemlid_org.slug]) in page


@pytest.mark.usefixtures("postcode")
@hypothesis.settings(
    max_examples=25, deadline=None, suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture]
)
@hypothesis.given(
    changes=st.fixed_dictionaries(
        {
            "date": st.text(max_size=12),
            "start_time": st.text(max_size=6),
            "repeat": st.just("custom"),
            "custom_rule": st.text(max_size=40)
            | st.sampled_from(["FREQ=WEEKLY;UNTIL=2026", "FREQ=MONTHLY;BYDAY=+9MO"]),
            "until": st.text(max_size=10),
            "exceptions": st.text(max_size=30),
            "cost": st.just("prijs"),
            "price": st.text(max_size=8),
        }
    )
)
def test_no_input_makes_the_form_fail_with_an_error_page(login, stemlid_org, stemlid_editor, changes):
    response = create(login, stemlid_editor, stemlid_org, **changes)
    assert response.status_code in {200, 302}


def test_the_organisation_page_offers_only_its_editors_to_add_an_activity(login, stemlid_org, stemlid_editor):
    add_url = reverse("activity-create", args=[stemlid_org.slug])
    assert add_url in login(stemlid_editor).get(stemlid_org.get_absolute_url()).text
    assert add_url not in login(UserFactory(is_board=True)).get(stemlid_org.get_absolute_url()).text
    assert add_url not in login(None).get(stemlid_org.get_absolute_url()).text
