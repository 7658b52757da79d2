"""Every booking in a fund's ledger and every step of a payment goes through one of these functions.

Each one runs in a database transaction and starts by locking the fund's row (SELECT … FOR UPDATE), so bookings in
one fund happen one after the other: the balance check before a payout sees every payout booked before it, and two
approvals at the same moment can never together overdraw a fund that must stay above zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from samen030.accounts.models import User
from samen030.organisations.models import Organisation
from samen030.places.models import Buurt

from .models import (
    Account,
    Approval,
    AuditEvent,
    BudgetLine,
    ClosedYear,
    Entry,
    Fund,
    GrantApplication,
    PaymentRequest,
    Transaction,
)
from .money import MAX_CENTS, format_amount

Leg = tuple[Account, int]


def _lock_fund(fund: Fund) -> Fund:
    return Fund.objects.select_for_update().get(pk=fund.pk)


def _check_amount(amount: Any) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationError(_("Amounts are whole euro cents."), code="not_cents")
    if amount <= 0:
        raise ValidationError(_("The amount must be more than zero."), code="not_positive")
    if amount > MAX_CENTS:
        raise ValidationError(_("This amount is too large."), code="too_large")
    return amount


def _audit(
    fund: Fund,
    action: str,
    actor: User | None,
    *,
    payment: PaymentRequest | None = None,
    booked: Transaction | None = None,
    application: GrantApplication | None = None,
    **details: Any,
) -> AuditEvent:
    return AuditEvent.objects.create(
        fund=fund,
        action=action,
        actor=actor,
        payment=payment,
        transaction=booked,
        application=application,
        details=details,
    )


# Accounts ---------------------------------------------------------------------------------------------------------


def bank_account(fund: Fund) -> Account:
    account, _created = Account.objects.get_or_create(
        fund=fund, key="bank", defaults={"kind": Account.Kind.BANK, "name": "Bank"}
    )
    return account


def income_account(fund: Fund, source: str) -> Account:
    if source not in Account.Source.values:
        raise ValidationError(_("Choose where the money comes from."), code="source")
    account, _created = Account.objects.get_or_create(
        fund=fund,
        key=f"income:{source}",
        defaults={"kind": Account.Kind.INCOME, "name": str(Account.Source(source).label), "source": source},
    )
    return account


def payout_account(
    fund: Fund, *, project: str, organisation: Organisation | None = None, buurt: Buurt | None = None
) -> Account:
    """One payout account per project, receiving organisation and buurt, so the public page can add them up."""
    key = f"payout:{project.strip().casefold()}:{organisation.pk if organisation else '-'}:{buurt.pk if buurt else '-'}"
    account, _created = Account.objects.get_or_create(
        fund=fund,
        key=key[:200],
        defaults={
            "kind": Account.Kind.PAYOUT,
            "name": project.strip(),
            "project": project.strip(),
            "organisation": organisation,
            "buurt": buurt,
        },
    )
    return account


def commitment_account(fund: Fund, *, project: str, buurt: Buurt | None = None) -> Account:
    key = f"commitment:{project.strip().casefold()}:{buurt.pk if buurt else '-'}"
    account, _created = Account.objects.get_or_create(
        fund=fund,
        key=key[:200],
        defaults={"kind": Account.Kind.COMMITMENT, "name": project.strip(), "project": project.strip(), "buurt": buurt},
    )
    return account


# The ledger -------------------------------------------------------------------------------------------------------


def _deltas(fund: Fund, description: str, legs: Sequence[Leg]) -> dict[int, int]:
    """Check that the entries make a valid balanced booking in this fund; the change per account."""
    if not description.strip():
        raise ValidationError(_("Describe the booking."), code="description")
    if len(legs) < 2:
        raise ValidationError(_("A booking needs at least two entries."), code="too_few_entries")
    deltas: dict[int, int] = defaultdict(int)
    for account, amount in legs:
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise ValidationError(_("Amounts are whole euro cents."), code="not_cents")
        if amount == 0 or abs(amount) > MAX_CENTS:
            raise ValidationError(_("Every entry needs an amount other than zero."), code="zero_entry")
        if account.fund_id != fund.pk:
            raise ValidationError(_("Every entry must be in this fund's own accounts."), code="other_fund")
        deltas[account.pk] += amount
    if sum(amount for _account, amount in legs) != 0:
        raise ValidationError(_("The booking is not balanced: the entries must add up to zero."), code="unbalanced")
    return deltas


def _check_balances(fund: Fund, deltas: dict[int, int]) -> None:
    """Re-read the balances under a row lock: the check that concurrent payouts cannot get around."""
    locked = Account.objects.select_for_update().filter(pk__in=deltas).order_by("pk")
    for account in locked:
        delta = deltas[account.pk]
        if delta >= 0 or account.balance + delta >= 0:
            continue
        if account.kind == Account.Kind.BANK and not fund.allows_negative_balance:
            raise ValidationError(
                _("There is not enough money in the fund: %(available)s is free to spend.")
                % {"available": format_amount(account.balance)},
                code="insufficient_funds",
            )
        if account.kind == Account.Kind.COMMITMENT:
            raise ValidationError(_("This is more than was committed to the project."), code="over_commitment")


def check_year_open(fund: Fund, day: date) -> None:
    """Nothing is booked with a date in a closed year."""
    if ClosedYear.objects.filter(fund=fund, year=day.year).exists():
        raise ValidationError(
            _("The books of %(year)s are closed: nothing can be booked with a date in that year.") % {"year": day.year},
            code="closed_year",
        )


def _book(
    *,
    fund: Fund,
    kind: str,
    description: str,
    legs: Sequence[Leg],
    actor: User | None,
    booked_on: date | None = None,
    reverses: Transaction | None = None,
    budget_line: BudgetLine | None = None,
) -> Transaction:
    """Book a balanced transaction; the caller holds the fund's lock (taken again here, which costs nothing)."""
    fund = _lock_fund(fund)
    deltas = _deltas(fund, description, legs)
    booked_on = booked_on or timezone.localdate()
    check_year_open(fund, booked_on)
    if budget_line is not None and budget_line.fund_id != fund.pk:
        raise ValidationError(_("Every entry must be in this fund's own accounts."), code="other_fund")
    _check_balances(fund, deltas)
    booked = Transaction.objects.create(
        fund=fund,
        kind=kind,
        description=description.strip(),
        booked_on=booked_on,
        reverses=reverses,
        created_by=actor,
        budget_line=budget_line,
    )
    Entry.objects.bulk_create([Entry(transaction=booked, account=account, amount=amount) for account, amount in legs])
    for pk, delta in deltas.items():
        if delta:
            Account.objects.filter(pk=pk).update(balance=F("balance") + delta)
    return booked


