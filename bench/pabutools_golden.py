"""Record pabutools 1.2.3 outcomes on the shared Pabulib files as a golden JSON for the tests.

pabutools needs minutes to hours for MES with Add1 completion on the larger files, too slow to
recompute in every test run. This script computes each (file, rule, satisfaction) outcome in its own
process with a time cap and writes whatever finished to pbengine/tests/data/pabutools_golden.json
(existing entries are kept, so it can be resumed). Reproduce with:

    python bench/pabutools_golden.py --timeout 1800
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "pabulib"
OUT = ROOT / "pbengine" / "tests" / "data" / "pabutools_golden.json"


def jobs_for(path: Path) -> list[tuple[str, str]]:
    """(rule, satisfaction) pairs that apply to the file's vote type."""
    head = path.read_text(encoding="utf-8-sig").split("PROJECTS", 1)[0]
    vote_type = next(line.split(";")[1].strip() for line in head.splitlines() if line.startswith("vote_type;"))
    if vote_type in ("approval", "choose-1"):
        sats = ["cost", "cardinality"]
    elif vote_type == "ordinal":
        sats = ["borda"]
    else:
        sats = ["additive"]
    return [(rule, sat) for sat in sats for rule in ("greedy", "mes", "mes+add1")]


def compute(path: str, rule: str, sat: str, queue: Any) -> None:
    from pabutools.election import Cost_Sat  # type: ignore[import-untyped]  # noqa: F401
    from pabutools.rules import (  # type: ignore[import-untyped]
        greedy_utilitarian_welfare,
        method_of_equal_shares,
    )

    from pbengine.tests.reference import SAT_CLASSES, load

    instance, profile = load(path)
    sat_class = SAT_CLASSES[sat]
    start = time.perf_counter()
    result: dict[str, Any] = {}
    if rule == "greedy":
        out = greedy_utilitarian_welfare(instance, profile, sat_class=sat_class)
        result["selected"] = sorted(p.name for p in out)
    elif rule == "mes":
        out = method_of_equal_shares(instance, profile, sat_class=sat_class)
        result["selected"] = sorted(p.name for p in out)
    else:
        out = method_of_equal_shares(instance, profile, sat_class=sat_class, voter_budget_increment=1)
        result["selected"] = sorted(p.name for p in out)
        # completion_by_rule_combination: greedy only if the MES outcome is not exhaustive
        if instance.is_exhaustive(out):
            completed = out
        else:
            completed = greedy_utilitarian_welfare(
                instance, profile, sat_class=sat_class, initial_budget_allocation=out
            )
        result["selected_with_greedy"] = sorted(p.name for p in completed)
    result["seconds"] = round(time.perf_counter() - start, 3)
    queue.put(result)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--only", nargs="*", default=[], help="file name fragments")
    parser.add_argument("--sats", nargs="*", default=[], help="satisfactions to compute")
    args = parser.parse_args()
    golden: dict[str, Any] = json.loads(OUT.read_text()) if OUT.exists() else {}
    todo = []
    for path in sorted(DATA.glob("*.pb")):
        if args.only and not any(s in path.name for s in args.only):
            continue
        for rule, sat in jobs_for(path):
            key = f"{path.name}|{rule}|{sat}"
            if key in golden and "selected" in golden[key]:
                continue
            if args.sats and sat not in args.sats:
                continue
            todo.append(
                (
                    path.stat().st_size * (100 if "add1" in rule else 1),
                    key,
                    path,
                    rule,
                    sat,
                )
            )
    for _, key, path, rule, sat in sorted(todo):
        queue: Any = mp.Queue()
        proc = mp.Process(target=compute, args=(str(path), rule, sat, queue))
        proc.start()
        proc.join(args.timeout)
        if proc.is_alive():
            proc.terminate()
            proc.join()
            golden[key] = {"timeout": args.timeout}
            print(f"{key}: more than {args.timeout} s", flush=True)
        else:
            golden[key] = queue.get()
            print(f"{key}: {golden[key]['seconds']} s", flush=True)
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps(dict(sorted(golden.items())), indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
