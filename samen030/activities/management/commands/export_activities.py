"""`samen030 export_activities --format csv|hsds OUT`: the open data export, the same files as on /open-data/."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from samen030.activities import downloads, hsds, opendata


class Command(BaseCommand):
    help = (
        "Export all public activities and services. csv: OUT.csv is the activities file (- for standard output), "
        "OUT.zip adds organisations and buurten. hsds: OUT.zip is an Open Referral HSDS 3.0 data package, any other "
        "OUT a directory with datapackage.json and the CSV files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["csv", "hsds"], default="csv")
        parser.add_argument(
            "out", nargs="?", help="file or directory to write; - writes the activities CSV to standard output"
        )
        parser.add_argument(
            "--refresh-downloads",
            action="store_true",
            help="rebuild the files that /open-data/ serves (for an hourly timer) instead of writing OUT",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["refresh_downloads"]:
            for name, counts in downloads.refresh_all().items():
                self.stdout.write(f"Built {name} ({', '.join(f'{key}: {value}' for key, value in counts.items())}).")
            return
        out: str | None = options["out"]
        if not out:
            raise CommandError("Give OUT, or --refresh-downloads.")
        try:
            with translation.override("nl"):
                counts = self.export(options["format"], out)
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror or error}") from error
        if out != "-":
            summary = ", ".join(f"{name}: {count}" for name, count in counts.items())
            self.stdout.write(f"Written {out} ({summary}).")

    def export(self, kind: str, out: str) -> dict[str, int]:
        if kind == "csv" and out == "-":
            return {"activiteiten.csv": opendata.write_activities(sys.stdout)}
        if out == "-":
            raise CommandError("Only --format csv can be written to standard output.")
        path = Path(out)
        if kind == "csv" and path.suffix.lower() != ".zip":
            with path.open("w", encoding="utf-8", newline="") as stream:
                return {"activiteiten.csv": opendata.write_activities(stream)}
        if kind == "csv":
            with path.open("wb") as target:
                return opendata.write_csv_package(target)
        if path.suffix.lower() == ".zip":
            with path.open("wb") as target:
                return hsds.write_hsds_package(target)
        return hsds.write_hsds_directory(path)
