"""Search over titles, bodies and file text, with facets; the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from samen030.knowledge import samples, services
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
