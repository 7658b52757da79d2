from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from samen030.core.csvfiles import CsvWriter
from samen030.core.page_cache import cached_for_visitors

from . import receipts, services
from .access import get_fund, get_payment
from .budgets import budget_report
from .exports import fund_workbook
from .forms import (
    CommitmentForm,
    IncomeForm,
    PaymentReceiptForm,
    PaymentRequestForm,
    ReasonForm,
    ReleaseCommitmentForm,
)
from .models import Fund, PaymentRequest
from .money import format_plain
from .queries import (
    bookings_page,
    free_balances,
    fund_summary,
    public_row,
    public_transactions,
    with_receipt_flag,
)

TRANSACTIONS_PER_PAGE = 50


def _crumbs(fund: Fund | None = None, *rest: tuple[str | None, str]) -> list[tuple[str | None, str]]:
    crumbs: list[tuple[str | None, str]] = [(reverse("fund-list") if fund or rest else None, _("Neighbourhood funds"))]
    if fund is not None:
        crumbs.append((fund.get_absolute_url() if rest else None, fund.name))
    return [*crumbs, *rest]


@cached_for_visitors
def fund_list(request: HttpRequest) -> HttpResponse:
    funds = list(Fund.objects.select_related("buurt", "wijk"))
    balances = free_balances(funds)
    rows = [(fund, balances.get(fund.pk, 0)) for fund in funds]
    return render(request, "funds/fund_list.html", {"rows": rows, "breadcrumbs": _crumbs()})


@cached_for_visitors
def fund_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The public transparency page: where the money came from, what is committed and paid, and what is left."""
    fund = get_fund(request, slug)
    bookings = with_receipt_flag(public_transactions(fund))
    page = bookings_page(bookings, TRANSACTIONS_PER_PAGE, request.GET.get("voor"), request.GET.get("na"))
    context = {
        "fund": fund,
        "summary": fund_summary(fund),
        "budget": budget_report(fund, timezone.localdate().year),
        "bookings_page": page,
        "booking_count": fund.transactions.count(),
        "rows": [public_row(booked) for booked in page.bookings],
        "can_manage": request.user.has_perm("funds.manage_fund", fund),
        "can_correct": request.user.has_perm("funds.reverse_transaction", fund),
        "breadcrumbs": _crumbs(fund),
    }
    return render(request, "funds/fund_detail.html", context)


@require_GET
def fund_transactions_csv(request: HttpRequest, slug: str) -> HttpResponse:
    fund = get_fund(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{fund.slug}-transacties-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    # Text columns are defused against formulas; the amounts stay numbers (samen030/core/csvfiles.py).
    writer = CsvWriter(
        response,
        [
            "nummer",
            "datum",
            "soort",
            "omschrijving",
            "project",
            "buurt",
            "ontvanger of bron",
            "bedrag",
            "bedrag_centen",
            "corrigeert",
        ],
        numeric={"nummer", "bedrag", "bedrag_centen", "corrigeert"},
    )
    for booked in public_transactions(fund).order_by("booked_on", "pk"):
        row = public_row(booked)
        writer.writerow(
            [
                row["number"],
                row["date"].isoformat(),
                booked.kind,
                row["description"],
                row["project"],
                row["buurt"],
                row["counterparty"],
                format_plain(row["amount"]),
                row["amount"],
                row["reverses"] or "",
            ]
        )
    return response


@require_GET
def fund_transactions_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    fund = get_fund(request, slug)
    response = HttpResponse(
        fund_workbook(fund), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{fund.slug}-transacties-{timezone.localdate():%Y-%m-%d}.xlsx"'
    )
    return response


@login_required
def fund_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """The treasurers' page: payments waiting for approval, recent decisions and the audit log."""
    fund = get_fund(request, slug, "funds.manage_fund")
    payments = fund.payment_requests.select_related("organisation", "requested_by").prefetch_related("approvals")
    context = {
        "fund": fund,
        "summary": fund_summary(fund),
        "budget": budget_report(fund, timezone.localdate().year),
        "open_payments": payments.filter(status=PaymentRequest.Status.REQUESTED),
        "decided_payments": payments.exclude(status=PaymentRequest.Status.REQUESTED)[:20],
        "events": fund.audit_events.select_related("actor", "payment", "application__fund")[:50],
        "is_treasurer": request.user.has_perm("funds.request_payment", fund),
        "can_manage_treasurers": request.user.has_perm("funds.manage_treasurers", fund),
        "treasurers": fund.treasurers.order_by("name"),
        "breadcrumbs": _crumbs(fund, (None, _("Treasurers"))),
    }
    return render(request, "funds/fund_manage.html", context)


def _manage_crumbs(fund: Fund, label: str) -> list[tuple[str | None, str]]:
    return _crumbs(fund, (reverse("fund-manage", args=[fund.slug]), _("Treasurers")), (None, label))


