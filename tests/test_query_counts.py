"""The number of database queries of the public pages does not grow with the number of rows.

Each test renders a page with few rows, adds many more (organisations in several buurten and whole wijken,
current and ended memberships), renders it again and asserts the same number of queries. A page that loads
related rows one organisation at a time (an N+1 query) fails here long before it is slow in production."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samen030.places.models import Buurt, Wijk
from tests.factories import MembershipFactory, OrganisationFactory

LOMBOK_WIJK = "WK034401"  # West, the wijk of the Lombok buurt the persona organisations work in
CARD = 'class="samen030-card"'


def count_queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries), response.content.decode()


def add_members(number: int, *, home: Buurt, prefix: str = "Aanwas") -> list:
    """`number` published member organisations working in `home` and several other buurten and wijken, each
    with a current membership and (every other one) an ended earlier period; plus a few that are not
    members (unpublished, or with an ended membership only) and must not show."""
    today = timezone.localdate()
    others = list(Buurt.objects.exclude(code=home.code).order_by("code")[:12])
    wijken = list(Wijk.objects.order_by("code"))
    organisations = []
    for number_ in range(number):
        organisation = OrganisationFactory(
            name=f"{prefix} {number_:02d}",
            slug=f"{prefix.lower()}-{number_:02d}",
            buurten=[home, *others[number_ % 4 : number_ % 4 + 4]],
            wijken=wijken[number_ % 3 : number_ % 3 + 2],
            kind="buurtorganisatie" if number_ % 2 else "bewoners",
        )
        if number_ % 2:
            MembershipFactory(
                organisation=organisation,
                type="steunlid",
                start_date=today - dt.timedelta(days=400),
                end_date=today - dt.timedelta(days=40),
            )
        MembershipFactory(
            organisation=organisation,
            type="stemlid" if number_ % 3 else "steunlid",
            start_date=today - dt.timedelta(days=30 + number_),
        )
        organisations.append(organisation)
    OrganisationFactory(name=f"{prefix} concept", slug=f"{prefix.lower()}-concept", buurten=[home], is_published=False)
    former = OrganisationFactory(name=f"{prefix} oud-lid", slug=f"{prefix.lower()}-oud-lid", buurten=[home])
    MembershipFactory(
        organisation=former, start_date=today - dt.timedelta(days=900), end_date=today - dt.timedelta(days=100)
    )
    return organisations


@pytest.fixture(params=["stranger", "resident"])
def viewer(request, login):
    """The same page for an anonymous visitor and for a logged-in resident (whose session and user cost a
    fixed number of queries)."""
    user = None if request.param == "stranger" else request.getfixturevalue("resident")
    return login(user)


@pytest.mark.parametrize("url", ["/leden/", f"/leden/?wijk={LOMBOK_WIJK}"])
def test_member_overview_queries_do_not_grow(viewer, stemlid_org, steunlid_org, lombok, url):
    few, page = count_queries(viewer, url)
    assert page.count(CARD) == 2

    add_members(30, home=lombok)
    many, page = count_queries(viewer, url)

    assert page.count(CARD) == 24  # a full first page: the extra rows are really rendered
    assert "Aanwas 00" in page
    assert "Aanwas concept" not in page
    assert "Aanwas oud-lid" not in page
    assert many == few


def test_member_overview_filtered_by_buurt_and_type_queries_do_not_grow(viewer, stemlid_org, lombok):
    url = f"/leden/?buurt={lombok.code}&type=stemlid&q=s"
    few, page = count_queries(viewer, url)
    assert page.count(CARD) == 1  # compare a short list with a long one, not an empty one
    add_members(30, home=lombok)
    many, page = count_queries(viewer, url)
    assert "Aanwas 01" in page
    assert many == few


def test_organisation_page_queries_do_not_grow(viewer, stemlid_org, lombok):
    url = stemlid_org.get_absolute_url()
    few, page = count_queries(viewer, url)
    assert lombok.name in page

    # The organisation now works in many buurten (in several wijken) and whole wijken, and has a history.
    extra = list(Buurt.objects.exclude(code=lombok.code).order_by("-code")[:15])
    stemlid_org.buurten.add(*extra)
    stemlid_org.wijken.add(*Wijk.objects.all()[:4])
    current = stemlid_org.memberships.get()
    MembershipFactory(
        organisation=stemlid_org,
        type="steunlid",
        start_date=current.start_date - dt.timedelta(days=500),
        end_date=current.start_date,
    )
    add_members(10, home=lombok)
    many, page = count_queries(viewer, url)

    assert all(buurt.name in page for buurt in extra)
    assert many == few


def test_buurt_page_queries_do_not_grow(viewer, stemlid_org, steunlid_org, lombok):
    url = lombok.get_absolute_url()
    few, page = count_queries(viewer, url)
    assert page.count(CARD) == 2

    add_members(30, home=lombok)
    many, page = count_queries(viewer, url)

    assert page.count(CARD) == 32
    assert many == few


def test_wijk_page_queries_do_not_grow(viewer, stemlid_org, steunlid_org, lombok):
    url = f"/wijken/{LOMBOK_WIJK}/"
    few, page = count_queries(viewer, url)
    assert ">2</a>" in page  # the member count links to the filtered overview

    add_members(30, home=lombok)
    many, page = count_queries(viewer, url)

    assert ">32</a>" in page
    assert many == few


BOUNDARIES = ('"places_buurt"."geometry"', '"places_wijk"."geometry"')


def boundary_queries(client, method: str, url: str, data: dict | None = None) -> list[str]:
    """The SQL of the queries of one request that read a buurt's or wijk's boundary (a large GeoJSON value)."""
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code in (200, 302), (url, response.status_code)
    return [query["sql"] for query in queries.captured_queries if any(column in query["sql"] for column in BOUNDARIES)]


def test_forms_filters_and_exports_that_list_buurten_and_wijken_do_not_load_boundaries(
    login, stemlid_org, stemlid_editor, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    Buurt.objects.update(geometry={"type": "Polygon", "coordinates": [[[5.1, 52.1], [5.2, 52.1], [5.1, 52.0]]]})
    Wijk.objects.update(geometry={"type": "Polygon", "coordinates": [[[5.1, 52.1], [5.2, 52.1], [5.1, 52.0]]]})
    editor = login(stemlid_editor)
    edit = f"/organisaties/{stemlid_org.slug}/bewerken/"
    chosen = ["BU03440121", Buurt.objects.exclude(wijk_id=LOMBOK_WIJK).order_by("code").first().code]
    saved = {
        "name": stemlid_org.name,
        "kind": stemlid_org.kind,
        "description": stemlid_org.description,
        "legal_form": stemlid_org.legal_form,
        "buurten": chosen,
        "wijken": [LOMBOK_WIJK],
        "place": "Utrecht",
    }
    requests = [
        (editor, "get", edit, None),
        (editor, "post", edit, saved),
        (editor, "get", f"/organisaties/{stemlid_org.slug}/activiteiten/nieuw/", None),
        (editor, "get", "/kennis/delen/", None),
        (editor, "get", "/kennis/", {"wijk": LOMBOK_WIJK}),
        (editor, "get", "/api/v1/buurten/", {"wijk": LOMBOK_WIJK}),
        (editor, "get", "/api/v1/activiteiten/", {"buurt": "BU03440121"}),
        (editor, "get", "/open-data/activiteiten-csv.zip", None),
        (editor, "get", "/open-data/activiteiten-hsds.zip", None),
    ]
    for client, method, url, data in requests:
        assert boundary_queries(client, method, url, data) == [], url
    stemlid_org.refresh_from_db()
    assert sorted(buurt.code for buurt in stemlid_org.buurten.all()) == sorted(chosen)
    assert [wijk.code for wijk in stemlid_org.wijken.all()] == [LOMBOK_WIJK]
