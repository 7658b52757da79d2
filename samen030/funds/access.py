"""The one way views fetch a fund or a payment request: by slug and id, checked against a permission."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from .models import Fund, GrantApplication, PaymentRequest


def get_fund(request: HttpRequest, slug: str, permission: str = "funds.view_fund") -> Fund:
    fund = Fund.objects.select_related("buurt", "wijk").filter(slug=slug).first()
    if fund is None:
        raise Http404
    if permission != "funds.view_fund" and not request.user.has_perm(permission, fund):
        raise PermissionDenied
    return fund


def get_payment(
    request: HttpRequest, fund: Fund, pk: int, permission: str = "funds.view_paymentrequest"
) -> PaymentRequest:
    """A payment request of this fund; only treasurers, the board and admins see one (others get a 404)."""
    payment = (
        PaymentRequest.objects.select_related("fund", "organisation", "buurt", "requested_by", "transaction")
        .filter(fund=fund, pk=pk)
        .first()
    )
    if payment is None or not request.user.has_perm("funds.view_paymentrequest", payment):
        raise Http404
    if permission != "funds.view_paymentrequest" and not request.user.has_perm(permission, payment):
        raise PermissionDenied
    return payment


def get_application(
    request: HttpRequest, fund: Fund, pk: int, permission: str = "funds.view_grantapplication"
) -> GrantApplication:
    """A grant application of this fund. Undecided ones are seen by the applicant, the committee, the treasurers and
    the board only (others get a 404)."""
    application = (
        GrantApplication.objects.select_related("fund", "organisation", "buurt", "applicant", "commitment")
        .filter(fund=fund, pk=pk)
        .first()
    )
    if application is None or not request.user.has_perm("funds.view_grantapplication", application):
        raise Http404
    if permission != "funds.view_grantapplication" and not request.user.has_perm(permission, application):
        raise PermissionDenied
    return application
