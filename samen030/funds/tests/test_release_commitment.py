"""Releasing a commitment: a project needs less than was committed, so a treasurer books the rest back to the free
balance, without the correction trick, and at most what is still committed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from samen030.funds import services
from samen030.funds.ledger_checks import ledger_problems
from samen030.funds.models import Account, AuditEvent, Fund, GrantApplication, Transaction

URL = "/fondsen/wijkbudget-west/toezeggingen/vrijgeven/"


@pytest.fixture
def committed(funded, treasurer):
    services.commit_budget(
        fund=funded, project="Buurtfeest Lombok", amount=100_000, description="Buurtfeest 2026", actor=treasurer
    )
    return Account.objects.get(fund=funded, kind=Account.Kind.COMMITMENT)


def test_a_treasurer_releases_part_of_a_commitment(login, committed, treasurer):
    tessa = login(treasurer)
    page = tessa.get(URL)
    assert page.status_code == 200
    assert "Buurtfeest Lombok" in page.content.decode()
    bookings = Transaction.objects.count()

    # More than is still committed: a clear message, nothing booked.
    response = tessa.post(URL, {"commitment": committed.pk, "amount": "1.200,00", "reason": "Minder huur"})
    assert response.status_code == 400
    assert "Er staat nog maar €\u00a01.000,00 vast voor Buurtfeest Lombok." in response.content.decode()
    # Without a reason: nothing booked either.
    assert tessa.post(URL, {"commitment": committed.pk, "amount": "400", "reason": " "}).status_code == 400
    assert Transaction.objects.count() == bookings

    response = tessa.post(URL, {"commitment": committed.pk, "amount": "400,00", "reason": "Het podium was goedkoper."})
    assert response.status_code == 302
    committed.refresh_from_db()
    assert committed.balance == 60_000
    assert services.bank_account(committed.fund).balance == 500_000 - 60_000
    booked = Transaction.objects.latest("pk")
    assert booked.reverses is None
    assert sorted(booked.entries.values_list("amount", flat=True)) == [-40_000, 40_000]
    event = AuditEvent.objects.get(action=AuditEvent.Action.COMMITMENT_RELEASED)
    assert event.actor == treasurer
    assert event.transaction == booked
    assert event.details == {"amount": 40_000, "project": "Buurtfeest Lombok", "reason": "Het podium was goedkoper."}
    assert list(ledger_problems()) == []

    # The rest, exactly; then nothing is left to release.
    assert tessa.post(URL, {"commitment": committed.pk, "amount": "600", "reason": "Klaar."}).status_code == 302
    committed.refresh_from_db()
    assert committed.balance == 0
    assert "Er staat op dit moment geen geld vast" in tessa.get(URL).content.decode()
    assert services.bank_account(committed.fund).balance == 500_000

    public = login(None).get(committed.fund.get_absolute_url()).content.decode()
    assert "Toezegging vrijgegeven, niet nodig: Buurtfeest Lombok" in public
    assert "Het podium was goedkoper." not in public  # the reason stays in the audit log


def test_only_treasurers_release(login, committed, board_member, resident):
    assert login(None).get(URL).status_code == 302
    assert login(resident).get(URL).status_code == 403
    assert login(board_member).get(URL).status_code == 403
    assert login(board_member).post(URL, {"commitment": committed.pk, "amount": "1", "reason": "x"}).status_code == 403
    committed.refresh_from_db()
    assert committed.balance == 100_000


def test_a_grants_commitment_is_released_by_settling_it(login, funded, treasurer, resident):
    commitment = services.commitment_account(funded, project="Speeltuin")
    services.book_transaction(
        fund=funded,
        description="Toegekend",
        legs=[(commitment, 50_000), (services.bank_account(funded), -50_000)],
        actor=treasurer,
    )
    start = timezone.localdate() + timedelta(days=30)
    GrantApplication.objects.create(
        fund=funded,
        title="Speeltuin",
        plan="Een speeltuin.",
        applicant=resident,
        starts_on=start,
        ends_on=start,
        amount_requested=50_000,
        decide_by=start,
        commitment=commitment,
    )
    tessa = login(treasurer)
    assert tessa.post(URL, {"commitment": commitment.pk, "amount": "100", "reason": "x"}).status_code == 400
    with pytest.raises(ValidationError) as error:
        services.release_commitment(fund=funded, commitment=commitment, amount=100, reason="x", actor=treasurer)
    assert error.value.code == "grant_commitment"
    commitment.refresh_from_db()
    assert commitment.balance == 50_000


def test_a_commitment_of_another_fund_or_a_bank_account_is_refused(committed, treasurer):
    other = Fund.objects.create(slug="ander-fonds", name="Ander fonds", kind=Fund.Kind.STADSFONDS)
    other.treasurers.add(treasurer)
    for fund, account in ((other, committed), (committed.fund, services.bank_account(committed.fund))):
        with pytest.raises(ValidationError) as error:
            services.release_commitment(fund=fund, commitment=account, amount=100, reason="x", actor=treasurer)
        assert error.value.code == "not_a_commitment"
    committed.refresh_from_db()
    assert committed.balance == 100_000
