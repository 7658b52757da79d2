"""The funds through HTTP, as treasurers and the public use them."""

import csv
import io

import pytest

from samen030.funds import services
from samen030.funds.models import AuditEvent, PaymentRequest, Transaction
from tests.factories import OrganisationFactory


def test_a_treasurer_requests_another_approves_and_the_public_page_shows_it(
    login, funded, treasurer, second_treasurer, lombok
):
    organisation = OrganisationFactory(name="Buurthuis De Boog")
    requester = login(treasurer)
    assert requester.get("/fondsen/wijkbudget-west/penningmeesters/").status_code == 200
    assert requester.get("/fondsen/wijkbudget-west/betalingen/nieuw/").status_code == 200
    response = requester.post(
        "/fondsen/wijkbudget-west/betalingen/nieuw/",
        {
            "amount": "1.234,56",
            "description": "Huur van de zaal voor het buurtfeest",
            "project": "Buurtfeest Lombok",
            "organisation": organisation.pk,
            "buurt": lombok.pk,
        },
    )
    payment = PaymentRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == payment.get_absolute_url()
    assert payment.amount == 123_456
    assert payment.approvals_needed == 2
    assert not Transaction.objects.filter(kind="payout").exists()

    # The requester's own approval is refused with a message, not an error page.
    response = requester.post(payment.get_absolute_url(), {"action": "approve"})
    assert response.status_code == 400
    assert "own request" in response.text or "eigen aanvraag" in response.text

    approver = login(second_treasurer)
    assert approver.post(payment.get_absolute_url(), {"action": "approve"}).status_code == 302
    payment.refresh_from_db()
    assert payment.status == PaymentRequest.Status.REQUESTED  # above € 1.000,00: a second approver is needed
    response = approver.post(payment.get_absolute_url(), {"action": "approve"})
    assert response.status_code == 400  # approving twice: a message, nothing booked
    third = funded.treasurers.exclude(pk__in=[treasurer.pk, second_treasurer.pk]).get()
    assert login(third).post(payment.get_absolute_url(), {"action": "approve"}).status_code == 302
    payment.refresh_from_db()
    assert payment.status == PaymentRequest.Status.BOOKED

    public = login(None).get("/fondsen/wijkbudget-west/")
    assert public.status_code == 200
    text = public.text
    assert "Huur van de zaal voor het buurtfeest" in text
    assert "Buurthuis De Boog" in text
    assert "€\u00a01.234,56" in text
    assert "€\u00a03.765,44" in text  # € 5.000,00 − € 1.234,56 left
    assert "Lombok-Oost" in text
    assert "Tessa" not in text  # treasurers' names are not on the public page
    assert "Omar" not in text


def test_the_public_page_never_names_a_private_person(client, funded, treasurer, second_treasurer):
    payment = services.request_payment(
        fund=funded,
        requester=treasurer,
        amount=5_000,
        description="Boodschappen buurtmaaltijd",
        project="Buurtmaaltijd",
        payee_name="Jan Jansen",
    )
    services.approve_payment(payment=payment, approver=second_treasurer)
    for url in ("/fondsen/wijkbudget-west/", "/fondsen/wijkbudget-west/transacties.csv", "/fondsen/"):
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Jan Jansen" not in body
    assert "Boodschappen buurtmaaltijd" in client.get("/fondsen/wijkbudget-west/").text


