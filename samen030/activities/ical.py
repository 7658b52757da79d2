"""iCalendar feeds (RFC 5545): one VEVENT per activity, recurring ones with their RRULE and EXDATEs, all times in
Europe/Amsterdam with its VTIMEZONE, so that calendar programs keep 10:00 at 10:00 across summer time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

from . import schedule
from .models import Activity
from .text import plain_text

# The rules of Central European Time since 1996 (EU directive 2000/84/EC): compact and valid after 2038.
VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Amsterdam
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19810329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19961027T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""


def event_for(activity: Activity, *, stamp: dt.datetime) -> icalendar.Event:
    host = urlsplit(settings.SITE_URL).hostname or "samen030.nl"
    event = icalendar.Event()
    event.add("uid", f"activity-{activity.pk}@{host}")
    event.add("dtstamp", stamp)
    event.add("last-modified", activity.updated_at.astimezone(dt.UTC))
    event.add("summary", activity.title)
    event.add("description", plain_text(activity.description))
    event.add("url", settings.SITE_URL + activity.get_absolute_url())
    event.add("dtstart", schedule.local(activity.starts_at))
    if activity.ends_at:
        event.add("dtend", schedule.local(activity.ends_at))
    if activity.rrule:
        event.add("rrule", icalendar.vRecur.from_ical(activity.rrule))
        start = schedule.local(activity.starts_at)
        if activity.exdates:
            event.add(
                "exdate",
                [dt.datetime.combine(day, start.time(), tzinfo=schedule.AMSTERDAM) for day in activity.exception_dates],
            )
    if activity.location == Activity.Location.ADDRESS:
        event.add("location", activity.address_line())
    elif activity.location == Activity.Location.ONLINE:
        event.add("location", activity.online_url)
    event.add("categories", [str(theme) for theme in activity.themes.all()])
    if activity.contact_email:
        event.add("organizer", f"mailto:{activity.contact_email}")
    return event


def calendar_for(activities: Iterable[Activity], *, name: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//SAMEN030//Sociale kaart//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Amsterdam")
    calendar.add_component(icalendar.Timezone.from_ical(VTIMEZONE))
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    for activity in activities:
        calendar.add_component(event_for(activity, stamp=stamp))
    return bytes(calendar.to_ical())
