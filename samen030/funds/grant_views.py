"""Pages for grants decided by residents: applying, the committee's votes and decision, the grant agreement with its
tranches, the accountability report with receipts, settling, and managing the committee."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from samen030.accounts.models import User
from samen030.core.page_cache import cached_for_visitors

from . import grants, lm3
from .access import get_application, get_fund
from .forms import (
    AgreementForm,
    CommitteeMemberForm,
    ConflictForm,
    DecisionForm,
    GrantApplicationForm,
    ReasonForm,
    ReportForm,
    VoteForm,
)
from .models import CommitteeMember, Fund, GrantApplication, GrantBudgetLine
from .views import serve_receipt


def _crumbs(fund: Fund, *rest: tuple[str | None, str]) -> list[tuple[str | None, str]]:
    grants_url = reverse("grant-list", args=[fund.slug])
    return [
        (reverse("fund-list"), _("Neighbourhood funds")),
        (fund.get_absolute_url(), fund.name),
        (grants_url if rest else None, _("Grant applications")),
        *rest,
    ]


@cached_for_visitors
def grant_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Decided applications with the committee's reasons; the committee, treasurers and board also see open ones."""
    fund = get_fund(request, slug)
    applications = fund.applications.select_related("organisation", "buurt")
    insider = request.user.is_authenticated and (
        fund.is_committee_member(request.user) or request.user.has_perm("funds.manage_fund", fund)
    )
    own = Q(pk=None)
    if request.user.is_authenticated:
        own = Q(applicant=request.user) | Q(organisation__editors__user=request.user)
    open_applications = applications.filter(status=GrantApplication.Status.SUBMITTED)
    if not insider:
        open_applications = open_applications.filter(own).distinct()
    context = {
        "fund": fund,
        "open_applications": open_applications,
        "decided": applications.public(),
        "is_committee_member": fund.is_committee_member(request.user),
        "can_manage_committee": request.user.has_perm("funds.manage_committee", fund),
        "breadcrumbs": _crumbs(fund),
    }
    return render(request, "funds/grant_list.html", context)