def test_the_csv_lists_every_public_transaction(client, funded, treasurer):
    services.reverse_transaction(original=Transaction.objects.get(), actor=treasurer, reason="Dubbel")
    response = client.get("/fondsen/wijkbudget-west/transacties.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["nummer", "datum", "soort"]
    assert [row[2] for row in rows[1:]] == ["income", "reversal"]
    assert rows[1][7] == "5000,00"
    assert rows[1][8] == "500000"
    assert rows[2][9] == rows[1][0]


def test_text_that_looks_like_a_formula_is_defused_and_amounts_stay_numbers(client, fund, treasurer):
    services.record_income(
        fund=fund, source="gemeente", amount=12_345, description='=HYPERLINK("http://x.test","klik")', actor=None
    )
    services.reverse_transaction(original=Transaction.objects.get(), actor=treasurer, reason="Dubbel")
    rows = list(csv.reader(io.StringIO(client.get("/fondsen/wijkbudget-west/transacties.csv").content.decode())))
    assert rows[1][3] == '\'=HYPERLINK("http://x.test","klik")'
    assert rows[2][3].endswith(': =HYPERLINK("http://x.test","klik")')  # not at the start: safe
    assert (rows[2][7], rows[2][8], rows[2][9]) == ("123,45", "12345", rows[1][0])  # numbers, no quote


def test_the_list_shows_every_fund_with_what_is_free(client, funded):
    response = client.get("/fondsen/")
    assert response.status_code == 200
    assert "Wijkbudget West" in response.text
    assert "€\u00a05.000,00" in response.text


def test_an_unknown_fund_is_not_found(client, places):
    assert client.get("/fondsen/bestaat-niet/").status_code == 404


@pytest.mark.parametrize("amount", ["12,505", "-5", "0", "twaalf", "1,2,3", "99999999999999", ""])
def test_a_bad_amount_gets_a_message_and_books_nothing(login, funded, treasurer, amount):
    response = login(treasurer).post(
        "/fondsen/wijkbudget-west/betalingen/nieuw/",
        {"amount": amount, "description": "x", "project": "p", "payee_name": "Piet"},
    )
    assert response.status_code == 200
    assert 'id="form-errors"' in response.text
    assert not PaymentRequest.objects.exists()


def test_more_than_the_fund_has_gets_a_message(login, funded, treasurer):
    response = login(treasurer).post(
        "/fondsen/wijkbudget-west/betalingen/nieuw/",
        {"amount": "5.000,01", "description": "x", "project": "p", "payee_name": "Piet"},
    )
    assert response.status_code == 200
    assert "€\u00a05.000,00" in response.text
    assert not PaymentRequest.objects.exists()


def test_a_treasurer_records_income(login, fund, treasurer):
    response = login(treasurer).post(
        "/fondsen/wijkbudget-west/inkomsten/nieuw/",
        {"source": "fondsen", "amount": "750", "description": "Bijdrage Oranje Fonds", "booked_on": "2026-03-01"},
    )
    assert response.status_code == 302
    booked = Transaction.objects.get()
    assert booked.booked_on.isoformat() == "2026-03-01"
    assert services.bank_account(fund).balance == 75_000
    assert AuditEvent.objects.get(action="income_recorded").actor == treasurer


def test_a_treasurer_rejects_and_corrects(login, funded, treasurer, second_treasurer):
    payment = services.request_payment(
        fund=funded, requester=treasurer, amount=100, description="x", project="p", payee_name="z"
    )
    client = login(second_treasurer)
    response = client.post(payment.get_absolute_url(), {"action": "reject", "reason": ""})
    assert response.status_code == 200
    assert PaymentRequest.objects.get().status == "aangevraagd"
    assert client.post(payment.get_absolute_url(), {"action": "reject", "reason": "Te duur"}).status_code == 302
    assert PaymentRequest.objects.get().status == "afgewezen"
    assert client.post(payment.get_absolute_url(), {"action": "approve"}).status_code == 400

    income = Transaction.objects.get()
    url = f"/fondsen/wijkbudget-west/transacties/{income.pk}/corrigeren/"
    assert url in client.get("/fondsen/wijkbudget-west/").text  # treasurers find the link next to the booking
    assert url not in login(None).get("/fondsen/wijkbudget-west/").text
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "Verkeerd fonds"}).status_code == 302
    response = client.post(url, {"reason": "Nog eens"})
    assert response.status_code == 200  # already reversed: a message, nothing booked
    assert Transaction.objects.count() == 2


