"""Organisations through the API: published ones only, public fields only, with the filters of the member pages."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samen030.memberships.models import Membership
from samen030.places.models import Buurt
from tests.factories import EditorFactory, MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def hidden_org(lombok):
    return OrganisationFactory(name="Nog niet toegelaten", slug="nog-niet", is_published=False, buurten=[lombok])


def test_it_lists_published_organisations_by_name(client, stemlid_org, steunlid_org, hidden_org):
    data = client.get("/api/v1/organisaties/").json()
    assert [o["slug"] for o in data["results"]] == ["buurthuis-lombok", "fietsenmaker-kanaalstraat"]


def test_an_unpublished_organisation_is_a_404(client, hidden_org):
    assert client.get("/api/v1/organisaties/nog-niet/").status_code == 404


def test_the_detail_shows_public_fields_and_membership(client, stemlid_org, lombok):
    stemlid_org.website = "https://buurthuislombok.nl"
    stemlid_org.email = "info@buurthuislombok.nl"
    stemlid_org.street, stemlid_org.house_number, stemlid_org.postcode = "Kanaalstraat", "12", "3531AB"
    stemlid_org.visiting_buurt = lombok
    stemlid_org.save()
    data = client.get("/api/v1/organisaties/buurthuis-lombok/").json()
    assert data["name"] == "Buurthuis Lombok"
    assert data["kind"] == "bewoners"
    assert data["email"] == "info@buurthuislombok.nl"
    assert data["address"] == {
        "street": "Kanaalstraat",
        "house_number": "12",
        "postcode": "3531 AB",
        "place": "Utrecht",
        "buurt": {
            "code": "BU03440121",
            "name": lombok.name,
            "wijk": "WK034401",
            "url": "http://testserver/api/v1/buurten/BU03440121/",
        },
    }
    assert data["membership"]["type"] == "stemlid"
    assert [b["code"] for b in data["buurten"]] == ["BU03440121"]
    assert data["html_url"] == "http://testserver/organisaties/buurthuis-lombok/"


def test_it_never_shows_editors_or_bank_details(client, stemlid_org, stemlid_editor):
    stemlid_org.iban = "NL91ABNA0417164300"
    stemlid_org.rsin = "002535565"
    stemlid_org.save()
    EditorFactory(organisation=stemlid_org, user=UserFactory(email="geheim@example.nl"))
    for url in ["/api/v1/organisaties/", "/api/v1/organisaties/buurthuis-lombok/"]:
        text = client.get(url).content.decode()
        assert "sanne@example.nl" not in text
        assert "geheim@example.nl" not in text
        assert "NL91ABNA0417164300" not in text
        assert "002535565" not in text
        assert "editor" not in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "LOMBOK"}, ["buurthuis-lombok"]),
        ({"q": "fietsenmaker kanaal"}, ["fietsenmaker-kanaalstraat"]),
        ({"soort": "ondernemer"}, ["fietsenmaker-kanaalstraat"]),
        ({"lidmaatschap": "stemlid"}, ["buurthuis-lombok"]),
        ({"lidmaatschap": "steunlid"}, ["fietsenmaker-kanaalstraat"]),
        ({"lidmaatschap": "geen"}, ["wijkgroep-overvecht"]),
        ({"buurt": "BU03440121"}, ["buurthuis-lombok", "fietsenmaker-kanaalstraat"]),
        ({"wijk": "wk034401"}, ["buurthuis-lombok", "fietsenmaker-kanaalstraat"]),
        ({"wijk": "WK034402"}, ["wijkgroep-overvecht"]),
    ],
)
def test_filters(client, stemlid_org, steunlid_org, query, expected):
    other_buurt = Buurt.objects.filter(wijk_id="WK034402").first()
    OrganisationFactory(name="Wijkgroep Overvecht", slug="wijkgroep-overvecht", buurten=[other_buurt])
    data = client.get("/api/v1/organisaties/", query).json()
    assert [o["slug"] for o in data["results"]] == expected


def test_an_ended_membership_does_not_count(client, stemlid_org):
    Membership.objects.filter(organisation=stemlid_org).update(end_date="2020-01-01", start_date="2019-01-01")
    data = client.get("/api/v1/organisaties/buurthuis-lombok/").json()
    assert data["membership"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"soort": "bank"}, "soort"),
        ({"lidmaatschap": "erelid"}, "lidmaatschap"),
        ({"buurt": "BU1"}, "buurt"),
        ({"q": "x" * 101}, "q"),
        ({"page": "twee"}, "page"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
    ],
)
def test_bad_parameters_are_refused_with_a_message(client, stemlid_org, query, field):
    response = client.get("/api/v1/organisaties/", query)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert body["errors"][field]


def test_a_page_beyond_the_last_is_a_json_404(client, stemlid_org):
    response = client.get("/api/v1/organisaties/", {"page": 3})
    assert response.status_code == 404
    assert "detail" in response.json()


def test_the_number_of_queries_does_not_grow_with_the_organisations(client, lombok):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/organisaties/", {"page_size": 100})
        assert response.status_code == 200
        return len(captured), len(response.json()["results"])

    others = list(Buurt.objects.order_by("code")[:5])
    OrganisationFactory(buurten=others[:2], visiting_buurt=lombok)
    few, shown = queries()
    for number in range(20):
        organisation = OrganisationFactory(buurten=others, wijken=[lombok.wijk], visiting_buurt=lombok)
        if number % 2:
            MembershipFactory(organisation=organisation)
    many, shown_many = queries()
    assert (shown, shown_many) == (1, 21)
    assert many == few


def test_the_json_is_utf8_and_not_escaped(client, lombok):
    OrganisationFactory(name="Café Één", slug="cafe-een")
    response = client.get("/api/v1/organisaties/cafe-een/")
    assert "Café Één" in response.content.decode("utf-8")
    assert json.loads(response.content)["name"] == "Café Één"
