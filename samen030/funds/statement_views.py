"""The treasurers' page for bank statements: upload, what matched, and what did not."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import reconciliation
from .access import get_fund
from .forms import IncomeSourceForm, StatementForm


@login_required
def statement_import(request: HttpRequest, slug: str) -> HttpResponse:
    fund = get_fund(request, slug, "funds.import_statement")
    action = request.POST.get("action", "")
    form = StatementForm(request.POST if action == "import" else None, request.FILES if action == "import" else None)
    errors: list[str] = []
    if request.method == "POST":
        try:
            if action == "import":
                if form.is_valid():
                    upload = form.cleaned_data["statement"]
                    result = reconciliation.import_statement(
                        fund=fund,
                        data=upload.read(),
                        file_name=upload.name or "",
                        actor=request.user,  # type: ignore[arg-type]
                    )
                    messages.success(
                        request,
                        _(
                            "Imported: %(matched)s lines matched a payment, %(unmatched)s did not match, "
                            "%(duplicates)s were imported before."
                        )
                        % {
                            "matched": len(result.matched),
                            "unmatched": len(result.unmatched),
                            "duplicates": result.duplicates,
                        },
                    )
                    return redirect(f"{reverse('statement-import', args=[fund.slug])}?import={result.bank_import.pk}")
            elif action == "income":
                line = fund.bank_lines.filter(pk=request.POST.get("line") or 0).first()
                source_form = IncomeSourceForm(request.POST)
                if line is None or not source_form.is_valid():
                    raise Http404
                reconciliation.book_as_income(
                    line=line,
                    source=source_form.cleaned_data["source"],
                    actor=request.user,  # type: ignore[arg-type]
                )
                messages.success(request, _("The line is booked as income."))
                return redirect("statement-import", slug=fund.slug)
            else:
                raise Http404
        except ValidationError as error:
            errors = error.messages
    latest = fund.bank_imports.filter(pk=request.GET.get("import") or 0).first() if request.GET.get("import") else None
    context = {
        "fund": fund,
        "form": form,
        "errors": errors,
        "latest": latest,
        "matched": latest.lines.filter(payment__isnull=False).select_related("payment") if latest else [],
        "open_lines": reconciliation.open_lines(fund),
        "source_form": IncomeSourceForm(),
        "imports": fund.bank_imports.select_related("imported_by")[:10],
        "breadcrumbs": [
            (reverse("fund-list"), _("Neighbourhood funds")),
            (fund.get_absolute_url(), fund.name),
            (reverse("fund-manage", args=[fund.slug]), _("Treasurers")),
            (None, _("Bank statements")),
        ],
    }
    return render(request, "funds/statement_import.html", context, status=400 if errors or form.errors else 200)
