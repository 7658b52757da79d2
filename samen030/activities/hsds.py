"""The social map as an Open Referral HSDS 3.0 data package (the tabular form): `datapackage.json` plus CSV files.

Mapping (documented in docs/activities.md): every public activity or service is an HSDS `service` of the first
published organisation that offers it; places are `location` + `address` rows (one per distinct address, so a
buurthuis with twenty activities is one location), online activities a virtual location; the buurten served are
`service_area` rows; themes, target groups, kind and accessibility are `taxonomy_term`s linked through `attribute`;
the schedule is an RFC 5545 rule split into HSDS's `schedule` columns, with the complete rule in `notes`.

Identifiers are UUIDs derived from our own keys (uuid5), so the same record keeps the same id in every export.
The field descriptions below are our own words; the field names and types are those of the HSDS specification.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Prefetch
from django.utils import timezone, translation

from samen030.places.models import Buurt

from . import opendata, schedule
from .models import LANGUAGE_NAMES, Activity, TargetGroup, Theme
from .text import plain_text, plain_text_converter

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://samen030.nl/open-data/hsds")
HSDS_VERSION = "3.0"


@functools.lru_cache(maxsize=32768)  # service and term ids repeat in every link table
def make_id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    required: bool = False
    format: str | None = None
    enum: tuple[str, ...] = ()

    def descriptor(self) -> dict[str, Any]:
        described: dict[str, Any] = {"name": self.name, "type": self.type, "description": self.description}
        if self.format:
            described["format"] = self.format
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            described["constraints"] = constraints
        return described


def ident(description: str) -> Field:
    return Field("id", "string", description, required=True, format="uuid")


def ref(name: str, description: str, *, required: bool = False) -> Field:
    return Field(name, "string", description, required=required, format="uuid")


def text(name: str, description: str, *, required: bool = False, fmt: str | None = None) -> Field:
    return Field(name, "string", description, required=required, format=fmt)


@dataclass(frozen=True)
class Resource:
    name: str
    path: str
    description: str
    fields: tuple[Field, ...]
    foreign_keys: dict[str, str] = field(default_factory=dict)  # our column -> the resource whose id it names

    def descriptor(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": self.path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "description": self.description,
            "schema": {
                "fields": [one.descriptor() for one in self.fields],
                "primaryKey": ["id"],
                "foreignKeys": [
                    {"fields": [column], "reference": {"resource": target, "fields": ["id"]}}
                    for column, target in self.foreign_keys.items()
                ],
            },
        }

    @property
    def columns(self) -> list[str]:
        return [one.name for one in self.fields]

    @property
    def numeric(self) -> set[str]:
        """Columns of numbers; every other cell is text and defused against formulas (samen030/core/csvfiles.py)."""
        return {one.name for one in self.fields if one.type in {"number", "integer"}}


PHYSICAL, VIRTUAL = "physical", "virtual"

RESOURCES = (
    Resource(
        "organization",
        "organizations.csv",
        "Organisations that offer at least one of the activities or services.",
        (
            ident("Stable identifier of the organisation."),
            text("name", "Name of the organisation.", required=True),
            text("alternate_name", "Another name it is known by."),
            text("description", "What the organisation does, as plain text.", required=True),
            text("email", "Public email address of the organisation.", fmt="email"),
            text("website", "Web site of the organisation.", fmt="uri"),
            text("tax_status", "Tax status; not recorded here."),
            text("tax_id", "Tax number; not recorded here."),
            Field("year_incorporated", "number", "Year of founding; not recorded here."),
            text("legal_status", "Legal form, in Dutch (for example stichting or vereniging)."),
            text("logo", "Address of the logo image.", fmt="uri"),
            text("uri", "The organisation's page on the SAMEN030 platform.", fmt="uri"),
            ref("parent_organization_id", "Identifier of a parent organisation; not used here."),
        ),
        {"parent_organization_id": "organization"},
    ),
    Resource(
        "service",
        "services.csv",
        "Activities and services (both are HSDS services).",
        (
            ident("Stable identifier of the activity or service."),
            ref("organization_id", "The first organisation that offers it.", required=True),
            ref("program_id", "Programme it belongs to; not used here."),
            text("name", "Title.", required=True),
            text("alternate_name", "Other name; not used here."),
            text("description", "Description as plain text (the Markdown source is in the CSV export)."),
            text("url", "Its page on the SAMEN030 platform.", fmt="uri"),
            text("email", "Public email address for questions.", fmt="email"),
            Field(
                "status",
                "string",
                "Whether it runs: every exported record is active.",
                required=True,
                enum=("active", "inactive", "defunct", "temporarily closed"),
            ),
            text("interpretation_services", "Interpretation offered; not recorded here."),
            text("application_process", "How to join, in Dutch, with the sign-up page if there is one."),
            text("fees_description", "Cost in words, in Dutch."),
            text("accreditations", "Accreditations; not recorded here."),
            text("eligibility_description", "For whom, in Dutch (the target groups)."),
            Field("minimum_age", "number", "Minimum age; not recorded here."),
            Field("maximum_age", "number", "Maximum age; not recorded here."),
            Field("assured_date", "date", "Date on which an editor last confirmed the listing."),
            text("assurer_email", "Email of who confirmed it; left out for privacy.", fmt="email"),
            text("alert", "Short-term notice; not used here."),
        ),
        {"organization_id": "organization"},
    ),
    Resource(
        "location",
        "locations.csv",
        "Places where activities happen (one row per distinct address), organisation addresses and online places.",
        (
            ident("Stable identifier of the place."),
            Field(
                "location_type",
                "string",
                "physical for an address, virtual for online.",
                required=True,
                enum=("physical", "postal", "virtual"),
            ),
            text("url", "Link for joining online (virtual places only).", fmt="uri"),
            ref("organization_id", "The organisation whose address this is, when it is one."),
            text("name", "Name of the place, or its street address."),
            text("alternate_name", "Other name; not used here."),
            text("description", "The CBS buurt the address lies in."),
            text("transportation", "Public transport; not recorded here."),
            Field("latitude", "number", "Latitude; not recorded here."),
            Field("longitude", "number", "Longitude; not recorded here."),
            text("external_identifier", "CBS code of the buurt of the address."),
            text("external_identifier_type", "Kind of external identifier: CBS buurtcode."),
        ),
        {"organization_id": "organization"},
    ),
    Resource(
        "address",
        "addresses.csv",
        "Street addresses of the physical places.",
        (
            ident("Stable identifier of the address."),
            ref("location_id", "The place this address belongs to.", required=True),
            text("attention", "Addressee; not used here."),
            text("address_1", "Street and house number.", required=True),
            text("address_2", "Second address line; not used here."),
            text("city", "Town.", required=True),
            text("region", "Wijk of the address."),
            text("state_province", "Province.", required=True),
            text("postal_code", "Dutch postcode, like 3531 AB.", required=True),
            text("country", "ISO 3166-1 alpha-2 country code.", required=True),
            Field(
                "address_type",
                "string",
                "physical for a visiting address.",
                required=True,
                enum=("physical", "postal", "virtual"),
            ),
        ),
        {"location_id": "location"},
    ),
    Resource(
        "service_at_location",
        "service_at_locations.csv",
        "Which activity happens at which place.",
        (
            ident("Stable identifier of the link."),
            ref("service_id", "The activity or service.", required=True),
            ref("location_id", "The place.", required=True),
            text("description", "Notes on the link; not used here."),
        ),
        {"service_id": "service", "location_id": "location"},
    ),
    Resource(
        "schedule",
        "schedules.csv",
        "When activities take place: an RFC 5545 recurrence split into columns; times are local Utrecht time.",
        (
            ident("Stable identifier of the schedule."),
            ref("service_id", "The activity or service.", required=True),
            ref("location_id", "Place; not used (the schedule belongs to the service)."),
            ref("service_at_location_id", "Service at a place; not used."),
            Field("valid_from", "date", "First date."),
            Field("valid_to", "date", "Last date, when the activity ends (one-off, or a rule with an end date)."),
            Field("dtstart", "date", "Date of the first occurrence."),
            Field("timezone", "number", "UTC offset; left empty because times follow Europe/Amsterdam summer time."),
            Field("until", "date", "Last possible date of the recurrence (in Utrecht)."),
            Field("count", "number", "Number of occurrences, when the rule is limited by a count."),
            Field("wkst", "string", "First day of the week.", enum=("MO", "TU", "WE", "TH", "FR", "SA", "SU")),
            Field(
                "freq",
                "string",
                "WEEKLY or MONTHLY; empty for one-off and for other frequencies (see notes).",
                enum=("WEEKLY", "MONTHLY"),
            ),
            Field("interval", "number", "Every how many weeks or months."),
            text("byday", "Days of the week, like TU or +3TU (third Tuesday)."),
            text("byweekno", "Week numbers; not used here."),
            text("bymonthday", "Days of the month."),
            text("byyearday", "Days of the year; not used here."),
            text("description", "The schedule in words, in Dutch, with the dates it does not take place."),
            Field("opens_at", "time", "Start time, local Utrecht time."),
            Field("closes_at", "time", "End time, local Utrecht time."),
            text("schedule_link", "Calendar page of the activity.", fmt="uri"),
            text("attending_type", "At an address, online or at home, in Dutch."),
            text("notes", "The exact schedule: DTSTART with TZID=Europe/Amsterdam, RRULE and EXDATE lines."),
        ),
        {"service_id": "service"},
    ),
    Resource(
        "service_area",
        "service_areas.csv",
        "The buurten an activity is meant for (or the whole city).",
        (
            ident("Stable identifier of the area link."),
            ref("service_id", "The activity or service.", required=True),
            ref("service_at_location_id", "Service at a place; not used."),
            text("name", "Name of the buurt, or Utrecht for the whole city.", required=True),
            text("description", "CBS code of the buurt or gemeente."),
            text("extent", "Boundary; not included (see the buurt page)."),
            text("extent_type", "Format of the boundary; not used."),
            text("uri", "Page of the buurt on the platform.", fmt="uri"),
        ),
        {"service_id": "service"},
    ),
    Resource(
        "language",
        "languages.csv",
        "Languages spoken at an activity.",
        (
            ident("Stable identifier of the language link."),
            ref("service_id", "The activity or service.", required=True),
            ref("location_id", "Place; not used."),
            ref("phone_id", "Telephone; not used."),
            text("name", "Name of the language, in Dutch."),
            text("code", "ISO 639-1 code.", required=True),
            text("note", "Notes; not used."),
        ),
        {"service_id": "service"},
    ),
    Resource(
        "contact",
        "contacts.csv",
        "The contact that the organisation published on the listing (never an editor's account).",
        (
            ident("Stable identifier of the contact."),
            ref("organization_id", "Organisation; not used (contacts belong to services)."),
            ref("service_id", "The activity or service.", required=True),
            ref("service_at_location_id", "Service at a place; not used."),
            ref("location_id", "Place; not used."),
            text("name", "Contact person as published on the listing."),
            text("title", "Job title; not used."),
            text("department", "Department; not used."),
            text("email", "Email address for questions as published on the listing.", fmt="email"),
        ),
        {"service_id": "service"},
    ),
    Resource(
        "phone",
        "phones.csv",
        "Public telephone numbers of organisations and of listings.",
        (
            ident("Stable identifier of the number."),
            ref("location_id", "Place; not used."),
            ref("service_id", "The activity or service, for a number on a listing."),
            ref("organization_id", "The organisation, for its own number."),
            ref("contact_id", "The listing's contact, when there is one."),
            ref("service_at_location_id", "Service at a place; not used."),
            text("number", "The telephone number as written.", required=True),
            Field("extension", "number", "Extension; not used."),
            text("type", "Kind of line: voice."),
            text("description", "Notes; not used."),
        ),
        {"service_id": "service", "organization_id": "organization", "contact_id": "contact"},
    ),
    Resource(
        "cost_option",
        "cost_options.csv",
        "The price of activities that have one (free ones and voluntary contributions are in fees_description).",
        (
            ident("Stable identifier of the price."),
            ref("service_id", "The activity or service.", required=True),
            Field("valid_from", "date", "Valid from; not used."),
            Field("valid_to", "date", "Valid until; not used."),
            text("option", "What the price is for, in Dutch."),
            text("currency", "ISO 4217 currency code."),
            Field("amount", "number", "The amount."),
            text("amount_description", "The amount in words."),
        ),
        {"service_id": "service"},
    ),
    Resource(
        "taxonomy",
        "taxonomies.csv",
        "The lists we classify with: themes, target groups, kind and accessibility.",
        (
            ident("Stable identifier of the list."),
            text("name", "Name of the list.", required=True),
            text("description", "What the list classifies.", required=True),
            text("uri", "Where the list is described.", fmt="uri"),
            text("version", "Version of the list."),
        ),
    ),
    Resource(
        "taxonomy_term",
        "taxonomy_terms.csv",
        "The terms of those lists.",
        (
            ident("Stable identifier of the term."),
            text("code", "Our code (slug) of the term."),
            text("name", "Name in Dutch.", required=True),
            text("description", "Name in English.", required=True),
            ref("parent_id", "Broader term; not used."),
            text("taxonomy", "Name of the list."),
            ref("taxonomy_id", "The list the term belongs to."),
            text("language", "Language of name (nl)."),
            text("term_uri", "Page of the term on the platform, when there is one.", fmt="uri"),
        ),
        {"parent_id": "taxonomy_term", "taxonomy_id": "taxonomy"},
    ),
    Resource(
        "attribute",
        "attributes.csv",
        "Links between an activity and the terms that describe it.",
        (
            ident("Stable identifier of the link."),
            ref("link_id", "The activity or service.", required=True),
            ref("taxonomy_term_id", "The term.", required=True),
            text("link_type", "Kind of link, for example theme or target_group."),
            text("link_entity", "Table that link_id refers to: service.", required=True),
            text("value", "Value; not used."),
            text("label", "Name of the term, in Dutch."),
        ),
        {"taxonomy_term_id": "taxonomy_term"},
    ),
)
RESOURCE_BY_NAME = {resource.name: resource for resource in RESOURCES}

# Taxonomies: (key, Dutch name, what it classifies)
TAXONOMIES = {
    "theme": ("SAMEN030 thema's", "Themes of activities and services on the SAMEN030 social map"),
    "target_group": ("SAMEN030 doelgroepen", "Target groups of activities and services"),
    "kind": ("SAMEN030 soort", "Activity (activiteit) or service (dienst)"),
    "accessibility": ("SAMEN030 toegankelijkheid", "Accessibility of an activity"),
}
ACCESSIBILITY = {
    "step_free": ("Drempelvrij", "Step-free access"),
    "hearing_loop": ("Ringleiding", "Hearing loop"),
    "accompaniment": ("Begeleiding mag mee", "You may bring someone to accompany you"),
    "childcare": ("Kinderopvang", "Childcare"),
}
KINDS = {"activiteit": ("Activiteit", "Activity"), "dienst": ("Dienst", "Service")}


def _row(resource: str, **values: Any) -> list[str]:
    columns = RESOURCE_BY_NAME[resource].columns
    unknown = set(values) - set(columns)
    if unknown:  # a programming error, not bad data
        raise KeyError(f"{resource} has no column {sorted(unknown)}")
    return [_cell(values.get(column)) for column in columns]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def checked_email(value: str) -> str:
    """The address, or nothing when it would not pass the website's own check (for example a domain label of more
    than 63 characters stored by an old import): HSDS says the field is an email address."""
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value


def _public_ids() -> Any:
    return Activity.objects.public().values("pk")


def _primary_organisations() -> dict[int, int]:
    """activity pk -> pk of the first published organisation (by name), for HSDS's single organization_id."""
    links = (
        Activity.organisations.through.objects.filter(activity__in=_public_ids(), organisation__is_published=True)
        .order_by("activity_id", "organisation__name", "organisation_id")
        .values_list("activity_id", "organisation_id")
    )
    first: dict[int, int] = {}
    for activity_id, organisation_id in links.iterator(chunk_size=opendata.CHUNK):
        first.setdefault(activity_id, organisation_id)
    return first