@transaction.atomic
def book_transaction(
    *,
    fund: Fund,
    description: str,
    legs: Sequence[Leg],
    actor: User | None,
    kind: str = Transaction.Kind.OTHER,
    booked_on: date | None = None,
    budget_line: BudgetLine | None = None,
) -> Transaction:
    """Book any balanced transaction: entries as (account, cents), debit positive, credit negative."""
    booked = _book(
        fund=fund,
        kind=kind,
        description=description,
        legs=legs,
        actor=actor,
        booked_on=booked_on,
        budget_line=budget_line,
    )
    _audit(fund, AuditEvent.Action.TRANSACTION_BOOKED, actor, booked=booked)
    return booked


@transaction.atomic
def record_income(
    *, fund: Fund, source: str, amount: int, description: str, actor: User | None, booked_on: date | None = None
) -> Transaction:
    """Money came into the fund's bank account from the gemeente, a charitable fund, members or a pledge."""
    fund = _lock_fund(fund)
    amount = _check_amount(amount)
    legs = [(bank_account(fund), amount), (income_account(fund, source), -amount)]
    booked = _book(
        fund=fund, kind=Transaction.Kind.INCOME, description=description, legs=legs, actor=actor, booked_on=booked_on
    )
    _audit(fund, AuditEvent.Action.INCOME_RECORDED, actor, booked=booked, amount=amount, source=source)
    return booked


