"""The management pages: admins set up funds and their treasurers; the ledger and the audit log are read-only
here, because every booking goes through the services (balanced, locked, logged)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from . import services
from .models import Account, AuditEvent, Entry, Fund, PaymentRequest, Transaction


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "wijk", "buurt", "theme", "allows_negative_balance", "four_eyes_threshold")
    list_filter = ("kind", "allows_negative_balance")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ("buurt",)
    filter_horizontal = ("treasurers",)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:  # type: ignore[type-arg]
        super().save_related(request, form, formsets, change)
        services.record_fund_change(
            fund=form.instance,
            actor=request.user,  # type: ignore[arg-type]
            created=not change,
            changed=list(form.changed_data),
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EntryInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Entry
    extra = 0
    can_delete = False
    readonly_fields = ("account", "amount")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdmin):
    list_display = ("pk", "fund", "booked_on", "kind", "description", "reverses")
    list_filter = ("kind", "fund")
    search_fields = ("description",)
    date_hierarchy = "booked_on"
    inlines = [EntryInline]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("fund", "kind", "name", "balance")
    list_filter = ("kind", "fund")


@admin.register(PaymentRequest)
class PaymentRequestAdmin(ReadOnlyAdmin):
    list_display = ("pk", "fund", "amount", "description", "status", "requested_by", "requested_at")
    list_filter = ("status", "fund")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "fund", "action", "actor", "payment", "transaction")
    list_filter = ("action", "fund")