def address_key(activity: Activity) -> str:
    return "|".join(
        [
            activity.venue.strip().casefold(),
            activity.street.strip().casefold(),
            activity.house_number.strip().casefold(),
            activity.postcode,
        ]
    )


def location_id(activity: Activity) -> str | None:
    if activity.location == Activity.Location.ADDRESS and activity.postcode:
        return make_id("place", address_key(activity))
    if activity.location == Activity.Location.ONLINE and activity.online_url:
        return make_id("online", activity.online_url)
    return None


def organization_rows() -> Iterator[list[str]]:
    converter = plain_text_converter()
    for organisation in opendata.exported_organisations().iterator(chunk_size=opendata.CHUNK):
        yield _row(
            "organization",
            id=make_id("organisation", organisation.pk),
            name=organisation.name,
            description=plain_text(organisation.description, converter=converter) or organisation.name,
            email=checked_email(organisation.email),
            website=organisation.website,
            legal_status=organisation.get_legal_form_display(),
            uri=opendata.page_url("organisation-detail", organisation.slug),
        )


def _activities() -> Any:
    return (
        Activity.objects.public()
        .select_related("location_buurt__wijk")
        .defer("location_buurt__geometry", "location_buurt__wijk__geometry")  # names and codes, never a boundary
        .order_by("slug")
    )


