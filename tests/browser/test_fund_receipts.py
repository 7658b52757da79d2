"""A treasurer adds a receipt to a booked payment and releases part of a commitment; the public sees only that a
receipt exists. Every page passes axe-core."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from samen030.funds import services
from samen030.funds.forms import PaymentReceiptForm, ReleaseCommitmentForm
from samen030.funds.models import Account, Fund
from tests.browser.conftest import nl
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def label(form_class, name: str) -> re.Pattern[str]:
    with translation.override("nl"):
        text = str(form_class.base_fields[name].label)
    return re.compile(rf"^{re.escape(text)}( \(.+\))?$")


def test_receipt_on_a_booked_payment_and_releasing_a_commitment(open_page, log_in, places, tmp_path):
    tessa, omar = UserFactory(name="Tessa"), UserFactory(name="Omar")
    fund = Fund.objects.create(slug="wijkbudget-west", name="Wijkbudget West", kind=Fund.Kind.WIJKBUDGET)
    fund.treasurers.set([tessa, omar])
    services.record_income(fund=fund, source="gemeente", amount=500_000, description="Wijkbudget 2026", actor=None)
    services.commit_budget(fund=fund, project="Buurtfeest", amount=100_000, description="Buurtfeest", actor=tessa)
    payment = services.request_payment(
        fund=fund, requester=tessa, amount=2_500, description="Koffie", project="Buurtfeest", payee_name="Jan"
    )
    services.approve_payment(payment=payment, approver=omar)

    tab = open_page()
    log_in(tab, tessa)
    page = tab.page
    tab.goto("/")
    tab.follow(page.get_by_role("main").get_by_role("link", name=nl("Buurtgeld: neighbourhood funds")))
    assert tab.path == "/fondsen/"

    tab.goto(payment.get_absolute_url())
    receipt = tmp_path / "bon-koffie.pdf"
    receipt.write_bytes(PDF)
    form = page.locator("main form").filter(has=page.get_by_role("button", name=nl("Add receipts")))
    form.get_by_label(label(PaymentReceiptForm, "receipts")).set_input_files(str(receipt))
    tab.submit(form.get_by_role("button", name=nl("Add receipts")))
    assert tab.path == payment.get_absolute_url()
    assert page.get_by_role("link", name="bon-koffie.pdf").is_visible()

    tab.goto(f"/fondsen/{fund.slug}/penningmeesters/")
    tab.follow(page.get_by_role("link", name=nl("Release a commitment")))
    form = page.locator("main form")
    form.get_by_label(label(ReleaseCommitmentForm, "commitment")).select_option(index=1)
    form.get_by_label(label(ReleaseCommitmentForm, "amount")).fill("250")
    form.get_by_label(label(ReleaseCommitmentForm, "reason")).fill("Het podium was goedkoper.")
    tab.submit(form.get_by_role("button", name=nl("Release the money")))
    assert tab.path == f"/fondsen/{fund.slug}/penningmeesters/"
    assert Account.objects.get(fund=fund, kind=Account.Kind.COMMITMENT).balance == 75_000

    public = open_page()
    public.goto(fund.get_absolute_url())
    text = public.page.get_by_role("main").inner_text()
    with translation.override("nl"):
        from django.utils.translation import gettext

        assert gettext("receipt present (only treasurers and the board see it)") in text
    assert "bon-koffie.pdf" not in text
