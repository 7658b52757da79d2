"""The demo burgerbegrotingen: every phase, several wijken, one with about 5,000 ballots and a matching result."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from samen030.budgeting.demo import create_demo_burgerbegrotingen, demo_schedule
from samen030.budgeting.models import NOT_STARTED, PHASE_ORDER, Ballot, Burgerbegroting, Phase, Result
from tests.factories import UserFactory

AMS = ZoneInfo("Europe/Amsterdam")
AWKWARD_MOMENTS = [
    dt.datetime(2027, 3, 28, 2, 30, tzinfo=dt.UTC),  # the night summer time starts
    dt.datetime(2027, 10, 31, 2, 30, tzinfo=AMS),  # the hour that happens twice when summer time ends
    dt.datetime(2028, 2, 29, 23, 59, tzinfo=AMS),  # a leap day, just before midnight
    dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC),  # new year in Amsterdam
    dt.datetime(2027, 6, 15, 8, 59, tzinfo=AMS),  # a minute before the demo's phases change hour
]


@pytest.mark.parametrize("moment", AWKWARD_MOMENTS, ids=lambda m: m.isoformat())
@pytest.mark.parametrize("phase", PHASE_ORDER)
def test_demo_dates_keep_each_burgerbegroting_in_its_phase_whatever_the_date(phase, moment):
    bb = Burgerbegroting(recorded_phase=NOT_STARTED, **demo_schedule(phase, now=moment))
    assert bb.schedule_order_problems() == []
    assert bb.scheduled_phase(moment) == phase
    assert bb.scheduled_phase(moment + dt.timedelta(days=20)) == phase  # and for a few weeks after loading


@time_machine.travel(dt.datetime(2027, 10, 31, 2, 30, tzinfo=AMS))
def test_demo_burgerbegrotingen_in_every_phase_with_a_computed_result(places, client, capsys):
    UserFactory(is_board=True)
    assert create_demo_burgerbegrotingen() == 5
    phases = {bb.slug: bb.phase for bb in Burgerbegroting.objects.all()}
    assert phases == {
        "overvecht-beslist": Phase.SUBMISSION,
        "zuid-kiest": Phase.SUPPORT,
        "oost-begroot": Phase.CHECK,
        "west-begroot": Phase.VOTING,
        "noordwest-begroot": Phase.REALISATION,
    }
    # the timer has nothing to record: the demo is loaded as it would be after the phase changes were recorded
    assert {bb.slug: bb.recorded_phase for bb in Burgerbegroting.objects.all()} == phases
    out = io.StringIO()
    call_command("advance_phases", stdout=out)
    assert out.getvalue() == ""
    assert Burgerbegroting.objects.values("wijk").distinct().count() == 5
    big = Burgerbegroting.objects.get(slug="noordwest-begroot")
    assert Ballot.objects.filter(burgerbegroting=big).count() == 5000
    result = Result.objects.get(burgerbegroting=big)
    assert result.ballot_count == 5000
    assert 0 < result.total_cost <= big.budget
    call_command("recompute_result", big.slug)
    assert "OK" in capsys.readouterr().out
    assert create_demo_burgerbegrotingen() == 0
    assert Ballot.objects.filter(burgerbegroting=big).count() == 5000
    for bb in Burgerbegroting.objects.all():
        assert client.get(bb.get_absolute_url()).status_code == 200
    assert client.get(reverse("burgerbegroting-result", args=[big.slug])).status_code == 200
