from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import START_FIELDS, AuditEvent, Burgerbegroting, CodeBatch, Phase, Plan


@admin.register(Burgerbegroting)
class BurgerbegrotingAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "area_kind", "budget", "rule", "ballot_type", "current_phase")
    list_filter = ("recorded_phase", "area_kind")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("buurten",)
    readonly_fields = ("recorded_phase",)

    @admin.display(description=_("current phase"))
    def current_phase(self, obj: Burgerbegroting) -> str:
        return obj.get_phase_display()

    def get_readonly_fields(self, request: HttpRequest, obj: Burgerbegroting | None = None) -> Any:
        """The rules are fixed once voting opens. The phase follows the dates; after creation the dates change only
        on the burgerbegroting's management page, which checks them against the current phase and logs the change."""
        fields = ["recorded_phase"]
        if obj is not None:
            fields += list(START_FIELDS.values())
        if obj is not None and obj.phase_at_or_after(Phase.VOTING):
            fields += ["budget", "rule", "ballot_type", "min_choices", "max_choices", "points", "min_age"]
        return fields


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "burgerbegroting", "cost", "checked_cost", "status")
    list_filter = ("status", "burgerbegroting")
    readonly_fields = ("status", "checked_cost", "checked_by", "checked_at", "merged_into", "submitted_by")


@admin.register(CodeBatch)
class CodeBatchAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("burgerbegroting", "size", "note", "created_by", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("created_at", "burgerbegroting", "action", "actor")
    list_filter = ("action",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
