"""LM3: spending lines with postcodes, the re-spend survey, the multiplier per project, fund, wijk and cooperative,
and the 'euro's in de wijk' dashboard."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from samen030.funds import grants, lm3, services
from samen030.funds.models import AuditEvent, SpendingLine
from samen030.places.models import Buurt, Postcode
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n%%EOF\n"


def test_the_worked_example_of_the_method():
    result = lm3.Multiplier("voorbeeld", r1=100_000_00, r2=60_000_00, answered_amount=60_000_00)
    result.answered_local = 30_000_00
    assert result.r3 == 30_000_00
    assert result.lm3 == Decimal("1.90")
    assert not result.is_lower_bound


def test_without_survey_answers_lm3_is_a_lower_bound():
    result = lm3.Multiplier("x", r1=1_000, r2=400)
    assert result.r3 == 0
    assert result.lm3 == Decimal("1.40")
    assert result.is_lower_bound
    assert lm3.Multiplier("leeg").lm3 is None


@pytest.fixture
def agreed(funded, treasurer, second_treasurer, lombok):
    """A grant of € 1.000 with its first tranche of € 1.000 paid out."""
    Postcode.objects.create(pc6="3531AB", buurt=lombok)
    members = [UserFactory() for _ in range(3)]
    for member in members:
        grants.add_committee_member(fund=funded, user=member, buurt=lombok, actor=treasurer)
    applicant = UserFactory(name="Rasida")
    start = timezone.localdate() + timedelta(days=10)
    application = grants.submit_application(
        fund=funded,
        applicant=applicant,
        title="Buurtontbijt",
        plan="Samen ontbijten",
        buurt=lombok,
        starts_on=start,
        ends_on=start,
        amount_requested=100_000,
        own_contribution="Vrijwilligers",
        budget_lines=[("uitgaven", "Eten", 100_000)],
        support=[("Fatima", "voor")],
    )
    for member in members[:2]:
        grants.cast_vote(application=application, member=member, in_favour=True)
    grants.decide_application(application=application, member=members[0], reasons="Goed plan")
    grants.make_agreement(application=application, treasurer=treasurer, tranches=[100_000])
    payment = grants.request_tranche(tranche=application.tranches.get(), requester=treasurer)
    services.approve_payment(payment=payment, approver=second_treasurer)
    application.refresh_from_db()
    return application


def report(login, application, spending):
    client = login(application.applicant)
    return client.post(
        f"{application.get_absolute_url()}verantwoording/",
        {
            "report": "Gezellig ontbijt.",
            "spending": spending,
            "receipts": [SimpleUploadedFile("bon.pdf", PDF, content_type="application/pdf")],
        },
    )


SPENDING = (
    "leverancier; 01-03-2026; Brood; 400,00; Bakkerij Kanaalstraat; 3531 AB\n"
    "leverancier; 02-03-2026; Servies; 200,00; Groothandel Amsterdam; 1011 AB\n"
    "vrijwilliger; 03-03-2026; Vrijwilligersvergoeding; 100; ja\n"
    "loon; 04-04-2026; Kok; 300; nee"
)


def test_spending_lines_are_located_and_the_survey_gives_r3(login, agreed, lombok):
    assert report(login, agreed, SPENDING).status_code == 302
    lines = {line.description: line for line in agreed.spending.all()}
    assert lines["Brood"].buurt == lombok
    assert lines["Brood"].in_gemeente
    assert not lines["Servies"].in_gemeente
    assert lines["Vrijwilligersvergoeding"].is_local
    assert not lines["Kok"].is_local
    # Only local spending is surveyed: it is what can be spent again locally (R3).
    assert lines["Servies"].survey_token is None
    assert lines["Kok"].survey_token is None

    result = lm3.multiplier(agreed.spending.all())
    assert (result.r1, result.r2, result.r3) == (100_000, 50_000, 0)
    assert result.is_lower_bound

    stranger = login(None)
    survey = f"/bestedingsonderzoek/{lines['Brood'].survey_token}/"
    page = stranger.get(survey)
    assert page.status_code == 200
    assert "Buurtontbijt" in page.text
    assert "Rasida" not in page.text
    assert stranger.post(survey, {"percent": "150"}).status_code == 400
    assert stranger.post(survey, {"percent": "60"}).status_code == 302
    assert stranger.post(survey, {"percent": "10"}).status_code == 400  # answered once
    assert stranger.get("/bestedingsonderzoek/geen-geldige-sleutel/").status_code == 404
    lines["Brood"].refresh_from_db()
    assert lines["Brood"].respent_locally == 60
    assert AuditEvent.objects.filter(action="survey_answered").count() == 1

    # 60% of the answered € 400 → applied to all of R2 (€ 500): R3 = € 300; LM3 = (1000 + 500 + 300) / 1000.
    result = lm3.multiplier(agreed.spending.all())
    assert result.r3 == 30_000
    assert result.lm3 == Decimal("1.80")

    board = lm3.dashboard()
    assert board.cooperative.lm3 == Decimal("1.80")
    assert [item.label for item in board.by_wijk] == ["West"]
    assert board.by_buurt == [("Lombok-Oost", 40_000)]
    assert board.by_month == [(date(2026, 3, 1), 70_000, 50_000), (date(2026, 4, 1), 30_000, 0)]

    page = login(None).get("/euros-in-de-wijk/")
    assert page.status_code == 200
    assert "<svg" in page.text
    assert "Lombok-Oost" in page.text
    assert "1.80" in page.text or "1,80" in page.text
    assert "LM3 = (R1 + R2 + R3) / R1" in page.text
    detail = login(agreed.applicant).get(agreed.get_absolute_url())
    assert lines["Vrijwilligersvergoeding"].survey_token in detail.text


def test_an_unknown_postcode_in_a_report_is_refused_and_nothing_is_saved(login, agreed):
    response = report(login, agreed, "leverancier; 01-03-2026; Brood; 400,00; Bakkerij; 3531 ZZ")
    assert response.status_code == 400
    assert "3531 ZZ" in response.text
    response = report(login, agreed, "leverancier; 01-03-2026; Brood; 400,00; Bakkerij; 9999")
    assert response.status_code == 400
    assert not SpendingLine.objects.exists()
    assert not agreed.receipts.exists()


def test_the_dashboard_works_without_any_spending(login, places):
    page = login(None).get("/euros-in-de-wijk/")
    assert page.status_code == 200
    assert "<svg" not in page.text
    assert Buurt.objects.exists()
