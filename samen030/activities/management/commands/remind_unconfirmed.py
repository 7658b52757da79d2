from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from samen030.activities.services import send_confirmation_reminders


class Command(BaseCommand):
    help = (
        "Email the editors of listings not confirmed for 12 months (and again at 18 months, when they drop out of "
        "search) a one-click confirm link. Run it daily: each listing is reminded once per stage."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        listings, emails = send_confirmation_reminders()
        self.stdout.write(f"Reminded about {listings} listing(s) in {emails} email(s).")
