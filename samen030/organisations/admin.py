from django.contrib import admin

from .models import Editor, Invitation, Organisation


class EditorInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Editor
    extra = 0
    raw_id_fields = ("user", "invited_by")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
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


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("email", "organisation", "invited_by", "created_at", "accepted_at")
    search_fields = ("email", "organisation__name")
    readonly_fields = ("token",)
