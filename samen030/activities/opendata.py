"""Open data: every public activity and service as CSV, with the organisations that offer them and the buurten.

One row per activity; lists (themes, target groups, languages, buurten, organisations) are `;`-separated codes or
slugs; the schedule is the local start (Europe/Amsterdam) plus the RRULE and the exception dates, so that the import
command reads the same file back. Only what the listing shows publicly is exported: no editors, no board notes.

Everything is written row by row from database iterators, so 20,000 activities stay within a few megabytes of memory.
"""

from __future__ import annotations

import functools
import io
import zipfile
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from samen030.core.csvfiles import CsvWriter
from samen030.organisations.models import Organisation
from samen030.places.models import Buurt

from . import schedule
from .models import Activity, ActivityQuerySet

LICENCE_NAME = "CC-BY-4.0"
LICENCE_TITLE = "Creative Commons Attribution 4.0 International"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
ATTRIBUTION = "SAMEN030, stadscoöperatie van Utrechtse buurtorganisaties"
CHUNK = 1000
SEPARATOR = ";"

ACTIVITY_COLUMNS = [
    "slug",
    "title",
    "kind",
    "description",
    "organisations",
    "themes",
    "target_groups",
    "languages",
    "location",
    "venue",
    "street",
    "house_number",
    "postcode",
    "buurt",
    "online_url",
    "citywide",
    "buurten",
    "dtstart",
    "dtend",
    "rrule",
    "exdates",
    "cost",
    "price",
    "step_free",
    "hearing_loop",
    "accompaniment",
    "childcare",
    "joining",
    "contact_name",
    "contact_email",
    "contact_phone",
    "signup_url",
    "confirmed_at",
    "url",
]
ORGANISATION_COLUMNS = [
    "slug",
    "name",
    "kind",
    "description",
    "website",
    "email",
    "phone",
    "street",
    "house_number",
    "postcode",
    "place",
    "buurt",
    "kvk_number",
    "url",
]
# The only number column; every other column is text (codes, dates and lists included), so a text cell that starts
# like a formula (=, +, -, @, tab, carriage return) is written with a quote in front.
ACTIVITY_NUMERIC = {"price"}
BUURT_COLUMNS = ["code", "name", "wijk_code", "wijk_name", "url"]
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@functools.cache
def _url_pattern(name: str) -> tuple[str, str]:
    before, _marker, after = reverse(name, args=["MARKER"]).partition("MARKER")
    return before, after


def page_url(name: str, key: str) -> str:
    """The absolute URL of a detail page, without resolving the URL pattern again for each of 20,000 rows."""
    before, after = _url_pattern(name)
    return f"{settings.SITE_URL}{before}{key}{after}"


def boolean(value: bool) -> str:
    return "true" if value else "false"


def public_activities() -> ActivityQuerySet:
    """Public activities in a stable order (by slug); their links come from `links()`, one chunk at a time."""
    return Activity.objects.public().order_by("slug")


@dataclass
class Links:
    """Codes of the related rows of a chunk of activities, by activity pk, each list sorted."""

    organisations: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    themes: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    target_groups: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    buurten: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))


def links(ids: list[int]) -> Links:
    """Four queries of plain tuples per chunk: much cheaper than prefetching model instances for every activity."""
    found = Links()
    queries: list[tuple[dict[int, list[str]], Any]] = [
        (
            found.organisations,
            Activity.organisations.through.objects.filter(organisation__is_published=True).values_list(
                "activity_id", "organisation__slug"
            ),
        ),
        (found.themes, Activity.themes.through.objects.values_list("activity_id", "theme__slug")),
        (found.target_groups, Activity.target_groups.through.objects.values_list("activity_id", "targetgroup__slug")),
        (found.buurten, Activity.buurten.through.objects.values_list("activity_id", "buurt_id")),
    ]
    for target, query in queries:
        for activity_id, code in query.filter(activity_id__in=ids):
            target[activity_id].append(code)
        for codes in target.values():
            codes.sort()
    return found


def chunks(queryset: Any, size: int = CHUNK) -> Iterator[list[Any]]:
    """The queryset's rows in lists of `size`, read with a database cursor (not all at once)."""
    batch: list[Any] = []
    for item in queryset.iterator(chunk_size=size):
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def exported_organisations() -> Any:
    """Published organisations that offer at least one public activity."""
    offering = Activity.organisations.through.objects.filter(activity__in=Activity.objects.public().values("pk"))
    return (
        Organisation.objects.published()
        .filter(pk__in=offering.values("organisation_id"))
        .select_related("visiting_buurt")
        .defer("visiting_buurt__geometry")  # names and codes only, never a boundary
        .order_by("slug")
    )