def test_strangers_residents_and_board_members_cannot_manage(login, funded, resident, board_member, treasurer):
    payment = services.request_payment(
        fund=funded, requester=treasurer, amount=100, description="x", project="p", payee_name="z"
    )
    stranger = login(None)
    assert stranger.get("/fondsen/wijkbudget-west/penningmeesters/").status_code == 302  # to the login page
    assert login(resident).get("/fondsen/wijkbudget-west/penningmeesters/").status_code == 403
    assert login(resident).get(payment.get_absolute_url()).status_code == 404
    assert login(resident).get("/fondsen/wijkbudget-west/betalingen/nieuw/").status_code == 403
    board = login(board_member)
    assert board.get("/fondsen/wijkbudget-west/penningmeesters/").status_code == 200  # the board oversees
    assert board.get("/fondsen/wijkbudget-west/betalingen/nieuw/").status_code == 403
    assert board.post(payment.get_absolute_url(), {"action": "approve"}).status_code == 400
    correct = f"/fondsen/wijkbudget-west/transacties/{Transaction.objects.get().pk}/corrigeren/"
    assert board.get(correct).status_code == 403
    assert not Transaction.objects.filter(kind="payout").exists()


def test_the_public_page_does_a_fixed_number_of_queries(
    client, funded, treasurer, second_treasurer, django_assert_max_num_queries
):
    for number in range(12):
        payment = services.request_payment(
            fund=funded,
            requester=treasurer,
            amount=100,
            description=f"Betaling {number}",
            project=f"P{number}",
            payee_name="z",
        )
        services.approve_payment(payment=payment, approver=second_treasurer)
    with django_assert_max_num_queries(12):
        assert client.get("/fondsen/wijkbudget-west/").status_code == 200


def test_an_admin_sets_up_a_fund_and_the_audit_log_says_who(login, platform_admin, treasurer, places):
    response = login(platform_admin).post(
        "/beheer/funds/fund/add/",
        {
            "slug": "buurtfonds-lombok",
            "name": "Buurtfonds Lombok",
            "kind": "buurtfonds",
            "description": "",
            "buurt": "BU03440121",
            "theme": "",
            "four_eyes_threshold": "50000",
            "max_grant": "2000000",
            "decision_weeks": "4",
            "treasurers": [treasurer.pk],
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="fund_created")
    assert event.actor == platform_admin
    assert event.details["treasurers"] == [treasurer.email]
    assert event.fund.is_treasurer(treasurer)


def test_the_admin_shows_the_ledger_read_only(login, platform_admin, funded):
    client = login(platform_admin)
    booked = Transaction.objects.get()
    assert client.get(f"/beheer/funds/transaction/{booked.pk}/change/").status_code == 200
    assert client.post(f"/beheer/funds/transaction/{booked.pk}/delete/").status_code == 403
    assert client.get("/beheer/funds/entry/").status_code == 404  # entries are shown inside their transaction
    assert Transaction.objects.count() == 1


def test_a_treasurer_commits_money_to_a_project(login, funded, treasurer, lombok):
    client = login(treasurer)
    url = "/fondsen/wijkbudget-west/toezeggingen/nieuw/"
    assert client.get(url).status_code == 200
    data = {"project": "Moestuin Lombok", "amount": "1.500", "description": "Toegezegd voor 2026", "buurt": lombok.pk}
    assert client.post(url, data).status_code == 302
    assert services.bank_account(funded).balance == 350_000
    response = client.post(url, {**data, "amount": "3.500,01"})
    assert response.status_code == 200  # more than is free: a message, nothing booked
    assert services.bank_account(funded).balance == 350_000
    public = client.get("/fondsen/wijkbudget-west/").text
    assert "Moestuin Lombok" in public
    assert "€\u00a01.500,00" in public
