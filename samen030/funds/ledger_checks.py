"""The ledger's invariants, checked against what is in the database (used by `samen030 check_ledger`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

from django.db.models import Count, F, Q, Sum

from .models import Account, Entry, PaymentRequest, Transaction


def ledger_problems() -> Iterator[str]:
    """Every breach of an invariant, one readable line each; nothing when the ledger is sound."""
    yield from _unbalanced_transactions()
    yield from _entries_in_other_funds()
    yield from _stored_balances()
    yield from _negative_balances()
    yield from _reversals()
    yield from _payments()


def _unbalanced_transactions() -> Iterator[str]:
    rows = Transaction.objects.annotate(total=Sum("entries__amount"), count=Count("entries")).filter(
        Q(total__isnull=True) | ~Q(total=0) | Q(count__lt=2)
    )
    for row in rows.order_by("pk"):
        total = row.total or 0
        yield f"transaction {row.pk} ({row.description!r}) has {row.count} entries summing to {total}, not zero"


def _entries_in_other_funds() -> Iterator[str]:
    for entry in Entry.objects.exclude(account__fund=F("transaction__fund")).order_by("pk"):
        yield (
            f"entry {entry.pk} of transaction {entry.transaction_id} books on account {entry.account_id} "
            "of another fund"
        )


def _stored_balances() -> Iterator[str]:
    sums = dict(Entry.objects.values("account").annotate(total=Sum("amount")).values_list("account", "total"))
    for account in Account.objects.order_by("pk"):
        expected = sums.get(account.pk, 0) or 0
        if account.balance != expected:
            yield f"account {account.pk} ({account}) stores balance {account.balance} but its entries sum to {expected}"


def _negative_balances() -> Iterator[str]:
    bank = Account.objects.filter(kind=Account.Kind.BANK, fund__allows_negative_balance=False, balance__lt=0)
    for account in bank.select_related("fund").order_by("pk"):
        yield f"fund {account.fund.slug} may not go below zero but its bank balance is {account.balance}"
    for account in Account.objects.filter(kind=Account.Kind.COMMITMENT, balance__lt=0).order_by("pk"):
        yield f"commitment account {account.pk} ({account}) is below zero: {account.balance}"


def _reversals() -> Iterator[str]:
    reversals = Transaction.objects.filter(Q(kind=Transaction.Kind.REVERSAL) | Q(reverses__isnull=False))
    entries: dict[int, Counter[tuple[int, int]]] = defaultdict(Counter)
    wanted = set(reversals.values_list("pk", flat=True)) | set(reversals.values_list("reverses", flat=True))
    for transaction_id, account_id, amount in Entry.objects.filter(transaction__in=wanted - {None}).values_list(
        "transaction", "account", "amount"
    ):
        entries[transaction_id][(account_id, amount)] += 1
    for reversal in reversals.order_by("pk"):
        if reversal.reverses_id is None:
            yield f"reversal {reversal.pk} does not say which transaction it reverses"
            continue
        if reversal.kind != Transaction.Kind.REVERSAL:
            yield f"transaction {reversal.pk} reverses {reversal.reverses_id} but is not marked as a reversal"
        original = Transaction.objects.filter(pk=reversal.reverses_id).first()
        if original is None:
            yield f"reversal {reversal.pk} refers to transaction {reversal.reverses_id}, which does not exist"
            continue
        if original.fund_id != reversal.fund_id:
            yield f"reversal {reversal.pk} reverses transaction {original.pk} of another fund"
        mirrored = Counter({(account, -amount): n for (account, amount), n in entries[original.pk].items()})
        if entries[reversal.pk] != mirrored:
            yield f"reversal {reversal.pk} does not mirror transaction {original.pk} exactly"


def _payments() -> Iterator[str]:
    payments = PaymentRequest.objects.select_related("fund", "transaction").prefetch_related("approvals")
    for payment in payments.filter(status=PaymentRequest.Status.BOOKED).order_by("pk"):
        approvers = {approval.approver_id for approval in payment.approvals.all()}
        if payment.transaction is None:
            yield f"payment {payment.pk} is marked as booked but has no transaction"
        if payment.requested_by_id in approvers:
            yield f"payment {payment.pk} was approved by the person who requested it"
        if len(approvers) < max(payment.approvals_required or 0, 1):
            yield f"payment {payment.pk} was booked with {len(approvers)} approvals, fewer than the fund requires"
    for payment in payments.exclude(status=PaymentRequest.Status.BOOKED).filter(transaction__isnull=False):
        yield f"payment {payment.pk} has a transaction but is not marked as booked"
