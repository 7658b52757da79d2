"""Command line: `outcome FILE.pb [--rule mes|greedy] [--satisfaction ...] [--completion add1,greedy] [--json]`."""

from __future__ import annotations

import argparse
import json
import sys
from fractions import Fraction
from typing import Any

from pbengine.explain import explain, render_text
from pbengine.model import Satisfaction
from pbengine.outcome import compute_outcome
from pbengine.pabulib import PabulibError, read_pabulib


def _number(value: Fraction) -> int | float:
    return value.numerator if value.denominator == 1 else float(value)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pbengine", description="Participatory-budgeting engine")
    commands = parser.add_subparsers(dest="command", required=True)
    outcome = commands.add_parser("outcome", help="compute the winning projects of a .pb file")
    outcome.add_argument("file", help="a Pabulib .pb file")
    outcome.add_argument("--rule", choices=["mes", "greedy"], default="mes")
    outcome.add_argument(
        "--satisfaction",
        choices=[s.value for s in Satisfaction],
        default=None,
        help="default: cost (approval), additive (cumulative/scoring), borda (ordinal)",
    )
    outcome.add_argument(
        "--completion",
        default="",
        help="for mes: add1, greedy or add1,greedy (default: none)",
    )
    outcome.add_argument("--json", action="store_true", help="print one JSON object")
    outcome.add_argument("--voter", action="append", default=[], help="also explain this voter")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (2 for a bad file or bad arguments)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 2
    try:
        instance = read_pabulib(args.file)
        outcome = compute_outcome(
            instance,
            rule=args.rule,
            satisfaction=args.satisfaction,
            completion=args.completion,
        )
        explanation = explain(outcome)
        voters = [explanation.voter(v) for v in args.voter]
    except PabulibError as error:
        print(f"{args.file}: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"{args.file}: {error.strerror or error}", file=sys.stderr)
        return 2
    except KeyError as error:
        print(f"unknown voter {error.args[0]!r}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"{args.file}: {error}", file=sys.stderr)
        return 2
    if args.json:
        data: dict[str, Any] = {
            "rule": outcome.rule,
            "satisfaction": outcome.satisfaction.value,
            "completion": list(outcome.completion),
            "selected": list(outcome.selected),
            "total_cost": _number(outcome.total_cost),
            "budget": _number(outcome.budget),
        }
        if outcome.mes is not None:
            data["mes_selected"] = list(outcome.mes_selected)
            data["budget_per_voter"] = str(outcome.mes.budget_per_voter)
            data["add1_increments"] = outcome.mes_increments
            data["rounds"] = [
                {
                    "project": r.project,
                    "rho": str(r.rho),
                    "payers": [{"amount": str(a), "voters": n} for a, n in r.payers],
                }
                for r in explanation.rounds
            ]
            data["not_selected"] = [
                {
                    "project": n.project,
                    "supporters_money_left": str(n.supporters_money_left),
                    "cost": str(n.cost),
                    "reason": n.reason,
                }
                for n in explanation.not_selected
            ]
        if outcome.greedy is not None:
            data["greedy_steps"] = [{"project": s.project, "selected": s.selected} for s in outcome.greedy.steps]
        if voters:
            data["voters"] = [
                {
                    "voter_id": v.voter_id,
                    "payments": [{"project": p, "amount": str(a)} for p, a in v.payments],
                    "money_left": str(v.money_left),
                    "supported_winners": list(v.supported_winners),
                }
                for v in voters
            ]
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(render_text(explanation))
        for v in voters:
            paid = ", ".join(f"{p}: {float(a):.2f}" for p, a in v.payments) or "nothing"
            print(
                f"Voter {v.voter_id}: paid {paid}; {float(v.money_left):.2f} left; "
                f"supported winners: {', '.join(v.supported_winners) or 'none'}"
            )
    return 0
