"""Neighbourhood funds with a double-entry ledger (docs/funds.md).

Every amount is a whole number of euro cents. A transaction holds two or more entries that sum to zero; an entry's
amount is positive for a debit and negative for a credit. Entries and transactions are never changed or deleted:
a mistake is corrected by a reversal transaction that mirrors the original. Each account keeps its balance, which
the services update in the same database transaction as the entries, and `samen030 check_ledger` verifies.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen030.organisations.models import Organisation
from samen030.places.models import Buurt, Wijk


class ImmutableError(Exception):
    """Raised when code tries to change or delete a booked ledger record."""


class Fund(models.Model):
    class Kind(models.TextChoices):
        BUURTFONDS = "buurtfonds", _("buurtfonds (neighbourhood fund)")
        WIJKBUDGET = "wijkbudget", _("wijkbudget (district budget)")
        INTEGRAAL_WIJKBUDGET = "integraal_wijkbudget", _("integraal wijkbudget (integrated district budget)")
        STADSFONDS = "stadsfonds", _("stadsfonds (city fund)")

    slug = models.SlugField(_("web address"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind of fund"), max_length=24, choices=Kind.choices)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    buurt = models.ForeignKey(
        Buurt, verbose_name=_("buurt"), on_delete=models.PROTECT, null=True, blank=True, related_name="funds"
    )
    wijk = models.ForeignKey(
        Wijk, verbose_name=_("wijk"), on_delete=models.PROTECT, null=True, blank=True, related_name="funds"
    )
    theme = models.CharField(
        _("theme"), max_length=100, blank=True, help_text=_("For a city fund about a theme, such as food or energy.")
    )
    allows_negative_balance = models.BooleanField(
        _("balance may go below zero"),
        default=False,
        help_text=_("Leave this off unless someone guarantees the shortfall, such as the gemeente."),
    )
    four_eyes_threshold = models.BigIntegerField(
        _("four-eyes threshold (cents)"),
        default=100_000,
        help_text=_("Payments above this amount need two treasurers to approve. In cents: 100000 is € 1.000,00."),
    )
    treasurers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("treasurers"),
        blank=True,
        related_name="treasurer_of_funds",
        help_text=_("They request and approve payments and record income for this fund."),
    )
    max_grant = models.BigIntegerField(
        _("maximum grant (cents)"),
        default=2_000_000,
        help_text=_("The most one initiative can get from this fund per year. In cents: 2000000 is € 20.000,00."),
    )
    decision_weeks = models.PositiveSmallIntegerField(
        _("decision period (weeks)"),
        default=4,
        help_text=_("The committee decides within this many weeks after an application is complete."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(
                condition=Q(buurt__isnull=True) | Q(wijk__isnull=True), name="fund_belongs_to_a_buurt_or_a_wijk"
            ),
            models.CheckConstraint(condition=Q(four_eyes_threshold__gte=0), name="fund_threshold_not_negative"),
            models.CheckConstraint(condition=Q(max_grant__gte=0), name="fund_max_grant_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("fund-detail", args=[self.slug])

    @property
    def area(self) -> str:
        """Where the fund works: a buurt, a wijk, a theme, or the whole city."""
        if self.buurt_id:
            return str(self.buurt)
        if self.wijk_id:
            return str(self.wijk)
        return self.theme or str(_("the whole city"))

    def is_treasurer(self, user: Any) -> bool:
        return bool(user.is_authenticated) and self.treasurers.filter(pk=user.pk).exists()

    def is_committee_member(self, user: Any) -> bool:
        return bool(user.is_authenticated) and self.committee.filter(user=user, is_active=True).exists()

    def in_area(self, buurt: Buurt) -> bool:
        """Whether a buurt lies in the fund's area (a city fund covers every buurt)."""
        if self.buurt_id:
            return buurt.pk == self.buurt_id
        if self.wijk_id:
            return buurt.wijk_id == self.wijk_id
        return True

    def approvals_needed(self, amount: int) -> int:
        """The four-eyes rule: above the threshold two different treasurers approve, otherwise one."""
        return 2 if amount > self.four_eyes_threshold else 1


