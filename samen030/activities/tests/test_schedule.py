"""Recurrence in Europe/Amsterdam: wall-clock times survive summer time, exceptions are honoured, bad rules are
refused with a message."""

import contextlib
import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from samen030.activities import schedule
from samen030.activities.schedule import AMSTERDAM, ScheduleError


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def at(year, month, day, hour=10, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def expand(start, rrule, *, days=70, exdates=(), duration=dt.timedelta(hours=2)):
    return schedule.occurrences(
        starts_at=start,
        ends_at=start + duration,
        rrule=rrule,
        exdates=list(exdates),
        window_start=start,
        window_end=start + dt.timedelta(days=days),
    )


def test_a_weekly_coffee_morning_stays_at_ten_across_the_last_sunday_of_march():
    found = expand(at(2026, 3, 17), "FREQ=WEEKLY", days=21)
    assert [o.start.strftime("%d-%m %H:%M") for o in found] == ["17-03 10:00", "24-03 10:00", "31-03 10:00"]
    assert [o.start.utcoffset() for o in found] == [dt.timedelta(hours=1)] * 2 + [dt.timedelta(hours=2)]
    assert found[2].start.astimezone(dt.UTC).hour == 8  # 10:00 summer time is 08:00 UTC
    assert found[2].end == at(2026, 3, 31, 12)


def test_a_weekly_coffee_morning_stays_at_ten_across_the_last_sunday_of_october():
    found = expand(at(2026, 10, 20), "FREQ=WEEKLY", days=14)
    assert [(o.start.hour, o.start.utcoffset()) for o in found] == [
        (10, dt.timedelta(hours=2)),
        (10, dt.timedelta(hours=1)),
    ]


def test_exception_dates_are_skipped():
    found = expand(at(2026, 12, 15), "FREQ=WEEKLY", days=21, exdates=[dt.date(2026, 12, 22)])
    assert [o.start.date() for o in found] == [dt.date(2026, 12, 15), dt.date(2026, 12, 29)]


def test_an_occurrence_that_is_still_going_on_is_included():
    start = at(2026, 5, 5)
    found = schedule.occurrences(
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        rrule="FREQ=WEEKLY",
        exdates=[],
        window_start=at(2026, 5, 12, 11),
        window_end=at(2026, 5, 20),
    )
    assert [o.start for o in found] == [at(2026, 5, 12), at(2026, 5, 19)]


def test_a_one_off_activity_has_one_occurrence():
    assert [o.start for o in expand(at(2026, 6, 1), "")] == [at(2026, 6, 1)]


def test_until_as_a_date_means_the_end_of_that_day_in_utrecht():
    rule, _exdates = schedule.validate(
        starts_at=at(2026, 6, 2, 20), ends_at=None, rrule="rrule:freq=weekly;until=20260616", exdates=[]
    )
    assert rule == "FREQ=WEEKLY;UNTIL=20260616T215959Z"
    assert [o.start.day for o in expand(at(2026, 6, 2, 20), rule)] == [2, 9, 16]


@pytest.mark.parametrize(
    ("rrule", "exdates", "message"),
    [
        ("FREQ=WEEKLY;BYDAY=XX", [], "cannot be read"),
        ("nonsense", [], "cannot be read"),
        ("FREQ=HOURLY", [], "FREQ=DAILY"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", [], "no date"),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", [], "no date"),
        ("FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=-31", [], "no date"),
        ("FREQ=DAILY;BYYEARDAY=1", [], "BYYEARDAY"),
        ("FREQ=DAILY;INTERVAL=0", [], "INTERVAL"),
        ("FREQ=WEEKLY;UNTIL=20200101", [], "no date"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20270101", [], "not both"),
        ("FREQ=WEEKLY;UNTIL=2027", [], "UNTIL"),
        ("FREQ=WEEKLY;DTSTART=20260101T100000", [], "own field"),
        ("FREQ=WEEKLY", [dt.date(2026, 3, 18)], "18-03-2026"),
        ("", [dt.date(2026, 3, 17)], "Only a repeating activity"),
    ],
)
def test_impossible_rules_are_refused_with_a_message(rrule, exdates, message):
    with pytest.raises(ScheduleError, match=message):
        schedule.validate(starts_at=at(2026, 3, 17), ends_at=None, rrule=rrule, exdates=exdates)


def test_an_end_before_the_start_is_refused():
    with pytest.raises(ScheduleError, match="after the start") as caught:
        schedule.validate(starts_at=at(2026, 3, 17), ends_at=at(2026, 3, 17, 9), rrule="", exdates=[])
    assert caught.value.field == "end_time"


@settings(max_examples=60, deadline=None)
@given(
    day=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31)),
    hour=st.integers(min_value=6, max_value=22),
    interval=st.integers(min_value=1, max_value=4),
)
def test_every_weekly_occurrence_keeps_the_wall_clock_time(day, hour, interval):
    start = dt.datetime.combine(day, dt.time(hour), tzinfo=AMSTERDAM)
    found = expand(start, f"FREQ=WEEKLY;INTERVAL={interval}", days=400)
    assert found
    assert all(o.start.hour == hour and o.start.weekday() == day.weekday() for o in found)
    assert all((o.end - o.start) == dt.timedelta(hours=2) for o in found)


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=60))
def test_any_text_as_a_rule_is_accepted_or_refused_but_never_crashes(text):
    with contextlib.suppress(ScheduleError):
        schedule.validate(starts_at=at(2026, 3, 17), ends_at=None, rrule=text, exdates=[])


