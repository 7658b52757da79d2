"""Grants decided by residents: every step of an application goes through one of these functions (docs/funds.md).

An application is submitted by a resident (for themselves or for an organisation they edit), the fund's committee of
residents votes on it (a member with a declared conflict of interest cannot), the majority of the members without a
conflict decides and the reasons are published. A treasurer then makes the grant agreement (the money is committed
in the ledger), pays it in tranches through the four-eyes payments, and after the accountability report settles the
grant: what was not paid out is released and what was paid but not spent comes back to the fund.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from samen030.accounts.models import User
from samen030.organisations.models import Organisation
from samen030.places.models import Buurt, Postcode
from samen030.places.postcodes import normalise_postcode

from . import services
from .models import (
    Account,
    AuditEvent,
    BudgetLine,
    CommitteeMember,
    ConflictOfInterest,
    Fund,
    GrantApplication,
    GrantBudgetLine,
    GrantVote,
    PaymentRequest,
    Receipt,
    SpendingLine,
    SupportStatement,
    Tranche,
    Transaction,
)
from .money import MAX_CENTS, format_amount

Action = AuditEvent.Action
Status = GrantApplication.Status


def _cents(amount: Any, *, allow_zero: bool = False) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationError(_("Amounts are whole euro cents."), code="not_cents")
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError(_("The amount must be more than zero."), code="not_positive")
    if amount > MAX_CENTS:
        raise ValidationError(_("This amount is too large."), code="too_large")
    return amount


def _lock(application: GrantApplication) -> GrantApplication:
    return GrantApplication.objects.select_for_update(of=("self",)).select_related("fund").get(pk=application.pk)


# The committee ----------------------------------------------------------------------------------------------------


@transaction.atomic
def add_committee_member(*, fund: Fund, user: User, buurt: Buurt, actor: User) -> CommitteeMember:
    """Treasurers and the board put a resident of the fund's area on its committee."""
    if not fund.in_area(buurt):
        raise ValidationError(
            _("Committee members live in the fund's area (%(area)s).") % {"area": fund.area}, code="not_in_area"
        )
    if not user.is_active:
        raise ValidationError(_("This account is not active."), code="inactive")
    member, created = CommitteeMember.objects.get_or_create(fund=fund, user=user, defaults={"buurt": buurt})
    if not created:
        if member.is_active:
            raise ValidationError(_("This person is already on the committee."), code="already_member")
        member.is_active, member.buurt = True, buurt
        member.save(update_fields=["is_active", "buurt"])
    services._audit(fund, Action.COMMITTEE_CHANGED, actor, added=user.name, buurt=buurt.name)
    return member


@transaction.atomic
def remove_committee_member(*, member: CommitteeMember, actor: User) -> CommitteeMember:
    member.is_active = False
    member.save(update_fields=["is_active"])
    services._audit(member.fund, Action.COMMITTEE_CHANGED, actor, removed=member.user.name)
    return member


# Applying ---------------------------------------------------------------------------------------------------------


def decision_due(fund: Fund, submitted: date) -> date:
    return submitted + timedelta(weeks=fund.decision_weeks)


def _check_budget(amount_requested: int, budget_lines: Sequence[tuple[str, str, int]]) -> None:
    """The grant covers at most the expenses minus the other income."""
    expenses = income = 0
    for kind, description, amount in budget_lines:
        if kind not in GrantBudgetLine.Kind.values or not description.strip():
            raise ValidationError(_("Every budget line needs a description and an amount."), code="budget_line")
        if kind == GrantBudgetLine.Kind.EXPENSE:
            expenses += _cents(amount)
        else:
            income += _cents(amount)
    if not expenses:
        raise ValidationError(_("List the expenses in the budget."), code="no_expenses")
    if amount_requested > expenses - income:
        raise ValidationError(
            _("You can ask at most for the expenses minus the other income: %(gap)s.")
            % {"gap": format_amount(max(expenses - income, 0))},
            code="above_budget",
        )


