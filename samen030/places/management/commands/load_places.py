from typing import Any

from django.core.management.base import BaseCommand

from samen030.places.services import load_indeling


class Command(BaseCommand):
    help = "Load Utrecht's gemeente, 10 wijken and 111 buurten (CBS indeling 2024). Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_indeling()
        self.stdout.write(f"Places: {report.summary()}.")
