"""Search at /zoeken/ at city scale: 20,000 activities of 2,000 organisations, under gunicorn, on SQLite and on
PostgreSQL.

For each database this script creates a fresh database, migrates it, loads Utrecht's wijken and buurten (with
their boundaries, for "near a postcode"), bulk-creates 2,000 published organisations (as bench/pages.py does) and
20,000 activities and services with the demo generator (`activities/demo.py`, which also derives the search
columns), starts gunicorn with the command from docs/deploy.md and production settings, and measures requests
per second and p50/p95 latency with 16 concurrent keep-alive clients for `/robots.txt` (the baseline) and three
typical searches with filters, and the what's-on page of the buurt with the most activities.

Each database is filled once and measured twice: with the page cache for anonymous visitors off
(`PAGE_CACHE_SECONDS=0`: every request runs the search and renders the page, which is what the 150 ms target is
about) and on (60 s, as in production). `--no-page-cache` or `--page-cache` measures only one of the two.

    python bench/search.py [--db sqlite|postgres|both] [--requests N] [--no-page-cache|--page-cache] [--no-write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import pages  # the path above makes the repository importable when run as a script

RESULTS_DOC = ROOT / "docs" / "benchmarks.md"
BEGIN_MARKER, END_MARKER = "<!-- BEGIN search -->", "<!-- END search -->"
PG_BENCH_DB = "samen030_bench_search"
BOUNDARIES = Path(os.environ.get("SAMEN030_SHARED_DATA", "/work/shared/data")) / "utrecht/utrecht_buurten_2024.geojson"
P95_TARGET_MS = 150
CACHE_SECONDS = 60
RATIO_TARGET = 0.20
LOMBOK = "BU03440121"
SEARCHES = {
    "words and a wijk": "/zoeken/?q=taalcafe&wijk=WK034405",
    "words near a postcode, mornings": "/zoeken/?q=koffie&postcode=3531AB&dagdeel=ochtend",
    "filters only: theme, Tuesday, free, a month": "/zoeken/?thema=ontmoeting&dag=di&gratis=on&van={van}&tot={tot}",
}


def fill(organisations: int, activities: int) -> dict[str, Any]:
    import random

    import django

    django.setup()
    from django.db import connection, transaction

    from samen030.activities.demo import create_demo_activities
    from samen030.activities.models import Activity
    from samen030.organisations.models import Organisation
    from samen030.places.models import Buurt, Postcode
    from samen030.places.services import import_boundaries

    if BOUNDARIES.exists():
        import_boundaries(str(BOUNDARIES))
    rng = random.Random(30)
    buurten = list(Buurt.objects.order_by("code"))
    started = time.perf_counter()
    with transaction.atomic():
        Organisation.objects.bulk_create(pages.organisation_rows(Organisation, buurten, organisations, rng), 500)
        Postcode.objects.get_or_create(pc6="3531AB", defaults={"buurt_id": LOMBOK})
    created = create_demo_activities(count=activities, seed=2026)
    fill_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    today = dt.date.today()
    paths = {pages.BASELINE: "/robots.txt"}
    for label, path in SEARCHES.items():
        paths[label] = path.format(van=today.isoformat(), tot=(today + dt.timedelta(days=30)).isoformat())
    busiest = busiest_buurt()
    paths[f"what's on in the busiest buurt ({busiest})"] = f"/buurten/{busiest}/activiteiten/"
    return {
        "pages": paths,
        "profile": profile(paths),
        "rows": {"organisations": Organisation.objects.count(), "activities": Activity.objects.count()},
        "created": created,
        "fill_seconds": round(fill_seconds, 1),
    }


def busiest_buurt() -> str:
    """The code of the buurt that the most public activities take place in or serve."""
    from collections import Counter

    from samen030.activities.models import Activity

    public = Activity.objects.public()
    counts = Counter(public.exclude(location_buurt=None).values_list("location_buurt_id", flat=True))
    counts.update(Activity.buurten.through.objects.filter(activity__in=public).values_list("buurt_id", flat=True))
    return str(counts.most_common(1)[0][0])


def profile(paths: dict[str, str]) -> dict[str, Any]:
    """Queries, results and in-process time of each search through Django's test client (no network), with the
    page cache off: what one search costs, also when the server runs with the cache."""
    from django.test import Client
    from django.test.utils import override_settings

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="nl")
    with override_settings(PAGE_CACHE_SECONDS=0):
        return {label: profile_one(client, path) for label, path in paths.items()}


def profile_one(client: Any, path: str) -> dict[str, Any]:
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(path, secure=True)
    assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path, secure=True)
    captured = list(queries.captured_queries)
    timings = []
    for _repeat in range(15):
        begin = time.perf_counter()
        client.get(path, secure=True)
        timings.append(time.perf_counter() - begin)
    count = re.search(r"(\d+) resultaten?", response.content.decode()) if "/zoeken/" in path else None
    return {
        "queries": len(captured),
        "sql_ms": round(sum(float(query["time"]) for query in captured) * 1000, 1),
        "in_process_ms": round(statistics.median(timings) * 1000, 1),
        "results": int(count.group(1)) if count else None,
    }


def bench_database(db: str, args: argparse.Namespace, workdir: Path, static_root: Path) -> list[dict[str, Any]]:
    """Fill one database, then measure under gunicorn once per page-cache setting (the same data for each)."""
    var_dir = workdir / db
    var_dir.mkdir()
    server_version = sqlite3.sqlite_version
    if db == "sqlite":
        database_url = f"sqlite:///{var_dir / 'bench.sqlite3'}"
    else:
        database_url, server_version = pages.create_postgres_database().split("|")
    env = pages.production_env(database_url=database_url, var_dir=var_dir, static_root=static_root)
    runs = []
    try:
        print(f"[{db}] migrate, load_places, fill", flush=True)
        pages.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], env, "migrate")
        pages.run([sys.executable, "manage.py", "load_places"], env, "load_places")
        command = [sys.executable, __file__, "--fill", f"{args.organisations},{args.activities}"]
        filled = json.loads(pages.run(command, env, "filling the database").strip().splitlines()[-1])
        print(f"[{db}] rows: {filled['rows']} (filled in {filled['fill_seconds']} s)", flush=True)
        for cached in cache_settings(args):
            env["PAGE_CACHE_SECONDS"] = str(CACHE_SECONDS) if cached else "0"
            results, load = measure(db, args, env, var_dir, filled["pages"], cached=cached)
            runs.append(
                {
                    "database": db,
                    "server_version": server_version,
                    "page_cache": cached,
                    "rows": filled["rows"],
                    "results": rows_of(db, results, filled, cached=cached),
                    "load": load,
                }
            )
    finally:
        if db == "postgres":
            pages.drop_postgres_database()
    return runs


def cache_settings(args: argparse.Namespace) -> list[bool]:
    if args.page_cache:
        return [True]
    if args.no_page_cache:
        return [False]
    return [False, True]


def measure(
    db: str, args: argparse.Namespace, env: dict[str, str], var_dir: Path, paths: dict[str, str], *, cached: bool
) -> tuple[dict[str, Any], list[float]]:
    """Start gunicorn, warm up every path, then measure them in interleaved rounds; returns the measurements and
    the load average (1 min) before and after."""
    tag = f"[{db}, page cache {'on' if cached else 'off'}]"
    port = pages.free_port()
    log = var_dir / f"gunicorn-{'cache' if cached else 'nocache'}.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            pages.runnable_gunicorn_command(port), cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    try:
        pages.wait_until_up(port, process, log)
        for path in paths.values():
            warm = pages.hammer(port, path, args.warmup, args.concurrency)
            if warm.failures:
                raise SystemExit(f"{tag} warm-up of {path} failed: {warm.failures}\n{log.read_text()[-3000:]}")
        results = {label: pages.Measurement() for label in paths}
        load_before = os.getloadavg()[0]
        per_round = max(1, args.requests // args.rounds)
        for round_number in range(args.rounds):
            for label, path in paths.items():
                results[label].add(pages.hammer(port, path, per_round, args.concurrency))
            print(f"{tag} round {round_number + 1}/{args.rounds} done", flush=True)
        load_after = os.getloadavg()[0]
    finally:
        pages.stop(process)
    return results, [round(load_before, 2), round(load_after, 2)]


def rows_of(db: str, results: dict[str, Any], filled: dict[str, Any], *, cached: bool) -> list[dict[str, Any]]:
    baseline = results[pages.BASELINE].throughput
    rows = []
    for label, path in filled["pages"].items():
        measured = results[label]
        if measured.failures:
            raise SystemExit(f"[{db}] {path}: not every response was 200: {measured.failures}")
        row = {
            "search": label,
            "path": path,
            "requests": measured.requests,
            "rps": round(measured.throughput, 1),
            "p50_ms": round(measured.percentile(50), 1),
            "p95_ms": round(measured.percentile(95), 1),
            "ratio": round(measured.throughput / baseline, 3),
            **filled["profile"][label],
        }
        rows.append(row)
        print(
            f"[{db}, cache {'on' if cached else 'off'}] {label:45} {row['rps']:7.1f} req/s  p50 {row['p50_ms']:6.1f} "
            f"ms  p95 {row['p95_ms']:6.1f} ms  ratio {row['ratio']:.2f}  queries {row['queries']}  "
            f"in-process {row['in_process_ms']} ms",
            flush=True,
        )
    return rows


def render_section(runs: list[dict[str, Any]], facts: dict[str, str], args: argparse.Namespace) -> str:
    names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    cache = {
        (True, False): f"on ({CACHE_SECONDS} s) only",
        (False, True): "off only (`PAGE_CACHE_SECONDS=0`: every request runs the search)",
    }.get(
        (args.page_cache, args.no_page_cache),
        f"each database is measured twice on the same data: with it off (`PAGE_CACHE_SECONDS=0`: every request "
        f"runs the search and renders the page) and on ({CACHE_SECONDS} s)",
    )
    flag = " --page-cache" if args.page_cache else " --no-page-cache" if args.no_page_cache else ""
    reproduce = (
        f"python bench/search.py --db {args.db} --requests {args.requests} --concurrency {args.concurrency} "
        f"--rounds {args.rounds} --warmup {args.warmup}{flag}"
    )
    lines = [
        BEGIN_MARKER,
        "## Search under gunicorn",
        "",
        f"Written by `bench/search.py` on {facts['date']}. Each database is created fresh with "
        f"{args.organisations:,} published organisations (as in `bench/pages.py`) and {args.activities:,} "
        "activities and services from the demo generator, whose search columns are derived as the services do. "
        f"gunicorn as in the page benchmark: `{shlex.join(pages.documented_gunicorn_command())}`. "
        f"{args.concurrency} keep-alive clients on the same {facts['nproc']} cores, {args.requests:,} requests "
        f"per path in {args.rounds} interleaved rounds. Page cache: {cache}. Targets: p95 under "
        f"{P95_TARGET_MS} ms and at least {RATIO_TARGET:.0%} of the baseline's throughput. Queries, SQL ms and "
        "in-process ms (median of 15) from Django's test client in the same database, without concurrency and "
        "without the page cache.",
        "",
    ]
    for result in runs:
        lines += [
            f"### {names[result['database']]} {result['server_version']}, page cache "
            f"{'on' if result['page_cache'] else 'off'}",
            "",
            f"{result['rows']['organisations']:,} organisations, {result['rows']['activities']:,} activities. "
            f"Load average (1 min) at start and end: {result['load'][0]:.1f} and {result['load'][1]:.1f}.",
            "",
            "| Page | Path | Results | req/s | p50 ms | p95 ms | p95 < 150 ms | Ratio | Queries | SQL ms | "
            "In-process ms |",
            "|---|---|--:|--:|--:|--:|---|--:|--:|--:|--:|",
        ]
        for row in result["results"]:
            baseline = row["search"] == pages.BASELINE
            meets = "" if baseline else ("yes" if row["p95_ms"] < P95_TARGET_MS else "**no**")
            lines.append(
                f"| {row['search']} | `{row['path']}` | {row['results'] if row['results'] is not None else ''} | "
                f"{row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | {meets} | {row['ratio']:.0%} | "
                f"{row['queries']} | {row['sql_ms']:.0f} | {row['in_process_ms']:.1f} |"
            )
        lines.append("")
    lines += [
        f"Machine: {facts['cpu']}, `nproc` = {facts['nproc']}, {facts['os']}, Python {facts['python']}, "
        f"Django {facts['django']}. The machine is shared with other jobs; see the load averages.",
        "",
        "```sh",
        reproduce,
        "```",
        END_MARKER,
    ]
    return "\n".join(lines)


def write_section(section: str) -> None:
    text = RESULTS_DOC.read_text(encoding="utf-8")
    if BEGIN_MARKER in text and END_MARKER in text:
        before, rest = text.split(BEGIN_MARKER, 1)
        text = before + section + rest.split(END_MARKER, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS_DOC.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=600, help="measured requests per path (default 600)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--organisations", type=int, default=2000)
    parser.add_argument("--activities", type=int, default=20000)
    cache = parser.add_mutually_exclusive_group()
    cache.add_argument("--page-cache", action="store_true", help="only measure with the visitors' page cache on")
    cache.add_argument("--no-page-cache", action="store_true", help="only measure with the page cache off")
    parser.add_argument("--no-write", action="store_true", help="print the results; leave docs/ alone")
    parser.add_argument("--fill", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fill is not None:
        organisations, activities = (int(part) for part in args.fill.split(","))
        print(json.dumps(fill(organisations, activities)))
        return 0
    pages.PG_BENCH_DB = PG_BENCH_DB  # do not collide with a page benchmark running at the same time
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    facts = pages.machine_facts()
    with tempfile.TemporaryDirectory(prefix="samen030-bench-search-") as tmp:
        workdir = Path(tmp)
        static_root = workdir / "static"
        env = pages.production_env(
            database_url=f"sqlite:///{workdir / 'unused.sqlite3'}", var_dir=workdir, static_root=static_root
        )
        pages.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], env, "collectstatic")
        runs = [run for db in databases for run in bench_database(db, args, workdir, static_root)]
    pages.RESULTS_DIR.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    (pages.RESULTS_DIR / f"search-{stamp}.json").write_text(json.dumps({"facts": facts, "runs": runs}, indent=2))
    section = render_section(runs, facts, args)
    if args.no_write:
        print(section)
    else:
        write_section(section)
        print(f"Wrote {RESULTS_DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
