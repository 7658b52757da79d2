"""The budget pages: budget against actual per line and year (public), and managing the budget and closing years
(treasurers)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samen030.core.page_cache import cached_for_visitors

from . import budgets
from .access import get_fund
from .forms import BudgetLineForm, CloseYearForm
from .models import Fund


def chosen_year(request: HttpRequest) -> int:
    text = request.GET.get("jaar") or request.POST.get("jaar") or ""
    if text.isdigit() and budgets.FIRST_YEAR <= int(text) <= 2100:
        return int(text)
    return timezone.localdate().year


def _crumbs(fund: Fund, label: str, managing: bool = False) -> list[tuple[str | None, str]]:
    crumbs: list[tuple[str | None, str]] = [
        (reverse("fund-list"), _("Neighbourhood funds")),
        (fund.get_absolute_url(), fund.name),
    ]
    if managing:
        crumbs.append((reverse("fund-manage", args=[fund.slug]), _("Treasurers")))
    return [*crumbs, (None, label)]


@cached_for_visitors
def fund_budget(request: HttpRequest, slug: str) -> HttpResponse:
    fund = get_fund(request, slug)
    year = chosen_year(request)
    context = {
        "fund": fund,
        "report": budgets.budget_report(fund, year),
        "years": budgets.budget_years(fund),
        "can_change": request.user.has_perm("funds.change_budget", fund),
        "breadcrumbs": _crumbs(fund, _("Budget %(year)s") % {"year": year}),
    }
    return render(request, "funds/fund_budget.html", context)


@login_required
def budget_manage(request: HttpRequest, slug: str) -> HttpResponse:
    fund = get_fund(request, slug, "funds.change_budget")
    year = chosen_year(request)
    action = request.POST.get("action", "")
    line_form = BudgetLineForm(request.POST if action == "line" else None, initial={"kind": "uitgaven"})
    close_form = CloseYearForm(request.POST if action == "close" else None, initial={"year": year - 1})
    errors: list[str] = []
    if request.method == "POST":
        user = request.user
        try:
            if action == "line" and line_form.is_valid():
                data = line_form.cleaned_data
                budgets.set_budget_line(
                    fund=fund,
                    year=year,
                    kind=data["kind"],
                    name=data["name"],
                    source=data["source"],
                    planned=data["planned"],
                    actor=user,  # type: ignore[arg-type]
                )
                messages.success(request, _("The budget line is saved."))
                return redirect(f"{reverse('budget-manage', args=[fund.slug])}?jaar={year}")
            if action == "remove":
                line = fund.budget_lines.filter(pk=request.POST.get("line") or 0).first()
                if line is None:
                    raise Http404
                budgets.remove_budget_line(line=line, actor=user)  # type: ignore[arg-type]
                messages.success(request, _("The budget line is removed."))
                return redirect(f"{reverse('budget-manage', args=[fund.slug])}?jaar={year}")
            if action == "close" and close_form.is_valid():
                closed = close_form.cleaned_data["year"]
                budgets.close_year(fund=fund, year=closed, actor=user)  # type: ignore[arg-type]
                messages.success(request, _("The books of %(year)s are closed.") % {"year": closed})
                return redirect(f"{reverse('budget-manage', args=[fund.slug])}?jaar={year}")
            if action not in ("line", "remove", "close"):
                raise Http404
        except ValidationError as error:
            errors = error.messages
    context = {
        "fund": fund,
        "year": year,
        "report": budgets.budget_report(fund, year),
        "lines": fund.budget_lines.filter(year=year),
        "closed_years": fund.closed_years.select_related("closed_by"),
        "years": budgets.budget_years(fund),
        "line_form": line_form,
        "close_form": close_form,
        "errors": errors,
        "breadcrumbs": _crumbs(fund, _("Budget %(year)s") % {"year": year}, managing=True),
    }
    status = 400 if errors or line_form.errors or close_form.errors else 200
    return render(request, "funds/budget_manage.html", context, status=status)
