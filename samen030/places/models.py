"""Utrecht's statistical geography (CBS): the gemeente, its wijken and buurten, and the postcode table."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import geometry as geo


class Gemeente(models.Model):
    code = models.CharField(_("CBS code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    indeling_year = models.PositiveSmallIntegerField(_("year of the CBS division"))

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class Wijk(models.Model):
    code = models.CharField(_("CBS code"), max_length=8, primary_key=True)
    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="wijken")
    name = models.CharField(_("name"), max_length=100)
    indeling_year = models.PositiveSmallIntegerField(_("year of the CBS division"))
    population = models.PositiveIntegerField(_("inhabitants"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("inhabitants counted in"), null=True, blank=True)
    geometry = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)

    class Meta:
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        ordering = ("code",)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("wijk-detail", args=[self.code])


class BuurtQuerySet(models.QuerySet["Buurt"]):
    def with_boundaries(self) -> BuurtQuerySet:
        return self.filter(geometry__isnull=False)

    def containing(self, *, lat: float, lon: float) -> Buurt | None:
        """The buurt whose boundary contains the point, or None: a bounding-box filter in the database,
        then an exact point-in-polygon test on the few candidates."""
        candidates = self.with_boundaries().filter(
            min_lon__lte=lon, max_lon__gte=lon, min_lat__lte=lat, max_lat__gte=lat
        )
        for buurt in candidates:
            if buurt.geometry is not None and geo.contains(buurt.geometry, lon, lat):
                return buurt
        return None


class Buurt(models.Model):
    code = models.CharField(_("CBS code"), max_length=10, primary_key=True)
    wijk = models.ForeignKey(Wijk, on_delete=models.PROTECT, related_name="buurten")
    name = models.CharField(_("name"), max_length=100)
    indeling_year = models.PositiveSmallIntegerField(_("year of the CBS division"))
    geometry = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    min_lon = models.FloatField(null=True, blank=True, editable=False)
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lon = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)
    # A point well inside the boundary, where the map places the buurt's activities, and how far it is from the
    # boundary (degrees of latitude): activities are spread around it within that distance.
    point_lon = models.FloatField(null=True, blank=True, editable=False)
    point_lat = models.FloatField(null=True, blank=True, editable=False)
    point_radius = models.FloatField(null=True, blank=True, editable=False)

    objects = BuurtQuerySet.as_manager()

    class Meta:
        verbose_name = _("buurt")
        verbose_name_plural = _("buurten")
        ordering = ("code",)
        indexes = [models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="buurt_bbox")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("buurt-detail", args=[self.code])

    def set_geometry(self, geometry: dict[str, Any] | None) -> None:
        """Store a validated boundary together with its bounding box (raises GeometryError)."""
        if geometry is None:
            self.geometry = None
            self.min_lon = self.min_lat = self.max_lon = self.max_lat = None
            self.point_lon = self.point_lat = self.point_radius = None
            return
        self.min_lon, self.min_lat, self.max_lon, self.max_lat = geo.bbox(geometry)
        self.point_lon, self.point_lat, self.point_radius = geo.representative_point(geometry)
        self.geometry = geometry


class PostcodeQuerySet(models.QuerySet["Postcode"]):
    def buurt_for(self, postcode: str) -> Buurt | None:
        from .postcodes import normalise_postcode

        pc6 = normalise_postcode(postcode)
        if pc6 is None:
            return None
        row = self.select_related("buurt").filter(pc6=pc6).first()
        return row.buurt if row else None


class Postcode(models.Model):
    """One PC6 postcode and the buurt it lies in, from an imported table (CBS publishes one each year)."""

    pc6 = models.CharField(_("postcode"), max_length=6, primary_key=True)
    buurt = models.ForeignKey(Buurt, on_delete=models.CASCADE, related_name="postcodes")

    objects = PostcodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ("pc6",)

    def __str__(self) -> str:
        return f"{self.pc6[:4]} {self.pc6[4:]}"
