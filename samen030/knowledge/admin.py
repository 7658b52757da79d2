from django.contrib import admin

from .models import Item


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "kind", "audience", "licence", "created_at", "hidden_at")
    list_filter = ("kind", "audience", "licence", "themes")
    search_fields = ("title", "slug")
    # Content changes go through the site's forms (file checks, search text); hiding through the board pages.
    readonly_fields = ("hidden_at", "hidden_reason", "hidden_by", "author", "created_at", "updated_at")
    filter_horizontal = ("themes", "wijken", "buurten", "organisations")
