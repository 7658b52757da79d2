from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from samen030.budgeting.models import Burgerbegroting, Phase, Plan, Support, schedule_for
from tests.factories import UserFactory


def dates_for(phase: str) -> dict[str, dt.datetime]:
    """Start dates in which `phase` is the current phase now (the real now, or the time travelled to): it started a
    day ago and the next phase starts in ten days."""
    return schedule_for(
        phase, now=timezone.now(), started=dt.timedelta(days=1), left=dt.timedelta(days=10), step=dt.timedelta(days=14)
    )


def set_phase(bb, phase: str):
    """Move the schedule so that `phase` is current now, as if the timer had recorded it."""
    for field, value in dates_for(phase).items():
        setattr(bb, field, value)
    bb.recorded_phase = phase
    bb.save()
    return bb


def make_burgerbegroting(wijk_code: str = "WK034401", phase: str = Phase.SUBMISSION, **kwargs):
    """A burgerbegroting whose dates make `phase` the current phase now (recorded as such)."""
    from samen030.places.models import Wijk

    fields = {
        "slug": "lombok-begroot",
        "title": "Lombok Begroot",
        "area_kind": Burgerbegroting.AreaKind.WIJK,
        "wijk": Wijk.objects.get(code=wijk_code),
        "budget": 10_000,
        "ballot_type": Burgerbegroting.BallotType.KNAPSACK,
        "support_threshold": 2,
        "recorded_phase": phase,
        **dates_for(phase),
        **kwargs,
    }
    return Burgerbegroting.objects.create(**fields)


def add_plan(bb, title="Bankjes", cost=3000, *, feasible=True, supporters=0, submitter=None):
    plan = Plan.objects.create(
        burgerbegroting=bb,
        title=title,
        description="Een **mooi** plan.",
        cost=cost,
        submitted_by=submitter or UserFactory(),
        status=Plan.Status.FEASIBLE if feasible else Plan.Status.SUBMITTED,
        checked_cost=cost if feasible else None,
    )
    for _ in range(supporters):
        Support.objects.create(plan=plan, user=UserFactory())
    return plan


@pytest.fixture
def bb(places):
    return make_burgerbegroting()


@pytest.fixture
def voting(bb):
    """A knapsack vote in wijk West (Lombok lies there) with three plans on the ballot."""
    from samen030.places.models import Postcode

    set_phase(bb, Phase.VOTING)
    Postcode.objects.create(pc6="3531AB", buurt_id="BU03440121")  # Lombok-West, in wijk West
    add_plan(bb, "Bankjes", 3000)
    add_plan(bb, "Speeltuin", 6000)
    add_plan(bb, "Buurtfeest", 2000)
    return bb
