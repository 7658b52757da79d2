"""Organisations (BBBO's, city networks and partners), their editors and invitations to edit."""

from __future__ import annotations

import secrets
import unicodedata
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen030.core.slugs import free_slug, unique_slug
from samen030.places.models import Buurt, Wijk

from . import validators


def fold(text: str) -> str:
    """Lower case without accents, so that 'taalcafe' and 'TAALCAFÉ' both find 'Taalcafé' on every database."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def published(self) -> OrganisationQuerySet:
        return self.filter(is_published=True)

    def search(self, text: str) -> OrganisationQuerySet:
        return self.filter(search_name__contains=fold(text.strip()))

    # Uncorrelated `pk IN (...)` subqueries: the database finds the few organisations of one wijk or buurt
    # through the link tables' indexes once, instead of probing both link tables for every organisation.
    def active_in_wijk(self, wijk: Wijk) -> OrganisationQuerySet:
        """Works in one of the wijk's buurten, in the whole wijk, or has its address there."""
        through_buurt = Organisation.buurten.through.objects.filter(buurt__wijk=wijk).values("organisation_id")
        through_wijk = Organisation.wijken.through.objects.filter(wijk=wijk).values("organisation_id")
        return self.filter(Q(pk__in=through_buurt) | Q(pk__in=through_wijk) | Q(visiting_buurt__wijk=wijk))

    def active_in_buurt(self, buurt: Buurt) -> OrganisationQuerySet:
        """Works in the buurt, in its whole wijk, or has its address there."""
        through_buurt = Organisation.buurten.through.objects.filter(buurt=buurt).values("organisation_id")
        through_wijk = Organisation.wijken.through.objects.filter(wijk_id=buurt.wijk_id).values("organisation_id")
        return self.filter(Q(pk__in=through_buurt) | Q(pk__in=through_wijk) | Q(visiting_buurt=buurt))

    def edited_by(self, user: Any) -> OrganisationQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(editors__user=user)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        RESIDENTS = "bewoners", _("residents' organisation or initiative")
        ENTREPRENEUR = "ondernemer", _("neighbourhood entrepreneur")
        NEIGHBOURHOOD = "buurtorganisatie", _("neighbourhood organisation")
        CITY_NETWORK = "netwerk", _("city-wide thematic network")
        PARTNER = "partner", _("welfare or care organisation (partner)")

    class LegalForm(models.TextChoices):
        INFORMAL = "informeel", _("no legal entity (informal group)")
        VERENIGING = "vereniging", _("association (vereniging)")
        STICHTING = "stichting", _("foundation (stichting)")
        COOPERATIE = "cooperatie", _("cooperative (coöperatie)")
        BV = "bv", _("private company (bv)")
        EENMANSZAAK = "eenmanszaak", _("sole trader (eenmanszaak)")
        VOF = "vof", _("partnership (vof)")
        OTHER = "anders", _("other")

    slug = models.SlugField(_("web address"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=150)
    search_name = models.CharField(max_length=150, editable=False, db_index=True, default="")
    kind = models.CharField(_("kind of organisation"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("what you do"), max_length=4000)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email address for contact"), blank=True)
    phone = models.CharField(_("telephone number"), max_length=20, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    kvk_number = models.CharField(
        _("KvK number"), max_length=8, blank=True, validators=[validators.validate_kvk_number]
    )
    rsin = models.CharField(_("RSIN"), max_length=9, blank=True, validators=[validators.validate_rsin])
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[validators.validate_iban])
    street = models.CharField(_("street"), max_length=120, blank=True)
    house_number = models.CharField(_("house number"), max_length=12, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True, validators=[validators.validate_postcode])
    place = models.CharField(_("town"), max_length=80, blank=True, default="Utrecht")
    visiting_buurt = models.ForeignKey(
        Buurt,
        verbose_name=_("buurt of the address"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    logo = models.ImageField(_("logo"), upload_to="logos/%Y/", blank=True)
    citywide = models.BooleanField(_("active in the whole city"), default=False)
    buurten = models.ManyToManyField(Buurt, verbose_name=_("buurten"), blank=True, related_name="organisations")
    wijken = models.ManyToManyField(Wijk, verbose_name=_("whole wijken"), blank=True, related_name="organisations")
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Published organisations have a public page.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = fold(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("organisation-detail", args=[self.slug])

    @property
    def formatted_postcode(self) -> str:
        return f"{self.postcode[:4]} {self.postcode[4:]}" if self.postcode else ""

    def is_edited_by(self, user: Any) -> bool:
        return bool(user.is_authenticated) and self.editors.filter(user=user).exists()

    @classmethod
    def slug_for(cls, name: str, *, taken: set[str]) -> str:
        """A slug made from the name that is not in `taken`: 'buurthuis-lombok', then 'buurthuis-lombok-2', …"""
        return free_slug(name, taken=taken, fallback="organisatie", max_length=100)

    @classmethod
    def unique_slug(cls, name: str) -> str:
        return unique_slug(cls.objects.all(), name, fallback="organisatie", max_length=100)

    def editor_users(self) -> list[Any]:
        """The people who edit this organisation, for notifications."""
        return [editor.user for editor in self.editors.select_related("user")]


class Editor(models.Model):
    """A person who may edit an organisation's profile and act for it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="editors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="editorships")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("editor")
        verbose_name_plural = _("editors")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="one_editorship_per_person")]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An invitation by email to become an editor of an organisation, valid for 14 days."""

    VALID_FOR = timedelta(days=14)

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and timezone.now() < self.created_at + self.VALID_FOR

    def get_absolute_url(self) -> str:
        return reverse("invitation-accept", args=[self.token])
