from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class Samen030AdminSite(admin.AdminSite):
    """The management pages, for platform admins and for board members (who see what django-rules grants)."""

    site_header = _("SAMEN030 management")
    site_title = _("SAMEN030 management")
    index_title = _("Management")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and (user.is_staff or getattr(user, "is_board", False)))
