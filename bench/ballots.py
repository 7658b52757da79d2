"""Ballots cast per second through gunicorn with 32 concurrent voters, on PostgreSQL and on SQLite.

For each database this script creates a fresh database, migrates it, loads Utrecht's wijken and buurten, opens a
burgerbegroting for voting (knapsack ballot, 8 plans) with N personal vote codes, and starts gunicorn with the
command documented in docs/deploy.md and production settings (DEBUG off). Then the voters act, 32 at a time:

1. *sign-in*: each voter opens the code page and enters its code (its session now holds it);
2. *cast*: on one signal 32 connections post ballots as fast as the server answers, each for its share of the
   voters; every voter votes twice (the second ballot replaces the first, as when a voter changes their mind), so
   half the posts are updates. Each voter sends its own cookies, as a browser behind the reverse proxy would;
3. *baseline*: the same number of requests for /robots.txt (no database) over the same 32 connections.

The cast phase is what is measured: ballot posts per second (each a full POST-redirect through the ballot view and
`services.cast_ballot`), p50/p95 latency, and the ratio to the baseline's requests per second. Because the load
generator shares the machine's cores with gunicorn and the database, it is kept cheap (one asyncio loop, raw HTTP/1.1
with keep-alive, requests built as bytes) and its own CPU time is measured; so are gunicorn's (master and workers,
from /proc) and, on PostgreSQL, that of the database server processes serving the benchmark's database. CPU time per
ballot hardly depends on other work on the machine, so it lets a run on a busy machine be judged. Afterwards the
database is checked: exactly one ballot per code, each holding the voter's second choice, none lost and none doubled.
Target: at least 200 ballots per second on PostgreSQL. The results are written between the `ballots` markers in
docs/benchmarks.md.

    python bench/ballots.py [--db sqlite|postgres|both] [--voters N] [--concurrency 32]
                            [--workers N] [--threads N] [--worker-class sync|gthread]

`--workers`, `--threads` and `--worker-class` change the documented gunicorn command for an experiment; the results
then name the command that ran.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import (
    PG_ADMIN_URL,
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


# --- The voters: one asyncio loop, raw HTTP/1.1 ----------------------------------------------------------------


def parse_head(head: bytes) -> tuple[int, int, bool, bool, list[str]]:
    """A response's status line and headers: status, Content-Length, chunked?, Connection: close?, Set-Cookie values."""
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, chunked, closing, cookies = 0, False, False, []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.lower()
        if name == "content-length":
            length = int(value)
        elif name == "set-cookie":
            cookies.append(value.strip())
        elif name == "transfer-encoding":
            chunked = "chunked" in value.lower()
        elif name == "connection":
            closing = value.strip().lower() == "close"
    return status, length, chunked, closing, cookies


class Connection:
    """One keep-alive connection to gunicorn; reconnects when the server closed it (idle timeout, sync workers)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def exchange(self, request: bytes) -> tuple[int, list[str], bytes]:
        """Send one request; return the status, the Set-Cookie values and the body."""
        for attempt in (0, 1):
            if self.reader is None or self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            reader = self.reader
            try:
                self.writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                break
            except (ConnectionError, asyncio.IncompleteReadError):
                # the server closed an idle connection before reading the request: send it again on a new one
                self.close()
                if attempt:
                    raise
        status, length, chunked, closing, cookies = parse_head(head)
        if chunked:
            body = b""
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                body += (await reader.readexactly(size + 2))[:-2]
            await reader.readuntil(b"\r\n")
        else:
            body = await reader.readexactly(length)
        if closing:
            self.close()
        return status, cookies, body


class Voter:
    """One voter's browser state: its code, its cookies and its CSRF token."""

    def __init__(self, code: str, port: int) -> None:
        self.code = code
        self.port = port
        self.cookies: dict[str, str] = {}
        self.token = ""

    def request(self, method: str, path: str, form: dict[str, Any] | None = None) -> bytes:
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: 127.0.0.1:{self.port}",
            "X-Forwarded-Proto: https",  # the reverse proxy says the client used HTTPS
            "Accept: text/html",
            "Accept-Language: nl",
            f"Referer: https://127.0.0.1{path}",
        ]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        body = b""
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True).encode()
            lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + body

    def remember(self, set_cookies: list[str]) -> None:
        for value in set_cookies:
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]

    async def sign_in(self, connection: Connection) -> None:
        path = f"/burgerbegroting/{SLUG}/stemmen/code/"
        status, cookies, html = await connection.exchange(self.request("GET", path))
        assert status == 200, status
        self.remember(cookies)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert token is not None
        self.token = token.group(1).decode()
        status, cookies, _ = await connection.exchange(
            self.request("POST", path, {"csrfmiddlewaretoken": self.token, "code": self.code})
        )
        assert status == 302, f"code entry answered {status}"
        self.remember(cookies)

    async def cast(self, connection: Connection, plan: str, buurt: str) -> float:
        form = {"csrfmiddlewaretoken": self.token, "plan": [plan], "buurt": buurt, "age_confirmed": "on"}
        request = self.request("POST", f"/burgerbegroting/{SLUG}/stemmen/", form)
        begin = time.perf_counter()
        status, cookies, body = await connection.exchange(request)
        elapsed = time.perf_counter() - begin
        assert status == 302, f"ballot answered {status}: {body[:300]!r}"
        self.remember(cookies)  # the "your vote is stored" message, as a browser keeps it
        return elapsed


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds of each process (from /proc; processes that are gone are left out)."""
    tick = os.sysconf("SC_CLK_TCK")
    times = {}
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        times[pid] = (int(fields[11]) + int(fields[12])) / tick
    return times


def gunicorn_pids(master: int) -> list[int]:
    """The gunicorn master and its workers."""
    pids = [master]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rfind(")") + 2 :].split()[1]) == master:
                pids.append(int(entry.name))
    return pids


def postgres_pids(database: str) -> list[int]:
    """The PostgreSQL server processes connected to the benchmark's database (their title names it)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if title.startswith(b"postgres: ") and f" {database} ".encode() in title:
                pids.append(int(entry.name))
    return pids


