from __future__ import annotations

import datetime as dt

import pytest

from samen030.budgeting.models import Burgerbegroting, Phase, Plan, Support
from tests.factories import UserFactory


def make_burgerbegroting(wijk_code: str = "WK034401", **kwargs):
    from samen030.places.models import Wijk

    today = dt.date(2026, 3, 1)
    fields = {
        "slug": "lombok-begroot",
        "title": "Lombok Begroot",
        "area_kind": Burgerbegroting.AreaKind.WIJK,
        "wijk": Wijk.objects.get(code=wijk_code),
        "budget": 10_000,
        "ballot_type": Burgerbegroting.BallotType.KNAPSACK,
        "support_threshold": 2,
        "submission_start": today,
        "support_start": today + dt.timedelta(days=30),
        "check_start": today + dt.timedelta(days=60),
        "voting_start": today + dt.timedelta(days=90),
        "voting_end": today + dt.timedelta(days=104),
        "realisation_start": today + dt.timedelta(days=120),
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

    bb.phase = Phase.VOTING
    bb.save()
    Postcode.objects.create(pc6="3531AB", buurt_id="BU03440121")  # Lombok-West, in wijk West
    add_plan(bb, "Bankjes", 3000)
    add_plan(bb, "Speeltuin", 6000)
    add_plan(bb, "Buurtfeest", 2000)
    return bb
