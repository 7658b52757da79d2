"""Recurrence: iCalendar RRULEs expanded into dates in Europe/Amsterdam wall-clock time.

An activity starts at a local time ("Tuesdays at 10:00") and keeps that local time across the changes to and from
summer time. We therefore expand rules with an aware start in Europe/Amsterdam: dateutil keeps the wall-clock time
and the tzinfo, so each occurrence gets the offset that is valid on its own date. UNTIL is stored in UTC, as
RFC 5545 requires when DTSTART has a time zone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil import rrule as du_rrule
from django.utils.translation import gettext as _

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# A rule must give a first date within this period after the start; it also bounds every expansion we do.
HORIZON = dt.timedelta(days=5 * 366)
ALLOWED_FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
# The parts people need for activities; BYYEARDAY, BYWEEKNO and sub-daily parts are refused (see surrogate()).
ALLOWED_PARTS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST"}
MAX_INTERVAL = 99
PART = re.compile(r"^[A-Z]+=[A-Z0-9,+\-]+$")


class ScheduleError(ValueError):
    """A schedule that cannot happen; the message is for the person who typed it, `field` says where to show it."""

    def __init__(self, message: str, field: str = "rrule") -> None:
        super().__init__(message)
        self.message, self.field = message, field


@dataclass(frozen=True)
class Occurrence:
    start: dt.datetime
    end: dt.datetime | None


def local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(AMSTERDAM)


def _until(value: str) -> dt.datetime:
    """UNTIL as an aware UTC datetime: a date means the end of that day in Utrecht."""
    try:
        if len(value) == 8:
            day = dt.datetime.strptime(value, "%Y%m%d")
            return day.replace(hour=23, minute=59, second=59, tzinfo=AMSTERDAM).astimezone(dt.UTC)
        if value.endswith("Z"):
            return dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        return dt.datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=AMSTERDAM).astimezone(dt.UTC)
    except ValueError as error:
        raise ScheduleError(_("The end date of the repeat rule (UNTIL) is not a valid date.")) from error


def normalise_rrule(text: str) -> str:
    """'rrule:freq=weekly;until=20261231' -> 'FREQ=WEEKLY;UNTIL=20261231T225959Z'; raises ScheduleError."""
    text = text.strip().upper()
    if text.startswith("RRULE:"):
        text = text[len("RRULE:") :]
    parts = [part for part in text.split(";") if part]
    if not parts or not all(PART.match(part) for part in parts):
        raise ScheduleError(_("This repeat rule cannot be read. Write it like FREQ=WEEKLY;BYDAY=TU."))
    values = dict(part.split("=", 1) for part in parts)
    if len(values) != len(parts):
        raise ScheduleError(_("This repeat rule names a part twice."))
    if values.get("FREQ") not in ALLOWED_FREQUENCIES:
        raise ScheduleError(_("A repeat rule needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY."))
    if "DTSTART" in values:
        raise ScheduleError(_("Give the start date in its own field, not in the repeat rule."))
    unknown = sorted(set(values) - ALLOWED_PARTS)
    if unknown:
        raise ScheduleError(
            _(
                "We do not support %(parts)s in a repeat rule. Use FREQ, INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, "
                "BYMONTH and BYSETPOS."
            )
            % {"parts": ", ".join(unknown)}
        )
    if not values.get("INTERVAL", "1").isdigit() or not 1 <= int(values.get("INTERVAL", "1")) <= MAX_INTERVAL:
        raise ScheduleError(_("INTERVAL must be a whole number from 1 to 99."))
    if "UNTIL" in values:
        if "COUNT" in values:
            raise ScheduleError(_("A repeat rule can have UNTIL or COUNT, not both."))
        values["UNTIL"] = _until(values["UNTIL"]).strftime("%Y%m%dT%H%M%SZ")
    return ";".join(f"{key}={value}" for key, value in values.items())


@lru_cache(maxsize=4096)
def build_rule(rrule: str, starts_at: dt.datetime) -> du_rrule.rrule:
    """The dateutil rule of a valid RRULE text. Kept (the rules are immutable) because pages expand the same
    schedules again and again, and reading the text is a good part of the cost."""
    try:
        rule = du_rrule.rrulestr(rrule, dtstart=local(starts_at))
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise ScheduleError(_("This repeat rule cannot be read. Write it like FREQ=WEEKLY;BYDAY=TU.")) from error
    if not isinstance(rule, du_rrule.rrule):
        raise ScheduleError(_("This repeat rule cannot be read. Write it like FREQ=WEEKLY;BYDAY=TU."))
    return rule


MONTH_LENGTHS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def impossible_day(rrule: str) -> bool:
    """BYMONTHDAY=30 with BYMONTH=2 and the like: no month in the rule is long enough (answered instantly)."""
    values = dict(part.split("=", 1) for part in rrule.split(";"))
    try:
        days = [abs(int(day)) for day in values.get("BYMONTHDAY", "").split(",") if day]
        months = [int(month) for month in values.get("BYMONTH", "").split(",") if month] or list(range(1, 13))
    except ValueError:
        return False  # dateutil refuses the rule with its own message
    if not all(1 <= month <= 12 for month in months) or not all(1 <= day <= 31 for day in days):
        return True
    longest = max(MONTH_LENGTHS[month - 1] for month in months)
    return bool(days) and all(day > longest for day in days)


def surrogate(rrule: str, starts_at: dt.datetime) -> du_rrule.rrule:
    """A yearly rule with the same date filters, which yields a superset of the rule's dates.

    dateutil walks period by period until it finds a date, up to the year 9999, so a rule that can never happen
    (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) would take seconds. Walking years instead costs at most a few thousand
    steps, so we first ask the yearly rule whether the filters can ever meet.
    """
    start = local(starts_at)
    values = dict(part.split("=", 1) for part in rrule.split(";"))
    weekday = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][start.weekday()]
    kept = {key: values[key] for key in ("BYDAY", "BYMONTHDAY", "BYMONTH") if key in values}
    if values["FREQ"] == "WEEKLY" and "BYDAY" not in kept:
        kept["BYDAY"] = weekday
    if values["FREQ"] == "MONTHLY" and "BYDAY" not in kept and "BYMONTHDAY" not in kept:
        kept["BYMONTHDAY"] = str(start.day)
    if values["FREQ"] == "YEARLY" and not kept:
        kept = {"BYMONTH": str(start.month), "BYMONTHDAY": str(start.day)}
    if "BYDAY" in kept and values["FREQ"] != "YEARLY":
        # "+2TU" means the second Tuesday of the month (MONTHLY) but of the year in a yearly rule: keep plain days.
        kept["BYDAY"] = ",".join(day[-2:] for day in kept["BYDAY"].split(","))
    text = "FREQ=YEARLY;" + ";".join(f"{key}={value}" for key, value in kept.items())
    return build_rule(text, starts_at)


def validate(
    *, starts_at: dt.datetime, ends_at: dt.datetime | None, rrule: str, exdates: list[dt.date]
) -> tuple[str, list[dt.date]]:
    """Check a schedule and return the normalised rule and sorted exception dates; raises ScheduleError."""
    if ends_at is not None and ends_at <= starts_at:
        raise ScheduleError(_("The end time must be after the start time."), "end_time")
    if not rrule:
        if exdates:
            raise ScheduleError(
                _("Only a repeating activity can have dates on which it does not take place."), "exceptions"
            )
        return "", []
    rrule = normalise_rrule(rrule)
    rule = build_rule(rrule, starts_at)
    start = local(starts_at)
    if impossible_day(rrule) or not surrogate(rrule, starts_at).between(start, start + HORIZON, inc=True):
        raise ScheduleError(_("This repeat rule gives no date in the five years after the start date."))
    dates = {occurrence.date() for occurrence in rule.between(start, start + HORIZON, inc=True)}
    if not dates:
        raise ScheduleError(_("This repeat rule gives no date in the five years after the start date."))
    outside = sorted(day for day in set(exdates) if day not in dates)
    if outside:
        raise ScheduleError(
            _("The activity does not take place on %(dates)s anyway, so it cannot be an exception.")
            % {"dates": ", ".join(day.strftime("%d-%m-%Y") for day in outside)},
            "exceptions",
        )
    return rrule, sorted(set(exdates))


def fast_forward(rrule: str, start: dt.datetime, since: dt.datetime) -> dt.datetime:
    """A later start for the rule that gives exactly the same occurrences from `since` on.

    dateutil walks every period from the start, so a weekly activity that began years ago costs hundreds of steps
    each time its coming dates are listed. For DAILY and WEEKLY rules without COUNT or BYSETPOS the start can move
    forward by whole periods (INTERVAL days or weeks, in local time): the weekday, the phase of the interval and the
    time of day stay the same, so the dates from `since` on do too (tested against the unmoved rule)."""
    values = dict(part.split("=", 1) for part in rrule.split(";") if "=" in part)
    if "COUNT" in values or "BYSETPOS" in values or values.get("FREQ") not in ("DAILY", "WEEKLY"):
        return start
    interval = values.get("INTERVAL", "1")
    if not interval.isdigit() or int(interval) < 1:
        return start
    period = int(interval) * (7 if values["FREQ"] == "WEEKLY" else 1)
    periods = (local(since).date() - start.date()).days // period - 1  # one period to spare
    if periods <= 0:
        return start
    return start + dt.timedelta(days=periods * period)


SIMPLE_RULE = re.compile(r"FREQ=(DAILY|WEEKLY)(?:;INTERVAL=([1-9][0-9]?))?")


def simple_repeats(rrule: str, start: dt.datetime, since: dt.datetime, until: dt.datetime) -> list[dt.datetime] | None:
    """The dates of a plain "every n days/weeks" rule (`FREQ=WEEKLY`, `FREQ=DAILY;INTERVAL=2`: most activities)
    from `since` to `until` (both included), worked out directly: the start plus whole periods in local time, as
    dateutil gives them (tested against it). None for any other rule."""
    match = SIMPLE_RULE.fullmatch(rrule)
    if match is None:
        return None
    period = dt.timedelta(days=int(match.group(2) or 1) * (7 if match.group(1) == "WEEKLY" else 1))
    skip = max(0, (local(since).date() - start.date()) // period - 1)
    found = []
    candidate = start + skip * period
    while candidate <= until:
        if candidate >= since:
            found.append(candidate)
        skip += 1
        candidate = start + skip * period
    return found


def occurrences(
    *,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None,
    rrule: str,
    exdates: list[dt.date],
    window_start: dt.datetime,
    window_end: dt.datetime,
) -> list[Occurrence]:
    """The occurrences that have not ended before window_start and start before window_end, in local time."""
    duration = ends_at - starts_at if ends_at else None
    start = local(starts_at)
    if not rrule:
        candidates = [start]
    else:
        # Look back by the duration so that an occurrence that is still going on is included.
        since = max(start, window_start - (duration or dt.timedelta(0)))
        until = min(window_end, start + HORIZON * 4)
        simple = simple_repeats(rrule, start, since, until)
        if simple is not None:
            candidates = simple
        else:
            try:
                rule = build_rule(rrule, fast_forward(rrule, start, since))
            except ScheduleError:
                return []
            candidates = rule.between(since, until, inc=True)
    skipped = set(exdates)
    found = []
    for candidate in candidates:
        if candidate.date() in skipped:
            continue
        # Re-attach the zone: the offset follows the occurrence's own date (summer or winter time).
        begin = candidate.replace(tzinfo=AMSTERDAM)
        end = local(begin + duration) if duration else None
        if (end or begin) >= window_start and begin < window_end:
            found.append(Occurrence(start=begin, end=end))
    return found


def preset_rules(starts_at: dt.datetime) -> dict[str, str]:
    """The repeat choices the form offers, as RRULEs for an activity starting at starts_at."""
    start = local(starts_at)
    weekday = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][start.weekday()]
    nth = (start.day - 1) // 7 + 1
    return {
        "weekly": "FREQ=WEEKLY",
        "biweekly": "FREQ=WEEKLY;INTERVAL=2",
        "monthly": f"FREQ=MONTHLY;BYDAY={'-1' if nth == 5 else f'+{nth}'}{weekday}",
    }


# Parts of the day, as bits: before noon, noon to six, from six in the evening.
MORNING, AFTERNOON, EVENING = 1, 2, 4
DAYPART_BOUNDS = (
    (MORNING, dt.time(0), dt.time(12)),
    (AFTERNOON, dt.time(12), dt.time(18)),
    (EVENING, dt.time(18), None),
)
# How far ahead the weekdays and the next date are looked up.
SUMMARY_WINDOW = dt.timedelta(days=366)


@dataclass(frozen=True)
class Summary:
    """What search filters on, derived from a schedule: weekdays as bits (Monday = 1 … Sunday = 64), parts of the
    day as bits, the first and last date (last None: it keeps repeating) and the next date on or after `today`."""

    weekdays: int
    dayparts: int
    first_date: dt.date
    last_date: dt.date | None
    next_date: dt.date | None


def dayparts(start: dt.datetime, end: dt.datetime | None) -> int:
    """The parts of the day that a local start and end time touch (an end on the next day counts to midnight)."""
    begin = start.time()
    finish = end.time() if end is not None and end.date() == start.date() else None
    bits = 0
    for bit, low, high in DAYPART_BOUNDS:
        if finish is None and end is None:
            touches = low <= begin and (high is None or begin < high)
        else:
            touches = (high is None or begin < high) and (finish is None or finish > low)
        if touches:
            bits |= bit
    return bits


def weekday_bit(day: dt.date) -> int:
    return 1 << day.weekday()


def summarise(
    *, starts_at: dt.datetime, ends_at: dt.datetime | None, rrule: str, exdates: list[dt.date], today: dt.date
) -> Summary:
    start = local(starts_at)
    end = local(ends_at) if ends_at else None
    parts = dayparts(start, end)
    if not rrule:
        ends_on = (end or start).date()
        return Summary(
            weekday_bit(start.date()), parts, start.date(), ends_on, start.date() if ends_on >= today else None
        )
    try:
        rule = build_rule(rrule, starts_at)
    except ScheduleError:
        return Summary(0, parts, start.date(), start.date(), None)
    skipped = set(exdates)
    upcoming_from = max(start, dt.datetime.combine(today, dt.time(0), tzinfo=AMSTERDAM))
    dates = [d.date() for d in rule.between(upcoming_from, upcoming_from + SUMMARY_WINDOW, inc=True)]
    dates = [day for day in dates if day not in skipped]
    if not dates:  # over, or far ahead: describe its first year instead
        dates = [d.date() for d in rule.between(start, start + SUMMARY_WINDOW, inc=True) if d.date() not in skipped]
    weekdays = 0
    for day in dates:
        weekdays |= weekday_bit(day)
    last: dt.date | None = None
    if "UNTIL=" in rrule or "COUNT=" in rrule:
        final = rule.before(start + HORIZON * 4, inc=True)
        last = final.date() if final else start.date()
    upcoming = [day for day in dates if day >= today]
    return Summary(weekdays, parts, start.date(), last, upcoming[0] if upcoming else None)


def upcoming(
    *,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None,
    rrule: str,
    exdates: list[dt.date],
    window_start: dt.datetime,
    window_end: dt.datetime,
    limit: int,
    keep: Callable[[Occurrence], bool] | None = None,
) -> list[Occurrence]:
    """The first `limit` occurrences in the window (as `occurrences` gives them) for which `keep` is true. Walks the
    rule lazily and stops early, which is what a search result needs for its next few dates."""
    duration = ends_at - starts_at if ends_at else None
    start = local(starts_at)
    candidates: Iterable[dt.datetime]
    if not rrule:
        candidates = [start]
    else:
        since = max(start, window_start - (duration or dt.timedelta(0)))
        try:
            rule = build_rule(rrule, fast_forward(rrule, start, since))
        except ScheduleError:
            return []
        candidates = rule.xafter(since, inc=True)
        window_end = min(window_end, start + HORIZON * 4)
    skipped = set(exdates)
    found: list[Occurrence] = []
    for candidate in candidates:
        if candidate >= window_end:
            break
        if candidate.date() in skipped:
            continue
        begin = candidate.replace(tzinfo=AMSTERDAM)
        occurrence = Occurrence(start=begin, end=local(begin + duration) if duration else None)
        if (occurrence.end or begin) < window_start or (keep is not None and not keep(occurrence)):
            continue
        found.append(occurrence)
        if len(found) >= limit:
            break
    return found
