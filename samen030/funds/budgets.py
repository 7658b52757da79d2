"""A fund's annual budget: lines of planned income (per source) and planned spending, against the actual figures in
the ledger, and closing a year so nothing can be booked in it any more (docs/funds.md, "Budgets")."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from samen030.accounts.models import User

from . import services
from .models import Account, AuditEvent, BudgetLine, ClosedYear, Entry, Fund
from .money import MAX_CENTS

FIRST_YEAR = 2000
ACTUALS_SECONDS = 24 * 60 * 60


def is_closed(fund: Fund, year: int) -> bool:
    return ClosedYear.objects.filter(fund=fund, year=year).exists()


def _check_year(fund: Fund, year: int) -> None:
    if not FIRST_YEAR <= year <= timezone.localdate().year + 5:
        raise ValidationError(_("Choose a year between 2000 and five years from now."), code="year")
    if is_closed(fund, year):
        raise ValidationError(
            _("The books of %(year)s are closed: its budget cannot change.") % {"year": year}, code="closed_year"
        )


@transaction.atomic
def set_budget_line(
    *, fund: Fund, year: int, kind: str, name: str, planned: int, actor: User, source: str = ""
) -> BudgetLine:
    """Add a budget line, or change the amount of the line with the same name in that year."""
    fund = services._lock_fund(fund)
    _check_year(fund, year)
    if isinstance(planned, bool) or not isinstance(planned, int) or planned < 0:
        raise ValidationError(_("Amounts are whole euro cents."), code="not_cents")
    if planned > MAX_CENTS:
        raise ValidationError(_("This amount is too large."), code="too_large")
    if kind not in BudgetLine.Kind.values or not name.strip():
        raise ValidationError(_("Give the line a name and say whether it is income or spending."), code="line")
    if kind == BudgetLine.Kind.INCOME and source not in Account.Source.values:
        raise ValidationError(_("Choose where the income comes from."), code="source")
    if kind == BudgetLine.Kind.EXPENSE:
        source = ""
    try:
        with transaction.atomic():
            line, created = BudgetLine.objects.update_or_create(
                fund=fund,
                year=year,
                name=name.strip(),
                defaults={"kind": kind, "source": source, "planned": planned},
            )
    except IntegrityError as error:  # pragma: no cover - the unique constraint is met by update_or_create
        raise ValidationError(_("This line already exists."), code="exists") from error
    services._audit(
        fund, AuditEvent.Action.BUDGET_CHANGED, actor, year=year, line=line.name, planned=planned, created=created
    )
    return line


@transaction.atomic
def remove_budget_line(*, line: BudgetLine, actor: User) -> None:
    fund = services._lock_fund(line.fund)
    _check_year(fund, line.year)
    if line.transactions.exists():
        raise ValidationError(_("Bookings count against this line, so it cannot be removed."), code="in_use")
    services._audit(fund, AuditEvent.Action.BUDGET_CHANGED, actor, year=line.year, line=line.name, removed=True)
    line.delete()


@transaction.atomic
def close_year(*, fund: Fund, year: int, actor: User) -> ClosedYear:
    """Close a finished year: from now on nothing is booked with a date in it and its budget is fixed."""
    fund = services._lock_fund(fund)
    if year >= timezone.localdate().year:
        raise ValidationError(_("Only a year that is over can be closed."), code="not_over")
    if is_closed(fund, year):
        raise ValidationError(_("This year is already closed."), code="closed_twice")
    closed = ClosedYear.objects.create(fund=fund, year=year, closed_by=actor)
    services._audit(fund, AuditEvent.Action.YEAR_CLOSED, actor, year=year)
    return closed


@dataclass
class BudgetRow:
    name: str
    planned: int
    actual: int
    source: str = ""

    @property
    def difference(self) -> int:
        return self.actual - self.planned


@dataclass
class BudgetReport:
    year: int
    closed: bool
    income: list[BudgetRow] = field(default_factory=list)
    expenses: list[BudgetRow] = field(default_factory=list)

    @property
    def income_planned(self) -> int:
        return sum(row.planned for row in self.income)

    @property
    def income_actual(self) -> int:
        return sum(row.actual for row in self.income)

    @property
    def expenses_planned(self) -> int:
        return sum(row.planned for row in self.expenses)

    @property
    def expenses_actual(self) -> int:
        return sum(row.actual for row in self.expenses)


def _actuals(fund: Fund, year: int) -> tuple[dict[str, int], dict[int | None, int]]:
    """Income per source and payouts per budget line booked in the year. Adding up a year of entries is the slow
    part of the public page in a big fund, so the result is cached until the fund's next booking: entries are never
    changed, so a new transaction (with a higher number) is the only way these figures can change."""
    last = fund.transactions.order_by("-pk").values_list("pk", flat=True).first() or 0
    key = f"funds:actuals:{fund.pk}:{year}:{last}"
    cached = cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    entries = Entry.objects.filter(transaction__fund=fund, transaction__booked_on__year=year).order_by()
    income_by_source = {
        row["account__source"]: -(row["total"] or 0)
        for row in entries.filter(account__kind=Account.Kind.INCOME)
        .values("account__source")
        .annotate(total=Sum("amount"))
    }
    spent_by_line = {
        row["transaction__budget_line"]: row["total"] or 0
        for row in entries.filter(account__kind=Account.Kind.PAYOUT)
        .values("transaction__budget_line")
        .annotate(total=Sum("amount"))
    }
    cache.set(key, (income_by_source, spent_by_line), ACTUALS_SECONDS)
    return income_by_source, spent_by_line


def budget_report(fund: Fund, year: int) -> BudgetReport:
    """Budget against actual per line: income per source from the income accounts, spending from the payouts booked
    on each line (less money paid back), all by booking date within the year. Income from a source without a line,
    and payouts on no line, show as 'not in the budget'."""
    income_by_source, spent_by_line = _actuals(fund, year)
    report = BudgetReport(year=year, closed=is_closed(fund, year))
    lines = list(fund.budget_lines.filter(year=year))
    seen_sources = set()
    for line in lines:
        if line.kind == BudgetLine.Kind.INCOME:
            # Several lines may share a source; the actual income of a source is shown on its first line.
            actual = income_by_source.get(line.source, 0) if line.source not in seen_sources else 0
            seen_sources.add(line.source)
            report.income.append(BudgetRow(line.name, line.planned, actual, line.get_source_display()))
        else:
            report.expenses.append(BudgetRow(line.name, line.planned, spent_by_line.get(line.pk, 0)))
    unbudgeted_income = sum(amount for source, amount in income_by_source.items() if source not in seen_sources)
    if unbudgeted_income:
        report.income.append(BudgetRow(_("not in the budget"), 0, unbudgeted_income))
    if spent_by_line.get(None):
        report.expenses.append(BudgetRow(_("not in the budget"), 0, spent_by_line[None]))
    return report


def budget_years(fund: Fund) -> list[int]:
    """Years with a budget or with bookings, newest first, always including this year."""
    years = set(fund.budget_lines.values_list("year", flat=True).distinct())
    years.update(day.year for day in fund.transactions.dates("booked_on", "year"))
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)