def fees(activity: Activity) -> str:
    if activity.cost == Activity.Cost.PRICE and activity.price is not None:
        return f"€ {activity.price:.2f}".replace(".", ",")
    return str(activity.get_cost_display())


def application(activity: Activity) -> str:
    how = str(activity.get_joining_display())
    return f"{how}: {activity.signup_url}" if activity.signup_url else how


def service_rows() -> Iterator[list[str]]:
    primary = _primary_organisations()
    converter = plain_text_converter()
    groups_of = Prefetch("target_groups", queryset=TargetGroup.objects.order_by("position", "slug"))
    for activity in _activities().prefetch_related(groups_of).iterator(chunk_size=opendata.CHUNK):
        groups = ", ".join(group.name for group in activity.target_groups.all())
        yield _row(
            "service",
            id=make_id("activity", activity.pk),
            organization_id=make_id("organisation", primary[activity.pk]),
            name=activity.title,
            description=plain_text(activity.description, converter=converter),
            url=opendata.page_url("activity-detail", activity.slug),
            email=checked_email(activity.contact_email),
            status="active",
            application_process=application(activity),
            fees_description=fees(activity),
            eligibility_description=groups,
            assured_date=schedule.local(activity.confirmed_at).date().isoformat(),
        )


def location_rows() -> Iterator[list[str]]:
    seen: set[str] = set()  # one string per distinct place: small even for 20,000 activities
    for activity in _activities().iterator(chunk_size=opendata.CHUNK):
        place = location_id(activity)
        if place is None or place in seen:
            continue
        seen.add(place)
        if activity.location == Activity.Location.ONLINE:
            yield _row("location", id=place, location_type=VIRTUAL, url=activity.online_url, name="Online")
            continue
        buurt = activity.location_buurt
        yield _row(
            "location",
            id=place,
            location_type=PHYSICAL,
            name=activity.venue or f"{activity.street} {activity.house_number}".strip(),
            description=f"Buurt {buurt.name}" if buurt else None,
            external_identifier=buurt.code if buurt else None,
            external_identifier_type="CBS buurtcode" if buurt else None,
        )
    for organisation in opendata.exported_organisations().filter(postcode__gt="").iterator(chunk_size=opendata.CHUNK):
        buurt = organisation.visiting_buurt
        yield _row(
            "location",
            id=make_id("organisation-address", organisation.pk),
            location_type=PHYSICAL,
            organization_id=make_id("organisation", organisation.pk),
            name=organisation.name,
            description=f"Buurt {buurt.name}" if buurt else None,
            external_identifier=buurt.code if buurt else None,
            external_identifier_type="CBS buurtcode" if buurt else None,
        )