class CpuMeter:
    """CPU seconds used between start() and stop() by the load generator (this process), gunicorn and PostgreSQL.

    A process that ends in between (a database connection older than DATABASE_CONN_MAX_AGE is closed after a request)
    takes its CPU time along, so the server processes are also sampled every second while measuring, and a process
    that is gone at the end counts with its last sample."""

    INTERVAL = 1.0

    def __init__(self, master: int, database: str | None) -> None:
        self.master, self.database = master, database
        self.task: asyncio.Task[None] | None = None

    def _processes(self) -> tuple[dict[int, float], dict[int, float]]:
        server = cpu_seconds(gunicorn_pids(self.master))
        db = cpu_seconds(postgres_pids(self.database)) if self.database else {}
        return server, db

    def _remember(self) -> None:
        server, db = self._processes()
        self.server_seen.update(server)
        self.db_seen.update(db)

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.INTERVAL)
            self._remember()

    def start(self) -> None:
        self.server_before, self.db_before = self._processes()
        self.server_seen, self.db_seen = dict(self.server_before), dict(self.db_before)
        self.client_before = time.process_time()
        self.task = asyncio.get_running_loop().create_task(self._watch())

    def stop(self) -> dict[str, float]:
        if self.task is not None:
            self.task.cancel()
        client = time.process_time() - self.client_before
        self._remember()
        return {
            "client": client,
            "server": sum(t - self.server_before.get(pid, 0.0) for pid, t in self.server_seen.items()),
            "database": sum(t - self.db_before.get(pid, 0.0) for pid, t in self.db_seen.items()),
        }


def quantile_ms(latencies: list[float], q: int) -> float:
    if len(latencies) < 2:
        return 0.0
    return round(statistics.quantiles(latencies, n=100, method="inclusive")[q - 1] * 1000, 1)


