"""The demo funds: one per wijk, a year of bookings, a sound ledger, and nothing new on a second run."""

from django.core.management import call_command

from samen030.funds.demo import create_demo_funds
from samen030.funds.models import Entry, Fund, PaymentRequest, Transaction


def test_every_wijk_gets_a_fund_with_a_sound_year_of_bookings(places, client):
    assert create_demo_funds() == 10
    assert Fund.objects.count() == 10
    assert Fund.objects.filter(wijk__isnull=False).values("wijk").distinct().count() == 10
    counts = (Transaction.objects.count(), Entry.objects.count(), PaymentRequest.objects.count())
    assert counts[0] > 300
    assert Transaction.objects.filter(kind="reversal").count() == 10
    call_command("check_ledger")  # raises CommandError on any breach
    assert create_demo_funds() == 0
    assert (Transaction.objects.count(), Entry.objects.count(), PaymentRequest.objects.count()) == counts
    fund = Fund.objects.get(slug="wijkbudget-west")
    response = client.get(fund.get_absolute_url())
    assert response.status_code == 200
    assert "Wijkbudget gemeente Utrecht" in response.text
    for name in ("J. de Vries", "M. El Amrani", "S. Bakker", "A. Yilmaz"):
        assert name not in response.text


def test_the_demo_has_a_year_of_grants_budgets_and_local_spending(places, client):
    from samen030.funds import budgets, lm3
    from samen030.funds.models import GrantApplication, SpendingLine, Tranche

    create_demo_funds()
    call_command("check_ledger")
    statuses = set(GrantApplication.objects.values_list("status", flat=True))
    assert {"ingediend", "afgewezen", "overeenkomst", "verantwoord", "afgerond"} <= statuses
    assert GrantApplication.objects.count() == 50
    assert Tranche.objects.filter(payment__status="geboekt").exists()
    assert SpendingLine.objects.filter(in_gemeente=True, buurt__isnull=False).exists()
    assert SpendingLine.objects.filter(respent_locally__isnull=False).exists()
    board = lm3.dashboard()
    assert len(board.by_wijk) == 10
    assert 1 < board.cooperative.lm3 < 3
    fund = Fund.objects.get(slug="wijkbudget-west")
    settled = fund.applications.get(status="afgerond")
    assert settled.commitment.balance == 0
    assert settled.conflicts.exists()
    year = settled.agreed_at.year
    spending = {row.name: row.actual for row in budgets.budget_report(fund, year).expenses}
    assert spending["Bewonersinitiatieven"] > 0
    for url in ("/euros-in-de-wijk/", "/fondsen/wijkbudget-west/aanvragen/", settled.get_absolute_url()):
        assert client.get(url).status_code == 200
