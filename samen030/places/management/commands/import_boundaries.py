from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samen030.places.services import ImportFailed, import_boundaries


class Command(BaseCommand):
    help = "Import wijk and buurt boundaries from a CBS/PDOK wijk- en buurtkaart GeoJSON file (path or URL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="path or http(s) URL of a GeoJSON FeatureCollection")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = import_boundaries(options["source"])
        except ImportFailed as exc:
            raise CommandError(f"Nothing imported: {exc}") from exc
        self.stdout.write(f"Boundaries: {report.summary()}.")
        if report.skipped:
            self.stdout.write(
                f"Skipped (not a known wijk or buurt): {', '.join(report.skipped[:20])}"
                + (" …" if len(report.skipped) > 20 else "")
            )
