"""The calendar of funding deadlines and its iCalendar feed."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from samen030.knowledge.files import check_bytes
from samen030.knowledge.models import Deadline, Item

pytestmark = pytest.mark.django_db


@pytest.fixture
def opportunities(make_item):
    today = timezone.localdate()
    public = make_item(title="Buurtfonds", kind=Item.Kind.FUNDING, funder="Gemeente Utrecht", funding_status="open")
    members = make_item(title="Ledenfonds", kind=Item.Kind.FUNDING, audience=Item.Audience.MEMBERS)
    Deadline.objects.create(item=public, date=today + dt.timedelta(days=20), label="eerste ronde")
    Deadline.objects.create(item=public, date=today - dt.timedelta(days=3), label="voorbij")
    Deadline.objects.create(item=members, date=today + dt.timedelta(days=5))
    return public, members


def test_the_deadline_page_lists_coming_deadlines_the_visitor_may_read(client, opportunities, login, board_member):
    body = client.get("/kennis/deadlines/").content.decode()
    assert "Buurtfonds" in body
    assert "eerste ronde" in body
    assert "voorbij" not in body
    assert "Ledenfonds" not in body
    assert '<link rel="alternate" type="text/calendar"' in body
    assert "Ledenfonds" in login(board_member).get("/kennis/deadlines/").content.decode()


def test_the_feed_has_one_all_day_event_per_public_deadline(client, opportunities):
    response = client.get("/kennis/deadlines.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    summaries = sorted(str(event["SUMMARY"]) for event in events)
    assert summaries == ["Deadline: Buurtfonds (eerste ronde)", "Deadline: Buurtfonds (voorbij)"]
    start = next(event for event in events if "eerste" in str(event["SUMMARY"]))["DTSTART"].dt
    assert start == timezone.localdate() + dt.timedelta(days=20)
    assert not isinstance(start, dt.datetime)  # an all-day event


def test_a_zip_that_is_no_office_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hallo")
    with pytest.raises(ValidationError) as refused:
        check_bytes(buffer.getvalue(), name="document.docx")
    assert refused.value.code == "type"
