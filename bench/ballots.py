"""Ballots cast per second through gunicorn with 32 concurrent voters, on PostgreSQL and on SQLite.

For each database this script creates a fresh database, migrates it, loads Utrecht's wijken and buurten, opens a
burgerbegroting for voting (knapsack ballot, 8 plans) with N personal vote codes, and starts gunicorn with the
command documented in docs/deploy.md and production settings (DEBUG off). Then 32 client threads, each on its own
keep-alive connection, act as voters:

1. *sign-in*: each voter opens the code page, enters its code (the session now holds it);
2. *cast*: on one signal all voters post their ballots as fast as the server takes them; every voter votes twice
   (the second ballot replaces the first, as when a voter changes their mind), so half the posts are updates.

The cast phase is what is measured: ballot posts per second (each a full POST-redirect through the ballot view and
`services.cast_ballot`) and its p50/p95 latency. Afterwards the database is checked: exactly one ballot per code, each
holding the voter's second choice, none lost and none doubled. Target: at least 200 ballots per second on
PostgreSQL. The results are written between the `ballots` markers in docs/benchmarks.md.

    python bench/ballots.py [--db sqlite|postgres|both] [--voters N] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import (
    PG_ADMIN_URL,
    REQUEST_HEADERS,
    ROOT,
    free_port,
    machine_facts,
    production_env,
    run,
    runnable_gunicorn_command,
    stop,
    wait_until_up,
)

RESULTS_DOC = ROOT / "docs" / "benchmarks.md"
BEGIN_MARKER, END_MARKER = "<!-- BEGIN ballots -->", "<!-- END ballots -->"
PG_DB = "samen030_bench_ballots"
TARGET = 200
SLUG = "bench-begroot"


# --- In a child process with the database's environment -------------------------------------------------------


def setup(voters: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.utils import timezone

    from samen030.accounts.models import User
    from samen030.budgeting import services
    from samen030.budgeting.models import Burgerbegroting, Phase, Plan, schedule_for
    from samen030.places.models import Buurt, Wijk

    official = User.objects.create_user(email="bestuur@bench.test", name="Bestuur", is_board=True)
    wijk = Wijk.objects.get(code="WK034401")
    bb = Burgerbegroting.objects.create(
        slug=SLUG,
        title="Bench Begroot",
        area_kind="wijk",
        wijk=wijk,
        budget=50_000,
        ballot_type="knapsack",
        recorded_phase=Phase.VOTING,
        **schedule_for(Phase.VOTING, now=timezone.now()),  # the dates decide the phase: voting is open
    )
    plans = [
        Plan.objects.create(
            burgerbegroting=bb,
            title=f"Plan {n}",
            description="Een plan.",
            cost=5_000 + 1_000 * n,
            checked_cost=5_000 + 1_000 * n,
            submitted_by=official,
            status=Plan.Status.FEASIBLE,
        )
        for n in range(8)
    ]
    _batch, codes = services.generate_codes(burgerbegroting=bb, official=official, count=voters)
    return {
        "codes": codes,
        "plans": [str(p.pk) for p in plans],
        "buurt": Buurt.objects.filter(wijk=wijk).order_by("code").first().pk,  # type: ignore[union-attr]
    }


def verify(expected: dict[str, str]) -> dict[str, Any]:
    """expected: code -> the plan id of the voter's second (last) ballot."""
    import django

    django.setup()
    from samen030.budgeting import codes as codes_module
    from samen030.budgeting.models import Ballot, Burgerbegroting

    bb = Burgerbegroting.objects.get(slug=SLUG)
    by_hash = {codes_module.hash_code(bb.pk, code): plan for code, plan in expected.items()}
    rows = list(Ballot.objects.filter(burgerbegroting=bb).values_list("vote_code__code_hash", "choices"))
    seen: dict[str, int] = {}
    wrong = 0
    for code_hash, choices in rows:
        seen[code_hash] = seen.get(code_hash, 0) + 1
        if choices != {by_hash.get(code_hash, "?"): 1}:
            wrong += 1
    return {
        "ballots": len(rows),
        "voters": len(expected),
        "lost": sum(1 for h in by_hash if h not in seen),
        "doubled": sum(1 for n in seen.values() if n > 1),
        "not_the_last_choice": wrong,
    }


# --- The voters -------------------------------------------------------------------------------------------------


