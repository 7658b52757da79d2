"""Membership of the cooperative: applications with the charter's criteria, the board's decisions, and the
register of members (BW 2:33) with start and end dates and the full history."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen030.organisations.models import Organisation


class MembershipType(models.TextChoices):
    STEMLID = "stemlid", _("voting member (stemlid)")
    STEUNLID = "steunlid", _("supporting member (steunlid)")


# The charter's admission criteria, each answered with a short explanation.
CRITERIA: list[tuple[str, Any]] = [
    ("criterion_located", _("Located in Utrecht")),
    ("criterion_residents", _("Works with residents or volunteers in the neighbourhood")),
    (
        "criterion_governance",
        _(
            "Organised by, for and of the neighbourhood, with a say for the active residents "
            "and/or neighbourhood entrepreneurs"
        ),
    ),
    ("criterion_transparency", _("Transparent and open to diversity")),
    ("criterion_commercial", _("Any commercial services serve the social purpose")),
]


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "ingediend", _("submitted")
        INFO_REQUESTED = "aanvullen", _("more information asked")
        ADMITTED = "toegelaten", _("admitted")
        REFUSED = "afgewezen", _("refused")
        WITHDRAWN = "ingetrokken", _("withdrawn")

    OPEN_STATUSES = (Status.SUBMITTED, Status.INFO_REQUESTED)

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="applications")
    requested_type = models.CharField(_("membership applied for"), max_length=10, choices=MembershipType.choices)
    criterion_located = models.TextField(CRITERIA[0][1], max_length=1500)
    criterion_residents = models.TextField(CRITERIA[1][1], max_length=1500)
    criterion_governance = models.TextField(CRITERIA[2][1], max_length=1500)
    criterion_transparency = models.TextField(CRITERIA[3][1], max_length=1500)
    criterion_commercial = models.TextField(CRITERIA[4][1], max_length=1500)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="membership_applications"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ("-submitted_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status__in=["ingediend", "aanvullen"]),
                name="one_open_application_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_requested_type_display()})"

    def get_absolute_url(self) -> str:
        return reverse("application-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def criteria_answers(self) -> list[tuple[Any, str]]:
        return [(label, getattr(self, field)) for field, label in CRITERIA]


class ApplicationEvent(models.Model):
    """One step in an application's history, shown to the applicant and the board."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("application submitted")
        INFO_REQUESTED = "info_requested", _("board asked for more information")
        INFO_SUPPLIED = "info_supplied", _("applicant added information")
        ADMITTED = "admitted", _("admitted as member")
        REFUSED = "refused", _("application refused")
        WITHDRAWN = "withdrawn", _("application withdrawn")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"{self.application}: {self.get_action_display()}"


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self, on: date | None = None) -> MembershipQuerySet:
        day = on or timezone.localdate()
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gt=day))


class Membership(models.Model):
    """A period of membership in the register. A change of type ends one period and starts the next."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    type = models.CharField(_("type"), max_length=10, choices=MembershipType.choices)
    start_date = models.DateField(_("member since"))
    end_date = models.DateField(_("member until"), null=True, blank=True)
    end_reason = models.TextField(_("reason for ending"), blank=True)
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="membership"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ("organisation__name", "-start_date")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(end_date__isnull=True), name="one_open_membership_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_type_display()}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date > today)
