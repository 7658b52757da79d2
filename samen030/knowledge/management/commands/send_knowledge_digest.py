from typing import Any

from django.core.management.base import BaseCommand

from samen030.knowledge.digest import send_weekly_digests


class Command(BaseCommand):
    help = "Send the weekly knowledge-network digest to everyone who follows a theme or item and has news. Run weekly."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{send_weekly_digests()} digest emails sent.")
