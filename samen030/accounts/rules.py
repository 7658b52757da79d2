"""Predicates for the platform-wide roles; each app's rules.py combines them with its own."""

from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def is_platform_admin(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


@rules.predicate
def is_board(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_board)


@rules.predicate
def is_verified(user: Any) -> bool:
    """A resident: any active account with a verified email address."""
    if not (user.is_authenticated and user.is_active):
        return False
    cached = getattr(user, "_has_verified_email", None)
    if cached is None:
        cached = user._has_verified_email = user.has_verified_email
    return bool(cached)


is_board_or_admin = is_board | is_platform_admin

# The Django admin: board members see and change what the board manages; everything else is for admins.
rules.add_perm("accounts.view_user", is_board_or_admin)
rules.add_perm("accounts.change_user", is_platform_admin)