@transaction.atomic
def commit_budget(
    *,
    fund: Fund,
    project: str,
    amount: int,
    description: str,
    actor: User | None,
    buurt: Buurt | None = None,
    booked_on: date | None = None,
) -> Transaction:
    """Set money aside for a project: it stays in the bank but is no longer free to spend."""
    fund = _lock_fund(fund)
    amount = _check_amount(amount)
    if not project.strip():
        raise ValidationError(_("Name the project."), code="project")
    legs = [(commitment_account(fund, project=project, buurt=buurt), amount), (bank_account(fund), -amount)]
    booked = _book(
        fund=fund,
        kind=Transaction.Kind.COMMITMENT,
        description=description,
        legs=legs,
        actor=actor,
        booked_on=booked_on,
    )
    _audit(fund, AuditEvent.Action.BUDGET_COMMITTED, actor, booked=booked, amount=amount, project=project)
    return booked


def releasable_commitments(fund: Fund) -> Any:
    """The fund's commitments with money still set aside, other than a grant's (released when the grant is settled)."""
    grant_commitments = GrantApplication.objects.filter(fund=fund, commitment__isnull=False).values("commitment")
    return fund.accounts.filter(kind=Account.Kind.COMMITMENT, balance__gt=0).exclude(pk__in=grant_commitments)


@transaction.atomic
def release_commitment(
    *,
    fund: Fund,
    commitment: Account,
    amount: int,
    reason: str,
    actor: User | None,
    booked_on: date | None = None,
) -> Transaction:
    """A project needs less than was committed: the rest goes back to the free balance (bank +, commitment −). At
    most what is still committed; the reason is kept in the audit log."""
    fund = _lock_fund(fund)
    amount = _check_amount(amount)
    if not reason.strip():
        raise ValidationError(_("Give the reason; it is kept in the audit log."), code="reason")
    if commitment.fund_id != fund.pk or commitment.kind != Account.Kind.COMMITMENT:
        raise ValidationError(_("Choose a commitment of this fund."), code="not_a_commitment")
    if GrantApplication.objects.filter(commitment=commitment).exists():
        raise ValidationError(
            _("This money is set aside for a grant. It goes back to the fund when the grant is settled."),
            code="grant_commitment",
        )
    commitment = Account.objects.get(pk=commitment.pk)  # the balance as it is now, under the fund's lock
    if amount > commitment.balance:
        raise ValidationError(
            _("At most %(amount)s is still committed to %(project)s.")
            % {"amount": format_amount(max(commitment.balance, 0)), "project": commitment.project},
            code="more_than_committed",
        )
    legs = [(bank_account(fund), amount), (commitment, -amount)]
    booked = _book(
        fund=fund,
        kind=Transaction.Kind.OTHER,
        description=_("Commitment released, not needed: %(project)s") % {"project": commitment.project},
        legs=legs,
        actor=actor,
        booked_on=booked_on,
    )
    _audit(
        fund,
        AuditEvent.Action.COMMITMENT_RELEASED,
        actor,
        booked=booked,
        amount=amount,
        project=commitment.project,
        reason=reason.strip(),
    )
    return booked


