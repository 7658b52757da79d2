"""Throughput and latency of the public pages at city scale, under gunicorn, on SQLite and on PostgreSQL.

For each database this script creates a fresh database, migrates it, loads Utrecht's wijken and buurten,
fills it with 2,000 published member organisations spread over all 111 buurten, starts gunicorn with the
command documented in docs/deploy.md and production settings (DEBUG off), and then measures requests per
second and p50/p95 latency with 16 concurrent keep-alive clients for:

- /robots.txt, a trivial Django view without database access: the baseline;
- /leden/ (the member overview) unfiltered and filtered by wijk;
- an organisation page and a buurt page.

Each page's throughput is also given as a ratio to the baseline measured on the same server in the same run;
the target is at least 30 %. The results are written between the `pages` markers in docs/benchmarks.md.

    python bench/pages.py [--db sqlite|postgres|both] [--requests N] [--concurrency 16]

The load generator runs on the same machine (and cores) as the server and talks over loopback only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import re
import secrets
import shlex
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEPLOY_DOC = ROOT / "docs" / "deploy.md"
RESULTS_DOC = ROOT / "docs" / "benchmarks.md"
RESULTS_DIR = ROOT / "bench" / "results"
BEGIN_MARKER, END_MARKER = "<!-- BEGIN pages -->", "<!-- END pages -->"
COMMAND_MARKER = "<!-- gunicorn-command"
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = "samen030_bench"
FILTER_WIJK = "WK034405"
TARGET_RATIO = 0.30
BASELINE = "baseline"
# Sent with every request: the reverse proxy in front of gunicorn says the client used HTTPS.
REQUEST_HEADERS = {"X-Forwarded-Proto": "https", "Accept": "text/html", "Accept-Language": "nl"}


# --- The documented gunicorn command ---------------------------------------------------------------------------


def documented_gunicorn_command(doc: Path = DEPLOY_DOC) -> list[str]:
    """The gunicorn command from the fenced code block right after the `<!-- gunicorn-command` comment in
    docs/deploy.md, split into arguments. The benchmark and tests/test_deploy.py both run exactly this."""
    text = doc.read_text(encoding="utf-8")
    start = text.find(COMMAND_MARKER)
    if start < 0:
        raise ValueError(f"{doc} has no {COMMAND_MARKER} comment")
    match = re.search(r"```[a-z]*\n(.*?)```", text[start:], re.DOTALL)
    if match is None:
        raise ValueError(f"{doc}: no fenced code block after {COMMAND_MARKER}")
    command = shlex.split(match.group(1).replace("\\\n", " "), comments=True)
    if not command or command[0] != "gunicorn":
        raise ValueError(f"{doc}: the documented command should start with gunicorn, not {command[:1]}")
    return command


def runnable_gunicorn_command(port: int, doc: Path = DEPLOY_DOC) -> list[str]:
    """The documented command with this interpreter's gunicorn and the bind address moved to 127.0.0.1:port."""
    command = documented_gunicorn_command(doc)
    args = command[1:]
    for index, arg in enumerate(args):
        if arg in ("--bind", "-b"):
            args[index + 1] = f"127.0.0.1:{port}"
            break
        if arg.startswith("--bind="):
            args[index] = f"--bind=127.0.0.1:{port}"
            break
    else:
        raise ValueError("the documented gunicorn command has no --bind")
    return [sys.executable, "-m", "gunicorn", *args]


