"""The float filter gives the exact selection whenever it gives one, and gives up on exact ties it
cannot settle; the Add1 search built on it gives what one exact run per increment gives."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pbengine import mes as mes_module
from pbengine.floatmes import FloatMes
from pbengine.mes import MesEngine, mes_add1
from pbengine.model import build_instance, build_profile
from pbengine.tests.test_add1 import add1_every_increment


def exact_selection(engine: MesEngine, budget_per_voter: Fraction) -> tuple[int, ...]:
    run, _, _ = engine.run(budget_per_voter)
    index = {pid: p for p, pid in enumerate(engine.profile.project_ids)}
    return tuple(index[pid] for pid in run.selected[len(run.free_projects) :])


@st.composite
def elections(draw: st.DrawFn, points: bool) -> tuple[Any, ...]:
    """Few distinct costs, small ballots and copies of the same ballot make (near-)ties common;
    a project may be a copy of another (same cost, same supporters) to make exact ties."""
    count = draw(st.integers(2, 9))
    ids = [f"p{i}" for i in range(count)]
    costs = {p: draw(st.sampled_from([10, 20, 30, 45, 60, 90, 100, 150, 333])) for p in ids}
    twins = draw(st.dictionaries(st.sampled_from(ids[1:]), st.sampled_from(ids[:1]), max_size=2))
    for copy, original in twins.items():
        costs[copy] = costs[original]
    budget = draw(st.integers(50, 600))
    kinds = draw(st.lists(st.lists(st.sampled_from(ids), unique=True, min_size=1, max_size=4), min_size=1, max_size=10))
    ballots: list[Any] = []
    for kind in kinds:
        originals = {twins.get(p, p) for p in kind}
        chosen = sorted(originals | {c for c, o in twins.items() if o in originals})  # twins go together
        copies = draw(st.integers(1, 7))
        if points:
            ballot = {p: draw(st.integers(1, 4)) for p in chosen}
            ballots += [ballot] * copies
        else:
            ballots += [chosen] * copies
    return budget, costs, ballots


def _check_float_runs(instance: Any, satisfaction: str, extras: list[Fraction]) -> None:
    engine = MesEngine(build_profile(instance, satisfaction))
    fast = FloatMes(engine)
    for extra in extras:
        budget = engine.base_budget + extra
        found = fast.selection(budget)
        if found is not None:
            assert found.chosen == exact_selection(engine, budget)


extras = st.lists(st.fractions(min_value=0, max_value=60, max_denominator=7), min_size=1, max_size=5)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections(points=False), st.sampled_from(["cost", "cardinality"]), extras)
def test_float_selection_is_exact_approval(election: tuple[Any, ...], satisfaction: str, more: list[Fraction]) -> None:
    budget, costs, ballots = election
    _check_float_runs(build_instance(budget=budget, projects=costs, ballots=ballots), satisfaction, more)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections(points=True), extras)
def test_float_selection_is_exact_cumulative(election: tuple[Any, ...], more: list[Fraction]) -> None:
    budget, costs, ballots = election
    instance = build_instance(budget=budget, projects=costs, ballots=ballots, vote_type="cumulative")
    _check_float_runs(instance, "additive", more)


def test_float_selection_is_exact_on_a_real_file(data_dir: Any) -> None:
    from pbengine.pabulib import read_pabulib

    profile = build_profile(read_pabulib(data_dir / "Poland_Warszawa_2026_Bemowo.pb"))
    engine = MesEngine(profile)
    fast = FloatMes(engine)
    for extra in (0, 1, 17, 100, 250):
        found = fast.selection(engine.base_budget + extra)
        assert found is not None  # no close calls here: the filter settles every run
        assert found.chosen == exact_selection(engine, engine.base_budget + extra)


def test_twins_tie_exactly_and_the_smaller_id_wins_without_falling_back() -> None:
    # "a" and "b" cost the same and have the same supporters: always the same price
    instance = build_instance(
        budget=100, projects={"b": 30, "a": 30, "c": 40}, ballots=[["a", "b"], ["a", "b"], ["c"], ["a", "b", "c"]]
    )
    engine = MesEngine(build_profile(instance))
    fast = FloatMes(engine)
    found = fast.selection(engine.base_budget)
    assert found is not None
    assert found.chosen == exact_selection(engine, engine.base_budget)
    assert [engine.profile.project_ids[p] for p in found.chosen][:2] == ["a", "b"]
    assert fast.fallbacks == 0


def test_an_exact_tie_of_full_payers_is_settled_in_integers() -> None:
    # x and y: different supporters, the same price (each supporter pays a quarter of the cost);
    # nobody pays all they have, so the price is cost / utility exactly: x wins on its id
    instance = build_instance(
        budget=1000,
        projects={"y": 40, "x": 40},
        ballots=[["x"]] * 4 + [["y"]] * 4 + [[]] * 2,
    )
    engine = MesEngine(build_profile(instance, "cardinality"))
    fast = FloatMes(engine)
    found = fast.selection(engine.base_budget)
    assert found is not None
    assert found.chosen == exact_selection(engine, engine.base_budget)
    assert fast.fallbacks == 0


def test_an_exact_tie_with_voters_paying_all_they_have_falls_back() -> None:
    # r first (0.6 each); then p and q tie exactly at 4.05 per unit: in each, the voter who
    # paid for r has 3.9 and pays all of it, the other two pay 4.05. The float filter cannot
    # prove the order and must give up (the exact run decides)
    instance = build_instance(
        budget=27,
        projects={"p": 12, "q": 12, "r": "1.2"},
        ballots=[["p", "r"], ["p"], ["p"], ["q", "r"], ["q"], ["q"]],
    )
    engine = MesEngine(build_profile(instance, "cardinality"))
    fast = FloatMes(engine)
    budget = Fraction(9, 2)
    exact = exact_selection(engine, budget)
    assert [engine.profile.project_ids[p] for p in exact] == ["r", "p", "q"]
    found = fast.selection(budget)
    assert found is None
    assert fast.fallbacks == 1


def test_money_exactly_equal_to_the_cost_falls_back() -> None:
    instance = build_instance(budget=10, projects={"p": 10}, ballots=[["p"]] * 4)
    engine = MesEngine(build_profile(instance))
    fast = FloatMes(engine)
    assert fast.selection(engine.base_budget) is None  # affordable with nothing to spare
    assert exact_selection(engine, engine.base_budget) == (0,)


@pytest.fixture
def float_search_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Skip the exact search with proofs, so the float search does everything."""
    monkeypatch.setattr(mes_module, "EXACT_PHASE_LIMIT", -1)


