"""The fast Add1 completion gives exactly what running MES once per increment gives.

pabutools raises every voter's budget by one unit, reruns MES and stops at the first exhaustive
outcome or returns the previous one at the first outcome over the budget. `mes_add1` skips most of
those runs; here it is compared with that loop written out plainly on top of our own MES run, on
random elections larger than the pabutools comparison can afford, with many near-ties.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pbengine.mes import MesEngine, MesRun, mes_add1
from pbengine.model import Profile, build_instance, build_profile


def add1_every_increment(profile: Profile) -> tuple[MesRun, int]:
    """pabutools' loop: one MES run per increment of 1."""
    engine = MesEngine(profile)
    costs = dict(zip(profile.project_ids, profile.costs, strict=True))
    previous: MesRun | None = None
    k = 0
    while True:
        run, _, _ = engine.run(engine.base_budget + k)
        total = sum((costs[p] for p in run.selected), Fraction(0))
        if total > profile.budget:
            assert previous is not None
            return previous, k - 1
        chosen = set(run.selected)
        if all(p in chosen or total + costs[p] > profile.budget for p in run.candidates):
            return run, k
        previous = run
        k += 1


@st.composite
def elections(draw: st.DrawFn, points: bool) -> tuple[Any, ...]:
    count = draw(st.integers(2, 9))
    ids = [f"p{i}" for i in range(count)]
    # few distinct costs and small ballots make equal prices (ties) common
    costs = {p: draw(st.sampled_from([10, 20, 30, 45, 60, 90, 100, 150])) for p in ids}
    budget = draw(st.integers(50, 400))
    kinds = draw(st.lists(st.lists(st.sampled_from(ids), unique=True, min_size=1, max_size=4), min_size=1, max_size=8))
    ballots: list[Any] = []
    for chosen in kinds:
        copies = draw(st.integers(1, 6))
        if points:
            ballot = {p: draw(st.integers(1, 4)) for p in chosen}
            ballots += [ballot] * copies
        else:
            ballots += [chosen] * copies
    return budget, costs, ballots


def _check(instance: Any, satisfaction: str) -> None:
    profile = build_profile(instance, satisfaction)
    expected, increments = add1_every_increment(profile)
    fast = mes_add1(profile)
    assert fast.run.selected == expected.selected
    assert fast.increments == increments


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections(points=False), st.sampled_from(["cost", "cardinality"]))
def test_fast_add1_matches_every_increment_approval(election: tuple[Any, ...], satisfaction: str) -> None:
    budget, costs, ballots = election
    _check(build_instance(budget=budget, projects=costs, ballots=ballots), satisfaction)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections(points=True))
def test_fast_add1_matches_every_increment_cumulative(election: tuple[Any, ...]) -> None:
    budget, costs, ballots = election
    instance = build_instance(budget=budget, projects=costs, ballots=ballots, vote_type="cumulative")
    _check(instance, "additive")


def test_fast_add1_matches_every_increment_on_a_real_file(data_dir: Any) -> None:
    """A shared file where the selection order changes at many increments."""
    from pbengine.pabulib import read_pabulib

    profile = build_profile(read_pabulib(data_dir / "US_Stanford_Dataset_PB_Chicago_45th_Ward_2019_vote_approvals.pb"))
    expected, increments = add1_every_increment(profile)
    fast = mes_add1(profile)
    assert (fast.run.selected, fast.increments) == (expected.selected, increments)
