from __future__ import annotations

from typing import Any

import rules

from samen030.accounts.rules import is_board_or_admin, is_platform_admin, is_verified


def _fund_of(obj: Any) -> Any:
    return getattr(obj, "fund", obj)


@rules.predicate
def is_treasurer(user: Any, obj: Any) -> bool:
    """A treasurer of the fund, or of the fund a payment request belongs to."""
    if obj is None or not user.is_authenticated:
        return False
    return bool(_fund_of(obj).is_treasurer(user))


@rules.predicate
def is_requester(user: Any, payment: Any) -> bool:
    return bool(payment is not None and user.is_authenticated and payment.requested_by_id == user.pk)


@rules.predicate
def awaits_approval(user: Any, payment: Any) -> bool:
    return bool(payment is not None and payment.is_open)


@rules.predicate
def has_approved(user: Any, payment: Any) -> bool:
    return bool(payment is not None and user.is_authenticated and payment.approvals.filter(approver=user).exists())


@rules.predicate
def takes_receipts(user: Any, payment: Any) -> bool:
    """A payment waiting for approval or booked, and not a grant tranche (those receipts come with the report)."""
    from .receipts import takes_receipts as check

    return bool(payment is not None and check(payment))


rules.add_perm("funds.view_fund", rules.always_allow)
rules.add_perm("funds.manage_fund", is_treasurer | is_board_or_admin)
rules.add_perm("funds.request_payment", is_treasurer)
rules.add_perm("funds.record_income", is_treasurer)
rules.add_perm("funds.commit_budget", is_treasurer)
rules.add_perm("funds.release_commitment", is_treasurer)
rules.add_perm("funds.reverse_transaction", is_treasurer)
rules.add_perm("funds.view_paymentrequest", is_treasurer | is_board_or_admin)
rules.add_perm("funds.approve_payment", is_treasurer & awaits_approval & ~is_requester & ~has_approved)
rules.add_perm("funds.reject_payment", is_treasurer & awaits_approval)
rules.add_perm("funds.add_payment_receipt", is_treasurer & takes_receipts)
rules.add_perm("funds.view_payment_receipt", is_treasurer | is_board_or_admin)
# Django admin: the board reads the ledger and the audit log there; only admins add or change funds.
for model in ("account", "transaction", "entry", "approval", "auditevent"):
    rules.add_perm(f"funds.view_{model}", is_board_or_admin)

# Grants decided by residents ---------------------------------------------------------------------------------------


@rules.predicate
def is_committee_member(user: Any, obj: Any) -> bool:
    """An active member of the committee of the fund (or of the fund an application belongs to)."""
    if obj is None or not user.is_authenticated:
        return False
    return bool(_fund_of(obj).is_committee_member(user))


@rules.predicate
def is_applicant(user: Any, application: Any) -> bool:
    """The resident who applied, or an editor of the organisation that applied."""
    return bool(application is not None and application.is_applicant(user))


@rules.predicate
def has_conflict_of_interest(user: Any, application: Any) -> bool:
    """Declared a conflict of interest, or is the applicant: such a member cannot vote or decide."""
    if application is None or not user.is_authenticated:
        return False
    return bool(application.is_applicant(user) or application.conflicts.filter(member=user).exists())


@rules.predicate
def grant_is_open(user: Any, application: Any) -> bool:
    return bool(application is not None and application.is_open)


@rules.predicate
def grant_is_published(user: Any, application: Any) -> bool:
    return bool(application is not None and application.status not in application.UNDECIDED)


def _status_is(*statuses: str) -> Any:
    @rules.predicate
    def status_is(user: Any, application: Any) -> bool:
        return bool(application is not None and application.status in statuses)

    return status_is


grant_is_granted = _status_is("toegekend")
grant_is_agreed = _status_is("overeenkomst")
grant_is_reported = _status_is("verantwoord")
grant_has_agreement = _status_is("overeenkomst", "verantwoord")

rules.add_perm("funds.manage_committee", is_treasurer | is_board_or_admin)
rules.add_perm("funds.add_grantapplication", is_verified)
rules.add_perm(
    "funds.view_grantapplication",
    grant_is_published | is_applicant | is_committee_member | is_treasurer | is_board_or_admin,
)
rules.add_perm("funds.view_supportlist", (is_committee_member & grant_is_open) | is_platform_admin)
rules.add_perm("funds.withdraw_grantapplication", is_applicant & grant_is_open)
rules.add_perm("funds.declare_conflict", is_committee_member & grant_is_open)
rules.add_perm("funds.vote_grantapplication", is_committee_member & grant_is_open & ~has_conflict_of_interest)
rules.add_perm("funds.decide_grantapplication", is_committee_member & grant_is_open & ~has_conflict_of_interest)
rules.add_perm("funds.agree_grantapplication", is_treasurer & grant_is_granted)
rules.add_perm("funds.request_tranche", is_treasurer & grant_has_agreement)
rules.add_perm("funds.report_grantapplication", is_applicant & grant_is_agreed)
rules.add_perm("funds.settle_grantapplication", is_treasurer & grant_is_reported)
rules.add_perm("funds.view_receipt", is_applicant | is_committee_member | is_treasurer | is_board_or_admin)
rules.add_perm("funds.change_budget", is_treasurer)
rules.add_perm("funds.import_statement", is_treasurer)
rules.add_perm("funds.manage_treasurers", is_board_or_admin)
