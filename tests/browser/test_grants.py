"""Grants end to end: a resident applies, the committee votes and decides, the treasurers pay, the public sees it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from samen030.funds import grants, services
from samen030.funds.forms import AgreementForm, DecisionForm, GrantApplicationForm, VoteForm
from samen030.funds.models import Fund, GrantApplication
from samen030.places.models import Buurt
from tests.browser.conftest import nl
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def label(form_class, name: str) -> re.Pattern[str]:
    with translation.override("nl"):
        text = str(form_class.base_fields[name].label)
    return re.compile(rf"^{re.escape(text)}( \(.+\))?$")


@pytest.fixture
def setting(places):
    """Wijkbudget West with € 5.000 in the bank, two treasurers and a committee of three residents of West."""
    lombok = Buurt.objects.get(code="BU03440121")
    treasurers = [UserFactory(name="Tessa"), UserFactory(name="Omar")]
    fund = Fund.objects.create(
        slug="wijkbudget-west", name="Wijkbudget West", kind=Fund.Kind.WIJKBUDGET, wijk_id="WK034401"
    )
    fund.treasurers.set(treasurers)
    services.record_income(fund=fund, source="gemeente", amount=500_000, description="Wijkbudget 2026", actor=None)
    committee = [UserFactory(name=name) for name in ("Anouk", "Bilal", "Chris")]
    for member in committee:
        grants.add_committee_member(fund=fund, user=member, buurt=lombok, actor=treasurers[0])
    return fund, treasurers, committee


def test_apply_decide_pay_and_see_it_in_public(open_page, log_in, resident, setting):
    fund, (tessa, omar), (anouk, bilal, _chris) = setting

    # A resident finds the fund, reads how to apply, and applies.
    applicant = open_page()
    log_in(applicant, resident)
    page = applicant.page
    applicant.goto("/fondsen/wijkbudget-west/")
    applicant.follow(page.get_by_role("link", name=nl("Grant applications: apply, and read the committee's decisions")))
    applicant.follow(page.get_by_role("main").get_by_role("link", name=nl("Apply for a grant")))
    form = page.locator("main form")
    start = timezone.localdate() + timedelta(days=20)
    form.get_by_label(label(GrantApplicationForm, "title")).fill("Buurtontbijt Lombok")
    form.get_by_label(label(GrantApplicationForm, "plan")).fill("Elke maand een ontbijt op het plein voor alle buren.")
    form.get_by_label(label(GrantApplicationForm, "buurt")).select_option(label="Lombok-Oost")
    form.get_by_label(label(GrantApplicationForm, "starts_on")).fill(start.isoformat())
    form.get_by_label(label(GrantApplicationForm, "ends_on")).fill((start + timedelta(days=90)).isoformat())
    form.get_by_label(label(GrantApplicationForm, "expenses")).fill("Brood en beleg; 600\nTafels huren; 300")
    form.get_by_label(label(GrantApplicationForm, "income")).fill("Bijdrage bakker; 100")
    form.get_by_label(label(GrantApplicationForm, "amount_requested")).fill("800")
    form.get_by_label(label(GrantApplicationForm, "own_contribution")).fill("Tien vrijwilligers zetten alles klaar.")
    form.get_by_label(label(GrantApplicationForm, "support")).fill("Joke; voor\nAhmed; voor\nPiet; tegen")
    applicant.submit(form.get_by_role("button", name=nl("Submit application")))
    application = GrantApplication.objects.get()
    assert applicant.path == application.get_absolute_url()
    assert application.decide_by.strftime("%d-%m-%Y") in page.content()

    # Two members of the committee vote for it; the second records the decision with the reasons.
    for member in (anouk, bilal):
        tab = open_page()
        log_in(tab, member)
        tab.goto(application.get_absolute_url())
        vote = tab.page.locator("main form").filter(has=tab.page.get_by_role("button", name=nl("Cast vote")))
        with translation.override("nl"):
            vote.get_by_label(str(dict(VoteForm.base_fields["in_favour"].choices)["ja"])).check()
        tab.submit(vote.get_by_role("button", name=nl("Cast vote")))
    decide = tab.page.locator("main form").filter(has=tab.page.get_by_role("button", name=nl("Record decision")))
    decide.get_by_label(label(DecisionForm, "reasons")).fill("Veel buren doen mee en de begroting is helder.")
    tab.submit(decide.get_by_role("button", name=nl("Record decision")))
    application.refresh_from_db()
    assert application.status == GrantApplication.Status.APPROVED

    # A treasurer makes the grant agreement and requests the tranche; the other treasurer approves the payment.
    treasurer = open_page()
    log_in(treasurer, tessa)
    treasurer.goto(application.get_absolute_url())
    agree = treasurer.page.locator("main form").filter(
        has=treasurer.page.get_by_role("button", name=nl("Make grant agreement"))
    )
    agree.get_by_label(label(AgreementForm, "tranches")).fill("800")
    treasurer.submit(agree.get_by_role("button", name=nl("Make grant agreement")))
    with translation.override("nl"):
        request_tranche = translation.gettext("Request payment of tranche %(number)s") % {"number": 1}
    treasurer.submit(treasurer.page.get_by_role("button", name=request_tranche))
    payment = application.tranches.get().payment
    approver = open_page()
    log_in(approver, omar)
    approver.goto(payment.get_absolute_url())
    approver.submit(approver.page.get_by_role("button", name=nl("Approve")))
    payment.refresh_from_db()
    assert payment.status == "geboekt"

    # The public sees the payout on the fund's page and the decision with its reasons, on a phone-sized screen too.
    public = open_page(viewport={"width": 360, "height": 740})
    public.goto("/fondsen/wijkbudget-west/")
    text = public.page.get_by_role("main").inner_text()
    assert "Subsidie Buurtontbijt Lombok, termijn 1" in text
    assert "800,00" in text
    grants_link = nl("Grant applications: apply, and read the committee's decisions")
    public.follow(public.page.get_by_role("link", name=grants_link))
    public.follow(public.page.get_by_role("link", name="Buurtontbijt Lombok"))
    assert "Veel buren doen mee en de begroting is helder." in public.page.content()
    assert "Joke" not in public.page.content()
    public.goto("/euros-in-de-wijk/")
    public.goto("/fondsen/wijkbudget-west/begroting/")
    assert fund.is_committee_member(anouk)


def test_every_other_funds_page_passes_axe(open_page, log_in, resident, board_member, setting):
    """The pages the story above does not pass: report, survey, budget, bank statements, committee, treasurers."""
    from samen030.funds.models import SpendingLine

    fund, (tessa, omar), (anouk, bilal, _chris) = setting
    start = timezone.localdate() + timedelta(days=5)
    application = grants.submit_application(
        fund=fund,
        applicant=resident,
        title="Repair Café",
        plan="Samen repareren.",
        starts_on=start,
        ends_on=start,
        amount_requested=50_000,
        own_contribution="Vrijwilligers",
        budget_lines=[("uitgaven", "Gereedschap", 50_000)],
        support=[("Joke", "voor")],
    )
    for member in (anouk, bilal):
        grants.cast_vote(application=application, member=member, in_favour=True)
    grants.decide_application(application=application, member=anouk, reasons="Goed plan")
    grants.make_agreement(application=application, treasurer=tessa, tranches=[50_000])
    payment = grants.request_tranche(tranche=application.tranches.get(), requester=tessa)
    services.approve_payment(payment=payment, approver=omar)

    person = open_page(viewport={"width": 360, "height": 740})
    log_in(person, resident)
    person.goto(application.get_absolute_url())
    person.follow(person.page.get_by_role("link", name=nl("Write the accountability report")))
    grants.submit_report(
        application=application,
        actor=resident,
        report="Gelukt.",
        spending=[grants.Spending("vrijwilligersvergoeding", start, "Vergoeding", 20_000, lives_locally=True)],
        receipts=[_pdf()],
    )
    survey = SpendingLine.objects.get().survey_token
    stranger = open_page()
    stranger.goto(f"/bestedingsonderzoek/{survey}/")

    treasurer = open_page()
    log_in(treasurer, tessa)
    for path in ("penningmeesters/", "begroting/beheer/", "bankafschriften/", "commissie/", "aanvragen/"):
        treasurer.goto(f"/fondsen/wijkbudget-west/{path}")
    treasurer.goto(application.get_absolute_url())
    board = open_page()
    log_in(board, board_member)
    board.goto("/fondsen/wijkbudget-west/penningmeesters/instellen/")


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bon.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
