"""What the public transparency page shows: totals per source, project, buurt and organisation, and the list of
transactions, without the names of private persons."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from .models import Account, Entry, Fund, PaymentReceipt, Transaction


@dataclass
class Summary:
    free: int = 0
    committed: int = 0
    income_total: int = 0
    payout_total: int = 0
    income_by_source: list[tuple[str, int]] = field(default_factory=list)
    commitments: list[tuple[str, int]] = field(default_factory=list)
    payouts_by_project: list[tuple[str, int]] = field(default_factory=list)
    payouts_by_buurt: list[tuple[str, int]] = field(default_factory=list)
    payouts_by_organisation: list[tuple[str, int]] = field(default_factory=list)


def _sorted(totals: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(((label, amount) for label, amount in totals.items() if amount), key=lambda item: (-item[1], item[0]))


def fund_summary(fund: Fund) -> Summary:
    summary = Summary()
    by_source: dict[str, int] = defaultdict(int)
    commitments: dict[str, int] = defaultdict(int)
    by_project: dict[str, int] = defaultdict(int)
    by_buurt: dict[str, int] = defaultdict(int)
    by_organisation: dict[str, int] = defaultdict(int)
    for account in fund.accounts.select_related("organisation", "buurt"):
        if account.kind == Account.Kind.BANK:
            summary.free += account.balance
        elif account.kind == Account.Kind.INCOME:
            by_source[account.get_source_display() or account.name] -= account.balance
        elif account.kind == Account.Kind.COMMITMENT:
            commitments[account.project] += account.balance
        elif account.kind == Account.Kind.PAYOUT:
            by_project[account.project] += account.balance
            by_buurt[account.buurt.name if account.buurt else _("not tied to one buurt")] += account.balance
            by_organisation[account.organisation.name if account.organisation else _("private persons")] += (
                account.balance
            )
    summary.income_by_source = _sorted(by_source)
    summary.commitments = _sorted(commitments)
    summary.payouts_by_project = _sorted(by_project)
    summary.payouts_by_buurt = _sorted(by_buurt)
    summary.payouts_by_organisation = _sorted(by_organisation)
    summary.income_total = sum(amount for _label, amount in summary.income_by_source)
    summary.payout_total = sum(amount for _label, amount in summary.payouts_by_project)
    summary.committed = sum(amount for _label, amount in summary.commitments)
    return summary


def free_balances(funds: Iterable[Fund]) -> dict[int, int]:
    """The money free to spend per fund, in one query."""
    rows = (
        Account.objects.filter(fund__in=list(funds), kind=Account.Kind.BANK)
        .values("fund")
        .annotate(total=Sum("balance"))
    )
    return {row["fund"]: row["total"] or 0 for row in rows}


def public_transactions(fund: Fund) -> QuerySet[Transaction]:
    entries = Entry.objects.select_related("account", "account__organisation", "account__buurt").order_by("pk")
    return fund.transactions.select_related("reverses", "reversed_by").prefetch_related(
        Prefetch("entries", queryset=entries)
    )


def with_receipt_flag(bookings: QuerySet[Transaction]) -> QuerySet[Transaction]:
    """Mark the bookings of payments that have a receipt; the public never gets the file (it may hold personal
    data). Only the public page uses it, one page of bookings at a time; the exports leave it out."""
    has_receipt = Exists(PaymentReceipt.objects.filter(payment__transaction=OuterRef("pk")))
    flagged: QuerySet[Transaction] = bookings.annotate(has_receipt=has_receipt)
    return flagged


def public_row(booked: Transaction) -> dict[str, Any]:
    """One transaction as the public sees it: the counterparty is an income source, an organisation, or just
    'a private person' — never a person's name."""
    entries = list(booked.entries.all())
    amount = sum(entry.amount for entry in entries if entry.amount > 0)
    project = buurt = counterparty = ""
    for entry in entries:
        account = entry.account
        if account.kind == Account.Kind.INCOME:
            counterparty = account.get_source_display() or account.name
        elif account.kind in (Account.Kind.PAYOUT, Account.Kind.COMMITMENT):
            project = account.project
            buurt = account.buurt.name if account.buurt else ""
            if account.kind == Account.Kind.PAYOUT:
                counterparty = account.organisation.name if account.organisation else _("a private person")
    return {
        "transaction": booked,
        "number": booked.pk,
        "date": booked.booked_on,
        "kind": booked.get_kind_display(),
        "description": booked.description,
        "project": project,
        "buurt": buurt,
        "counterparty": counterparty,
        "amount": amount,
        "reverses": booked.reverses_id,
        "has_receipt": bool(getattr(booked, "has_receipt", False)),
        "can_be_corrected": booked.reverses_id is None and not hasattr(booked, "reversed_by"),
    }


