"""From stored ballots to a result with pbengine: the instance, the outcome, explanations and receipts.

Pure functions over the database rows; services.close_vote stores what `compute` returns and the
`recompute_result` command compares a fresh computation with the stored one."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import pbengine
from pbengine.model import Ballot as PbBallot
from pbengine.model import Instance, Project, VoteType

from .models import Ballot, Burgerbegroting, Plan


def ballot_key(choices: dict[str, int]) -> str:
    """A canonical text for a ballot's choices: equal ballots have equal keys (used for receipts and digests)."""
    return ",".join(f"{pid}:{choices[pid]}" for pid in sorted(choices, key=int))


def vote_type(bb: Burgerbegroting) -> VoteType:
    return VoteType.CUMULATIVE if bb.ballot_type == Burgerbegroting.BallotType.CUMULATIVE else VoteType.APPROVAL


def build_instance(
    bb: Burgerbegroting, plans: Iterable[Plan], ballots: Iterable[tuple[int, dict[str, int]]]
) -> Instance:
    """A pbengine instance: the plans on the ballot with their ballot cost, and the ballots in order of id.

    Voter ids are the ballot ids; the exported file numbers voters 1..n instead (see `anonymised_instance`)."""
    kind = vote_type(bb)
    projects = {str(p.pk): Project(str(p.pk), Fraction(p.ballot_cost), {"name": p.title}) for p in plans}
    pb_ballots = []
    for ballot_id, choices in ballots:
        ids = tuple(pid for pid in sorted(choices, key=int) if pid in projects)
        points = tuple(Fraction(choices[pid]) for pid in ids) if kind.has_points else None
        pb_ballots.append(PbBallot(str(ballot_id), ids, points))
    return Instance(
        budget=Fraction(bb.budget),
        vote_type=kind,
        projects=projects,
        ballots=pb_ballots,
        meta={
            "description": bb.title,
            "country": "Netherlands",
            "unit": "Utrecht",
            "instance": bb.slug,
            "num_projects": str(len(projects)),
            "num_votes": str(len(pb_ballots)),
            "budget": str(bb.budget),
            "vote_type": kind.value,
            "rule": "equalshares-add1" if bb.rule == Burgerbegroting.Rule.MES else "greedy",
            "currency": "EUR",
        },
        project_columns=("project_id", "cost", "name"),
        vote_columns=("voter_id", "vote", "points") if kind.has_points else ("voter_id", "vote"),
    )


def stored_ballots(bb: Burgerbegroting) -> list[tuple[int, dict[str, int]]]:
    return [
        (pk, choices)
        for pk, choices in Ballot.objects.filter(burgerbegroting=bb).order_by("pk").values_list("pk", "choices")
    ]


def digest(ballots: Iterable[tuple[int, dict[str, int]]]) -> str:
    h = hashlib.sha256()
    for pk, choices in ballots:
        h.update(f"{pk}|{ballot_key(choices)}\n".encode())
    return h.hexdigest()


def _money(value: Fraction) -> str:
    return f"{float(value):.2f}"


def compute(bb: Burgerbegroting) -> dict[str, Any]:
    """Everything a Result row holds, computed from the stored ballots."""
    plans = list(bb.ballot_plans())
    ballots = stored_ballots(bb)
    instance = build_instance(bb, plans, ballots)
    if bb.rule == Burgerbegroting.Rule.MES:
        outcome = pbengine.compute_outcome(instance, rule="mes", completion="add1,greedy")
    else:
        outcome = pbengine.compute_outcome(instance, rule="greedy")
    greedy = pbengine.compute_outcome(instance, rule="greedy") if bb.rule == Burgerbegroting.Rule.MES else outcome
    explanation = pbengine.explain(outcome)
    votes: dict[str, int] = {str(p.pk): 0 for p in plans}
    for _pk, choices in ballots:
        for pid, points in choices.items():
            if pid in votes:
                votes[pid] += int(points)
    per_plan: dict[str, dict[str, Any]] = {}
    for r in explanation.rounds:
        per_plan[r.project] = {
            "how": "mes_round",
            "round": r.number,
            "rho": _money(r.rho) if outcome.satisfaction.value != "cost" else f"{float(r.rho):.6f}",
            "payers": [[_money(amount), count] for amount, count in r.payers],
        }
    for n in explanation.not_selected:
        per_plan[n.project] = {
            "how": "greedy_completion" if n.selected_by_greedy_completion else "mes_not_affordable",
            "supporters": n.supporters,
            "money_left": _money(n.supporters_money_left),
            "cost": _money(n.cost),
        }
    for step in explanation.greedy_steps:
        if step.project in per_plan and per_plan[step.project]["how"] != "greedy_completion":
            continue
        entry = per_plan.setdefault(step.project, {})
        entry.update(
            {
                "how": ("greedy_completion" if outcome.rule == "mes" else "greedy_selected")
                if step.selected
                else "greedy_skipped",
                "budget_left": _money(step.budget_left_before),
                "cost": _money(step.cost),
            }
        )
    for pid in free_selected(outcome):
        per_plan.setdefault(pid, {"how": "free"})
    receipts: dict[str, dict[str, Any]] = {}
    for ballot_id, choices in ballots:
        key = ballot_key(choices)
        if key in receipts:
            continue
        voter = explanation.voter(str(ballot_id))
        receipts[key] = {
            "share": _money(voter.budget),
            "payments": [[pid, _money(amount)] for pid, amount in voter.payments],
            "left": _money(voter.money_left),
            "winners": list(voter.supported_winners),
        }
    return {
        "rule": bb.rule,
        "selected": list(outcome.selected),
        "total_cost": int(outcome.total_cost),
        "greedy_selected": list(greedy.selected),
        "votes": votes,
        "explanation": {
            "plans": per_plan,
            "share": _money(explanation.budget_per_voter) if explanation.budget_per_voter is not None else None,
            "increments": outcome.mes_increments,
            "voters": len(ballots),
        },
        "receipts": receipts,
        "ballot_count": len(ballots),
        "ballots_digest": digest(ballots),
    }


def free_selected(outcome: pbengine.Outcome) -> tuple[str, ...]:
    return outcome.mes.free_projects if outcome.mes else ()


def anonymised_instance(bb: Burgerbegroting) -> Instance:
    """The ballots for export: voters numbered 1..n in a shuffled-free but id-free order (sorted by choices), so
    the file says nothing about who voted or when."""
    plans = list(bb.ballot_plans())
    ballots = sorted((choices for _pk, choices in stored_ballots(bb)), key=ballot_key)
    return build_instance(bb, plans, list(enumerate(ballots, start=1)))