def _address(location: str, *, street: str, number: str, postcode: str, city: str, wijk: str | None) -> list[str]:
    return _row(
        "address",
        id=make_id("address", location),
        location_id=location,
        address_1=f"{street} {number}".strip() or postcode,
        city=city or "Utrecht",
        region=wijk,
        state_province="Utrecht",
        postal_code=postcode,
        country="NL",
        address_type=PHYSICAL,
    )


def address_rows() -> Iterator[list[str]]:
    seen: set[str] = set()
    for activity in _activities().filter(location=Activity.Location.ADDRESS).iterator(chunk_size=opendata.CHUNK):
        place = location_id(activity)
        if place is None or place in seen:
            continue
        seen.add(place)
        buurt = activity.location_buurt
        yield _address(
            place,
            street=activity.street,
            number=activity.house_number,
            postcode=activity.formatted_postcode,
            city="Utrecht",
            wijk=buurt.wijk.name if buurt else None,
        )
    organisations = (
        opendata.exported_organisations()
        .filter(postcode__gt="")
        .select_related("visiting_buurt__wijk")
        .defer("visiting_buurt__wijk__geometry")
    )
    for organisation in organisations.iterator(chunk_size=opendata.CHUNK):
        buurt = organisation.visiting_buurt
        yield _address(
            make_id("organisation-address", organisation.pk),
            street=organisation.street,
            number=organisation.house_number,
            postcode=organisation.formatted_postcode,
            city=organisation.place,
            wijk=buurt.wijk.name if buurt else None,
        )