@dataclass
class BookingsPage:
    """One page of a fund's bookings, newest first, found by position (keyset) instead of by page number, so the
    oldest page costs as much as the newest."""

    bookings: list[Transaction]
    newer: str = ""  # cursor for the link "Newer bookings"; empty when this is the newest page
    older: str = ""  # cursor for the link "Older bookings"; empty when this is the oldest page


def booking_cursor(booked: Transaction) -> str:
    return f"{booked.booked_on.isoformat()}_{booked.pk}"


def parse_booking_cursor(value: str | None) -> tuple[date, int] | None:
    """`2026-03-01_123` → (date, id); anything else → None (the caller then shows the newest page)."""
    if not value or len(value) > 40:
        return None
    day, _sep, number = value.partition("_")
    try:
        parsed = date.fromisoformat(day)
        pk = int(number)
    except ValueError:
        return None
    if not number.isdigit() or pk <= 0 or pk > 2**63 - 1:
        return None
    return parsed, pk


def _older_than(position: tuple[date, int]) -> Q:
    day, pk = position
    # The redundant `booked_on <= day` lets the database start its index scan at the cursor.
    return Q(booked_on__lte=day) & (Q(booked_on__lt=day) | Q(pk__lt=pk))


def _newer_than(position: tuple[date, int]) -> Q:
    day, pk = position
    return Q(booked_on__gte=day) & (Q(booked_on__gt=day) | Q(pk__gt=pk))


def bookings_page(
    bookings: QuerySet[Transaction], size: int, before: str | None = None, after: str | None = None
) -> BookingsPage:
    """The `size` bookings older than `before`, or newer than `after`, or the newest ones. Ordered by
    (booked_on, id) newest first, the order of the index `transaction_fund_newest_first`."""
    position_before = parse_booking_cursor(before)
    position_after = None if position_before else parse_booking_cursor(after)
    if position_after is not None:
        rows = list(bookings.filter(_newer_than(position_after)).order_by("booked_on", "pk")[: size + 1])
        more_newer = len(rows) > size
        page = list(reversed(rows[:size]))
        if not page:  # nothing newer than the cursor: show the newest page
            return bookings_page(bookings, size)
        older = bookings.filter(_older_than((page[-1].booked_on, page[-1].pk))).order_by().exists()
        return BookingsPage(
            page, booking_cursor(page[0]) if more_newer else "", booking_cursor(page[-1]) if older else ""
        )
    ordered = bookings.order_by("-booked_on", "-pk")
    if position_before is not None:
        ordered = ordered.filter(_older_than(position_before))
    rows = list(ordered[: size + 1])
    page = rows[:size]
    if not page and position_before is not None:  # nothing older than the cursor: show the newest page
        return bookings_page(bookings, size)
    newer = ""
    if (
        position_before is not None
        and bookings.filter(_newer_than((page[0].booked_on, page[0].pk))).order_by().exists()
    ):
        newer = booking_cursor(page[0])
    return BookingsPage(page, newer, booking_cursor(page[-1]) if len(rows) > size else "")
