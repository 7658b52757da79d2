"""Receipts (bonnetjes) with plain payments: a treasurer adds them to a payment request, also after it is booked.

Adding a receipt never changes a ledger entry: it is a file beside the payment, recorded in the audit log. The files
are checked by their content with the same check as the receipts of a grant report (grants.check_receipt). Receipts
of a grant tranche belong with the grant's accountability report, so a tranche payment takes none here.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from samen030.accounts.models import User

from . import services
from .grants import check_receipt
from .models import AuditEvent, PaymentReceipt, PaymentRequest, Tranche


def is_tranche(payment: PaymentRequest) -> bool:
    return Tranche.objects.filter(payment=payment).exists()


def takes_receipts(payment: PaymentRequest) -> bool:
    """A payment that is waiting for approval or booked, and is not a grant tranche."""
    return payment.status != PaymentRequest.Status.REJECTED and not is_tranche(payment)


@transaction.atomic
def add_receipts(
    *,
    payment: PaymentRequest,
    actor: User,
    receipts: Sequence[UploadedFile],  # type: ignore[type-arg]
) -> list[PaymentReceipt]:
    """Attach receipt files to a payment. Every file is checked first: one bad file saves none of them."""
    if not payment.fund.is_treasurer(actor):
        raise ValidationError(_("Only a treasurer of this fund can add receipts."), code="not_treasurer")
    if payment.status == PaymentRequest.Status.REJECTED:
        raise ValidationError(_("This payment is rejected; it takes no receipts."), code="rejected")
    if is_tranche(payment):
        raise ValidationError(
            _("This payment is a tranche of a grant. The receipts come with the grant's accountability report."),
            code="tranche",
        )
    if not receipts:
        raise ValidationError(_("Choose one or more files."), code="no_receipts")
    types = [check_receipt(upload) for upload in receipts]
    added = [
        PaymentReceipt.objects.create(
            payment=payment,
            file=upload,
            original_name=(upload.name or "bonnetje")[:200],
            content_type=content_type,
            uploaded_by=actor,
        )
        for upload, content_type in zip(receipts, types, strict=True)
    ]
    for receipt in added:
        services._audit(
            payment.fund,
            AuditEvent.Action.RECEIPT_ADDED,
            actor,
            payment=payment,
            receipt=receipt.pk,
            file_name=receipt.original_name,
        )
    return added
