"""Grants decided by residents: applying, the committee with conflicts of interest, the agreement with tranches,
the accountability report with receipts, and settling, through HTTP and directly on the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from samen030.funds import grants, services
from samen030.funds.ledger_checks import ledger_problems
from samen030.funds.models import (
    Account,
    AuditEvent,
    GrantApplication,
    PaymentRequest,
    SupportStatement,
    Transaction,
)
from samen030.places.models import Buurt
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def committee(funded, lombok, treasurer):
    members = [UserFactory(name=name) for name in ("Anouk", "Bilal", "Chris")]
    for member in members:
        grants.add_committee_member(fund=funded, user=member, buurt=lombok, actor=treasurer)
    return members


def application_data(**changes):
    start = timezone.localdate() + timedelta(days=30)
    data = {
        "title": "Buurtfeest Lombok",
        "plan": "Een feest op het plein voor alle buren, met muziek en eten uit de buurt.",
        "buurt": "BU03440121",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=1)).isoformat(),
        "expenses": "Huur podium; 800,00\nEten en drinken; 700",
        "income": "Bijdrage winkeliers; 300",
        "amount_requested": "1.200,00",
        "own_contribution": "Twintig vrijwilligers, 100 uur.",
        "own_contribution_value": "1.000",
        "support": "Fatima; voor\nKees; voor\nJan; tegen\nPetra; geen mening",
    }
    data.update(changes)
    return data


def submit(fund, applicant, **changes):
    start = timezone.localdate() + timedelta(days=30)
    values = {
        "fund": fund,
        "applicant": applicant,
        "title": "Buurtfeest",
        "plan": "Een feest.",
        "starts_on": start,
        "ends_on": start,
        "amount_requested": 100_000,
        "own_contribution": "Vrijwilligers",
        "budget_lines": [("uitgaven", "Podium", 150_000)],
        "support": [("Fatima", "voor")],
    }
    values.update(changes)
    return grants.submit_application(**values)


def test_apply_decide_agree_pay_report_and_settle_through_the_site(
    login, funded, committee, treasurer, second_treasurer
):
    anouk, bilal, chris = committee
    resident = UserFactory(name="Rasida")
    applicant = login(resident)
    assert applicant.get("/fondsen/wijkbudget-west/aanvragen/nieuw/").status_code == 200
    response = applicant.post("/fondsen/wijkbudget-west/aanvragen/nieuw/", application_data())
    application = GrantApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert application.amount_requested == 120_000
    assert (application.support_for, application.support_against, application.support_neutral) == (2, 1, 1)
    assert application.decide_by == timezone.localdate() + timedelta(weeks=4)

    # Before the decision the public cannot see it; the applicant and the committee can, with the deadline.
    assert login(None).get(application.get_absolute_url()).status_code == 404
    page = login(anouk).get(application.get_absolute_url())
    assert page.status_code == 200
    assert "Jan" in page.text  # the committee sees the support list, opponents included
    assert application.decide_by.strftime("%d-%m-%Y") in page.text

    # Chris declares a conflict of interest and then cannot vote.
    assert (
        login(chris)
        .post(application.get_absolute_url(), {"action": "conflict", "conflict_reason": "Mijn zus organiseert het."})
        .status_code
        == 302
    )
    assert login(chris).post(application.get_absolute_url(), {"action": "vote", "in_favour": "ja"}).status_code == 403
    with pytest.raises(ValidationError) as refused:
        grants.cast_vote(application=application, member=chris, in_favour=True)
    assert refused.value.code == "conflict"

    # Two members are left; one vote is not a majority yet.
    assert login(anouk).post(application.get_absolute_url(), {"action": "vote", "in_favour": "ja"}).status_code == 302
    response = login(anouk).post(application.get_absolute_url(), {"action": "decide", "reasons": "Goed plan."})
    assert response.status_code == 400
    assert "majority" in response.text or "meerderheid" in response.text
    assert login(bilal).post(application.get_absolute_url(), {"action": "vote", "in_favour": "ja"}).status_code == 302
    response = login(bilal).post(
        application.get_absolute_url(),
        {
            "action": "decide",
            "reasons": "Veel steun in de buurt en eigen inzet.",
            "amount_granted": "1.000",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == GrantApplication.Status.APPROVED
    assert application.amount_granted == 100_000
    assert not SupportStatement.objects.exclude(name="").exists()  # names erased, counts kept
    assert application.support_against == 1

    public = login(None).get(application.get_absolute_url())
    assert public.status_code == 200
    assert "Veel steun in de buurt en eigen inzet" in public.text
    assert "Fatima" not in public.text
    assert "Buurtfeest Lombok" in login(None).get("/fondsen/wijkbudget-west/aanvragen/").text

    # The grant agreement commits the money in the ledger, in two tranches.
    tessa = login(treasurer)
    response = tessa.post(application.get_absolute_url(), {"action": "agree", "tranches": "700; 200"})
    assert response.status_code == 400  # does not add up to € 1.000,00
    assert tessa.post(application.get_absolute_url(), {"action": "agree", "tranches": "700; 300"}).status_code == 302
    application.refresh_from_db()
    assert application.status == GrantApplication.Status.AGREED
    assert application.commitment.balance == 100_000
    assert services.bank_account(funded).balance == 400_000

    first, second = application.tranches.all()
    assert tessa.post(application.get_absolute_url(), {"action": "tranche", "tranche": second.pk}).status_code == 400
    assert tessa.post(application.get_absolute_url(), {"action": "tranche", "tranche": first.pk}).status_code == 302
    payment = PaymentRequest.objects.get()
    assert payment.payee_name == resident.name
    assert payment.commitment == application.commitment
    assert login(second_treasurer).post(payment.get_absolute_url(), {"action": "approve"}).status_code == 302
    application.commitment.refresh_from_db()
    assert application.commitment.balance == 30_000
    assert services.bank_account(funded).balance == 400_000  # paid from the commitment, not the free balance

    # The accountability report: a text file named .pdf is refused by its content; nothing is saved.
    report_url = f"{application.get_absolute_url()}verantwoording/"
    report = {
        "report": "Het feest was druk bezocht.",
        "spending": "leverancier; 01-06-2026; Podium; 450,00; Podiumverhuur Utrecht; 3531 AB\n"
        "vrijwilliger; 02-06-2026; Vrijwilligersvergoeding; 100; ja",
    }
    fake = SimpleUploadedFile("bon.pdf", b"dit is geen pdf", content_type="application/pdf")
    response = applicant.post(report_url, {**report, "receipts": [fake]})
    assert response.status_code == 400
    assert not application.spending.exists()
    receipts = [
        SimpleUploadedFile("bon1.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("bon2.png", PNG, content_type="image/png"),
    ]
    assert applicant.post(report_url, {**report, "receipts": receipts}).status_code == 302
    application.refresh_from_db()
    assert application.status == GrantApplication.Status.REPORTED
    assert application.receipts.count() == 2
    receipt = application.receipts.first()
    download = f"{application.get_absolute_url()}bonnetjes/{receipt.pk}/"
    assert login(None).get(download).status_code == 302  # to the login page
    assert login(UserFactory()).get(download).status_code == 403
    assert tessa.get(download).status_code == 200

    # Settling: the unpaid tranche goes back to the free balance, the unspent € 150 is paid back to the fund.
    assert tessa.post(application.get_absolute_url(), {"action": "settle"}).status_code == 302
    application.refresh_from_db()
    assert application.status == GrantApplication.Status.SETTLED
    assert Account.objects.get(pk=application.commitment_id).balance == 0
    assert services.bank_account(funded).balance == 500_000 - 55_000
    assert list(ledger_problems()) == []
    actions = set(AuditEvent.objects.filter(application=application).values_list("action", flat=True))
    assert {"grant_submitted", "conflict_declared", "grant_voted", "grant_decided", "grant_agreed"} <= actions
    assert {"tranche_requested", "report_submitted", "grant_settled"} <= actions


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount_requested": "-50"}, "minus"),
        ({"amount_requested": "12,345"}, "cent"),
        ({"amount_requested": "0"}, "more than zero"),
        ({"amount_requested": "25.000"}, "at most"),
        ({"amount_requested": "1.300"}, "expenses minus"),
        ({"expenses": "Podium 800"}, "Line 1"),
        ({"expenses": "Podium; 8,001"}, "Line 1"),
        ({"support": "Jan; tegen"}, "for the plan"),
        ({"support": "Jan; misschien"}, "Line 1"),
        ({"starts_on": "2020-01-01", "ends_on": "2020-01-02"}, "before the initiative starts"),
        ({"buurt": "BU03440311"}, "outside"),
    ],
)
def test_bad_applications_get_a_clear_message_and_nothing_is_saved(login, funded, resident, changes, message):
    with_english = {**application_data(**changes)}
    client = login(resident)
    client.cookies["django_language"] = "en"
    response = client.post("/fondsen/wijkbudget-west/aanvragen/nieuw/", with_english, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert message in response.text
    assert not GrantApplication.objects.exists()
    assert not AuditEvent.objects.filter(action="grant_submitted").exists()


def test_a_negative_grant_is_refused_by_the_service(funded, resident):
    with pytest.raises(ValidationError) as refused:
        submit(funded, resident, amount_requested=-100)
    assert refused.value.code == "not_positive"
    with pytest.raises(ValidationError):
        submit(funded, resident, amount_requested=10.5)
    assert not GrantApplication.objects.exists()


def test_the_majority_of_members_without_a_conflict_decides(funded, committee, resident):
    anouk, bilal, chris = committee
    application = submit(funded, resident)
    assert grants.tally(application).majority == 2
    grants.cast_vote(application=application, member=anouk, in_favour=False)
    grants.cast_vote(application=application, member=bilal, in_favour=False)
    assert grants.tally(application).outcome == GrantApplication.Status.REJECTED
    with pytest.raises(ValidationError) as refused:
        grants.cast_vote(application=application, member=anouk, in_favour=True)
    assert refused.value.code == "voted_twice"
    with pytest.raises(ValidationError) as refused:
        grants.declare_conflict(application=application, member=anouk, reason="Alsnog")
    assert refused.value.code == "voted"
    decided = grants.decide_application(application=application, member=chris, reasons="Te weinig draagvlak.")
    assert decided.status == GrantApplication.Status.REJECTED
    assert decided.amount_granted is None
    with pytest.raises(ValidationError) as refused:
        grants.make_agreement(application=decided, treasurer=funded.treasurers.first(), tranches=[100_000])
    assert refused.value.code == "not_granted"


def test_an_even_split_is_no_majority_and_a_conflict_shrinks_the_committee(funded, committee, resident):
    anouk, bilal, chris = committee
    application = submit(funded, resident)
    grants.declare_conflict(application=application, member=chris, reason="Buurman van de aanvrager")
    grants.cast_vote(application=application, member=anouk, in_favour=True)
    grants.cast_vote(application=application, member=bilal, in_favour=False)
    counts = grants.tally(application)
    assert (counts.eligible, counts.majority) == (2, 2)
    assert counts.outcome == GrantApplication.Status.REJECTED  # for can no longer reach a majority
    with pytest.raises(ValidationError) as refused:
        grants.decide_application(application=application, member=chris, reasons="x")
    assert refused.value.code == "conflict"


def test_a_member_who_applies_cannot_vote_on_their_own_application(funded, committee):
    anouk = committee[0]
    application = submit(funded, anouk)
    assert not anouk.has_perm("funds.vote_grantapplication", application)
    with pytest.raises(ValidationError) as refused:
        grants.cast_vote(application=application, member=anouk, in_favour=True)
    assert refused.value.code == "conflict"
    assert grants.tally(application).eligible == 2


def test_nobody_left_to_decide(funded, committee, resident):
    application = submit(funded, resident)
    for member in committee:
        grants.declare_conflict(application=application, member=member, reason="Familie")
    with pytest.raises(ValidationError) as refused:
        grants.decide_application(application=application, member=committee[0], reasons="x")
    assert refused.value.code == "conflict"
    assert grants.tally(application).outcome is None


def test_the_decision_period_is_extended_once(funded, committee, resident):
    application = submit(funded, resident)
    due = application.decide_by
    application = grants.extend_deadline(application=application, member=committee[0], reason="Meer informatie nodig")
    assert application.decide_by == due + timedelta(weeks=4)
    with pytest.raises(ValidationError) as refused:
        grants.extend_deadline(application=application, member=committee[0], reason="Nog eens")
    assert refused.value.code == "extended_twice"


def test_an_agreement_needs_enough_free_money(funded, committee, resident, treasurer):
    application = submit(funded, resident, amount_requested=1_500_000, budget_lines=[("uitgaven", "Bouw", 1_500_000)])
    for member in committee[:2]:
        grants.cast_vote(application=application, member=member, in_favour=True)
    application = grants.decide_application(application=application, member=committee[0], reasons="Mooi")
    with pytest.raises(ValidationError) as refused:
        grants.make_agreement(application=application, treasurer=treasurer, tranches=[1_500_000])
    assert refused.value.code == "insufficient_funds"
    application.refresh_from_db()
    assert application.status == GrantApplication.Status.APPROVED
    assert not application.tranches.exists()
    assert not Transaction.objects.filter(kind="commitment").exists()


def test_unknown_postcodes_in_a_report_are_refused(funded, places):
    with pytest.raises(ValidationError) as refused:
        grants.locate_postcode("12345")
    assert refused.value.code == "postcode"
    assert grants.locate_postcode("1011 AB") == ("1011AB", None, False)  # Amsterdam: outside the gemeente
    assert grants.locate_postcode("3531AB")[2] is True


def test_the_committee_is_managed_by_treasurers_and_the_board_outside_the_admin(
    login, funded, treasurer, board_member, resident
):
    lombok = Buurt.objects.get(code="BU03440121")
    url = "/fondsen/wijkbudget-west/commissie/"
    assert login(resident).get(url).status_code == 403
    assert login(board_member).get(url).status_code == 200
    elsewhere = Buurt.objects.exclude(wijk_id="WK034401").first()
    response = login(treasurer).post(url, {"action": "add", "email": resident.email, "buurt": elsewhere.pk})
    assert response.status_code == 400  # not a buurt of West: not in the form's choices
    with pytest.raises(ValidationError) as refused:
        grants.add_committee_member(fund=funded, user=resident, buurt=elsewhere, actor=treasurer)
    assert refused.value.code == "not_in_area"
    response = login(treasurer).post(url, {"action": "add", "email": resident.email, "buurt": lombok.pk})
    assert response.status_code == 302
    assert funded.is_committee_member(resident)
    member = funded.committee.get()
    assert login(board_member).post(url, {"action": "remove", "member": member.pk}).status_code == 302
    assert not funded.is_committee_member(resident)
    assert AuditEvent.objects.filter(action="committee_changed").count() == 2


def test_an_organisation_editor_applies_for_the_organisation(login, funded, stemlid_org, stemlid_editor, committee):
    response = login(stemlid_editor).post(
        "/fondsen/wijkbudget-west/aanvragen/nieuw/", application_data(organisation=stemlid_org.pk)
    )
    assert response.status_code == 302
    application = GrantApplication.objects.get()
    assert application.organisation == stemlid_org
    other = UserFactory()
    response = login(other).post(
        "/fondsen/wijkbudget-west/aanvragen/nieuw/", application_data(organisation=stemlid_org.pk)
    )
    assert response.status_code == 200  # not an editor: the organisation is not a valid choice
    assert GrantApplication.objects.count() == 1
