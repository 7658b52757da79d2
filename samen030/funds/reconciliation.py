"""Importing a bank statement into a fund: each line that went out is matched to a booked payment it confirms
(same amount, and the payment's reference S030-<number> in the description or the receiving organisation's IBAN);
lines that came in can be booked as income from the list of what did not match. A file that cannot be read is
refused whole: nothing is saved or booked (docs/funds.md, "Bank statements")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samen030.accounts.models import User

from . import services
from .models import AuditEvent, BankImport, BankLine, Fund, PaymentRequest, Transaction
from .statements import StatementLine, parse_statement


@dataclass
class ImportResult:
    bank_import: BankImport
    matched: list[BankLine] = field(default_factory=list)
    unmatched: list[BankLine] = field(default_factory=list)
    duplicates: int = 0


def _clean_iban(text: str) -> str:
    return re.sub(r"\s+", "", text or "").upper()


def _match(line: StatementLine, candidates: list[PaymentRequest]) -> PaymentRequest | None:
    """A payment of the same amount, preferably the one whose reference is in the description, otherwise the
    oldest one to the same IBAN."""
    same_amount = [payment for payment in candidates if payment.amount == -line.amount]
    for payment in same_amount:
        if re.search(rf"\bS030-{payment.pk}\b", line.reference, flags=re.IGNORECASE):
            return payment
    if line.iban:
        for payment in same_amount:
            if payment.organisation and _clean_iban(payment.organisation.iban) == line.iban:
                return payment
    return None


@transaction.atomic
def import_statement(*, fund: Fund, data: bytes, file_name: str, actor: User) -> ImportResult:
    lines = parse_statement(data, file_name)  # raises before anything is saved
    fund = services._lock_fund(fund)
    bank_import = BankImport.objects.create(fund=fund, file_name=file_name[:200], imported_by=actor)
    result = ImportResult(bank_import=bank_import)
    known = set(BankLine.objects.filter(fund=fund).values_list("fingerprint", flat=True))
    candidates = list(
        PaymentRequest.objects.filter(fund=fund, status=PaymentRequest.Status.BOOKED, bank_line__isnull=True)
        .select_related("organisation")
        .order_by("decided_at", "pk")
    )
    for line in lines:
        if line.fingerprint in known:
            result.duplicates += 1
            continue
        known.add(line.fingerprint)
        payment = _match(line, candidates) if line.amount < 0 else None
        if payment is not None:
            candidates.remove(payment)
        saved = BankLine.objects.create(
            fund=fund,
            bank_import=bank_import,
            fingerprint=line.fingerprint,
            booked_on=line.booked_on,
            amount=line.amount,
            counterparty=line.counterparty,
            iban=line.iban,
            reference=line.reference,
            payment=payment,
        )
        (result.matched if payment else result.unmatched).append(saved)
    bank_import.duplicates = result.duplicates
    bank_import.save(update_fields=["duplicates"])
    services._audit(
        fund,
        AuditEvent.Action.STATEMENT_IMPORTED,
        actor,
        file=file_name[:200],
        matched=len(result.matched),
        unmatched=len(result.unmatched),
        duplicates=result.duplicates,
    )
    return result


@transaction.atomic
def book_as_income(*, line: BankLine, source: str, actor: User) -> Transaction:
    """Book an incoming statement line that matched nothing as income from a source, dated as on the statement."""
    line = BankLine.objects.select_for_update().get(pk=line.pk)
    if line.amount <= 0:
        raise ValidationError(_("Only money that came in can be booked as income."), code="not_income")
    if line.is_matched:
        raise ValidationError(_("This line has already been booked or matched."), code="matched")
    description = line.reference or line.counterparty or _("Bank statement line %(number)s") % {"number": line.pk}
    booked = services.record_income(
        fund=line.fund,
        source=source,
        amount=line.amount,
        description=description[:300],
        actor=actor,
        booked_on=line.booked_on,
    )
    line.income = booked
    line.save(update_fields=["income"])
    return booked


def open_lines(fund: Fund) -> Sequence[BankLine]:
    return list(BankLine.objects.filter(fund=fund, payment__isnull=True, income__isnull=True).order_by("booked_on"))
