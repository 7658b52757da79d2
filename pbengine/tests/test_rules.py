from __future__ import annotations

from fractions import Fraction

import pytest

from pbengine import build_instance, compute_outcome, explain, render_text


def _red_blue() -> tuple[dict[str, int], list[list[str]]]:
    """51 voters want the red projects r0..r9, 49 the blue ones b0..b9; room for 10."""
    projects = {f"r{i}": 100 for i in range(10)} | {f"b{i}": 100 for i in range(10)}
    ballots = [[f"r{i}" for i in range(10)]] * 51 + [[f"b{i}" for i in range(10)]] * 49
    return projects, ballots


def test_greedy_gives_everything_to_the_majority() -> None:
    projects, ballots = _red_blue()
    instance = build_instance(budget=1000, projects=projects, ballots=ballots)
    outcome = compute_outcome(instance, rule="greedy")
    assert sorted(outcome.selected) == sorted(f"r{i}" for i in range(10))


def test_equal_shares_is_proportional() -> None:
    projects, ballots = _red_blue()
    instance = build_instance(budget=1000, projects=projects, ballots=ballots)
    outcome = compute_outcome(instance, rule="mes", completion="add1,greedy")
    red = [p for p in outcome.selected if p.startswith("r")]
    blue = [p for p in outcome.selected if p.startswith("b")]
    assert (len(red), len(blue)) == (5, 5)
    assert outcome.total_cost == 1000


def test_greedy_explains_why_a_project_was_skipped() -> None:
    instance = build_instance(
        budget=100,
        projects={"a": 60, "b": 50, "c": 40},
        ballots=[["a", "b"], ["a", "b"], ["a", "c"], ["c"]],
    )
    outcome = compute_outcome(instance, rule="greedy", satisfaction="cost")
    assert outcome.selected == ("a", "c")
    steps = {s.project: s for s in explain(outcome).greedy_steps}
    assert not steps["b"].selected
    assert steps["b"].budget_left_before == 40
    assert "b: skipped: costs 50 but only 40 was left" in render_text(explain(outcome))


def test_ties_break_on_the_smaller_id_as_text() -> None:
    instance = build_instance(budget=10, projects={"9": 10, "10": 10}, ballots=[["9", "10"]])
    assert compute_outcome(instance, rule="greedy").selected == ("10",)
    assert compute_outcome(instance, rule="mes").selected == ("10",)


def test_mes_explanation_payments_add_up_to_each_cost() -> None:
    instance = build_instance(
        budget=300,
        projects={"x": 120, "y": 90, "z": 200},
        ballots=[["x", "y"], ["x"], ["x", "z"], ["y", "z"], ["z"], ["x"]],
    )
    outcome = compute_outcome(instance, rule="mes")
    explanation = explain(outcome)
    assert explanation.budget_per_voter == 50
    for r in explanation.rounds:
        assert sum(amount * voters for amount, voters in r.payers) == r.cost
    voter = explanation.voter("1")  # approves x and y
    assert sum(a for _, a in voter.payments) + voter.money_left == 50
    assert {p for p, _ in voter.payments} <= {"x", "y"}
    with pytest.raises(KeyError):
        explanation.voter("nobody")


def test_not_selected_projects_say_what_their_supporters_had_left() -> None:
    instance = build_instance(budget=100, projects={"a": 50, "b": 80}, ballots=[["a"], ["a"], ["b"], ["b"]])
    outcome = compute_outcome(instance, rule="mes")
    assert outcome.selected == ("a",)
    (b,) = explain(outcome).not_selected
    assert b.project == "b"
    assert b.supporters == 2
    assert b.supporters_money_left == 50
    assert "its 2 supporters had 50 left in total and it costs 80" in b.reason


def test_add1_raises_budgets_until_the_outcome_is_exhaustive() -> None:
    instance = build_instance(budget=100, projects={"a": 50, "b": 80}, ballots=[["a"], ["a"], ["b"], ["b"]])
    plain = compute_outcome(instance, rule="mes", completion="")
    raised = compute_outcome(instance, rule="mes", completion="add1")
    assert plain.selected == raised.selected == ("a",)
    # with 25 each, b needs 80 from two voters: 40 each; a then costs 50 (all of a's voters' 25s)
    assert raised.mes is not None
    assert raised.mes.budget_per_voter == Fraction(25) + raised.mes_increments


def test_cumulative_points_are_additive_utilities() -> None:
    instance = build_instance(
        budget=100,
        projects={"a": 60, "b": 60},
        ballots=[{"a": 3}, {"a": 1, "b": 2}, {"b": 1}],
    )
    greedy = compute_outcome(instance, rule="greedy")
    assert greedy.satisfaction.value == "additive"
    assert greedy.selected == ("a",)  # 4 points against 3 for the same cost


def test_bad_arguments_are_refused() -> None:
    instance = build_instance(budget=10, projects={"a": 5}, ballots=[["a"]])
    with pytest.raises(ValueError, match="unknown rule"):
        compute_outcome(instance, rule="lottery")
    with pytest.raises(ValueError, match="completion"):
        compute_outcome(instance, rule="greedy", completion="add1")
    with pytest.raises(ValueError, match="unknown completion"):
        compute_outcome(instance, rule="mes", completion="add2")
    with pytest.raises(ValueError, match="Borda"):
        compute_outcome(instance, rule="mes", satisfaction="borda")
    with pytest.raises(ValueError, match="unknown project"):
        build_instance(budget=10, projects={"a": 5}, ballots=[["b"]])


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_paused_during_a_rule_and_restored_after(
    enabled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from pbengine import outcome as outcome_module
    from pbengine.model import build_profile

    projects, ballots = _red_blue()
    instance = build_instance(budget=1000, projects=projects, ballots=ballots)
    seen: list[bool] = []

    def spy(*args: object) -> object:
        seen.append(gc.isenabled())
        return build_profile(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(outcome_module, "build_profile", spy)
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        compute_outcome(instance, rule="mes", completion="add1,greedy")
        assert gc.isenabled() is enabled
        with pytest.raises(ValueError, match="additive"):  # restored after an error too
            compute_outcome(instance, rule="mes", satisfaction="additive")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
    assert seen == [False, False]
