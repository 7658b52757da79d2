"""The map of activities and services: which activities it shows, and where.

Activities have no coordinates of their own. One with an address is placed at the representative point of the
buurt its postcode lies in (`Buurt.point_lon/point_lat`, computed once from the boundary), spread a little around
it so that a buurt's activities do not sit on one spot: each at a fixed angle and distance derived from its id
(the same place on every request), within the distance from that point to the buurt's boundary, so every marker
stays inside its buurt. Online and at-home activities and services have no place: they are in the list beside the
map, not on it.
"""

from __future__ import annotations

import math
from typing import Any, cast

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samen030.places.models import Buurt, Wijk

from .models import Activity, ActivityQuerySet, Theme

COORDINATE_DECIMALS = 4  # about 10 metres: the place is the buurt, spread for legibility, not the address
MAX_SPREAD = 0.0025  # degrees of latitude, about 280 metres
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


class MapFilterForm(forms.Form):
    """Theme, wijk, buurt and kind, in the GET parameters like the search page, so every map view can be shared."""

    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("All themes"),
        to_field_name="slug",
    )
    wijk = forms.ModelChoiceField(
        label=_("Wijk"), queryset=Wijk.objects.order_by("name"), required=False, empty_label=_("All wijken")
    )
    buurt = forms.ModelChoiceField(
        label=_("Buurt"), queryset=Buurt.objects.order_by("name"), required=False, empty_label=_("All buurten")
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Activities and services")), *Activity.Kind.choices]
    )
    all_optional = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The codes in the URL are upper case (BU03440121); accept them typed in lower case too.
        if self.is_bound:
            data = cast(Any, self.data).copy()
            for name in ("wijk", "buurt"):
                if data.get(name):
                    data[name] = str(data[name]).upper()
            self.data = data


def map_activities(cleaned_data: dict[str, Any]) -> ActivityQuerySet:
    """Public, current, recently enough confirmed activities that match the filters: for the list and the map."""
    activities = Activity.objects.public().current().searchable()
    if cleaned_data.get("theme"):
        activities = activities.with_theme(cleaned_data["theme"])
    if cleaned_data.get("buurt"):
        activities = activities.serving_buurt(cleaned_data["buurt"])
    elif cleaned_data.get("wijk"):
        activities = activities.serving_wijk(cleaned_data["wijk"])
    if cleaned_data.get("kind"):
        activities = activities.filter(kind=cleaned_data["kind"])
    return activities


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
    themes: dict[int, list[str]] = {}
    for activity_id, slug in (
        Activity.themes.through.objects.filter(activity__in=placed.values("pk"))
        .order_by("theme__position", "theme__slug")
        .values_list("activity_id", "theme__slug")
    ):
        themes.setdefault(activity_id, []).append(slug)
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
                "properties": {"title": title, "url": f"{prefix}{slug}/", "kind": kind, "themes": themes.get(pk, [])},
            }
        )
    return {"type": "FeatureCollection", "features": features}
