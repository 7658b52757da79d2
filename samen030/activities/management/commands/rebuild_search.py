"""`samen030 rebuild_search`: derive the search columns of every activity again and refill the full-text index.

Run it daily (with the other daily jobs): it brings every activity's next date up to date, which the search page
sorts on, and picks up renamed organisations, themes, target groups and buurten."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from samen030.activities.search import index_activities


class Command(BaseCommand):
    help = "Derive the search columns of all activities again and rebuild the full-text index."

    def handle(self, *args: Any, **options: Any) -> None:
        count = index_activities()
        self.stdout.write(f"Indexed {count} activities and services.")