@login_required
def grant_create(request: HttpRequest, slug: str) -> HttpResponse:
    fund = get_fund(request, slug, "funds.add_grantapplication")
    form = GrantApplicationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lines = [(GrantBudgetLine.Kind.EXPENSE.value, text, cents) for text, cents in data["expenses"]]
        lines += [(GrantBudgetLine.Kind.INCOME.value, text, cents) for text, cents in data["income"]]
        try:
            application = grants.submit_application(
                fund=fund,
                applicant=request.user,  # type: ignore[arg-type]
                organisation=data["organisation"],
                title=data["title"],
                plan=data["plan"],
                buurt=data["buurt"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                amount_requested=data["amount_requested"],
                own_contribution=data["own_contribution"],
                own_contribution_value=data["own_contribution_value"],
                budget_lines=lines,
                support=data["support"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your application is submitted. The committee decides by %(date)s.")
                % {"date": application.decide_by.strftime("%d-%m-%Y")},
            )
            return redirect(application)
    context = {"fund": fund, "form": form, "breadcrumbs": _crumbs(fund, (None, _("Apply for a grant")))}
    return render(request, "funds/grantapplication_form.html", context)


ACTIONS = {
    "withdraw": "funds.withdraw_grantapplication",
    "conflict": "funds.declare_conflict",
    "vote": "funds.vote_grantapplication",
    "decide": "funds.decide_grantapplication",
    "extend": "funds.decide_grantapplication",
    "agree": "funds.agree_grantapplication",
    "tranche": "funds.request_tranche",
    "settle": "funds.settle_grantapplication",
}


def _withdraw(request: HttpRequest, application: GrantApplication, data: dict[str, Any]) -> str:
    grants.withdraw_application(application=application, actor=request.user)  # type: ignore[arg-type]
    return _("The application is withdrawn.")


def _vote(request: HttpRequest, application: GrantApplication, data: dict[str, Any]) -> str:
    grants.cast_vote(application=application, member=request.user, in_favour=data["in_favour"])  # type: ignore[arg-type]
    return _("Your vote is counted.")


def _conflict(request: HttpRequest, application: GrantApplication, data: dict[str, Any]) -> str:
    grants.declare_conflict(application=application, member=request.user, reason=data["conflict_reason"])  # type: ignore[arg-type]
    return _("Your conflict of interest is recorded. You do not vote on this application.")


def _decide(request: HttpRequest, application: GrantApplication, data: dict[str, Any]) -> str:
    decided = grants.decide_application(
        application=application,
        member=request.user,  # type: ignore[arg-type]
        reasons=data["reasons"],
        amount_granted=data["amount_granted"],
    )
    if decided.status == GrantApplication.Status.APPROVED:
        return _("The grant is awarded. The treasurers make the grant agreement.")
    return _("The decision is recorded: no grant.")


def _extend(request: HttpRequest, application: GrantApplication, data: dict[str, Any]) -> str:
    grants.extend_deadline(application=application, member=request.user, reason=data["reason"])  # type: ignore[arg-type]
    return _("The decision period is extended.")


def _agree(request: HttpRequest, application: GrantApplication, data: dict[str, Any]) -> str:
    grants.make_agreement(
        application=application,
        treasurer=request.user,  # type: ignore[arg-type]
        tranches=data["tranches"],
        budget_line=data["budget_line"],
    )
    return _("The grant agreement is made and the money is committed in the ledger.")


def _tranche(request: HttpRequest, application: GrantApplication, data: dict[str, Any]) -> str:
    tranche = application.tranches.filter(pk=request.POST.get("tranche") or 0).first()
    if tranche is None:
        raise Http404
    grants.request_tranche(tranche=tranche, requester=request.user)  # type: ignore[arg-type]
    return _("The tranche is requested. Another treasurer must approve the payment.")


def _settle(request: HttpRequest, application: GrantApplication, data: dict[str, Any]) -> str:
    grants.settle_grant(application=application, treasurer=request.user)  # type: ignore[arg-type]
    return _("The grant is settled. What was not spent is back in the fund.")


HANDLERS = {
    "withdraw": _withdraw,
    "vote": _vote,
    "conflict": _conflict,
    "decide": _decide,
    "extend": _extend,
    "agree": _agree,
    "tranche": _tranche,
    "settle": _settle,
}


def _act(request: HttpRequest, application: GrantApplication, action: str, forms: dict[str, Any]) -> str | None:
    """Carry out one action; returns the success message, or None when its form is not valid."""
    form = forms.get(action)
    if form is not None and not form.is_valid():
        return None
    return HANDLERS[action](request, application, form.cleaned_data if form is not None else {})


def grant_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    fund = get_fund(request, slug)
    application = get_application(request, fund, pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    posted = request.POST if action else None
    forms: dict[str, Any] = {
        "vote": VoteForm(posted if action == "vote" else None),
        "conflict": ConflictForm(posted if action == "conflict" else None),
        "decide": DecisionForm(posted if action == "decide" else None),
        "extend": ReasonForm(posted if action == "extend" else None, prefix="extend"),
        "agree": AgreementForm(posted if action == "agree" else None, fund=fund),
    }
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if action not in ACTIONS:
            raise Http404
        if not request.user.has_perm(ACTIONS[action], application):
            raise PermissionDenied
        try:
            message = _act(request, application, action, forms)
        except ValidationError as error:
            errors, status = error.messages, 400
        else:
            if message is not None:
                messages.success(request, message)
                return redirect(application)
            status = 400
    tally = grants.tally(application)
    perms = {name: request.user.has_perm(permission, application) for name, permission in ACTIONS.items()}
    context = {
        "fund": fund,
        "application": application,
        "expenses": application.budget_lines.filter(kind=GrantBudgetLine.Kind.EXPENSE),
        "income": application.budget_lines.filter(kind=GrantBudgetLine.Kind.INCOME),
        "support": application.support.all() if request.user.has_perm("funds.view_supportlist", application) else [],
        "tally": tally,
        "tranches": application.tranches.select_related("payment"),
        "spending": application.spending.select_related("buurt"),
        "receipts": application.receipts.all() if request.user.has_perm("funds.view_receipt", application) else [],
        "conflicts": application.conflicts.select_related("member"),
        "has_voted": request.user.is_authenticated and application.votes.filter(member=request.user).exists(),
        "is_committee_member": fund.is_committee_member(request.user),
        "can_report": request.user.has_perm("funds.report_grantapplication", application),
        "perms": perms,
        "forms": forms,
        "errors": errors,
        "paid_out": grants.paid_out(application),
        "spent": grants.spent(application),
        "multiplier_rows": [lm3.multiplier(application.spending.all(), application.title)],
        "breadcrumbs": _crumbs(fund, (None, application.title)),
    }
    return render(request, "funds/grantapplication_detail.html", context, status=status)


@login_required
def grant_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    fund = get_fund(request, slug)
    application = get_application(request, fund, pk, "funds.report_grantapplication")
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grants.submit_report(
                application=application,
                actor=request.user,  # type: ignore[arg-type]
                report=data["report"],
                spending=data["spending"],
                receipts=data["receipts"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your report is submitted; the treasurers settle the grant."))
            return redirect(application)
    context = {
        "fund": fund,
        "application": application,
        "form": form,
        "paid_out": grants.paid_out(application),
        "breadcrumbs": _crumbs(
            fund, (application.get_absolute_url(), application.title), (None, _("Accountability report"))
        ),
    }
    return render(request, "funds/grant_report_form.html", context, status=400 if form.errors else 200)


@login_required
def receipt_download(request: HttpRequest, slug: str, pk: int, receipt: int) -> FileResponse:
    fund = get_fund(request, slug)
    application = get_application(request, fund, pk, "funds.view_receipt")
    found = application.receipts.filter(pk=receipt).first()
    if found is None:
        raise Http404
    return serve_receipt(found)


@login_required
def committee_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """Treasurers and the board put residents of the area on the fund's committee, or take them off."""
    fund = get_fund(request, slug, "funds.manage_committee")
    form = CommitteeMemberForm(request.POST if request.POST.get("action") == "add" else None, fund=fund)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                member = fund.committee.filter(pk=request.POST.get("member") or 0, is_active=True).first()
                if member is None:
                    raise Http404
                grants.remove_committee_member(member=member, actor=request.user)  # type: ignore[arg-type]
                messages.success(request, _("%(name)s is no longer on the committee.") % {"name": member.user.name})
                return redirect("committee-manage", slug=fund.slug)
            if form.is_valid():
                user = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
                if user is None:
                    raise ValidationError(_("Nobody has an account with this email address."))
                grants.add_committee_member(
                    fund=fund,
                    user=user,
                    buurt=form.cleaned_data["buurt"],
                    actor=request.user,  # type: ignore[arg-type]
                )
                messages.success(request, _("%(name)s is on the committee now.") % {"name": user.name})
                return redirect("committee-manage", slug=fund.slug)
        except ValidationError as error:
            form.add_error(None, error)
    context = {
        "fund": fund,
        "form": form,
        "members": CommitteeMember.objects.filter(fund=fund, is_active=True).select_related("user", "buurt"),
        "breadcrumbs": [
            (reverse("fund-list"), _("Neighbourhood funds")),
            (fund.get_absolute_url(), fund.name),
            (None, _("Fund committee")),
        ],
    }
    return render(request, "funds/committee_manage.html", context, status=400 if form.errors else 200)
