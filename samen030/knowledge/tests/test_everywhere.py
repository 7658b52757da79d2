"""The one search box for the whole site: activities, organisations, wijken and buurten, and the library."""

from __future__ import annotations

import html
from urllib.parse import urlencode

import pytest

from samen030.knowledge.models import Item
from tests.factories import ActivityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def found(response, key):
    return next(part for part in response.context["parts"] if part.key == key)


def name(thing):
    if isinstance(thing, dict):  # a wijk or buurt
        return thing["name"]
    return getattr(thing, "title", None) or thing.name


def names(part):
    return sorted(name(thing) for thing in part.first)


@pytest.fixture
def lombok_everywhere(stemlid_org, make_item, lombok):
    ActivityFactory(title="Taalcafé Lombok", slug="taalcafe-lombok", organisations=[stemlid_org])
    elsewhere = OrganisationFactory(name="Koffieclub Zuilen", slug="koffieclub-zuilen")
    ActivityFactory(title="Koffieochtend", slug="koffieochtend", organisations=[elsewhere], postcode="3553AB")
    make_item(title="Lombok leert: een buurtkeuken", summary="Wat we leerden in Lombok.")
    make_item(title="Alleen voor leden: begroting Lombok", audience=Item.Audience.MEMBERS)
    OrganisationFactory(name="Verborgen Lombok", slug="verborgen-lombok", is_published=False)


@pytest.mark.usefixtures("lombok_everywhere")
def test_one_search_finds_activities_organisations_places_and_library_items(login, lombok):
    response = login(None).get("/alles-zoeken/?q=lombok")
    assert response.status_code == 200
    assert names(found(response, "activities")) == ["Taalcafé Lombok"]
    assert names(found(response, "organisations")) == ["Buurthuis Lombok"]  # not the unpublished one
    assert names(found(response, "places")) == ["Lombok-Oost", "Lombok-West"]
    assert names(found(response, "library")) == ["Lombok leert: een buurtkeuken"]  # members-only item hidden
    assert response.context["total"] == 5
    content = response.content.decode()
    assert f'href="{lombok.get_absolute_url()}"' in content
    assert f'href="/zoeken/?{urlencode({"q": "lombok"})}"' in content  # the part's own search, with filters


@pytest.mark.usefixtures("lombok_everywhere")
def test_members_only_items_show_for_editors_of_member_organisations(login, stemlid_editor):
    response = login(stemlid_editor).get("/alles-zoeken/?q=lombok")
    assert names(found(response, "library")) == ["Alleen voor leden: begroting Lombok", "Lombok leert: een buurtkeuken"]


def test_accents_and_case_do_not_matter_and_answers_equal_each_apps_own_search(login, stemlid_org, make_item):
    ActivityFactory(title="Taalcafé voor iedereen", slug="taalcafe", organisations=[stemlid_org])
    make_item(title="Het TAALCAFE draaiende houden")
    client = login(None)
    response = client.get("/alles-zoeken/?q=TAALCAFE")
    assert names(found(response, "activities")) == ["Taalcafé voor iedereen"]
    assert names(found(response, "library")) == ["Het TAALCAFE draaiende houden"]
    own_search = client.get("/zoeken/?q=TAALCAFE").context["page_obj"]
    assert [a.title for a in own_search] == names(found(response, "activities"))
    library = client.get("/kennis/?q=TAALCAFE").context["page_obj"]
    assert [i.title for i in library] == names(found(response, "library"))


def test_only_the_first_results_show_with_a_link_to_the_rest(login, stemlid_org):
    for number in range(7):
        ActivityFactory(title=f"Buurtmaaltijd {number}", slug=f"buurtmaaltijd-{number}", organisations=[stemlid_org])
    response = login(None).get("/alles-zoeken/?q=buurtmaaltijd")
    part = found(response, "activities")
    assert (part.count, len(part.first), part.rest) == (7, 5, 2)
    assert "/zoeken/?q=buurtmaaltijd" in response.content.decode()


def test_nothing_found_says_so_and_offers_the_filters(login, places):
    response = login(None).get("/alles-zoeken/?q=xylofoonwerkplaats")
    assert response.status_code == 200
    assert response.context["total"] == 0
    assert all(part.count == 0 and not part.first for part in response.context["parts"])


@pytest.mark.parametrize(("query", "message"), [("!!! ???", "letters or digits"), ("x" * 201, "200")])
def test_bad_input_gets_a_clear_message_not_an_error(login, places, query, message):
    client = login(None)
    client.cookies["django_language"] = "en"
    response = client.get("/alles-zoeken/", {"q": query}, headers={"accept-language": "en"})
    assert response.status_code == 400
    [error] = response.context["form"].errors["q"]
    assert message in error
    assert html.escape(error) in response.content.decode()
    assert response.context["parts"] == []


def test_without_words_the_page_shows_the_search_box(login, places):
    response = login(None).get("/alles-zoeken/")
    assert response.status_code == 200
    assert response.context["parts"] == []
    assert 'name="q"' in response.content.decode()


def test_every_page_has_the_site_search_box(login, places):
    content = login(None).get("/wijken/").content.decode()
    assert 'action="/alles-zoeken/"' in content
    assert 'id="site-search"' in content