class Account(models.Model):
    """One account in a fund's ledger. The bank account holds the money that is free to spend; commitment accounts
    hold money set aside for a project (still in the bank, no longer free); income and payout accounts count where
    money came from and went to."""

    class Kind(models.TextChoices):
        BANK = "bank", _("bank account (free to spend)")
        COMMITMENT = "commitment", _("commitment")
        INCOME = "income", _("income")
        PAYOUT = "payout", _("payout")

    class Source(models.TextChoices):
        GEMEENTE = "gemeente", _("gemeente Utrecht")
        CHARITY = "fondsen", _("charitable funds")
        MEMBERS = "contributie", _("member contributions")
        PLEDGES = "toezeggingen", _("pledges")
        OTHER = "overig", _("other income")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="accounts")
    key = models.CharField(max_length=200, help_text="Unique within the fund, e.g. 'bank' or 'income:gemeente'.")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source of income"), max_length=16, choices=Source.choices, blank=True)
    project = models.CharField(_("project"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    buurt = models.ForeignKey(
        Buurt, verbose_name=_("buurt"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    balance = models.BigIntegerField(_("balance (cents)"), default=0, editable=False)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ("fund", "kind", "name")
        constraints = [models.UniqueConstraint(fields=["fund", "key"], name="one_account_per_key_in_a_fund")]

    def __str__(self) -> str:
        return f"{self.fund}: {self.name}"


class BudgetLine(models.Model):
    """One line of a fund's annual budget: planned income from one source, or planned spending on one purpose.
    The actual figure comes from the ledger: income booked from that source in that year, or payouts booked on
    the line in that year (docs/funds.md, "Budgets")."""

    class Kind(models.TextChoices):
        INCOME = "inkomsten", _("income")
        EXPENSE = "uitgaven", _("expenses")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150)
    source = models.CharField(
        _("source of income"),
        max_length=16,
        choices=Account.Source.choices,
        blank=True,
        help_text=_("Only for income: where the money comes from."),
    )
    planned = models.BigIntegerField(_("budgeted (cents)"))

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ("fund", "year", "kind", "name")
        constraints = [
            models.UniqueConstraint(fields=["fund", "year", "name"], name="one_budget_line_per_name_per_year"),
            models.CheckConstraint(condition=Q(planned__gte=0), name="budget_line_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class ClosedYear(models.Model):
    """A year whose books are closed: nothing can be booked with a date in it, and its budget is fixed."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="closed_years")
    year = models.PositiveSmallIntegerField(_("year"))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("closed"), default=timezone.now)

    class Meta:
        verbose_name = _("closed year")
        verbose_name_plural = _("closed years")
        ordering = ("fund", "year")
        constraints = [models.UniqueConstraint(fields=["fund", "year"], name="close_a_year_once")]

    def __str__(self) -> str:
        return f"{self.fund} {self.year}"


class ImmutableQuerySet(models.QuerySet[Any]):
    """Booked records are append-only: bulk updates and deletes are refused."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise ImmutableError("Booked ledger records cannot be changed; book a reversal instead.")

    def delete(self) -> NoReturn:
        raise ImmutableError("Booked ledger records cannot be deleted; book a reversal instead.")


class ImmutableModel(models.Model):
    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError("Booked ledger records cannot be changed; book a reversal instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableError("Booked ledger records cannot be deleted; book a reversal instead.")


class Transaction(ImmutableModel):
    class Kind(models.TextChoices):
        INCOME = "income", _("income")
        COMMITMENT = "commitment", _("commitment")
        PAYOUT = "payout", _("payout")
        REVERSAL = "reversal", _("reversal")
        OTHER = "other", _("other booking")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="transactions")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    booked_on = models.DateField(_("date"), default=timezone.localdate)
    description = models.CharField(
        _("description"), max_length=300, help_text=_("Public: never write the name of a private person here.")
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transactions",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ("-booked_on", "-pk")
        # The public page lists a fund's bookings newest first, a page at a time; the budget adds up a year.
        indexes = [models.Index(fields=["fund", "-booked_on", "-id"], name="transaction_fund_newest_first")]

    def __str__(self) -> str:
        return f"{self.booked_on:%d-%m-%Y} {self.description}"


class Entry(ImmutableModel):
    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    amount = models.BigIntegerField(_("amount (cents)"), help_text=_("Positive for debit, negative for credit."))

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ("transaction", "pk")
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="entry_amount_not_zero")]

    def __str__(self) -> str:
        return f"{self.account.name}: {self.amount}"


class PaymentRequest(models.Model):
    """A treasurer asks to pay money out of the fund; it is booked only once enough other treasurers approve."""

    class Status(models.TextChoices):
        REQUESTED = "aangevraagd", _("waiting for approval")
        BOOKED = "geboekt", _("approved and booked")
        REJECTED = "afgewezen", _("rejected")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="payment_requests")
    amount = models.BigIntegerField(_("amount (cents)"))
    description = models.CharField(
        _("what is it for"), max_length=300, help_text=_("Public: never write the name of a private person here.")
    )
    project = models.CharField(_("project"), max_length=150)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("paid to organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    payee_name = models.CharField(
        _("paid to person"),
        max_length=150,
        blank=True,
        help_text=_("Only when paying a private person. Treasurers see this name; the public page never shows it."),
    )
    buurt = models.ForeignKey(
        Buurt, verbose_name=_("buurt"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    approvals_required = models.PositiveSmallIntegerField(
        _("approvals required"), null=True, blank=True, help_text=_("The four-eyes rule as it applied when booked.")
    )
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)
    transaction = models.OneToOneField(
        Transaction, on_delete=models.PROTECT, null=True, blank=True, related_name="payment_request"
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Which line of this year's budget the payment counts against."),
    )
    commitment = models.ForeignKey(
        Account,
        verbose_name=_("paid out of the commitment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("A tranche of a grant is paid out of the money set aside for it, not out of the free balance."),
    )

    class Meta:
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        ordering = ("-requested_at", "-pk")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.fund}: {self.description}"

    def get_absolute_url(self) -> str:
        return reverse("payment-detail", args=[self.fund.slug, self.pk])

    @property
    def approvals_needed(self) -> int:
        return self.approvals_required or self.fund.approvals_needed(self.amount)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.REQUESTED

    @property
    def payee(self) -> str:
        return self.organisation.name if self.organisation else self.payee_name

    @property
    def bank_reference(self) -> str:
        """What the treasurer writes in the transfer's description, so the bank statement can be matched."""
        return f"S030-{self.pk}"


class Approval(ImmutableModel):
    payment = models.ForeignKey(PaymentRequest, on_delete=models.PROTECT, related_name="approvals")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ("created_at", "pk")
        constraints = [
            models.UniqueConstraint(fields=["payment", "approver"], name="one_approval_per_person_per_payment")
        ]

    def __str__(self) -> str:
        return f"{self.payment}: {self.approver}"


class AuditEvent(ImmutableModel):
    """Who changed what and when, for a fund and its payments; append-only like the ledger."""

    class Action(models.TextChoices):
        FUND_CREATED = "fund_created", _("fund created")
        FUND_CHANGED = "fund_changed", _("fund changed")
        PAYMENT_REQUESTED = "payment_requested", _("payment requested")
        PAYMENT_APPROVED = "payment_approved", _("payment approved")
        PAYMENT_REJECTED = "payment_rejected", _("payment rejected")
        PAYMENT_BOOKED = "payment_booked", _("payment booked")
        INCOME_RECORDED = "income_recorded", _("income recorded")
        BUDGET_COMMITTED = "budget_committed", _("money committed to a project")
        TRANSACTION_BOOKED = "transaction_booked", _("transaction booked")
        TRANSACTION_REVERSED = "transaction_reversed", _("transaction reversed")
        COMMITTEE_CHANGED = "committee_changed", _("fund committee changed")
        GRANT_SUBMITTED = "grant_submitted", _("grant application submitted")
        GRANT_WITHDRAWN = "grant_withdrawn", _("grant application withdrawn")
        CONFLICT_DECLARED = "conflict_declared", _("conflict of interest declared")
        GRANT_VOTED = "grant_voted", _("committee member voted")
        DEADLINE_EXTENDED = "deadline_extended", _("decision period extended")
        GRANT_DECIDED = "grant_decided", _("grant application decided")
        GRANT_AGREED = "grant_agreed", _("grant agreement made")
        TRANCHE_REQUESTED = "tranche_requested", _("tranche payment requested")
        REPORT_SUBMITTED = "report_submitted", _("accountability report submitted")
        GRANT_SETTLED = "grant_settled", _("grant settled, unspent money returned")
        BUDGET_CHANGED = "budget_changed", _("budget changed")
        STATEMENT_IMPORTED = "statement_imported", _("bank statement imported")
        SURVEY_ANSWERED = "survey_answered", _("re-spend survey answered")
        YEAR_CLOSED = "year_closed", _("year closed")
        RECEIPT_ADDED = "receipt_added", _("receipt added to a payment")
        COMMITMENT_RELEASED = "commitment_released", _("commitment released")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="audit_events")
    payment = models.ForeignKey(PaymentRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    application = models.ForeignKey(
        "GrantApplication", on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("what"), max_length=24, choices=Action.choices)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.created_at:%d-%m-%Y %H:%M} {self.get_action_display()}"


# Grants decided by residents (docs/funds.md, "Grants") ------------------------------------------------------------


class CommitteeMember(models.Model):
    """A resident of the fund's area on the committee that decides on grant applications. Treasurers and the board
    add and remove members; a removed member stays on record (is_active off) so earlier votes keep their author."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="committee")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="committee_seats")
    buurt = models.ForeignKey(
        Buurt,
        verbose_name=_("lives in buurt"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Committee members live in the fund's area."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ("fund", "user__name")
        constraints = [models.UniqueConstraint(fields=["fund", "user"], name="one_seat_per_person_per_fund")]

    def __str__(self) -> str:
        return f"{self.fund}: {self.user}"


class GrantApplicationQuerySet(models.QuerySet["GrantApplication"]):
    def public(self) -> GrantApplicationQuerySet:
        """Decided applications: their plan, budget and the committee's reasons are published."""
        return self.exclude(status__in=GrantApplication.UNDECIDED)


class GrantApplication(models.Model):
    """An application for a grant, with the fields of Utrecht's initiatievenfonds: plan, budget, own contribution,
    proof of support and dates."""

    class Status(models.TextChoices):
        SUBMITTED = "ingediend", _("submitted, waiting for the committee")
        WITHDRAWN = "ingetrokken", _("withdrawn")
        APPROVED = "toegekend", _("granted")
        REJECTED = "afgewezen", _("not granted")
        AGREED = "overeenkomst", _("grant agreement made")
        REPORTED = "verantwoord", _("accountability report submitted")
        SETTLED = "afgerond", _("settled")

    UNDECIDED = (Status.SUBMITTED, Status.WITHDRAWN)

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="applications")
    title = models.CharField(_("name of the initiative"), max_length=150)
    plan = models.TextField(
        _("plan"),
        max_length=6000,
        help_text=_("What do you want to do, for whom, and why is it good for the buurt? Public once decided."),
    )
    buurt = models.ForeignKey(
        Buurt, verbose_name=_("buurt"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_applications")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("on behalf of organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant_applications",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    amount_requested = models.BigIntegerField(_("amount requested (cents)"))
    own_contribution = models.TextField(
        _("own contribution"),
        max_length=2000,
        help_text=_("Time, money, materials or other funders: what you and others put in yourselves."),
    )
    own_contribution_value = models.BigIntegerField(_("value of the own contribution (cents)"), default=0)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decide_by = models.DateField(_("decision due by"))
    deadline_extended = models.BooleanField(_("decision period extended"), default=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reasons = models.TextField(_("reasons of the committee"), blank=True)
    amount_granted = models.BigIntegerField(_("amount granted (cents)"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), default=0)
    support_for = models.PositiveIntegerField(_("supporters"), default=0)
    support_against = models.PositiveIntegerField(_("opponents"), default=0)
    support_neutral = models.PositiveIntegerField(_("no opinion"), default=0)
    commitment = models.ForeignKey(Account, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    budget_line = models.ForeignKey(
        BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreed_at = models.DateTimeField(_("agreement made"), null=True, blank=True)
    report = models.TextField(_("what was done"), blank=True)
    reported_at = models.DateTimeField(_("report submitted"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)

    objects = GrantApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        ordering = ("-submitted_at", "-pk")
        constraints = [
            models.CheckConstraint(condition=Q(amount_requested__gt=0), name="grant_requested_positive"),
            models.CheckConstraint(condition=Q(own_contribution_value__gte=0), name="grant_own_contribution_positive"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="grant_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("grant-detail", args=[self.fund.slug, self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_overdue(self) -> bool:
        return self.is_open and timezone.localdate() > self.decide_by

    @property
    def project(self) -> str:
        """The name of the project in the ledger: the title with the application number, so it is unique."""
        return f"{self.title} (#{self.pk})"[:150]

    def is_editor(self, user: Any) -> bool:
        return bool(self.organisation_id) and self.organisation.editors.filter(user=user).exists()  # type: ignore[union-attr]

    def is_applicant(self, user: Any) -> bool:
        return bool(user.is_authenticated) and (self.applicant_id == user.pk or self.is_editor(user))


class GrantBudgetLine(models.Model):
    class Kind(models.TextChoices):
        INCOME = "inkomsten", _("income")
        EXPENSE = "uitgaven", _("expenses")

    application = models.ForeignKey(GrantApplication, on_delete=models.CASCADE, related_name="budget_lines")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200)
    amount = models.BigIntegerField(_("amount (cents)"))

    class Meta:
        ordering = ("application", "kind", "pk")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="grant_budget_line_positive")]

    def __str__(self) -> str:
        return self.description


class SupportStatement(models.Model):
    """One line of the support list: people for the plan, against it, or with no opinion. The names are seen only
    by the committee and erased when the application is decided; the counts stay."""

    class Stance(models.TextChoices):
        FOR = "voor", _("for")
        AGAINST = "tegen", _("against")
        NEUTRAL = "geen_mening", _("no opinion")

    application = models.ForeignKey(GrantApplication, on_delete=models.CASCADE, related_name="support")
    name = models.CharField(_("name"), max_length=150, blank=True)
    stance = models.CharField(_("stance"), max_length=12, choices=Stance.choices)

    class Meta:
        ordering = ("application", "pk")

    def __str__(self) -> str:
        return f"{self.name}: {self.stance}"


class ConflictOfInterest(models.Model):
    """A committee member declared a conflict of interest: they cannot vote on this application."""

    application = models.ForeignKey(GrantApplication, on_delete=models.PROTECT, related_name="conflicts")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("what is the conflict"), max_length=300)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "member"], name="one_declaration_per_member_per_grant")
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.member}"


class GrantVote(ImmutableModel):
    application = models.ForeignKey(GrantApplication, on_delete=models.PROTECT, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    in_favour = models.BooleanField(_("in favour"))
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "member"], name="one_vote_per_member_per_grant")]

    def __str__(self) -> str:
        return f"{self.application}: {self.member}"


class Tranche(models.Model):
    """One part of a granted amount, paid out through a payment request (four eyes) from the grant's commitment."""

    application = models.ForeignKey(GrantApplication, on_delete=models.PROTECT, related_name="tranches")
    number = models.PositiveSmallIntegerField(_("tranche"))
    amount = models.BigIntegerField(_("amount (cents)"))
    payment = models.OneToOneField(
        PaymentRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="tranche"
    )

    class Meta:
        ordering = ("application", "number")
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="one_tranche_number_per_grant"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="tranche_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.number}"

    @property
    def is_paid(self) -> bool:
        return self.payment is not None and self.payment.status == PaymentRequest.Status.BOOKED


class SpendingLine(models.Model):
    """What a grant was spent on, from the accountability report: a supplier with its postcode, or wages and
    volunteers' allowances with whether the person lives locally (for LM3, docs/funds.md)."""

    class Kind(models.TextChoices):
        SUPPLIER = "leverancier", _("supplier")
        WAGES = "loon", _("wages")
        ALLOWANCE = "vrijwilligersvergoeding", _("volunteer allowance")

    application = models.ForeignKey(GrantApplication, on_delete=models.CASCADE, related_name="spending")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    description = models.CharField(_("what for"), max_length=200)
    amount = models.BigIntegerField(_("amount (cents)"))
    spent_on = models.DateField(_("date"))
    supplier = models.CharField(_("supplier"), max_length=150, blank=True)
    postcode = models.CharField(_("postcode of the supplier"), max_length=6, blank=True)
    buurt = models.ForeignKey(
        Buurt, verbose_name=_("buurt"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    in_gemeente = models.BooleanField(_("in gemeente Utrecht"), default=False)
    lives_locally = models.BooleanField(_("lives in gemeente Utrecht"), default=False)
    survey_token = models.CharField(max_length=43, unique=True, null=True, blank=True, editable=False)
    respent_locally = models.PositiveSmallIntegerField(
        _("share spent again in Utrecht (%)"),
        null=True,
        blank=True,
        help_text=_("From the short re-spend survey of the supplier or the person paid."),
    )
    survey_answered_at = models.DateTimeField(_("survey answered"), null=True, blank=True)

    class Meta:
        ordering = ("application", "spent_on", "pk")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="spending_line_positive"),
            models.CheckConstraint(
                condition=Q(respent_locally__isnull=True) | Q(respent_locally__lte=100), name="respent_is_a_percentage"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_local(self) -> bool:
        """R2: spent with a supplier in the gemeente, or paid to someone who lives there."""
        return self.in_gemeente if self.kind == self.Kind.SUPPLIER else self.lives_locally


class Receipt(models.Model):
    """A receipt (bonnetje) with the accountability report. Stored outside the public media folder and served
    only to the applicant, the committee, the treasurers and the board."""

    application = models.ForeignKey(GrantApplication, on_delete=models.PROTECT, related_name="receipts")
    file = models.FileField(_("file"), upload_to="bonnetjes/%Y/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("application", "pk")

    def __str__(self) -> str:
        return self.original_name


class PaymentReceipt(models.Model):
    """A receipt (bonnetje) with a payment that is not a grant tranche, added by a treasurer before or after the
    payment is booked; adding one never changes the ledger. Stored outside the public media folder and served only to
    the fund's treasurers and the board; the public page only says that a receipt exists."""

    payment = models.ForeignKey(PaymentRequest, on_delete=models.PROTECT, related_name="receipts")
    file = models.FileField(_("file"), upload_to="bonnetjes/betalingen/%Y/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ("payment", "pk")

    def __str__(self) -> str:
        return self.original_name


# Bank statements (docs/funds.md, "Bank statements") ---------------------------------------------------------------


class BankImport(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="bank_imports")
    file_name = models.CharField(_("file name"), max_length=200)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)
    duplicates = models.PositiveIntegerField(_("lines already imported before"), default=0)

    class Meta:
        verbose_name = _("bank statement import")
        verbose_name_plural = _("bank statement imports")
        ordering = ("-imported_at", "-pk")

    def __str__(self) -> str:
        return self.file_name


class BankLine(models.Model):
    """One line of an imported bank statement: matched to a payment it confirms, booked as income, or open."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="bank_lines")
    bank_import = models.ForeignKey(BankImport, on_delete=models.PROTECT, related_name="lines")
    fingerprint = models.CharField(max_length=64)
    booked_on = models.DateField(_("date"))
    amount = models.BigIntegerField(_("amount (cents)"), help_text=_("Positive: money in. Negative: money out."))
    counterparty = models.CharField(_("counterparty"), max_length=150, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    reference = models.CharField(_("description"), max_length=300, blank=True)
    payment = models.OneToOneField(
        PaymentRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="bank_line"
    )
    income = models.OneToOneField(
        Transaction, on_delete=models.PROTECT, null=True, blank=True, related_name="bank_line"
    )

    class Meta:
        verbose_name = _("bank statement line")
        verbose_name_plural = _("bank statement lines")
        ordering = ("booked_on", "pk")
        constraints = [
            models.UniqueConstraint(fields=["fund", "fingerprint"], name="import_a_bank_line_once"),
            models.CheckConstraint(condition=~Q(amount=0), name="bank_line_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.amount}"

    @property
    def is_matched(self) -> bool:
        return self.payment_id is not None or self.income_id is not None
