"""The public overview of members at /leden/: filters in the URL, search, pagination, bad input."""

import pytest

from samen030.places.models import Buurt, Wijk
from tests.factories import ApplicationFactory, MembershipFactory, OrganisationFactory


@pytest.fixture
def members(places):
    lombok = Buurt.objects.get(code="BU03440121")
    ondiep = Buurt.objects.get(code="BU03440222")
    overvecht = Wijk.objects.get(code="WK034403")
    made = {
        "taalcafe": OrganisationFactory(name="Taalcafé Lombok", buurten=[lombok]),
        "fietsen": OrganisationFactory(name="Fietsenmaker Ondiep", kind="ondernemer", buurten=[ondiep]),
        "welzijn": OrganisationFactory(name="Welzijn Overvecht", kind="partner", wijken=[overvecht]),
        "netwerk": OrganisationFactory(name="Netwerk Voedselhulp", kind="netwerk", citywide=True),
    }
    MembershipFactory(organisation=made["taalcafe"], type="stemlid")
    MembershipFactory(organisation=made["fietsen"], type="steunlid")
    MembershipFactory(organisation=made["welzijn"], type="steunlid")
    MembershipFactory(organisation=made["netwerk"], type="stemlid")
    ApplicationFactory(organisation__name="Nog Geen Lid")
    return made


def names(response) -> set[str]:
    return {
        name
        for name in [
            "Taalcafé Lombok",
            "Fietsenmaker Ondiep",
            "Welzijn Overvecht",
            "Netwerk Voedselhulp",
            "Nog Geen Lid",
        ]
        if name in response.text
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Taalcafé Lombok", "Fietsenmaker Ondiep", "Welzijn Overvecht", "Netwerk Voedselhulp"}),
        ("?wijk=WK034401", {"Taalcafé Lombok"}),
        ("?wijk=WK034403", {"Welzijn Overvecht"}),
        ("?buurt=BU03440222", {"Fietsenmaker Ondiep"}),
        ("?buurt=BU03440311", {"Welzijn Overvecht"}),  # a buurt in Overvecht: the wijk-wide partner works there
        ("?kind=ondernemer", {"Fietsenmaker Ondiep"}),
        ("?type=stemlid", {"Taalcafé Lombok", "Netwerk Voedselhulp"}),
        ("?type=steunlid&kind=partner", {"Welzijn Overvecht"}),
        ("?q=taalcafe", {"Taalcafé Lombok"}),  # accents and case folded
        ("?q=TAALCAFÉ", {"Taalcafé Lombok"}),
        ("?q=ondiep&type=steunlid", {"Fietsenmaker Ondiep"}),
    ],
)
def test_filters_live_in_the_url(client, members, query, expected):
    response = client.get(f"/leden/{query}")
    assert response.status_code == 200
    assert names(response) == expected


@pytest.mark.parametrize(
    "query", ["?wijk=WK999999", "?buurt=<script>", "?type=erelid", "?kind=x&page=abc", "?page=999"]
)
def test_bad_filter_values_get_a_message_not_an_error(client, members, query):
    response = client.get(f"/leden/{query}")
    assert response.status_code == 200
    assert "<script>" not in response.text


def test_an_invalid_filter_shows_which_field(client, members):
    response = client.get("/leden/?wijk=WK999999")
    assert "utrecht-form-field--invalid" in response.text
    assert names(response) == set()


def test_the_overview_is_paginated_with_the_filters_kept(client, places):
    lombok = Buurt.objects.get(code="BU03440121")
    for number in range(30):
        MembershipFactory(organisation=OrganisationFactory(name=f"Lombok Groep {number:02}", buurten=[lombok]))
    first = client.get("/leden/?wijk=WK034401")
    assert "30 " in first.text
    assert 'href="?wijk=WK034401&amp;page=2"' in first.text
    second = client.get("/leden/?wijk=WK034401&page=2")
    assert "Lombok Groep 29" in second.text
    assert "Lombok Groep 00" not in second.text
