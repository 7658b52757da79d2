from __future__ import annotations

from typing import Any

import rules

from samen030.accounts.rules import is_board_or_admin


@rules.predicate
def is_org_editor(user: Any, organisation: Any) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return bool(organisation.is_edited_by(user))


@rules.predicate
def is_published(user: Any, organisation: Any) -> bool:
    return bool(organisation is not None and organisation.is_published)


rules.add_perm("organisations.view_organisation", is_published | is_org_editor | is_board_or_admin)
rules.add_perm("organisations.change_organisation", is_org_editor | is_board_or_admin)
rules.add_perm("organisations.invite_editor", is_org_editor | is_board_or_admin)
rules.add_perm("organisations.remove_editor", is_board_or_admin)
rules.add_perm("organisations.add_organisation", is_board_or_admin)
rules.add_perm("organisations.delete_organisation", is_board_or_admin)
rules.add_perm("organisations.view_editor", is_board_or_admin)
rules.add_perm("organisations.view_invitation", is_board_or_admin)
