from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samen030.places.services import ImportFailed, import_postcodes


class Command(BaseCommand):
    help = "Import a CSV table of PC6 postcodes and CBS buurt codes (columns pc6 and buurtcode)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="path or http(s) URL of the CSV file")
        parser.add_argument("--replace", action="store_true", help="remove postcodes that are not in the file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = import_postcodes(options["source"], replace=options["replace"])
        except ImportFailed as exc:
            raise CommandError(f"Nothing imported: {exc}") from exc
        self.stdout.write(f"Postcodes: {report.summary()}.")
        if report.skipped:
            self.stdout.write(
                f"Skipped (buurt not in Utrecht's division): {len(report.skipped)} rows, "
                f"for example {', '.join(report.skipped[:5])}"
            )
