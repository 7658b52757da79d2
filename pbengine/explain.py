"""Explanations of an outcome as data, and a plain-text rendering of them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from pbengine.greedy import GreedyStep
from pbengine.outcome import Outcome


@dataclass(frozen=True)
class RoundExplanation:
    """One MES purchase. `payers` groups the supporters by what each paid: (amount, voters)."""

    number: int
    project: str
    cost: Fraction
    rho: Fraction  # price per unit of utility
    payers: tuple[tuple[Fraction, int], ...]
    voters_paying_all_they_had: int


@dataclass(frozen=True)
class NotSelectedExplanation:
    """A project MES did not buy: its supporters' money left at the end against its cost."""

    project: str
    cost: Fraction
    supporters: int
    supporters_money_left: Fraction
    reason: str
    selected_by_greedy_completion: bool


@dataclass(frozen=True)
class VoterExplanation:
    """One voter: their budget, what they paid for which winning project, what was left."""

    voter_id: str
    budget: Fraction
    payments: tuple[tuple[str, Fraction], ...]
    money_left: Fraction
    supported_winners: tuple[str, ...]


@dataclass(frozen=True)
class Explanation:
    outcome: Outcome
    budget_per_voter: Fraction | None
    rounds: tuple[RoundExplanation, ...]
    not_selected: tuple[NotSelectedExplanation, ...]
    greedy_steps: tuple[GreedyStep, ...]

    def voter(self, voter_id: str) -> VoterExplanation:
        """Per-voter query: raises KeyError for an unknown voter id."""
        profile = self.outcome.profile
        voter_type = profile.voter_type_of[voter_id]
        supported = {profile.project_ids[p] for p, u in profile.types[voter_type].utilities if u > 0}
        winners = tuple(p for p in self.outcome.selected if p in supported)
        run = self.outcome.mes
        if run is None:
            return VoterExplanation(voter_id, Fraction(0), (), Fraction(0), winners)
        payments = tuple(
            (r.project, pay.amount) for r in run.rounds for pay in r.payments if pay.voter_type == voter_type
        )
        return VoterExplanation(
            voter_id,
            run.budget_per_voter,
            payments,
            run.budget_left[voter_type],
            winners,
        )


def explain(outcome: Outcome) -> Explanation:
    """Build the explanation of an outcome computed by `compute_outcome`."""
    profile = outcome.profile
    costs = dict(zip(profile.project_ids, profile.costs, strict=True))
    rounds: list[RoundExplanation] = []
    not_selected: list[NotSelectedExplanation] = []
    run = outcome.mes
    greedy_added = set(outcome.greedy.selected) if outcome.greedy else set()
    if run is not None:
        for number, r in enumerate(run.rounds, start=1):
            groups: Counter[Fraction] = Counter()
            paying_all = 0
            for pay in r.payments:
                weight = profile.types[pay.voter_type].weight
                groups[pay.amount] += weight
                if pay.all_they_had:
                    paying_all += weight
            rounds.append(
                RoundExplanation(
                    number,
                    r.project,
                    costs[r.project],
                    r.rho,
                    tuple(sorted(groups.items(), reverse=True)),
                    paying_all,
                )
            )
        chosen = set(run.selected)
        for index, pid in enumerate(profile.project_ids):
            if pid in chosen:
                continue
            count = 0
            left = Fraction(0)
            for t, vt in enumerate(profile.types):
                if any(p == index and u > 0 for p, u in vt.utilities):
                    count += vt.weight
                    left += vt.weight * run.budget_left[t]
            if count == 0:
                reason = "no voter supports it"
            else:
                reason = (
                    f"its {count} supporter{'s' if count != 1 else ''} had {_money(left)} "
                    "left in total "
                    f"and it costs {_money(costs[pid])}"
                )
            not_selected.append(NotSelectedExplanation(pid, costs[pid], count, left, reason, pid in greedy_added))
    steps = outcome.greedy.steps if outcome.greedy else ()
    return Explanation(
        outcome,
        run.budget_per_voter if run else None,
        tuple(rounds),
        tuple(not_selected),
        steps,
    )


def _money(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.2f}"


def render_text(explanation: Explanation) -> str:
    """A plain-English text of the outcome and its explanation."""
    out = explanation.outcome
    lines = [
        f"Rule: {out.rule}"
        + (f" with completion {','.join(out.completion)}" if out.completion else "")
        + f"; satisfaction: {out.satisfaction.value}",
        f"Selected ({len(out.selected)}): {', '.join(out.selected) or '(none)'}",
        f"Total cost: {_money(out.total_cost)} of budget {_money(out.budget)}",
    ]
    if explanation.budget_per_voter is not None:
        extra = f" (equal share + {out.mes_increments})" if out.mes_increments else ""
        lines.append(
            f"Method of Equal Shares: each of {out.profile.num_voters} voters had "
            f"{_money(explanation.budget_per_voter)}{extra}."
        )
        for r in explanation.rounds:
            paid = "; ".join(f"{n} paid {_money(a)}" for a, n in r.payers)
            lines.append(
                f"  Round {r.number}: {r.project} (cost {_money(r.cost)}), "
                f"price per unit of satisfaction {float(r.rho):.6g}: {paid}"
            )
        for n in explanation.not_selected:
            later = " (then added by greedy completion)" if n.selected_by_greedy_completion else ""
            lines.append(f"  Not bought by MES: {n.project}: {n.reason}{later}")
    if explanation.greedy_steps:
        title = "Greedy completion" if out.rule == "mes" else "Greedy order"
        lines.append(f"{title} (most satisfaction per cost first):")
        for step in explanation.greedy_steps:
            if step.selected:
                verdict = "selected"
            else:
                verdict = f"skipped: costs {_money(step.cost)} but only {_money(step.budget_left_before)} was left"
            lines.append(f"  {step.project}: {verdict}")
    return "\n".join(lines)
