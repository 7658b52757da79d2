"""A burgerbegroting (participatory budget): plans, support, the feasibility check, ballots, vote codes, the result
and the realisation of the funded plans. See docs/burgerbegroting.md."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen030.organisations.models import Organisation
from samen030.places.models import Buurt, Wijk


class Phase(models.TextChoices):
    """The phases in their fixed order; the current phase decides what people may do (rules.py)."""

    SUBMISSION = "indienen", _("submitting plans")
    SUPPORT = "steun", _("collecting support")
    CHECK = "toets", _("feasibility check")
    VOTING = "stemmen", _("voting")
    RESULT = "uitslag", _("result")
    REALISATION = "uitvoering", _("realisation")


PHASE_ORDER = [phase.value for phase in Phase]

# Before the first phase starts a burgerbegroting is only announced: nobody can do anything in it yet.
NOT_STARTED = ""

# The field that holds the start of each phase; the result phase starts when the vote closes.
START_FIELDS = {
    Phase.SUBMISSION.value: "submission_start",
    Phase.SUPPORT.value: "support_start",
    Phase.CHECK.value: "check_start",
    Phase.VOTING.value: "voting_start",
    Phase.RESULT.value: "voting_end",
    Phase.REALISATION.value: "realisation_start",
}

# What each start is called in messages ("… must be later than …").
START_NAMES = {
    "submission_start": _("the start of submitting plans"),
    "support_start": _("the start of collecting support"),
    "check_start": _("the start of the feasibility check"),
    "voting_start": _("the start of voting"),
    "voting_end": _("the close of the vote"),
    "realisation_start": _("the start of the realisation"),
}

# What people can do in each phase, for the schedule on the public page (plain language).
PHASE_WHAT = {
    Phase.SUBMISSION.value: _("Residents submit plans for their neighbourhood."),
    Phase.SUPPORT.value: _("Residents support the plans they like. A plan needs enough support to go on."),
    Phase.CHECK.value: _("The board checks whether each plan can be done and what it costs."),
    Phase.VOTING.value: _("Residents vote for the plans they want."),
    Phase.RESULT.value: _("The result is published: which plans get the money."),
    Phase.REALISATION.value: _("The chosen plans are carried out. You can follow them here."),
}


def phase_index(phase: str) -> int:
    """The place of a phase in PHASE_ORDER; -1 before the start."""
    return PHASE_ORDER.index(phase) if phase else -1


def schedule_for(
    phase: str,
    *,
    now: dt.datetime,
    started: dt.timedelta = dt.timedelta(days=7),
    left: dt.timedelta = dt.timedelta(days=28),
    step: dt.timedelta = dt.timedelta(days=28),
    hour: int = 9,
) -> dict[str, dt.datetime]:
    """Start dates in which `phase` is the current phase at `now`: it started `started` ago (on a whole hour in
    Amsterdam time), the next phase starts `left` from now, and the other phases `step` apart. NOT_STARTED puts the
    whole schedule in the future. For the demo data and for tests."""
    current = phase_index(phase)
    local = timezone.localtime(now)

    def at(days: float) -> dt.datetime:
        day = (local + dt.timedelta(days=days)).date()
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))

    dates: dict[str, dt.datetime] = {}
    for index, name in enumerate(PHASE_ORDER):
        if index <= current:
            offset = -started.total_seconds() / 86400 - (current - index) * step.total_seconds() / 86400
        else:
            offset = left.total_seconds() / 86400 + (index - current - 1) * step.total_seconds() / 86400
        dates[START_FIELDS[name]] = at(offset)
    return dates


class Burgerbegroting(models.Model):
    class AreaKind(models.TextChoices):
        BUURT = "buurt", _("a buurt")
        WIJK = "wijk", _("a wijk")
        BUURTEN = "buurten", _("a group of buurten")
        CITY = "stad", _("the whole city")

    class Rule(models.TextChoices):
        MES = "mes", _("Method of Equal Shares (with Add1 and greedy completion)")
        GREEDY = "greedy", _("most votes first (greedy)")

    class BallotType(models.TextChoices):
        APPROVAL = "approval", _("choose plans (approval, with a minimum and maximum)")
        KNAPSACK = "knapsack", _("spend the budget (total cost within the budget)")
        CUMULATIVE = "cumulative", _("divide points (cumulative)")

    slug = models.SlugField(_("short name in the web address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=150)
    intro = models.TextField(_("introduction"), blank=True, help_text=_("Markdown: **bold**, lists and links."))
    area_kind = models.CharField(_("area"), max_length=8, choices=AreaKind.choices, default=AreaKind.WIJK)
    wijk = models.ForeignKey(
        Wijk, verbose_name=_("wijk"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    buurten = models.ManyToManyField(Buurt, verbose_name=_("buurten"), blank=True, related_name="+")
    budget = models.PositiveIntegerField(_("budget in euros"))
    rule = models.CharField(_("how the result is computed"), max_length=8, choices=Rule.choices, default=Rule.MES)
    ballot_type = models.CharField(_("ballot"), max_length=12, choices=BallotType.choices, default=BallotType.APPROVAL)
    min_choices = models.PositiveSmallIntegerField(_("at least this many plans"), default=1)
    max_choices = models.PositiveSmallIntegerField(_("at most this many plans"), default=5)
    points = models.PositiveSmallIntegerField(_("points to divide (cumulative ballot)"), default=10)
    min_age = models.PositiveSmallIntegerField(_("minimum age of voters"), default=12)
    support_threshold = models.PositiveSmallIntegerField(
        _("support needed"), default=25, help_text=_("How many people must support a plan before it is checked.")
    )
    # The phase as last recorded in the audit log (by `samen030 advance_phases` or by the board). What people may do
    # follows `phase`, which the dates decide at the moment of each request; see phase_at().
    recorded_phase = models.CharField(
        _("phase recorded in the audit log"), max_length=12, choices=Phase.choices, default=NOT_STARTED, blank=True
    )
    submission_start = models.DateTimeField(_("plans can be submitted from"))
    support_start = models.DateTimeField(_("collecting support from"))
    check_start = models.DateTimeField(_("feasibility check from"))
    voting_start = models.DateTimeField(_("voting from"))
    voting_end = models.DateTimeField(_("the vote closes at"))
    realisation_start = models.DateTimeField(_("realisation from"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("burgerbegroting")
        verbose_name_plural = _("burgerbegrotingen")
        ordering = ("-voting_start", "title")
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0), name="burgerbegroting_budget_positive"),
            models.CheckConstraint(
                condition=Q(min_choices__lte=models.F("max_choices")), name="burgerbegroting_min_not_above_max"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("burgerbegroting-detail", args=[self.slug])

    @property
    def area_name(self) -> str:
        if self.area_kind == self.AreaKind.CITY:
            return str(_("the whole city"))
        if self.area_kind == self.AreaKind.WIJK and self.wijk_id:
            return str(self.wijk)
        return ", ".join(b.name for b in self.buurten.all())

    def area_buurten(self) -> models.QuerySet[Buurt]:
        """The buurten whose residents may vote."""
        if self.area_kind == self.AreaKind.CITY:
            return Buurt.objects.all()
        if self.area_kind == self.AreaKind.WIJK:
            return Buurt.objects.filter(wijk_id=self.wijk_id)
        return self.buurten.all()

    def covers(self, buurt: Buurt | None) -> bool:
        if buurt is None:
            return False
        if self.area_kind == self.AreaKind.CITY:
            return True
        if self.area_kind == self.AreaKind.WIJK:
            return buurt.wijk_id == self.wijk_id
        return self.buurten.filter(pk=buurt.pk).exists()

    def clean(self) -> None:
        problems = self.schedule_order_problems()
        if problems:
            raise ValidationError(problems)

    def schedule_order_problems(self) -> list[str]:
        """Each phase must start after the one before it."""
        problems = []
        fields = list(START_FIELDS.values())
        for earlier, later in itertools.pairwise(fields):
            first, second = getattr(self, earlier), getattr(self, later)
            if first is not None and second is not None and second <= first:
                problems.append(
                    _("%(later)s must be later than %(earlier)s.")
                    % {"later": str(START_NAMES[later]).capitalize(), "earlier": START_NAMES[earlier]}
                )
        return problems

    # The phase -----------------------------------------------------------------------------------------------------

    def scheduled_phase(self, now: dt.datetime) -> str:
        """The phase the dates give at `now`: the last one that has started (NOT_STARTED before the first)."""
        current = NOT_STARTED
        for name in PHASE_ORDER:
            if getattr(self, START_FIELDS[name]) <= now:
                current = name
        return current

    def vote_blocker(self) -> str | None:
        """Why the vote cannot open (a message), or None when the ballot is ready."""
        if getattr(self, "_ballot_ready", False):
            return None
        if not self.ballot_plans().exists():
            return str(_("No plan is on the ballot yet: check the plans first."))
        waiting = (
            self.plans.filter(status=Plan.Status.SUBMITTED)
            .annotate(n=models.Count("supports"))
            .filter(n__gte=self.support_threshold)
        )
        if waiting.exists():
            return str(_("Some plans with enough support have not been checked yet."))
        self._ballot_ready = True  # kept for the life of this object (one request): readiness only changes by hand
        return None

    def phase_at(self, now: dt.datetime) -> str:
        """The current phase at `now`. The dates decide, with two safeguards:

        - the phase never goes back behind the recorded one (the board moved it, or the timer recorded it);
        - the vote opens by date only when the ballot is ready (plans on it, no supported plan waiting for the
          check), and a voting period that passed without the vote opening does not produce a result: the
          burgerbegroting then stays in the check until the board sets new dates or opens the vote by hand.
        Only in those cases (before the opening of the vote is recorded) does this query the database."""
        scheduled = self.scheduled_phase(now)
        index = phase_index(scheduled)
        recorded = phase_index(self.recorded_phase)
        voting = PHASE_ORDER.index(Phase.VOTING)
        if index >= voting > recorded and (
            self.vote_blocker() is not None or (index > voting and not self._has_ballots())
        ):
            index = PHASE_ORDER.index(Phase.CHECK)
        index = max(index, recorded)
        return PHASE_ORDER[index] if index >= 0 else NOT_STARTED

    def _has_ballots(self) -> bool:
        if not getattr(self, "_ballots_exist", False):
            self._ballots_exist = self.ballots.exists()  # ballots are not deleted: a True is kept for this object
        return self._ballots_exist

    @property
    def phase(self) -> str:
        """The current phase: what the dates say now (see phase_at)."""
        return self.phase_at(timezone.now())

    def get_phase_display(self) -> str:
        phase = self.phase
        return str(Phase(phase).label) if phase else str(_("not started yet"))

    def vote_is_held(self, now: dt.datetime | None = None) -> bool:
        """The dates say the vote should be open or over, but it has not opened (see phase_at)."""
        now = now or timezone.now()
        return (
            phase_index(self.scheduled_phase(now)) >= PHASE_ORDER.index(Phase.VOTING) > phase_index(self.phase_at(now))
        )

    def phase_index(self) -> int:
        return phase_index(self.phase)

    def phase_at_or_after(self, phase: str) -> bool:
        return self.phase_index() >= PHASE_ORDER.index(phase)

    @property
    def next_phase(self) -> str | None:
        index = self.phase_index()
        return PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None

    def phase_dates(self) -> list[dict[str, Any]]:
        """The schedule: each phase with its start, its end (the next start) and whether it is the current one."""
        current = self.phase
        starts = [getattr(self, START_FIELDS[name]) for name in PHASE_ORDER]
        return [
            {
                "phase": name,
                "label": Phase(name).label,
                "what": PHASE_WHAT[name],
                "start": start,
                "end": starts[index + 1] if index + 1 < len(starts) else None,
                "current": name == current,
                "past": phase_index(current) > index,
            }
            for index, (name, start) in enumerate(zip(PHASE_ORDER, starts, strict=True))
        ]

    def ballot_plans(self) -> models.QuerySet[Plan]:
        """The plans on the ballot: those the check found feasible, in a fixed order."""
        return self.plans.filter(status=Plan.Status.FEASIBLE).order_by("pk")


class PlanQuerySet(models.QuerySet["Plan"]):
    def visible(self) -> PlanQuerySet:
        return self.exclude(status=Plan.Status.WITHDRAWN)

    def with_support(self) -> PlanQuerySet:
        return self.annotate(support_count=models.Count("supports", distinct=True))


class Plan(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "ingediend", _("submitted")
        FEASIBLE = "haalbaar", _("feasible: on the ballot")
        NOT_FEASIBLE = "niet_haalbaar", _("not feasible")
        MERGED = "samengevoegd", _("merged with another plan")
        WITHDRAWN = "ingetrokken", _("withdrawn")

    class Realisation(models.TextChoices):
        NOT_STARTED = "gepland", _("planned")
        IN_PROGRESS = "bezig", _("in progress")
        DONE = "klaar", _("done")
        CANCELLED = "gestopt", _("stopped")

    burgerbegroting = models.ForeignKey(Burgerbegroting, on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), help_text=_("Markdown: **bold**, lists and links."))
    cost = models.PositiveIntegerField(_("estimated cost in euros"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    buurt = models.ForeignKey(
        Buurt, verbose_name=_("buurt"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    check_reason = models.TextField(_("reason of the check"), blank=True)
    checked_cost = models.PositiveIntegerField(_("cost estimate of the check in euros"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), on_delete=models.PROTECT, null=True, blank=True, related_name="merged"
    )
    realisation = models.CharField(
        _("realisation"), max_length=10, choices=Realisation.choices, default=Realisation.NOT_STARTED
    )
    amount_spent = models.PositiveIntegerField(_("spent so far in euros"), default=0)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ("pk",)
        constraints = [
            models.CheckConstraint(condition=Q(cost__gt=0), name="plan_cost_positive"),
            models.CheckConstraint(
                condition=Q(checked_cost__isnull=True) | Q(checked_cost__gt=0), name="plan_checked_cost_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plan-detail", args=[self.burgerbegroting.slug, self.pk])

    @property
    def ballot_cost(self) -> int:
        """What the plan costs on the ballot: the check's estimate once there is one."""
        return self.checked_cost or self.cost


