"""Search over activities and services: the search form (GET parameters with Dutch names), the search itself as a
queryset that the search page, the API and the map all use, and the derived columns it runs on.

`ActivitySearchForm(request.GET)` validates the parameters; `search_activities(form.cleaned_data)` returns the
matching public activities in order. Filters on day of the week, part of the day and dates run in SQL on columns
that `index_activities` derives from the schedule whenever the services save an activity; `next_dates` then works
out the exact dates in Python, only for the activities on the page shown.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db import models, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from samen030.core import search as core_search
from samen030.core.widgets import FastCheckboxSelectMultiple, FastSelect
from samen030.places.models import Buurt, Postcode, Wijk
from samen030.places.postcodes import format_postcode, normalise_postcode

from . import schedule
from .models import LANGUAGE_NAMES, LANGUAGES, Activity, ActivityQuerySet, TargetGroup, Theme

SPEC = core_search.SearchSpec(
    table="activities_activity",
    columns=("search_title", "search_tags", "search_body"),
    fts_table="activities_activity_fts",
)
INDEX_BATCH = 500

WEEKDAYS = [
    ("ma", _("Monday")),
    ("di", _("Tuesday")),
    ("wo", _("Wednesday")),
    ("do", _("Thursday")),
    ("vr", _("Friday")),
    ("za", _("Saturday")),
    ("zo", _("Sunday")),
]
WEEKDAY_BITS = {code: 1 << number for number, (code, _label) in enumerate(WEEKDAYS)}
ALL_WEEKDAYS = 127
DAYPARTS = [
    ("ochtend", _("Morning (before 12:00)")),
    ("middag", _("Afternoon (12:00 to 18:00)")),
    ("avond", _("Evening (from 18:00)")),
]
DAYPART_BITS = {"ochtend": schedule.MORNING, "middag": schedule.AFTERNOON, "avond": schedule.EVENING}
ACCESSIBILITY = [
    ("drempelvrij", _("Step-free access")),
    ("ringleiding", _("Hearing loop")),
    ("begeleiding", _("You may bring someone to accompany you")),
    ("kinderopvang", _("Childcare")),
]
ACCESSIBILITY_FIELDS = {
    "drempelvrij": "step_free",
    "ringleiding": "hearing_loop",
    "begeleiding": "accompaniment",
    "kinderopvang": "childcare",
}
SORTS = [("", _("Best match first, or soonest first without search words")), ("relevantie", _("Best match first"))]
SORTS += [("datum", _("Soonest first"))]
# How far ahead the next dates of a result are looked up, and how many are shown.
NEXT_DATES_WINDOW = dt.timedelta(days=366)
NEXT_DATES_SHOWN = 3
# Rows that are not near: put after every buurt.
FAR = 10_000
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


# Keeping the derived columns up to date ------------------------------------------------------------------------


def _names(*terms: Any) -> list[str]:
    return [name for term in terms for name in (term.name, term.name_en)]


def search_columns(activity: Any) -> tuple[str, str, str]:
    """The normalised title, tags and body of an activity whose relations are prefetched. Uses only fields, so it
    works on the historical models in a migration too."""
    places: list[str] = []
    for buurt in [*activity.buurten.all(), *([activity.location_buurt] if activity.location_buurt else [])]:
        places += [buurt.name, buurt.wijk.name]
    languages = []
    for language in ("nl", "en"):
        with translation.override(language):
            languages += [str(LANGUAGE_NAMES[code]) for code in activity.languages if code in LANGUAGE_NAMES]
    tags = [
        *(organisation.name for organisation in activity.organisations.all()),
        *_names(*activity.themes.all()),
        *_names(*activity.target_groups.all()),
        *dict.fromkeys(places),
        *languages,
        activity.venue,
        activity.street,
    ]
    return (
        core_search.document(activity.title),
        core_search.document(*tags),
        core_search.document(activity.description),
    )


def derive(activity: Any, *, today: dt.date) -> list[str]:
    """Set the derived columns of one activity (relations prefetched); returns the names of the columns."""
    activity.search_title, activity.search_tags, activity.search_body = search_columns(activity)
    summary = schedule.summarise(
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        rrule=activity.rrule,
        exdates=[dt.date.fromisoformat(day) for day in activity.exdates],
        today=today,
    )
    activity.weekdays, activity.dayparts = summary.weekdays, summary.dayparts
    activity.first_date, activity.last_date, activity.next_date = (
        summary.first_date,
        summary.last_date,
        summary.next_date,
    )
    return [*SPEC.columns, "weekdays", "dayparts", "first_date", "last_date", "next_date"]


def index_activities(pks: Iterable[int] | None = None, *, model: Any = Activity, today: dt.date | None = None) -> int:
    """Derive the search columns of the given activities (all when `pks` is None) and update the full-text index.
    `model` lets a migration pass its historical model. Returns how many were indexed."""
    today = today or timezone.localdate()
    queryset = model.objects.order_by("pk")
    if pks is not None:
        queryset = queryset.filter(pk__in=list(pks))
    all_pks = list(queryset.values_list("pk", flat=True))
    with transaction.atomic():
        if pks is None:
            core_search.sqlite_index_rows(SPEC, [], replace_all=True)
        for start in range(0, len(all_pks), INDEX_BATCH):
            batch = list(
                model.objects.filter(pk__in=all_pks[start : start + INDEX_BATCH])
                .select_related("location_buurt__wijk")
                .prefetch_related("organisations", "themes", "target_groups", "buurten__wijk")
            )
            fields: list[str] = []
            for activity in batch:
                fields = derive(activity, today=today)
            if batch:
                model.objects.bulk_update(batch, fields)
                core_search.sqlite_index_rows(
                    SPEC, [(a.pk, a.search_title, a.search_tags, a.search_body) for a in batch]
                )
    return len(all_pks)


def unindex_activity(pk: int) -> None:
    core_search.sqlite_remove_rows(SPEC, [pk])


# The form ------------------------------------------------------------------------------------------------------


def buurt_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """Buurten grouped by wijk for the select, without loading their boundaries."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, name, wijk in Buurt.objects.order_by("wijk__code", "name").values_list("code", "name", "wijk__name"):
        groups.setdefault(wijk, []).append((code, name))
    return list(groups.items())


