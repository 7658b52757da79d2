"""`samen030 advance_phases`: record the phase changes the dates have made in every burgerbegroting, and compute and
publish the result of a vote that has closed. Run it every few minutes from a timer (docs/deploy.md).

What people may do already follows the dates at the moment of each request; this command writes the changes to the
audit log (once each) and computes the result, which can take a minute for a large city-wide vote. Running it twice
at the same moment is safe (see services.record_phase_changes). Exit code 1 when a burgerbegroting failed; the
others are still done."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from samen030.budgeting import services
from samen030.budgeting.models import Burgerbegroting, Phase

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Record date-driven phase changes of the burgerbegrotingen and publish the result of a closed vote."

    def handle(self, *args: Any, **options: Any) -> None:
        failed = []
        # A burgerbegroting in realisation with its result has nothing left to move.
        todo = Burgerbegroting.objects.exclude(recorded_phase=Phase.REALISATION, result__isnull=False).order_by("pk")
        for bb in todo:
            try:
                done = services.record_phase_changes(burgerbegroting=bb)
            except Exception:
                logger.exception("advance_phases failed for %s", bb.slug)
                failed.append(bb.slug)
                continue
            if done:
                self.stdout.write(f"{bb.slug}: {', '.join(done)}")
        if failed:
            raise CommandError(f"Failed for: {', '.join(failed)} (see the log).")
