"""Benchmark: pbengine against pabutools 1.2.3 on every shared Pabulib file, per rule.

Runs both in the same run (pabutools in a child process so a time cap can stop it), checks that
the selected sets agree, and writes a Markdown table into docs/benchmarks.md between the lines
`<!-- BEGIN pb_engine -->` and `<!-- END pb_engine -->`. Times cover the rule only, not parsing,
and are CPU seconds of the process (time.process_time) on both sides, so that other jobs on this
shared machine do not inflate them; the time cap on pabutools is in wall-clock seconds.

    python bench/pb_engine.py --pabutools-timeout 600
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import os
import platform
import queue as queue_module
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pbengine.outcome import compute_outcome
from pbengine.pabulib import read_pabulib

DATA = ROOT.parent / "shared" / "data" / "pabulib"
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- BEGIN pb_engine -->", "<!-- END pb_engine -->"
RULES = {
    "greedy": ("greedy", ()),
    "mes": ("mes", ()),
    "mes+add1+greedy": ("mes", ("add1", "greedy")),
}


def _pabutools_child(path: str, rule: str, sat: str, completion: Any, queue: Any) -> None:
    from pbengine.tests.reference import load, reference_outcome

    instance, profile = load(path)
    start = time.process_time()
    queue.put(("start", start, None))
    selected = reference_outcome(instance, profile, rule, sat, tuple(completion))
    queue.put(("done", time.process_time() - start, sorted(selected)))


def _cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) a running process has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_pabutools(
    path: Path, rule: str, sat: str, completion: tuple[str, ...], cap: float
) -> tuple[float, frozenset[str] | None]:
    """pabutools' CPU seconds and selection; selection None when stopped after `cap` wall-clock
    seconds, and then the CPU seconds it had used on the rule by then (a lower bound)."""
    queue: Any = mp.Queue()
    proc = mp.Process(target=_pabutools_child, args=(str(path), rule, sat, completion, queue))
    proc.start()
    started_cpu: float | None = None
    start = time.perf_counter()
    used = 0.0
    while True:
        try:
            kind, value, selected = queue.get(timeout=1)
        except queue_module.Empty:
            if not proc.is_alive():
                break
            if started_cpu is not None and time.perf_counter() - start > cap:
                used = _cpu_seconds(proc.pid) - started_cpu
                break
            continue
        if kind == "start":
            started_cpu, start = value, time.perf_counter()
        else:
            proc.join()
            return value, frozenset(selected)
    if proc.is_alive():
        proc.terminate()
    proc.join()
    return used, None


def time_engine(path: Path, rule: str, sat: str | None, completion: tuple[str, ...]) -> Any:
    instance = read_pabulib(path)
    times = []
    outcome = None
    for _ in range(3):
        start = time.process_time()
        outcome = compute_outcome(instance, rule=rule, satisfaction=sat, completion=completion)
        times.append(time.process_time() - start)
        if sum(times) > 1.0:
            break
    assert outcome is not None
    return min(times), outcome


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def fmt(seconds: float, finished: bool) -> str:
    return f"{seconds:.3f}" if finished else f"> {seconds:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pabutools-timeout", type=float, default=600.0)
    parser.add_argument("--only", nargs="*", default=[], help="file name fragments")
    args = parser.parse_args()
    cap = args.pabutools_timeout
    rows = []
    ratios: dict[str, list[tuple[float, bool]]] = {r: [] for r in RULES}
    max_engine: dict[str, float] = dict.fromkeys(RULES, 0.0)
    mismatches = []
    for path in sorted(DATA.glob("*.pb")):
        if args.only and not any(s in path.name for s in args.only):
            continue
        sat = read_pabulib(path).default_satisfaction().value
        cells = [path.name.removesuffix(".pb"), sat]
        for label, (rule, completion) in RULES.items():
            ours_t, outcome = time_engine(path, rule, sat, completion)
            theirs_t, theirs = time_pabutools(path, rule, sat, completion, cap)
            ours_t = max(ours_t, 1e-6)  # below the clock's resolution
            max_engine[label] = max(max_engine[label], ours_t)
            same = "?" if theirs is None else ("yes" if frozenset(outcome.selected) == theirs else "NO")
            if same == "NO":
                mismatches.append(f"{path.name} {label}")
            ratio = theirs_t / ours_t
            text = f"{ratio:,.0f}×" if theirs is not None else f"> {ratio:,.0f}×"
            ratios[label].append((ratio, theirs is None))
            cells += [f"{ours_t:.3f}", fmt(theirs_t, theirs is not None), text, same]
            print(path.name, label, f"{ours_t:.3f}", fmt(theirs_t, theirs is not None), text, same, flush=True)
        rows.append(cells)
    lines = [
        BEGIN,
        "## Participatory-budgeting engine (pbengine) against pabutools 1.2.3",
        "",
        f"- Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        (f"- Machine: `nproc` = {os.cpu_count()}, CPU {cpu_model()}, Python {platform.python_version()}"),
        (
            "- Command: `/work/main/.venv/bin/python bench/pb_engine.py "
            f"--pabutools-timeout {cap:g}` (from the repository root)"
        ),
        (
            "- Times in CPU seconds (`time.process_time`) for the rule alone (files parsed beforehand); "
            "engine: best of up to 3 runs; pabutools: one run in a child process, stopped after "
            f'{cap:g} s of wall-clock time (then shown as "> the CPU seconds it had used", and its '
            "speed-up as a lower bound)."
        ),
        f"- Load average when the run ended: {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} cores.",
        (
            "- Satisfaction: cost for approval and choose-1, additive points for cumulative, Borda "
            "for ordinal. *same*: the selected sets are equal (`?`: pabutools did not finish)."
        ),
        "",
    ]
    for label in RULES:
        values = sorted(ratios[label])
        median = statistics.median(v for v, _ in values)
        capped = any(c and abs(v - median) < 1e-9 for v, c in values)
        low_half_capped = sum(1 for v, c in values if v <= median and c)
        prefix = "≥ " if capped or low_half_capped else ""
        lines.append(
            f"- **{label}**: median speed-up {prefix}{median:,.0f}×; slowest engine time {max_engine[label]:.3f} s"
        )
    if mismatches:
        lines.append(f"- **Different outcomes**: {', '.join(mismatches)}")
    lines += [
        "",
        (
            "| instance | sat | greedy engine | greedy pabutools | × | same | MES engine | MES pabutools "
            "| × | same | MES+Add1+greedy engine | MES+Add1+greedy pabutools | × | same |"
        ),
        "| --- | --- |" + " ---: | ---: | ---: | :-: |" * 3,
    ]
    lines += ["| " + " | ".join(c) + " |" for c in rows]
    lines.append(END)
    section = "\n".join(lines)
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text:
        before, rest = text.split(BEGIN, 1)
        after = rest.split(END, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text)
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
