"""`samen030 check_ledger` passes on a sound ledger and names every kind of breach."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from samen030.funds import services
from samen030.funds.models import Account, Entry, PaymentRequest, Transaction


def check(capsys):
    try:
        call_command("check_ledger")
    except CommandError as error:
        return False, capsys.readouterr().err, str(error)
    return True, capsys.readouterr().out, ""


def test_a_sound_ledger_passes(funded, treasurer, second_treasurer, capsys):
    payment = services.request_payment(
        fund=funded, requester=treasurer, amount=1_000, description="x", project="p", payee_name="z"
    )
    payment = services.approve_payment(payment=payment, approver=second_treasurer)
    services.reverse_transaction(original=payment.transaction, actor=treasurer, reason="Fout")
    ok, output, _error = check(capsys)
    assert ok, output
    assert "3 transactions" in output


def test_an_unbalanced_transaction_is_reported(funded, capsys):
    booked = Transaction.objects.get()
    Entry.objects.bulk_create([Entry(transaction=booked, account=services.bank_account(funded), amount=1)])
    ok, output, error = check(capsys)
    assert not ok
    assert f"transaction {booked.pk}" in output
    assert "summing to 1" in output
    assert "stores balance" in output  # the bank's stored balance no longer matches its entries
    assert "problem" in error


def test_a_forbidden_negative_balance_is_reported(funded, capsys):
    with connection.cursor() as cursor:  # what a bug or a manual edit in the database could do
        cursor.execute("UPDATE funds_account SET balance = -5 WHERE key = 'bank'")
    ok, output, _error = check(capsys)
    assert not ok
    assert "may not go below zero" in output


def test_a_reversal_that_does_not_mirror_is_reported(funded, capsys):
    original = Transaction.objects.get()
    reversal = Transaction.objects.create(fund=funded, kind="reversal", description="Half", reverses=original)
    bank, income = services.bank_account(funded), services.income_account(funded, "gemeente")
    Entry.objects.bulk_create(
        [Entry(transaction=reversal, account=bank, amount=-1), Entry(transaction=reversal, account=income, amount=1)]
    )
    with connection.cursor() as cursor:
        cursor.execute("UPDATE funds_account SET balance = balance - 1 WHERE key = 'bank'")
        cursor.execute("UPDATE funds_account SET balance = balance + 1 WHERE key = 'income:gemeente'")
    ok, output, _error = check(capsys)
    assert not ok
    assert f"reversal {reversal.pk} does not mirror transaction {original.pk}" in output


def test_a_self_approved_payment_is_reported(funded, treasurer, capsys):
    payment = PaymentRequest.objects.create(
        fund=funded, amount=100, description="x", project="p", payee_name="z", requested_by=treasurer, status="geboekt"
    )
    payment.approvals.create(approver=treasurer)
    ok, output, _error = check(capsys)
    assert not ok
    assert "approved by the person who requested it" in output
    assert "has no transaction" in output


@pytest.mark.usefixtures("db")
def test_an_empty_ledger_passes(capsys):
    assert check(capsys)[0]
    assert not Account.objects.exists()