class Voter:
    """One keep-alive connection with its own cookies, like one browser."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, Any] | None = None) -> tuple[int, str]:
        headers = dict(REQUEST_HEADERS)
        headers["Referer"] = f"https://127.0.0.1{path}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode()
                break
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text

    def sign_in(self, code: str) -> None:
        self.cookies = {}
        path = f"/burgerbegroting/{SLUG}/stemmen/code/"
        status, html = self.request("GET", path)
        assert status == 200, status
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert token is not None
        self.token = token.group(1)
        status, _ = self.request("POST", path, {"csrfmiddlewaretoken": self.token, "code": code})
        assert status == 302, f"code entry answered {status}"

    def cast(self, plan: str, buurt: str) -> float:
        form = {"csrfmiddlewaretoken": self.token, "plan": [plan], "buurt": buurt, "age_confirmed": "on"}
        begin = time.perf_counter()
        status, text = self.request("POST", f"/burgerbegroting/{SLUG}/stemmen/", form)
        elapsed = time.perf_counter() - begin
        assert status == 302, f"ballot answered {status}: {text[:300]}"
        return elapsed


def sign_in_all(
    port: int, codes: list[str], concurrency: int, errors: list[str], lock: threading.Lock
) -> tuple[list[tuple[Voter, str]], float]:
    """Every voter enters its code, `concurrency` at a time; returns the signed-in voters and the time it took."""
    sessions: queue.Queue[tuple[Voter, str]] = queue.Queue()
    work: queue.Queue[str] = queue.Queue()
    for code in codes:
        work.put(code)

    def sign_in_worker() -> None:
        while True:
            try:
                code = work.get_nowait()
            except queue.Empty:
                return
            voter = Voter(port)
            try:
                voter.sign_in(code)
                sessions.put((voter, code))
            except Exception as error:  # report, do not die silently
                with lock:
                    errors.append(f"sign-in: {error!r}")

    started = time.perf_counter()
    threads = [threading.Thread(target=sign_in_worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    signed_in = []
    while not sessions.empty():
        signed_in.append(sessions.get())
    return signed_in, time.perf_counter() - started


def vote(port: int, data: dict[str, Any], concurrency: int) -> dict[str, Any]:
    plans: list[str] = data["plans"]
    buurt = str(data["buurt"])
    errors: list[str] = []
    lock = threading.Lock()
    signed_in, sign_in_seconds = sign_in_all(port, data["codes"], concurrency, errors, lock)
    # each voter casts twice: first a choice, then a different one; the second must be what is stored
    expected: dict[str, str] = {}
    for number, (_voter, code) in enumerate(signed_in):
        expected[code] = plans[(number + 1) % len(plans)]
    latencies: list[float] = []
    go = threading.Event()

    def cast_worker(mine: list[tuple[Voter, str]]) -> None:
        go.wait()
        for round_number in (0, 1):
            for voter, code in mine:
                plan = expected[code] if round_number else plans[hash(code) % len(plans)]
                try:
                    elapsed = voter.cast(plan, buurt)
                    with lock:
                        latencies.append(elapsed)
                except Exception as error:
                    with lock:
                        errors.append(f"cast: {error!r}")

    shares = [signed_in[i::concurrency] for i in range(concurrency)]
    threads = [threading.Thread(target=cast_worker, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    go.set()
    for thread in threads:
        thread.join()
    cast_seconds = time.perf_counter() - started
    for voter, _code in signed_in:
        voter.connection.close()
    quantiles = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [0.0] * 99
    return {
        "posts": len(latencies),
        "cast_seconds": round(cast_seconds, 2),
        "ballots_per_second": round(len(latencies) / cast_seconds, 1) if cast_seconds else 0.0,
        "p50_ms": round(quantiles[49] * 1000, 1),
        "p95_ms": round(quantiles[94] * 1000, 1),
        "sign_in_seconds": round(sign_in_seconds, 2),
        "sign_ins_per_second": round(len(signed_in) / sign_in_seconds, 1) if sign_in_seconds else 0.0,
        "errors": errors[:5],
        "error_count": len(errors),
        "expected": expected,
    }


# --- Orchestration -------------------------------------------------------------------------------------------------


def pg_database(create: bool) -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        if create:
            connection.execute(f"CREATE DATABASE {PG_DB}")
    return f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{PG_DB}"


def bench_database(db: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    var_dir = workdir / db
    var_dir.mkdir()
    database_url = f"sqlite:///{var_dir / 'bench.sqlite3'}" if db == "sqlite" else pg_database(create=True)
    env = production_env(database_url=database_url, var_dir=var_dir, static_root=workdir / "static")
    try:
        print(f"[{db}] migrate, load_places, open a vote with {args.voters} codes", flush=True)
        run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], env, "migrate")
        run([sys.executable, "manage.py", "load_places"], env, "load_places")
        data = json.loads(run([sys.executable, __file__, "--setup", str(args.voters)], env, "setup"))
        port = free_port()
        log = var_dir / "gunicorn.log"
        with log.open("wb") as log_file:
            process = subprocess.Popen(
                runnable_gunicorn_command(port), cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT
            )
        try:
            wait_until_up(port, process, log)
            load_before = os.getloadavg()[0]
            measured = vote(port, data, args.concurrency)
            load_after = os.getloadavg()[0]
        finally:
            stop(process)
        expected = measured.pop("expected")
        check_file = var_dir / "expected.json"
        check_file.write_text(json.dumps(expected))
        checked = json.loads(run([sys.executable, __file__, "--verify", str(check_file)], env, "verify"))
        print(f"[{db}] {measured} {checked}", flush=True)
        return {"db": db, **measured, **checked, "load": [round(load_before, 2), round(load_after, 2)]}
    finally:
        if db == "postgres":
            pg_database(create=False)


def render(runs: list[dict[str, Any]], facts: dict[str, str], args: argparse.Namespace) -> str:
    names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    lines = [
        BEGIN_MARKER,
        "## Ballots per second under gunicorn",
        "",
        f"Written by `bench/ballots.py` on {facts['date']} (`python bench/ballots.py --db {args.db} --voters "
        f"{args.voters} --concurrency {args.concurrency}`), {facts['nproc']} cores ({facts['cpu']}), Python "
        f"{facts['python']}, Django {facts['django']}, gunicorn {facts['gunicorn']} with the command of "
        "docs/deploy.md, DEBUG off. The load generator runs on the same cores. Each voter first enters its vote code "
        f"(sign-in), then {args.concurrency} voters post their ballots at once, each voter twice (the second replaces "
        "the first). *Ballots/s* counts ballot posts (POST, `cast_ballot`, redirect) during that phase.",
        "",
        "| database | voters | ballot posts | ballots/s | p50 ms | p95 ms | sign-ins/s | stored | lost | doubled "
        "| not the last choice | errors | target ≥ 200/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in runs:
        target = ("met" if r["ballots_per_second"] >= TARGET else "missed") if r["db"] == "postgres" else "–"
        lines.append(
            f"| {names[r['db']]} | {r['voters']} | {r['posts']} | {r['ballots_per_second']} | {r['p50_ms']} | "
            f"{r['p95_ms']} | {r['sign_ins_per_second']} | {r['ballots']} | {r['lost']} | {r['doubled']} | "
            f"{r['not_the_last_choice']} | {r['error_count']} | {target} |"
        )
    loads = ", ".join(f"{names[r['db']]} {r['load']}" for r in runs)
    lines += ["", f"Load average before/after: {loads}.", END_MARKER]
    return "\n".join(lines)


def write_section(section: str) -> None:
    text = RESULTS_DOC.read_text(encoding="utf-8")
    if BEGIN_MARKER in text and END_MARKER in text:
        before, rest = text.split(BEGIN_MARKER, 1)
        _old, after = rest.split(END_MARKER, 1)
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS_DOC.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--voters", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--no-write", action="store_true", help="print the results, do not touch docs/benchmarks.md")
    parser.add_argument("--setup", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--verify", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        print(json.dumps(setup(args.setup)))
        return 0
    if args.verify:
        print(json.dumps(verify(json.loads(Path(args.verify).read_text()))))
        return 0
    facts = machine_facts()
    dbs = ["postgres", "sqlite"] if args.db == "both" else [args.db]
    with tempfile.TemporaryDirectory(prefix="samen030-ballots-") as tmp:
        workdir = Path(tmp)
        env = production_env(
            database_url=f"sqlite:///{workdir / 'unused.sqlite3'}", var_dir=workdir, static_root=workdir / "static"
        )
        run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], env, "collectstatic")
        runs = [bench_database(db, args, workdir) for db in dbs]
    section = render(runs, facts, args)
    print(section)
    if not args.no_write:
        write_section(section)
        print(f"Wrote {RESULTS_DOC.relative_to(ROOT)}")
    return 0 if all(r["lost"] == 0 and r["doubled"] == 0 and r["not_the_last_choice"] == 0 for r in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
