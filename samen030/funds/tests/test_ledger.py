"""The ledger services directly: balanced bookings in whole cents, reversals, immutability and the four-eyes rule."""

import pytest
from django.core.exceptions import ValidationError

from samen030.funds import services
from samen030.funds.models import (
    Account,
    Approval,
    AuditEvent,
    Entry,
    Fund,
    ImmutableError,
    PaymentRequest,
    Transaction,
)
from tests.factories import OrganisationFactory


def free(fund):
    return services.bank_account(fund).balance


def test_income_is_booked_balanced_and_updates_the_balances(funded):
    booked = Transaction.objects.get()
    assert sorted(booked.entries.values_list("amount", flat=True)) == [-500_000, 500_000]
    assert free(funded) == 500_000
    assert services.income_account(funded, "gemeente").balance == -500_000
    assert AuditEvent.objects.filter(action="income_recorded").count() == 1


@pytest.mark.parametrize(
    ("amounts", "code"),
    [
        ([100, -99], "unbalanced"),
        ([100], "too_few_entries"),
        ([100, 0, -100], "zero_entry"),
        ([100.0, -100.0], "not_cents"),
        ([True, -1], "not_cents"),
    ],
)
def test_a_bad_booking_is_refused_and_nothing_is_booked(fund, amounts, code):
    accounts = [
        services.bank_account(fund),
        services.income_account(fund, "gemeente"),
        services.income_account(fund, "fondsen"),
    ]
    legs = list(zip(accounts, amounts, strict=False))
    with pytest.raises(ValidationError) as error:
        services.book_transaction(fund=fund, description="Fout", legs=legs, actor=None)
    assert error.value.code == code
    assert not Transaction.objects.exists()
    assert not Entry.objects.exists()
    assert set(Account.objects.values_list("balance", flat=True)) == {0}


def test_a_booking_cannot_use_another_funds_accounts(fund, places):
    other = Fund.objects.create(slug="ander", name="Ander fonds", kind=Fund.Kind.STADSFONDS)
    legs = [(services.bank_account(fund), 100), (services.income_account(other, "gemeente"), -100)]
    with pytest.raises(ValidationError):
        services.book_transaction(fund=fund, description="Fout", legs=legs, actor=None)
    assert not Transaction.objects.exists()


@pytest.mark.parametrize("amount", [0, -500, 12.5])
def test_negative_or_fractional_income_is_refused(fund, amount):
    with pytest.raises(ValidationError):
        services.record_income(fund=fund, source="gemeente", amount=amount, description="x", actor=None)
    assert not Transaction.objects.exists()


def test_entries_and_transactions_cannot_be_changed_or_deleted(funded):
    booked = Transaction.objects.get()
    entry = booked.entries.first()
    entry.amount = 1
    with pytest.raises(ImmutableError):
        entry.save()
    with pytest.raises(ImmutableError):
        entry.delete()
    with pytest.raises(ImmutableError):
        Entry.objects.update(amount=5)
    with pytest.raises(ImmutableError):
        Entry.objects.all().delete()
    with pytest.raises(ImmutableError):
        booked.delete()
    with pytest.raises(ImmutableError):
        AuditEvent.objects.all().delete()
    assert sorted(Entry.objects.values_list("amount", flat=True)) == [-500_000, 500_000]


def test_a_reversal_mirrors_the_original_and_cannot_be_repeated(funded, treasurer):
    original = Transaction.objects.get()
    reversal = services.reverse_transaction(original=original, actor=treasurer, reason="Dubbel geboekt")
    assert reversal.reverses == original
    assert reversal.kind == Transaction.Kind.REVERSAL
    mirrored = sorted((e.account_id, -e.amount) for e in original.entries.all())
    assert sorted((e.account_id, e.amount) for e in reversal.entries.all()) == mirrored
    assert free(funded) == 0
    with pytest.raises(ValidationError) as error:
        services.reverse_transaction(original=original, actor=treasurer, reason="Nog eens")
    assert error.value.code == "already_reversed"
    with pytest.raises(ValidationError):
        services.reverse_transaction(original=reversal, actor=treasurer, reason="Terug")
    assert Transaction.objects.count() == 2
    event = AuditEvent.objects.get(action="transaction_reversed")
    assert event.actor == treasurer
    assert event.details["reason"] == "Dubbel geboekt"


def test_a_reversal_that_would_overdraw_the_fund_is_refused(funded, treasurer, second_treasurer, third_treasurer):
    payment = services.request_payment(
        fund=funded, requester=treasurer, amount=400_000, description="Buurtfeest", project="Feest", payee_name="Jan"
    )
    services.approve_payment(payment=payment, approver=second_treasurer)
    services.approve_payment(payment=payment, approver=third_treasurer)
    income = Transaction.objects.get(kind="income")
    with pytest.raises(ValidationError) as error:
        services.reverse_transaction(original=income, actor=treasurer, reason="Subsidie teruggevorderd")
    assert error.value.code == "insufficient_funds"


def test_a_small_payment_needs_one_other_treasurer(funded, treasurer, second_treasurer):
    organisation = OrganisationFactory(name="Buurthuis De Boog")
    payment = services.request_payment(
        fund=funded,
        requester=treasurer,
        amount=25_050,
        description="Huur zaal",
        project="Buurtfeest",
        organisation=organisation,
    )
    assert payment.approvals_needed == 1
    assert free(funded) == 500_000  # nothing is booked on request
    payment = services.approve_payment(payment=payment, approver=second_treasurer)
    assert payment.status == PaymentRequest.Status.BOOKED
    assert free(funded) == 500_000 - 25_050
    payout = payment.transaction.entries.get(amount__gt=0).account
    assert (payout.kind, payout.project, payout.organisation) == ("payout", "Buurtfeest", organisation)
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-3:] == ["payment_requested", "payment_approved", "payment_booked"]