@transaction.atomic
def submit_application(
    *,
    fund: Fund,
    applicant: User,
    title: str,
    plan: str,
    starts_on: date,
    ends_on: date,
    amount_requested: int,
    own_contribution: str,
    own_contribution_value: int = 0,
    budget_lines: Sequence[tuple[str, str, int]],
    support: Sequence[tuple[str, str]],
    organisation: Organisation | None = None,
    buurt: Buurt | None = None,
) -> GrantApplication:
    """Budget lines are (kind, description, cents), support lines (name, stance)."""
    fund = services._lock_fund(fund)
    amount_requested = _cents(amount_requested)
    own_contribution_value = _cents(own_contribution_value, allow_zero=True)
    if not title.strip() or not plan.strip():
        raise ValidationError(_("Give your initiative a name and describe the plan."), code="plan")
    if not own_contribution.strip():
        raise ValidationError(_("Say what you and others put in yourselves."), code="own_contribution")
    if organisation is not None and not organisation.editors.filter(user=applicant).exists():
        raise ValidationError(_("You can only apply for an organisation you edit."), code="not_editor")
    if buurt is not None and not fund.in_area(buurt):
        raise ValidationError(_("This buurt is outside the fund's area (%(area)s).") % {"area": fund.area}, code="area")
    today = timezone.localdate()
    if starts_on < today:
        raise ValidationError(_("Apply before the initiative starts: the start date is in the past."), code="late")
    if ends_on < starts_on:
        raise ValidationError(_("The end date is before the start date."), code="dates")
    if amount_requested > fund.max_grant:
        raise ValidationError(
            _("This fund gives at most %(max)s per initiative.") % {"max": format_amount(fund.max_grant)},
            code="above_maximum",
        )
    _check_budget(amount_requested, budget_lines)
    if not any(stance == SupportStatement.Stance.FOR for _name, stance in support):
        raise ValidationError(_("Show support: at least one person who is for the plan."), code="no_support")
    if any(stance not in SupportStatement.Stance.values for _name, stance in support):
        raise ValidationError(_("Each person on the support list is for, against, or has no opinion."), code="stance")
    application = GrantApplication.objects.create(
        fund=fund,
        title=title.strip(),
        plan=plan.strip(),
        buurt=buurt,
        applicant=applicant,
        organisation=organisation,
        starts_on=starts_on,
        ends_on=ends_on,
        amount_requested=amount_requested,
        own_contribution=own_contribution.strip(),
        own_contribution_value=own_contribution_value,
        decide_by=decision_due(fund, today),
        support_for=sum(1 for _n, stance in support if stance == SupportStatement.Stance.FOR),
        support_against=sum(1 for _n, stance in support if stance == SupportStatement.Stance.AGAINST),
        support_neutral=sum(1 for _n, stance in support if stance == SupportStatement.Stance.NEUTRAL),
    )
    GrantBudgetLine.objects.bulk_create(
        GrantBudgetLine(application=application, kind=kind, description=description.strip(), amount=amount)
        for kind, description, amount in budget_lines
    )
    SupportStatement.objects.bulk_create(
        SupportStatement(application=application, name=name.strip()[:150], stance=stance) for name, stance in support
    )
    services._audit(fund, Action.GRANT_SUBMITTED, applicant, application=application, amount=amount_requested)
    return application


@transaction.atomic
def withdraw_application(*, application: GrantApplication, actor: User) -> GrantApplication:
    application = _lock(application)
    if not application.is_open:
        raise ValidationError(_("This application has already been decided."), code="decided")
    application.status = Status.WITHDRAWN
    application.save(update_fields=["status"])
    application.support.all().delete()
    services._audit(application.fund, Action.GRANT_WITHDRAWN, actor, application=application)
    return application


# The committee decides --------------------------------------------------------------------------------------------


@dataclass
class Tally:
    eligible: int  # active members without a conflict of interest who are not the applicant
    votes_for: int
    votes_against: int

    @property
    def majority(self) -> int:
        return self.eligible // 2 + 1

    @property
    def outcome(self) -> str | None:
        """Granted once more than half of the eligible members voted for; not granted once that can no longer
        happen; None while it is open."""
        if self.eligible == 0:
            return None
        if self.votes_for >= self.majority:
            return Status.APPROVED
        if self.eligible - self.votes_against < self.majority:
            return Status.REJECTED
        return None


