"""`samen030 recompute_result SLUG`: compute the result again from the stored ballots and compare it with the
published one. Exit code 0 when they match, 1 on any difference (and the differences are printed)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samen030.budgeting import results
from samen030.budgeting.models import Burgerbegroting, Result

COMPARED = ("rule", "selected", "total_cost", "greedy_selected", "votes", "ballot_count", "ballots_digest")


class Command(BaseCommand):
    help = "Recompute a burgerbegroting's result from its stored ballots and check it matches the published result."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")

    def handle(self, *args: Any, **options: Any) -> None:
        bb = Burgerbegroting.objects.filter(slug=options["slug"]).first()
        if bb is None:
            raise CommandError(f"No burgerbegroting with the slug {options['slug']!r}.")
        stored = Result.objects.filter(burgerbegroting=bb).first()
        if stored is None:
            raise CommandError(f"{bb.slug} has no published result yet.")
        fresh = results.compute(bb)
        differences = [
            f"{field}: published {getattr(stored, field)!r}, recomputed {fresh[field]!r}"
            for field in COMPARED
            if getattr(stored, field) != fresh[field]
        ]
        if differences:
            for line in differences:
                self.stderr.write(line)
            raise CommandError(f"MISMATCH: the published result of {bb.slug} differs from the stored ballots.")
        self.stdout.write(
            f"OK: {bb.slug}: {fresh['ballot_count']} ballots, {len(fresh['selected'])} plans selected "
            f"for € {fresh['total_cost']}; the published result matches."
        )