@transaction.atomic
def reverse_transaction(*, original: Transaction, actor: User | None, reason: str) -> Transaction:
    """Correct a booking: a new transaction with every entry mirrored. The original stays as it was."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for the correction; it is kept in the audit log."), code="reason")
    fund = _lock_fund(original.fund)
    original = Transaction.objects.get(pk=original.pk)
    if original.kind == Transaction.Kind.REVERSAL:
        raise ValidationError(_("A reversal cannot be reversed; book the transaction again instead."), code="reversal")
    if Transaction.objects.filter(reverses=original).exists():
        raise ValidationError(_("This transaction has already been reversed."), code="already_reversed")
    legs = [(entry.account, -entry.amount) for entry in original.entries.select_related("account")]
    booked = _book(
        fund=fund,
        kind=Transaction.Kind.REVERSAL,
        description=_("Correction of: %(description)s") % {"description": original.description},
        legs=legs,
        actor=actor,
        reverses=original,
        budget_line=original.budget_line,
    )
    _audit(fund, AuditEvent.Action.TRANSACTION_REVERSED, actor, booked=booked, original=original.pk, reason=reason)
    return booked


# Payments ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def request_payment(
    *,
    fund: Fund,
    requester: User,
    amount: int,
    description: str,
    project: str,
    organisation: Organisation | None = None,
    payee_name: str = "",
    buurt: Buurt | None = None,
    commitment: Account | None = None,
    budget_line: BudgetLine | None = None,
) -> PaymentRequest:
    """A treasurer asks to pay money out; nothing is booked until other treasurers approve. With a commitment the
    money comes out of what was set aside for a project (a grant's tranche) instead of the free balance."""
    fund = _lock_fund(fund)
    amount = _check_amount(amount)
    if not fund.is_treasurer(requester):
        raise ValidationError(_("Only a treasurer of this fund can request a payment."), code="not_treasurer")
    if not description.strip() or not project.strip():
        raise ValidationError(_("Say what the payment is for and for which project."), code="description")
    if (organisation is None) == (not payee_name.strip()):
        raise ValidationError(_("Choose an organisation or write the name of one person, not both."), code="payee")
    if budget_line is not None and (budget_line.fund_id != fund.pk or budget_line.kind != BudgetLine.Kind.EXPENSE):
        raise ValidationError(_("Choose a spending line of this fund's budget."), code="budget_line")
    if commitment is not None:
        commitment = Account.objects.get(pk=commitment.pk)
        if commitment.fund_id != fund.pk or commitment.kind != Account.Kind.COMMITMENT:
            raise ValidationError(_("Every entry must be in this fund's own accounts."), code="other_fund")
        if amount > commitment.balance:
            raise ValidationError(_("This is more than was committed to the project."), code="over_commitment")
    available = bank_account(fund).balance
    if commitment is None and not fund.allows_negative_balance and amount > available:
        raise ValidationError(
            _("There is not enough money in the fund: %(available)s is free to spend.")
            % {"available": format_amount(available)},
            code="insufficient_funds",
        )
    payment = PaymentRequest.objects.create(
        fund=fund,
        amount=amount,
        description=description.strip(),
        project=project.strip(),
        organisation=organisation,
        payee_name=payee_name.strip(),
        buurt=buurt,
        requested_by=requester,
        commitment=commitment,
        budget_line=budget_line,
    )
    _audit(fund, AuditEvent.Action.PAYMENT_REQUESTED, requester, payment=payment, amount=amount, project=project)
    return payment


def _lock_payment(payment: PaymentRequest) -> PaymentRequest:
    return PaymentRequest.objects.select_for_update(of=("self",)).select_related("fund").get(pk=payment.pk)


@transaction.atomic
def approve_payment(*, payment: PaymentRequest, approver: User) -> PaymentRequest:
    """Approve a payment; with enough approvals (one, or two above the fund's threshold) it is booked at once."""
    payment = _lock_payment(payment)
    fund = _lock_fund(payment.fund)
    if not payment.is_open:
        raise ValidationError(_("This payment has already been decided."), code="decided")
    if approver.pk == payment.requested_by_id:
        raise ValidationError(_("You cannot approve your own request: another treasurer must."), code="own_request")
    if not fund.is_treasurer(approver):
        raise ValidationError(_("Only a treasurer of this fund can approve a payment."), code="not_treasurer")
    if payment.approvals.filter(approver=approver).exists():
        raise ValidationError(_("You have already approved this payment."), code="approved_twice")
    Approval.objects.create(payment=payment, approver=approver)
    _audit(fund, AuditEvent.Action.PAYMENT_APPROVED, approver, payment=payment)
    needed = fund.approvals_needed(payment.amount)
    if payment.approvals.count() < needed:
        return payment
    legs = [
        (
            payout_account(fund, project=payment.project, organisation=payment.organisation, buurt=payment.buurt),
            payment.amount,
        ),
        (payment.commitment or bank_account(fund), -payment.amount),
    ]
    booked = _book(
        fund=fund,
        kind=Transaction.Kind.PAYOUT,
        description=payment.description,
        legs=legs,
        actor=approver,
        budget_line=payment.budget_line,
    )
    payment.status, payment.decided_at, payment.transaction = PaymentRequest.Status.BOOKED, timezone.now(), booked
    payment.approvals_required = needed
    payment.save(update_fields=["status", "decided_at", "transaction", "approvals_required"])
    _audit(fund, AuditEvent.Action.PAYMENT_BOOKED, approver, payment=payment, booked=booked, amount=payment.amount)
    return payment


@transaction.atomic
def reject_payment(*, payment: PaymentRequest, treasurer: User, reason: str) -> PaymentRequest:
    """Any treasurer of the fund, also the one who asked, can stop a payment that is not booked yet."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for rejecting; the other treasurers read it."), code="reason")
    payment = _lock_payment(payment)
    if not payment.is_open:
        raise ValidationError(_("This payment has already been decided."), code="decided")
    if not payment.fund.is_treasurer(treasurer):
        raise ValidationError(_("Only a treasurer of this fund can reject a payment."), code="not_treasurer")
    payment.status, payment.decided_at, payment.rejection_reason = (
        PaymentRequest.Status.REJECTED,
        timezone.now(),
        reason.strip(),
    )
    payment.save(update_fields=["status", "decided_at", "rejection_reason"])
    _audit(payment.fund, AuditEvent.Action.PAYMENT_REJECTED, treasurer, payment=payment, reason=reason.strip())
    return payment


def record_fund_change(*, fund: Fund, actor: User | None, created: bool, changed: list[str]) -> AuditEvent:
    """Called by the management pages after a fund was saved, so the audit log shows who changed what."""
    action = AuditEvent.Action.FUND_CREATED if created else AuditEvent.Action.FUND_CHANGED
    treasurers = sorted(fund.treasurers.values_list("email", flat=True))
    return _audit(fund, action, actor, changed=changed, treasurers=treasurers)


@transaction.atomic
def add_treasurer(*, fund: Fund, user: User, actor: User) -> None:
    fund = _lock_fund(fund)
    if not user.is_active:
        raise ValidationError(_("This account is not active."), code="inactive")
    if fund.is_treasurer(user):
        raise ValidationError(_("This person is already a treasurer of this fund."), code="already_treasurer")
    fund.treasurers.add(user)
    record_fund_change(fund=fund, actor=actor, created=False, changed=["treasurers"])


@transaction.atomic
def remove_treasurer(*, fund: Fund, user: User, actor: User) -> None:
    fund = _lock_fund(fund)
    if not fund.is_treasurer(user):
        raise ValidationError(_("This person is not a treasurer of this fund."), code="not_treasurer")
    fund.treasurers.remove(user)
    record_fund_change(fund=fund, actor=actor, created=False, changed=["treasurers"])


@transaction.atomic
def change_fund_settings(
    *, fund: Fund, actor: User, four_eyes_threshold: int, max_grant: int, decision_weeks: int
) -> Fund:
    """The rules the board sets for a fund: the four-eyes threshold, the maximum grant and the decision period."""
    fund = _lock_fund(fund)
    for amount in (four_eyes_threshold, max_grant):
        if isinstance(amount, bool) or not isinstance(amount, int) or not 0 <= amount <= MAX_CENTS:
            raise ValidationError(_("Amounts are whole euro cents."), code="not_cents")
    if not 1 <= decision_weeks <= 26:
        raise ValidationError(_("The decision period is between 1 and 26 weeks."), code="weeks")
    changed = [
        name
        for name, value in (
            ("four_eyes_threshold", four_eyes_threshold),
            ("max_grant", max_grant),
            ("decision_weeks", decision_weeks),
        )
        if getattr(fund, name) != value
    ]
    fund.four_eyes_threshold, fund.max_grant, fund.decision_weeks = four_eyes_threshold, max_grant, decision_weeks
    fund.save(update_fields=["four_eyes_threshold", "max_grant", "decision_weeks"])
    record_fund_change(fund=fund, actor=actor, created=False, changed=changed)
    return fund
