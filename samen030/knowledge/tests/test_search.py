"""Search over titles, bodies and file text, with facets; the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from samen030.knowledge import samples, search, services
from samen030.knowledge.files import check_bytes
from samen030.knowledge.models import Item
from samen030.places.models import Wijk

pytestmark = pytest.mark.django_db


def titles(response):
    return sorted(item.title for item in response.context["page_obj"])


def test_search_finds_words_in_titles_bodies_and_file_text_without_accents(login, make_item):
    make_item(title="Coöperatie oprichten", body="Zo richt je een buurtcoöperatie op.")
    with_file = make_item(title="Plan", body="Zie bijlage.")
    services.add_file(
        item=with_file, checked=check_bytes(samples.docx("Wormenhotel"), name="p.docx"), alt_text="", by=None
    )
    make_item(title="Iets anders")
    client = login(None)
    assert titles(client.get("/kennis/?q=cooperatie")) == ["Coöperatie oprichten"]
    assert titles(client.get("/kennis/?q=WORMENHOTEL")) == ["Plan"]
    assert titles(client.get("/kennis/?q=buurtcooperatie+richt")) == ["Coöperatie oprichten"]
    assert titles(client.get("/kennis/?q=niets+hiervan")) == []


def test_facets_count_and_filter_by_kind_theme_wijk_licence_and_year(login, make_item, places):
    old = make_item(title="Oud idee", themes=("eten",), licence=Item.Licence.CC_BY_SA)
    Item.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=800))
    plan = make_item(title="Plan Lombok", kind=Item.Kind.PROJECT_PLAN, themes=("taal",))
    plan.buurten.add("BU03440121")
    funding = make_item(title="Fonds", kind=Item.Kind.FUNDING, themes=("eten", "taal"))
    funding.wijken.add(Wijk.objects.get(code="WK034403"))
    client = login(None)
    response = client.get("/kennis/")
    facets = response.context["facets"]
    assert {value: count for value, _label, count in facets.themes} == {"eten": 2, "taal": 2}
    assert {value: count for value, _label, count in facets.kinds} == {
        "idee": 1,
        "projectplan": 1,
        "financiering": 1,
    }
    assert {value: count for value, _label, count in facets.licences} == {"cc-by": 2, "cc-by-sa": 1}
    assert plan.buurten.get().wijk_id == "WK034401"
    assert titles(client.get("/kennis/?wijk=WK034401")) == ["Plan Lombok"]
    assert titles(client.get("/kennis/?wijk=WK034403")) == ["Fonds"]
    assert titles(client.get("/kennis/?theme=taal&kind=financiering")) == ["Fonds"]
    assert titles(client.get("/kennis/?licence=cc-by-sa")) == ["Oud idee"]
    old_year = timezone.localtime(timezone.now() - dt.timedelta(days=800)).year
    assert titles(client.get(f"/kennis/?year={old_year}")) == ["Oud idee"]


def test_facet_links_keep_the_query_and_drop_the_page(login, make_item):
    make_item(title="Repair Café", themes=("eten",))
    page = login(None).get("/kennis/?q=repair&page=1").content.decode()
    assert "?q=repair&amp;theme=eten" in page


def test_a_bad_filter_value_is_ignored_not_an_error(login, make_item):
    make_item()
    assert login(None).get("/kennis/?year=abc&theme=bestaat-niet").status_code == 200


def test_the_search_box_offers_the_social_map_search_when_it_exists(login, make_item, settings):
    from django.urls import NoReverseMatch, reverse

    make_item(title="Taalcafé")
    body = login(None).get("/kennis/", {"q": "taalcafe"}).content.decode()
    try:
        url = reverse("activity-search")
    except NoReverseMatch:
        assert "/zoeken/" not in body
    else:
        assert f'href="{url}?q=taalcafe"' in body


def test_facets_count_only_the_items_that_match_the_words(login, make_item, places):
    first = make_item(title="Buurtkeuken Lombok", themes=("eten",))
    first.buurten.add("BU03440121")
    first.wijken.add("WK034401")  # the same wijk twice (directly and through a buurt) counts once
    make_item(title="Buurtkeuken Overvecht", kind=Item.Kind.EVALUATION, themes=("eten", "ontmoeting"))
    make_item(title="Fietsles", themes=("sport-en-bewegen",))
    facets = login(None).get("/kennis/", {"q": "buurtkeukens"}).context["facets"]
    assert {value: count for value, _label, count in facets.kinds} == {"idee": 1, "evaluatie": 1}
    assert {value: count for value, _label, count in facets.themes} == {"eten": 2, "ontmoeting": 1}
    assert {value: count for value, _label, count in facets.wijken} == {"WK034401": 1}


@pytest.fixture
def varied_library(make_item, places, resident):
    """Items over every facet: kinds, licences, three years, themes, wijken named directly, through a buurt or
    both, with members-only and hidden ones that a stranger must not see or count."""
    now = timezone.now()
    buurten = {"WK034401": "BU03440121"}
    items = []
    for number in range(18):
        item = make_item(
            title=f"Buurtkeuken {number}" if number % 3 == 0 else f"Plan {number}",
            body="Samen koken in de buurt." if number % 2 == 0 else "Een fietsenmaker in de wijk.",
            kind=list(Item.Kind)[number % len(Item.Kind)],
            licence=list(Item.Licence)[number % len(Item.Licence)],
            themes=(("eten",), ("taal",), ("eten", "ontmoeting"))[number % 3],
            audience=Item.Audience.MEMBERS if number % 7 == 6 else Item.Audience.PUBLIC,
            hidden_at=now if number % 8 == 5 else None,
        )
        Item.objects.filter(pk=item.pk).update(created_at=now - dt.timedelta(days=150 * (number % 3) + number))
        if number % 4 == 0:
            item.wijken.add("WK034401")
        if number % 4 in (0, 1):
            item.buurten.add(buurten["WK034401"])  # item 0, 4, …: the wijk named and one of its buurten: once
        if number % 5 == 2:
            item.wijken.add("WK034403")
        items.append(item)
    return items


def naive_facets(items, user):
    """The facet counts worked out in Python, one item at a time, as a check on the database's grouped query."""
    visible = set(Item.objects.visible_to(user).values_list("pk", flat=True))
    counts = {"kinds": {}, "licences": {}, "themes": {}, "wijken": {}, "years": {}}
    shown = [item for item in Item.objects.filter(pk__in=[item.pk for item in items]) if item.pk in visible]
    for item in shown:
        wijken = {wijk.code for wijk in item.wijken.all()} | {buurt.wijk_id for buurt in item.buurten.all()}
        year = str(timezone.localtime(item.created_at).year)
        for facet, values in (
            ("kinds", [item.kind]),
            ("licences", [item.licence]),
            ("themes", [theme.slug for theme in item.themes.all()]),
            ("wijken", sorted(wijken)),
            ("years", [year]),
        ):
            for value in values:
                counts[facet][value] = counts[facet].get(value, 0) + 1
    return len(shown), counts


