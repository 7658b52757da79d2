"""What the API shows of each object: only what the public pages show, never editors, accounts or moderation.

Field names are English (as in the code); codes stay as they are stored (CBS codes, Dutch choice values), and the
schema lists the allowed values of every choice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from samen030.activities import schedule
from samen030.activities.models import Activity
from samen030.activities.search import next_dates
from samen030.organisations.models import Organisation
from samen030.places.models import Buurt, Wijk

# Next occurrences: this many, looked for in the coming weeks first and then in the coming year.
NEXT_OCCURRENCES = 5
NEAR_WINDOW = dt.timedelta(weeks=8)
FAR_WINDOW = dt.timedelta(days=366)
# With any of these search parameters the next dates are the ones that fit them (as on the search page).
SCHEDULE_FILTERS = ("van", "tot", "dag", "dagdeel")

GEOJSON_GEOMETRY = {
    "type": "object",
    "nullable": True,
    "description": "A GeoJSON geometry (Polygon or MultiPolygon, WGS84 longitude/latitude), or null.",
    "additionalProperties": {},
}


def absolute(context: Mapping[str, Any], path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class WijkRefSerializer(serializers.Serializer[Wijk]):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField(help_text="This wijk in the API.")

    def get_url(self, wijk: Wijk) -> str:
        return absolute(self.context, reverse("api:wijk-detail", args=[wijk.code]))


class BuurtRefSerializer(serializers.Serializer[Buurt]):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    wijk = serializers.CharField(source="wijk_id", read_only=True, help_text="The CBS code of the buurt's wijk.")
    url = serializers.SerializerMethodField(help_text="This buurt in the API.")

    def get_url(self, buurt: Buurt) -> str:
        return absolute(self.context, reverse("api:buurt-detail", args=[buurt.code]))


class WijkSerializer(serializers.ModelSerializer[Wijk]):
    buurt_count = serializers.IntegerField(read_only=True, help_text="Number of buurten in the wijk.")
    geometry = serializers.SerializerMethodField(
        help_text="The boundary; in lists only with geometrie=true, else null."
    )
    url = serializers.SerializerMethodField(help_text="This wijk in the API.")
    html_url = serializers.SerializerMethodField(help_text="The wijk's page on the site.")

    class Meta:
        model = Wijk
        fields = ["code", "name", "population", "population_year", "buurt_count", "geometry", "url", "html_url"]

    @extend_schema_field(GEOJSON_GEOMETRY)
    def get_geometry(self, wijk: Wijk) -> Any:
        return wijk.geometry if self.context.get("geometry") else None

    def get_url(self, wijk: Wijk) -> str:
        return absolute(self.context, reverse("api:wijk-detail", args=[wijk.code]))

    def get_html_url(self, wijk: Wijk) -> str:
        return absolute(self.context, wijk.get_absolute_url())


class WijkDetailSerializer(WijkSerializer):
    buurten = BuurtRefSerializer(many=True, read_only=True)

    class Meta(WijkSerializer.Meta):
        fields = [*WijkSerializer.Meta.fields, "buurten"]


class BuurtSerializer(serializers.ModelSerializer[Buurt]):
    wijk = WijkRefSerializer(read_only=True)
    bbox = serializers.SerializerMethodField(
        help_text="Bounding box of the boundary [min_lon, min_lat, max_lon, max_lat], or null without a boundary."
    )
    geometry = serializers.SerializerMethodField(
        help_text="The boundary; in lists only with geometrie=true, else null."
    )
    url = serializers.SerializerMethodField(help_text="This buurt in the API.")
    html_url = serializers.SerializerMethodField(help_text="The buurt's page on the site.")

    class Meta:
        model = Buurt
        fields = ["code", "name", "wijk", "bbox", "geometry", "url", "html_url"]

    @extend_schema_field(
        {
            "type": "array",
            "items": {"type": "number", "format": "double"},
            "minItems": 4,
            "maxItems": 4,
            "nullable": True,
        }
    )
    def get_bbox(self, buurt: Buurt) -> list[float] | None:
        if buurt.min_lon is None or buurt.min_lat is None or buurt.max_lon is None or buurt.max_lat is None:
            return None
        return [buurt.min_lon, buurt.min_lat, buurt.max_lon, buurt.max_lat]

    @extend_schema_field(GEOJSON_GEOMETRY)
    def get_geometry(self, buurt: Buurt) -> Any:
        return buurt.geometry if self.context.get("geometry") else None

    def get_url(self, buurt: Buurt) -> str:
        return absolute(self.context, reverse("api:buurt-detail", args=[buurt.code]))

    def get_html_url(self, buurt: Buurt) -> str:
        return absolute(self.context, buurt.get_absolute_url())


class AddressSerializer(serializers.Serializer[Organisation]):
    street = serializers.CharField(read_only=True)
    house_number = serializers.CharField(read_only=True)
    postcode = serializers.CharField(source="formatted_postcode", read_only=True, help_text="Like 3531 AB.")
    place = serializers.CharField(read_only=True)
    buurt = BuurtRefSerializer(source="visiting_buurt", read_only=True, allow_null=True)


class MembershipSerializer(serializers.Serializer[Organisation]):
    type = serializers.ChoiceField(
        source="membership_type", choices=["stemlid", "steunlid"], read_only=True, help_text="Type of membership."
    )
    since = serializers.DateField(source="member_since", read_only=True)


class OrganisationRefSerializer(serializers.Serializer[Organisation]):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField(help_text="This organisation in the API.")

    def get_url(self, organisation: Organisation) -> str:
        return absolute(self.context, reverse("api:organisation-detail", args=[organisation.slug]))


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    address = serializers.SerializerMethodField(help_text="Visiting address, or null when none is given.")
    membership = serializers.SerializerMethodField(
        help_text="Current membership of the cooperative, or null when the organisation is not a member."
    )
    wijken = WijkRefSerializer(many=True, read_only=True, help_text="Whole wijken the organisation works in.")
    buurten = BuurtRefSerializer(many=True, read_only=True, help_text="Buurten the organisation works in.")
    website = serializers.CharField(read_only=True, help_text="A web address (URI), or empty.")
    email = serializers.CharField(read_only=True, help_text="The organisation's public contact address, or empty.")
    logo = serializers.SerializerMethodField(help_text="Address of the logo image, or null.")
    url = serializers.SerializerMethodField(help_text="This organisation in the API.")
    html_url = serializers.SerializerMethodField(help_text="The organisation's page on the site.")

    class Meta:
        model = Organisation
        fields = [
            "slug",
            "name",
            "kind",
            "description",
            "website",
            "email",
            "phone",
            "address",
            "citywide",
            "wijken",
            "buurten",
            "membership",
            "legal_form",
            "kvk_number",
            "logo",
            "url",
            "html_url",
        ]

    @extend_schema_field(AddressSerializer(allow_null=True))
    def get_address(self, organisation: Organisation) -> dict[str, Any] | None:
        if not (organisation.street or organisation.postcode):
            return None
        return dict(AddressSerializer(organisation, context=self.context).data)

    @extend_schema_field(MembershipSerializer(allow_null=True))
    def get_membership(self, organisation: Organisation) -> dict[str, Any] | None:
        if getattr(organisation, "membership_type", None) is None:
            return None
        return dict(MembershipSerializer(organisation).data)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_logo(self, organisation: Organisation) -> str | None:
        return absolute(self.context, organisation.logo.url) if organisation.logo else None

    def get_url(self, organisation: Organisation) -> str:
        return absolute(self.context, reverse("api:organisation-detail", args=[organisation.slug]))

    def get_html_url(self, organisation: Organisation) -> str:
        return absolute(self.context, organisation.get_absolute_url())


class TermSerializer(serializers.Serializer[Any]):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True, help_text="Dutch name.")
    name_en = serializers.CharField(read_only=True, help_text="English name.")


class OccurrenceSerializer(serializers.Serializer[schedule.Occurrence]):
    start = serializers.DateTimeField(read_only=True, help_text="Local time in Europe/Amsterdam, with its offset.")
    end = serializers.DateTimeField(read_only=True, allow_null=True)


class ScheduleSerializer(serializers.Serializer[Activity]):
    starts_at = serializers.SerializerMethodField(help_text="The first (or only) start, in Europe/Amsterdam.")
    ends_at = serializers.SerializerMethodField(help_text="The end of the first occurrence, or null.")
    rrule = serializers.CharField(read_only=True, help_text="iCalendar RRULE (RFC 5545); empty for a one-off.")
    exdates = serializers.ListField(
        child=serializers.DateField(), read_only=True, help_text="Local dates on which it does not take place."
    )
    timezone = serializers.SerializerMethodField(help_text="The time zone the rule is expanded in.")

    def get_starts_at(self, activity: Activity) -> dt.datetime:
        return schedule.local(activity.starts_at)

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_ends_at(self, activity: Activity) -> dt.datetime | None:
        return schedule.local(activity.ends_at) if activity.ends_at else None

    def get_timezone(self, activity: Activity) -> str:
        return "Europe/Amsterdam"


class LocationSerializer(serializers.Serializer[Activity]):
    type = serializers.ChoiceField(source="location", choices=Activity.Location.choices, read_only=True)
    venue = serializers.CharField(read_only=True)
    street = serializers.CharField(read_only=True)
    house_number = serializers.CharField(read_only=True)
    postcode = serializers.CharField(source="formatted_postcode", read_only=True)
    buurt = BuurtRefSerializer(source="location_buurt", read_only=True, allow_null=True)
    online_url = serializers.CharField(read_only=True, help_text="The link for an online activity, or empty.")


class CostSerializer(serializers.Serializer[Activity]):
    type = serializers.ChoiceField(source="cost", choices=Activity.Cost.choices, read_only=True)
    price = serializers.DecimalField(
        max_digits=7, decimal_places=2, read_only=True, allow_null=True, help_text="In euros, when type is prijs."
    )


class AccessibilitySerializer(serializers.Serializer[Activity]):
    step_free = serializers.BooleanField(read_only=True)
    hearing_loop = serializers.BooleanField(read_only=True)
    accompaniment = serializers.BooleanField(read_only=True, help_text="You may bring someone to accompany you.")
    childcare = serializers.BooleanField(read_only=True)


class ContactSerializer(serializers.Serializer[Activity]):
    name = serializers.CharField(source="contact_name", read_only=True)
    email = serializers.CharField(source="contact_email", read_only=True, help_text="An email address, or empty.")
    phone = serializers.CharField(source="contact_phone", read_only=True)
    signup_url = serializers.CharField(
        read_only=True, help_text="Web page (URI) for more information or signing up, or empty."
    )


def next_occurrences(activity: Activity, *, now: dt.datetime) -> list[schedule.Occurrence]:
    found = activity.occurrences(now, now + NEAR_WINDOW)
    if len(found) < NEXT_OCCURRENCES and activity.is_recurring:
        found = activity.occurrences(now, now + FAR_WINDOW)
    return found[:NEXT_OCCURRENCES]


class ActivitySerializer(serializers.ModelSerializer[Activity]):
    description_html = serializers.CharField(read_only=True, help_text="The description as sanitised HTML.")
    organisations = OrganisationRefSerializer(many=True, read_only=True, help_text="Published organisations only.")
    themes = TermSerializer(many=True, read_only=True)
    target_groups = TermSerializer(many=True, read_only=True)
    languages = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="ISO 639-1 codes of the languages spoken."
    )
    location = LocationSerializer(source="*", read_only=True)
    buurten = BuurtRefSerializer(many=True, read_only=True, help_text="Buurten it serves (see also citywide).")
    schedule = ScheduleSerializer(source="*", read_only=True)
    next_occurrences = serializers.SerializerMethodField(
        help_text=(
            "Up to five coming dates (recurring activities expanded), soonest first; in a list searched by date, "
            "day or part of the day, the dates that fit the search."
        )
    )
    cost = CostSerializer(source="*", read_only=True)
    accessibility = AccessibilitySerializer(source="*", read_only=True)
    contact = ContactSerializer(source="*", read_only=True)
    confirmed_at = serializers.DateTimeField(read_only=True, help_text="When an editor last confirmed the listing.")
    url = serializers.SerializerMethodField(help_text="This activity in the API.")
    html_url = serializers.SerializerMethodField(help_text="The activity's page on the site.")

    class Meta:
        model = Activity
        fields = [
            "slug",
            "title",
            "kind",
            "description",
            "description_html",
            "organisations",
            "themes",
            "target_groups",
            "languages",
            "location",
            "citywide",
            "buurten",
            "schedule",
            "next_occurrences",
            "cost",
            "accessibility",
            "joining",
            "contact",
            "confirmed_at",
            "url",
            "html_url",
        ]
        extra_kwargs = {"description": {"help_text": "Markdown, as the organisers wrote it."}}

    @extend_schema_field(OccurrenceSerializer(many=True))
    def get_next_occurrences(self, activity: Activity) -> list[Any]:
        now = self.context.get("now") or timezone.now()
        search = self.context.get("search") or {}
        found: Any
        if any(search.get(key) for key in SCHEDULE_FILTERS):
            found = next_dates(activity, search, now=now, limit=NEXT_OCCURRENCES)
        else:
            found = next_occurrences(activity, now=now)
        return list(OccurrenceSerializer(found, many=True).data)

    def get_url(self, activity: Activity) -> str:
        return absolute(self.context, reverse("api:activity-detail", args=[activity.slug]))

    def get_html_url(self, activity: Activity) -> str:
        return absolute(self.context, activity.get_absolute_url())


ErrorSerializer = inline_serializer(
    "Error",
    {
        "detail": serializers.CharField(help_text="What went wrong, in the request's language."),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            required=False,
            help_text="For bad parameters: the messages per parameter.",
        ),
    },
)
