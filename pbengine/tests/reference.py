"""Outcomes computed by pabutools 1.2.3, the reference the engine must match (tests and bench only)."""

from __future__ import annotations

from typing import Any

from pabutools.election import (
    Additive_Borda_Sat,
    Additive_Cardinal_Sat,
    Cardinality_Sat,
    Cost_Sat,
)
from pabutools.election.pabulib import (
    parse_pabulib,
    parse_pabulib_from_string,
)
from pabutools.rules import (
    completion_by_rule_combination,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
)

SAT_CLASSES: dict[str, Any] = {
    "cost": Cost_Sat,
    "cardinality": Cardinality_Sat,
    "additive": Additive_Cardinal_Sat,
    "borda": Additive_Borda_Sat,
}


def load(path: str | None = None, text: str | None = None) -> tuple[Any, Any]:
    parsed: tuple[Any, Any] = parse_pabulib_from_string(text) if text is not None else parse_pabulib(path)
    return parsed


def reference_outcome(
    instance: Any,
    profile: Any,
    rule: str,
    satisfaction: str,
    completion: tuple[str, ...] = (),
) -> frozenset[str]:
    """The set of selected project ids pabutools returns for the rule and completion."""
    sat = SAT_CLASSES[satisfaction]
    if rule == "greedy":
        result = greedy_utilitarian_welfare(instance, profile, sat_class=sat)
    elif rule == "mes":
        params: dict[str, Any] = {"sat_class": sat}
        if "add1" in completion:
            params["voter_budget_increment"] = 1
        if "greedy" in completion:
            result = completion_by_rule_combination(
                instance,
                profile,
                [method_of_equal_shares, greedy_utilitarian_welfare],
                [params, {"sat_class": sat}],
            )
        else:
            result = method_of_equal_shares(instance, profile, **params)
    else:
        raise ValueError(rule)
    return frozenset(p.name for p in result)
