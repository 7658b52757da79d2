"""Demo content for the social map: a few thousand realistic Dutch activities and services in every buurt, offered
by the demo organisations. Deterministic (fixed seed, slugs numbered) and idempotent: a second run adds nothing.
Everything is written with bulk_create, so that `make run` stays quick."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from samen030.organisations.models import Organisation
from samen030.places.models import Buurt

from . import schedule
from .models import Activity, TargetGroup, Theme
from .search import index_activities

DEMO_COUNT = 3000

# (title, kind, themes, target groups, description, repeat, start hour, minutes, cost, joining)
TEMPLATES: list[tuple[str, str, list[str], list[str], str, str, int, int, str, str]] = [
    (
        "Koffieochtend",
        "activiteit",
        ["ontmoeting", "ouderen"],
        ["iedereen"],
        "Kom een kop koffie drinken en maak een praatje met je buren. Je hoeft niets mee te nemen.",
        "weekly",
        10,
        120,
        "bijdrage",
        "binnenlopen",
    ),
    (
        "Taalcafé",
        "activiteit",
        ["taal", "ontmoeting"],
        ["nieuwkomers", "volwassenen"],
        "Oefen Nederlands in een kleine groep. Vrijwilligers praten met je over alledaagse dingen.",
        "weekly",
        14,
        90,
        "gratis",
        "binnenlopen",
    ),
    (
        "Buurtmaaltijd",
        "activiteit",
        ["eten", "ontmoeting"],
        ["iedereen"],
        "Samen eten voor een klein bedrag. Vrijwilligers koken een gezonde maaltijd, **vegetarisch** en halal.",
        "biweekly",
        18,
        120,
        "prijs",
        "aanmelden",
    ),
    (
        "Formulierenhulp",
        "dienst",
        ["geldzaken"],
        ["volwassenen", "ouderen"],
        "Hulp bij brieven en formulieren van de gemeente, de Belastingdienst of je zorgverzekering. Neem je post mee.",
        "weekly",
        13,
        120,
        "gratis",
        "binnenlopen",
    ),
    (
        "Spreekuur Geldzaken",
        "dienst",
        ["geldzaken", "werk-en-inkomen"],
        ["volwassenen"],
        "Zorgen over geld? Een getrainde vrijwilliger kijkt met je mee naar je uitgaven, toeslagen en schulden.",
        "weekly",
        9,
        180,
        "gratis",
        "aanmelden",
    ),
    (
        "Repair Café",
        "activiteit",
        ["groen-en-duurzaamheid", "ontmoeting"],
        ["iedereen"],
        "Neem je kapotte lamp, broek of broodrooster mee. Samen met handige buren repareer je het.",
        "monthly",
        13,
        180,
        "bijdrage",
        "binnenlopen",
    ),
    (
        "Moestuinochtend",
        "activiteit",
        ["groen-en-duurzaamheid"],
        ["iedereen"],
        "Werk mee in de buurtmoestuin: zaaien, wieden en oogsten. Handschoenen liggen klaar.",
        "weekly",
        10,
        150,
        "gratis",
        "binnenlopen",
    ),
    (
        "Digicafé",
        "activiteit",
        ["digitale-vaardigheden"],
        ["ouderen", "volwassenen"],
        "Vragen over je telefoon, DigiD of internetbankieren? Neem je apparaat mee, vrijwilligers helpen je.",
        "weekly",
        10,
        120,
        "gratis",
        "binnenlopen",
    ),
    (
        "Huiswerkklas",
        "activiteit",
        ["jeugd"],
        ["kinderen", "jongeren"],
        "Rustig je huiswerk maken, met hulp van studenten uit de buurt. Er is fruit en limonade.",
        "weekly",
        15,
        120,
        "gratis",
        "aanmelden",
    ),
    (
        "Peuterochtend",
        "activiteit",
        ["gezin", "jeugd"],
        ["ouders", "kinderen"],
        "Spelen, zingen en koffie voor ouders met kinderen tot 4 jaar. Ouders leren elkaar kennen.",
        "weekly",
        9,
        90,
        "gratis",
        "binnenlopen",
    ),
    (
        "Wandelgroep",
        "activiteit",
        ["sport-en-bewegen", "ontmoeting"],
        ["ouderen", "iedereen"],
        "Een rustige wandeling van een uur door de buurt en het park, daarna samen koffie.",
        "weekly",
        10,
        90,
        "gratis",
        "binnenlopen",
    ),
    (
        "Stoelyoga",
        "activiteit",
        ["sport-en-bewegen", "zorg-en-welzijn"],
        ["ouderen", "mensen-met-een-beperking"],
        "Bewegen op een stoel, op je eigen tempo. Goed voor je balans en je humeur.",
        "weekly",
        11,
        60,
        "bijdrage",
        "binnenlopen",
    ),
    (
        "Vrouwenochtend",
        "activiteit",
        ["ontmoeting", "taal"],
        ["vrouwen"],
        "Ontmoeten, praten en samen iets maken. Kinderopvang in de zaal ernaast.",
        "weekly",
        10,
        120,
        "gratis",
        "binnenlopen",
    ),
    (
        "Mantelzorgcafé",
        "activiteit",
        ["zorg-en-welzijn"],
        ["mantelzorgers"],
        "Zorg je voor iemand? Deel je ervaringen met andere mantelzorgers en krijg tips.",
        "monthly",
        19,
        120,
        "gratis",
        "binnenlopen",
    ),
    (
        "Klussendienst",
        "dienst",
        ["wonen", "ouderen"],
        ["ouderen", "mensen-met-een-beperking"],
        "Vrijwilligers helpen bij kleine klussen in huis, zoals een lamp ophangen of een kraan vervangen.",
        "weekly",
        9,
        240,
        "bijdrage",
        "aanmelden",
    ),
    (
        "Boodschappenhulp",
        "dienst",
        ["zorg-en-welzijn", "ouderen"],
        ["ouderen"],
        "Kun je zelf even geen boodschappen doen? Een buurtgenoot gaat met je mee of haalt ze voor je.",
        "weekly",
        10,
        180,
        "gratis",
        "verwijzing",
    ),
    (
        "Sollicitatiespreekuur",
        "dienst",
        ["werk-en-inkomen"],
        ["volwassenen", "jongeren"],
        "Hulp bij je cv, een brief of een gesprek. We kijken samen naar vacatures.",
        "weekly",
        13,
        120,
        "gratis",
        "aanmelden",
    ),
    (
        "Buurtpreventie-overleg",
        "activiteit",
        ["veiligheid"],
        ["volwassenen"],
        "Bewoners bespreken wat er speelt in de buurt, samen met de wijkagent.",
        "monthly",
        20,
        90,
        "gratis",
        "binnenlopen",
    ),
    (
        "Muziekmiddag",
        "activiteit",
        ["cultuur", "ontmoeting"],
        ["ouderen", "iedereen"],
        "Live muziek van buurtgenoten, met koffie en iets lekkers. Meezingen mag.",
        "monthly",
        14,
        120,
        "bijdrage",
        "binnenlopen",
    ),
    (
        "Voetbal op het pleintje",
        "activiteit",
        ["sport-en-bewegen", "jeugd"],
        ["jongeren", "kinderen"],
        "Elke week voetballen op het Cruyff Court, met een vaste trainer uit de buurt.",
        "weekly",
        16,
        90,
        "gratis",
        "binnenlopen",
    ),
    (
        "Energiecafé",
        "activiteit",
        ["wonen", "groen-en-duurzaamheid", "geldzaken"],
        ["iedereen"],
        "Tips om energie te besparen. Energiecoaches komen ook bij je thuis langs.",
        "monthly",
        19,
        90,
        "gratis",
        "binnenlopen",
    ),
    (
        "Buurtfeest",
        "activiteit",
        ["ontmoeting", "cultuur"],
        ["iedereen"],
        "Een middag met muziek, eten uit alle keukens en spelletjes voor de kinderen.",
        "once",
        14,
        300,
        "gratis",
        "binnenlopen",
    ),
    (
        "Schoonmaakactie",
        "activiteit",
        ["groen-en-duurzaamheid"],
        ["iedereen"],
        "Samen ruimen we het zwerfafval op. Grijpers en zakken liggen klaar.",
        "once",
        10,
        150,
        "gratis",
        "binnenlopen",
    ),
    (
        "Thuisadministratie aan huis",
        "dienst",
        ["geldzaken"],
        ["volwassenen", "ouderen"],
        "Een vrijwilliger komt bij je thuis om je papieren op orde te brengen.",
        "weekly",
        10,
        120,
        "gratis",
        "verwijzing",
    ),
    (
        "Online taaloefening",
        "activiteit",
        ["taal", "digitale-vaardigheden"],
        ["nieuwkomers"],
        "Oefen Nederlands via een videogesprek met een taalmaatje.",
        "weekly",
        19,
        60,
        "gratis",
        "aanmelden",
    ),
]
LANGUAGE_SETS = [
    ["nl"],
    ["nl"],
    ["nl", "en"],
    ["nl", "ar"],
    ["nl", "tr"],
    ["nl", "ar", "tr"],
    ["nl", "pl"],
    ["nl", "uk"],
]
VENUES = ["Buurthuis", "Wijkcentrum", "Buurtkamer", "Speeltuingebouw", "Bibliotheek", "Kerkzaal"]


def _start(rng: random.Random, *, today: dt.date, repeat: str, hour: int) -> dt.datetime:
    if repeat == "once":
        day = today + dt.timedelta(days=rng.randint(1, 60))
    else:
        day = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=rng.randint(0, 26))
        day += dt.timedelta(days=rng.randint(0, 5))
    return dt.datetime.combine(day, dt.time(hour, rng.choice([0, 0, 30])), tzinfo=schedule.AMSTERDAM)


def _christmas_exception(starts_at: dt.datetime, rrule: str, year: int) -> list[str]:
    """The occurrence in the Christmas week, if there is one: a realistic exception date."""
    window = dt.datetime(year, 12, 24, tzinfo=schedule.AMSTERDAM)
    found = schedule.occurrences(
        starts_at=starts_at,
        ends_at=None,
        rrule=rrule,
        exdates=[],
        window_start=window,
        window_end=window + dt.timedelta(days=7),
    )
    return [found[0].start.date().isoformat()] if found else []


def organisations_per_buurt() -> dict[str, list[Organisation]]:
    """Published organisations by the buurt of their address or the buurten they work in."""
    result: dict[str, list[Organisation]] = {}
    published = Organisation.objects.published().prefetch_related("buurten", "wijken")
    citywide: list[Organisation] = []
    for organisation in published:
        codes = {b.code for b in organisation.buurten.all()}
        if organisation.visiting_buurt_id:
            codes.add(organisation.visiting_buurt_id)
        for code in codes:
            result.setdefault(code, []).append(organisation)
        if organisation.citywide or organisation.wijken.exists():
            citywide.append(organisation)
    result["*"] = citywide
    return result


@transaction.atomic
def create_demo_activities(*, count: int = DEMO_COUNT, seed: int = 3031) -> int:
    """Create the demo activities that do not exist yet; returns how many were created."""
    rng = random.Random(seed)  # noqa: S311 (demo content, not security)
    buurten = list(Buurt.objects.select_related("wijk").order_by("code"))
    by_buurt = organisations_per_buurt()
    if not buurten or not any(by_buurt.values()):
        return 0
    themes = {theme.slug: theme.pk for theme in Theme.objects.all()}
    groups = {group.slug: group.pk for group in TargetGroup.objects.all()}
    today = timezone.localdate()
    now = timezone.now()
    plans: list[dict[str, Any]] = []
    for number in range(count):
        buurt = buurten[number % len(buurten)]
        title, kind, theme_slugs, group_slugs, text, repeat, hour, minutes, cost, joining = rng.choice(TEMPLATES)
        candidates = by_buurt.get(buurt.code) or by_buurt["*"]
        if not candidates:
            continue
        organisation = rng.choice(candidates)
        co_organiser = rng.choice(candidates) if rng.random() < 0.08 else None
        full_title = f"{title} {buurt.name}"[:120]
        starts_at = _start(rng, today=today, repeat=repeat, hour=hour)
        rrule = "" if repeat == "once" else schedule.preset_rules(starts_at)[repeat]
        location = "online" if title.startswith("Online") else "thuis" if "aan huis" in title else "adres"
        has_address = location == "adres" and bool(organisation.postcode)
        activity = Activity(
            slug=f"{slugify(full_title)[:110]}-{number + 1}",
            title=full_title,
            description=f"{text}\n\nOrganisatie: {organisation.name}. Iedereen uit {buurt.name} en omgeving is welkom.",
            kind=kind,
            languages=rng.choice(LANGUAGE_SETS),
            location=location if has_address or location != "adres" else "thuis",
            venue=f"{rng.choice(VENUES)} {buurt.name}" if has_address else "",
            street=organisation.street if has_address else "",
            house_number=organisation.house_number if has_address else "",
            postcode=organisation.postcode if has_address else "",
            location_buurt_id=organisation.visiting_buurt_id if has_address else None,
            online_url="https://meet.example.nl/taalmaatje" if location == "online" else "",
            citywide=location == "online",
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=minutes),
            rrule=rrule,
            exdates=_christmas_exception(starts_at, rrule, today.year) if rrule and rng.random() < 0.3 else [],
            cost=cost,
            price=Decimal(rng.choice(["2.50", "3.00", "4.50", "5.00"])) if cost == "prijs" else None,
            step_free=rng.random() < 0.6,
            hearing_loop=rng.random() < 0.15,
            accompaniment=rng.random() < 0.5,
            childcare=rng.random() < 0.1,
            joining=joining,
            contact_name=rng.choice(["Fatima", "Joke", "Mehmet", "Anouk", "Kees", "Samira", "Daan", "Ineke"]),
            contact_email=organisation.email,
            contact_phone=organisation.phone,
            # About one in ten has not been confirmed for more than a year: those pages say so.
            confirmed_at=now - dt.timedelta(days=rng.randint(380, 700) if rng.random() < 0.1 else rng.randint(0, 300)),
        )
        plans.append(
            {
                "activity": activity,
                "organisations": {organisation.pk} | ({co_organiser.pk} if co_organiser else set()),
                "themes": [themes[s] for s in theme_slugs if s in themes],
                "groups": [groups[s] for s in group_slugs if s in groups],
                "buurten": [buurt.code] if location != "online" else [],
            }
        )
    existing = set(Activity.objects.filter(slug__in=[p["activity"].slug for p in plans]).values_list("slug", flat=True))
    new = [plan for plan in plans if plan["activity"].slug not in existing]
    Activity.objects.bulk_create([plan["activity"] for plan in new], batch_size=500)
    ids = dict(Activity.objects.filter(slug__in=[p["activity"].slug for p in new]).values_list("slug", "pk"))
    through = Activity.organisations.through, Activity.themes.through, Activity.target_groups.through
    organisation_rows, theme_rows, group_rows, buurt_rows = [], [], [], []
    for plan in new:
        pk = ids[plan["activity"].slug]
        organisation_rows += [through[0](activity_id=pk, organisation_id=o) for o in plan["organisations"]]
        theme_rows += [through[1](activity_id=pk, theme_id=t) for t in plan["themes"]]
        group_rows += [through[2](activity_id=pk, targetgroup_id=g) for g in plan["groups"]]
        buurt_rows += [Activity.buurten.through(activity_id=pk, buurt_id=b) for b in plan["buurten"]]
    through[0].objects.bulk_create(organisation_rows, batch_size=1000)
    through[1].objects.bulk_create(theme_rows, batch_size=1000)
    through[2].objects.bulk_create(group_rows, batch_size=1000)
    Activity.buurten.through.objects.bulk_create(buurt_rows, batch_size=1000)
    index_activities(ids.values())
    return len(new)