def gunicorn_option(name: str, doc: Path = DEPLOY_DOC) -> str | None:
    args = documented_gunicorn_command(doc)
    for index, arg in enumerate(args):
        if arg == name and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def production_env(*, database_url: str, var_dir: Path, static_root: Path) -> dict[str, str]:
    """Environment for manage.py and gunicorn: production settings (DEBUG off), loopback host only."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SAMEN030_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="samen030.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        CSRF_TRUSTED_ORIGINS="https://127.0.0.1",
        SITE_URL="https://127.0.0.1",
        DATABASE_URL=database_url,
        SAMEN030_VAR_DIR=str(var_dir),
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(var_dir / "media"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


# --- Filling the database (runs in a child process with the database's environment) ---------------------------

DESCRIPTION = (
    "Wij zijn een groep bewoners die zich inzet voor een prettige, groene en veilige buurt. We organiseren "
    "burendagen, een repaircafé, taalmaatjes en een moestuin, en we denken mee met de gemeente over plannen "
    "voor de openbare ruimte. Iedereen is welkom: kom langs op onze inloopochtend of mail ons. "
)
NAME_PREFIXES = ["Bewonersgroep", "Buurtinitiatief", "Stichting Buurtleven", "Vereniging", "Buurthuis", "Moestuin"]


def organisation_rows(model: Any, buurten: list[Any], organisations: int, rng: Any) -> list[Any]:
    """Unsaved published organisations, their addresses spread evenly over all buurten."""
    kinds = [choice for choice, _label in model.Kind.choices]
    legal_forms = ["vereniging", "stichting", "informeel", "cooperatie", "eenmanszaak"]
    rows = []
    for number in range(organisations):
        home = buurten[number % len(buurten)]  # every buurt gets about the same number of organisations
        rows.append(
            model(
                slug=f"bench-organisatie-{number:04d}",
                name=f"{rng.choice(NAME_PREFIXES)} {home.name} {number}",
                kind=rng.choice(kinds),
                description=DESCRIPTION * rng.randint(1, 3),
                website=f"https://organisatie{number}.example.nl",
                email=f"info@organisatie{number}.example.nl",
                phone="030 123 45 67",
                legal_form=rng.choice(legal_forms),
                street="Kanaalstraat",
                house_number=str(rng.randint(1, 300)),
                postcode=f"35{rng.randint(10, 99)}AB",
                visiting_buurt=home,
                citywide=number % 25 == 0,
                is_published=True,
            )
        )
    return rows


def fill(organisations: int) -> dict[str, Any]:
    """Bulk-create published organisations over all buurten, each with a current membership; return the pages
    to measure and a query profile of each (count, SQL time and total time, in-process)."""
    import random

    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from samen030.memberships.models import Membership
    from samen030.memberships.queries import member_organisations
    from samen030.organisations.models import Organisation
    from samen030.places.models import Buurt, Wijk

    rng = random.Random(30)
    buurten = list(Buurt.objects.order_by("code"))
    wijken = list(Wijk.objects.order_by("code"))
    by_wijk: dict[str, list[Buurt]] = {}
    for buurt in buurten:
        by_wijk.setdefault(buurt.wijk_id, []).append(buurt)
    today = timezone.localdate()

    started = time.perf_counter()
    with transaction.atomic():
        rows = organisation_rows(Organisation, buurten, organisations, rng)
        Organisation.objects.bulk_create(rows, batch_size=500)
        created = list(Organisation.objects.filter(slug__startswith="bench-organisatie-").order_by("slug"))

        buurt_links, wijk_links, memberships = [], [], []
        through_buurt, through_wijk = Organisation.buurten.through, Organisation.wijken.through
        for number, organisation in enumerate(created):
            home = organisation.visiting_buurt
            assert home is not None
            if not organisation.citywide:
                neighbours = by_wijk[home.wijk_id]
                chosen = {home.code: home}
                for extra in rng.sample(neighbours, k=min(len(neighbours), rng.choice([0, 0, 1, 2, 3, 5]))):
                    chosen[extra.code] = extra
                if number % 13 == 0:  # a few work in a buurt elsewhere in the city too
                    other = rng.choice(buurten)
                    chosen[other.code] = other
                buurt_links += [through_buurt(organisation_id=organisation.pk, buurt_id=code) for code in chosen]
                if number % 10 == 0:  # one in ten works in one or two whole wijken
                    for wijk in rng.sample(wijken, k=rng.choice([1, 1, 2])):
                        wijk_links.append(through_wijk(organisation_id=organisation.pk, wijk_id=wijk.code))
            start = today - dt.timedelta(days=rng.randint(1, 3 * 365))
            kind = "stemlid" if rng.random() < 0.65 else "steunlid"
            if number % 7 == 0:  # some changed type: an ended period before the current one
                earlier = "steunlid" if kind == "stemlid" else "stemlid"
                memberships.append(
                    Membership(
                        organisation=organisation,
                        type=earlier,
                        start_date=start - dt.timedelta(days=400),
                        end_date=start,
                        end_reason="Overgestapt naar een ander soort lidmaatschap.",
                    )
                )
            memberships.append(Membership(organisation=organisation, type=kind, start_date=start))
        through_buurt.objects.bulk_create(buurt_links, batch_size=1000)
        through_wijk.objects.bulk_create(wijk_links, batch_size=1000)
        Membership.objects.bulk_create(memberships, batch_size=1000)
    fill_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    pages, profile, busiest = profile_pages(created, buurten)
    members = member_organisations()
    return {
        "pages": pages,
        "profile": profile,
        "rows": {
            "organisations": Organisation.objects.count(),
            "members": members.count(),
            "buurt_links": through_buurt.objects.count(),
            "wijk_links": through_wijk.objects.count(),
            "memberships": Membership.objects.count(),
            "members_in_measured_buurt": members.active_in_buurt(busiest).count(),
        },
        "fill_seconds": round(fill_seconds, 2),
        "database": connection.vendor,
    }


def profile_pages(created: list[Any], buurten: list[Any]) -> tuple[dict[str, str], dict[str, Any], Any]:
    """Pick the pages (a typical organisation, the busiest buurt) and count each one's queries in-process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from samen030.memberships.queries import member_organisations

    # The pages: a typical organisation (several buurten and a whole wijk) and the busiest buurt.
    members = member_organisations()
    organisation = next(org for org in created if org.buurten.count() >= 3 and org.wijken.exists())
    busiest = max(buurten, key=lambda buurt: members.active_in_buurt(buurt).count())
    pages = {
        BASELINE: "/robots.txt",
        "member overview": "/leden/",
        "member overview, one wijk": f"/leden/?wijk={FILTER_WIJK}",
        "organisation page": organisation.get_absolute_url(),
        "buurt page": busiest.get_absolute_url(),
    }

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="nl")
    profile = {}
    for label, path in pages.items():
        response = client.get(path, secure=True)
        assert response.status_code == 200, (path, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(path, secure=True)
        captured = list(queries.captured_queries)  # read now: the next request clears the connection's log
        timings, cpu_times = [], []
        for _repeat in range(15):
            begin, begin_cpu = time.perf_counter(), time.process_time()
            client.get(path, secure=True)
            timings.append(time.perf_counter() - begin)
            cpu_times.append(time.process_time() - begin_cpu)
        profile[label] = {
            "queries": len(captured),
            "sql_ms": round(sum(float(query["time"]) for query in captured) * 1000, 2),
            "in_process_ms": round(statistics.median(timings) * 1000, 2),
            # CPU time of this process (Python, templates and, for SQLite, the queries): unlike wall-clock
            # time it changes less when other programs keep the machine busy.
            "cpu_ms": round(statistics.median(cpu_times) * 1000, 2),
            "bytes": len(response.content),
        }
    return pages, profile, busiest


# --- The load generator ---------------------------------------------------------------------------------------


@dataclass
class Measurement:
    requests: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    reconnects: int = 0

    def add(self, other: Measurement) -> None:
        self.requests += other.requests
        self.seconds += other.seconds
        self.latencies += other.latencies
        self.reconnects += other.reconnects
        for key, count in other.failures.items():
            self.failures[key] = self.failures.get(key, 0) + count

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, pct: int) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[pct - 1] * 1000


