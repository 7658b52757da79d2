"""Realistic Dutch demo content for trying the platform: organisations in every wijk, members of both kinds,
pending applications, editors and board accounts. Deterministic and idempotent: a second run changes nothing."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from stdnum import iban as stdnum_iban

from samen030.accounts.models import User
from samen030.activities.demo import create_demo_activities
from samen030.budgeting.demo import create_demo_burgerbegrotingen
from samen030.funds.demo import create_demo_funds
from samen030.knowledge.demo import create_demo_knowledge
from samen030.memberships.models import Application, ApplicationEvent, Membership, MembershipType
from samen030.organisations.models import Editor, Organisation
from samen030.places.models import Buurt, Postcode, Wijk
from samen030.places.services import load_indeling

DEMO_PASSWORD = "samen030-demo"  # noqa: S105 (demo accounts only; the command refuses to run with DEBUG off)
DNS_LABEL_MAX = 63  # RFC 1035: at most 63 characters between two dots


def demo_domain(slug: str) -> str:
    """A web domain for a demo organisation; a label over 63 characters would make its email address invalid."""
    return f"{slug[:DNS_LABEL_MAX].strip('-')}.example.nl"


DEMO_ACCOUNTS = [
    ("admin@samen030.test", "Ada (platformbeheer)", {"is_staff": True, "is_superuser": True}),
    ("bestuur@samen030.test", "Bas (bestuur)", {"is_board": True}),
    ("bestuur2@samen030.test", "Fatima (bestuur)", {"is_board": True}),
    ("redacteur@samen030.test", "Ricardo (redacteur)", {}),
    ("bewoner@samen030.test", "Bea (bewoner)", {}),
]

STREETS = [
    "Kanaalstraat",
    "Damstraat",
    "Amsterdamsestraatweg",
    "Burgemeester Reigerstraat",
    "Biltstraat",
    "Twijnstraat",
    "Vleutenseweg",
    "Marnixlaan",
    "Zamenhofdreef",
    "Kanaleneiland-Zuid",
    "Columbuslaan",
    "Oudegracht",
    "Nachtegaalstraat",
    "Adelaarstraat",
    "Europalaan",
    "Rijnlaan",
    "Verlengde Hoogravenseweg",
    "Lessinglaan",
    "Vleutenseweg",
    "Mereveldplein",
    "Groenewoud",
    "Nicolaasweg",
    "Prinses Margrietstraat",
    "Loevenhoutsedijk",
]

KINDS: dict[str, dict[str, Any]] = {
    "bewoners": {
        "names": [
            "Bewonersvereniging {buurt}",
            "Buurtinitiatief Groen {buurt}",
            "Speeltuinvereniging {buurt}",
            "Moestuin {buurt}",
            "Taalcafé {buurt}",
            "Buurtkeuken {buurt}",
            "Repair Café {buurt}",
            "Bewonerscommissie {buurt}",
            "Buurtpreventie {buurt}",
            "Samen Koken {buurt}",
        ],
        "texts": [
            "Bewoners van {buurt} maken samen de buurt groener, veiliger en gezelliger.",
            "Elke week koken vrijwilligers een maaltijd voor buren. Iedereen schuift aan, ook als je weinig te besteden hebt.",
            "We repareren samen kapotte spullen: lampen, kleding, fietsen. Zo leren we van elkaar en gooien we minder weg.",
            "Wie Nederlands wil oefenen, is welkom aan onze tafel. Vrijwilligers uit de buurt praten met je over alledaagse dingen.",
        ],
        "forms": ["vereniging", "stichting", "informeel"],
    },
    "ondernemer": {
        "names": [
            "Fietsenmaker {street}",
            "Buurtkapper {buurt}",
            "Bakkerij {street}",
            "Koffiebar De Hoek {buurt}",
            "Kringloop {buurt}",
            "Naaiatelier {street}",
        ],
        "texts": [
            "Een ondernemer uit {buurt} die werkt met mensen uit de buurt en een deel van de winst terug laat vloeien naar buurtactiviteiten.",
            "Onze zaak is een ontmoetingsplek. We bieden werkervaringsplekken aan buurtbewoners.",
        ],
        "forms": ["eenmanszaak", "bv", "vof"],
    },
    "buurtorganisatie": {
        "names": [
            "Buurthuis {buurt}",
            "Stichting Buurtwerk {wijk}",
            "Wijkcentrum {wijk}",
            "Buurtbibliotheek {buurt}",
            "Huiskamer van {buurt}",
            "Jongerenwerk {buurt}",
        ],
        "texts": [
            "Het buurthuis is open voor iedereen uit {buurt}: voor koffie, een cursus, of om zelf iets te organiseren.",
            "Wij ondersteunen bewoners die iets willen betekenen voor hun buurt, met ruimte, advies en een klein budget.",
        ],
        "forms": ["stichting", "vereniging", "cooperatie"],
    },
}
NETWORKS = [
    (
        "Utrechts Netwerk Voedselhulp",
        "Voedselbanken, buurtkeukens en uitdeelpunten in heel Utrecht delen kennis en voorraad.",
    ),
    (
        "Stadsnetwerk Groene Buurten",
        "Bewonersgroepen die geveltuinen, groene speelplekken en buurtmoestuinen maken, leren van elkaar.",
    ),
    (
        "Netwerk Taalmaatjes Utrecht",
        "Taalcafés en taalmaatjes uit alle wijken werken samen aan scholing van vrijwilligers.",
    ),
    (
        "Energiecoöperaties Utrecht",
        "Energiecoöperaties van bewoners wekken samen duurzame energie op en helpen buren met isoleren.",
    ),
    (
        "Netwerk Mantelzorg in de Buurt",
        "Initiatieven die mantelzorgers in hun buurt ontlasten, delen aanpakken en vrijwilligers.",
    ),
    (
        "Utrechtse Buurtcoöperaties",
        "Buurt- en wijkcoöperaties in oprichting en in bedrijf helpen elkaar met statuten, boekhouding en diensten.",
    ),
]
PARTNERS = [
    ("Welzijn {wijk}", "Welzijnswerk in wijk {wijk}: sociaal makelaars die bewonersinitiatieven ondersteunen."),
    ("Buurtteam {wijk}", "Het buurtteam helpt bewoners met vragen over zorg, geld en opvoeden."),
]


def rsin(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)


def iban(rng: random.Random) -> str:
    bank = rng.choice(["INGB", "RABO", "ABNA", "TRIO", "ASNB", "SNSB"])
    account = "".join(str(rng.randint(0, 9)) for _ in range(10))
    return f"NL{stdnum_iban.calc_check_digits(f'NL00{bank}{account}')}{bank}{account}"


class Command(BaseCommand):
    help = "Create demo organisations, members, applications and accounts (development only; safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisations", type=int, default=180, help="how many neighbourhood organisations")
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off (never in production)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("load_demo creates accounts with a known password; run it only with DEBUG=true.")
        if not Buurt.objects.exists():
            load_indeling()
        with transaction.atomic():
            accounts = self.create_accounts()
            created = self.create_organisations(options["organisations"], accounts)
        self.stdout.write(f"Demo data: {created} organisations created ({Organisation.objects.count()} in total).")
        self.stdout.write(f"Demo data: {create_demo_activities()} activities and services created.")
        create_demo_funds(self.stdout)
        create_demo_burgerbegrotingen(self.stdout)
        create_demo_knowledge(self.stdout)
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for email, name, _flags in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:28} {name}")

    def create_accounts(self) -> dict[str, User]:
        accounts = {}
        for email, name, flags in DEMO_ACCOUNTS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email=email, password=DEMO_PASSWORD, name=name, **flags)
                EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            accounts[email] = user
        return accounts

    def create_organisations(self, count: int, accounts: dict[str, User]) -> int:
        rng = random.Random(3030)  # noqa: S311 (demo content, not security) fixed seed: the same demo every time, so a second run finds everything present
        buurten = list(Buurt.objects.select_related("wijk").order_by("code"))
        wijken = list(Wijk.objects.order_by("code"))
        today = timezone.localdate()
        board = accounts["bestuur@samen030.test"]
        plans: list[dict[str, Any]] = []
        names: set[str] = set()
        for index in range(count):
            buurt = buurten[index % len(buurten)]
            kind = rng.choices(list(KINDS), weights=[6, 2, 3])[0]
            spec = KINDS[kind]
            street = rng.choice(STREETS)
            name = rng.choice(spec["names"]).format(buurt=buurt.name, wijk=buurt.wijk.name, street=street)
            if name in names:
                name = f"{name} ({street})"
            names.add(name)
            text = " ".join(rng.sample(spec["texts"], k=min(2, len(spec["texts"])))).format(buurt=buurt.name)
            plans.append(
                {
                    "name": name,
                    "kind": kind,
                    "text": text,
                    "buurt": buurt,
                    "street": street,
                    "legal_form": rng.choice(spec["forms"]),
                }
            )
        for name, text in NETWORKS:
            plans.append({"name": name, "kind": "netwerk", "text": text, "citywide": True, "legal_form": "vereniging"})
        for wijk in wijken:
            template_name, template_text = PARTNERS[wijken.index(wijk) % len(PARTNERS)]
            plans.append(
                {
                    "name": template_name.format(wijk=wijk.name),
                    "kind": "partner",
                    "text": template_text.format(wijk=wijk.name),
                    "wijk": wijk,
                    "legal_form": "stichting",
                }
            )

        created = 0
        seen_slugs: set[str] = set()
        for number, plan in enumerate(plans):
            slug = Organisation.slug_for(plan["name"], taken=seen_slugs)
            seen_slugs.add(slug)
            if Organisation.objects.filter(slug=slug).exists():
                continue
            created += 1
            self.create_one(rng, plan, slug=slug, number=number, today=today, board=board, accounts=accounts)
        return created

    def create_one(
        self,
        rng: random.Random,
        plan: dict[str, Any],
        *,
        slug: str,
        number: int,
        today: dt.date,
        board: User,
        accounts: dict[str, User],
    ) -> None:
        buurt: Buurt | None = plan.get("buurt")
        postcode = ""
        if buurt is not None:
            postcode = f"{3500 + number % 85}{chr(65 + number % 26)}{chr(65 + (number // 26) % 26)}"
            if postcode[4:] in {"SA", "SD", "SS"}:
                postcode = postcode[:4] + "AB"
            Postcode.objects.get_or_create(pc6=postcode, defaults={"buurt": buurt})
        has_entity = plan["legal_form"] != "informeel"
        domain = demo_domain(slug)
        organisation = Organisation.objects.create(
            slug=slug,
            name=plan["name"],
            kind=plan["kind"],
            description=plan["text"],
            website=f"https://{domain}" if rng.random() < 0.6 else "",
            email=f"info@{domain}",
            phone=f"030 {rng.randint(200, 799)} {rng.randint(1000, 9999)}",
            legal_form=plan["legal_form"],
            kvk_number=f"{rng.randint(10_000_000, 99_999_999)}" if has_entity else "",
            rsin=rsin(rng) if has_entity and rng.random() < 0.7 else "",
            iban=iban(rng) if rng.random() < 0.8 else "",
            street=plan.get("street", rng.choice(STREETS)) if buurt else "",
            house_number=str(rng.randint(1, 240)) if buurt else "",
            postcode=postcode,
            visiting_buurt=buurt,
            citywide=plan.get("citywide", False),
            is_published=True,
        )
        if buurt is not None:
            neighbours = [b for b in Buurt.objects.filter(wijk_id=buurt.wijk_id) if b.pk != buurt.pk]
            organisation.buurten.set([buurt, *rng.sample(neighbours, k=min(len(neighbours), rng.randint(0, 2)))])
        if plan.get("wijk") is not None:
            organisation.wijken.set([plan["wijk"]])

        editor = accounts["redacteur@samen030.test"] if number in (0, 3) else self.demo_editor(organisation)
        Editor.objects.get_or_create(organisation=organisation, user=editor)

        roll = rng.random()
        if number == 3 or roll >= 0.90:  # pending applications, some waiting for more information
            organisation.is_published = False
            organisation.save(update_fields=["is_published"])
            application = self.application(organisation, editor, rng, today - dt.timedelta(days=rng.randint(1, 20)))
            ApplicationEvent.objects.create(
                application=application, action="submitted", actor=editor, created_at=application.submitted_at
            )
            if rng.random() < 0.3:
                application.status = Application.Status.INFO_REQUESTED
                application.save(update_fields=["status"])
                ApplicationEvent.objects.create(
                    application=application,
                    action="info_requested",
                    actor=board,
                    note="Kunt u iets meer vertellen over hoe bewoners meebeslissen?",
                )
            return
        membership_type = (
            MembershipType.STEMLID if roll < 0.62 and plan["kind"] != "partner" else MembershipType.STEUNLID
        )
        submitted = today - dt.timedelta(days=rng.randint(40, 900))
        application = self.application(organisation, editor, rng, submitted, membership_type)
        start = submitted + dt.timedelta(days=rng.randint(7, 30))
        application.status, application.decided_by = Application.Status.ADMITTED, board
        application.decided_at = timezone.make_aware(dt.datetime.combine(start, dt.time(10)))
        application.save(update_fields=["status", "decided_by", "decided_at"])
        for action, when in (("submitted", application.submitted_at), ("admitted", application.decided_at)):
            ApplicationEvent.objects.create(
                application=application,
                action=action,
                actor=editor if action == "submitted" else board,
                created_at=when,
            )
        if rng.random() < 0.05 and start < today - dt.timedelta(days=200):
            # A former supporting member: the history shows the earlier period, then the current one.
            Membership.objects.create(
                organisation=organisation,
                type=MembershipType.STEUNLID,
                start_date=start,
                end_date=start + dt.timedelta(days=120),
                end_reason="Overgestapt naar stemlid.",
            )
            start = start + dt.timedelta(days=120)
            membership_type = MembershipType.STEMLID
            Membership.objects.create(organisation=organisation, type=membership_type, start_date=start)
        else:
            Membership.objects.create(
                organisation=organisation, type=membership_type, start_date=start, application=application
            )

    def application(
        self, organisation: Organisation, editor: User, rng: random.Random, day: dt.date, requested: str | None = None
    ) -> Application:
        return Application.objects.create(
            organisation=organisation,
            requested_type=requested or rng.choice(MembershipType.values),
            criterion_located="Wij zijn gevestigd in Utrecht en werken in de buurten die op onze pagina staan.",
            criterion_residents="Ongeveer twintig vrijwilligers uit de buurt doen mee; nieuwe mensen zijn altijd welkom.",
            criterion_governance="De actieve bewoners beslissen samen in een open overleg, elke maand.",
            criterion_transparency="We delen onze plannen en cijfers op onze website en in de buurtkrant. Iedereen doet mee.",
            criterion_commercial="We verkopen niets, of alleen tegen kostprijs om de activiteiten te betalen.",
            submitted_by=editor,
            submitted_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))),
        )

    def demo_editor(self, organisation: Organisation) -> User:
        email = f"redactie+{organisation.slug}@samen030.test"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None, name=f"Redactie {organisation.name}")
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user