class PlanImage(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="burgerbegroting/")
    alt = models.CharField(_("what the image shows"), max_length=200)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.alt


class Comment(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return self.text[:50]


class Support(models.Model):
    """Steun: one per account per plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("support")
        constraints = [models.UniqueConstraint(fields=["plan", "user"], name="support_once_per_account")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.plan_id}"


class CodeBatch(models.Model):
    burgerbegroting = models.ForeignKey(Burgerbegroting, on_delete=models.PROTECT, related_name="code_batches")
    size = models.PositiveIntegerField(_("number of codes"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("batch of vote codes")
        verbose_name_plural = _("batches of vote codes")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.burgerbegroting} #{self.pk} ({self.size})"


class VoteCode(models.Model):
    """A personal vote code, stored only as a hash (see codes.py)."""

    batch = models.ForeignKey(CodeBatch, on_delete=models.PROTECT, related_name="codes")
    burgerbegroting = models.ForeignKey(Burgerbegroting, on_delete=models.PROTECT, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    used_on_paper = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("vote code")
        verbose_name_plural = _("vote codes")

    def __str__(self) -> str:
        return f"{self.code_hash[:8]}…"


class Ballot(models.Model):
    """The counted ballot of one voter: one per account or per vote code (unique constraints); a later ballot
    replaces the choices of the earlier one until the vote closes. `choices` maps a plan id (text) to points
    (1 for approval and knapsack ballots)."""

    class Channel(models.TextChoices):
        ACCOUNT = "account", _("online with an account")
        CODE = "code", _("online with a vote code")
        PAPER = "papier", _("on paper")

    burgerbegroting = models.ForeignKey(Burgerbegroting, on_delete=models.PROTECT, related_name="ballots")
    channel = models.CharField(_("how"), max_length=8, choices=Channel.choices)
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    vote_code = models.OneToOneField(VoteCode, on_delete=models.PROTECT, null=True, blank=True, related_name="ballot")
    paper_number = models.CharField(_("number on the paper ballot"), max_length=30, blank=True)
    buurt = models.ForeignKey(
        Buurt, verbose_name=_("buurt of the voter"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    choices = models.JSONField(default=dict)
    cast_at = models.DateTimeField(default=timezone.now)
    changes = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["burgerbegroting", "voter"], condition=Q(voter__isnull=False), name="one_ballot_per_account"
            ),
            models.UniqueConstraint(
                fields=["burgerbegroting", "paper_number"],
                condition=~Q(paper_number=""),
                name="one_ballot_per_paper_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.burgerbegroting_id}/{self.pk}"


class PaperEntry(models.Model):
    """The first of the two entries of a paper ballot; the second official's entry must match it."""

    burgerbegroting = models.ForeignKey(Burgerbegroting, on_delete=models.PROTECT, related_name="paper_entries")
    number = models.CharField(_("number on the paper ballot"), max_length=30)
    code_hash = models.CharField(max_length=64, blank=True)  # the vote code printed on the paper, if any
    choices = models.JSONField(default=dict)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("paper ballot entry")
        verbose_name_plural = _("paper ballot entries")
        constraints = [models.UniqueConstraint(fields=["burgerbegroting", "number"], name="one_entry_per_paper_ballot")]

    def __str__(self) -> str:
        return self.number


class Result(models.Model):
    """The outcome computed when the vote closed, with everything the results page and the receipts show."""

    burgerbegroting = models.OneToOneField(Burgerbegroting, on_delete=models.PROTECT, related_name="result")
    rule = models.CharField(max_length=8)
    selected = models.JSONField(default=list)  # plan ids in order of selection
    total_cost = models.PositiveIntegerField(default=0)
    greedy_selected = models.JSONField(default=list)
    votes = models.JSONField(default=dict)  # plan id -> supporters (or points)
    explanation = models.JSONField(default=dict)  # per plan and per MES round
    receipts = models.JSONField(default=dict)  # ballot key -> share, payments, money left
    ballot_count = models.PositiveIntegerField(default=0)
    ballots_digest = models.CharField(max_length=64)
    computed_at = models.DateTimeField(default=timezone.now)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return str(self.burgerbegroting)


class PlanUpdate(models.Model):
    """News about the realisation of a funded plan, optionally with a photo."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField(_("update"), max_length=3000)
    photo = models.ImageField(_("photo"), upload_to="burgerbegroting/", blank=True)
    photo_alt = models.CharField(_("what the photo shows"), max_length=200, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("realisation update")
        verbose_name_plural = _("realisation updates")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.text[:50]


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        PHASE_CHANGED = "phase", _("phase changed")
        CODES_GENERATED = "codes", _("vote codes generated")
        PAPER_ENTERED = "paper_first", _("paper ballot entered")
        PAPER_CONFIRMED = "paper_ok", _("paper ballot confirmed by a second official")
        PAPER_MISMATCH = "paper_diff", _("second entry of a paper ballot did not match")
        RESULT_COMPUTED = "result", _("result computed")
        PLAN_CHECKED = "checked", _("plan checked")
        PLANS_MERGED = "merged", _("plans merged")
        DATES_CHANGED = "dates", _("dates changed")

    burgerbegroting = models.ForeignKey(Burgerbegroting, on_delete=models.PROTECT, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("what"), max_length=12, choices=Action.choices)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"
