"""The iCalendar feed of funding deadlines: one all-day event per deadline, so calendar programs show it on the day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

from samen030.activities.text import plain_text

from .models import Deadline


def deadlines_calendar(deadlines: Iterable[Deadline], *, name: str) -> bytes:
    host = urlsplit(settings.SITE_URL).hostname or "samen030.nl"
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//SAMEN030//Kennisnetwerk//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    for deadline in deadlines:
        item = deadline.item
        event = icalendar.Event()
        event.add("uid", f"knowledge-deadline-{deadline.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", f"Deadline: {item.title}" + (f" ({deadline.label})" if deadline.label else ""))
        event.add("description", plain_text(item.summary))
        event.add("url", settings.SITE_URL + item.get_absolute_url())
        event.add("dtstart", deadline.date)
        event.add("dtend", deadline.date + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
