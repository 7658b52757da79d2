"""Property tests: any sequence of bookings, payouts and reversals keeps every invariant of the ledger."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samen030.funds import services
from samen030.funds.ledger_checks import ledger_problems
from samen030.funds.models import Account, Fund, Transaction
from tests.factories import UserFactory

SOURCES = [source for source, _label in Account.Source.choices]
amounts = st.integers(min_value=1, max_value=2_000_000)
cents = st.integers(min_value=-50_000, max_value=50_000)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("income"), st.sampled_from(SOURCES), amounts),
        st.tuples(st.just("payout"), st.sampled_from(["Feest", "Moestuin", "Speeltuin"]), amounts),
        st.tuples(st.just("commit"), st.sampled_from(["Feest", "Moestuin"]), amounts),
        st.tuples(st.just("tranche"), st.sampled_from(["Feest", "Moestuin"]), amounts),
        st.tuples(st.just("book"), st.lists(cents.filter(bool), min_size=1, max_size=4), st.just(0)),
        st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=50), st.just(0)),
    ),
    max_size=25,
)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps, negative_allowed=st.booleans())
def test_random_bookings_keep_the_ledger_sound(db, steps, negative_allowed):
    with transaction.atomic():
        requester, approver = UserFactory(), UserFactory()
        fund = Fund.objects.create(
            slug="eigenschap", name="Eigenschap", kind=Fund.Kind.STADSFONDS, allows_negative_balance=negative_allowed
        )
        fund.treasurers.set([requester, approver])
        for kind, what, amount in steps:
            try:
                if kind == "income":
                    services.record_income(fund=fund, source=what, amount=amount, description="In", actor=None)
                elif kind == "payout":
                    payment = services.request_payment(
                        fund=fund, requester=requester, amount=amount, description="Uit", project=what, payee_name="z"
                    )
                    services.approve_payment(payment=payment, approver=approver)
                elif kind == "tranche":
                    # A grant's tranche: paid out of the money committed to the project, never more than is left.
                    commitment = services.commitment_account(fund, project=what)
                    payment = services.request_payment(
                        fund=fund,
                        requester=requester,
                        amount=amount,
                        description="Termijn",
                        project=what,
                        payee_name="z",
                        commitment=commitment,
                    )
                    services.approve_payment(payment=payment, approver=approver)
                elif kind == "commit":
                    services.commit_budget(fund=fund, project=what, amount=amount, description="Toezegging", actor=None)
                elif kind == "book":
                    # Random legs on the income accounts, made balanced by one last leg on the bank account.
                    legs = [(services.income_account(fund, SOURCES[i % len(SOURCES)]), a) for i, a in enumerate(what)]
                    rest = -sum(a for _acc, a in legs)
                    if rest:
                        legs.append((services.bank_account(fund), rest))
                    services.book_transaction(fund=fund, description="Boeking", legs=legs, actor=None)
                else:
                    booked = list(Transaction.objects.filter(fund=fund).order_by("pk"))
                    if booked:
                        services.reverse_transaction(original=booked[what % len(booked)], actor=None, reason="Test")
            except ValidationError:
                pass  # refused bookings are fine; they must leave nothing behind
            assert list(ledger_problems()) == []
        transaction.set_rollback(True)
