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
from django.db.models import Q
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
    # TODO(receipts): attach receipts (bonnetjes) after booking, in a later slice.

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

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="audit_events")
    payment = models.ForeignKey(PaymentRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
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
