"""Annual budgets against the ledger, and closed years that nothing can be booked in."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from samen030.funds import budgets, services
from samen030.funds.models import AuditEvent, BudgetLine, Transaction
from tests.factories import OrganisationFactory

THIS_YEAR = timezone.localdate().year


def test_budget_against_actual_per_line_on_the_public_and_the_treasurers_page(login, fund, treasurer, second_treasurer):
    tessa = login(treasurer)
    url = "/fondsen/wijkbudget-west/begroting/beheer/"
    assert tessa.get(url).status_code == 200
    lines = [
        {"name": "Subsidie gemeente", "kind": "inkomsten", "source": "gemeente", "planned": "10.000"},
        {"name": "Contributie", "kind": "inkomsten", "source": "contributie", "planned": "1.200"},
        {"name": "Bewonersinitiatieven", "kind": "uitgaven", "source": "", "planned": "8.000"},
        {"name": "Groen", "kind": "uitgaven", "source": "", "planned": "2.000"},
    ]
    for line in lines:
        assert tessa.post(url, {"action": "line", "jaar": THIS_YEAR, **line}).status_code == 302
    assert BudgetLine.objects.filter(fund=fund, year=THIS_YEAR).count() == 4
    services.record_income(fund=fund, source="gemeente", amount=600_000, description="Eerste deel", actor=treasurer)
    services.record_income(fund=fund, source="fondsen", amount=50_000, description="Oranje Fonds", actor=treasurer)
    initiatives = BudgetLine.objects.get(name="Bewonersinitiatieven")
    payment = services.request_payment(
        fund=fund,
        requester=treasurer,
        amount=98_765,
        description="Buurtfeest",
        project="Buurtfeest",
        organisation=OrganisationFactory(),
        budget_line=initiatives,
    )
    payment = services.approve_payment(payment=payment, approver=second_treasurer)
    report = budgets.budget_report(fund, THIS_YEAR)
    income = {row.name: (row.planned, row.actual) for row in report.income}
    assert income["Subsidie gemeente"] == (1_000_000, 600_000)
    assert income["Contributie"] == (120_000, 0)
    assert (0, 50_000) in income.values()  # the charitable fund had no line: "not in the budget"
    spending = {row.name: (row.planned, row.actual) for row in report.expenses}
    assert spending["Bewonersinitiatieven"] == (800_000, 98_765)
    assert spending["Groen"] == (200_000, 0)

    public = login(None).get("/fondsen/wijkbudget-west/")
    assert "Bewonersinitiatieven" in public.text
    assert "€\u00a0987,65" in public.text
    assert "Bewonersinitiatieven" in login(None).get(f"/fondsen/wijkbudget-west/begroting/?jaar={THIS_YEAR}").text
    assert "Bewonersinitiatieven" in tessa.get("/fondsen/wijkbudget-west/penningmeesters/").text

    # A correction counts back on the same line.
    services.reverse_transaction(original=payment.transaction, actor=treasurer, reason="Dubbel betaald")
    spending = {row.name: row.actual for row in budgets.budget_report(fund, THIS_YEAR).expenses}
    assert spending["Bewonersinitiatieven"] == 0
    assert AuditEvent.objects.filter(action="budget_changed").count() == 4


def test_only_treasurers_change_the_budget(login, fund, resident, board_member):
    url = "/fondsen/wijkbudget-west/begroting/beheer/"
    assert login(resident).get(url).status_code == 403
    assert login(board_member).get(url).status_code == 403
    assert login(None).get("/fondsen/wijkbudget-west/begroting/").status_code == 200


def test_bad_budget_lines_get_a_message(login, fund, treasurer):
    url = "/fondsen/wijkbudget-west/begroting/beheer/"
    response = login(treasurer).post(
        url, {"action": "line", "name": "Groen", "kind": "uitgaven", "planned": "12,345", "jaar": THIS_YEAR}
    )
    assert response.status_code == 400
    response = login(treasurer).post(
        url,
        {"action": "line", "name": "Subsidie", "kind": "inkomsten", "source": "", "planned": "10", "jaar": THIS_YEAR},
    )
    assert response.status_code == 400
    assert not BudgetLine.objects.exists()


def test_a_closed_year_is_locked(login, funded, treasurer):
    last_year = THIS_YEAR - 1
    services.record_income(
        fund=funded,
        source="gemeente",
        amount=10_000,
        description="Late boeking",
        actor=treasurer,
        booked_on=date(last_year, 12, 31),
    )
    with pytest.raises(ValidationError) as refused:
        budgets.close_year(fund=funded, year=THIS_YEAR, actor=treasurer)
    assert refused.value.code == "not_over"
    tessa = login(treasurer)
    response = tessa.post("/fondsen/wijkbudget-west/begroting/beheer/", {"action": "close", "year": last_year})
    assert response.status_code == 302
    before = Transaction.objects.count()

    with pytest.raises(ValidationError) as refused:
        services.record_income(
            fund=funded,
            source="gemeente",
            amount=10_000,
            description="Te laat",
            actor=treasurer,
            booked_on=date(last_year, 6, 1),
        )
    assert refused.value.code == "closed_year"
    response = tessa.post(
        "/fondsen/wijkbudget-west/inkomsten/nieuw/",
        {"source": "gemeente", "amount": "100", "description": "Te laat", "booked_on": f"{last_year}-06-01"},
    )
    assert response.status_code == 200
    assert "closed" in response.text or "afgesloten" in response.text
    assert Transaction.objects.count() == before
    with pytest.raises(ValidationError) as refused:
        budgets.set_budget_line(
            fund=funded, year=last_year, kind="uitgaven", name="Groen", planned=100, actor=treasurer
        )
    assert refused.value.code == "closed_year"
    with pytest.raises(ValidationError) as refused:
        budgets.close_year(fund=funded, year=last_year, actor=treasurer)
    assert refused.value.code == "closed_twice"
    # Booking today still works, and a correction of last year's booking is dated today.
    last = Transaction.objects.get(description="Late boeking")
    correction = services.reverse_transaction(original=last, actor=treasurer, reason="Fout bedrag")
    assert correction.booked_on.year == THIS_YEAR
    assert AuditEvent.objects.filter(action="year_closed").count() == 1
