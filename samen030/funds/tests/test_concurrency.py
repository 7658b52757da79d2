"""Fifty treasurers' approvals at the same moment never overdraw a fund that must stay above zero.

Each thread has its own database connection, so the approvals really race; the row lock on the fund inside
`approve_payment` makes them take turns, and the balance check after the lock sees every payout before it.
SQLite writes one transaction at a time anyway, so this needs PostgreSQL (`make test-postgres`)."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

from samen030.funds import services
from samen030.funds.ledger_checks import ledger_problems
from samen030.funds.models import Fund, PaymentRequest, Transaction
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.slow,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="real concurrency needs PostgreSQL",
    ),
]

PAYMENTS = 50
AMOUNT = 10_000  # € 100,00 each
AFFORDABLE = 17  # the fund holds € 1.750,00: 17 payments fit, the 18th does not


def test_fifty_concurrent_approvals_never_overdraw_the_fund(transactional_db):
    requester, approver = UserFactory(), UserFactory()
    fund = Fund.objects.create(slug="race", name="Racefonds", kind=Fund.Kind.BUURTFONDS)
    fund.treasurers.set([requester, approver])
    income = AFFORDABLE * AMOUNT + 5_000
    services.record_income(fund=fund, source="gemeente", amount=income, description="In", actor=None)
    payments = [
        services.request_payment(
            fund=fund, requester=requester, amount=AMOUNT, description=f"Betaling {n}", project="Race", payee_name="z"
        )
        for n in range(PAYMENTS)
    ]
    start = threading.Barrier(PAYMENTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def approve(payment: PaymentRequest) -> None:
        try:
            start.wait(timeout=30)
            services.approve_payment(payment=payment, approver=approver)
            outcome = "booked"
        except ValidationError as error:
            outcome = str(error.code)
        except Exception as error:  # a thread must report, not die silently
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=approve, args=(payment,)) for payment in payments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(set(outcomes)) == ["booked", "insufficient_funds"], outcomes
    assert outcomes.count("booked") == AFFORDABLE
    assert PaymentRequest.objects.filter(status=PaymentRequest.Status.BOOKED).count() == AFFORDABLE
    assert Transaction.objects.filter(kind="payout").count() == AFFORDABLE
    bank = services.bank_account(fund)
    assert bank.balance == 5_000
    assert bank.balance >= 0
    assert list(ledger_problems()) == []
