"""Receipts (bonnetjes) with plain payments: treasurers add them before or after booking, the ledger stays as it
was, only treasurers and the board download them, and the public page only says a receipt exists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from samen030.funds import services
from samen030.funds.models import AuditEvent, Entry, GrantApplication, PaymentReceipt, Receipt, Tranche
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.fixture
def payment(funded, treasurer):
    return services.request_payment(
        fund=funded,
        requester=treasurer,
        amount=12_550,
        description="Koffie en thee buurtfeest",
        project="Buurtfeest Lombok",
        payee_name="Jan Jansen",
    )


def upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_treasurers_add_receipts_before_and_after_booking(login, payment, treasurer, second_treasurer, board_member):
    tessa = login(treasurer)
    url = payment.get_absolute_url()

    # A text file named .pdf is refused by its content, with a clear message; nothing is saved.
    response = tessa.post(url, {"action": "receipts", "receipts": [upload("bon.pdf", b"geen pdf")]})
    assert response.status_code == 400
    assert "is geen PDF-, JPEG- of PNG-bestand" in response.content.decode()
    assert not PaymentReceipt.objects.exists()

    # One good and one bad file: still nothing saved.
    bad_pair = [upload("bon1.pdf", PDF), upload("bon2.jpg", b"nope", "image/jpeg")]
    assert tessa.post(url, {"action": "receipts", "receipts": bad_pair}).status_code == 400
    assert not PaymentReceipt.objects.exists()

    # No file at all: the form says so.
    assert tessa.post(url, {"action": "receipts"}).status_code == 400

    good = [upload("bon1.pdf", PDF), upload("bon2.jpg", JPEG, "image/jpeg")]
    assert tessa.post(url, {"action": "receipts", "receipts": good}).status_code == 302
    assert list(payment.receipts.values_list("original_name", "content_type")) == [
        ("bon1.pdf", "application/pdf"),
        ("bon2.jpg", "image/jpeg"),
    ]

    # Booking the payment; then another receipt, which changes no ledger entry.
    assert login(second_treasurer).post(url, {"action": "approve"}).status_code == 302
    payment.refresh_from_db()
    assert payment.transaction is not None
    entries = list(Entry.objects.order_by("pk").values_list("pk", "account_id", "amount"))
    assert tessa.post(url, {"action": "receipts", "receipts": [upload("bon3.pdf", PDF)]}).status_code == 302
    assert list(Entry.objects.order_by("pk").values_list("pk", "account_id", "amount")) == entries
    assert payment.receipts.count() == 3

    events = AuditEvent.objects.filter(payment=payment, action=AuditEvent.Action.RECEIPT_ADDED)
    assert sorted(event.details["file_name"] for event in events) == ["bon1.pdf", "bon2.jpg", "bon3.pdf"]
    assert all(event.actor == treasurer for event in events)

    page = tessa.get(url).content.decode()
    first = payment.receipts.first()
    download = f"{url}bonnetjes/{first.pk}/"
    assert download in page
    assert "bon3.pdf" in page

    # Downloads: treasurers and the board; others do not even see the payment.
    response = tessa.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert login(board_member).get(download).status_code == 200
    assert login(UserFactory()).get(download).status_code == 404
    assert login(None).get(download).status_code == 302  # to the login page
    assert tessa.get(f"{url}bonnetjes/999999/").status_code == 404

    # The public page says a receipt exists, but never links to it or names the file.
    public = login(None).get(payment.fund.get_absolute_url()).content.decode()
    assert "bonnetje aanwezig" in public
    assert "bonnetjes/" not in public
    assert "bon1.pdf" not in public


def test_the_board_sees_receipts_but_cannot_add_them(login, payment, board_member):
    board = login(board_member)
    response = board.post(payment.get_absolute_url(), {"action": "receipts", "receipts": [upload("bon.pdf", PDF)]})
    assert response.status_code == 400
    assert not PaymentReceipt.objects.exists()
    assert 'value="receipts"' not in board.get(payment.get_absolute_url()).content.decode()


def test_a_too_large_receipt_is_refused(login, payment, treasurer, settings):
    settings.MAX_UPLOAD_SIZE = len(PDF) - 1
    response = login(treasurer).post(
        payment.get_absolute_url(), {"action": "receipts", "receipts": [upload("groot.pdf", PDF)]}
    )
    assert response.status_code == 400
    assert "is groter dan 5 MB" in response.content.decode()
    assert not PaymentReceipt.objects.exists()


def test_a_rejected_payment_takes_no_receipts(login, payment, second_treasurer):
    services.reject_payment(payment=payment, treasurer=second_treasurer, reason="Dubbel ingediend")
    response = login(second_treasurer).post(
        payment.get_absolute_url(), {"action": "receipts", "receipts": [upload("bon.pdf", PDF)]}
    )
    assert response.status_code == 400
    assert not PaymentReceipt.objects.exists()


def grant_for(fund, applicant):
    start = timezone.localdate() + timedelta(days=30)
    return GrantApplication.objects.create(
        fund=fund,
        title="Buurtfeest",
        plan="Een feest.",
        applicant=applicant,
        starts_on=start,
        ends_on=start,
        amount_requested=10_000,
        decide_by=start,
    )


def test_a_grant_tranche_takes_its_receipts_with_the_report(login, funded, treasurer, resident):
    payment = services.request_payment(
        fund=funded, requester=treasurer, amount=5_000, description="Eerste deel", project="Buurtfeest", payee_name="X"
    )
    Tranche.objects.create(application=grant_for(funded, resident), number=1, amount=5_000, payment=payment)
    tessa = login(treasurer)
    response = tessa.post(payment.get_absolute_url(), {"action": "receipts", "receipts": [upload("bon.pdf", PDF)]})
    assert response.status_code == 400
    assert "verantwoording van de subsidie" in response.content.decode()
    assert not PaymentReceipt.objects.exists()


def test_a_receipt_missing_on_disk_is_a_404(login, payment, funded, treasurer, resident):
    receipt = PaymentReceipt(
        payment=payment, original_name="weg.pdf", content_type="application/pdf", uploaded_by=treasurer
    )
    receipt.file.save("weg.pdf", ContentFile(PDF), save=False)
    receipt.save()
    receipt.file.storage.delete(receipt.file.name)
    tessa = login(treasurer)
    assert tessa.get(f"{payment.get_absolute_url()}bonnetjes/{receipt.pk}/").status_code == 404

    application = grant_for(funded, resident)
    grant_receipt = Receipt(application=application, original_name="weg.pdf", content_type="application/pdf")
    grant_receipt.uploaded_by = resident
    grant_receipt.file.save("weg.pdf", ContentFile(PDF), save=False)
    grant_receipt.save()
    download = f"{application.get_absolute_url()}bonnetjes/{grant_receipt.pk}/"
    assert tessa.get(download).status_code == 200
    grant_receipt.file.storage.delete(grant_receipt.file.name)
    assert tessa.get(download).status_code == 404
