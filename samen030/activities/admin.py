from typing import Any

from django.contrib import admin

from . import services
from .models import Activity, TargetGroup, Theme


@admin.register(Theme, TargetGroup)
class ManagedTermAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "name_en", "slug", "position")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and {"name", "name_en"} & set(form.changed_data):
            # The names are searchable tags of the activities: derive those again.
            services.reindex_activities_of(**{"theme" if isinstance(obj, Theme) else "target_group": obj})


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "kind", "location_buurt", "starts_at", "is_paused", "hidden_at", "confirmed_at")
    list_filter = ("kind", "is_paused", "citywide", "themes")
    search_fields = ("title", "slug", "organisations__name")
    filter_horizontal = ("organisations", "themes", "target_groups", "buurten")
    # The schedule is only changed through the form, which validates it; hiding goes through the board pages.
    readonly_fields = (
        *("starts_at", "ends_at", "rrule", "exdates", "location_buurt"),
        *("hidden_at", "hidden_reason", "hidden_by", "created_at", "updated_at"),
    )
