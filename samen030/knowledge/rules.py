"""Who may do what in the knowledge network; see docs/permissions.md for the table."""

from __future__ import annotations

from typing import Any

import rules

from samen030.accounts.rules import is_board, is_board_or_admin, is_verified


def edits_member_organisation(user: Any) -> bool:
    """An editor of an organisation with a current membership (remembered on the user for the request)."""
    if not (user.is_authenticated and user.is_active):
        return False
    cached = getattr(user, "_edits_member_organisation", None)
    if cached is None:
        from samen030.memberships.queries import member_organisations

        cached = user._edits_member_organisation = member_organisations().filter(editors__user=user).exists()
    return bool(cached)


def can_read_members_only(user: Any) -> bool:
    """Editors of member organisations and the board read the items shared "alleen voor leden"."""
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(user.is_board or user.is_superuser or edits_member_organisation(user))


@rules.predicate
def is_member_editor(user: Any) -> bool:
    return edits_member_organisation(user)


@rules.predicate
def is_author(user: Any, item: Any) -> bool:
    return bool(item is not None and user.is_authenticated and item.author_id == user.pk)


@rules.predicate
def is_readable(user: Any, item: Any) -> bool:
    """Public and not hidden, or members-only and the person reads members-only items."""
    if item is None or item.is_hidden:
        return False
    return item.audience == "openbaar" or can_read_members_only(user)


can_view = is_readable | is_author | is_board_or_admin

rules.add_perm("knowledge.view_item", can_view)
rules.add_perm("knowledge.add_item", is_member_editor | is_board)
rules.add_perm("knowledge.change_item", is_author)
rules.add_perm("knowledge.hide_item", is_board)
rules.add_perm("knowledge.take_part", is_verified & can_view)  # ask, answer, "we used this", follow
rules.add_perm("knowledge.follow_theme", is_verified)