def _conflicted(application: GrantApplication) -> set[int]:
    """Members who may not vote: those who declared a conflict, the applicant and the applying organisation's
    editors."""
    blocked = set(application.conflicts.values_list("member_id", flat=True))
    blocked.add(application.applicant_id)
    if application.organisation_id:
        blocked.update(application.organisation.editors.values_list("user_id", flat=True))  # type: ignore[union-attr]
    return blocked


def tally(application: GrantApplication) -> Tally:
    blocked = _conflicted(application)
    members = set(application.fund.committee.filter(is_active=True).values_list("user_id", flat=True)) - blocked
    votes = application.votes.filter(member_id__in=members)
    return Tally(
        eligible=len(members),
        votes_for=votes.filter(in_favour=True).count(),
        votes_against=votes.filter(in_favour=False).count(),
    )


def may_vote(application: GrantApplication, user: Any) -> bool:
    return application.fund.is_committee_member(user) and user.pk not in _conflicted(application)


def _check_member(application: GrantApplication, member: User) -> None:
    if not application.is_open:
        raise ValidationError(_("This application has already been decided."), code="decided")
    if not application.fund.is_committee_member(member):
        raise ValidationError(_("Only members of the fund's committee can do this."), code="not_member")


@transaction.atomic
def declare_conflict(*, application: GrantApplication, member: User, reason: str) -> ConflictOfInterest:
    """A member declares a conflict of interest; from then on they cannot vote on this application."""
    application = _lock(application)
    _check_member(application, member)
    if not reason.strip():
        raise ValidationError(_("Say what the conflict of interest is."), code="reason")
    if application.votes.filter(member=member).exists():
        raise ValidationError(
            _("You already voted. Ask the treasurers to look at this application again."), code="voted"
        )
    if application.conflicts.filter(member=member).exists():
        raise ValidationError(_("You already declared a conflict of interest."), code="declared_twice")
    conflict = ConflictOfInterest.objects.create(application=application, member=member, reason=reason.strip())
    services._audit(application.fund, Action.CONFLICT_DECLARED, member, application=application, reason=reason.strip())
    return conflict


@transaction.atomic
def cast_vote(*, application: GrantApplication, member: User, in_favour: bool) -> GrantVote:
    application = _lock(application)
    _check_member(application, member)
    if member.pk in _conflicted(application):
        raise ValidationError(
            _("You have a conflict of interest in this application, so you cannot vote on it."), code="conflict"
        )
    if application.votes.filter(member=member).exists():
        raise ValidationError(_("You already voted on this application."), code="voted_twice")
    vote = GrantVote.objects.create(application=application, member=member, in_favour=in_favour)
    counts = tally(application)
    application.votes_for, application.votes_against = counts.votes_for, counts.votes_against
    application.save(update_fields=["votes_for", "votes_against"])
    services._audit(application.fund, Action.GRANT_VOTED, member, application=application)
    return vote


@transaction.atomic
def extend_deadline(*, application: GrantApplication, member: User, reason: str) -> GrantApplication:
    """The decision period can be extended once, by the same number of weeks."""
    application = _lock(application)
    _check_member(application, member)
    if application.deadline_extended:
        raise ValidationError(_("The decision period can be extended only once."), code="extended_twice")
    if not reason.strip():
        raise ValidationError(_("Give the reason for the extension; the applicant reads it."), code="reason")
    application.decide_by = application.decide_by + timedelta(weeks=application.fund.decision_weeks)
    application.deadline_extended = True
    application.save(update_fields=["decide_by", "deadline_extended"])
    services._audit(application.fund, Action.DEADLINE_EXTENDED, member, application=application, reason=reason.strip())
    return application


