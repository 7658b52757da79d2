from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Application, ApplicationEvent, Membership


class ReadOnlyEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ApplicationEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "actor", "note", "created_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: decisions go through the board pages so the emails and the history are never skipped."""

    list_display = ("organisation", "requested_type", "status", "submitted_at", "decided_at", "decided_by")
    list_filter = ("status", "requested_type")
    search_fields = ("organisation__name",)
    date_hierarchy = "submitted_at"
    inlines = [ReadOnlyEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("organisation", "type", "start_date", "end_date")
    list_filter = ("type", ("end_date", admin.EmptyFieldListFilter))
    search_fields = ("organisation__name",)
    date_hierarchy = "start_date"
    raw_id_fields = ("organisation", "application", "ended_by")
