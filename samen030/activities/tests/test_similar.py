"""Organisations doing similar work in other buurten, on the organisation and activity pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samen030.activities.similar import similar_to_activity, similar_to_organisation
from samen030.places.models import Buurt
from tests.factories import ActivityFactory, OrganisationFactory


@pytest.fixture
def elsewhere(lombok):
    """Two buurten in another wijk than Lombok's."""
    return list(Buurt.objects.exclude(wijk=lombok.wijk).order_by("code")[:2])


@pytest.fixture
def language_cafe(stemlid_org, lombok):
    return ActivityFactory(
        title="Taalcafé Lombok", organisations=[stemlid_org], location_buurt=lombok, themes=["taal", "ontmoeting"]
    )


def similar_names(response):
    text = response.text
    if "similar-heading" not in text:
        return []
    section = text.split('id="similar-heading"')[1].split("</section>")[0]
    return [part.split("</a>")[0].split(">")[-1] for part in section.split('<a class="utrecht-link"')[1:]]


def test_the_organisation_page_ranks_organisations_elsewhere_by_shared_themes(
    client, stemlid_org, language_cafe, lombok, elsewhere
):
    both = OrganisationFactory(name="Taalhuis Overvecht", buurten=[elsewhere[0]])
    ActivityFactory(organisations=[both], themes=["taal", "ontmoeting"])
    one = OrganisationFactory(name="Buurtkamer Zuilen", buurten=[elsewhere[1]], kind="buurtorganisatie")
    ActivityFactory(organisations=[one], themes=["ontmoeting"])
    unrelated = OrganisationFactory(name="Moestuin Noord", buurten=[elsewhere[1]])
    ActivityFactory(organisations=[unrelated], themes=["groen-en-duurzaamheid"])
    neighbour = OrganisationFactory(name="Taalgroep Lombok", buurten=[lombok])
    ActivityFactory(organisations=[neighbour], themes=["taal"])
    unpublished = OrganisationFactory(name="Taal in oprichting", buurten=[elsewhere[0]], is_published=False)
    ActivityFactory(organisations=[unpublished], themes=["taal"])
    paused_only = OrganisationFactory(name="Gepauzeerd taalclubje", buurten=[elsewhere[0]])
    ActivityFactory(organisations=[paused_only], themes=["taal"], is_paused=True)

    response = client.get(stemlid_org.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "Organisations doing similar work in other buurten" in response.text
    assert similar_names(response) == ["Taalhuis Overvecht", "Buurtkamer Zuilen"]
    assert f'href="{both.get_absolute_url()}"' in response.text


def test_the_activity_page_shows_organisations_with_the_same_themes_elsewhere(
    client, stemlid_org, language_cafe, elsewhere
):
    other = OrganisationFactory(name="Taalhuis Overvecht", buurten=[elsewhere[0]])
    ActivityFactory(organisations=[other], themes=["taal"])

    response = client.get(language_cafe.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    assert similar_names(response) == ["Taalhuis Overvecht"]


def test_an_organisation_with_the_same_kind_ranks_higher_when_themes_tie(stemlid_org, language_cafe, elsewhere):
    services = OrganisationFactory(name="A Taalservice", buurten=[elsewhere[0]], kind="partner")
    ActivityFactory(organisations=[services], themes=["taal"], kind="dienst")
    same = OrganisationFactory(name="Z Bewonerstaal", buurten=[elsewhere[1]], kind=stemlid_org.kind)
    ActivityFactory(organisations=[same], themes=["taal"], kind="activiteit")

    found = similar_to_activity(language_cafe, [stemlid_org])

    assert [item.organisation.name for item in found] == ["Z Bewonerstaal", "A Taalservice"]
    assert [theme.slug for theme in found[0].themes] == ["taal"]


def test_a_whole_wijk_counts_as_the_same_area(stemlid_org, language_cafe, lombok):
    wijk_wide = OrganisationFactory(name="Wijkteam West", wijken=[lombok.wijk])
    ActivityFactory(organisations=[wijk_wide], themes=["taal"])

    assert similar_to_organisation(stemlid_org) == []


def test_an_organisation_without_public_activities_has_no_similar_list(stemlid_org, elsewhere):
    other = OrganisationFactory(buurten=[elsewhere[0]])
    ActivityFactory(organisations=[other], themes=["taal"])

    assert similar_to_organisation(stemlid_org) == []


def test_the_number_of_queries_does_not_grow_with_the_organisations_found(stemlid_org, language_cafe, elsewhere):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            similar_to_organisation(stemlid_org)
        return len(queries)

    first = OrganisationFactory(buurten=[elsewhere[0]])
    ActivityFactory(organisations=[first], themes=["taal"])
    few = count()
    for n in range(6):
        more = OrganisationFactory(buurten=[elsewhere[n % 2]])
        ActivityFactory(organisations=[more], themes=["taal", "ontmoeting"])
    assert len(similar_to_organisation(stemlid_org)) == 5
    assert count() == few <= 7


def test_the_organisation_page_query_count_is_bounded(client, stemlid_org, language_cafe, elsewhere):
    for n in range(8):
        other = OrganisationFactory(buurten=[elsewhere[n % 2]])
        ActivityFactory(organisations=[other], themes=["taal"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("organisation-detail", args=[stemlid_org.slug]))
    assert response.status_code == 200
    assert len(similar_names(response)) == 5
    assert len(queries) <= 20