def _check_add1(instance: Any, satisfaction: str) -> None:
    profile = build_profile(instance, satisfaction)
    expected, increments = add1_every_increment(profile)
    fast = mes_add1(profile)
    assert (fast.run.selected, fast.increments) == (expected.selected, increments)
    # the run returned, with its explanation, is exactly the exact engine's
    assert fast.run == MesEngine(profile).run(expected.budget_per_voter, explain=True)[0]


FIXTURE_OK = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]  # the patch holds for every example


@settings(max_examples=200, deadline=None, suppress_health_check=FIXTURE_OK)
@given(elections(points=False), st.sampled_from(["cost", "cardinality"]))
def test_float_add1_matches_every_increment_approval(
    float_search_only: None, election: tuple[Any, ...], satisfaction: str
) -> None:
    budget, costs, ballots = election
    _check_add1(build_instance(budget=budget, projects=costs, ballots=ballots), satisfaction)


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURE_OK)
@given(elections(points=True))
def test_float_add1_matches_every_increment_cumulative(float_search_only: None, election: tuple[Any, ...]) -> None:
    budget, costs, ballots = election
    instance = build_instance(budget=budget, projects=costs, ballots=ballots, vote_type="cumulative")
    _check_add1(instance, "additive")


def test_float_add1_matches_every_increment_on_a_real_file(float_search_only: None, data_dir: Any) -> None:
    from pbengine.pabulib import read_pabulib

    instance = read_pabulib(data_dir / "US_Stanford_Dataset_PB_Chicago_45th_Ward_2019_vote_approvals.pb")
    _check_add1(instance, "cost")


@st.composite
def district_elections(draw: st.DrawFn) -> tuple[Any, ...]:
    """Two or three separate districts (own projects, own voters) in one election: a price computed
    in one round is kept while the rounds buy projects of other districts."""
    budget, costs, ballots = 0, {}, []
    for d in range(draw(st.integers(2, 3))):
        part_budget, part_costs, part_ballots = draw(elections(points=False))
        budget += part_budget
        costs.update({f"d{d}{p}": c for p, c in part_costs.items()})
        ballots += [[f"d{d}{p}" for p in ballot] for ballot in part_ballots]
    return budget, costs, ballots


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(district_elections(), st.sampled_from(["cost", "cardinality"]), extras)
def test_float_selection_is_exact_with_prices_kept_between_rounds(
    election: tuple[Any, ...], satisfaction: str, more: list[Fraction]
) -> None:
    budget, costs, ballots = election
    _check_float_runs(build_instance(budget=budget, projects=costs, ballots=ballots), satisfaction, more)


def test_a_price_is_kept_while_none_of_its_supporters_pays(monkeypatch: pytest.MonkeyPatch) -> None:
    # 8 voters with 8 each. x (12, four voters with 1 point): 3 a point. y (20; one voter with 10
    # points, three with 1): its first lower bound is 20/13, but the 10-point voter pays all 8 he
    # has, so 4 a point. Round 1 prices y, then x, and buys x; x's voters do not support y, so
    # round 2 buys y at the price from round 1 without pricing it again
    instance = build_instance(
        budget=64,
        projects={"x": 12, "y": 20},
        ballots=[{"x": 1}] * 4 + [{"y": 10}] + [{"y": 1}] * 3,
        vote_type="cumulative",
    )
    engine = MesEngine(build_profile(instance, "additive"))
    fast = FloatMes(engine)
    priced: list[str] = []
    original = FloatMes._price

    def spy(self: FloatMes, p: int, *args: Any) -> Any:
        priced.append(engine.profile.project_ids[p])
        return original(self, p, *args)

    monkeypatch.setattr(FloatMes, "_price", spy)
    found = fast.selection(engine.base_budget)
    assert found is not None
    assert [engine.profile.project_ids[p] for p in found.chosen] == ["x", "y"]
    assert found.chosen == exact_selection(engine, engine.base_budget)
    assert priced == ["y", "x"]
