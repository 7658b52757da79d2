"""One entry point for all rules: `compute_outcome(instance, rule=..., satisfaction=..., completion=...)`."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction

from pbengine.greedy import GreedyResult, greedy
from pbengine.mes import MesRun, mes, mes_add1
from pbengine.model import Instance, Profile, Satisfaction, build_profile

RULES = ("greedy", "mes")
COMPLETIONS = ("add1", "greedy")


@dataclass(frozen=True)
class Outcome:
    """The selected projects and everything needed to explain them."""

    rule: str
    satisfaction: Satisfaction
    completion: tuple[str, ...]
    selected: tuple[str, ...]  # in order: MES purchases, then what greedy (completion) added
    total_cost: Fraction
    budget: Fraction
    profile: Profile
    mes: MesRun | None = None  # the MES run whose outcome was kept
    mes_increments: int = 0  # how many Add1 increments were added to each voter's equal share
    greedy: GreedyResult | None = None  # the greedy rule, or the greedy completion

    @property
    def mes_selected(self) -> tuple[str, ...]:
        return self.mes.selected if self.mes else ()


def parse_completion(text: str | Iterable[str] | None) -> tuple[str, ...]:
    """`"add1,greedy"` or `["add1", "greedy"]` -> ("add1", "greedy"); rejects unknown steps."""
    if text is None:
        return ()
    parts = [p.strip() for p in text.split(",")] if isinstance(text, str) else list(text)
    steps = tuple(p for p in parts if p and p != "none")
    for step in steps:
        if step not in COMPLETIONS:
            raise ValueError(f"unknown completion {step!r}; use add1, greedy or both")
    if steps.count("add1") > 1 or steps.count("greedy") > 1:
        raise ValueError("each completion step may appear once")
    if steps == ("greedy", "add1"):
        raise ValueError("add1 must come before greedy")
    return steps


def compute_outcome(
    instance: Instance,
    *,
    rule: str = "mes",
    satisfaction: Satisfaction | str | None = None,
    completion: str | Iterable[str] | None = None,
) -> Outcome:
    """Run a rule on an instance.

    rule: "greedy" (greedy utilitarian welfare) or "mes" (Method of Equal Shares).
    satisfaction: "cost" or "cardinality" (approval, or any ballot read as approval of the
    listed projects), "additive" (points of cumulative/score ballots), "borda" (ordinal);
    default: cost for approval, additive for points, borda for ordinal.
    completion (MES only): "add1" raises each voter's budget one currency unit at a time while
    the outcome stays within the budget; "greedy" then fills what is left greedily.
    """
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; use greedy or mes")
    steps = parse_completion(completion)
    if rule == "greedy" and steps:
        raise ValueError("completion only applies to the rule mes")
    with _cyclic_gc_paused():
        return _outcome(instance, rule, satisfaction, steps)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a rule runs, and restore it after.

    The rules build millions of short-lived tuples, integers and Fractions (freed at once by
    reference counting; they hardly ever form cycles, and any that do are collected once the
    collector runs again), and every so many allocations the collector
    would scan all live objects, the instance's ballots included: up to a third of the time on
    the large elections. Pausing it changes no outcome."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _outcome(instance: Instance, rule: str, satisfaction: Satisfaction | str | None, steps: tuple[str, ...]) -> Outcome:
    profile = build_profile(instance, satisfaction)
    costs = dict(zip(profile.project_ids, profile.costs, strict=True))
    if rule == "greedy":
        result = greedy(profile)
        return Outcome(
            rule=rule,
            satisfaction=profile.satisfaction,
            completion=(),
            selected=result.selected,
            total_cost=sum((costs[p] for p in result.selected), Fraction(0)),
            budget=profile.budget,
            profile=profile,
            greedy=result,
        )
    increments = 0
    if "add1" in steps:
        add1 = mes_add1(profile)
        run, increments = add1.run, add1.increments
    else:
        run = mes(profile)
    selected = run.selected
    total = sum((costs[p] for p in selected), Fraction(0))
    completed: GreedyResult | None = None
    if "greedy" in steps:
        exhaustive = all(p in selected or total + c > profile.budget for p, c in costs.items())
        if not exhaustive:
            completed = greedy(profile, already_selected=selected)
            selected = selected + completed.selected
            total = sum((costs[p] for p in selected), Fraction(0))
    return Outcome(
        rule=rule,
        satisfaction=profile.satisfaction,
        completion=steps,
        selected=selected,
        total_cost=total,
        budget=profile.budget,
        profile=profile,
        mes=run,
        mes_increments=increments,
        greedy=completed,
    )
