"""The knowledge network: a shared library of ideas, project plans, statutes, subsidy and investment opportunities,
evaluations and images, with their files (in versions), questions and answers, "we used this" marks and follows."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen030.activities.models import LANGUAGES, Theme
from samen030.activities.text import render_markdown
from samen030.core import search
from samen030.core.slugs import unique_slug
from samen030.organisations.models import Organisation
from samen030.places.models import Buurt, Wijk

# The full-text index of the library (an FTS5 table on SQLite, a GIN expression index on PostgreSQL).
SEARCH_SPEC = search.SearchSpec(
    table="knowledge_item", columns=("search_title", "search_tags", "search_body"), fts_table="knowledge_item_fts"
)
# Of each file's extracted text, this many characters are searchable (a 100-page report is about 250,000).
SEARCHED_FILE_TEXT = 400_000


class ItemQuerySet(models.QuerySet["Item"]):
    def visible_to(self, user: Any) -> ItemQuerySet:
        """What this person may read: public items for everyone; members-only items for editors of member
        organisations and the board; hidden items only for their author and the board."""
        from .rules import can_read_members_only

        if user.is_authenticated and (user.is_superuser or user.is_board):
            return self
        shown = Q(hidden_at__isnull=True)
        if not can_read_members_only(user):
            shown &= Q(audience=Item.Audience.PUBLIC)
        if user.is_authenticated:
            shown |= Q(author=user)
        return self.filter(shown)

    def with_theme(self, theme: Theme) -> ItemQuerySet:
        tagged = Item.themes.through.objects.filter(item=OuterRef("pk"), theme=theme)
        return self.filter(Exists(tagged))

    def in_wijk(self, wijk: Wijk) -> ItemQuerySet:
        direct = Item.wijken.through.objects.filter(item=OuterRef("pk"), wijk=wijk)
        via_buurt = Item.buurten.through.objects.filter(item=OuterRef("pk"), buurt__wijk=wijk)
        return self.filter(Exists(direct) | Exists(via_buurt))

    def for_listing(self) -> ItemQuerySet:
        """What a card shows, without the long text and the search words."""
        return self.defer("body", "search_title", "search_tags", "search_body").prefetch_related(
            "themes", "organisations"
        )


class Item(models.Model):
    class Kind(models.TextChoices):
        IDEA = "idee", _("idea for a pilot or initiative")
        PROJECT_PLAN = "projectplan", _("project plan for a residents' service")
        STATUTES = "statuten", _("statutes")
        FUNDING = "financiering", _("subsidy or investment opportunity")
        EVALUATION = "evaluatie", _("evaluation or lesson learned")
        IMAGES = "beeld", _("images")

    class Licence(models.TextChoices):
        CC_BY = "cc-by", _("Creative Commons Attribution (CC BY 4.0)")
        CC_BY_SA = "cc-by-sa", _("Creative Commons Attribution-ShareAlike (CC BY-SA 4.0)")
        ALL_RIGHTS = "alle-rechten", _("All rights reserved")

    class Audience(models.TextChoices):
        PUBLIC = "openbaar", _("everyone")
        MEMBERS = "leden", _("members only")

    class FundingStatus(models.TextChoices):
        OPEN = "open", _("open")
        EXPECTED = "verwacht", _("expected")
        CLOSED = "gesloten", _("closed")

    slug = models.SlugField(_("web address"), max_length=140, unique=True)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=140)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("text"), max_length=20000, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="knowledge_items")
    wijken = models.ManyToManyField(Wijk, verbose_name=_("wijken"), blank=True, related_name="knowledge_items")
    buurten = models.ManyToManyField(Buurt, verbose_name=_("buurten"), blank=True, related_name="knowledge_items")
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("shared by"), blank=True, related_name="knowledge_items"
    )
    licence = models.CharField(_("licence"), max_length=14, choices=Licence.choices, default=Licence.CC_BY)
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGES, default="nl")
    audience = models.CharField(_("who may read it"), max_length=10, choices=Audience.choices, default="openbaar")

    # Only for subsidy and investment opportunities.
    funder = models.CharField(_("funder"), max_length=150, blank=True)
    amount_min = models.PositiveIntegerField(_("smallest amount (euros)"), null=True, blank=True)
    amount_max = models.PositiveIntegerField(_("largest amount (euros)"), null=True, blank=True)
    eligibility = models.CharField(_("who can apply"), max_length=300, blank=True)
    link = models.URLField(_("link to the scheme"), blank=True)
    funding_status = models.CharField(_("status"), max_length=10, choices=FundingStatus.choices, blank=True)

    # The normalised words (folded, with Dutch stems) that the full-text index reads: see samen030/core/search.py.
    search_title = models.TextField(editable=False, default="")
    search_tags = models.TextField(editable=False, default="")
    search_body = models.TextField(editable=False, default="")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="knowledge_items"
    )
    hidden_at = models.DateTimeField(_("hidden by the board"), null=True, blank=True)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("library item")
        verbose_name_plural = _("library items")
        ordering = ("-created_at",)
        # The rows are wide (text and search words); on SQLite an item's later columns (hidden_at, created_at,
        # author) sit behind its text in overflow pages. So the list, the facet counts and the ordering of results
        # read this narrow covering index instead of the table (see search.py), and the newest-first list walks it
        # in order for a visitor (audience and hidden_at fixed).
        indexes = [
            models.Index(fields=["created_at", "audience", "hidden_at"], name="knowledge_item_by_date"),
            models.Index(
                fields=["audience", "hidden_at", "created_at", "kind", "licence", "author"],
                name="knowledge_item_listing",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge-item", args=[self.slug])

    @classmethod
    def unique_slug(cls, title: str) -> str:
        return unique_slug(cls.objects.all(), title, fallback="kennis", max_length=130)

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_public(self) -> bool:
        return self.audience == self.Audience.PUBLIC and not self.is_hidden

    @property
    def is_funding(self) -> bool:
        return self.kind == self.Kind.FUNDING

    @cached_property
    def body_html(self) -> str:
        return render_markdown(self.body)

    def amount_range(self) -> str:
        if self.amount_min is None and self.amount_max is None:
            return ""
        if self.amount_min is not None and self.amount_max is not None:
            return f"€ {self.amount_min:,} – € {self.amount_max:,}".replace(",", ".")
        if self.amount_max is not None:
            return str(_("up to € %(amount)s") % {"amount": f"{self.amount_max:,}".replace(",", ".")})
        return str(_("from € %(amount)s") % {"amount": f"{self.amount_min:,}".replace(",", ".")})

    def refresh_search_text(self) -> None:
        """Normalise everything a search should find into the three weighted columns; callers save and index."""
        tags = [str(self.get_kind_display()), self.funder, self.eligibility]
        if self.pk:
            tags += [f"{theme.name} {theme.name_en}" for theme in self.themes.all()]
            tags += [organisation.name for organisation in self.organisations.all()]
            tags += [wijk.name for wijk in self.wijken.all()] + [buurt.name for buurt in self.buurten.all()]
        files = (
            DocumentVersion.objects.filter(document__item=self, is_current=True).values_list(
                "extracted_text", flat=True
            )
            if self.pk
            else []
        )
        self.search_title = search.document(self.title)
        self.search_tags = search.document(*tags)
        self.search_body = search.document(self.summary, self.body, *(text[:SEARCHED_FILE_TEXT] for text in files))

    def search_row(self) -> tuple[int, str, str, str]:
        return (self.pk, self.search_title, self.search_tags, self.search_body)


class Deadline(models.Model):
    """A closing date of a subsidy or investment opportunity (there may be several rounds)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="deadlines")
    date = models.DateField(_("deadline"), db_index=True)
    label = models.CharField(_("what is due"), max_length=120, blank=True)

    class Meta:
        ordering = ("date",)
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")

    def __str__(self) -> str:
        return f"{self.item.title}: {self.date:%d-%m-%Y}"


