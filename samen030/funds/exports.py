"""The transparency pages as a spreadsheet (XLSX), next to the CSV: a sheet with the totals and the budget, and a
sheet with every booking. Same content as the public page: no names of private persons."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .budgets import budget_report
from .models import Fund
from .queries import fund_summary, public_row, public_transactions

BOLD = Font(bold=True)
EURO_FORMAT = '"€" #,##0.00;"€" -#,##0.00'


def _cell(sheet: WriteOnlyWorksheet, value: Any, *, euro: bool = False, bold: bool = False) -> Cell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text that starts with '=' stays text, never a formula
    if euro:
        cell.number_format = EURO_FORMAT
    if bold:
        cell.font = BOLD
    return cell


def _euros(cents: int) -> float:
    return cents / 100


def fund_workbook(fund: Fund) -> bytes:
    book = Workbook(write_only=True)
    overview: WriteOnlyWorksheet = book.create_sheet(_("Overview")[:31])
    summary = fund_summary(fund)
    overview.append([_cell(overview, fund.name, bold=True)])
    overview.append([_cell(overview, _("Date")), _cell(overview, timezone.localdate().strftime("%d-%m-%Y"))])
    overview.append([])
    for label, amount in (
        (_("Income in total"), summary.income_total),
        (_("Paid out in total"), summary.payout_total),
        (_("Committed to projects, not yet paid"), summary.committed),
        (_("Remaining budget, free to spend"), summary.free),
    ):
        overview.append([_cell(overview, label), _cell(overview, _euros(amount), euro=True)])
    for title, lines in (
        (_("Income by source"), summary.income_by_source),
        (_("Commitments by project"), summary.commitments),
        (_("Payouts by project"), summary.payouts_by_project),
        (_("Payouts by buurt"), summary.payouts_by_buurt),
        (_("Payouts by receiver"), summary.payouts_by_organisation),
    ):
        overview.append([])
        overview.append([_cell(overview, title, bold=True)])
        for label, amount in lines:
            overview.append([_cell(overview, label), _cell(overview, _euros(amount), euro=True)])
    report = budget_report(fund, timezone.localdate().year)
    overview.append([])
    overview.append([_cell(overview, _("Budget against actual, %(year)s") % {"year": report.year}, bold=True)])
    overview.append([_cell(overview, text, bold=True) for text in (_("Line"), _("Budgeted"), _("Actual"))])
    for line in [*report.income, *report.expenses]:
        overview.append(
            [
                _cell(overview, line.name),
                _cell(overview, _euros(line.planned), euro=True),
                _cell(overview, _euros(line.actual), euro=True),
            ]
        )

    bookings: WriteOnlyWorksheet = book.create_sheet(_("Bookings")[:31])
    header = [
        _("Number"),
        _("Date"),
        _("Kind"),
        _("Description"),
        _("Project"),
        _("Buurt"),
        _("Receiver or source"),
        _("Amount"),
        _("Corrects booking"),
    ]
    bookings.append([_cell(bookings, text, bold=True) for text in header])
    for booked in public_transactions(fund).order_by("booked_on", "pk").iterator(chunk_size=2000):
        row = public_row(booked)
        bookings.append(
            [
                row["number"],
                row["date"],
                _cell(bookings, str(row["kind"])),
                _cell(bookings, row["description"]),
                _cell(bookings, row["project"]),
                _cell(bookings, row["buurt"]),
                _cell(bookings, str(row["counterparty"])),
                _cell(bookings, _euros(row["amount"]), euro=True),
                row["reverses"] or None,
            ]
        )
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
