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
