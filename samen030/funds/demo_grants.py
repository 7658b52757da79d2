"""Demo grants for the demo funds: a year of applications decided by a committee of residents, grant agreements
paid in tranches, accountability reports with spending lines at local suppliers, and settling; plus a budget.

The ledger bookings are planned together with the fund's other bookings (`demo.py`), so they are dated across the
year and the ledger stays sound; the other records are written directly, with the same dates.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from samen030.accounts.models import User
from samen030.organisations.models import Organisation
from samen030.places.models import Buurt, Postcode

from .models import (
    AuditEvent,
    BudgetLine,
    CommitteeMember,
    ConflictOfInterest,
    Fund,
    GrantApplication,
    GrantBudgetLine,
    GrantVote,
    PaymentRequest,
    Receipt,
    SpendingLine,
    SupportStatement,
    Tranche,
    Transaction,
)

if TYPE_CHECKING:
    from .demo import Ledger, Plan

# (title, plan, what happens to it)
GRANTS = [
    (
        "Moestuin op het plein",
        "Bewoners leggen samen een moestuin aan op het plein en oogsten met de kinderen.",
        "settled",
    ),
    ("Kinderkookclub", "Elke woensdag koken kinderen uit de buurt samen een gezonde maaltijd.", "reported"),
    ("Buurtbioscoop", "Vier filmavonden in de zomer op het grasveld, gratis voor iedereen.", "agreed"),
    ("Muurschildering", "Een grote schildering op de blinde muur van de flat.", "rejected"),
    ("Zomerfeest", "Een straatfeest met muziek, spelletjes en eten uit de hele wereld.", "open"),
]
SUPPLIERS = [
    ("Bouwmarkt", "Hout en aarde"),
    ("Bakkerij", "Brood en koekjes"),
    ("Groenteman", "Groente en fruit"),
    ("Drukkerij", "Flyers en posters"),
]
BUDGET = [
    ("Wijkbudget gemeente", "inkomsten", "gemeente", 6_000_000),
    ("Bijdragen van fondsen", "inkomsten", "fondsen", 800_000),
    ("Contributies", "inkomsten", "contributie", 200_000),
    ("Toezeggingen", "inkomsten", "toezeggingen", 200_000),
    ("Bewonersinitiatieven", "uitgaven", "", 2_000_000),
    ("Buurtactiviteiten", "uitgaven", "", 3_000_000),
]
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@dataclass
class GrantPlan:
    title: str
    plan_text: str
    fate: str
    amount: int
    submitted: dt.date
    buurt: Buurt | None
    organisation: Organisation | None
    project: str = ""
    commitment_key: str = ""
    commitment: Plan | None = None
    tranches: list[tuple[int, Plan | None]] = field(default_factory=list)
    refund: Plan | None = None
    spending: list[dict[str, Any]] = field(default_factory=list)

    @property
    def plans(self) -> list[Plan]:
        found = [self.commitment, *(plan for _amount, plan in self.tranches), self.refund]
        return [plan for plan in found if plan is not None]


def plan_grants(
    rng: random.Random,
    *,
    ledger: Ledger,
    buurten: list[Buurt],
    organisations: list[Organisation],
    start: dt.date,
    today: dt.date,
) -> list[GrantPlan]:
    from .demo import Plan

    bank = ledger.key("bank")
    result = []
    for number, (title, text, fate) in enumerate(GRANTS):
        amount = rng.randrange(60_000, 400_000, 5_000)
        submitted = start + dt.timedelta(days=60 + number * 45) if fate != "open" else today - dt.timedelta(days=6)
        grant = GrantPlan(
            title=title,
            plan_text=text,
            fate=fate,
            amount=amount,
            submitted=submitted,
            buurt=rng.choice(buurten) if buurten else None,
            organisation=rng.choice(organisations) if organisations and rng.random() < 0.6 else None,
        )
        result.append(grant)
        if fate in ("rejected", "open"):
            continue
        grant.project = f"{title} (demo {number + 1})"
        grant.commitment_key = ledger.key("commitment", project=grant.project, buurt=grant.buurt)
        agreed = submitted + dt.timedelta(days=25)
        grant.commitment = Plan(
            agreed,
            "commitment",
            f"Subsidieovereenkomst: {title}",
            [(grant.commitment_key, amount), (bank, -amount)],
        )
        payout = ledger.key("payout", project=grant.project, organisation=grant.organisation, buurt=grant.buurt)
        first = amount * 7 // 10
        parts = [first, amount - first] if fate != "reported" else [amount]
        for index, part in enumerate(parts):
            paid = agreed + dt.timedelta(days=5 + 40 * index)
            if fate == "agreed" and index == 1:
                grant.tranches.append((part, None))  # the second tranche is not paid yet
                continue
            payment = {
                "project": grant.project,
                "organisation": grant.organisation,
                "buurt": grant.buurt,
                "amount": part,
                "commitment": grant.commitment_key,
            }
            if grant.organisation is None:
                payment["payee_name"] = "A. Bewoner"
            plan = Plan(
                paid,
                "payout",
                f"Subsidie {title}, termijn {index + 1}",
                [(payout, part), (grant.commitment_key, -part)],
                payment=payment,
                after=grant.commitment,
                budget="Bewonersinitiatieven",
            )
            grant.tranches.append((part, plan))
        if fate in ("settled", "reported"):
            grant.spending = _spending(rng, grant, agreed, buurten)
        if fate == "settled":
            unspent = amount - sum(line["amount"] for line in grant.spending)
            if unspent > 0:
                grant.refund = Plan(
                    agreed + dt.timedelta(days=100),
                    "other",
                    f"Niet uitgegeven geld terugbetaald: {title}",
                    [(bank, unspent), (payout, -unspent)],
                    after=grant.tranches[-1][1],
                    budget="Bewonersinitiatieven",
                )
    return result


def _spending(rng: random.Random, grant: GrantPlan, agreed: dt.date, buurten: list[Buurt]) -> list[dict[str, Any]]:
    """About 90% of the grant spent: mostly at suppliers in the wijk, one outside Utrecht, and allowances."""
    budget = grant.amount * 9 // 10
    shares = [0.35, 0.25, 0.15, 0.25]
    lines: list[dict[str, Any]] = []
    for index, (kind_name, what) in enumerate(rng.sample(SUPPLIERS, k=2)):
        buurt = rng.choice(buurten) if buurten else None
        lines.append(
            {
                "kind": SpendingLine.Kind.SUPPLIER,
                "description": what,
                "supplier": f"{kind_name} {buurt.name if buurt else 'Utrecht'}",
                "amount": int(budget * shares[index]),
                "buurt": buurt,
                "local": True,
                "day": agreed + dt.timedelta(days=10 + index * 7),
            }
        )
    lines.append(
        {
            "kind": SpendingLine.Kind.SUPPLIER,
            "description": "Materiaal via een webwinkel",
            "supplier": "Webwinkel Amsterdam",
            "amount": int(budget * shares[2]),
            "buurt": None,
            "local": False,
            "day": agreed + dt.timedelta(days=30),
        }
    )
    lines.append(
        {
            "kind": SpendingLine.Kind.ALLOWANCE,
            "description": "Vrijwilligersvergoedingen",
            "supplier": "",
            "amount": budget - sum(line["amount"] for line in lines),
            "buurt": None,
            "local": True,
            "day": agreed + dt.timedelta(days=60),
        }
    )
    return lines


def create_budget(fund: Fund, years: set[int]) -> dict[tuple[int, str], BudgetLine]:
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(fund=fund, year=year, name=name, kind=kind, source=source, planned=planned)
        for year in sorted(years)
        for name, kind, source, planned in BUDGET
    )
    return {(line.year, line.name): line for line in lines}


def _person(email: str, name: str) -> User:
    from samen030.core.management.commands.load_demo import DEMO_PASSWORD

    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, name=name)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def write_grants(  # noqa: PLR0917 (one call from demo.py, all needed)
    fund: Fund,
    ledger: Ledger,
    grants: list[GrantPlan],
    booked: dict[int, tuple[Transaction, PaymentRequest | None]],
    treasurers: list[User],
    buurten: list[Buurt],
    rng: random.Random,
    today: dt.date,
) -> None:
    slug = slugify(fund.wijk.name if fund.wijk else fund.name)
    names = ["Fatima", "Kees", "Ilse"]
    members = [
        _person(f"commissie{number}-{slug}@samen030.test", f"{name} (commissie)")
        for number, name in enumerate(names, start=1)
    ]
    for member in members:
        if buurten:
            CommitteeMember.objects.create(
                fund=fund, user=member, buurt=rng.choice(buurten), added_at=_moment(today - dt.timedelta(days=380), 10)
            )
    applicant = _person(f"bewoner-{slug}@samen030.test", "Sam (bewoner)")
    events: list[AuditEvent] = []
    for grant in grants:
        _write_grant(
            fund,
            ledger=ledger,
            grant=grant,
            booked=booked,
            treasurers=treasurers,
            members=members,
            applicant=applicant,
            rng=rng,
            events=events,
        )
    AuditEvent.objects.bulk_create(events)


def _write_grant(
    fund: Fund,
    *,
    ledger: Ledger,
    grant: GrantPlan,
    booked: dict[int, tuple[Transaction, PaymentRequest | None]],
    treasurers: list[User],
    members: list[User],
    applicant: User,
    rng: random.Random,
    events: list[AuditEvent],
) -> None:
    agreed = grant.commitment is not None and id(grant.commitment) in booked
    fate = grant.fate
    if fate in ("settled", "reported", "agreed") and not agreed:
        fate = "approved"  # the fund had no room for the commitment on that day
    status = {
        "settled": GrantApplication.Status.SETTLED,
        "reported": GrantApplication.Status.REPORTED,
        "agreed": GrantApplication.Status.AGREED,
        "approved": GrantApplication.Status.APPROVED,
        "rejected": GrantApplication.Status.REJECTED,
        "open": GrantApplication.Status.SUBMITTED,
    }[fate]
    decided = grant.submitted + dt.timedelta(days=20)
    start = grant.submitted + dt.timedelta(days=30)
    application = GrantApplication.objects.create(
        fund=fund,
        title=grant.title,
        plan=grant.plan_text,
        buurt=grant.buurt,
        applicant=applicant,
        organisation=grant.organisation,
        starts_on=start,
        ends_on=start + dt.timedelta(days=60),
        amount_requested=grant.amount,
        own_contribution="Vrijwilligers uit de buurt doen het werk; de buurtwinkel geeft korting.",
        own_contribution_value=grant.amount // 4,
        status=status,
        submitted_at=_moment(grant.submitted, 14),
        decide_by=grant.submitted + dt.timedelta(weeks=fund.decision_weeks),
        decided_at=None if fate == "open" else _moment(decided, 20),
        decision_reasons=""
        if fate == "open"
        else (
            "Er is weinig steun in de buurt en de eigen bijdrage is klein."
            if fate == "rejected"
            else "Veel buren doen mee, het plan is goed uitgewerkt en de begroting klopt."
        ),
        amount_granted=None if fate in ("open", "rejected") else grant.amount,
        votes_for=1 if fate == "rejected" else (0 if fate == "open" else 2),
        votes_against=2 if fate == "rejected" else 0,
        support_for=rng.randint(12, 40),
        support_against=rng.randint(0, 3),
        support_neutral=rng.randint(0, 5),
        commitment=ledger.accounts[grant.commitment_key] if agreed else None,
        agreed_at=_moment(grant.submitted + dt.timedelta(days=25), 10) if agreed else None,
    )
    GrantBudgetLine.objects.bulk_create(
        [
            GrantBudgetLine(
                application=application, kind="uitgaven", description="Materiaal", amount=grant.amount * 6 // 10
            ),
            GrantBudgetLine(
                application=application,
                kind="uitgaven",
                description="Eten en drinken",
                amount=grant.amount - grant.amount * 6 // 10 + 20_000,
            ),
            GrantBudgetLine(application=application, kind="inkomsten", description="Bijdrage buren", amount=20_000),
        ]
    )
    if fate == "open":
        SupportStatement.objects.bulk_create(
            SupportStatement(application=application, name=name, stance=stance)
            for name, stance in [("Joke", "voor"), ("Ahmed", "voor"), ("Piet", "tegen"), ("Lina", "geen_mening")]
        )
        GrantVote.objects.create(application=application, member=members[0], in_favour=True)
        application.votes_for = 1
        application.save(update_fields=["votes_for"])
    else:
        if fate == "settled":
            ConflictOfInterest.objects.create(
                application=application,
                member=members[2],
                reason="Ik ben buurvrouw van de aanvrager.",
                declared_at=_moment(grant.submitted + dt.timedelta(days=2), 19),
            )
        votes = [True, True] if fate != "rejected" else [True, False, False]
        for member, vote in zip(members, votes, strict=False):
            GrantVote.objects.create(
                application=application, member=member, in_favour=vote, cast_at=_moment(decided, 19)
            )
    events.append(
        AuditEvent(
            fund=fund,
            application=application,
            actor=applicant,
            action=AuditEvent.Action.GRANT_SUBMITTED,
            created_at=_moment(grant.submitted, 14),
        )
    )
    if fate != "open":
        events.append(
            AuditEvent(
                fund=fund,
                application=application,
                actor=members[0],
                action=AuditEvent.Action.GRANT_DECIDED,
                created_at=_moment(decided, 20),
                details={"outcome": status if fate != "approved" else "toegekend"},
            )
        )
    if not agreed:
        return
    transaction, _payment = booked[id(grant.commitment)]
    events.append(
        AuditEvent(
            fund=fund,
            application=application,
            transaction=transaction,
            actor=treasurers[0],
            action=AuditEvent.Action.GRANT_AGREED,
            created_at=_moment(transaction.booked_on, 10),
        )
    )
    for number, (amount, plan) in enumerate(grant.tranches, start=1):
        payment = booked[id(plan)][1] if plan is not None and id(plan) in booked else None
        Tranche.objects.create(application=application, number=number, amount=amount, payment=payment)
    if fate in ("settled", "reported"):
        _write_report(application, grant, applicant=applicant, treasurer=treasurers[0], rng=rng, events=events)


def _write_report(
    application: GrantApplication,
    grant: GrantPlan,
    *,
    applicant: User,
    treasurer: User,
    rng: random.Random,
    events: list[AuditEvent],
) -> None:
    fund, fate = application.fund, grant.fate
    lines = []
    for item in grant.spending:
        supplier = item["kind"] == SpendingLine.Kind.SUPPLIER
        postcode = ""
        if supplier and item["buurt"] is not None:
            postcode = Postcode.objects.filter(buurt=item["buurt"]).values_list("pc6", flat=True).first() or ""
        local = item["local"]
        lines.append(
            SpendingLine(
                application=application,
                kind=item["kind"],
                description=item["description"],
                amount=item["amount"],
                spent_on=item["day"],
                supplier=item["supplier"],
                postcode=postcode if supplier and local else ("1012AB" if supplier else ""),
                buurt=item["buurt"],
                in_gemeente=supplier and local,
                lives_locally=not supplier and local,
                survey_token=secrets.token_urlsafe(32) if local else None,
                respent_locally=rng.choice([None, 35, 45, 60]) if local else None,
            )
        )
    SpendingLine.objects.bulk_create(lines)
    reported = grant.submitted + dt.timedelta(days=120)
    receipt = Receipt(
        application=application,
        original_name="bonnetjes.pdf",
        content_type="application/pdf",
        uploaded_by=applicant,
        uploaded_at=_moment(reported, 21),
    )
    receipt.file.save(f"demo-{application.pk}.pdf", ContentFile(PDF), save=False)
    receipt.save()
    application.report = "Het is gelukt: veel buren deden mee. Hieronder staat waaraan het geld is uitgegeven."
    application.reported_at = _moment(reported, 21)
    if fate == "settled":
        application.settled_at = _moment(grant.submitted + dt.timedelta(days=125), 10)
    application.save(update_fields=["report", "reported_at", "settled_at"])
    for action, day in ((AuditEvent.Action.REPORT_SUBMITTED, reported),) + (
        ((AuditEvent.Action.GRANT_SETTLED, grant.submitted + dt.timedelta(days=125)),) if fate == "settled" else ()
    ):
        events.append(
            AuditEvent(
                fund=fund,
                application=application,
                actor=applicant if action == AuditEvent.Action.REPORT_SUBMITTED else treasurer,
                action=action,
                created_at=_moment(day, 21),
            )
        )
