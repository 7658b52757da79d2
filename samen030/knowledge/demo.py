"""Demo library: a few hundred items over every kind, each with a real small file made on the spot (PDF, DOCX, ODT,
XLSX or PNG), shared by demo member organisations, with funding deadlines, questions and "we used this" stories.

Deterministic (one seeded generator) and idempotent (nothing happens when the library already has items). Files go
through the same checks and text extraction as uploads, so search finds the words inside them.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from samen030.accounts.models import User
from samen030.activities.models import Theme
from samen030.memberships.queries import member_organisations
from samen030.places.models import Buurt, Wijk

from . import samples, services
from .files import CheckedFile, check_bytes
from .models import Deadline, Item, Question, Usage

DEMO_COUNT = 320
SUBJECTS = [
    ("Buurtkeuken", "eten", "Eens per week koken buren samen een maaltijd voor wie wil aanschuiven."),
    ("Repair Café", "groen-en-duurzaamheid", "Vrijwilligers repareren kapotte spullen samen met de eigenaar."),
    ("Taalcafé", "taal", "Nieuwkomers oefenen Nederlands in gesprek met buren."),
    ("Klussendienst", "wonen", "Buurtbewoners helpen ouderen met kleine klussen in huis."),
    ("Geveltuinen", "groen-en-duurzaamheid", "Bewoners maken samen geveltuinen en vergroenen de straat."),
    ("Buurtconciërge", "veiligheid", "Een vast aanspreekpunt in de buurt dat kleine problemen oplost."),
    ("Digicafé", "digitale-vaardigheden", "Hulp bij de computer, de telefoon en DigiD."),
    ("Energiecoaches", "groen-en-duurzaamheid", "Getrainde buren geven advies over energie besparen."),
    ("Speeltuinbeheer", "jeugd", "Ouders en kinderen beheren samen de speeltuin."),
    ("Ouderenvervoer", "ouderen", "Vrijwillige chauffeurs brengen ouderen naar de dokter en de markt."),
    ("Schuldhulp-maatjes", "geldzaken", "Maatjes helpen buren hun administratie op orde te krijgen."),
    ("Buurtsportcoach", "sport-en-bewegen", "Wekelijks samen bewegen in het park."),
    ("Cultuurpodium", "cultuur", "Buurtbewoners programmeren zelf voorstellingen in het buurthuis."),
    ("Werkplaats", "werk-en-inkomen", "Een plek waar buren met afstand tot werk ervaring opdoen."),
    ("Buurtmaaltijd", "ontmoeting", "Een maandelijkse maaltijd om buren te leren kennen."),
    ("Mantelzorgpunt", "zorg-en-welzijn", "Mantelzorgers uit de buurt ondersteunen elkaar."),
]
KIND_WORDS = {
    Item.Kind.IDEA: ("Idee", "Een idee voor een pilot: {text}"),
    Item.Kind.PROJECT_PLAN: ("Projectplan", "Het projectplan beschrijft doel, aanpak, begroting en planning. {text}"),
    Item.Kind.STATUTES: ("Statuten", "Statuten en huishoudelijk reglement van een buurtcoöperatie rond {subject}."),
    Item.Kind.FUNDING: ("Subsidie", "Geld voor initiatieven zoals {subject}. {text}"),
    Item.Kind.EVALUATION: ("Evaluatie", "Wat we leerden van een jaar {subject}: wat werkte en wat niet. {text}"),
    Item.Kind.IMAGES: ("Beeld", "Foto's van {subject} in de buurt."),
}
FUNDERS = [
    ("Initiatievenfonds Utrecht", 500, 10000, "Bewoners en bewonersgroepen in Utrecht"),
    ("Oranje Fonds", 2500, 25000, "Stichtingen en verenigingen"),
    ("Fonds 1818", 1000, 15000, "Organisaties zonder winstoogmerk"),
    ("Stimuleringsfonds Volkshuisvesting", 5000, 50000, "Wooncoöperaties en bewonersinitiatieven"),
    ("Energiefonds Utrecht", 10000, 250000, "Energiecoöperaties (lening)"),
    ("Provincie Utrecht", 2000, 20000, "Maatschappelijke organisaties"),
]
FILE_MAKERS = ["pdf", "docx", "odt", "xlsx", "pdf", "docx"]


def make_file(kind: str, choice: str, subject: str, text: str) -> CheckedFile:
    """A real file about the subject, checked and extracted like an upload (made once per subject and type)."""
    if kind == Item.Kind.IMAGES:
        colour = (40 + 9 * len(subject) % 160, 90, 120)
        return check_bytes(samples.png(320, 200, colour), name="foto.png")
    content = f"{subject}. {text}"
    if choice == "pdf":
        return check_bytes(samples.pdf(content), name="document.pdf")
    if choice == "docx":
        return check_bytes(samples.docx(content), name="document.docx")
    if choice == "odt":
        return check_bytes(samples.odt(content), name="document.odt")
    return check_bytes(samples.xlsx(content), name="begroting.xlsx")


def create_demo_knowledge(out: TextIO | Any, *, count: int = DEMO_COUNT, seed: int = 3032) -> int:
    if Item.objects.exists():
        out.write("Demo data: the knowledge library already has items; nothing added.\n")
        return 0
    rng = random.Random(seed)  # noqa: S311 (demo content, not security)
    organisations = list(member_organisations().prefetch_related("editors__user")[:60])
    authors = [(org, editor.user) for org in organisations for editor in org.editors.all()]
    if not authors:
        out.write("Demo data: no member organisations with editors, so no library items.\n")
        return 0
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    wijken = list(Wijk.objects.all())
    buurten = list(Buurt.objects.all())
    readers = list(User.objects.filter(is_active=True)[:40])
    kinds = list(Item.Kind)
    today = timezone.localdate()
    created = 0
    files: dict[tuple[str, str, str], CheckedFile] = {}
    with transaction.atomic():
        for number in range(count):
            kind = kinds[number % len(kinds)]
            subject, theme_slug, text = SUBJECTS[rng.randrange(len(SUBJECTS))]
            organisation, author = authors[rng.randrange(len(authors))]
            word, template = KIND_WORDS[kind]
            buurt = rng.choice(buurten)
            title = f"{word}: {subject} in {buurt.name}"
            item = Item.objects.create(
                slug=Item.unique_slug(title),
                kind=kind,
                title=title[:140],
                summary=template.format(subject=subject.lower(), text=text)[:300],
                body=f"{text}\n\n- Wie: bewoners en organisaties uit {buurt.name}\n- Hoe: samen, stap voor stap\n",
                licence=rng.choice(list(Item.Licence)),
                audience=Item.Audience.MEMBERS if rng.random() < 0.15 else Item.Audience.PUBLIC,
                author=author,
                created_at=timezone.now() - dt.timedelta(days=rng.randrange(0, 3 * 365)),
            )
            item.themes.set([themes[theme_slug], *rng.sample(list(themes.values()), k=rng.randrange(0, 2))])
            item.organisations.set([organisation])
            if rng.random() < 0.5:
                item.buurten.set([buurt])
            else:
                item.wijken.set([buurt.wijk if buurt.wijk in wijken else rng.choice(wijken)])
            if kind == Item.Kind.FUNDING:
                funder, low, high, who = FUNDERS[rng.randrange(len(FUNDERS))]
                item.funder, item.amount_min, item.amount_max, item.eligibility = funder, low, high, who
                item.link = "https://www.example.org/regeling"
                item.funding_status = rng.choice(list(Item.FundingStatus))
                item.save()
                for round_number in range(rng.randrange(1, 3)):
                    Deadline.objects.create(
                        item=item,
                        date=today + dt.timedelta(days=rng.randrange(5, 240)),
                        label=f"ronde {round_number + 1}",
                    )
            choice = "png" if kind == Item.Kind.IMAGES else rng.choice(FILE_MAKERS)
            key = (kind if choice == "png" else "", choice, subject)
            if key not in files:
                files[key] = make_file(kind, choice, subject, text)
            alt = f"{subject} in {buurt.name}" if kind == Item.Kind.IMAGES else ""
            services.add_file(item=item, checked=files[key], alt_text=alt, by=author)  # also indexes the item
            if readers and rng.random() < 0.25:
                asker = rng.choice(readers)
                question = Question.objects.create(
                    item=item, author=asker, text=f"Hoe begonnen jullie met {subject.lower()}?"
                )
                question.answers.create(author=author, text="Met een kleine groep buren en een proef van drie maanden.")
            if readers and rng.random() < 0.2:
                Usage.objects.get_or_create(
                    item=item, user=rng.choice(readers), defaults={"story": "We hebben dit in onze buurt geprobeerd."}
                )
            created += 1
    out.write(f"Demo data: {created} library items with files created.\n")
    return created
