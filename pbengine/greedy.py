"""Greedy utilitarian welfare: best satisfaction per unit of cost first, skip what no longer fits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from math import lcm

from pbengine.model import Profile


@dataclass(frozen=True)
class GreedyStep:
    """One project in greedy order: selected, or skipped because it no longer fit."""

    project: str
    cost: Fraction
    score: Fraction | None  # total satisfaction per unit of cost; None means free (infinite)
    selected: bool
    budget_left_before: Fraction  # money still unspent when the project came up


@dataclass(frozen=True)
class GreedyResult:
    selected: tuple[str, ...]  # in order of selection, after any `already_selected`
    steps: tuple[GreedyStep, ...]
    budget_left: Fraction


def greedy_order_key(total_sat: Fraction, cost: Fraction) -> tuple[int, Fraction]:
    """Sort key: free projects with support first, then by satisfaction per cost, unsupported last."""
    if total_sat > 0:
        if cost > 0:
            return (1, -total_sat / cost)
        return (0, Fraction(0))
    return (2, Fraction(0))


def greedy(profile: Profile, already_selected: Iterable[str] = ()) -> GreedyResult:
    """Greedy utilitarian welfare, as pabutools' `greedy_utilitarian_welfare` with an additive
    satisfaction: projects ordered by total satisfaction divided by cost (ties: smaller project id
    as a string first); each is selected if it still fits in what is left of the budget.
    Projects nobody supports come last (score 0) and are still selected if they fit.
    """
    chosen = set(already_selected)
    # sum in integers over a common denominator: Fraction additions are slow
    denominator = lcm(1, *{u.denominator for vt in profile.types for _, u in vt.utilities})
    sums = [0] * len(profile.project_ids)
    for vt in profile.types:
        for p, u in vt.utilities:
            sums[p] += vt.weight * u.numerator * (denominator // u.denominator)
    totals = [Fraction(x, denominator) for x in sums]
    left = profile.budget - sum(
        (profile.costs[i] for i, pid in enumerate(profile.project_ids) if pid in chosen),
        Fraction(0),
    )
    order = sorted(
        (i for i, pid in enumerate(profile.project_ids) if pid not in chosen),
        key=lambda i: (
            greedy_order_key(totals[i], profile.costs[i]),
            profile.project_ids[i],
        ),
    )
    steps: list[GreedyStep] = []
    selected: list[str] = []
    for i in order:
        cost = profile.costs[i]
        score = None if cost == 0 and totals[i] > 0 else (totals[i] / cost if totals[i] > 0 else Fraction(0))
        fits = cost <= left
        steps.append(GreedyStep(profile.project_ids[i], cost, score, fits, left))
        if fits:
            selected.append(profile.project_ids[i])
            left -= cost
    return GreedyResult(tuple(selected), tuple(steps), left)