class Document(models.Model):
    """One file of an item; each upload of a new version keeps the earlier ones reachable."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        ODT = "odt", "OpenDocument (ODT)"
        XLSX = "xlsx", "Excel (XLSX)"
        PNG = "png", "PNG"
        JPEG = "jpeg", "JPEG"
        WEBP = "webp", "WebP"
        GIF = "gif", "GIF"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("position", "pk")
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self) -> str:
        current = self.current
        return current.name if current else f"document {self.pk}"

    @cached_property
    def current(self) -> DocumentVersion | None:
        versions = getattr(self, "_prefetched_objects_cache", {}).get("versions")
        if versions is not None:
            return max(versions, key=lambda v: v.number, default=None)
        return self.versions.order_by("-number").first()


def version_path(instance: DocumentVersion, filename: str) -> str:
    return f"knowledge/{instance.document.item_id}/{instance.document_id}/{instance.number}-{filename}"


class DocumentVersion(models.Model):
    IMAGE_FORMATS = ("png", "jpeg", "webp", "gif")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    is_current = models.BooleanField(default=True)
    file = models.FileField(upload_to=version_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    format = models.CharField(_("file type"), max_length=5, choices=Document.Format.choices)
    size = models.PositiveIntegerField(_("size in bytes"))
    extracted_text = models.TextField(blank=True)
    thumbnail = models.FileField(upload_to=version_path, max_length=300, blank=True)
    alt_text = models.CharField(_("description of the image (alt text)"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-number",)
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="one_number_per_version")]
        verbose_name = _("file version")
        verbose_name_plural = _("file versions")

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"

    @property
    def is_image(self) -> bool:
        return self.format in self.IMAGE_FORMATS

    def get_absolute_url(self) -> str:
        return reverse("knowledge-file", args=[self.pk, self.name])


class Question(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("your question"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at",)

    def __str__(self) -> str:
        return self.text[:60]


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("your answer"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at",)

    def __str__(self) -> str:
        return self.text[:60]


class Usage(models.Model):
    """'We hebben dit gebruikt': someone says they used the item, with an optional short story."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="usages")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("on behalf of"), on_delete=models.SET_NULL, null=True, blank=True
    )
    story = models.TextField(_("how did it go? (optional)"), max_length=1500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at",)
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="one_usage_per_person")]

    def __str__(self) -> str:
        return f"{self.user} / {self.item}"


class Follow(models.Model):
    """Someone follows a theme or an item: the weekly digest and the deadline reminders go to followers."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge_follows")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, null=True, blank=True, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(theme__isnull=False, item__isnull=True) | Q(theme__isnull=True, item__isnull=False),
                name="follow_one_thing",
            ),
            models.UniqueConstraint(fields=["user", "theme"], name="follow_theme_once"),
            models.UniqueConstraint(fields=["user", "item"], name="follow_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.theme or self.item}"


class DigestState(models.Model):
    """When someone last got the weekly digest, so the next one only tells what is new."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+")
    last_sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user}: {self.last_sent_at:%Y-%m-%d}"


class ReminderSent(models.Model):
    """A deadline reminder went to this person, so the daily run never sends it twice."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["deadline", "user"], name="remind_once")]

    def __str__(self) -> str:
        return f"{self.deadline} → {self.user}"


REMINDER_DAYS_BEFORE = dt.timedelta(days=14)
