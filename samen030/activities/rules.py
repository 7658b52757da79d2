"""Who may do what with activities; see docs/permissions.md for the table."""

from __future__ import annotations

from typing import Any

import rules

from samen030.accounts.rules import is_board, is_board_or_admin
from samen030.organisations.rules import is_org_editor


@rules.predicate
def is_activity_editor(user: Any, activity: Any) -> bool:
    """An editor of any of the organisations that offer the activity."""
    if activity is None or not user.is_authenticated:
        return False
    return bool(activity.organisations.filter(editors__user=user).exists())


@rules.predicate
def is_public_activity(user: Any, activity: Any) -> bool:
    if activity is None or activity.is_paused or activity.is_hidden:
        return False
    return bool(activity.organisations.filter(is_published=True).exists())


rules.add_perm("activities.view_activity", is_public_activity | is_activity_editor | is_board_or_admin)
rules.add_perm("activities.add_activity", is_org_editor)  # the object is the organisation
rules.add_perm("activities.change_activity", is_activity_editor)
rules.add_perm("activities.delete_activity", is_activity_editor)
rules.add_perm("activities.hide_activity", is_board)