def hammer(port: int, path: str, total: int, concurrency: int) -> Measurement:
    """`total` GET requests for `path`, `concurrency` at a time, each client thread on its own keep-alive
    connection. Returns the wall-clock time from the first request to the last response."""
    lock = threading.Lock()
    issued = 0
    result = Measurement()
    ready = threading.Barrier(concurrency + 1)

    def client() -> None:
        nonlocal issued
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.connect()
        latencies: list[float] = []
        failures: dict[str, int] = {}
        reconnects = 0
        ready.wait()
        while True:
            with lock:
                if issued >= total:
                    break
                issued += 1
            begin = time.perf_counter()
            for attempt in (1, 2):
                try:
                    connection.request("GET", path, headers=REQUEST_HEADERS)
                    response = connection.getresponse()
                    response.read()
                    status = str(response.status)
                    break
                except (http.client.HTTPException, OSError) as error:
                    # The server may close an idle keep-alive connection; reconnect once, then count a failure.
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    reconnects += 1
                    status = type(error).__name__
                    if attempt == 2:
                        break
            latencies.append(time.perf_counter() - begin)
            if status != "200":
                failures[status] = failures.get(status, 0) + 1
        connection.close()
        with lock:
            result.latencies.extend(latencies)
            result.reconnects += reconnects
            for key, count in failures.items():
                result.failures[key] = result.failures.get(key, 0) + count

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    result.requests = len(result.latencies)
    return result


