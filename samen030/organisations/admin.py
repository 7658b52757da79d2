from typing import Any

from django.contrib import admin
from django.db import models

from samen030.activities.services import reindex_activities_of

from .models import Editor, Invitation, Organisation


class EditorInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Editor
    extra = 0
    raw_id_fields = ("user", "invited_by")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    # A web address typed without a scheme means https (Django 6's default; this silences its warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = (
        "name",
        "kind",
        "legal_form",
        "kvk_number",
        "visiting_buurt",
        "citywide",
        "is_published",
        "updated_at",
    )
    list_filter = ("kind", "legal_form", "is_published", "citywide", "wijken")
    search_fields = ("name", "slug", "kvk_number", "email")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("buurten", "wijken")
    readonly_fields = ("visiting_buurt", "created_at", "updated_at")
    inlines = [EditorInline]

    def save_model(self, request: Any, obj: Organisation, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            # The name is a searchable tag of the organisation's activities: derive those again.
            reindex_activities_of(organisation=obj)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("email", "organisation", "invited_by", "created_at", "accepted_at")
    search_fields = ("email", "organisation__name")
    readonly_fields = ("token",)