def test_moving_the_start_forward_gives_exactly_the_dates_of_the_rule_from_its_real_start():
    import random

    from dateutil import rrule as du_rrule

    from samen030.activities.schedule import AMSTERDAM, SIMPLE_RULE, build_rule, fast_forward, local, occurrences

    rng = random.Random(7)
    days = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    moved = simple = 0
    for _case in range(300):
        parts = [f"FREQ={rng.choice(['DAILY', 'WEEKLY', 'MONTHLY'])}"]
        interval = rng.choice([0, 1, 2, 3])  # 0: no INTERVAL part
        if interval:
            parts.append(f"INTERVAL={interval}")
        if rng.random() < 0.5:
            parts.append("BYDAY=" + ",".join(sorted(rng.sample(days, rng.randint(1, 3)), key=days.index)))
        if rng.random() < 0.2:
            parts.append("UNTIL=20270301T000000Z")
        elif rng.random() < 0.1:
            parts.append("COUNT=40")
        rule_text = ";".join(parts)
        start = dt.datetime(2023, rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), 30, tzinfo=AMSTERDAM)
        zone = rng.choice([AMSTERDAM, dt.UTC])
        window_start = dt.datetime(2026, 3, rng.randint(1, 31), rng.randint(0, 23), tzinfo=zone)
        window_end = window_start + dt.timedelta(weeks=8)
        duration = dt.timedelta(hours=rng.choice([1, 2, 30]))
        moved += fast_forward(rule_text, local(start), window_start) != local(start)
        simple += SIMPLE_RULE.fullmatch(rule_text) is not None
        # The reference: dateutil walking from the real start.
        reference = du_rrule.rrulestr(rule_text, dtstart=local(start)).between(
            max(local(start), window_start - duration), window_end, inc=True
        )
        expected = [
            c.replace(tzinfo=AMSTERDAM) for c in reference if c.replace(tzinfo=AMSTERDAM) + duration >= window_start
        ]
        found = occurrences(
            starts_at=start,
            ends_at=start + duration,
            rrule=rule_text,
            exdates=[],
            window_start=window_start,
            window_end=window_end,
        )
        assert [o.start for o in found] == expected, rule_text
    assert moved > 100
    assert simple > 50
    build_rule.cache_clear()
