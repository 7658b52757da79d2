"""Knowledge-library search at 10,000 items with extracted file text, on SQLite and PostgreSQL, and the time to
upload a 100-page PDF (checks, text extraction and indexing).

For each database a child process creates a fresh database, migrates it, fills it with 10,000 library items (each
with a current file version holding about 400 words of extracted text, themes, a wijk, a licence and a year) and
measures, in-process through Django's test client with production settings (DEBUG off, the page cache off so every
request really searches):

- `/robots.txt`, a trivial view without database access: the baseline;
- the library's search page for a handful of queries (rare and common words, two words, with facet filters), each
  page with its facet counts.

It reports p50/p95 per page and the ratio of each p95 to the baseline's p95 in the same run; the target is a search
p95 under 150 ms. Then it uploads a generated 100-page PDF through the real form (`/kennis/delen/`) as an editor of a
member organisation and reports the time until the redirect. Results go between the `knowledge` markers in
docs/benchmarks.md.

    python bench/knowledge.py [--db sqlite|postgres|both] [--items 10000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DOC = ROOT / "docs" / "benchmarks.md"
BEGIN_MARKER, END_MARKER = "<!-- BEGIN knowledge -->", "<!-- END knowledge -->"
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = "samen030_bench_knowledge"
TARGET_P95_MS = 150.0
QUERIES = [
    ("baseline", "/robots.txt"),
    ("library, no query", "/kennis/"),
    ("rare word", "/kennis/?q=wormenhotel"),
    ("common word", "/kennis/?q=buurt"),
    ("two words", "/kennis/?q=energie+cooperatie"),
    ("stemmed word", "/kennis/?q=vrijwilligers"),
    ("word + theme + kind", "/kennis/?q=subsidie&theme=eten&kind=financiering"),
    ("word + wijk + year", "/kennis/?q=jongeren&wijk=WK034401&year=2025"),
]
VOCABULARY = [
    "buurt",
    "wijk",
    "bewoners",
    "vrijwilligers",
    "samen",
    "koken",
    "eten",
    "tuin",
    "groen",
    "energie",
    "zonnepanelen",
    "isolatie",
    "coöperatie",
    "statuten",
    "bestuur",
    "leden",
    "vergadering",
    "subsidie",
    "fonds",
    "aanvraag",
    "begroting",
    "plan",
    "project",
    "pilot",
    "initiatief",
    "jongeren",
    "ouderen",
    "kinderen",
    "school",
    "taal",
    "cursus",
    "werk",
    "inkomen",
    "schulden",
    "zorg",
    "welzijn",
    "buurthuis",
    "sport",
    "bewegen",
    "cultuur",
    "muziek",
    "veiligheid",
    "straat",
    "verkeer",
    "wonen",
    "huur",
    "woningcorporatie",
    "gemeente",
    "Utrecht",
    "Lombok",
    "Overvecht",
    "Kanaleneiland",
    "evaluatie",
    "resultaten",
    "lessen",
    "geleerd",
    "ervaring",
    "aanpak",
    "stappen",
    "planning",
    "communicatie",
    "flyers",
    "nieuwsbrief",
    "ontmoeting",
    "koffie",
    "maaltijd",
    "reparatie",
    "fietsen",
    "klussen",
    "hulp",
    "maatje",
    "mantelzorg",
    "digitale",
    "vaardigheden",
    "computer",
    "duurzaamheid",
    "afval",
    "compost",
    "regenwater",
    "geveltuin",
    "speeltuin",
    "markt",
    "ondernemers",
    "winkels",
    "inkoop",
    "korting",
]


def production_env(database_url: str, var_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SAMEN030_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="samen030.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
        SITE_URL="https://testserver",
        DATABASE_URL=database_url,
        SAMEN030_VAR_DIR=str(var_dir),
        MEDIA_ROOT=str(var_dir / "media"),
        STATIC_ROOT=str(var_dir / "static"),
        PAGE_CACHE_SECONDS="0",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(words))


def fill(items: int) -> dict[str, Any]:
    """Bulk-create items with a file version each and build their search columns and index."""
    from functools import lru_cache

    from django.db import transaction
    from django.utils import timezone

    from samen030.activities.models import Theme
    from samen030.core import search
    from samen030.knowledge.models import SEARCH_SPEC, Document, DocumentVersion, Item
    from samen030.places.models import Wijk

    # Stemming the same few hundred words millions of times is the only slow part of filling; uploads stem one
    # document at a time, so a cache here changes nothing that is measured.
    search.stem = lru_cache(maxsize=None)(search.stem)
    rng = random.Random(4)
    themes = list(Theme.objects.all())
    wijken = list(Wijk.objects.all())
    kinds = list(Item.Kind)
    licences = list(Item.Licence)
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        rows = []
        for number in range(items):
            title = f"{sentence(rng, 3).capitalize()} {number}"
            if number % 1000 == 7:
                title += " wormenhotel"
            rows.append(
                Item(
                    slug=f"bench-{number:05d}",
                    kind=kinds[number % len(kinds)],
                    title=title,
                    summary=sentence(rng, 20),
                    body=sentence(rng, 120),
                    licence=licences[number % len(licences)],
                    funder="Fonds" if number % 6 == 3 else "",
                    created_at=now - dt.timedelta(days=rng.randrange(0, 3 * 365)),
                )
            )
        Item.objects.bulk_create(rows, batch_size=500)
        created = list(Item.objects.order_by("pk"))
        Item.themes.through.objects.bulk_create(
            [Item.themes.through(item=item, theme=rng.choice(themes)) for item in created], batch_size=1000
        )
        Item.wijken.through.objects.bulk_create(
            [Item.wijken.through(item=item, wijk=rng.choice(wijken)) for item in created], batch_size=1000
        )
        documents = Document.objects.bulk_create([Document(item=item) for item in created], batch_size=1000)
        texts = {item.pk: sentence(rng, 400) for item in created}
        DocumentVersion.objects.bulk_create(
            [
                DocumentVersion(
                    document=document,
                    number=1,
                    file=f"knowledge/bench/{document.pk}.pdf",
                    name="verslag.pdf",
                    format="pdf",
                    size=40_000,
                    extracted_text=texts[document.item_id],
                )
                for document in documents
            ],
            batch_size=1000,
        )
        theme_names = {theme.pk: f"{theme.name} {theme.name_en}" for theme in themes}
        item_theme = dict(Item.themes.through.objects.values_list("item_id", "theme_id"))
        item_wijk = dict(Item.wijken.through.objects.values_list("item_id", "wijk__name"))
        for item in created:
            item.search_title = search.document(item.title)
            item.search_tags = search.document(
                str(item.get_kind_display()), item.funder, theme_names[item_theme[item.pk]], item_wijk[item.pk]
            )
            item.search_body = search.document(item.summary, item.body, texts[item.pk])
        Item.objects.bulk_update(created, ["search_title", "search_tags", "search_body"], batch_size=500)
        search.sqlite_index_rows(SEARCH_SPEC, [item.search_row() for item in created], replace_all=True)
    return {"items": items, "fill_seconds": round(time.perf_counter() - started, 1)}


def measure(repeat: int) -> dict[str, Any]:
    from django.test import Client

    client = Client()
    results: dict[str, Any] = {}
    for _name, path in QUERIES:  # warm up: templates, caches, database pages
        assert client.get(path, secure=True).status_code == 200, path
    timings: dict[str, list[float]] = {name: [] for name, _path in QUERIES}
    cpu: dict[str, list[float]] = {name: [] for name, _path in QUERIES}
    counts: dict[str, int] = {}
    for _round in range(repeat):
        for name, path in QUERIES:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path, secure=True)
            timings[name].append((time.perf_counter() - started) * 1000)
            cpu[name].append((time.process_time() - started_cpu) * 1000)
            match = re.search(rb'id="results-heading">(\d+)', response.content)
            if match:
                counts[name] = int(match.group(1))
    for name, path in QUERIES:
        values = sorted(timings[name])
        results[name] = {
            "path": path,
            "p50": statistics.median(values),
            "p95": values[max(0, round(0.95 * len(values)) - 1)],
            "results": counts.get(name),
            "cpu_p50": statistics.median(cpu[name]),
        }
    return results


def upload_pdf(pages: int) -> dict[str, Any]:
    from django.test import Client
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from samen030.accounts.models import User
    from samen030.knowledge.models import Item
    from samen030.memberships.models import Membership
    from samen030.organisations.models import Editor, Organisation

    rng = random.Random(5)
    buffer = __import__("io").BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=A4)
    for _page in range(pages):
        for line in range(45):
            drawing.drawString(50, 800 - 17 * line, sentence(rng, 12))
        drawing.showPage()
    drawing.save()
    data = buffer.getvalue()

    organisation = Organisation.objects.create(
        slug="bench-lid", name="Bench lid", kind="bewoners", description="x", is_published=True
    )
    Membership.objects.create(organisation=organisation, type="stemlid", start_date=dt.date(2025, 1, 1))
    user = User.objects.create_user(email="bench@example.nl", password=secrets.token_urlsafe(12), name="Bench")
    Editor.objects.create(organisation=organisation, user=user)
    client = Client()
    client.force_login(user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("rapport.pdf", data, content_type="application/pdf")
    started = time.perf_counter()
    response = client.post(
        "/kennis/delen/",
        secure=True,
        data={
            "kind": "evaluatie",
            "title": "Jaarverslag van honderd bladzijden",
            "summary": "Een lang verslag.",
            "themes": ["ontmoeting"],
            "licence": "cc-by",
            "language": "nl",
            "audience": "openbaar",
            "upload": upload,
        },
    )
    seconds = time.perf_counter() - started
    assert response.status_code == 302, response.content[:500]
    item = Item.objects.get(slug__startswith="jaarverslag")
    text = item.documents.get().current.extracted_text  # type: ignore[union-attr]
    return {"pages": pages, "bytes": len(data), "seconds": round(seconds, 2), "characters": len(text)}


def child(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from samen030.places.services import load_indeling

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    load_indeling()
    report: dict[str, Any] = {"vendor": connection.vendor}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            report["version"] = f"SQLite {cursor.fetchone()[0]}"
        else:
            cursor.execute("show server_version")
            report["version"] = f"PostgreSQL {cursor.fetchone()[0]}"
    report.update(fill(args.items))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    report["load_before"] = os.getloadavg()[0]
    report["pages"] = measure(args.repeat)
    report["load_after"] = os.getloadavg()[0]
    report["upload"] = upload_pdf(100)
    print("RESULT " + json.dumps(report))


def run_child(db: str, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch:
        var_dir = Path(scratch)
        if db == "sqlite":
            url = f"sqlite:///{var_dir / 'bench.sqlite3'}"
        else:
            url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_BENCH_DB}"
            admin = ["psql", PG_ADMIN_URL, "-q", "-c"]
            subprocess.run([*admin, f"DROP DATABASE IF EXISTS {PG_BENCH_DB}"], check=True)
            subprocess.run([*admin, f"CREATE DATABASE {PG_BENCH_DB}"], check=True)
        try:
            output = subprocess.run(
                [sys.executable, __file__, "--child", "--items", str(args.items), "--repeat", str(args.repeat)],
                env=production_env(url, var_dir),
                capture_output=True,
                text=True,
                check=False,
                cwd=ROOT,
            )
            if output.returncode:
                raise SystemExit(f"the {db} run failed:\n{output.stderr[-4000:]}")
        finally:
            if db == "postgres":
                subprocess.run(
                    ["psql", PG_ADMIN_URL, "-q", "-c", f"DROP DATABASE IF EXISTS {PG_BENCH_DB}"], check=False
                )
    line = next(line for line in output.stdout.splitlines() if line.startswith("RESULT "))
    return dict(json.loads(line[len("RESULT ") :]))


def markdown(reports: list[dict[str, Any]], args: argparse.Namespace) -> str:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        BEGIN_MARKER,
        "## Knowledge library: search and upload",
        "",
        f"Written by `bench/knowledge.py` on {stamp}. Each database is created fresh and filled with "
        f"{args.items:,} library items, each with a file version holding about 400 words of extracted text (so the "
        "full-text index covers titles, summaries, bodies and file text), a theme, a wijk, a licence and a year in the "
        "last three years. Requests go through Django's test client in one process with production settings "
        "(`DEBUG=false`) and the page cache off, so every request searches and counts the facets; "
        f"{args.repeat} rounds over all pages after one warm-up round. The ratio compares each page's p95 with the "
        "p95 of `/robots.txt` (no database) in the same run. CPU ms is this process's CPU time per request (Python, "
        "templates and, on SQLite, the queries; not PostgreSQL's own work): less sensitive to other jobs on the "
        "machine than the wall-clock times. Target: search p95 under 150 ms.",
        "",
    ]
    for report in reports:
        pages = report["pages"]
        base = pages["baseline"]["p95"]
        lines += [
            f"### {report['version']}",
            "",
            f"Filled in {report['fill_seconds']} s. Load average (1 min) before and after: "
            f"{report['load_before']:.1f} and {report['load_after']:.1f}.",
            "",
            "| Page | Path | Results | p50 ms | p95 ms | CPU ms (p50) | p95 / baseline p95 | p95 < 150 ms |",
            "|---|---|--:|--:|--:|--:|--:|---|",
        ]
        for name, page in pages.items():
            ok = "(baseline)" if name == "baseline" else ("yes" if page["p95"] < TARGET_P95_MS else "**no**")
            results = "" if page["results"] is None else f"{page['results']:,}"
            lines.append(
                f"| {name} | `{page['path']}` | {results} | {page['p50']:.1f} | {page['p95']:.1f} | "
                f"{page['cpu_p50']:.1f} | {page['p95'] / base:.0f}× | {ok} |"
            )
        upload = report["upload"]
        lines += [
            "",
            f"Upload of a {upload['pages']}-page PDF ({upload['bytes'] / 1024:.0f} kB, {upload['characters']:,} "
            f"characters of text) through `/kennis/delen/`, until the redirect: **{upload['seconds']} s** (content "
            "check, pypdf text extraction, Dutch stemming of the text and indexing, in one request).",
            "",
        ]
    lines += [
        "Machine: " + f"`nproc` = {os.cpu_count()}, {platform.platform()}, Python {platform.python_version()}; "
        "shared with other jobs, see the load averages.",
        "",
        "Reproduce:",
        "",
        "```sh",
        f"python bench/knowledge.py --db both --items {args.items} --repeat {args.repeat}",
        "```",
        END_MARKER,
    ]
    return "\n".join(lines)


def write_results(section: str) -> None:
    text = RESULTS_DOC.read_text(encoding="utf-8")
    if BEGIN_MARKER in text:
        before = text[: text.index(BEGIN_MARKER)]
        after = text[text.index(END_MARKER) + len(END_MARKER) :]
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS_DOC.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="print the table instead of writing the docs")
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        child(args)
        return
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    reports = [run_child(db, args) for db in databases]
    section = markdown(reports, args)
    if args.no_write:
        print(section)
    else:
        write_results(section)
        print(section)


if __name__ == "__main__":
    main()
