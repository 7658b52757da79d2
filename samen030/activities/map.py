"""The map of activities and services: which activities it shows, and where.

Activities have no coordinates of their own. One with an address is placed at the representative point of the
buurt its postcode lies in (`Buurt.point_lon/point_lat`, computed once from the boundary), spread a little around
it so that a buurt's activities do not sit on one spot: each at a fixed angle and distance derived from its id
(the same place on every request), within the distance from that point to the buurt's boundary, so every marker
stays inside its buurt. Online and at-home activities and services have no place: they are in the list beside the
map, not on it.

Which activities: exactly those of the search page (`search.ActivitySearchForm` and `search.search_activities`),
so the map, its list and its GeoJSON take the same GET parameters as `/zoeken/`.
"""

from __future__ import annotations

import math
from typing import Any

from django.urls import reverse

from samen030.places.models import Buurt

from .models import Activity, ActivityQuerySet

COORDINATE_DECIMALS = 4  # about 10 metres: the place is the buurt, spread for legibility, not the address
MAX_SPREAD = 0.0025  # degrees of latitude, about 280 metres
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
THEME_LOOKUP_BY_ID = 900  # below SQLite's oldest limit of query parameters


def spread(activity_id: int, *, lon: float, lat: float, radius: float) -> tuple[float, float]:
    """A fixed place near the buurt's point for this activity: a sunflower pattern, so neighbours do not overlap."""
    distance = min(radius * 0.8, MAX_SPREAD) * math.sqrt((activity_id * 0.6180339887) % 1)
    angle = activity_id * GOLDEN_ANGLE
    return (
        round(lon + distance * math.cos(angle) / math.cos(math.radians(lat)), COORDINATE_DECIMALS),
        round(lat + distance * math.sin(angle), COORDINATE_DECIMALS),
    )


def feature_collection(activities: ActivityQuerySet) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection of Points with compact properties: title, url, kind and theme slugs. Three
    queries, whatever the number of activities."""
    placed = activities.filter(location=Activity.Location.ADDRESS, location_buurt__point_lon__isnull=False)
    rows = list(placed.order_by("pk").values_list("pk", "slug", "title", "kind", "location_buurt_id"))
    themes: dict[int, list[str]] = {pk: [] for pk, *_rest in rows}
    # The search may join a full-text table by name, which a subquery cannot carry: look the themes up by id, or for
    # a large selection read them all (two small columns) and keep those of the selection.
    links = Activity.themes.through.objects.order_by("theme__position", "theme__slug")
    if len(rows) <= THEME_LOOKUP_BY_ID:
        links = links.filter(activity_id__in=list(themes))
    for activity_id, slug in links.values_list("activity_id", "theme__slug"):
        if activity_id in themes:
            themes[activity_id].append(slug)
    points: dict[str, tuple[float, float, float]] = {
        code: (lon or 0.0, lat or 0.0, radius or 0.0)
        for code, lon, lat, radius in Buurt.objects.filter(point_lon__isnull=False).values_list(
            "code", "point_lon", "point_lat", "point_radius"
        )
    }
    prefix = reverse("activity-detail", args=["slug"]).removesuffix("slug/")
    features = []
    for pk, slug, title, kind, buurt_code in rows:
        lon, lat, radius = points[buurt_code]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": list(spread(pk, lon=lon, lat=lat, radius=radius))},
                "properties": {"title": title, "url": f"{prefix}{slug}/", "kind": kind, "themes": themes[pk]},
            }
        )
    return {"type": "FeatureCollection", "features": features}