# --- One database: prepare, serve, measure --------------------------------------------------------------------


def run(command: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{what} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def create_postgres_database() -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {PG_BENCH_DB}")
        version = connection.execute("SHOW server_version").fetchone()
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{PG_BENCH_DB}|{version[0] if version else '?'}"


def drop_postgres_database() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")


def wait_until_up(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz", headers=REQUEST_HEADERS)
            if connection.getresponse().status == 200:
                connection.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer /healthz within 60 s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def bench_database(db: str, args: argparse.Namespace, workdir: Path, static_root: Path) -> dict[str, Any]:
    var_dir = workdir / db
    var_dir.mkdir()
    server_version = sqlite3.sqlite_version
    if db == "sqlite":
        database_url = f"sqlite:///{var_dir / 'bench.sqlite3'}"
    else:
        database_url, server_version = create_postgres_database().split("|")
    env = production_env(database_url=database_url, var_dir=var_dir, static_root=static_root)
    try:
        print(f"[{db}] migrate, load_places, fill {args.organisations} organisations", flush=True)
        run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], env, "migrate")
        run([sys.executable, "manage.py", "load_places"], env, "load_places")
        filled = json.loads(
            run([sys.executable, __file__, "--fill", str(args.organisations)], env, "filling the database")
        )
        print(f"[{db}] rows: {filled['rows']} (filled in {filled['fill_seconds']} s)", flush=True)

        port = free_port()
        command = runnable_gunicorn_command(port)
        log = var_dir / "gunicorn.log"
        with log.open("wb") as log_file:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        try:
            wait_until_up(port, process, log)
            pages: dict[str, str] = filled["pages"]
            for path in pages.values():
                warm = hammer(port, path, args.warmup, args.concurrency)
                if warm.failures:
                    raise SystemExit(f"[{db}] warm-up of {path} failed: {warm.failures}\n{log.read_text()[-3000:]}")
            results = {label: Measurement() for label in pages}
            load_before = os.getloadavg()[0]
            per_round = max(1, args.requests // args.rounds)
            for round_number in range(args.rounds):
                # Rounds interleave the pages so that a slow drift of the machine affects all pages alike.
                for label, path in pages.items():
                    results[label].add(hammer(port, path, per_round, args.concurrency))
                print(f"[{db}] round {round_number + 1}/{args.rounds} done", flush=True)
            load_after = os.getloadavg()[0]
        finally:
            stop(process)
    finally:
        if db == "postgres":
            drop_postgres_database()

    baseline = results[BASELINE].throughput
    rows = []
    for label, path in filled["pages"].items():
        measured = results[label]
        if measured.failures:
            raise SystemExit(f"[{db}] {path}: not every response was 200: {measured.failures}")
        ratio = measured.throughput / baseline
        rows.append(
            {
                "page": label,
                "path": path,
                "requests": measured.requests,
                "rps": round(measured.throughput, 1),
                "p50_ms": round(measured.percentile(50), 1),
                "p95_ms": round(measured.percentile(95), 1),
                "ratio": round(ratio, 3),
                "meets_target": label == BASELINE or ratio >= TARGET_RATIO,
                "reconnects": measured.reconnects,
                **filled["profile"][label],
            }
        )
        print(
            f"[{db}] {label:28} {measured.throughput:8.1f} req/s  p50 {measured.percentile(50):6.1f} ms  "
            f"p95 {measured.percentile(95):6.1f} ms  ratio {ratio:.2f}  queries {filled['profile'][label]['queries']}",
            flush=True,
        )
    return {
        "database": db,
        "server_version": server_version,
        "rows": filled["rows"],
        "results": rows,
        "load": [round(load_before, 2), round(load_after, 2)],
    }


# --- Reporting ------------------------------------------------------------------------------------------------


def machine_facts() -> dict[str, str]:
    import django
    import gunicorn

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    return {
        "nproc": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "os": f"{platform.system()} {platform.release()}",
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def render_section(runs: list[dict[str, Any]], facts: dict[str, str], args: argparse.Namespace) -> str:
    names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    reproduce = (
        f"python bench/pages.py --db {args.db} --requests {args.requests} --concurrency {args.concurrency} "
        f"--rounds {args.rounds} --warmup {args.warmup} --organisations {args.organisations}"
    )
    command = shlex.join(documented_gunicorn_command())
    lines = [
        BEGIN_MARKER,
        "## Page throughput under gunicorn",
        "",
        f"Written by `bench/pages.py` on {facts['date']}. Each database is created fresh and filled with "
        f"{args.organisations:,} published member organisations spread over all 111 buurten (each in one to "
        "seven buurten, one in ten also in one or two whole wijken, one in 25 citywide; every one with a "
        "current membership, one in seven also with an ended earlier one). gunicorn runs with production "
        "settings (`DEBUG=false`, whitenoise's manifest storage, requests marked `X-Forwarded-Proto: https`) "
        f"and the command from [deploy.md](deploy.md): `{command}` (bound to a free loopback port).",
        "",
        f"{args.concurrency} client threads, each on its own keep-alive HTTP connection, send "
        f"{args.requests:,} requests per page after {args.warmup} warm-up requests per page, in {args.rounds} "
        "rounds that interleave the pages. **The load generator runs on the same "
        f"{facts['nproc']} cores as gunicorn and the database**, so it takes CPU time away from the server; the "
        "ratio to the baseline (`/robots.txt`, a Django view without database access, served by the same "
        "server in the same run) is the number to compare between machines. Target: every page at least "
        f"{TARGET_RATIO:.0%} of the baseline's throughput.",
        "",
        "Queries and SQL ms (1 ms resolution) come from one request through Django's test client in the "
        "filled database; in-process ms (wall clock) and CPU ms (this process's CPU time: Python, templates "
        "and, for SQLite, the queries) are medians of 15 such requests, without network or concurrency.",
        "",
        "Anonymous visitors get public pages from the page cache (`samen030/core/page_cache.py`, "
        "`PAGE_CACHE_SECONDS`, 60 s by default), as in production: after the first request per page and "
        "language the server sends the stored page, so these numbers (and the in-process columns, which also "
        "run as an anonymous visitor) measure cached responses. What rendering a page costs without the cache"
        " is in the findings below the table.",
        "",
    ]
    for result in runs:
        rows = result["rows"]
        lines += [
            f"### {names[result['database']]} {result['server_version']}",
            "",
            f"{rows['organisations']:,} organisations ({rows['members']:,} members), {rows['buurt_links']:,} "
            f"organisation-buurt links, {rows['wijk_links']:,} organisation-wijk links, "
            f"{rows['memberships']:,} membership periods; the buurt page shows "
            f"{rows['members_in_measured_buurt']} members (the busiest buurt). Load average (1 min) when the "
            f"measurement started and ended: {result['load'][0]:.1f} and {result['load'][1]:.1f}.",
            "",
            "| Page | Path | req/s | p50 ms | p95 ms | Ratio to baseline | ≥ 30 % target | Queries | SQL ms | "
            "In-process ms | CPU ms |",
            "|---|---|--:|--:|--:|--:|---|--:|--:|--:|--:|",
        ]
        for row in result["results"]:
            target = "(baseline)" if row["page"] == BASELINE else ("yes" if row["meets_target"] else "**no**")
            lines.append(
                f"| {row['page']} | `{row['path']}` | {row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | "
                f"{row['ratio']:.0%} | {target} | {row['queries']} | {row['sql_ms']:.0f} | "
                f"{row['in_process_ms']:.1f} | {row['cpu_ms']:.1f} |"
            )
        lines.append("")
    lines += [
        "Machine:",
        "",
        f"- CPU: {facts['cpu']}, `nproc` = {facts['nproc']} (shared by gunicorn, the database and the load generator)",
        f"- {facts['os']}, Python {facts['python']}, Django {facts['django']}, gunicorn {facts['gunicorn']}",
        f"- gunicorn: `{command}`",
        "- The machine is shared: other jobs (test suites, other benchmarks) may run at the same time, which "
        "lowers the absolute numbers; see the load averages above. The baseline and the pages are measured in "
        "interleaved rounds, so such load affects them alike and the ratios stay comparable.",
        "",
        "Reproduce (from the repository root, with the development environment installed and PostgreSQL on "
        "127.0.0.1:5432 for `--db postgres` or `both`; it creates and drops the database "
        f"`{PG_BENCH_DB}`):",
        "",
        "```sh",
        reproduce,
        "```",
        END_MARKER,
    ]
    return "\n".join(lines)


def write_section(section: str, path: Path = RESULTS_DOC) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if BEGIN_MARKER in text and END_MARKER in text:
        before, rest = text.split(BEGIN_MARKER, 1)
        after = rest.split(END_MARKER, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=1200, help="measured requests per page (default 1200)")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--warmup", type=int, default=200, help="warm-up requests per page (default 200)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds over the pages (default 3)")
    parser.add_argument("--organisations", type=int, default=2000)
    parser.add_argument("--no-write", action="store_true", help="print the results; leave docs/ alone")
    parser.add_argument("--fill", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fill is not None:  # the child process that fills one database
        print(json.dumps(fill(args.fill)))
        return 0

    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    facts = machine_facts()
    with tempfile.TemporaryDirectory(prefix="samen030-bench-") as tmp:
        workdir = Path(tmp)
        static_root = workdir / "static"
        print("collectstatic", flush=True)
        unused_db = f"sqlite:///{workdir / 'unused.sqlite3'}"
        env = production_env(database_url=unused_db, var_dir=workdir, static_root=static_root)
        run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], env, "collectstatic")
        runs = [bench_database(db, args, workdir, static_root) for db in databases]
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS_DIR / f"pages-{stamp}.json").write_text(json.dumps({"facts": facts, "runs": runs}, indent=2))
    section = render_section(runs, facts, args)
    if args.no_write:
        print(section)
    else:
        write_section(section)
        print(f"Wrote {RESULTS_DOC.relative_to(ROOT)}")
    missed = [f"{run['database']}: {row['page']}" for run in runs for row in run["results"] if not row["meets_target"]]
    if missed:
        print("Below the 30 % target: " + ", ".join(missed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