def activity_row(activity: Activity, linked: Links) -> list[str]:
    start = schedule.local(activity.starts_at)
    end = schedule.local(activity.ends_at) if activity.ends_at else None
    return [
        activity.slug,
        activity.title,
        activity.kind,
        activity.description,
        SEPARATOR.join(linked.organisations[activity.pk]),
        SEPARATOR.join(linked.themes[activity.pk]),
        SEPARATOR.join(linked.target_groups[activity.pk]),
        SEPARATOR.join(activity.languages),
        activity.location,
        activity.venue,
        activity.street,
        activity.house_number,
        activity.formatted_postcode,
        activity.location_buurt_id or "",
        activity.online_url,
        boolean(activity.citywide),
        SEPARATOR.join(linked.buurten[activity.pk]),
        start.strftime(LOCAL_FORMAT),
        end.strftime(LOCAL_FORMAT) if end else "",
        activity.rrule,
        SEPARATOR.join(activity.exdates),
        activity.cost,
        f"{activity.price:.2f}" if activity.price is not None else "",
        boolean(activity.step_free),
        boolean(activity.hearing_loop),
        boolean(activity.accompaniment),
        boolean(activity.childcare),
        activity.joining,
        activity.contact_name,
        activity.contact_email,
        activity.contact_phone,
        activity.signup_url,
        schedule.local(activity.confirmed_at).date().isoformat(),
        page_url("activity-detail", activity.slug),
    ]


def activity_rows() -> Iterator[list[str]]:
    yield ACTIVITY_COLUMNS
    for batch in chunks(public_activities()):
        linked = links([activity.pk for activity in batch])
        for activity in batch:
            yield activity_row(activity, linked)


def organisation_rows() -> Iterator[list[str]]:
    yield ORGANISATION_COLUMNS
    for organisation in exported_organisations().iterator(chunk_size=CHUNK):
        yield [
            organisation.slug,
            organisation.name,
            organisation.kind,
            organisation.description,
            organisation.website,
            organisation.email,
            organisation.phone,
            organisation.street,
            organisation.house_number,
            organisation.formatted_postcode,
            organisation.place if organisation.street else "",
            organisation.visiting_buurt_id or "",
            organisation.kvk_number,
            page_url("organisation-detail", organisation.slug),
        ]


def buurt_rows() -> Iterator[list[str]]:
    yield BUURT_COLUMNS
    rows = Buurt.objects.order_by("code").values_list("code", "name", "wijk_id", "wijk__name")  # no boundaries
    for code, name, wijk_code, wijk_name in rows.iterator(chunk_size=CHUNK):
        yield [code, name, wijk_code, wijk_name, page_url("buurt-detail", code)]


def write_csv(stream: IO[str], rows: Iterable[list[str]], *, numeric: Collection[str] = ()) -> int:
    """Write the header and the rows to a text stream; returns the number of data rows (without the header).

    Text cells that a spreadsheet would run as a formula get a quote in front (samen030/core/csvfiles.py); the
    import takes it off again. Only the columns in `numeric` keep a leading minus sign of a plain number."""
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None:
        return 0
    writer = CsvWriter(stream, header, numeric=numeric)
    count = 0
    for row in iterator:
        writer.writerow(row)
        count += 1
    return count


def write_activities(stream: IO[str]) -> int:
    return write_csv(stream, activity_rows(), numeric=ACTIVITY_NUMERIC)


def write_zip_member(
    archive: zipfile.ZipFile, name: str, rows: Iterable[list[str]], *, numeric: Collection[str] = ()
) -> int:
    with archive.open(name, "w", force_zip64=True) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        count = write_csv(text, rows, numeric=numeric)
        text.flush()
        text.detach()
    return count


def readme(kind: str) -> str:
    return (
        f"SAMEN030 open data ({kind})\n\n"
        f"{settings.SITE_URL}/open-data/\n\n"
        f"Licentie / licence: {LICENCE_TITLE} ({LICENCE_URL}).\n"
        f"Naamsvermelding / attribution: {ATTRIBUTION}.\n\n"
        "Bestanden: UTF-8, komma als scheidingsteken, lijsten gescheiden door ;. Tijden in Europe/Amsterdam.\n"
        "Een tekst die een spreadsheet als formule zou lezen (begint met =, +, -, @, tab of regelterugloop) staat\n"
        "in het bestand met een ' ervoor, zodat hij tekst blijft. Haal die ene ' weg voor de oorspronkelijke tekst;\n"
        "samen030 import_activities doet dat zelf. Getallen (kolommen price, amount) hebben geen '.\n"
        "Files: UTF-8, comma-separated, lists separated by ;. Times in Europe/Amsterdam. A text that a spreadsheet\n"
        "would read as a formula (it starts with =, +, -, @, tab or carriage return) has a ' in front, so it stays\n"
        "text. Remove that one ' for the original text; samen030 import_activities does. Numbers have no '.\n"
    )


def write_activities_csv(target: IO[bytes]) -> dict[str, int]:
    """Only the activities, as a UTF-8 CSV file."""
    text = io.TextIOWrapper(target, encoding="utf-8", newline="")
    with translation.override("nl"):
        count = write_activities(text)
    text.flush()
    text.detach()
    return {"activiteiten.csv": count}


def write_csv_package(target: IO[bytes]) -> dict[str, int]:
    """activiteiten.csv, organisaties.csv and buurten.csv in one ZIP; returns the number of rows per file."""
    with translation.override("nl"), zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        counts = {
            "activiteiten.csv": write_zip_member(
                archive, "activiteiten.csv", activity_rows(), numeric=ACTIVITY_NUMERIC
            ),
            "organisaties.csv": write_zip_member(archive, "organisaties.csv", organisation_rows()),
            "buurten.csv": write_zip_member(archive, "buurten.csv", buurt_rows()),
        }
        archive.writestr("LEESMIJ.txt", readme("CSV"))
    return counts
