"""Demo funds: a wijkbudget in every wijk with a year of realistic bookings, for trying the transparency pages.

Deterministic (one seeded random generator per wijk) and idempotent (a wijk that has its demo fund is skipped).
The bookings are planned in memory, in date order, with a running balance so that no fund goes below zero, and then
written with bulk inserts; `samen030 check_ledger` passes on the result.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, TextIO

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from samen030.accounts.models import User
from samen030.organisations.models import Organisation
from samen030.places.models import Buurt, Wijk

from . import demo_grants, services
from .models import Account, Approval, AuditEvent, BudgetLine, Entry, Fund, PaymentRequest, Transaction

TREASURERS = [
    ("penningmeester@samen030.test", "Pien (penningmeester)"),
    ("penningmeester2@samen030.test", "Thijs (penningmeester)"),
    ("penningmeester3@samen030.test", "Noor (penningmeester)"),
]
PROJECTS = [
    ("Buurtfeest", "Huur van tent en geluid voor het buurtfeest"),
    ("Geveltuinen", "Planten en aarde voor geveltuinen"),
    ("Buurtmaaltijd", "Boodschappen voor de buurtmaaltijd"),
    ("Speelplek", "Onderhoud van de speelplek"),
    ("Taalcafé", "Koffie, thee en lesmateriaal voor het taalcafé"),
    ("Repair Café", "Gereedschap en onderdelen voor het Repair Café"),
    ("Buurtkrant", "Drukken van de buurtkrant"),
    ("Kerstmarkt", "Kramen en verlichting voor de kerstmarkt"),
]
CHARITIES = ["Oranje Fonds", "Fonds 1818", "VSBfonds", "Kansfonds"]


@dataclass
class Plan:
    day: dt.date
    kind: str
    description: str
    legs: list[tuple[str, int]]
    payment: dict[str, Any] | None = None
    reverses: int | None = None  # index of the planned transaction this one reverses
    after: Plan | None = None  # a booking that must be kept for this one to make sense (a grant's commitment)
    budget: str = ""  # the name of the budget line it counts against


@dataclass
class Ledger:
    """The accounts of one demo fund by key, created up front so bookings can be bulk-inserted."""

    fund: Fund
    accounts: dict[str, Account] = field(default_factory=dict)

    def key(self, kind: str, **extra: Any) -> str:
        if kind == "bank":
            account = services.bank_account(self.fund)
        elif kind == "income":
            account = services.income_account(self.fund, extra["source"])
        elif kind == "commitment":
            account = services.commitment_account(self.fund, project=extra["project"], buurt=extra.get("buurt"))
        else:
            account = services.payout_account(
                self.fund, project=extra["project"], organisation=extra.get("organisation"), buurt=extra.get("buurt")
            )
        self.accounts[account.key] = account
        return account.key


def create_demo_funds(stdout: TextIO | Any = None) -> int:
    """Create the demo funds that are missing; returns how many were created."""
    created = 0
    treasurers = _treasurers()
    today = timezone.localdate()
    for wijk in Wijk.objects.order_by("code"):
        slug = f"wijkbudget-{slugify(wijk.name)}"
        if Fund.objects.filter(slug=slug).exists():
            continue
        with transaction.atomic():
            _create_fund(wijk, slug, treasurers, today)
        created += 1
    if stdout is not None:
        stdout.write(f"Demo funds: {created} created ({Fund.objects.count()} in total). Treasurers:")
        for email, name in TREASURERS:
            stdout.write(f"  {email:28} {name}")
    return created


def _treasurers() -> list[User]:
    from samen030.core.management.commands.load_demo import DEMO_PASSWORD

    people = []
    for email, name in TREASURERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, name=name)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        people.append(user)
    return people


def _create_fund(wijk: Wijk, slug: str, treasurers: list[User], today: dt.date) -> Fund:
    rng = random.Random(wijk.code)  # noqa: S311 (demo content) the same bookings on every machine
    integral = wijk.code == "WK034403"  # Overvecht works with an integraal wijkbudget
    fund = Fund.objects.create(
        slug=slug,
        name=f"{'Integraal wijkbudget' if integral else 'Wijkbudget'} {wijk.name}",
        kind=Fund.Kind.INTEGRAAL_WIJKBUDGET if integral else Fund.Kind.WIJKBUDGET,
        wijk=wijk,
        description=(
            f"Geld voor plannen van bewoners in {wijk.name}. Hier zie je waar het geld vandaan komt, "
            "waar het naartoe gaat en wat er nog over is."
        ),
        four_eyes_threshold=100_000,
    )
    fund.treasurers.set(treasurers)
    AuditEvent.objects.create(fund=fund, action=AuditEvent.Action.FUND_CREATED, details={"demo": True})
    buurten = list(Buurt.objects.filter(wijk=wijk).order_by("code"))
    organisations = list(Organisation.objects.published().active_in_wijk(wijk).order_by("slug")[:12])
    ledger = Ledger(fund)
    start = today - dt.timedelta(days=364)
    grants = demo_grants.plan_grants(
        rng, ledger=ledger, buurten=buurten, organisations=organisations, start=start, today=today
    )
    grant_plans = [plan for grant in grants for plan in grant.plans]
    plans = _plan_year(rng, ledger, buurten, organisations, start, grant_plans=grant_plans)
    budget_lines = demo_grants.create_budget(fund, {start.year, today.year})
    booked = _write(fund, ledger, plans, treasurers, rng, budget_lines=budget_lines)
    demo_grants.write_grants(
        fund, ledger=ledger, grants=grants, booked=booked, treasurers=treasurers, buurten=buurten, rng=rng, today=today
    )
    return fund


def _plan_year(
    rng: random.Random,
    ledger: Ledger,
    buurten: list[Buurt],
    organisations: list[Organisation],
    start: dt.date,
    *,
    grant_plans: list[Plan],
) -> list[Plan]:
    plans: list[Plan] = list(grant_plans)
    bank = ledger.key("bank")
    for quarter in range(4):
        amount = rng.choice([1_250_000, 1_500_000, 1_750_000])
        plans.append(
            Plan(
                start + dt.timedelta(days=91 * quarter + 3),
                "income",
                f"Wijkbudget gemeente Utrecht, kwartaal {quarter + 1}",
                [(bank, amount), (ledger.key("income", source="gemeente"), -amount)],
            )
        )
    for name in rng.sample(CHARITIES, k=2):
        amount = rng.randrange(200_000, 750_000, 2_500)
        day = start + dt.timedelta(days=rng.randint(20, 300))
        income = ledger.key("income", source="fondsen")
        plans.append(Plan(day, "income", f"Bijdrage {name}", [(bank, amount), (income, -amount)]))
    for month in range(12):
        amount = rng.randrange(5_000, 30_000, 500)
        contributions = ledger.key("income", source="contributie")
        plans.append(
            Plan(
                start + dt.timedelta(days=30 * month + 15),
                "income",
                "Contributies leden",
                [(bank, amount), (contributions, -amount)],
            )
        )
    pledge = rng.randrange(100_000, 300_000, 5_000)
    plans.append(
        Plan(
            start + dt.timedelta(days=rng.randint(60, 200)),
            "income",
            "Toezegging buurtondernemers",
            [(bank, pledge), (ledger.key("income", source="toezeggingen"), -pledge)],
        )
    )
    for project, _text in rng.sample(PROJECTS, k=2):
        amount = rng.randrange(150_000, 400_000, 5_000)
        buurt = rng.choice(buurten) if buurten else None
        commitment = ledger.key("commitment", project=project, buurt=buurt)
        plans.append(
            Plan(
                start + dt.timedelta(days=rng.randint(100, 340)),
                "commitment",
                f"Toegezegd aan {project}",
                [(commitment, amount), (bank, -amount)],
            )
        )
    for _number in range(rng.randint(22, 30)):
        project, text = rng.choice(PROJECTS)
        buurt = rng.choice(buurten) if buurten else None
        organisation = rng.choice(organisations) if organisations and rng.random() < 0.75 else None
        amount = rng.choice([rng.randrange(2_500, 60_000, 50), rng.randrange(60_000, 250_000, 500)])
        payout = ledger.key("payout", project=project, organisation=organisation, buurt=buurt)
        payment = {"project": project, "organisation": organisation, "buurt": buurt, "amount": amount}
        if organisation is None:
            payment["payee_name"] = rng.choice(["J. de Vries", "M. El Amrani", "S. Bakker", "A. Yilmaz"])
        day = start + dt.timedelta(days=rng.randint(10, 360))
        plans.append(
            Plan(day, "payout", text, [(payout, amount), (bank, -amount)], payment=payment, budget="Buurtactiviteiten")
        )
    # One correction: the member contributions of one month were booked twice by mistake and then reversed.
    double = next(plan for plan in plans if plan.description == "Contributies leden")
    plans.append(Plan(double.day, "income", "Contributies leden (dubbel geboekt)", list(double.legs)))
    plans.append(
        Plan(
            double.day + dt.timedelta(days=2),
            "reversal",
            "Correctie van: Contributies leden (dubbel geboekt)",
            [(key, -amount) for key, amount in double.legs],
            reverses=len(plans) - 1,
        )
    )
    return _affordable(plans, bank)


def _affordable(plans: list[Plan], bank: str) -> list[Plan]:
    """The final order of bookings, dropping any (with its reversal) that would take the bank below zero."""
    order = sorted(range(len(plans)), key=lambda i: (plans[i].day, plans[i].kind == "reversal", i))
    balance, kept, dropped = 0, [], set()
    dropped_plans: set[int] = set()
    for index in order:
        plan = plans[index]
        if (plan.reverses is not None and plan.reverses in dropped) or (
            plan.after is not None and id(plan.after) in dropped_plans
        ):
            dropped.add(index)
            dropped_plans.add(id(plan))
            continue
        change = sum(amount for key, amount in plan.legs if key == bank)
        if balance + change < 0:
            dropped.add(index)
            dropped_plans.add(id(plan))
            continue
        balance += change
        kept.append(index)
    position = {old: new for new, old in enumerate(kept)}
    result = []
    for old in kept:
        plan = plans[old]
        if plan.reverses is not None:
            plan.reverses = position[plan.reverses]
        result.append(plan)
    return result


def _write(
    fund: Fund,
    ledger: Ledger,
    plans: list[Plan],
    treasurers: list[User],
    rng: random.Random,
    *,
    budget_lines: dict[tuple[int, str], BudgetLine],
) -> dict[int, tuple[Transaction, PaymentRequest | None]]:
    """Write the planned bookings; returns, by id() of each plan, its transaction and payment request."""

    def row(plan: Plan, reverses: Transaction | None = None) -> Transaction:
        return Transaction(
            fund=fund,
            kind=plan.kind,
            booked_on=plan.day,
            description=plan.description,
            reverses=reverses,
            created_by=treasurers[1],
            created_at=_moment(plan.day, 11),
            budget_line=budget_lines.get((plan.day.year, plan.budget)) if plan.budget else None,
        )

    # Two bulk inserts: first the bookings, then the reversals that point at them.
    originals = dict(
        zip(
            [i for i, plan in enumerate(plans) if plan.reverses is None],
            Transaction.objects.bulk_create([row(plan) for plan in plans if plan.reverses is None]),
            strict=True,
        )
    )
    reversal_plans = [(i, plan) for i, plan in enumerate(plans) if plan.reverses is not None]
    reversals = Transaction.objects.bulk_create(
        [row(plan, reverses=originals[plan.reverses]) for _i, plan in reversal_plans]  # type: ignore[index]
    )
    booked_by_plan = {**originals, **{i: booked for (i, _plan), booked in zip(reversal_plans, reversals, strict=True)}}
    rows = [booked_by_plan[i] for i in range(len(plans))]
    totals: dict[str, int] = defaultdict(int)
    entries = []
    for booked, plan in zip(rows, plans, strict=True):
        for key, amount in plan.legs:
            entries.append(Entry(transaction=booked, account=ledger.accounts[key], amount=amount))
            totals[key] += amount
    Entry.objects.bulk_create(entries)
    for key, total in totals.items():
        Account.objects.filter(pk=ledger.accounts[key].pk).update(balance=total)

    requester, approvers = treasurers[0], treasurers[1:]
    payments, events = [], []
    for booked, plan in zip(rows, plans, strict=True):
        if plan.payment is None:
            continue
        amount = plan.payment["amount"]
        payments.append(
            PaymentRequest(
                fund=fund,
                amount=amount,
                description=plan.description,
                project=plan.payment["project"],
                organisation=plan.payment["organisation"],
                payee_name=plan.payment.get("payee_name", ""),
                buurt=plan.payment["buurt"],
                status=PaymentRequest.Status.BOOKED,
                requested_by=requester,
                requested_at=_moment(plan.day - dt.timedelta(days=rng.randint(1, 6)), 9),
                decided_at=_moment(plan.day, 11),
                approvals_required=fund.approvals_needed(amount),
                transaction=booked,
                commitment=ledger.accounts[plan.payment["commitment"]] if "commitment" in plan.payment else None,
                budget_line=booked.budget_line,
            )
        )
    payments = PaymentRequest.objects.bulk_create(payments)
    payment_of = {payment.transaction_id: payment for payment in payments}
    approvals = []
    for payment in payments:
        for approver in approvers[: payment.approvals_required]:
            approvals.append(
                Approval(payment=payment, approver=approver, created_at=payment.decided_at or timezone.now())
            )
        events.append(
            AuditEvent(
                fund=fund,
                payment=payment,
                actor=requester,
                action="payment_requested",
                created_at=payment.requested_at,
                details={"amount": payment.amount},
            )
        )
        events.append(
            AuditEvent(
                fund=fund,
                payment=payment,
                transaction=payment.transaction,
                actor=approvers[0],
                action="payment_booked",
                created_at=payment.decided_at or timezone.now(),
                details={"amount": payment.amount},
            )
        )
    Approval.objects.bulk_create(approvals)
    for booked, plan in zip(rows, plans, strict=True):
        if plan.kind == "income":
            events.append(
                AuditEvent(
                    fund=fund,
                    transaction=booked,
                    actor=treasurers[1],
                    action="income_recorded",
                    created_at=_moment(plan.day, 11),
                )
            )
        elif plan.kind == "reversal":
            events.append(
                AuditEvent(
                    fund=fund,
                    transaction=booked,
                    actor=treasurers[1],
                    action="transaction_reversed",
                    created_at=_moment(plan.day, 11),
                    details={"reason": "Per ongeluk dubbel geboekt."},
                )
            )
    AuditEvent.objects.bulk_create(events)
    return {id(plan): (booked, payment_of.get(booked.pk)) for booked, plan in zip(rows, plans, strict=True)}


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
