"""Importing activities from a CSV file: our own export, or a social-map export with Dutch column names.

Each row is turned into the data of the website's ActivityForm and validated by that form, so the rules are the
same as on the website (unknown postcodes, impossible schedules, required fields). What a spreadsheet writes
differently (`ja`/`nee`, `wekelijks`, theme names instead of slugs, `€ 2,50`) is translated first; what cannot be
translated becomes a message for that row and column.
The quote that our export puts before a text that a spreadsheet would run as a formula (=, +, -, @ …) is taken
off again (samen030/core/csvfiles.py), so an export read back and exported again gives the same file.

All rows are read and validated in one database transaction, each row in its own savepoint. At the end the
transaction is committed only when every row was valid (all-or-nothing), or, with `skip_invalid`, when at least
the valid rows should be kept; a dry run always rolls back. Memory stays flat: rows are read one at a time.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import DatabaseError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from samen030.core.csvfiles import restore
from samen030.organisations.forms import buurt_choices
from samen030.organisations.models import Organisation, fold
from samen030.places.models import Buurt, Wijk

from . import schedule, services
from .forms import ActivityForm
from .models import LANGUAGES, Activity, TargetGroup, Theme

# Canonical column -> the names it may have in a file (compared without case, accents, punctuation and spaces).
ALIASES: dict[str, tuple[str, ...]] = {
    "slug": ("slug", "webadres", "web address"),
    "title": ("title", "titel", "naam", "naam activiteit", "activiteit", "name", "naam aanbod"),
    "kind": ("kind", "soort", "type", "soort aanbod"),
    "description": ("description", "omschrijving", "beschrijving", "toelichting"),
    "organisations": ("organisations", "organisation", "organisatie", "organisaties", "aanbieder", "aanbieders"),
    "themes": ("themes", "theme", "thema", "themas"),
    "target_groups": ("target groups", "target group", "doelgroep", "doelgroepen", "voor wie"),
    "languages": ("languages", "language", "taal", "talen", "voertaal"),
    "location": ("location", "waar", "soort locatie", "locatietype"),
    "venue": ("venue", "locatie", "locatienaam", "naam locatie", "plek", "gebouw"),
    "street": ("street", "straat", "straatnaam"),
    "house_number": ("house number", "huisnummer"),
    "address": ("address", "adres"),
    "postcode": ("postcode", "postal code"),
    "online_url": ("online url", "online link", "link online", "videolink"),
    "citywide": ("citywide", "stadsbreed", "hele stad"),
    "buurten": ("buurten", "buurt", "wijk", "wijken", "werkgebied"),
    "dtstart": ("dtstart", "start", "begin", "starts at", "aanvang"),
    "dtend": ("dtend", "end", "einde", "eind", "ends at"),
    "date": ("date", "datum", "startdatum"),
    "start_time": ("start time", "begintijd", "starttijd", "van"),
    "end_time": ("end time", "eindtijd", "tot"),
    "time": ("time", "tijd", "tijden", "hoe laat"),
    "rrule": ("rrule", "herhaling", "herhaalregel", "hoe vaak", "frequentie"),
    "until": ("until", "einddatum", "tot en met", "herhalen tot"),
    "exdates": ("exdates", "exdate", "uitzonderingen", "niet op", "vervalt op"),
    "cost": ("cost", "kosten"),
    "price": ("price", "prijs", "bedrag"),
    "step_free": ("step free", "drempelvrij", "rolstoeltoegankelijk", "rolstoel"),
    "hearing_loop": ("hearing loop", "ringleiding"),
    "accompaniment": ("accompaniment", "begeleiding", "begeleider welkom"),
    "childcare": ("childcare", "kinderopvang", "oppas"),
    "joining": ("joining", "aanmelden", "meedoen", "deelname", "hoe meedoen"),
    "contact_name": ("contact name", "contactpersoon", "contact"),
    "contact_email": ("contact email", "email", "e mail", "emailadres", "e mailadres"),
    "contact_phone": ("contact phone", "telefoon", "telefoonnummer", "phone"),
    "signup_url": ("signup url", "website", "aanmeldlink", "meer informatie", "informatie"),
    "confirmed_at": ("confirmed at", "laatst bevestigd", "bevestigd op"),
}
# Columns of our own export that the import does not need: they follow from other columns.
DERIVED = {"url", "buurt"}

TRUE = {"true", "ja", "j", "yes", "y", "1", "x", "waar", "wel"}
FALSE = {"false", "nee", "n", "no", "0", "", "onwaar", "niet", "geen"}
BOOLEANS = ("citywide", "step_free", "hearing_loop", "accompaniment", "childcare")
REPEAT_WORDS = {
    "": "once",
    "eenmalig": "once",
    "once": "once",
    "geen": "once",
    "nee": "once",
    "wekelijks": "weekly",
    "elke week": "weekly",
    "iedere week": "weekly",
    "every week": "weekly",
    "weekly": "weekly",
    "tweewekelijks": "biweekly",
    "om de week": "biweekly",
    "om de twee weken": "biweekly",
    "elke twee weken": "biweekly",
    "every two weeks": "biweekly",
    "biweekly": "biweekly",
    "maandelijks": "monthly",
    "elke maand": "monthly",
    "iedere maand": "monthly",
    "every month": "monthly",
    "monthly": "monthly",
}
EXTRA_CHOICES = {
    "location": {
        "op een adres": "adres",
        "address": "adres",
        "thuis": "thuis",
        "at home": "thuis",
        "bij u thuis": "thuis",
    },
    "cost": {"free": "gratis", "0": "gratis", "donatie": "bijdrage", "vrije gift": "bijdrage", "bijdrage": "bijdrage"},
    "joining": {
        "inloop": "binnenlopen",
        "vrije inloop": "binnenlopen",
        "walk in": "binnenlopen",
        "aanmelding": "aanmelden",
        "opgeven": "aanmelden",
        "sign up": "aanmelden",
        "via verwijzing": "verwijzing",
        "referral": "verwijzing",
    },
}
CITY_WORDS = {"hele stad", "stadsbreed", "utrecht", "heel utrecht", "whole city", "citywide"}
DATETIME_FORMATS = (
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y %H:%M",
    "%Y%m%dT%H%M%S",
)
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")
TIME = re.compile(r"^(\d{1,2})[:.u](\d{2})(?::\d{2})?$|^(\d{1,2})\s*u(ur)?$")
RAW_HTML = re.compile(r"<\s*[a-zA-Z!/?]")
UNSAFE_LINK = re.compile(r"\[([^\]]*)\]\(\s*<?\s*(?:javascript|vbscript|data)\s*:[^)]*\)", re.IGNORECASE)
LIST_SPLIT = re.compile(r"\s*[;,|]\s*")
MAX_ISSUES_PER_ROW = 20


def normalise_header(header: str) -> str:
    text = fold(header).replace("'", "").replace("’", "")
    return " ".join(re.sub(r"[_\-./()]+", " ", text).split())


@dataclass(frozen=True)
class Issue:
    row: int  # the line of the record in the file; the header is line 1
    column: str
    message: str
    level: str = "error"  # or "warning"

    def __str__(self) -> str:
        where = _("row %(row)s") % {"row": self.row} if self.row else _("file")
        if self.column:
            where += ", " + _("column %(column)s") % {"column": self.column}
        label = _("error") if self.level == "error" else _("warning")
        return f"{where}: {label}: {self.message}"


class ImportFileError(ValueError):
    """The file as a whole cannot be read: no row was imported."""


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    failed: int = 0
    committed: bool = False
    issues: list[Issue] = field(default_factory=list)

    @property
    def warnings(self) -> int:
        return sum(1 for issue in self.issues if issue.level == "warning")

    @property
    def valid(self) -> int:
        return self.rows - self.failed


class ActivityImportForm(ActivityForm):
    """The website's form, for a command run by the platform's administrators: the organisations are named in the
    file (by slug), so the 'you must edit one of them' rule of the website does not apply."""

    def __init__(self, *args: Any, buurten: list[tuple[str, list[tuple[str, str]]]], **kwargs: Any) -> None:
        self.known_buurten = buurten
        super().__init__(*args, user=AnonymousUser(), **kwargs)
        organisations = cast(forms.ModelMultipleChoiceField, self.fields["organisations"])  # type: ignore[type-arg]
        organisations.queryset = Organisation.objects.all()
        organisations.to_field_name = "slug"

    def clean_organisations(self) -> Any:
        return self.cleaned_data["organisations"]

    def buurt_choices(self) -> list[tuple[str, list[tuple[str, str]]]]:
        return self.known_buurten  # read once per import, not once per row


class Lookups:
    """Names and codes that a file may use, resolved to our codes; loaded once per import."""

    def __init__(self) -> None:
        self.themes = self.terms(Theme.objects.all())
        self.target_groups = self.terms(TargetGroup.objects.all())
        self.organisations: dict[str, str] = {}
        for slug, name in Organisation.objects.values_list("slug", "name"):
            self.organisations.setdefault(fold(name), slug)
            self.organisations[slug] = slug
        self.buurt_choices = buurt_choices()
        self.buurten: dict[str, list[str]] = {}
        buurten = list(Buurt.objects.order_by("code").values_list("code", "name", "wijk_id"))  # no boundaries
        in_wijk: dict[str, list[str]] = {}
        for code, _name, wijk_code in buurten:
            in_wijk.setdefault(wijk_code, []).append(code)
        for wijk_code, wijk_name in Wijk.objects.values_list("code", "name"):  # a wijk stands for all its buurten
            self.buurten[fold(wijk_code)] = self.buurten[fold(wijk_name)] = in_wijk.get(wijk_code, [])
        for code, name, _wijk in buurten:  # a buurt with a wijk's name is that buurt
            self.buurten[fold(code)] = self.buurten[fold(name)] = [code]
        self.languages: dict[str, str] = {}
        for iso, language_name in LANGUAGES:
            for language in ("nl", "en"):
                with translation.override(language):
                    self.languages[fold(str(language_name))] = iso
            self.languages[iso] = iso
        self.choices = {
            "kind": self.choice_map(Activity.Kind.choices),
            "location": self.choice_map(Activity.Location.choices),
            "cost": self.choice_map(Activity.Cost.choices),
            "joining": self.choice_map(Activity.Joining.choices),
        }
        for name, extra in EXTRA_CHOICES.items():
            self.choices[name].update(extra)

    @staticmethod
    def terms(queryset: Iterable[Theme | TargetGroup]) -> dict[str, str]:
        found: dict[str, str] = {}
        for term in queryset:
            found[fold(term.name)] = found[fold(term.name_en)] = found[term.slug] = term.slug
        return found

    @staticmethod
    def choice_map(choices: list[tuple[str, Any]]) -> dict[str, str]:
        found: dict[str, str] = {}
        for code, label in choices:
            found[code] = code
            for language in ("nl", "en"):
                with translation.override(language):
                    found[fold(str(label))] = code
        return found


def resolve_columns(headers: list[str]) -> tuple[dict[str, str], list[Issue]]:
    """Canonical column -> the header in the file; warnings for columns that are not used."""
    normalised = [normalise_header(header) for header in headers]
    mapping: dict[str, str] = {}
    issues = []
    # Exact canonical names first, so that our own export's `buurten` wins over its derived `buurt` column.
    for header, name in zip(headers, normalised, strict=True):
        canonical = name.replace(" ", "_")
        if canonical in ALIASES and canonical not in mapping:
            mapping[canonical] = header
    used = set(mapping.values())
    for header, name in zip(headers, normalised, strict=True):
        if header in used:
            continue
        alias_of = next((key for key, names in ALIASES.items() if name in names), None)
        if alias_of is not None and alias_of not in mapping:
            mapping[alias_of] = header
        elif name not in DERIVED:
            issues.append(Issue(0, header, _("This column is not used."), "warning"))
    return mapping, issues


@dataclass
class Row:
    """One record being translated: its values by canonical column, the data for the form, and its messages."""

    line: int
    values: dict[str, str]
    columns: dict[str, str]
    data: dict[str, Any] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    def get(self, key: str) -> str:
        return self.values.get(key, "").strip()

    def error(self, key: str, message: str) -> None:
        self.issues.append(Issue(self.line, self.columns.get(key, key), message))

    def warn(self, key: str, message: str) -> None:
        self.issues.append(Issue(self.line, self.columns.get(key, key), message, "warning"))

    @property
    def failed(self) -> bool:
        return any(issue.level == "error" for issue in self.issues)


def parse_boolean(row: Row, key: str) -> bool:
    value = fold(row.get(key))
    if value in TRUE:
        return True
    if value not in FALSE:
        row.error(key, _("Write yes or no (ja or nee), not %(value)s.") % {"value": row.get(key)})
    return False


def parse_time(text: str) -> dt.time | None:
    match = TIME.match(text.strip().lower())
    if not match:
        return None
    hour, minute = (int(match[1]), int(match[2])) if match[1] else (int(match[3]), 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def parse_date(text: str) -> dt.date | None:
    for date_format in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), date_format).date()
        except ValueError:
            continue
    return None


def parse_datetime(text: str) -> dt.datetime | None:
    for date_format in DATETIME_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), date_format)
        except ValueError:
            continue
    return None


def parse_price(text: str) -> Decimal | None:
    cleaned = re.sub(r"(?i)€|eur(o)?|\s", "", text)
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def neutralise_markdown(text: str) -> tuple[str, bool]:
    """Raw HTML is shown as text and links to javascript:, vbscript: or data: keep only their words."""
    cleaned = UNSAFE_LINK.sub(r"\1", text)
    cleaned = RAW_HTML.sub(lambda match: match.group(0).replace("<", "&lt;"), cleaned)
    return cleaned, cleaned != text


def translate_start(row: Row) -> None:
    start = parse_datetime(row.get("dtstart"))
    day = parse_date(row.get("dtstart"))
    if start is not None:
        row.data["date"], row.data["start_time"] = start.date(), start.time()
    elif day is not None:
        row.data["date"] = day
    else:
        row.error("dtstart", _("Write the start like 2026-03-17T10:00 or 17-03-2026 10:00."))


def translate_schedule(row: Row) -> None:
    if row.get("dtstart"):
        translate_start(row)
    if row.get("date"):
        day = parse_date(row.get("date"))
        if day is None:
            row.error("date", _("Write the date like 17-03-2026 or 2026-03-17."))
        else:
            row.data["date"] = day
    if row.get("start_time"):
        moment = parse_time(row.get("start_time"))
        if moment is None:
            row.error("start_time", _("Write the time like 10:00."))
        else:
            row.data["start_time"] = moment
    if row.get("time"):
        translate_time_range(row)
    if not row.failed and "date" not in row.data:
        row.error("dtstart" if "dtstart" in row.columns else "date", _("Give the date and start time."))
    elif not row.failed and "start_time" not in row.data:
        row.error("start_time" if "start_time" in row.columns else "dtstart", _("Give the start time."))
    translate_end(row)
    translate_repeat(row)


def translate_time_range(row: Row) -> None:
    """'10:00-12:00', '10.00 – 12.00 uur' or '10:00 tot 12:00' in one column."""
    text = re.sub(r"(?i)\s*uur\s*$", "", row.get("time"))
    parts = [part for part in re.split(r"\s*(?:-|–|tot|to)\s*", text) if part]
    times = [parse_time(part) for part in parts]
    if not 1 <= len(times) <= 2 or None in times:
        row.error("time", _("Write the times like 10:00-12:00."))
        return
    row.data["start_time"] = times[0]
    if len(times) == 2:
        row.data["end_time"] = times[1]


def translate_end(row: Row) -> None:
    key = "dtend" if row.get("dtend") else "end_time"
    text = row.get(key)
    if not text:
        return
    end = parse_datetime(text)
    if end is not None:
        if "date" in row.data and end.date() != row.data["date"]:
            row.error(key, _("An activity ends on the day it starts. Give a repeat rule for more days."))
            return
        row.data["end_time"] = end.time()
        return
    moment = parse_time(text)
    if moment is None:
        row.error(key, _("Write the end time like 12:00."))
    else:
        row.data["end_time"] = moment


def translate_repeat(row: Row) -> None:
    text = row.get("rrule")
    word = fold(text)
    if word in REPEAT_WORDS:
        row.data["repeat"] = REPEAT_WORDS[word]
    elif "freq=" in word:
        row.data["repeat"], row.data["custom_rule"] = "custom", text.upper().removeprefix("RRULE:")
    else:
        row.error("rrule", _("Write an iCalendar RRULE like FREQ=WEEKLY, or weekly, every two weeks or monthly."))
    if row.get("until"):
        until = parse_date(row.get("until"))
        if until is None:
            row.error("until", _("Write the date like 17-03-2026 or 2026-03-17."))
        else:
            row.data["until"] = until
    row.data["exceptions"] = row.get("exdates")


def translate_list(row: Row, key: str, known: dict[str, str], message: str) -> list[str]:
    found = []
    for token in LIST_SPLIT.split(row.get(key)):
        if not token:
            continue
        code = known.get(fold(token)) or known.get(token)
        if code is None:
            row.error(key, message % {"value": token})
        elif code not in found:
            found.append(code)
    return found


def translate_choice(row: Row, key: str, lookups: Lookups) -> None:
    text = row.get(key)
    if not text:
        return
    code = lookups.choices[key].get(fold(text))
    if code is None:
        known = ", ".join(sorted(set(lookups.choices[key].values())))
        row.error(key, _("%(value)s is not one of: %(known)s.") % {"value": text, "known": known})
    else:
        row.data[key] = code


def translate_location(row: Row, lookups: Lookups) -> None:
    for key in ("venue", "street", "house_number", "postcode", "online_url"):
        row.data[key] = row.get(key)
    if row.get("address") and not row.get("street"):
        match = re.match(r"^(.*?)\s+(\d+\S*(?:\s*[a-zA-Z])?)$", row.get("address"))
        row.data["street"], row.data["house_number"] = (match[1], match[2]) if match else (row.get("address"), "")
    translate_choice(row, "location", lookups)
    if "location" not in row.data:
        if row.data["postcode"] or row.data["street"]:
            row.data["location"] = Activity.Location.ADDRESS
        elif row.data["online_url"]:
            row.data["location"] = Activity.Location.ONLINE
        else:
            row.data["location"] = Activity.Location.AT_HOME
    buurten: list[str] = []
    for token in LIST_SPLIT.split(row.get("buurten")):
        if not token:
            continue
        if fold(token) in CITY_WORDS:
            row.data["citywide"] = True
        elif fold(token) in lookups.buurten:
            buurten.extend(code for code in lookups.buurten[fold(token)] if code not in buurten)
        else:
            row.error("buurten", _("We do not know the buurt or wijk %(value)s.") % {"value": token})
    row.data["buurten"] = buurten


def translate_cost(row: Row, lookups: Lookups) -> None:
    text = row.get("cost")
    amount = parse_price(text) if text else None
    if amount is not None and amount > 0:
        row.data["cost"], row.data["price"] = Activity.Cost.PRICE, amount
    elif amount is not None:
        row.data["cost"] = Activity.Cost.FREE
    else:
        translate_choice(row, "cost", lookups)
        row.data.setdefault("cost", Activity.Cost.FREE)
    if row.get("price"):
        price = parse_price(row.get("price"))
        if price is None:
            row.error("price", _("Write the price in euros, like 2,50."))
        elif row.data["cost"] == Activity.Cost.PRICE or "cost" not in row.columns:
            row.data["cost"], row.data["price"] = Activity.Cost.PRICE, price


def translate(row: Row, lookups: Lookups, default_organisations: list[str]) -> None:
    """Fill row.data with what ActivityForm expects; problems that the form cannot see become row issues."""
    for key in ("title", "contact_name", "contact_email", "contact_phone", "signup_url"):
        row.data[key] = row.get(key)
    description, changed = neutralise_markdown(row.get("description"))
    if changed:
        row.warn(
            "description",
            _("The description contained HTML or an unsafe link. We show the HTML as text and removed the link."),
        )
    row.data["description"] = description
    translate_choice(row, "kind", lookups)
    row.data.setdefault("kind", Activity.Kind.ACTIVITY)
    translate_choice(row, "joining", lookups)
    row.data.setdefault("joining", Activity.Joining.WALK_IN)
    organisations = translate_list(
        row, "organisations", lookups.organisations, _("We do not know the organisation %(value)s.")
    )
    row.data["organisations"] = organisations or default_organisations
    if not row.data["organisations"]:
        row.error("organisations", _("Name the organisation, or give --organisation."))
    row.data["themes"] = translate_list(
        row, "themes", lookups.themes, _("%(value)s is not one of our themes.") + " " + known(lookups.themes)
    )
    row.data["target_groups"] = translate_list(
        row,
        "target_groups",
        lookups.target_groups,
        _("%(value)s is not one of our target groups.") + " " + known(lookups.target_groups),
    )
    row.data["languages"] = translate_list(
        row, "languages", lookups.languages, _("We do not know the language %(value)s. Use ISO codes like nl or ar.")
    )
    if not row.data["languages"] and not row.failed:
        row.data["languages"] = ["nl"]
        if "languages" in row.columns:  # a file without the column hears it once, at the header
            row.warn("languages", _("No language given: we assume Dutch."))
    for key in BOOLEANS:
        row.data[key] = parse_boolean(row, key) or row.data.get(key, False)
    translate_location(row, lookups)
    translate_cost(row, lookups)
    translate_schedule(row)


def known(terms: dict[str, str]) -> str:
    return _("Known: %(codes)s.") % {"codes": ", ".join(sorted(set(terms.values())))}


# Where the form reports an error -> the columns it may have come from, the likeliest first.
FORM_COLUMNS = {
    "date": ("dtstart", "date"),
    "start_time": ("dtstart", "start_time", "time"),
    "end_time": ("dtend", "end_time", "time"),
    "repeat": ("rrule",),
    "custom_rule": ("rrule",),
    "until": ("until", "rrule"),
    "exceptions": ("exdates",),
    "street": ("street", "address"),
    "house_number": ("house_number", "address"),
}


def form_issues(row: Row, form: ActivityImportForm) -> None:
    for name, errors in form.errors.items():
        candidates = FORM_COLUMNS.get(name, (name,))
        key = next((candidate for candidate in candidates if candidate in row.columns), candidates[0])
        column = "" if name == "__all__" else row.columns.get(key, key)
        for message in errors:
            row.issues.append(Issue(row.line, column, str(message)))


def confirmed(row: Row) -> dt.datetime | None:
    text = row.get("confirmed_at")
    if not text:
        return None
    day = parse_date(text[:10])
    if day is None:
        row.error("confirmed_at", _("Write the date like 2026-03-17."))
        return None
    return dt.datetime.combine(day, dt.time(12), tzinfo=schedule.AMSTERDAM)


def existing(row: Row, *, update: bool) -> Activity | None:
    slug = row.get("slug")
    if not slug:
        return None
    try:
        validate_slug(slug)
    except ValidationError:
        row.error("slug", _("A web address has only letters, digits and hyphens."))
        return None
    found = Activity.objects.filter(slug=slug).first()
    if found is not None and not update:
        row.error("slug", _("An activity with this web address exists already. Use --update to change it."))
    return found


def import_row(row: Row, lookups: Lookups, *, default_organisations: list[str], update: bool) -> str | None:
    """Validate and save one row inside a savepoint; 'created', 'updated' or None when the row failed."""
    translate(row, lookups, default_organisations)
    instance = existing(row, update=update)
    confirmed_at = confirmed(row)
    if row.failed:
        return None
    form = ActivityImportForm(row.data, instance=instance, buurten=lookups.buurt_choices)
    if not form.is_valid():
        form_issues(row, form)
        return None
    try:
        with transaction.atomic():
            services.import_activity(form=form, slug=row.get("slug"), confirmed_at=confirmed_at)
    except (DatabaseError, ValidationError) as error:
        row.error("", _("The row could not be saved: %(error)s") % {"error": error})
        return None
    return "updated" if instance is not None else "created"


def records(lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """(line number where the record starts, cells), read one record at a time."""
    sample: list[str] = []
    iterator = iter(lines)
    for line in iterator:
        sample.append(line)
        break
    if not sample:
        return
    header = sample[0]
    delimiter = max([",", ";", "\t"], key=header.count)

    def chained() -> Iterator[str]:
        yield from sample
        yield from iterator

    reader = csv.reader(chained(), delimiter=delimiter)
    start = 1
    for cells in reader:
        yield start, cells
        start = reader.line_num + 1


def read_header(rows: Iterator[tuple[int, list[str]]]) -> tuple[list[str], dict[str, str], list[Issue]]:
    try:
        _line, cells = next(rows)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    headers = [restore(header).strip() for header in cells]
    columns, issues = resolve_columns(headers)
    if "title" not in columns:
        raise ImportFileError(_("The file has no column with the title (title or titel)."))
    if "dtstart" not in columns and "date" not in columns:
        raise ImportFileError(_("The file has no column with the start (dtstart, or datum and begintijd)."))
    if "languages" not in columns:
        issues.append(Issue(0, "", _("The file has no column with languages: we assume Dutch."), "warning"))
    return headers, columns, issues


def import_activities(
    lines: Iterable[str],
    *,
    default_organisations: list[str] | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    update: bool = False,
    on_row: Callable[[ImportReport], None] | None = None,
    on_issue: Callable[[Issue], None] | None = None,
) -> ImportReport:
    """Read a CSV file (an iterable of text lines) and save its activities; see the module docstring for when the
    rows are committed. Raises ImportFileError when the file as a whole cannot be read."""
    report = ImportReport()

    def note(issue: Issue) -> None:
        report.issues.append(issue)
        if on_issue is not None:
            on_issue(issue)

    with transaction.atomic():
        rows = records(lines)
        try:
            headers, columns, header_issues = read_header(rows)
            for issue in header_issues:
                note(issue)
            positions = {key: headers.index(header) for key, header in columns.items()}
            lookups = Lookups()
            organisations = list(default_organisations or [])
            for line, cells in rows:
                if not any(cell.strip() for cell in cells):
                    continue
                report.rows += 1
                # Our export writes a quote before text that a spreadsheet would run as a formula: take it off.
                values = {key: restore(cells[index]) if index < len(cells) else "" for key, index in positions.items()}
                row = Row(line, values=values, columns=columns)
                if any(cell.strip() for cell in cells[len(headers) :]):
                    row.error("", _("This row has more cells than the header has columns."))
                outcome = (
                    None if row.failed else import_row(row, lookups, default_organisations=organisations, update=update)
                )
                report.created += outcome == "created"
                report.updated += outcome == "updated"
                report.failed += outcome is None
                for issue in row.issues[:MAX_ISSUES_PER_ROW]:
                    note(issue)
                if on_row is not None:
                    on_row(report)
        except csv.Error as error:
            raise ImportFileError(_("The file is not a readable CSV file: %(error)s") % {"error": error}) from error
        except UnicodeDecodeError as error:
            raise ImportFileError(_("The file is not UTF-8 text. Save it as CSV UTF-8, or give --encoding.")) from error
        report.committed = not dry_run and (report.failed == 0 or skip_invalid)
        if not report.committed:
            transaction.set_rollback(True)
    return report