def shown_facets(response):
    facets = response.context["facets"]
    return facets.total, {
        name: {value: count for value, _label, count in getattr(facets, name)}
        for name in ("kinds", "licences", "themes", "wijken", "years")
    }


@pytest.mark.parametrize("persona", ["stranger", "board"])
def test_facet_counts_and_the_total_equal_a_count_item_by_item(login, varied_library, board_member, persona):
    user = board_member if persona == "board" else None
    client = login(user)
    from django.contrib.auth.models import AnonymousUser

    response = client.get("/kennis/")
    assert shown_facets(response) == naive_facets(varied_library, user or AnonymousUser())
    assert response.context["page_obj"].paginator.count == shown_facets(response)[0]
    matching = [item for item in varied_library if "keuken" in item.title.lower() or "koken" in item.body]
    response = client.get("/kennis/", {"q": "koken"})
    expected = [item for item in varied_library if "koken" in item.body]
    assert shown_facets(response) == naive_facets(expected, user or AnonymousUser())
    assert matching  # the fixture holds matches and non-matches
    response = client.get("/kennis/", {"q": "koken", "wijk": "WK034401"})
    in_lombok = [item for item in expected if item.wijken.filter(code="WK034401").exists() or item.buurten.exists()]
    assert shown_facets(response) == naive_facets(in_lombok, user or AnonymousUser())


def test_stop_words_only_keep_every_item(login, varied_library):
    client = login(None)
    assert shown_facets(client.get("/kennis/", {"q": "de het"})) == shown_facets(client.get("/kennis/"))


def result_titles(client, **params):
    """Every result title in order, over all pages."""
    found, page = [], 1
    while True:
        response = client.get("/kennis/", {**params, "page": page})
        found += [item.title for item in response.context["page_obj"]]
        if not response.context["page_obj"].has_next():
            return found
        page += 1