@transaction.atomic
def decide_application(
    *, application: GrantApplication, member: User, reasons: str, amount_granted: int | None = None
) -> GrantApplication:
    """Record the committee's decision with its public reasons. The outcome follows from the votes: the majority
    of the members without a conflict of interest. The names on the support list are erased; the counts stay."""
    application = _lock(application)
    _check_member(application, member)
    if member.pk in _conflicted(application):
        raise ValidationError(
            _("You have a conflict of interest in this application, so you cannot decide on it."), code="conflict"
        )
    if not reasons.strip():
        raise ValidationError(_("Write down the reasons; they are published with the decision."), code="reasons")
    counts = tally(application)
    outcome = counts.outcome
    if counts.eligible == 0:
        raise ValidationError(
            _("No committee member without a conflict of interest is left to decide."), code="no_members"
        )
    if outcome is None:
        raise ValidationError(
            _("There is no majority yet: %(needed)s of %(eligible)s members must vote for or against.")
            % {"needed": counts.majority, "eligible": counts.eligible},
            code="no_majority",
        )
    if outcome == Status.APPROVED:
        granted = application.amount_requested if amount_granted is None else _cents(amount_granted)
        if granted > application.amount_requested:
            raise ValidationError(_("The committee cannot grant more than was asked for."), code="above_request")
        if granted > application.fund.max_grant:
            raise ValidationError(_("This is more than the fund's maximum per initiative."), code="above_maximum")
        application.amount_granted = granted
    application.status = outcome
    application.decision_reasons = reasons.strip()
    application.decided_at = timezone.now()
    application.votes_for, application.votes_against = counts.votes_for, counts.votes_against
    application.save()
    application.support.update(name="")
    services._audit(
        application.fund,
        Action.GRANT_DECIDED,
        member,
        application=application,
        outcome=outcome,
        amount=application.amount_granted,
        reason=reasons.strip(),
    )
    return application


# Agreement, tranches, report and settlement -----------------------------------------------------------------------


@transaction.atomic
def make_agreement(
    *,
    application: GrantApplication,
    treasurer: User,
    tranches: Sequence[int],
    budget_line: BudgetLine | None = None,
) -> GrantApplication:
    """The grant agreement: the granted amount is committed in the ledger and split in tranches."""
    application = _lock(application)
    fund = application.fund
    if not fund.is_treasurer(treasurer):
        raise ValidationError(_("Only a treasurer of this fund can do this."), code="not_treasurer")
    if application.status != Status.APPROVED:
        raise ValidationError(_("Only a granted application gets a grant agreement."), code="not_granted")
    amounts = [_cents(amount) for amount in tranches]
    if not amounts or sum(amounts) != application.amount_granted:
        raise ValidationError(
            _("The tranches must add up to the amount granted, %(granted)s.")
            % {"granted": format_amount(application.amount_granted or 0)},
            code="tranches",
        )
    booked = services.commit_budget(
        fund=fund,
        project=application.project,
        amount=application.amount_granted or 0,
        description=_("Grant agreement: %(title)s") % {"title": application.title},
        actor=treasurer,
        buurt=application.buurt,
    )
    if budget_line is not None and (budget_line.fund_id != fund.pk or budget_line.kind != BudgetLine.Kind.EXPENSE):
        raise ValidationError(_("Choose a spending line of this fund's budget."), code="budget_line")
    application.commitment = services.commitment_account(fund, project=application.project, buurt=application.buurt)
    application.budget_line = budget_line
    Tranche.objects.bulk_create(
        Tranche(application=application, number=number, amount=amount) for number, amount in enumerate(amounts, start=1)
    )
    application.status, application.agreed_at = Status.AGREED, timezone.now()
    application.save(update_fields=["commitment", "budget_line", "status", "agreed_at"])
    services._audit(fund, Action.GRANT_AGREED, treasurer, application=application, booked=booked, tranches=amounts)
    return application


