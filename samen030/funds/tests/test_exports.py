"""The XLSX export of the transparency page, and the board's page for treasurers and rules."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from samen030.funds import services
from samen030.funds.models import AuditEvent
from tests.factories import UserFactory


def test_the_spreadsheet_has_the_totals_and_every_booking_without_private_names(
    login, funded, treasurer, second_treasurer
):
    payment = services.request_payment(
        fund=funded,
        requester=treasurer,
        amount=12_345,
        description='=HYPERLINK("http://example.com","klik")',
        project="Buurtfeest",
        payee_name="Jan de Vries",
    )
    services.approve_payment(payment=payment, approver=second_treasurer)
    response = login(None).get("/fondsen/wijkbudget-west/transacties.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    overview, bookings = book.worksheets
    values = [cell for row in overview.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "Wijkbudget West" in values
    assert 5000.0 in values  # income in total, as a number the spreadsheet can add up
    rows = list(bookings.iter_rows(values_only=True))
    assert len(rows) == 3  # header, income, payout
    payout = rows[2]
    assert payout[3] == '=HYPERLINK("http://example.com","klik")'  # text, not a formula
    assert bookings.cell(row=3, column=4).data_type == "s"
    assert payout[7] == 123.45
    assert "Jan de Vries" not in str(rows)


def test_the_board_sets_treasurers_and_rules_outside_the_admin(login, fund, treasurer, board_member, resident):
    url = "/fondsen/wijkbudget-west/penningmeesters/instellen/"
    assert login(treasurer).get(url).status_code == 403
    assert login(resident).get(url).status_code == 403
    board = login(board_member)
    assert board.get(url).status_code == 200
    newcomer = UserFactory(email="nieuw@example.nl")
    assert board.post(url, {"action": "add", "email": "NIEUW@example.nl"}).status_code == 302
    assert fund.is_treasurer(newcomer)
    assert board.post(url, {"action": "add", "email": "nieuw@example.nl"}).status_code == 400
    assert board.post(url, {"action": "add", "email": "niemand@example.nl"}).status_code == 400
    assert board.post(url, {"action": "remove", "user": treasurer.pk}).status_code == 302
    assert not fund.is_treasurer(treasurer)
    response = board.post(
        url, {"action": "settings", "four_eyes_threshold": "500", "max_grant": "10.000,001", "decision_weeks": "4"}
    )
    assert response.status_code == 400
    fund.refresh_from_db()
    assert fund.max_grant == 2_000_000
    response = board.post(
        url, {"action": "settings", "four_eyes_threshold": "500", "max_grant": "10.000", "decision_weeks": "6"}
    )
    assert response.status_code == 302
    fund.refresh_from_db()
    assert (fund.four_eyes_threshold, fund.max_grant, fund.decision_weeks) == (50_000, 1_000_000, 6)
    events = AuditEvent.objects.filter(action="fund_changed", actor=board_member)
    assert events.count() == 3
    assert events.first().details["changed"] == ["four_eyes_threshold", "max_grant", "decision_weeks"]
