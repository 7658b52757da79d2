"""The social map: activities and services that organisations offer in the buurten, with their schedule."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samen030.core.slugs import unique_slug
from samen030.organisations.models import Organisation
from samen030.places.models import Buurt, Wijk

from . import schedule
from .text import render_markdown

# The page says "not recently confirmed" when an editor has not confirmed a listing for this long, and the editors
# get a reminder with a one-click confirm link (`samen030 remind_unconfirmed`, daily).
CONFIRMATION_VALID_FOR = dt.timedelta(days=365)
# After 18 months without confirmation a listing drops out of search and the map until an editor confirms it; the
# editors get a second reminder then.
CONFIRMATION_SEARCH_LIMIT = dt.timedelta(days=548)

# Languages spoken at an activity: ISO 639-1 codes, with their names in Dutch as people in Utrecht say them.
LANGUAGES = [
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("tr", _("Turkish")),
    ("pl", _("Polish")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("de", _("German")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
    ("so", _("Somali")),
    ("ti", _("Tigrinya")),
    ("fa", _("Persian")),
    ("zh", _("Chinese")),
]
LANGUAGE_NAMES = dict(LANGUAGES)


class ManagedTerm(models.Model):
    """A term from a list the board manages (themes, target groups), with its Dutch and English name."""

    slug = models.SlugField(_("web address"), max_length=60, unique=True)
    name = models.CharField(_("name (Dutch)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ("position", "name")

    def __str__(self) -> str:
        return self.name_en if (get_language() or "nl").startswith("en") else self.name


class Theme(ManagedTerm):
    class Meta(ManagedTerm.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def get_absolute_url(self) -> str:
        return reverse("theme-activities", args=[self.slug])


class TargetGroup(ManagedTerm):
    class Meta(ManagedTerm.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class ActivityQuerySet(models.QuerySet["Activity"]):
    def public(self) -> ActivityQuerySet:
        """Not paused, not hidden by the board, and offered by at least one published organisation."""
        published = Activity.organisations.through.objects.filter(
            activity=OuterRef("pk"), organisation__is_published=True
        )
        return self.filter(Exists(published), is_paused=False, hidden_at__isnull=True)

    def serving_buurt(self, buurt: Buurt) -> ActivityQuerySet:
        served = Activity.buurten.through.objects.filter(activity=OuterRef("pk"), buurt=buurt)
        return self.filter(Exists(served) | Q(citywide=True) | Q(location_buurt=buurt))

    def serving_wijk(self, wijk: Wijk) -> ActivityQuerySet:
        served = Activity.buurten.through.objects.filter(activity=OuterRef("pk"), buurt__wijk=wijk)
        return self.filter(Exists(served) | Q(citywide=True) | Q(location_buurt__wijk=wijk))

    def of_organisation(self, organisation: Organisation) -> ActivityQuerySet:
        offered = Activity.organisations.through.objects.filter(activity=OuterRef("pk"), organisation=organisation)
        return self.filter(Exists(offered))

    def with_theme(self, theme: Theme) -> ActivityQuerySet:
        tagged = Activity.themes.through.objects.filter(activity=OuterRef("pk"), theme=theme)
        return self.filter(Exists(tagged))

    def current(self, *, now: dt.datetime | None = None) -> ActivityQuerySet:
        """Recurring activities, and one-off activities that have not ended more than a day ago."""
        since = (now or timezone.now()) - dt.timedelta(days=1)
        return self.exclude(Q(rrule="") & Q(starts_at__lt=since) & (Q(ends_at__isnull=True) | Q(ends_at__lt=since)))

    def searchable(self, *, now: dt.datetime | None = None) -> ActivityQuerySet:
        """Public, confirmed in the last 18 months, and not over (see `search.search_activities`)."""
        now = now or timezone.now()
        return self.public().filter(
            Q(last_date__isnull=True) | Q(last_date__gte=timezone.localdate(now)),
            confirmed_at__gte=now - CONFIRMATION_SEARCH_LIMIT,
        )

    def due_for_reminder(self, *, now: dt.datetime | None = None) -> ActivityQuerySet:
        """Public, current listings past a confirmation stage (12 months, then 18 months) whose editors have not been
        reminded since they passed it: one email per stage, however often the daily command runs."""
        now = now or timezone.now()
        stages = Q()
        for age in (CONFIRMATION_VALID_FOR, CONFIRMATION_SEARCH_LIMIT):
            stages |= Q(confirmed_at__lte=now - age) & (
                Q(reminded_at__isnull=True) | Q(reminded_at__lt=F("confirmed_at") + age)
            )
        return self.public().current(now=now).filter(stages)

    def for_listing(self) -> ActivityQuerySet:
        return self.select_related("location_buurt").prefetch_related("organisations")


class Activity(models.Model):
    class Kind(models.TextChoices):
        ACTIVITY = "activiteit", _("activity")
        SERVICE = "dienst", _("service")

    class Location(models.TextChoices):
        ADDRESS = "adres", _("at an address")
        ONLINE = "online", _("online")
        AT_HOME = "thuis", _("at your home")

    class Cost(models.TextChoices):
        FREE = "gratis", _("free")
        CONTRIBUTION = "bijdrage", _("voluntary contribution")
        PRICE = "prijs", _("price")

    class Joining(models.TextChoices):
        WALK_IN = "binnenlopen", _("just walk in")
        SIGN_UP = "aanmelden", _("sign up first")
        REFERRAL = "verwijzing", _("by referral")

    slug = models.SlugField(_("web address"), max_length=140, unique=True)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=6000)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.ACTIVITY)
    organisations = models.ManyToManyField(Organisation, verbose_name=_("organisations"), related_name="activities")
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="activities")
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="activities"
    )
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)

    location = models.CharField(_("where"), max_length=8, choices=Location.choices, default=Location.ADDRESS)
    venue = models.CharField(_("name of the place"), max_length=120, blank=True)
    street = models.CharField(_("street"), max_length=120, blank=True)
    house_number = models.CharField(_("house number"), max_length=12, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    location_buurt = models.ForeignKey(
        Buurt,
        verbose_name=_("buurt of the address"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    online_url = models.URLField(_("online link"), blank=True)
    citywide = models.BooleanField(_("for the whole city"), default=False)
    buurten = models.ManyToManyField(Buurt, verbose_name=_("buurten it serves"), blank=True, related_name="activities")

    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    rrule = models.CharField(_("repeat rule (RRULE)"), max_length=300, blank=True)
    exdates = models.JSONField(_("dates it does not take place"), default=list, blank=True)

    cost = models.CharField(_("cost"), max_length=10, choices=Cost.choices, default=Cost.FREE)
    price = models.DecimalField(_("price in euros"), max_digits=7, decimal_places=2, null=True, blank=True)
    step_free = models.BooleanField(_("step-free access"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    accompaniment = models.BooleanField(_("you may bring someone to accompany you"), default=False)
    childcare = models.BooleanField(_("childcare"), default=False)
    joining = models.CharField(_("how to join"), max_length=12, choices=Joining.choices, default=Joining.WALK_IN)
    contact_name = models.CharField(_("contact person"), max_length=80, blank=True)
    contact_email = models.EmailField(_("email address for questions"), blank=True)
    contact_phone = models.CharField(_("telephone number for questions"), max_length=20, blank=True)
    signup_url = models.URLField(_("web page for more information or signing up"), blank=True)

    confirmed_at = models.DateTimeField(_("last confirmed"), default=timezone.now)
    reminded_at = models.DateTimeField(_("editors last reminded to confirm"), null=True, blank=True, editable=False)
    is_paused = models.BooleanField(_("paused"), default=False)
    hidden_at = models.DateTimeField(_("hidden by the board"), null=True, blank=True)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Derived by `search.index_activities` whenever the services save an activity: the normalised search text
    # (core/search.py) and a summary of the schedule, so that the search filters run in SQL.
    search_title = models.TextField(default="", blank=True, editable=False)
    search_tags = models.TextField(default="", blank=True, editable=False)
    search_body = models.TextField(default="", blank=True, editable=False)
    weekdays = models.PositiveSmallIntegerField(default=0, editable=False)  # Monday = 1, Tuesday = 2 … Sunday = 64
    dayparts = models.PositiveSmallIntegerField(default=0, editable=False)  # morning 1, afternoon 2, evening 4
    first_date = models.DateField(null=True, blank=True, editable=False)
    last_date = models.DateField(null=True, blank=True, editable=False)  # empty: it keeps repeating
    next_date = models.DateField(null=True, blank=True, editable=False)  # on the day it was last derived

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity or service")
        verbose_name_plural = _("activities and services")
        ordering = ("title",)
        indexes = [
            models.Index(fields=["is_paused", "hidden_at"], name="activity_visibility"),
            models.Index(fields=["next_date", "title"], name="activity_next_date"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activity-detail", args=[self.slug])

    @classmethod
    def unique_slug(cls, title: str) -> str:
        return unique_slug(cls.objects.all(), title, fallback="activiteit", max_length=120)

    # Behaviour of one activity -------------------------------------------------------------------------------

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule)

    @property
    def is_stale(self) -> bool:
        """Not confirmed by an editor for 12 months: the page says so."""
        return self.confirmed_at < timezone.now() - CONFIRMATION_VALID_FOR

    def is_dropped_from_search(self, *, now: dt.datetime | None = None) -> bool:
        return self.confirmed_at < (now or timezone.now()) - CONFIRMATION_SEARCH_LIMIT

    @cached_property
    def description_html(self) -> str:
        return render_markdown(self.description)

    @property
    def formatted_postcode(self) -> str:
        return f"{self.postcode[:4]} {self.postcode[4:]}" if self.postcode else ""

    @property
    def language_names(self) -> list[str]:
        return [str(LANGUAGE_NAMES[code]) for code in self.languages if code in LANGUAGE_NAMES]

    @property
    def exception_dates(self) -> list[dt.date]:
        return [dt.date.fromisoformat(value) for value in self.exdates]

    @property
    def duration(self) -> dt.timedelta | None:
        return self.ends_at - self.starts_at if self.ends_at else None

    def occurrences(self, start: dt.datetime, end: dt.datetime) -> list[schedule.Occurrence]:
        return schedule.occurrences(
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            rrule=self.rrule,
            exdates=self.exception_dates,
            window_start=start,
            window_end=end,
        )

    def next_occurrence(self, *, now: dt.datetime | None = None) -> schedule.Occurrence | None:
        now = now or timezone.now()
        found = self.occurrences(now, now + dt.timedelta(days=366))
        return found[0] if found else None

    def repeat_label(self) -> str:
        """How often, in words: 'every week', or the rule itself when it is not one of the form's choices."""
        if not self.rrule:
            return str(_("once"))
        base, _sep, until = self.rrule.partition(";UNTIL=")
        labels = {
            "weekly": _("every week"),
            "biweekly": _("every two weeks"),
            "monthly": _("every month on the same weekday"),
        }
        for name, rule in schedule.preset_rules(self.starts_at).items():
            if base == rule:
                label = str(labels[name])
                break
        else:
            label = str(_("repeating (%(rule)s)") % {"rule": base})
        if until:
            last = schedule.local(dt.datetime.strptime(until[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC))
            label += " " + str(_("until %(date)s") % {"date": last.strftime("%d-%m-%Y")})
        return label

    def address_line(self) -> str:
        parts = [f"{self.street} {self.house_number}".strip(), f"{self.formatted_postcode} Utrecht".strip()]
        return ", ".join(part for part in [self.venue, *parts] if part)

    def copy_fields(self) -> dict[str, Any]:
        """The editable field values, for duplicating an activity."""
        skip = {"id", "slug", "created_at", "updated_at", "hidden_at", "hidden_reason", "hidden_by", "created_by"}
        skip |= {"search_title", "search_tags", "search_body"}
        return {
            field.attname: getattr(self, field.attname)
            for field in self._meta.concrete_fields
            if field.attname not in skip
        }