@pytest.mark.parametrize("ranked_matches", [1000, 2], ids=["ranked", "above the cut-off"])
def test_title_matches_come_first_below_and_above_the_ranking_cut_off(login, make_item, monkeypatch, ranked_matches):
    monkeypatch.setattr(search, "RANKED_MATCHES", ranked_matches)
    now = timezone.now()
    for days, title, body in [
        (1, "Nieuwste plan", "Iets over een wormenhotel."),
        (2, "Wormenhotel bouwen", "Hoe het werkt."),
        (3, "Ander plan", "Wormenhotel, wormenhotel en nog eens wormenhotel."),
        (4, "Wormenhotel in de tuin", "Een wormenhotel voor de buurt."),
        (5, "Oud plan", "Een wormenhotel."),
        (6, "Niets hiermee", "Over fietsen."),
    ]:
        item = make_item(title=title, body=body)
        Item.objects.filter(pk=item.pk).update(created_at=now - dt.timedelta(days=days))
    found = result_titles(login(None), q="wormenhotel")
    assert set(found[:2]) == {"Wormenhotel bouwen", "Wormenhotel in de tuin"}
    assert set(found[2:]) == {"Nieuwste plan", "Ander plan", "Oud plan"}
    if ranked_matches == 2:  # no relevance score above the cut-off: newest first after the title matches
        assert found == ["Wormenhotel bouwen", "Wormenhotel in de tuin", "Nieuwste plan", "Ander plan", "Oud plan"]
    else:  # the body that repeats the word most ranks first among the body matches
        assert found[2] == "Ander plan"


def test_a_title_with_more_of_the_words_comes_first_above_the_cut_off(login, make_item, monkeypatch):
    monkeypatch.setattr(search, "RANKED_MATCHES", 1)
    make_item(title="Energie", body="Coöperatie.")
    make_item(title="Energie coöperatie", body="Hier.")
    make_item(title="Iets", body="Energie en een coöperatie.")
    assert result_titles(login(None), q="energie cooperatie") == ["Energie coöperatie", "Energie", "Iets"]


def test_paging_through_many_results_shows_each_once(login, make_item, monkeypatch):
    monkeypatch.setattr(search, "RANKED_MATCHES", 5)
    monkeypatch.setattr("samen030.knowledge.views.ITEMS_PER_PAGE", 4)
    for number in range(11):
        make_item(title=f"Koken {number}" if number % 2 else f"Plan {number}", body="Samen koken.")
    make_item(title="Fietsles", body="Fietsen.")
    found = result_titles(login(None), q="koken")
    assert len(found) == len(set(found)) == 11
    assert all(title.startswith("Koken") for title in found[:5])


def test_the_result_set_is_the_same_with_and_without_ranking(login, varied_library, monkeypatch):
    client = login(None)
    ranked = result_titles(client, q="fietsenmaker wijk")
    monkeypatch.setattr(search, "RANKED_MATCHES", 0)
    assert sorted(result_titles(client, q="fietsenmaker wijk")) == sorted(ranked)
    assert ranked
    assert len(ranked) < len(varied_library)


def test_the_postgresql_match_puts_the_planner_setting_back(login, make_item):
    from django.db import connection

    make_item(title="Buurtkeuken")
    assert titles(login(None).get("/kennis/", {"q": "buurtkeuken"})) == ["Buurtkeuken"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "on"


@pytest.mark.parametrize("ranked_matches", [1000, 2], ids=["ranked", "above the cut-off"])
def test_the_site_wide_search_gives_the_library_page_order(login, make_item, monkeypatch, ranked_matches):
    monkeypatch.setattr(search, "RANKED_MATCHES", ranked_matches)
    now = timezone.now()
    for days, title, body in [
        (1, "Nieuwste plan", "Iets over een wormenhotel."),
        (2, "Wormenhotel bouwen", "Hoe het werkt."),
        (3, "Ander plan", "Wormenhotel, wormenhotel en nog eens wormenhotel."),
        (4, "Niets hiermee", "Over fietsen."),
    ]:
        item = make_item(title=title, body=body)
        Item.objects.filter(pk=item.pk).update(created_at=now - dt.timedelta(days=days))
    monkeypatch.setattr("samen030.knowledge.everywhere.FIRST", 10)
    client = login(None)
    [library] = [
        part for part in client.get("/alles-zoeken/", {"q": "wormenhotel"}).context["parts"] if part.key == "library"
    ]
    found = library.first
    assert library.count == 3
    assert [item.title for item in found] == result_titles(client, q="wormenhotel")
    assert found[0].title == "Wormenhotel bouwen"