@login_required
def payment_create(request: HttpRequest, slug: str) -> HttpResponse:
    fund = get_fund(request, slug, "funds.request_payment")
    form = PaymentRequestForm(request.POST or None, fund=fund)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = services.request_payment(
                fund=fund,
                requester=request.user,  # type: ignore[arg-type]
                amount=data["amount"],
                description=data["description"],
                project=data["project"],
                organisation=data["organisation"],
                payee_name=data["payee_name"],
                buurt=data["buurt"],
                budget_line=data["budget_line"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The payment is requested. Another treasurer must approve it."))
            return redirect(payment)
    context = {"fund": fund, "form": form, "breadcrumbs": _manage_crumbs(fund, _("Request a payment"))}
    return render(request, "funds/paymentrequest_form.html", context)


@login_required
def payment_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    fund = get_fund(request, slug)
    payment = get_payment(request, fund, pk)
    reject_form = ReasonForm(request.POST if request.POST.get("action") == "reject" else None)
    receipt_form = PaymentReceiptForm(
        request.POST if request.POST.get("action") == "receipts" else None,
        request.FILES if request.POST.get("action") == "receipts" else None,
    )
    error: ValidationError | None = None
    if request.method == "POST":
        action = request.POST.get("action")
        treasurer: Any = request.user
        try:
            if action == "approve":
                # The service refuses approving twice or your own request with a message; no bare 403 here.
                payment = services.approve_payment(payment=payment, approver=treasurer)
                if payment.status == PaymentRequest.Status.BOOKED:
                    messages.success(request, _("Approved. The payment is booked."))
                else:
                    messages.success(request, _("Approved. Another treasurer must approve it too."))
                return redirect(payment)
            if action == "reject":
                if reject_form.is_valid():
                    services.reject_payment(
                        payment=payment, treasurer=treasurer, reason=reject_form.cleaned_data["reason"]
                    )
                    messages.success(request, _("The payment is rejected. Nothing is booked."))
                    return redirect(payment)
            elif action == "receipts":
                if not request.user.has_perm("funds.add_payment_receipt", payment):
                    raise ValidationError(_("You cannot add receipts to this payment."))
                if receipt_form.is_valid():
                    added = receipts.add_receipts(
                        payment=payment, actor=treasurer, receipts=receipt_form.cleaned_data["receipts"]
                    )
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d receipt is added. The booking stays as it was.",
                            "%(count)d receipts are added. The booking stays as it was.",
                            len(added),
                        )
                        % {"count": len(added)},
                    )
                    return redirect(payment)
            else:
                raise Http404
        except ValidationError as exc:
            error = exc
    context = {
        "fund": fund,
        "payment": payment,
        "approvals": payment.approvals.select_related("approver"),
        "errors": error.messages if error else [],
        "can_approve": request.user.has_perm("funds.approve_payment", payment),
        "can_reject": request.user.has_perm("funds.reject_payment", payment),
        "reject_form": reject_form,
        "receipts": payment.receipts.all() if request.user.has_perm("funds.view_payment_receipt", payment) else [],
        "can_add_receipts": request.user.has_perm("funds.add_payment_receipt", payment),
        "is_tranche": receipts.is_tranche(payment),
        "receipt_form": receipt_form,
        "breadcrumbs": _manage_crumbs(fund, _("Payment %(number)s") % {"number": payment.pk}),
    }
    status = 400 if error or receipt_form.errors else 200
    return render(request, "funds/paymentrequest_detail.html", context, status=status)


def serve_receipt(found: Any) -> FileResponse:
    """A receipt as a download, never shown inline; a file that is gone from the disk is a 404, not an error."""
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=found.content_type)
    response["Content-Disposition"] = f'attachment; filename="bonnetje-{found.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def payment_receipt_download(request: HttpRequest, slug: str, pk: int, receipt: int) -> FileResponse:
    fund = get_fund(request, slug)
    payment = get_payment(request, fund, pk, "funds.view_payment_receipt")
    found = payment.receipts.filter(pk=receipt).first()
    if found is None:
        raise Http404
    return serve_receipt(found)


@login_required
def income_create(request: HttpRequest, slug: str) -> HttpResponse:
    fund = get_fund(request, slug, "funds.record_income")
    form = IncomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_income(
                fund=fund,
                source=data["source"],
                amount=data["amount"],
                description=data["description"],
                actor=request.user,  # type: ignore[arg-type]
                booked_on=data["booked_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The income is booked."))
            return redirect("fund-manage", slug=fund.slug)
    context = {"fund": fund, "form": form, "breadcrumbs": _manage_crumbs(fund, _("Record income"))}
    return render(request, "funds/income_form.html", context)


@login_required
def commitment_create(request: HttpRequest, slug: str) -> HttpResponse:
    fund = get_fund(request, slug, "funds.commit_budget")
    form = CommitmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.commit_budget(
                fund=fund,
                project=data["project"],
                amount=data["amount"],
                description=data["description"],
                actor=request.user,  # type: ignore[arg-type]
                buurt=data["buurt"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The money is set aside for the project."))
            return redirect("fund-manage", slug=fund.slug)
    context = {"fund": fund, "form": form, "breadcrumbs": _manage_crumbs(fund, _("Commit money to a project"))}
    return render(request, "funds/commitment_form.html", context)


@login_required
def commitment_release(request: HttpRequest, slug: str) -> HttpResponse:
    """A project needs less than was committed: a treasurer books the rest back to the free balance."""
    fund = get_fund(request, slug, "funds.release_commitment")
    form = ReleaseCommitmentForm(request.POST or None, fund=fund)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.release_commitment(
                fund=fund,
                commitment=data["commitment"],
                amount=data["amount"],
                reason=data["reason"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The money is free to spend again."))
            return redirect("fund-manage", slug=fund.slug)
    context = {
        "fund": fund,
        "form": form,
        "has_commitments": services.releasable_commitments(fund).exists(),
        "breadcrumbs": _manage_crumbs(fund, _("Release a commitment")),
    }
    return render(request, "funds/commitment_release.html", context, status=400 if form.errors else 200)


@login_required
def transaction_reverse(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    fund = get_fund(request, slug, "funds.reverse_transaction")
    original = public_transactions(fund).filter(pk=pk).first()
    if original is None:
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reverse_transaction(
                original=original,
                actor=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The correction is booked. The original booking stays visible."))
            return redirect(fund)
    context = {
        "fund": fund,
        "row": public_row(original),
        "form": form,
        "breadcrumbs": _manage_crumbs(fund, _("Correct a booking")),
    }
    return render(request, "funds/transaction_reverse.html", context)
