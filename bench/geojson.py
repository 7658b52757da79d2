"""Size and time of the whole city's GeoJSON of activities (`/kaart/activiteiten.geojson`) at 20,000 activities.

Creates a fresh SQLite database in a temporary directory, migrates it, loads Utrecht's wijken, buurten and
boundaries, adds 2,000 published organisations with an address in one of the 111 buurten and 20,000 demo
activities and services (`activities.demo`), and then measures, in this process, without the page cache:

- the response of the view for the whole city (no filters): bytes raw and gzip-compressed, features;
- the time to build it (queries, features, JSON) and to compress it, median and maximum of 9 runs;
- the same for one wijk.

The target from issue 3: under 500 KB gzipped for the whole city. The result goes between the `geojson` markers
in docs/benchmarks.md.

    python bench/geojson.py [--activities 20000] [--organisations 2000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DOC = ROOT / "docs" / "benchmarks.md"
BOUNDARIES = ROOT / "samen030" / "places" / "data" / "utrecht_buurten_2024.geojson"
BEGIN_MARKER, END_MARKER = "<!-- BEGIN geojson -->", "<!-- END geojson -->"
TARGET_KB = 500
RUNS = 9
WIJK = "WK034405"


def setup(activities: int, organisations: int, folder: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
            "SAMEN030_VAR_DIR": folder,
            "DEBUG": "true",
            "PAGE_CACHE_SECONDS": "0",
            "DJANGO_SETTINGS_MODULE": "samen030.settings",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from samen030.activities.demo import create_demo_activities
    from samen030.organisations.models import Organisation
    from samen030.places.models import Buurt
    from samen030.places.services import import_boundaries, load_indeling

    call_command("migrate", verbosity=0)
    load_indeling()
    import_boundaries(str(BOUNDARIES))
    buurten = list(Buurt.objects.order_by("code"))
    Organisation.objects.bulk_create(
        Organisation(
            slug=f"bench-organisatie-{n:04d}",
            name=f"Buurtinitiatief {n}",
            kind=Organisation.Kind.RESIDENTS,
            description="Benchmark",
            legal_form=Organisation.LegalForm.VERENIGING,
            street="Straat",
            house_number="1",
            postcode="3500AA",
            visiting_buurt=buurten[n % len(buurten)],
            is_published=True,
        )
        for n in range(organisations)
    )
    create_demo_activities(count=activities)


def measure(path: str) -> dict[str, float]:
    from django.test import Client

    client = Client()
    build: list[float] = []
    squeeze: list[float] = []
    body = b""
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(path, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        build.append((time.perf_counter() - start) * 1000)
        body = response.content
        start = time.perf_counter()
        packed = gzip.compress(body, compresslevel=6)
        squeeze.append((time.perf_counter() - start) * 1000)
    return {
        "features": len(json.loads(body)["features"]),
        "raw_kb": len(body) / 1024,
        "gzip_kb": len(packed) / 1024,
        "build_p50": statistics.median(build),
        "build_max": max(build),
        "gzip_p50": statistics.median(squeeze),
    }


def report(activities: int, organisations: int, rows: list[tuple[str, str, dict[str, float]]]) -> str:
    from django.db import connection

    from samen030.activities.models import Activity

    placed = Activity.objects.filter(location="adres").count()
    lines = [
        "## Whole-city GeoJSON of activities",
        "",
        f"Written by `bench/geojson.py` on {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, Python "
        f"{platform.python_version()}, SQLite {connection.Database.sqlite_version}. A fresh database with "
        f"{organisations:,} published organisations and {activities:,} demo activities and services "
        f"({placed:,} with an address, so on the map). Times are in this process through Django's test client, "
        "without the page cache (in production visitors get the cached response), median and maximum of "
        f"{RUNS} runs; gzip level 6 as Django's `gzip_page`. Target: under {TARGET_KB} KB gzipped.",
        "",
        "| Request | Features | Raw KB | Gzip KB | Under target | Build ms p50 | Build ms max | Gzip ms p50 |",
        "|---|--:|--:|--:|---|--:|--:|--:|",
    ]
    for name, path, result in rows:
        lines.append(
            f"| {name} (`{path}`) | {result['features']:,.0f} | {result['raw_kb']:,.0f} | {result['gzip_kb']:,.0f} "
            f"| {'yes' if result['gzip_kb'] < TARGET_KB else 'NO'} | {result['build_p50']:.0f} "
            f"| {result['build_max']:.0f} | {result['gzip_p50']:.0f} |"
        )
    return "\n".join(lines) + "\n"


def write(section: str) -> None:
    text = RESULTS_DOC.read_text()
    block = f"{BEGIN_MARKER}\n{section}{END_MARKER}"
    if BEGIN_MARKER in text:
        before, rest = text.split(BEGIN_MARKER, 1)
        text = before + block + rest.split(END_MARKER, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS_DOC.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=20_000)
    parser.add_argument("--organisations", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup(args.activities, args.organisations, folder)
        rows = [
            ("whole city", "/kaart/activiteiten.geojson", measure("/kaart/activiteiten.geojson")),
            (
                "one wijk",
                f"/kaart/activiteiten.geojson?wijk={WIJK}",
                measure(f"/kaart/activiteiten.geojson?wijk={WIJK}"),
            ),
        ]
        section = report(args.activities, args.organisations, rows)
    print(section)
    write(section)


if __name__ == "__main__":
    main()