@transaction.atomic
def request_tranche(*, tranche: Tranche, requester: User) -> PaymentRequest:
    """Ask for the next tranche to be paid: a payment request out of the grant's commitment, which other
    treasurers approve as usual (four eyes)."""
    application = _lock(tranche.application)
    tranche = Tranche.objects.select_for_update().get(pk=tranche.pk)
    if application.status not in (Status.AGREED, Status.REPORTED):
        raise ValidationError(_("Tranches are paid only under a grant agreement."), code="no_agreement")
    if tranche.payment_id and tranche.payment.status != PaymentRequest.Status.REJECTED:  # type: ignore[union-attr]
        raise ValidationError(_("This tranche has already been requested."), code="requested")
    earlier = application.tranches.filter(number__lt=tranche.number)
    if any(not earlier_tranche.is_paid for earlier_tranche in earlier.select_related("payment")):
        raise ValidationError(_("Pay the earlier tranches first."), code="order")
    payee = {"organisation": application.organisation} if application.organisation_id else {}
    payment = services.request_payment(
        fund=application.fund,
        requester=requester,
        amount=tranche.amount,
        description=_("Grant %(title)s, tranche %(number)s") % {"title": application.title, "number": tranche.number},
        project=application.project,
        payee_name="" if payee else application.applicant.name,
        buurt=application.buurt,
        commitment=application.commitment,
        budget_line=application.budget_line,
        **payee,
    )
    tranche.payment = payment
    tranche.save(update_fields=["payment"])
    services._audit(application.fund, Action.TRANCHE_REQUESTED, requester, application=application, payment=payment)
    return payment


RECEIPT_SIGNATURES = {b"%PDF-": "application/pdf", b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}


def check_receipt(upload: UploadedFile) -> str:  # type: ignore[type-arg]
    """The file's content decides, not its name: a PDF, JPEG or PNG of at most the upload limit. Returns the
    content type."""
    if (upload.size or 0) > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(_("%(name)s is larger than 5 MB.") % {"name": upload.name}, code="too_large")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in RECEIPT_SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    raise ValidationError(
        _("%(name)s is not a PDF, JPEG or PNG file. Scan or photograph the receipt and try again.")
        % {"name": upload.name},
        code="receipt_type",
    )


@dataclass
class Spending:
    kind: str
    spent_on: date
    description: str
    amount: int
    supplier: str = ""
    postcode: str = ""
    lives_locally: bool = False


# The gemeente Utrecht's four-digit postcodes: Vleuten, De Meern and Haarzuilens (3451–3455) and the city (3500–3585).
def in_gemeente_utrecht(pc6: str) -> bool:
    pc4 = int(pc6[:4])
    return 3451 <= pc4 <= 3455 or 3500 <= pc4 <= 3585


def locate_postcode(text: str) -> tuple[str, Buurt | None, bool]:
    """(PC6, buurt or None, in the gemeente) for a supplier's postcode; a clear error for a postcode that is not
    Dutch, or that lies in Utrecht but is not in the postcode table."""
    pc6 = normalise_postcode(text)
    if pc6 is None:
        raise ValidationError(_("%(postcode)s is not a Dutch postcode.") % {"postcode": text}, code="postcode")
    if not in_gemeente_utrecht(pc6):
        return pc6, None, False
    buurt = Postcode.objects.buurt_for(pc6)
    if buurt is None and Postcode.objects.filter(pc6__startswith=pc6[:4]).exists():
        raise ValidationError(
            _("We do not know postcode %(postcode)s in Utrecht. Check it.") % {"postcode": text},
            code="unknown_postcode",
        )
    return pc6, buurt, True