async def vote(port: int, data: dict[str, Any], concurrency: int, meter: CpuMeter) -> dict[str, Any]:
    plans: list[str] = data["plans"]
    buurt = str(data["buurt"])
    errors: list[str] = []

    # 1. sign-in: `concurrency` connections, each taking the next voter
    waiting = [Voter(code, port) for code in data["codes"]]
    signed_in: list[Voter] = []

    async def sign_in_worker() -> None:
        connection = Connection(port)
        while waiting:
            voter = waiting.pop()
            try:
                await voter.sign_in(connection)
                signed_in.append(voter)
            except Exception as error:  # report, do not die silently
                errors.append(f"sign-in: {error!r}")
                connection.close()
        connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(sign_in_worker() for _ in range(concurrency)))
    sign_in_seconds = time.perf_counter() - started

    # 2. cast: each voter twice, first a choice and then a different one; the second must be what is stored
    expected = {voter.code: plans[(number + 1) % len(plans)] for number, voter in enumerate(signed_in)}
    first = {voter.code: plans[number % len(plans)] for number, voter in enumerate(signed_in)}
    latencies: list[float] = []
    connections = [Connection(port) for _ in range(concurrency)]
    for connection in connections:  # connect before the clock starts
        connection.reader, connection.writer = await asyncio.open_connection("127.0.0.1", port)

    async def cast_worker(connection: Connection, mine: list[Voter]) -> None:
        for choices in (first, expected):
            for voter in mine:
                try:
                    latencies.append(await voter.cast(connection, choices[voter.code], buurt))
                except Exception as error:
                    errors.append(f"cast: {error!r}")
                    connection.close()

    meter.start()
    started = time.perf_counter()
    await asyncio.gather(
        *(cast_worker(connection, signed_in[i::concurrency]) for i, connection in enumerate(connections))
    )
    cast_seconds = time.perf_counter() - started
    cpu = meter.stop()

    # 3. baseline: as many requests for /robots.txt (no database), over the same connections
    robots = Voter("", port).request("GET", "/robots.txt")
    per_connection = max(1, len(latencies) // concurrency)

    async def baseline_worker(connection: Connection) -> None:
        for _ in range(per_connection):
            status, _cookies, _body = await connection.exchange(robots)
            assert status == 200, status

    meter.start()
    started = time.perf_counter()
    await asyncio.gather(*(baseline_worker(connection) for connection in connections))
    baseline_seconds = time.perf_counter() - started
    baseline_cpu = meter.stop()
    for connection in connections:
        connection.close()

    posts = len(latencies)
    ballots_per_second = posts / cast_seconds if cast_seconds else 0.0
    baseline_per_second = per_connection * concurrency / baseline_seconds if baseline_seconds else 0.0
    total_cpu = sum(cpu.values())
    return {
        "posts": posts,
        "cast_seconds": round(cast_seconds, 2),
        "ballots_per_second": round(ballots_per_second, 1),
        "p50_ms": quantile_ms(latencies, 50),
        "p95_ms": quantile_ms(latencies, 95),
        "baseline_per_second": round(baseline_per_second, 1),
        "ratio": round(ballots_per_second / baseline_per_second, 2) if baseline_per_second else 0.0,
        "sign_in_seconds": round(sign_in_seconds, 2),
        "sign_ins_per_second": round(len(signed_in) / sign_in_seconds, 1) if sign_in_seconds else 0.0,
        "cpu_ms_server": round(cpu["server"] / posts * 1000, 2) if posts else 0.0,
        "cpu_ms_database": round(cpu["database"] / posts * 1000, 2) if posts else 0.0,
        "cpu_ms_client": round(cpu["client"] / posts * 1000, 2) if posts else 0.0,
        "client_share": round(100 * cpu["client"] / total_cpu, 1) if total_cpu else 0.0,
        "cpu_ms_server_baseline": round(baseline_cpu["server"] / (per_connection * concurrency) * 1000, 2),
        "cpu_seconds": {k: round(v, 2) for k, v in cpu.items()},
        "errors": errors[:5],
        "error_count": len(errors),
        "expected": expected,
    }


def gunicorn_command(port: int, args: argparse.Namespace) -> list[str]:
    """The documented command, with --workers/--threads/--worker-class replaced when the run asks for it."""
    command = runnable_gunicorn_command(port)
    for option, value in (
        ("--workers", args.workers),
        ("--threads", args.threads),
        ("--worker-class", args.worker_class),
    ):
        if value is None:
            continue
        if option in command:
            command[command.index(option) + 1] = str(value)
        else:
            command += [option, str(value)]
    return command


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
        command = gunicorn_command(port, args)
        with log.open("wb") as log_file:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        try:
            wait_until_up(port, process, log)
            meter = CpuMeter(process.pid, PG_DB if db == "postgres" else None)
            load_before = os.getloadavg()[0]
            measured = asyncio.run(vote(port, data, args.concurrency, meter))
            load_after = os.getloadavg()[0]
        finally:
            stop(process)
        if measured["error_count"]:
            print(f"[{db}] errors; the end of gunicorn's log:\n{log.read_text()[-3000:]}", flush=True)
        expected = measured.pop("expected")
        check_file = var_dir / "expected.json"
        check_file.write_text(json.dumps(expected))
        checked = json.loads(run([sys.executable, __file__, "--verify", str(check_file)], env, "verify"))
        print(f"[{db}] {measured} {checked}", flush=True)
        shown = ["gunicorn", *command[3:]]  # without "python -m"
        shown[shown.index("--bind") + 1] = "127.0.0.1:8000"
        return {
            "db": db,
            **measured,
            **checked,
            "load": [round(load_before, 2), round(load_after, 2)],
            "command": shlex.join(shown),
        }
    finally:
        if db == "postgres":
            pg_database(create=False)


def render(runs: list[dict[str, Any]], facts: dict[str, str], args: argparse.Namespace) -> str:
    names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    commands = sorted({r["command"] for r in runs})
    documented = all(value is None for value in (args.workers, args.threads, args.worker_class))
    extra = "".join(
        f" --{name.replace('_', '-')} {value}"
        for name, value in (("workers", args.workers), ("threads", args.threads), ("worker_class", args.worker_class))
        if value is not None
    )
    lines = [
        BEGIN_MARKER,
        "## Ballots per second under gunicorn",
        "",
        f"Written by `bench/ballots.py` on {facts['date']} (`python bench/ballots.py --db {args.db} --voters "
        f"{args.voters} --concurrency {args.concurrency}{extra}`), {facts['nproc']} cores ({facts['cpu']}), Python "
        f"{facts['python']}, Django {facts['django']}, gunicorn {facts['gunicorn']} "
        + ("with the command of docs/deploy.md" if documented else "with a changed command")
        + f" (`{'`, `'.join(commands)}`), DEBUG off. Each voter first enters its vote code (sign-in), then "
        f"{args.concurrency} connections post ballots at once, each voter twice (the second replaces the first). "
        "*Ballots/s* counts ballot posts (POST, `cast_ballot`, redirect) during that phase; the baseline is "
        "`/robots.txt` (no database) over the same connections right after it, and the ratio is ballots/s divided by "
        "baseline requests/s. The load generator (one asyncio loop, raw HTTP/1.1 with keep-alive) runs on the same "
        "cores; *CPU ms per ballot* is the CPU time of gunicorn (master and workers), of the PostgreSQL processes "
        "serving the benchmark's database and of the load generator during the cast phase, divided by the ballot "
        "posts. It depends little on other work on the machine, unlike ballots/s.",
        "",
        "| database | voters | ballot posts | ballots/s | p50 ms | p95 ms | baseline req/s | ratio | sign-ins/s "
        "| stored | lost | doubled | not the last choice | errors | target ≥ 200/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in runs:
        target = ("met" if r["ballots_per_second"] >= TARGET else "missed") if r["db"] == "postgres" else "–"
        lines.append(
            f"| {names[r['db']]} | {r['voters']} | {r['posts']} | {r['ballots_per_second']} | {r['p50_ms']} | "
            f"{r['p95_ms']} | {r['baseline_per_second']} | {r['ratio']} | {r['sign_ins_per_second']} | "
            f"{r['ballots']} | {r['lost']} | {r['doubled']} | {r['not_the_last_choice']} | {r['error_count']} | "
            f"{target} |"
        )
    lines += [
        "",
        "| database | CPU ms per ballot: gunicorn | PostgreSQL | load generator | all | load generator's share "
        "| gunicorn CPU ms per baseline request | ballot ÷ baseline (gunicorn CPU) "
        "| ballots/s the two cores would allow at this CPU cost |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in runs:
        total = r["cpu_ms_server"] + r["cpu_ms_database"] + r["cpu_ms_client"]
        database = r["cpu_ms_database"] if r["db"] == "postgres" else "(in gunicorn)"
        ceiling = round(int(facts["nproc"]) * 1000 / total) if total else 0
        baseline = r["cpu_ms_server_baseline"]
        cpu_ratio = f"{r['cpu_ms_server'] / baseline:.1f}×" if baseline else "–"
        lines.append(
            f"| {names[r['db']]} | {r['cpu_ms_server']} | {database} | {r['cpu_ms_client']} | {total:.2f} | "
            f"{r['client_share']} % | {r['cpu_ms_server_baseline']} | {cpu_ratio} | {ceiling} |"
        )
    loads = ", ".join(f"{names[r['db']]} {r['load']}" for r in runs)
    lines += ["", f"Load average (1 min) before/after: {loads}.", END_MARKER]
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
    parser.add_argument("--workers", type=int, help="gunicorn --workers instead of the documented number")
    parser.add_argument("--threads", type=int, help="gunicorn --threads instead of the documented number")
    parser.add_argument("--worker-class", help="gunicorn --worker-class (sync, gthread) instead of the documented one")
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
