"""The list of bookings on the public page is paged by position (keyset): links to newer and older bookings."""

import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samen030.funds import services, views
from samen030.funds.models import Transaction

pytestmark = pytest.mark.django_db

NEXT = re.compile(r'rel="next" href="\?voor=([^"#]+)#transacties"')
PREV = re.compile(r'rel="prev" href="\?na=([^"#]+)#transacties"')
ROW = re.compile(r'id="boeking-(\d+)"')


@pytest.fixture
def many_bookings(funded, monkeypatch):
    """23 more bookings, several on the same day and booked out of date order, so the ids do not follow the
    order of the list; 5 bookings a page."""
    monkeypatch.setattr(views, "TRANSACTIONS_PER_PAGE", 5)
    start = date(2026, 1, 1)
    for number in range(23):
        services.record_income(
            fund=funded,
            source="gemeente",
            amount=100 + number,
            description=f"Gift {number}",
            actor=None,
            booked_on=start + timedelta(days=(number * 7) % 5),
        )
    return funded


def expected_order(fund):
    return list(fund.transactions.order_by("-booked_on", "-pk").values_list("pk", flat=True))


def rows(response):
    return [int(number) for number in ROW.findall(response.content.decode())]


def test_walking_older_and_back_newer_shows_every_booking_once_in_order(client, many_bookings):
    url = "/fondsen/wijkbudget-west/"
    order = expected_order(many_bookings)
    assert len(order) == 24
    assert order != sorted(order, reverse=True)  # the ids alone would give the wrong order

    response = client.get(url)
    assert "24 boekingen" in response.content.decode() or "24 bookings" in response.content.decode()
    assert not PREV.search(response.content.decode())  # the newest page has no link to newer bookings
    pages = [rows(response)]
    while match := NEXT.search(response.content.decode()):
        response = client.get(f"{url}?voor={match.group(1)}")
        assert response.status_code == 200
        pages.append(rows(response))
    assert [len(page) for page in pages] == [5, 5, 5, 5, 4]
    assert [pk for page in pages for pk in page] == order

    back = [rows(response)]
    while match := PREV.search(response.content.decode()):
        response = client.get(f"{url}?na={match.group(1)}")
        assert response.status_code == 200
        back.append(rows(response))
    assert back == list(reversed(pages))
    assert rows(response) == order[:5]


@pytest.mark.parametrize(
    "query",
    [
        "voor=nonsense",
        "voor=2026-13-01_5",
        "voor=2026-01-01_",
        "voor=2026-01-01_-3",
        "voor=2026-01-01_99999999999999999999999",
        "na=_",
        "na=2026-01-01_1e3",
        "voor=" + "9" * 500,
        "voor=1900-01-01_1",  # nothing older than this: the newest page
        "na=2999-01-01_1",  # nothing newer than this: the newest page
        "page=3",  # the old page numbers
    ],
)
def test_a_bad_position_gives_the_newest_page(client, many_bookings, query):
    response = client.get(f"/fondsen/wijkbudget-west/?{query}")
    assert response.status_code == 200
    assert rows(response) == expected_order(many_bookings)[:5]


def test_a_deep_page_does_as_many_queries_as_the_first(client, many_bookings):
    url = "/fondsen/wijkbudget-west/"
    order = expected_order(many_bookings)
    cursor_row = Transaction.objects.get(pk=order[14])
    cursor = f"{cursor_row.booked_on.isoformat()}_{cursor_row.pk}"
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as deep:
        response = client.get(f"{url}?voor={cursor}")
    assert rows(response) == order[15:20]
    # The deep page asks one more question than the newest: whether there are newer bookings.
    assert len(deep.captured_queries) == len(first.captured_queries) + 1
    assert not any("OFFSET" in query["sql"].upper() for query in deep.captured_queries)
