"""Demo burgerbegrotingen: one in every phase, in different wijken; Noordwest Begroot has about 5,000 ballots and
a computed result (bulk inserts, then the result with pbengine, so it stays quick).

Deterministic (one seeded random generator) and idempotent (a burgerbegroting that exists is skipped)."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from typing import Any, TextIO

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from samen030.accounts.models import User
from samen030.places.models import Buurt, Wijk

from . import services
from .models import (
    Ballot,
    Burgerbegroting,
    CodeBatch,
    Phase,
    Plan,
    PlanUpdate,
    Support,
    VoteCode,
    phase_index,
    schedule_for,
)

PLANS = [
    ("Bankjes langs het water", 4_500, "Zes bankjes langs de singel, zodat ouderen onderweg kunnen rusten."),
    ("Speeltuin opknappen", 18_000, "Nieuwe toestellen en zachte ondergrond in de speeltuin op het pleintje."),
    ("Buurtmoestuin", 6_000, "Een moestuin met bakken op ooghoogte, ook voor mensen in een rolstoel."),
    ("Geveltuinen voor de hele straat", 3_500, "Tegels eruit, planten erin: de buurt helpt bij het planten."),
    ("Zomerfeest op het plein", 5_000, "Een dag muziek, eten uit de buurt en spelletjes voor kinderen."),
    ("Watertappunt bij het park", 7_500, "Gratis drinkwater voor sporters, kinderen en wandelaars."),
    ("Buurtbibliotheekkastjes", 1_200, "Vier kastjes waar buren boeken ruilen."),
    ("Verlichting in het steegje", 9_000, "Lampen op het donkere pad naar de school, voor een veilig gevoel."),
    ("Jongerenhonk", 14_000, "Een plek voor jongeren om elkaar te zien, met begeleiding van jongerenwerk."),
    ("Boomspiegels vergroenen", 2_800, "Bloemen rond de bomen in de straat, onderhouden door buren."),
    ("Taalcafé met kinderopvang", 4_000, "Een jaar lang elke week het taalcafé, met opvang voor de kinderen."),
    ("Fietsenrekken bij de winkels", 6_500, "Vijftig plekken voor fietsen, zodat de stoep vrij blijft."),
]

SETUPS: list[dict[str, Any]] = [
    {"slug": "noordwest-begroot", "title": "Noordwest Begroot", "wijk": "WK034402", "phase": Phase.REALISATION,
     "budget": 50_000, "ballot_type": "approval", "ballots": 5_000},
    {"slug": "west-begroot", "title": "West Begroot", "wijk": "WK034401", "phase": Phase.VOTING,
     "budget": 30_000, "ballot_type": "knapsack", "ballots": 120},
    {"slug": "overvecht-beslist", "title": "Overvecht Beslist", "wijk": "WK034403", "phase": Phase.SUBMISSION,
     "budget": 40_000, "ballot_type": "approval", "ballots": 0},
    {"slug": "zuid-kiest", "title": "Zuid Kiest", "wijk": "WK034407", "phase": Phase.SUPPORT,
     "budget": 25_000, "ballot_type": "cumulative", "ballots": 0},
    {"slug": "oost-begroot", "title": "Oost Begroot", "wijk": "WK034405", "phase": Phase.CHECK,
     "budget": 35_000, "ballot_type": "knapsack", "ballots": 0},
]  # fmt: skip

SUPPORTERS = 40


def create_demo_burgerbegrotingen(stdout: TextIO | Any = None) -> int:
    """Create the demo burgerbegrotingen that are missing; returns how many were created."""
    rng = random.Random(2030)  # noqa: S311 (demo content, not security)
    created = 0
    board = User.objects.filter(is_board=True).order_by("pk").first()
    supporters = _supporters()
    demo_codes: list[str] = []
    for setup in SETUPS:
        if Burgerbegroting.objects.filter(slug=setup["slug"]).exists():
            continue
        with transaction.atomic():
            codes = _create(setup, rng, supporters, board)
        demo_codes += codes
        created += 1
    if stdout is not None:
        stdout.write(f"Demo burgerbegrotingen: {created} created ({Burgerbegroting.objects.count()} in total).")
        if demo_codes:
            stdout.write("  Vote codes for West Begroot (voting is open): " + ", ".join(demo_codes))
    return created


def _supporters() -> list[User]:
    emails = [f"steun{n}@samen030.test" for n in range(SUPPORTERS)]
    existing = {u.email: u for u in User.objects.filter(email__in=emails)}
    unusable = make_password(None)
    missing = [
        User(email=e, name=f"Buurtbewoner {n}", password=unusable) for n, e in enumerate(emails) if e not in existing
    ]
    User.objects.bulk_create(missing)
    return list(User.objects.filter(email__in=emails).order_by("pk"))


def _create(setup: dict[str, Any], rng: random.Random, supporters: list[User], board: User | None) -> list[str]:
    wijk = Wijk.objects.get(code=setup["wijk"])
    phase = setup["phase"]
    with_result = phase_index(phase) >= phase_index(Phase.RESULT)
    bb = Burgerbegroting.objects.create(
        slug=setup["slug"],
        title=setup["title"],
        intro=f"Bewoners van {wijk.name} beslissen samen over **€ {setup['budget']:,}** voor hun wijk.".replace(
            ",", "."
        ),
        area_kind=Burgerbegroting.AreaKind.WIJK,
        wijk=wijk,
        budget=setup["budget"],
        ballot_type=setup["ballot_type"],
        min_choices=1,
        max_choices=4,
        points=10,
        support_threshold=10,
        # A vote with a result is created as it was while voting; record_phase_changes below closes it by its dates.
        recorded_phase=Phase.VOTING if with_result else phase,
        **demo_schedule(phase, now=timezone.now()),
    )
    buurten = list(Buurt.objects.filter(wijk=wijk))
    checked = phase_index(phase) >= phase_index(Phase.VOTING)
    plans = []
    for n, (title, cost, text) in enumerate(rng.sample(PLANS, k=10)):
        in_check = phase == Phase.CHECK and n < 6
        feasible = (checked and n < 9) or (in_check and n < 4)
        status = Plan.Status.SUBMITTED
        if checked or in_check:
            status = Plan.Status.FEASIBLE if feasible else Plan.Status.NOT_FEASIBLE
        plans.append(
            Plan(
                burgerbegroting=bb,
                title=title,
                description=text,
                cost=cost,
                checked_cost=round(cost * rng.uniform(0.9, 1.2) / 100) * 100
                if status == Plan.Status.FEASIBLE
                else None,
                check_reason=(
                    "Haalbaar: past binnen de regels en kan binnen een jaar klaar zijn."
                    if status == Plan.Status.FEASIBLE
                    else "Niet haalbaar: de grond is niet van de gemeente."
                    if status == Plan.Status.NOT_FEASIBLE
                    else ""
                ),
                buurt=rng.choice(buurten),
                location=f"{rng.choice(['bij het plein', 'aan de singel', 'in het park', 'bij de school'])}",
                submitted_by=rng.choice(supporters),
                status=status,
            )
        )
    Plan.objects.bulk_create(plans)
    Support.objects.bulk_create(
        [
            Support(plan=plan, user=user)
            for plan in plans
            for user in rng.sample(
                supporters, k=rng.randint(12 if plan.status == Plan.Status.FEASIBLE else 3, SUPPORTERS)
            )
        ]
    )
    if setup["ballots"]:
        _ballots(bb, rng, setup["ballots"], board)
    shown: list[str] = []
    if phase == Phase.VOTING and board is not None:
        _batch, shown = services.generate_codes(burgerbegroting=bb, official=board, count=3, note="demo")
    if with_result:
        # the dates closed the vote: the audit log gets the phase changes and the result is computed, as by the timer
        services.record_phase_changes(burgerbegroting=bb)
        if phase == Phase.REALISATION and board is not None:
            _realisation(bb, board)
    return shown


def demo_schedule(phase: str, *, now: dt.datetime) -> dict[str, dt.datetime]:
    """Dates in which `phase` is current at `now`, whatever the date: it started a week ago and the next phase
    starts in four weeks, so the demo stays in its phases for a while after loading."""
    return schedule_for(
        phase, now=now, started=dt.timedelta(days=7), left=dt.timedelta(days=28), step=dt.timedelta(days=28)
    )


def _ballots(bb: Burgerbegroting, rng: random.Random, count: int, board: User | None) -> None:
    """Ballots from vote codes (random fingerprints: nobody can use them), in two camps that like different plans."""
    if board is None:
        return
    ballot_plans = list(bb.ballot_plans())
    batch = CodeBatch.objects.create(burgerbegroting=bb, size=count, note="demo", created_by=board)
    codes = VoteCode.objects.bulk_create(
        [
            VoteCode(batch=batch, burgerbegroting=bb, code_hash=hashlib.sha256(rng.randbytes(16)).hexdigest())
            for _ in range(count)
        ]
    )
    half = len(ballot_plans) // 2
    camps = [ballot_plans[:half], ballot_plans[half:]]
    buurten = list(bb.area_buurten())
    ballots = []
    for code in codes:
        camp = camps[0] if rng.random() < 0.6 else camps[1]
        pool = camp + rng.sample(ballot_plans, k=1)
        chosen: dict[str, int] = {}
        total = 0
        for plan in rng.sample(pool, k=min(len(pool), rng.randint(1, bb.max_choices))):
            if bb.ballot_type == Burgerbegroting.BallotType.KNAPSACK and total + plan.ballot_cost > bb.budget:
                continue
            chosen[str(plan.pk)] = 1
            total += plan.ballot_cost
        if bb.ballot_type == Burgerbegroting.BallotType.APPROVAL:
            chosen = dict(list(chosen.items())[: bb.max_choices])
        ballots.append(
            Ballot(
                burgerbegroting=bb,
                channel=Ballot.Channel.CODE,
                vote_code=code,
                buurt=rng.choice(buurten),
                choices=services.clean_choices(bb, chosen, {str(p.pk): p.ballot_cost for p in ballot_plans}),
            )
        )
    Ballot.objects.bulk_create(ballots, batch_size=1000)


def _realisation(bb: Burgerbegroting, board: User) -> None:
    for n, plan in enumerate(Plan.objects.filter(pk__in=[int(p) for p in bb.result.selected])):
        plan.realisation = [Plan.Realisation.DONE, Plan.Realisation.IN_PROGRESS, Plan.Realisation.NOT_STARTED][n % 3]
        plan.amount_spent = plan.ballot_cost if n % 3 == 0 else plan.ballot_cost // 3 if n % 3 == 1 else 0
        plan.save(update_fields=["realisation", "amount_spent"])
        if n % 3 != 2:
            PlanUpdate.objects.create(plan=plan, text="De eerste stap is gezet: de offerte is getekend.", author=board)
