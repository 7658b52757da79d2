from __future__ import annotations

from typing import Any

import rules

from samen030.accounts.rules import is_board, is_board_or_admin, is_verified


@rules.predicate
def is_applicant(user: Any, application: Any) -> bool:
    if application is None or not user.is_authenticated:
        return False
    return bool(application.submitted_by_id == user.pk or application.organisation.is_edited_by(user))


@rules.predicate
def is_open(user: Any, application: Any) -> bool:
    return bool(application is not None and application.is_open)


@rules.predicate
def awaits_information(user: Any, application: Any) -> bool:
    return bool(application is not None and application.status == "aanvullen")


rules.add_perm("memberships.add_application", is_verified)
rules.add_perm("memberships.view_application", is_applicant | is_board_or_admin)
rules.add_perm("memberships.supply_information", is_applicant & awaits_information)
rules.add_perm("memberships.withdraw_application", is_applicant & is_open)
rules.add_perm("memberships.decide_application", is_board & is_open)
rules.add_perm("memberships.view_register", is_board_or_admin)
rules.add_perm("memberships.end_membership", is_board)
# Django admin: the board reads everything here; decisions go through the board pages so that emails and
# history are never skipped.
rules.add_perm("memberships.view_membership", is_board_or_admin)
rules.add_perm("memberships.view_applicationevent", is_board_or_admin)
