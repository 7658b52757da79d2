from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from samen030.core.page_cache import cached_for_visitors
from samen030.memberships.queries import member_organisations

from .models import Buurt, Wijk

ATTRIBUTION = "Kadaster / Centraal Bureau voor de Statistiek, 2024"


@cached_for_visitors
def wijk_list(request: HttpRequest) -> HttpResponse:
    wijken = Wijk.objects.annotate(buurt_count=Count("buurten"))
    has_boundaries = Buurt.objects.with_boundaries().exists()
    return render(
        request,
        "places/wijk_list.html",
        {
            "wijken": wijken,
            "has_boundaries": has_boundaries,
            "attribution": ATTRIBUTION,
            "breadcrumbs": [(None, _("Wijken and buurten"))],
        },
    )


@cached_for_visitors
def wijk_detail(request: HttpRequest, code: str) -> HttpResponse:
    wijk = get_object_or_404(Wijk, code=code.upper())
    buurten = wijk.buurten.all()
    members = member_organisations().active_in_wijk(wijk)
    return render(
        request,
        "places/wijk_detail.html",
        {
            "wijk": wijk,
            "buurten": buurten,
            "member_count": members.count(),
            "has_boundaries": any(b.geometry for b in buurten),
            "attribution": ATTRIBUTION,
            "breadcrumbs": [(reverse("wijk-list"), _("Wijken and buurten")), (None, wijk.name)],
        },
    )


@cached_for_visitors
def buurt_detail(request: HttpRequest, code: str) -> HttpResponse:
    buurt = get_object_or_404(Buurt.objects.select_related("wijk"), code=code.upper())
    members = member_organisations().active_in_buurt(buurt).prefetch_related("buurten", "wijken")
    return render(
        request,
        "places/buurt_detail.html",
        {
            "buurt": buurt,
            "wijk": buurt.wijk,
            "members": members,
            "breadcrumbs": [
                (reverse("wijk-list"), _("Wijken and buurten")),
                (buurt.wijk.get_absolute_url(), buurt.wijk.name),
                (None, buurt.name),
            ],
        },
    )


@require_GET
def buurten_geojson(request: HttpRequest) -> JsonResponse:
    """Buurt boundaries as a GeoJSON FeatureCollection, optionally for one wijk (?wijk=WK034401)."""
    buurten = Buurt.objects.with_boundaries().select_related("wijk")
    wijk = request.GET.get("wijk")
    if wijk:
        buurten = buurten.filter(wijk_id=wijk.upper())
    features = [
        {
            "type": "Feature",
            "id": buurt.code,
            "geometry": buurt.geometry,
            "properties": {
                "code": buurt.code,
                "name": buurt.name,
                "wijk": buurt.wijk.name,
                "url": buurt.get_absolute_url(),
            },
        }
        for buurt in buurten
    ]
    return JsonResponse(
        {"type": "FeatureCollection", "attribution": ATTRIBUTION, "name": _("Buurten of Utrecht"), "features": features}
    )