@transaction.atomic
def submit_report(
    *,
    application: GrantApplication,
    actor: User,
    report: str,
    spending: Sequence[Spending],
    receipts: Sequence[UploadedFile],  # type: ignore[type-arg]
) -> GrantApplication:
    """The accountability report: what was done, what the money was spent on (with suppliers' postcodes or whether
    paid people live locally), and the receipts."""
    application = _lock(application)
    if not application.is_applicant(actor):
        raise ValidationError(_("Only the applicant can report on the grant."), code="not_applicant")
    if application.status != Status.AGREED:
        raise ValidationError(_("A report is due after the grant agreement, once."), code="status")
    if not application.tranches.filter(payment__status=PaymentRequest.Status.BOOKED).exists():
        raise ValidationError(_("Nothing has been paid out yet."), code="nothing_paid")
    if not report.strip():
        raise ValidationError(_("Tell what was done with the money."), code="report")
    if not spending:
        raise ValidationError(_("List what the money was spent on."), code="no_spending")
    if not receipts:
        raise ValidationError(_("Add the receipts."), code="no_receipts")
    types = [check_receipt(upload) for upload in receipts]
    lines = []
    for item in spending:
        _cents(item.amount)
        line = SpendingLine(
            application=application,
            kind=item.kind,
            description=item.description,
            amount=item.amount,
            spent_on=item.spent_on,
            supplier=item.supplier,
            lives_locally=item.lives_locally,
        )
        if item.kind == SpendingLine.Kind.SUPPLIER:
            line.postcode, line.buurt, line.in_gemeente = locate_postcode(item.postcode)
        if line.is_local:
            line.survey_token = secrets.token_urlsafe(32)  # only local spending is re-spent locally (R3)
        lines.append(line)
    SpendingLine.objects.bulk_create(lines)
    for upload, content_type in zip(receipts, types, strict=True):
        Receipt.objects.create(
            application=application,
            file=upload,
            original_name=(upload.name or "bonnetje")[:200],
            content_type=content_type,
            uploaded_by=actor,
        )
    application.report, application.reported_at, application.status = report.strip(), timezone.now(), Status.REPORTED
    application.save(update_fields=["report", "reported_at", "status"])
    services._audit(
        application.fund,
        Action.REPORT_SUBMITTED,
        actor,
        application=application,
        spent=sum(item.amount for item in spending),
        receipts=len(receipts),
    )
    return application


def paid_out(application: GrantApplication) -> int:
    total = application.tranches.filter(payment__status=PaymentRequest.Status.BOOKED).aggregate(total=Sum("amount"))[
        "total"
    ]
    return int(total or 0)


def spent(application: GrantApplication) -> int:
    return int(application.spending.aggregate(total=Sum("amount"))["total"] or 0)


@transaction.atomic
def settle_grant(*, application: GrantApplication, treasurer: User) -> list[Transaction]:
    """Close the grant after the report: the commitment not paid out goes back to the free balance, and money paid
    out but not spent comes back to the fund (the applicant pays it back to the fund's bank account)."""
    application = _lock(application)
    fund = services._lock_fund(application.fund)
    if not fund.is_treasurer(treasurer):
        raise ValidationError(_("Only a treasurer of this fund can do this."), code="not_treasurer")
    if application.status != Status.REPORTED:
        raise ValidationError(_("A grant is settled after its accountability report."), code="status")
    if application.tranches.filter(payment__status=PaymentRequest.Status.REQUESTED).exists():
        raise ValidationError(_("A tranche is still waiting for approval: decide on it first."), code="open_tranche")
    booked: list[Transaction] = []
    commitment = Account.objects.get(pk=application.commitment_id or 0)
    bank = services.bank_account(fund)
    released = commitment.balance
    if released > 0:
        booked.append(
            services._book(
                fund=fund,
                kind=Transaction.Kind.OTHER,
                description=_("Not paid out, back to the fund: %(title)s") % {"title": application.title},
                legs=[(bank, commitment.balance), (commitment, -commitment.balance)],
                actor=treasurer,
            )
        )
    unspent = paid_out(application) - spent(application)
    if unspent > 0:
        payout = services.payout_account(
            fund, project=application.project, organisation=application.organisation, buurt=application.buurt
        )
        booked.append(
            services._book(
                fund=fund,
                kind=Transaction.Kind.OTHER,
                description=_("Unspent money paid back: %(title)s") % {"title": application.title},
                legs=[(bank, unspent), (payout, -unspent)],
                actor=treasurer,
                budget_line=application.budget_line,
            )
        )
    application.status, application.settled_at = Status.SETTLED, timezone.now()
    application.save(update_fields=["status", "settled_at"])
    services._audit(
        fund,
        Action.GRANT_SETTLED,
        treasurer,
        application=application,
        booked=booked[-1] if booked else None,
        released=max(released, 0),
        returned=max(unspent, 0),
    )
    return booked
