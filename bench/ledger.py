"""The funds' transparency page and balance queries with a million ledger entries, on SQLite and PostgreSQL.

For each database this script creates a fresh database, migrates it, loads Utrecht's wijken and buurten, and fills
one fund with ENTRIES ledger entries (half as many balanced transactions: income and payouts to 200 project
accounts), written with bulk inserts. Then, in the same process, it measures p50/p95 latency of:

- /robots.txt, a trivial Django view without database access: the baseline;
- the public transparency page /fondsen/<slug>/ (totals, this year's budget, the first 50 bookings), uncached;
- the same page 9,990 pages deep, reached the way a visitor gets there: through the "Older bookings" cursor
  (`?voor=<date>_<id>`, keyset pagination), so it should cost the same as the first page;
- the CSV export is left out (it streams every booking, which is a download, not a page);
- the balance as stored (`free_balances`, what the pages use) and the balance recomputed from every entry of the
  bank account (what `check_ledger` does).

Pages go through Django's test client (the whole middleware and template stack, no HTTP server). Each figure is also
given as a ratio to the baseline of the same run. The target is p95 under 200 ms. The results are written between
the `ledger` markers in docs/benchmarks.md.

    python bench/ledger.py [--db sqlite|postgres|both] [--entries 1000000] [--requests 100]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DOC = ROOT / "docs" / "benchmarks.md"
BEGIN_MARKER, END_MARKER = "<!-- BEGIN ledger -->", "<!-- END ledger -->"
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = "samen030_bench_ledger"
TARGET_MS = 200
BATCH = 5_000
DEEP_PAGES = 9_990


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(call: Any, repeats: int) -> dict[str, float]:
    call()  # warm up caches and connections
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return {"p50": statistics.median(times), "p95": percentile(times, 0.95)}


def fill(entries: int) -> Any:
    """One fund with `entries` entries; returns the fund."""
    import datetime as dt

    from django.db.models import Sum

    from samen030.funds import services
    from samen030.funds.models import Account, Entry, Fund, Transaction
    from samen030.places.models import Buurt

    fund = Fund.objects.create(slug="groot-fonds", name="Groot fonds", kind=Fund.Kind.STADSFONDS)
    bank = services.bank_account(fund)
    income = services.income_account(fund, "gemeente")
    buurten = list(Buurt.objects.order_by("code"))
    payouts = [
        services.payout_account(fund, project=f"Project {number}", buurt=buurten[number % len(buurten)])
        for number in range(200)
    ]
    start = dt.date.today() - dt.timedelta(days=3 * 365)
    transactions = entries // 2
    made = 0
    while made < transactions:
        size = min(BATCH, transactions - made)
        rows = []
        legs = []
        for number in range(made, made + size):
            day = start + dt.timedelta(days=number * 3 * 365 // transactions)
            if number % 3 == 0:
                rows.append(Transaction(fund=fund, kind="income", booked_on=day, description="Subsidie"))
                legs.append((bank, income, 30_000))
            else:
                rows.append(Transaction(fund=fund, kind="payout", booked_on=day, description="Uitbetaling"))
                legs.append((payouts[number % len(payouts)], bank, 10_000))
        booked = Transaction.objects.bulk_create(rows)
        Entry.objects.bulk_create(
            [
                entry
                for row, (debit, credit, amount) in zip(booked, legs, strict=True)
                for entry in (
                    Entry(transaction=row, account=debit, amount=amount),
                    Entry(transaction=row, account=credit, amount=-amount),
                )
            ]
        )
        made += size
    for account in Account.objects.filter(fund=fund):
        total = Entry.objects.filter(account=account).aggregate(total=Sum("amount"))["total"] or 0
        Account.objects.filter(pk=account.pk).update(balance=total)
    return fund


def worker(entries: int, requests: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Sum
    from django.test import Client

    from samen030.funds.models import Entry
    from samen030.funds.queries import booking_cursor, free_balances
    from samen030.funds.views import TRANSACTIONS_PER_PAGE
    from samen030.places.services import load_indeling

    call_command("migrate", verbosity=0)
    load_indeling()
    started = time.perf_counter()
    fund = fill(entries)
    fill_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    bank = fund.accounts.get(key="bank")
    # The position just before page 9,991 (or the deepest page there is); looked up once, outside the timing.
    deep_pages = max(1, min(DEEP_PAGES, (fund.transactions.count() - 1) // TRANSACTIONS_PER_PAGE))
    deep = fund.transactions.order_by("-booked_on", "-pk")[deep_pages * TRANSACTIONS_PER_PAGE - 1]
    deep_path = f"/fondsen/{fund.slug}/?voor={booking_cursor(deep)}"

    def page(path: str) -> Any:
        def call() -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return call

    results = {
        "baseline": timed(page("/robots.txt"), requests),
        "transparency page": timed(page(f"/fondsen/{fund.slug}/"), requests),
        f"transparency page, {deep_pages:,} pages deep, by cursor": timed(page(deep_path), requests),
        "balance (stored)": timed(lambda: free_balances([fund]), requests),
        "balance (sum of entries)": timed(
            lambda: Entry.objects.filter(account=bank).aggregate(total=Sum("amount")), requests // 4 or 1
        ),
    }
    version = connection.connection.info.server_version if connection.vendor == "postgresql" else None
    return {
        "database": connection.vendor,
        "version": str(version) if version else __import__("sqlite3").sqlite_version,
        "entries": Entry.objects.count(),
        "fill_seconds": round(fill_seconds, 1),
        "results": results,
    }


def run(db: str, entries: int, requests: int) -> dict[str, Any]:
    env = {
        **os.environ,
        "SAMEN030_TESTING": "1",
        "PAGE_CACHE_SECONDS": "0",
        "ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "samen030.settings",
    }
    with tempfile.TemporaryDirectory() as folder:
        if db == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{folder}/ledger.sqlite3"
        else:
            import psycopg

            with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
                admin.execute(f"CREATE DATABASE {PG_BENCH_DB}")
            env["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_BENCH_DB}"
        finished = subprocess.run(
            [sys.executable, __file__, "--worker", "--entries", str(entries), "--requests", str(requests)],
            env=env,
            cwd=ROOT,
            check=False,
            capture_output=True,
            text=True,
        )
    if finished.returncode:
        sys.stderr.write(finished.stderr)
        raise SystemExit(f"the {db} run failed")
    result: dict[str, Any] = json.loads(finished.stdout.strip().splitlines()[-1])
    print(table(result), end="\n\n", flush=True)
    return result


def table(run_result: dict[str, Any]) -> str:
    baseline = run_result["results"]["baseline"]
    lines = [
        f"### {run_result['database']} {run_result['version']}: {run_result['entries']:,} entries "
        f"(filled in {run_result['fill_seconds']} s)",
        "",
        "| what | p50 (ms) | p95 (ms) | p95 / baseline p95 | p95 under 200 ms |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for name, figures in run_result["results"].items():
        ratio = figures["p95"] / baseline["p95"] if baseline["p95"] else 0
        ok = "yes" if figures["p95"] < TARGET_MS else "**no**"
        lines.append(f"| {name} | {figures['p50']:.1f} | {figures['p95']:.1f} | {ratio:.1f}× | {ok} |")
    return "\n".join(lines)


def write_results(runs: list[dict[str, Any]]) -> None:
    body = "\n\n".join(table(result) for result in runs)
    machine = f"{platform.machine()}, {os.cpu_count()} cores shared with other work, Python {platform.python_version()}"
    block = f"{BEGIN_MARKER}\nMeasured on {time.strftime('%Y-%m-%d')} ({machine}).\n\n{body}\n{END_MARKER}"
    text = RESULTS_DOC.read_text(encoding="utf-8")
    if BEGIN_MARKER in text:
        before, rest = text.split(BEGIN_MARKER, 1)
        text = before + block + rest.split(END_MARKER, 1)[1]
    else:
        text = text.rstrip() + "\n\n## Funds ledger with a million entries\n\n" + block + "\n"
    RESULTS_DOC.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="print the tables, leave docs/benchmarks.md alone")
    options = parser.parse_args()
    if options.worker:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(worker(options.entries, options.requests)))
        return
    runs = [
        run(db, options.entries, options.requests)
        for db in (["sqlite", "postgres"] if options.db == "both" else [options.db])
    ]
    if not options.no_write:
        write_results(runs)


if __name__ == "__main__":
    main()
