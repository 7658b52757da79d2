from django.contrib import admin

from .models import Buurt, Gemeente, Postcode, Wijk


@admin.register(Gemeente)
class GemeenteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "indeling_year")


@admin.register(Wijk)
class WijkAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "population", "indeling_year")
    search_fields = ("code", "name")
    exclude = ("geometry",)


@admin.register(Buurt)
class BuurtAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "wijk", "indeling_year")
    list_filter = ("wijk",)
    search_fields = ("code", "name")
    exclude = ("geometry",)


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("pc6", "buurt")
    list_filter = ("buurt__wijk",)
    search_fields = ("pc6",)
    raw_id_fields = ("buurt",)
