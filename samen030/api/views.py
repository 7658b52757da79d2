"""The read-only API: lists and details of wijken, buurten, organisations and activities (docs/api.md).

Each list validates its query string with a filter form (a 400 with the messages per parameter on bad input),
runs the same query function the pages use, and pages through the result in a stable order."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from drf_spectacular.renderers import OpenApiJsonRenderer2
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import generics, serializers
from rest_framework.decorators import api_view
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from samen030.activities.models import Activity
from samen030.activities.search import ActivitySearchForm, search_activities
from samen030.memberships.queries import with_current_membership
from samen030.organisations.models import Organisation
from samen030.places.models import Buurt, Wijk

from . import filters
from .pagination import ApiPagination
from .params import clean_filters, form_parameters
from .serializers import (
    ActivitySerializer,
    BuurtSerializer,
    ErrorSerializer,
    OrganisationSerializer,
    WijkDetailSerializer,
    WijkSerializer,
)

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="A parameter is not valid; `errors` says which and why."),
    404: OpenApiResponse(ErrorSerializer, description="No such object, or a page beyond the last one."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests from this address; try again later."),
}
DETAIL_ERRORS = {404: ERRORS[404], 429: ERRORS[429]}


class ApiListView(generics.ListAPIView):  # type: ignore[type-arg]
    """A list filtered by `filter_form`; subclasses build the queryset from the cleaned filters."""

    pagination_class = ApiPagination
    filter_form: type[Any]

    def get_queryset(self) -> QuerySet[Any]:
        self.now = timezone.now()
        self.filters = clean_filters(self.filter_form, self.request)
        return self.filtered(self.filters)

    def filtered(self, data: dict[str, Any]) -> QuerySet[Any]:
        raise NotImplementedError

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["geometry"] = bool(getattr(self, "filters", {}).get("geometrie"))
        context["now"] = getattr(self, "now", None) or timezone.now()
        return context


@extend_schema(
    tags=["places"], parameters=form_parameters(filters.WijkFilterForm), responses={200: WijkSerializer, **ERRORS}
)
class WijkList(ApiListView):
    """The wijken of Utrecht, by CBS code."""

    serializer_class = WijkSerializer
    filter_form = filters.WijkFilterForm

    def filtered(self, data: dict[str, Any]) -> QuerySet[Wijk]:
        wijken = Wijk.objects.annotate(buurt_count=Count("buurten")).order_by("code")
        return wijken if data.get("geometrie") else wijken.defer("geometry")


@extend_schema(tags=["places"], responses={200: WijkDetailSerializer, **DETAIL_ERRORS})
class WijkDetail(generics.RetrieveAPIView):  # type: ignore[type-arg]
    """One wijk with its boundary and its buurten."""

    serializer_class = WijkDetailSerializer
    lookup_field = "code"

    def get_object(self) -> Wijk:
        wijken = Wijk.objects.annotate(buurt_count=Count("buurten")).prefetch_related(
            Prefetch("buurten", queryset=Buurt.objects.only("code", "name", "wijk_id").order_by("code"))
        )
        return get_object_or_404(wijken, code=self.kwargs["code"].upper())

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "geometry": True}


@extend_schema(
    tags=["places"], parameters=form_parameters(filters.BuurtFilterForm), responses={200: BuurtSerializer, **ERRORS}
)
class BuurtList(ApiListView):
    """The buurten of Utrecht, by CBS code, optionally of one wijk."""

    serializer_class = BuurtSerializer
    filter_form = filters.BuurtFilterForm

    def filtered(self, data: dict[str, Any]) -> QuerySet[Buurt]:
        buurten = Buurt.objects.select_related("wijk").order_by("code")
        if data.get("wijk"):
            buurten = buurten.filter(wijk=data["wijk"])
        return buurten if data.get("geometrie") else buurten.defer("geometry", "wijk__geometry")


@extend_schema(tags=["places"], responses={200: BuurtSerializer, **DETAIL_ERRORS})
class BuurtDetail(generics.RetrieveAPIView):  # type: ignore[type-arg]
    """One buurt with its boundary."""

    serializer_class = BuurtSerializer
    lookup_field = "code"

    def get_object(self) -> Buurt:
        buurten = Buurt.objects.select_related("wijk").defer("wijk__geometry")
        return get_object_or_404(buurten, code=self.kwargs["code"].upper())

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "geometry": True}


def organisations_for_api(organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return organisations.select_related("visiting_buurt").prefetch_related(
        Prefetch("wijken", queryset=Wijk.objects.only("code", "name").order_by("code")),
        Prefetch("buurten", queryset=Buurt.objects.only("code", "name", "wijk_id").order_by("code")),
    )


@extend_schema(
    tags=["organisations"],
    parameters=form_parameters(filters.OrganisationFilterForm),
    responses={200: OrganisationSerializer, **ERRORS},
)
class OrganisationList(ApiListView):
    """Published organisations, by name."""

    serializer_class = OrganisationSerializer
    filter_form = filters.OrganisationFilterForm

    def filtered(self, data: dict[str, Any]) -> QuerySet[Organisation]:
        return organisations_for_api(filters.filter_organisations(data))


@extend_schema(tags=["organisations"], responses={200: OrganisationSerializer, **DETAIL_ERRORS})
class OrganisationDetail(generics.RetrieveAPIView):  # type: ignore[type-arg]
    """One published organisation."""

    serializer_class = OrganisationSerializer
    lookup_field = "slug"

    def get_object(self) -> Organisation:
        organisations = organisations_for_api(with_current_membership(Organisation.objects.published()))
        return get_object_or_404(organisations, slug=self.kwargs["slug"])


def activities_for_api(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    published = Organisation.objects.published().only("slug", "name").order_by("name")
    return activities.select_related("location_buurt").prefetch_related(
        Prefetch("organisations", queryset=published),
        "themes",
        "target_groups",
        Prefetch("buurten", queryset=Buurt.objects.only("code", "name", "wijk_id").order_by("code")),
    )


# The search form is written for people; these say what each parameter takes, for the schema.
SEARCH_PARAMETERS = {
    "q": "Search words; Dutch stemming and accent folding (taalcafe finds Taalcafé).",
    "soort": "activiteit or dienst.",
    "postcode": "A Utrecht postcode (3531 AB, 3531AB or 3531): its buurt first, then its wijk, then the nearest.",
    "wijk": "The CBS code of a wijk, for example WK034401 (see /api/v1/wijken/).",
    "buurt": "The CBS code of a buurt, for example BU03440121 (see /api/v1/buurten/).",
    "thema": "The slug of a theme, for example taal; repeat the parameter for several (any of them).",
    "doelgroep": "The slug of a target group; repeat the parameter for several (any of them).",
    "dag": "Day of the week it takes place; repeat for several.",
    "dagdeel": "Part of the day (ochtend before 12:00, middag 12:00-18:00, avond from 18:00); repeat for several.",
    "van": "Takes place on or after this date (2026-12-24 or 24-12-2026).",
    "tot": "Takes place on or before this date.",
    "gratis": "Only free ones: any value but false or empty (a check box on the search page).",
    "taal": "A language spoken there (ISO 639-1).",
    "toegankelijk": "Accessibility needed; repeat for several (all of them).",
    "sorteer": "Empty: best match with q, else soonest; relevantie: best match; datum: soonest.",
}


@extend_schema(
    tags=["activities"],
    parameters=form_parameters(ActivitySearchForm, SEARCH_PARAMETERS),
    responses={200: ActivitySerializer, **ERRORS},
)
class ActivityList(ApiListView):
    """Activities and services found by the search page's search, with its parameters and in its order: best match
    first with search words (q), nearest first with a postcode, else soonest first. Like the search page it leaves
    out listings not confirmed for 18 months and one-off activities that are over."""

    serializer_class = ActivitySerializer
    filter_form = ActivitySearchForm

    def filtered(self, data: dict[str, Any]) -> QuerySet[Activity]:
        return activities_for_api(search_activities(data, now=self.now))

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "search": getattr(self, "filters", None)}


@extend_schema(tags=["activities"], responses={200: ActivitySerializer, **DETAIL_ERRORS})
class ActivityDetail(generics.RetrieveAPIView):  # type: ignore[type-arg]
    """One public activity or service."""

    serializer_class = ActivitySerializer
    lookup_field = "slug"

    def get_object(self) -> Activity:
        return get_object_or_404(activities_for_api(Activity.objects.public()), slug=self.kwargs["slug"])

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": timezone.now()}


@extend_schema(
    tags=["index"],
    responses={
        200: inline_serializer(
            "Index",
            {
                "wijken": serializers.URLField(),
                "buurten": serializers.URLField(),
                "organisations": serializers.URLField(),
                "activities": serializers.URLField(),
                "schema": serializers.URLField(),
            },
        ),
        429: ERRORS[429],
    },
)
@api_view(["GET"])
def index(request: Request) -> Response:
    """Where the lists and the OpenAPI schema are."""
    names = {
        "wijken": "api:wijk-list",
        "buurten": "api:buurt-list",
        "organisations": "api:organisation-list",
        "activities": "api:activity-list",
        "schema": "api:schema",
    }
    return Response({key: request.build_absolute_uri(reverse(name)) for key, name in names.items()})


class AlwaysJson(BaseContentNegotiation):
    """The schema is one JSON document: served as such whatever the Accept header asks for."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


class Schema(SpectacularJSONAPIView):
    """The OpenAPI 3 schema, always in English (field titles come from the models' translatable names), served as
    application/json."""

    renderer_classes = [OpenApiJsonRenderer2]
    content_negotiation_class = AlwaysJson

    @extend_schema(
        tags=["index"],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="This OpenAPI 3 document."), 429: ERRORS[429]},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with translation.override("en"):
            response: Response = super().get(request, *args, **kwargs)  # type: ignore[no-untyped-call]
        return response