def test_a_large_payment_needs_two_other_treasurers(funded, treasurer, second_treasurer, third_treasurer):
    payment = services.request_payment(
        fund=funded,
        requester=treasurer,
        amount=100_001,
        description="Speeltoestel",
        project="Speeltuin",
        payee_name="Jan de Vries",
    )
    assert payment.approvals_needed == 2
    payment = services.approve_payment(payment=payment, approver=second_treasurer)
    assert payment.status == PaymentRequest.Status.REQUESTED
    assert free(funded) == 500_000
    payment = services.approve_payment(payment=payment, approver=third_treasurer)
    assert payment.status == PaymentRequest.Status.BOOKED
    assert free(funded) == 500_000 - 100_001


def test_exactly_the_threshold_needs_one_approval(funded, treasurer, second_treasurer):
    payment = services.request_payment(
        fund=funded, requester=treasurer, amount=100_000, description="Tent", project="Feest", payee_name="Piet"
    )
    assert services.approve_payment(payment=payment, approver=second_treasurer).status == "geboekt"


def test_nobody_approves_their_own_request_or_twice(funded, treasurer, second_treasurer):
    payment = services.request_payment(
        fund=funded, requester=treasurer, amount=200_000, description="Podium", project="Feest", payee_name="Piet"
    )
    with pytest.raises(ValidationError) as error:
        services.approve_payment(payment=payment, approver=treasurer)
    assert error.value.code == "own_request"
    services.approve_payment(payment=payment, approver=second_treasurer)
    with pytest.raises(ValidationError) as error:
        services.approve_payment(payment=payment, approver=second_treasurer)
    assert error.value.code == "approved_twice"
    assert Approval.objects.count() == 1
    assert Transaction.objects.filter(kind="payout").count() == 0


def test_only_treasurers_request_and_approve(funded, treasurer, board_member):
    with pytest.raises(ValidationError):
        services.request_payment(
            fund=funded, requester=board_member, amount=100, description="x", project="y", payee_name="z"
        )
    payment = services.request_payment(
        fund=funded, requester=treasurer, amount=100, description="x", project="y", payee_name="z"
    )
    with pytest.raises(ValidationError) as error:
        services.approve_payment(payment=payment, approver=board_member)
    assert error.value.code == "not_treasurer"


def test_a_payment_that_the_fund_cannot_afford_is_not_booked(funded, treasurer, second_treasurer, third_treasurer):
    with pytest.raises(ValidationError) as error:
        services.request_payment(
            fund=funded, requester=treasurer, amount=500_001, description="x", project="y", payee_name="z"
        )
    assert error.value.code == "insufficient_funds"
    first = services.request_payment(
        fund=funded, requester=treasurer, amount=300_000, description="a", project="p", payee_name="z"
    )
    second = services.request_payment(
        fund=funded, requester=treasurer, amount=300_000, description="b", project="p", payee_name="z"
    )
    services.approve_payment(payment=first, approver=second_treasurer)
    services.approve_payment(payment=first, approver=third_treasurer)
    services.approve_payment(payment=second, approver=second_treasurer)
    with pytest.raises(ValidationError) as error:
        services.approve_payment(payment=second, approver=third_treasurer)
    assert error.value.code == "insufficient_funds"
    second.refresh_from_db()
    assert second.status == PaymentRequest.Status.REQUESTED
    assert second.approvals.count() == 1  # the failed approval left nothing behind
    assert free(funded) == 200_000


def test_a_fund_that_may_go_negative_pays_more_than_it_has(fund, treasurer, second_treasurer):
    fund.allows_negative_balance = True
    fund.save()
    payment = services.request_payment(
        fund=fund, requester=treasurer, amount=5_000, description="Voorschot", project="p", payee_name="z"
    )
    services.approve_payment(payment=payment, approver=second_treasurer)
    assert free(fund) == -5_000


def test_a_rejected_payment_is_never_booked(funded, treasurer, second_treasurer):
    payment = services.request_payment(
        fund=funded, requester=treasurer, amount=1_000, description="x", project="y", payee_name="z"
    )
    with pytest.raises(ValidationError):
        services.reject_payment(payment=payment, treasurer=second_treasurer, reason=" ")
    services.reject_payment(payment=payment, treasurer=second_treasurer, reason="Past niet bij het fonds")
    with pytest.raises(ValidationError) as error:
        services.approve_payment(payment=payment, approver=second_treasurer)
    assert error.value.code == "decided"
    assert not Transaction.objects.filter(kind="payout").exists()


def test_commitments_set_money_aside_and_cannot_overdraw(funded, treasurer):
    services.commit_budget(fund=funded, project="Moestuin", amount=200_000, description="Toegezegd", actor=treasurer)
    assert free(funded) == 300_000
    with pytest.raises(ValidationError):
        services.commit_budget(fund=funded, project="Markt", amount=300_001, description="Te veel", actor=treasurer)
    assert services.commitment_account(funded, project="Moestuin").balance == 200_000


def test_a_payment_names_an_organisation_or_a_person(funded, treasurer):
    organisation = OrganisationFactory()
    for payee in ({}, {"organisation": organisation, "payee_name": "Jan"}):
        with pytest.raises(ValidationError) as error:
            services.request_payment(
                fund=funded, requester=treasurer, amount=100, description="x", project="y", **payee
            )
        assert error.value.code == "payee"