def service_at_location_rows() -> Iterator[list[str]]:
    for activity in _activities().exclude(location=Activity.Location.AT_HOME).iterator(chunk_size=opendata.CHUNK):
        place = location_id(activity)
        if place is not None:
            yield _row(
                "service_at_location",
                id=make_id("service-at-location", activity.pk),
                service_id=make_id("activity", activity.pk),
                location_id=place,
            )


def rule_parts(rrule: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in rrule.split(";") if "=" in part)


def schedule_row(activity: Activity) -> list[str]:
    start = schedule.local(activity.starts_at)
    end = schedule.local(activity.ends_at) if activity.ends_at else None
    parts = rule_parts(activity.rrule)
    until = None
    if "UNTIL" in parts:
        try:
            moment = dt.datetime.strptime(parts["UNTIL"], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        except ValueError:  # not written by our forms; the exact rule is still in `notes`
            moment = None
        until = schedule.local(moment).date() if moment else None
    # HSDS knows weekly and monthly rules; other frequencies, BYMONTH and BYSETPOS only live in `notes`.
    simple = parts.get("FREQ") in {"WEEKLY", "MONTHLY"} and not {"BYMONTH", "BYSETPOS"} & set(parts)
    notes = [f"DTSTART;TZID=Europe/Amsterdam:{start:%Y%m%dT%H%M%S}"]
    if end:
        notes.append(f"DTEND;TZID=Europe/Amsterdam:{end:%Y%m%dT%H%M%S}")
    if activity.rrule:
        notes.append(f"RRULE:{activity.rrule}")
    if activity.exdates:
        days = ",".join(f"{dt.date.fromisoformat(day):%Y%m%d}T{start:%H%M%S}" for day in activity.exdates)
        notes.append(f"EXDATE;TZID=Europe/Amsterdam:{days}")
    words = activity.repeat_label()
    if activity.exdates:
        words += ". Niet op " + ", ".join(day.strftime("%d-%m-%Y") for day in activity.exception_dates)
    return _row(
        "schedule",
        id=make_id("schedule", activity.pk),
        service_id=make_id("activity", activity.pk),
        valid_from=start.date().isoformat(),
        valid_to=(until if activity.rrule else start.date()),
        dtstart=start.date().isoformat(),
        until=until.isoformat() if until else None,
        count=parts.get("COUNT") if simple else None,
        wkst=parts.get("WKST") if simple else None,
        freq=parts["FREQ"] if simple else None,
        interval=parts.get("INTERVAL", "1") if simple else None,
        byday=parts.get("BYDAY") if simple else None,
        bymonthday=parts.get("BYMONTHDAY") if simple else None,
        description=f"{words}, {start:%H:%M}" + (f"–{end:%H:%M}" if end else ""),
        opens_at=f"{start:%H:%M:%S}",
        closes_at=f"{end:%H:%M:%S}" if end else None,
        schedule_link=opendata.page_url("activity-detail", activity.slug),
        attending_type=activity.get_location_display(),
        notes="\n".join(notes),
    )


def schedule_rows() -> Iterator[list[str]]:
    for activity in Activity.objects.public().order_by("slug").iterator(chunk_size=opendata.CHUNK):
        yield schedule_row(activity)


def service_area_rows() -> Iterator[list[str]]:
    buurten = dict(Buurt.objects.values_list("code", "name"))  # 111 rows: Utrecht's whole division, no boundaries
    served = Activity.buurten.through.objects.filter(activity__in=_public_ids()).values_list("activity_id", "buurt_id")
    located = Activity.objects.public().filter(location_buurt__isnull=False).values_list("pk", "location_buurt_id")
    seen: set[tuple[int, str]] = set()
    for activity_id, code in [
        *served.iterator(chunk_size=opendata.CHUNK),
        *located.iterator(chunk_size=opendata.CHUNK),
    ]:
        if (activity_id, code) in seen:
            continue
        seen.add((activity_id, code))
        yield _row(
            "service_area",
            id=make_id("area", activity_id, code),
            service_id=make_id("activity", activity_id),
            name=buurten[code],
            description=f"CBS buurtcode {code}",
            uri=opendata.page_url("buurt-detail", code),
        )
    for activity_id in Activity.objects.public().filter(citywide=True).values_list("pk", flat=True).iterator():
        yield _row(
            "service_area",
            id=make_id("area", activity_id, "city"),
            service_id=make_id("activity", activity_id),
            name="Utrecht",
            description="Hele stad (CBS gemeentecode GM0344)",
        )


def language_rows() -> Iterator[list[str]]:
    rows = Activity.objects.public().order_by("slug").values_list("pk", "languages")
    for activity_id, codes in rows.iterator(chunk_size=opendata.CHUNK):
        for code in codes:
            yield _row(
                "language",
                id=make_id("language", activity_id, code),
                service_id=make_id("activity", activity_id),
                name=str(LANGUAGE_NAMES.get(code, code)),
                code=code,
            )


def contact_rows() -> Iterator[list[str]]:
    rows = Activity.objects.public().exclude(contact_name="", contact_email="").order_by("slug")
    for activity_id, name, email in rows.values_list("pk", "contact_name", "contact_email").iterator():
        yield _row(
            "contact",
            id=make_id("contact", activity_id),
            service_id=make_id("activity", activity_id),
            name=name,
            email=checked_email(email),
        )


def phone_rows() -> Iterator[list[str]]:
    for organisation in opendata.exported_organisations().exclude(phone="").iterator(chunk_size=opendata.CHUNK):
        yield _row(
            "phone",
            id=make_id("phone", "organisation", organisation.pk),
            organization_id=make_id("organisation", organisation.pk),
            number=organisation.phone,
            type="voice",
        )
    rows = Activity.objects.public().exclude(contact_phone="").order_by("slug")
    for activity_id, name, email, number in rows.values_list(
        "pk", "contact_name", "contact_email", "contact_phone"
    ).iterator(chunk_size=opendata.CHUNK):
        yield _row(
            "phone",
            id=make_id("phone", "activity", activity_id),
            service_id=make_id("activity", activity_id),
            contact_id=make_id("contact", activity_id) if name or email else None,
            number=number,
            type="voice",
        )


def cost_option_rows() -> Iterator[list[str]]:
    rows = Activity.objects.public().filter(cost=Activity.Cost.PRICE, price__isnull=False).order_by("slug")
    for activity_id, price in rows.values_list("pk", "price").iterator(chunk_size=opendata.CHUNK):
        amount: Decimal = price or Decimal(0)
        yield _row(
            "cost_option",
            id=make_id("cost", activity_id),
            service_id=make_id("activity", activity_id),
            option="Deelname",
            currency="EUR",
            amount=f"{amount:.2f}",
            amount_description=f"€ {amount:.2f}".replace(".", ","),
        )


def taxonomy_rows() -> Iterator[list[str]]:
    for key, (name, description) in TAXONOMIES.items():
        yield _row("taxonomy", id=make_id("taxonomy", key), name=name, description=description)


def _term(key: str, code: str, name: str, english: str, uri: str | None = None) -> list[str]:
    return _row(
        "taxonomy_term",
        id=make_id("term", key, code),
        code=code,
        name=name,
        description=english,
        taxonomy=TAXONOMIES[key][0],
        taxonomy_id=make_id("taxonomy", key),
        language="nl",
        term_uri=uri,
    )


def taxonomy_term_rows() -> Iterator[list[str]]:
    for theme in Theme.objects.order_by("position", "slug"):
        yield _term("theme", theme.slug, theme.name, theme.name_en, opendata.absolute(theme.get_absolute_url()))
    for group in TargetGroup.objects.order_by("position", "slug"):
        yield _term("target_group", group.slug, group.name, group.name_en)
    for code, (name, english) in KINDS.items():
        yield _term("kind", code, name, english)
    for code, (name, english) in ACCESSIBILITY.items():
        yield _term("accessibility", code, name, english)


def _attribute(activity_id: int, key: str, code: str, label: str) -> list[str]:
    return _row(
        "attribute",
        id=make_id("attribute", activity_id, key, code),
        link_id=make_id("activity", activity_id),
        taxonomy_term_id=make_id("term", key, code),
        link_type=key,
        link_entity="service",
        label=label,
    )


def attribute_rows() -> Iterator[list[str]]:
    themes = {theme.pk: theme for theme in Theme.objects.all()}
    groups = {group.pk: group for group in TargetGroup.objects.all()}
    tagged = Activity.themes.through.objects.filter(activity__in=_public_ids()).order_by("activity_id", "theme_id")
    for activity_id, theme_id in tagged.values_list("activity_id", "theme_id").iterator(chunk_size=opendata.CHUNK):
        yield _attribute(activity_id, "theme", themes[theme_id].slug, themes[theme_id].name)
    meant = Activity.target_groups.through.objects.filter(activity__in=_public_ids()).order_by("activity_id")
    for activity_id, group_id in meant.values_list("activity_id", "targetgroup_id").iterator(chunk_size=opendata.CHUNK):
        yield _attribute(activity_id, "target_group", groups[group_id].slug, groups[group_id].name)
    flags = list(ACCESSIBILITY)
    rows = Activity.objects.public().order_by("slug").values_list("pk", "kind", *flags)
    for activity_id, kind, *values in rows.iterator(chunk_size=opendata.CHUNK):
        yield _attribute(activity_id, "kind", kind, KINDS[kind][0])
        for flag, value in zip(flags, values, strict=True):
            if value:
                yield _attribute(activity_id, "accessibility", flag, ACCESSIBILITY[flag][0])


ROWS = {
    "organization": organization_rows,
    "service": service_rows,
    "location": location_rows,
    "address": address_rows,
    "service_at_location": service_at_location_rows,
    "schedule": schedule_rows,
    "service_area": service_area_rows,
    "language": language_rows,
    "contact": contact_rows,
    "phone": phone_rows,
    "cost_option": cost_option_rows,
    "taxonomy": taxonomy_rows,
    "taxonomy_term": taxonomy_term_rows,
    "attribute": attribute_rows,
}


def datapackage() -> dict[str, Any]:
    return {
        "name": "samen030-sociale-kaart",
        "title": "SAMEN030 sociale kaart: activiteiten en diensten in Utrecht",
        "description": (
            "Activities and services of Utrecht's neighbourhood organisations, in the tabular form of "
            f"Open Referral HSDS {HSDS_VERSION}. Times are local Europe/Amsterdam time. A text that a spreadsheet "
            "would read as a formula (it starts with =, +, -, @, a tab or a carriage return) has one ' in front."
        ),
        "profile": "tabular-data-package",
        "keywords": ["Open Referral", f"HSDS {HSDS_VERSION}", "Utrecht", "sociale kaart"],
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "homepage": opendata.absolute("/open-data/"),
        "licenses": [{"name": opendata.LICENCE_NAME, "path": opendata.LICENCE_URL, "title": opendata.LICENCE_TITLE}],
        "sources": [{"title": opendata.ATTRIBUTION, "path": opendata.absolute("/")}],
        "resources": [resource.descriptor() for resource in RESOURCES],
    }


def _with_header(resource: Resource) -> Iterator[list[str]]:
    yield resource.columns
    yield from ROWS[resource.name]()


def write_hsds_package(target: IO[bytes]) -> dict[str, int]:
    """datapackage.json and one CSV per resource in a ZIP; returns the number of rows per resource."""
    counts: dict[str, int] = {}
    with translation.override("nl"), zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(datapackage(), ensure_ascii=False, indent=2))
        for resource in RESOURCES:
            counts[resource.name] = opendata.write_zip_member(
                archive, resource.path, _with_header(resource), numeric=resource.numeric
            )
        archive.writestr("LEESMIJ.txt", opendata.readme("Open Referral HSDS 3.0"))
    return counts


def write_hsds_directory(directory: Path) -> dict[str, int]:
    """The same package as loose files in a directory (for validators that read a datapackage.json path)."""
    directory.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with translation.override("nl"):
        (directory / "datapackage.json").write_text(
            json.dumps(datapackage(), ensure_ascii=False, indent=2), encoding="utf-8"
        )
        for resource in RESOURCES:
            with (directory / resource.path).open("w", encoding="utf-8", newline="") as stream:
                counts[resource.name] = opendata.write_csv(stream, _with_header(resource), numeric=resource.numeric)
    return counts