class ActivitySearchForm(forms.Form):
    """Every search is a GET URL with these parameters, so that every search can be shared."""

    all_optional = True

    q = forms.CharField(label=_("Search for"), required=False, max_length=200)
    soort = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Activities and services")), *Activity.Kind.choices],
        widget=FastSelect,
    )
    postcode = forms.CharField(
        label=_("Near postcode"),
        required=False,
        max_length=8,
        help_text=_("For example 3531 AB. Results in that buurt come first, then its wijk, then the nearest buurten."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "class": "utrecht-textbox--postcode-size"}),
    )
    wijk = forms.ModelChoiceField(
        label=_("Wijk"),
        queryset=Wijk.objects.only("code", "name"),  # not the boundary: a large JSON value
        required=False,
        to_field_name="code",
        empty_label=_("All wijken"),
        widget=FastSelect,
    )
    buurt = forms.ChoiceField(label=_("Buurt"), required=False, widget=FastSelect)
    thema = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        to_field_name="slug",
        widget=FastCheckboxSelectMultiple,
    )
    doelgroep = forms.ModelMultipleChoiceField(
        label=_("For whom"),
        queryset=TargetGroup.objects.all(),
        required=False,
        to_field_name="slug",
        widget=FastCheckboxSelectMultiple,
    )
    dag = forms.MultipleChoiceField(
        label=_("Day of the week"), required=False, choices=WEEKDAYS, widget=FastCheckboxSelectMultiple
    )
    dagdeel = forms.MultipleChoiceField(
        label=_("Part of the day"), required=False, choices=DAYPARTS, widget=FastCheckboxSelectMultiple
    )
    van = forms.DateField(
        label=_("From"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    tot = forms.DateField(
        label=_("Until"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    gratis = forms.BooleanField(label=_("Free only"), required=False)
    taal = forms.ChoiceField(
        label=_("Language spoken"), required=False, choices=[("", _("Any language")), *LANGUAGES], widget=FastSelect
    )
    toegankelijk = forms.MultipleChoiceField(
        label=_("Accessibility"), required=False, choices=ACCESSIBILITY, widget=FastCheckboxSelectMultiple
    )
    sorteer = forms.ChoiceField(label=_("Order"), required=False, choices=SORTS, widget=FastSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buurt"].choices = [("", _("All buurten")), *buurt_groups()]  # type: ignore[attr-defined]

    def clean_buurt(self) -> Buurt | None:
        code = self.cleaned_data.get("buurt")
        if not code:
            return None
        buurt = Buurt.objects.only("code", "name", "wijk_id").filter(code=code).first()
        if buurt is None:
            raise forms.ValidationError(_("We do not know this buurt."))
        return buurt

    def clean_postcode(self) -> str:
        value = (self.cleaned_data.get("postcode") or "").strip().upper().replace(" ", "")
        if not value:
            return ""
        if len(value) == 4 and value.isdigit():
            return value
        pc6 = normalise_postcode(value)
        if pc6 is None:
            raise forms.ValidationError(
                _("%(value)s is not a Dutch postcode. Write it like 3531 AB, or only the four digits."),
                params={"value": self.cleaned_data["postcode"]},
            )
        return pc6

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("van"), data.get("tot")
        if start and end and end < start:
            self.add_error("tot", _("The end date is before the start date. Choose an end date on or after it."))
        postcode = data.get("postcode")
        if postcode:
            lookup = {"pc6": postcode} if len(postcode) == 6 else {"pc6__startswith": postcode}
            row = (
                Postcode.objects.select_related("buurt")
                .only("pc6", "buurt__code", "buurt__name", "buurt__wijk_id")
                .filter(**lookup)
                .order_by("pc6")
                .first()
            )
            if row is None:
                shown = format_postcode(postcode) if len(postcode) == 6 else postcode
                self.add_error(
                    "postcode",
                    _("We do not know postcode %(postcode)s in Utrecht. Check it, or search without a postcode.")
                    % {"postcode": shown},
                )
            else:
                data["near_buurt"] = row.buurt
        return data


# The search ----------------------------------------------------------------------------------------------------


def _mask(codes: Iterable[str], bits: dict[str, int]) -> int:
    mask = 0
    for code in codes:
        mask |= bits[code]
    return mask


def _range_weekdays(start: dt.date, end: dt.date) -> int:
    """The weekdays in a date range of less than a week (all seven for a longer one)."""
    if (end - start).days >= 6:
        return ALL_WEEKDAYS
    return _mask(
        [WEEKDAYS[(start + dt.timedelta(days=n)).weekday()][0] for n in range((end - start).days + 1)], WEEKDAY_BITS
    )


def _centre(row: tuple[Any, ...]) -> tuple[float, float] | None:
    """The buurt's representative point (a point inside its boundary), else the centre of its bounding box."""
    _code, _wijk, point_lon, point_lat, min_lon, min_lat, max_lon, max_lat = row
    if point_lon is not None and point_lat is not None:
        return point_lon, point_lat
    if None in (min_lon, min_lat, max_lon, max_lat):
        return None
    return (min_lon + max_lon) / 2, (min_lat + max_lat) / 2


def proximity(buurt: Buurt) -> Any:
    """0 for activities in (or serving) the buurt, 1 for its wijk, then 2, 3, … for the buurten ordered by the
    distance between their representative points (`Buurt.point_lon/point_lat`, inside the boundary; the centre of
    the bounding box for a buurt without one), FAR for activities without a place."""
    rows = list(
        Buurt.objects.values_list(
            "code", "wijk_id", "point_lon", "point_lat", "min_lon", "min_lat", "max_lon", "max_lat"
        )
    )
    here = next((_centre(row) for row in rows if row[0] == buurt.code), None)
    whens: list[When] = [When(location_buurt=buurt, then=Value(0))]
    served = Activity.buurten.through.objects.filter(activity=OuterRef("pk"))
    whens.append(When(Exists(served.filter(buurt=buurt)), then=Value(0)))
    whens.append(When(location_buurt__wijk_id=buurt.wijk_id, then=Value(1)))
    whens.append(When(Exists(served.filter(buurt__wijk_id=buurt.wijk_id)), then=Value(1)))
    if here is not None:
        scale = math.cos(math.radians(here[1]))

        def distance(row: tuple[Any, ...]) -> float:
            centre = _centre(row)
            if centre is None:
                return math.inf
            return math.hypot((centre[0] - here[0]) * scale, centre[1] - here[1])

        ordered = [row[0] for row in sorted((row for row in rows if row[0] != buurt.code), key=distance)]
        # One SQL "CASE column WHEN code THEN rank …" over the hundred-odd buurten: the same as a When per buurt,
        # but built and compiled in a fraction of the time (it is part of every search near a postcode).
        cases = " ".join(["WHEN %s THEN %s"] * len(ordered))
        default: Any = RawSQL(  # noqa: S611 (codes and ranks are parameters)
            f'CASE "{Activity._meta.db_table}"."location_buurt_id" {cases} ELSE %s END',
            [value for rank, code in enumerate(ordered) for value in (code, rank + 2)] + [FAR],
            output_field=models.IntegerField(),
        )
    else:
        default = Value(FAR)
    return Case(*whens, default=default, output_field=models.IntegerField())


def search_activities(data: dict[str, Any], *, now: dt.datetime | None = None) -> ActivityQuerySet:
    """The public activities and services that match the cleaned data of an ActivitySearchForm, in order.

    Only public activities confirmed in the last 18 months that are not over. With search words the queryset is
    annotated with `title_hits` and `search_rank`; with a postcode, with `proximity` (0 = in its buurt)."""
    activities = Activity.objects.searchable(now=now)
    text = (data.get("q") or "").strip()
    terms = core_search.parse_query(text)
    if terms:
        activities = core_search.search(activities, SPEC, text)  # type: ignore[assignment]
    activities = _filter_schedule(_filter_properties(activities, data), data)
    ordering: list[Any] = []
    if data.get("near_buurt"):
        activities = activities.annotate(proximity=proximity(data["near_buurt"]))
        ordering.append("proximity")
    by_date = [F("next_date").asc(nulls_last=True), "title", "pk"]
    if terms and data.get("sorteer") != "datum":
        ordering += ["-title_hits", "-search_rank", *by_date]
    else:
        ordering += by_date
    return activities.order_by(*ordering)


def _filter_properties(activities: ActivityQuerySet, data: dict[str, Any]) -> ActivityQuerySet:
    if data.get("soort"):
        activities = activities.filter(kind=data["soort"])
    if data.get("thema"):
        tagged = Activity.themes.through.objects.filter(activity=OuterRef("pk"), theme__in=list(data["thema"]))
        activities = activities.filter(Exists(tagged))
    if data.get("doelgroep"):
        groups = Activity.target_groups.through.objects.filter(
            activity=OuterRef("pk"), targetgroup__in=list(data["doelgroep"])
        )
        activities = activities.filter(Exists(groups))
    if data.get("wijk"):
        activities = activities.serving_wijk(data["wijk"])
    if data.get("buurt"):
        activities = activities.serving_buurt(data["buurt"])
    if data.get("gratis"):
        activities = activities.filter(cost=Activity.Cost.FREE)
    if data.get("taal"):
        # languages is a JSON list of ISO codes; its text contains the quoted code on both databases.
        activities = activities.filter(languages__icontains=f'"{data["taal"]}"')
    for value in data.get("toegankelijk") or []:
        activities = activities.filter(**{ACCESSIBILITY_FIELDS[value]: True})
    return activities


def _filter_schedule(activities: ActivityQuerySet, data: dict[str, Any]) -> ActivityQuerySet:
    """Days, parts of the day and dates, on the columns derived from the schedule."""
    weekdays = _mask(data.get("dag") or [], WEEKDAY_BITS)
    start, end = data.get("van"), data.get("tot")
    if start and end:
        range_days = _range_weekdays(start, end)
        weekdays = weekdays & range_days if weekdays else range_days
        if weekdays == 0:  # none of the chosen days falls in the range
            return activities.none()
    if weekdays and weekdays != ALL_WEEKDAYS:
        activities = activities.alias(_weekdays=F("weekdays").bitand(weekdays)).filter(_weekdays__gt=0)
    dayparts = _mask(data.get("dagdeel") or [], DAYPART_BITS)
    if dayparts:
        activities = activities.alias(_dayparts=F("dayparts").bitand(dayparts)).filter(_dayparts__gt=0)
    if start:
        activities = activities.filter(Q(last_date__isnull=True) | Q(last_date__gte=start))
    if end:
        activities = activities.filter(first_date__lte=end)
    return activities


def next_dates(
    activity: Activity, data: dict[str, Any], *, now: dt.datetime | None = None, limit: int = NEXT_DATES_SHOWN
) -> list[schedule.Occurrence]:
    """The next dates of one result that fit the date range, days and parts of the day searched for."""
    now = now or timezone.now()
    start = now
    if data.get("van"):
        start = max(now, dt.datetime.combine(data["van"], dt.time(0), tzinfo=schedule.AMSTERDAM))
    end = start + NEXT_DATES_WINDOW
    if data.get("tot"):
        end = min(end, dt.datetime.combine(data["tot"] + dt.timedelta(days=1), dt.time(0), tzinfo=schedule.AMSTERDAM))
    weekdays = _mask(data.get("dag") or [], WEEKDAY_BITS)
    dayparts = _mask(data.get("dagdeel") or [], DAYPART_BITS)

    def fits(occurrence: schedule.Occurrence) -> bool:
        if weekdays and not weekdays & schedule.weekday_bit(occurrence.start.date()):
            return False
        return not dayparts or bool(dayparts & schedule.dayparts(occurrence.start, occurrence.end))

    return schedule.upcoming(
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        rrule=activity.rrule,
        exdates=activity.exception_dates,
        window_start=start,
        window_end=end,
        limit=limit,
        keep=fits,
    )
