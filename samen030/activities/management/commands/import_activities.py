"""`samen030 import_activities FILE.csv`: activities from our own CSV export or from a social-map export.

See docs/activities.md ("Open data") for the accepted columns. Exit codes: 0 all rows valid (and saved unless
--dry-run), 1 one or more rows failed, 2 the file itself could not be read.
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from samen030.activities.importing import ImportFileError, ImportReport, Issue, import_activities
from samen030.organisations.models import Organisation


class Progress:
    """A one-line progress bar on a terminal (stderr); silent when stderr is a file or pipe."""

    WIDTH = 30

    def __init__(self, total: int, stream: IO[str]) -> None:
        self.total, self.stream, self.shown_at = max(total, 1), stream, 0.0

    def __call__(self, report: ImportReport) -> None:
        now = time.monotonic()
        if now - self.shown_at < 0.1 and report.rows < self.total:
            return
        self.shown_at = now
        done = min(report.rows / self.total, 1.0)
        bar = "#" * int(done * self.WIDTH)
        self.stream.write(
            f"\r[{bar:<{self.WIDTH}}] {done:4.0%} {report.rows}/{self.total} "
            + _("rows, %(failed)s failed") % {"failed": report.failed}
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def count_records(path: Path, encoding: str) -> int:
    try:
        with path.open(encoding=encoding, newline="") as stream:
            return max(sum(1 for _record in csv.reader(stream)) - 1, 0)
    except (UnicodeDecodeError, LookupError, csv.Error):
        return 0  # the import itself reports what is wrong


class Command(BaseCommand):
    help = (
        "Import activities from a CSV file (our own export, or a social-map export with Dutch column names). "
        "All-or-nothing by default: nothing is saved when a row fails."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the CSV file (UTF-8; comma, semicolon or tab separated)")
        parser.add_argument(
            "--organisation",
            action="append",
            default=[],
            help="slug of the organisation offering rows that name none (may be given more than once)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check every row, save nothing")
        parser.add_argument("--skip-invalid", action="store_true", help="save the valid rows even when other rows fail")
        parser.add_argument("--update", action="store_true", help="change existing activities with the same slug")
        parser.add_argument("--encoding", default="utf-8-sig", help="text encoding of the file (default UTF-8)")
        parser.add_argument(
            "--language", choices=["nl", "en"], default=None, help="language of the report (default: the site's)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"] or settings.LANGUAGE_CODE):
            report = self.run(options)
        if report.failed:
            sys.exit(1)

    def run(self, options: dict[str, Any]) -> ImportReport:
        path = Path(options["file"])
        for slug in options["organisation"]:
            if not Organisation.objects.filter(slug=slug).exists():
                raise CommandError(_("We do not know the organisation %(value)s.") % {"value": slug}, returncode=2)
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path}, returncode=2)
        progress = Progress(count_records(path, options["encoding"]), sys.stderr) if sys.stderr.isatty() else None
        try:
            with path.open(encoding=options["encoding"], newline="") as stream:
                report = import_activities(
                    stream,
                    default_organisations=options["organisation"],
                    dry_run=options["dry_run"],
                    skip_invalid=options["skip_invalid"],
                    update=options["update"],
                    on_row=progress,
                    on_issue=self.show,
                )
        except ImportFileError as error:
            raise CommandError(_("Nothing imported: %(error)s") % {"error": error}, returncode=2) from error
        except LookupError as error:
            raise CommandError(str(error), returncode=2) from error
        finally:
            if progress is not None:
                progress.close()
        self.summarise(report, dry_run=options["dry_run"])
        return report

    def show(self, issue: Issue) -> None:
        self.stdout.write(str(issue), self.style.ERROR if issue.level == "error" else self.style.WARNING)

    def summarise(self, report: ImportReport, *, dry_run: bool) -> None:
        self.stdout.write(
            _("%(rows)s rows read: %(valid)s valid, %(failed)s failed, %(warnings)s warnings.")
            % {"rows": report.rows, "valid": report.valid, "failed": report.failed, "warnings": report.warnings}
        )
        if dry_run:
            self.stdout.write(_("Dry run: nothing was saved."))
        elif report.committed:
            self.stdout.write(
                _("Saved: %(created)s new, %(updated)s changed.")
                % {"created": report.created, "updated": report.updated},
                self.style.SUCCESS,
            )
        else:
            self.stdout.write(
                _("Nothing was saved, because rows failed. Correct them, or use --skip-invalid."), self.style.ERROR
            )
