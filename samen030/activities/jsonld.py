"""schema.org metadata for an activity page (JSON-LD): an Event for an activity, a Service for a service."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from . import schedule
from .models import Activity
from .text import plain_text

# The characters that could end the <script> element or start a comment, escaped the way json_script does.
ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def organisation_data(activity: Activity) -> list[dict[str, Any]]:
    return [
        {"@type": "Organization", "name": o.name, "url": settings.SITE_URL + o.get_absolute_url()}
        for o in activity.organisations.all()
    ]


def place_data(activity: Activity) -> dict[str, Any]:
    if activity.location == Activity.Location.ONLINE:
        return {"@type": "VirtualLocation", "url": activity.online_url}
    if activity.location == Activity.Location.AT_HOME:
        return {"@type": "Place", "name": "Thuis / at home"}
    return {
        "@type": "Place",
        "name": activity.venue or activity.address_line(),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": f"{activity.street} {activity.house_number}".strip(),
            "postalCode": activity.formatted_postcode,
            "addressLocality": "Utrecht",
            "addressCountry": "NL",
        },
    }


def offer_data(activity: Activity) -> dict[str, Any]:
    price = activity.price if activity.cost == Activity.Cost.PRICE and activity.price is not None else 0
    return {"@type": "Offer", "price": f"{price:.2f}", "priceCurrency": "EUR"}


def activity_jsonld(activity: Activity) -> SafeString:
    url = settings.SITE_URL + activity.get_absolute_url()
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "name": activity.title,
        "description": plain_text(activity.description)[:500],
        "url": url,
    }
    if activity.kind == Activity.Kind.SERVICE:
        data.update(
            {
                "@type": "Service",
                "provider": organisation_data(activity),
                "areaServed": [b.name for b in activity.buurten.all()] or "Utrecht",
                "availableChannel": {"@type": "ServiceChannel", "serviceLocation": place_data(activity)},
                "offers": offer_data(activity),
            }
        )
    else:
        upcoming = activity.next_occurrence(now=timezone.now())
        start = upcoming.start if upcoming else schedule.local(activity.starts_at)
        end = upcoming.end if upcoming else (schedule.local(activity.ends_at) if activity.ends_at else None)
        data.update(
            {
                "@type": "Event",
                "startDate": start.isoformat(),
                "eventStatus": "https://schema.org/EventScheduled",
                "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode"
                if activity.location == Activity.Location.ONLINE
                else "https://schema.org/OfflineEventAttendanceMode",
                "location": place_data(activity),
                "organizer": organisation_data(activity),
                "isAccessibleForFree": activity.cost != Activity.Cost.PRICE,
                "offers": offer_data(activity),
                "inLanguage": activity.languages,
            }
        )
        if end:
            data["endDate"] = end.isoformat()
    text = json.dumps(data, ensure_ascii=False).translate(ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')
