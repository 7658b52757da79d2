"""What people may do in a burgerbegroting: who they are (accounts.rules) combined with the current phase, which
follows the dates at the moment of the request (Burgerbegroting.phase).

The object is a Burgerbegroting or one of its plans. docs/permissions.md has the role × phase table and
tests/test_permission_matrix.py plus budgeting/tests/test_rules.py walk it."""

from __future__ import annotations

from typing import Any

import rules

from samen030.accounts.rules import is_board_or_admin, is_verified

from .models import NOT_STARTED, Phase, Plan


def _bb(obj: Any) -> Any:
    return getattr(obj, "burgerbegroting", obj)


def _phase_in(*phases: str) -> Any:
    names = "_or_".join(phase or "not_started" for phase in phases)

    @rules.predicate(name=f"phase_is_{names}")
    def predicate(user: Any, obj: Any) -> bool:
        return obj is not None and _bb(obj).phase in phases

    return predicate


phase_allows_submitting = _phase_in(Phase.SUBMISSION)
phase_allows_supporting = _phase_in(Phase.SUBMISSION, Phase.SUPPORT)
phase_allows_editing = _phase_in(Phase.SUBMISSION, Phase.SUPPORT)
phase_allows_comments = _phase_in(Phase.SUBMISSION, Phase.SUPPORT, Phase.CHECK, Phase.VOTING)
phase_allows_checking = _phase_in(Phase.CHECK)
phase_allows_merging = _phase_in(Phase.SUBMISSION, Phase.SUPPORT, Phase.CHECK)
phase_allows_voting = _phase_in(Phase.VOTING)
# Before the first date (NOT_STARTED) the board prepares: rules and vote codes; residents can only look.
phase_before_voting = _phase_in(NOT_STARTED, Phase.SUBMISSION, Phase.SUPPORT, Phase.CHECK)
phase_allows_codes = _phase_in(NOT_STARTED, Phase.SUBMISSION, Phase.SUPPORT, Phase.CHECK, Phase.VOTING)
phase_has_result = _phase_in(Phase.RESULT, Phase.REALISATION)
phase_allows_realisation = _phase_in(Phase.REALISATION)


@rules.predicate
def is_submitter(user: Any, obj: Any) -> bool:
    return bool(isinstance(obj, Plan) and user.is_authenticated and obj.submitted_by_id == user.pk)


@rules.predicate
def is_open_plan(user: Any, obj: Any) -> bool:
    """A plan still waiting for the check (not merged, withdrawn or decided)."""
    return bool(isinstance(obj, Plan) and obj.status == Plan.Status.SUBMITTED)


@rules.predicate
def is_funded_plan(user: Any, obj: Any) -> bool:
    if not isinstance(obj, Plan):
        return False
    result = getattr(obj.burgerbegroting, "result", None)
    return result is not None and str(obj.pk) in result.selected


@rules.predicate
def has_next_phase(user: Any, obj: Any) -> bool:
    return obj is not None and _bb(obj).next_phase is not None


rules.add_perm("budgeting.view_burgerbegroting", rules.always_allow)
rules.add_perm("budgeting.add_plan", is_verified & phase_allows_submitting)
rules.add_perm(
    "budgeting.change_plan",
    is_open_plan & phase_allows_editing & (is_submitter | is_board_or_admin),
)
rules.add_perm("budgeting.support_plan", is_verified & is_open_plan & phase_allows_supporting)
rules.add_perm("budgeting.comment_plan", is_verified & phase_allows_comments)
rules.add_perm("budgeting.check_plan", is_board_or_admin & phase_allows_checking)
rules.add_perm("budgeting.merge_plan", is_board_or_admin & is_open_plan & phase_allows_merging)
rules.add_perm("budgeting.manage_burgerbegroting", is_board_or_admin)
rules.add_perm("budgeting.advance_phase", is_board_or_admin & has_next_phase)
rules.add_perm("budgeting.change_rules", is_board_or_admin & phase_before_voting)
rules.add_perm("budgeting.generate_codes", is_board_or_admin & phase_allows_codes)
rules.add_perm("budgeting.vote_online", is_verified & phase_allows_voting)
rules.add_perm("budgeting.vote_with_code", phase_allows_voting)
rules.add_perm("budgeting.enter_paper_ballot", is_board_or_admin & phase_allows_voting)
rules.add_perm("budgeting.close_vote", is_board_or_admin & phase_allows_voting)
rules.add_perm("budgeting.view_outcome", phase_has_result)
rules.add_perm("budgeting.update_realisation", is_board_or_admin & phase_allows_realisation & is_funded_plan)
# Django admin: the board manages burgerbegrotingen there too; ballots and codes are read-only.
rules.add_perm("budgeting.view_plan", is_board_or_admin)
for model in ("comment", "planupdate"):
    for verb in ("view", "change"):
        rules.add_perm(f"budgeting.{verb}_{model}", is_board_or_admin)
rules.add_perm("budgeting.add_burgerbegroting", is_board_or_admin)
rules.add_perm("budgeting.change_burgerbegroting", is_board_or_admin)
for model in ("ballot", "codebatch", "result", "auditevent", "paperentry", "support"):
    rules.add_perm(f"budgeting.view_{model}", is_board_or_admin)
