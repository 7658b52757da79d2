from __future__ import annotations

from typing import Any

import rules

from samen030.accounts.rules import is_board_or_admin


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


rules.add_perm("funds.view_fund", rules.always_allow)
rules.add_perm("funds.manage_fund", is_treasurer | is_board_or_admin)
rules.add_perm("funds.request_payment", is_treasurer)
rules.add_perm("funds.record_income", is_treasurer)
rules.add_perm("funds.commit_budget", is_treasurer)
rules.add_perm("funds.reverse_transaction", is_treasurer)
rules.add_perm("funds.view_paymentrequest", is_treasurer | is_board_or_admin)
rules.add_perm("funds.approve_payment", is_treasurer & awaits_approval & ~is_requester & ~has_approved)
rules.add_perm("funds.reject_payment", is_treasurer & awaits_approval)
# Django admin: the board reads the ledger and the audit log there; only admins add or change funds.
for model in ("account", "transaction", "entry", "approval", "auditevent"):
    rules.add_perm(f"funds.view_{model}", is_board_or_admin)
