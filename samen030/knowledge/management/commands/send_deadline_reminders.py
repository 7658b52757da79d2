from typing import Any

from django.core.management.base import BaseCommand

from samen030.knowledge.digest import send_deadline_reminders


class Command(BaseCommand):
    help = "Remind followers two weeks before a subsidy or investment deadline (once per deadline). Run daily."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{send_deadline_reminders()} reminder emails sent.")
