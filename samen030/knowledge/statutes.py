"""The statutes generator: a guided form whose answers fill in draft statutes for a buurt- or wijkcoöperatie U.A.
and a draft huishoudelijk reglement, as DOCX (python-docx) and PDF (reportlab).

The template text is our own, in plain Dutch, built on the rules of Burgerlijk Wetboek Boek 2 (titel 2 and 3) for
coöperaties (see docs/knowledge.md): founded by notarial deed (2:53, 2:54), a name with "coöperatie(f)" ending in
U.A. (2:54 lid 2), no liability of (former) members for a deficit (U.A.), the general meeting (ALV) as the highest
body (2:40), one vote per member unless the statutes say otherwise (2:38), a register of members (2:33), a board
appointed by the ALV (2:37), yearly accounts (2:48, 2:49) and statute amendment by notarial deed (2:42, 2:43).
The documents are drafts in Dutch: a Dutch notarial deed is always in Dutch, whatever the language of the screen.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

NOTARY_NOTICE = (
    "Let op: dit is een concept, geen geldig document. Een coöperatie bestaat pas als een notaris de akte van "
    "oprichting passeert (artikel 2:54 Burgerlijk Wetboek). Laat dit concept door een notaris nakijken en in een "
    "notariële akte opnemen. Ook een latere wijziging van de statuten gaat via de notaris."
)

PURPOSES = [
    (
        "diensten",
        _("services for residents (care, help at home, odd jobs)"),
        "diensten voor bewoners te organiseren, zoals zorg, hulp in en om het huis en klussen",
    ),
    (
        "werk",
        _("keep work and money in the neighbourhood"),
        "werk en geld in de buurt te houden, door zoveel mogelijk bewoners en ondernemers uit de buurt in te schakelen",
    ),
    (
        "gebouw",
        _("manage shared property such as a community centre"),
        "gezamenlijke voorzieningen te beheren, zoals een buurthuis, een moestuin of gereedschap",
    ),
    (
        "inkoop",
        _("collective purchasing on good terms for members"),
        "voor de leden gezamenlijk in te kopen tegen gunstige voorwaarden",
    ),
    (
        "energie",
        _("local energy: generating and saving together"),
        "samen duurzame energie op te wekken en energie te besparen",
    ),
]
PURPOSE_TEXT = {key: text for key, _label, text in PURPOSES}
MEMBER_CLASSES = [
    (
        "bewoners",
        _("residents"),
        "bewoners",
        "natuurlijke personen van achttien jaar of ouder die in het werkgebied wonen",
    ),
    (
        "ondernemers",
        _("local entrepreneurs"),
        "ondernemers",
        "natuurlijke personen en rechtspersonen die in het werkgebied een onderneming drijven",
    ),
    (
        "organisaties",
        _("local organisations"),
        "organisaties",
        "verenigingen, stichtingen en andere rechtspersonen zonder winstoogmerk die in het werkgebied actief zijn",
    ),
]
SURPLUS = [
    ("reserve", _("added to the reserves")),
    ("buurt", _("reinvested in the neighbourhood")),
    ("leden", _("partly paid out to members, as the ALV decides")),
]


class StatutesForm(forms.Form):
    scale = forms.ChoiceField(
        label=_("Kind of cooperative"),
        choices=[("buurt", _("buurtcoöperatie (one buurt)")), ("wijk", _("wijkcoöperatie (a whole wijk)"))],
        initial="buurt",
        widget=forms.RadioSelect,
    )
    place = forms.CharField(
        label=_("Name of the buurt or wijk"),
        max_length=80,
        help_text=_("For example Lombok. The name becomes Buurtcoöperatie Lombok U.A."),
    )
    seat = forms.CharField(label=_("Seat (municipality)"), max_length=80, initial="Utrecht")
    area = forms.CharField(
        label=_("Working area"),
        max_length=300,
        help_text=_("Which streets, buurten or wijk. For example: the buurt Lombok in Utrecht."),
    )
    purposes = forms.MultipleChoiceField(
        label=_("Purpose"),
        choices=[(key, label) for key, label, _text in PURPOSES],
        widget=forms.CheckboxSelectMultiple,
        initial=["diensten", "werk"],
    )
    other_purpose = forms.CharField(
        label=_("Another purpose (optional)"),
        required=False,
        max_length=300,
        help_text=_("In your own words, as the end of the sentence: the cooperative aims to …"),
    )
    non_members = forms.BooleanField(
        label=_("The cooperative may also work for non-members"), required=False, initial=True
    )
    member_classes = forms.MultipleChoiceField(
        label=_("Who can become a member"),
        choices=[(key, label) for key, label, _word, _text in MEMBER_CLASSES],
        widget=forms.CheckboxSelectMultiple,
        initial=["bewoners", "ondernemers", "organisaties"],
    )
    votes_bewoners = forms.IntegerField(label=_("Votes per resident member"), min_value=1, max_value=10, initial=1)
    votes_ondernemers = forms.IntegerField(
        label=_("Votes per entrepreneur member"), min_value=1, max_value=10, initial=1
    )
    votes_organisaties = forms.IntegerField(
        label=_("Votes per organisation member"), min_value=1, max_value=10, initial=1
    )
    supporters = forms.BooleanField(
        label=_("Supporters (donateurs) without a vote are possible"), required=False, initial=True
    )
    appeal = forms.BooleanField(
        label=_("Someone the board refuses can appeal to the ALV"), required=False, initial=True
    )
    contribution = forms.DecimalField(
        label=_("Yearly contribution in euros"),
        min_value=Decimal(0),
        max_value=Decimal(10000),
        decimal_places=2,
        initial=Decimal(12),
        help_text=_("0 means no contribution. The ALV can change it later."),
    )
    board_min = forms.IntegerField(label=_("Smallest number of board members"), min_value=3, max_value=15, initial=3)
    board_max = forms.IntegerField(label=_("Largest number of board members"), min_value=3, max_value=15, initial=5)
    board_term = forms.IntegerField(label=_("Term of a board member in years"), min_value=1, max_value=6, initial=3)
    board_reappoint = forms.IntegerField(
        label=_("How often a board member can be reappointed"), min_value=0, max_value=5, initial=1
    )
    alv_per_year = forms.IntegerField(
        label=_("General meetings (ALV) per year, at least"), min_value=1, max_value=6, initial=2
    )
    notice_days = forms.IntegerField(label=_("Days of notice for an ALV"), min_value=7, max_value=60, initial=14)
    digital = forms.BooleanField(label=_("Members can take part and vote online"), required=False, initial=True)
    quorum = forms.IntegerField(
        label=_("Quorum in percent of the members"),
        min_value=0,
        max_value=100,
        initial=0,
        help_text=_("How many members must be present for a valid decision; 0 means no quorum."),
    )
    proxies = forms.IntegerField(
        label=_("Proxies one member may hold"),
        min_value=0,
        max_value=5,
        initial=1,
        help_text=_("0 means voting by proxy is not possible."),
    )
    surplus = forms.ChoiceField(
        label=_("What happens with a surplus"), choices=SURPLUS, widget=forms.RadioSelect, initial="buurt"
    )
    amendment_majority = forms.ChoiceField(
        label=_("Majority to change the statutes"),
        choices=[("2/3", _("two thirds")), ("3/4", _("three quarters"))],
        initial="2/3",
    )
    dissolution_destination = forms.CharField(
        label=_("Where the money goes when the cooperative is dissolved"),
        max_length=300,
        initial="een ander doel in het werkgebied dat zoveel mogelijk overeenkomt met het doel van de coöperatie",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("board_min"), cleaned.get("board_max")
        if low is not None and high is not None and low > high:
            self.add_error("board_max", _("The largest number is smaller than the smallest number."))
        place = cleaned.get("place", "")
        if any(char in place for char in "<>{}[]"):
            self.add_error("place", _("Use only letters, numbers and spaces in the name."))
        return cleaned


@dataclass
class Section:
    heading: str
    paragraphs: list[str]


@dataclass
class Draft:
    title: str
    name: str
    sections: list[Section]


def cooperative_name(data: dict[str, Any]) -> str:
    prefix = "Buurtcoöperatie" if data["scale"] == "buurt" else "Wijkcoöperatie"
    return f"{prefix} {data['place'].strip()} U.A."


def euro(amount: Decimal) -> str:
    return f"€ {amount:.2f}".replace(".", ",")


def numbered(items: list[str]) -> list[str]:
    return [f"{number}. {text}" for number, text in enumerate(items, start=1)]


def statutes(data: dict[str, Any]) -> Draft:
    name = cooperative_name(data)
    classes = [entry for entry in MEMBER_CLASSES if entry[0] in data["member_classes"]]
    purposes = [PURPOSE_TEXT[key] for key in data["purposes"]]
    if data.get("other_purpose"):
        purposes.append(data["other_purpose"].strip().rstrip("."))
    votes = {key: data.get(f"votes_{key}") or 1 for key, *_rest in MEMBER_CLASSES}
    same_votes = len({votes[key] for key, *_rest in classes}) <= 1 and all(votes[k] == 1 for k, *_r in classes)
    majority = "twee derde" if data["amendment_majority"] == "2/3" else "drie vierde"
    articles: list[Section] = [
        Section(
            "Artikel 1. Naam en zetel",
            numbered(
                [
                    f"De coöperatie heet: {name}.",
                    f"Zij heeft haar zetel in de gemeente {data['seat'].strip()}.",
                    f"Het werkgebied van de coöperatie is: {data['area'].strip()}.",
                ]
            ),
        ),
        Section(
            "Artikel 2. Doel",
            numbered(
                [
                    "De coöperatie heeft ten doel in bepaalde stoffelijke behoeften van haar leden te voorzien, door met hen "
                    "overeenkomsten te sluiten in het bedrijf dat zij daartoe voor hen uitoefent. Zij doet dit door: "
                    + "; ".join(purposes)
                    + "; en al het andere dat daarmee samenhangt, alles in de ruimste zin.",
                    "De coöperatie kan haar werkkring ook uitstrekken tot niet-leden, maar niet zo ver dat de overeenkomsten "
                    "met leden daarbij van ondergeschikte betekenis worden."
                    if data["non_members"]
                    else "De coöperatie sluit de overeenkomsten uit lid 1 alleen met haar leden.",
                    "De coöperatie heeft geen winstoogmerk als hoofddoel; een overschot wordt gebruikt zoals artikel 15 zegt.",
                ]
            ),
        ),
        Section(
            "Artikel 3. Leden",
            numbered(
                [
                    "Lid kunnen worden: " + "; ".join(text for _key, _label, _word, text in classes) + ".",
                    "Het bestuur houdt een register waarin de namen en adressen van alle leden staan (artikel 2:33 "
                    "Burgerlijk Wetboek). Leden geven een verhuizing of ander adres door aan het bestuur.",
                    *(
                        [
                            "De coöperatie kan donateurs hebben: personen en organisaties die de coöperatie met geld of op een "
                            "andere manier steunen. Donateurs zijn geen lid en hebben geen stemrecht. Het huishoudelijk "
                            "reglement regelt hun rechten."
                        ]
                        if data["supporters"]
                        else []
                    ),
                ]
            ),
        ),
        Section(
            "Artikel 4. Toelating",
            numbered(
                [
                    "Wie lid wil worden, meldt zich schriftelijk of per e-mail aan bij het bestuur.",
                    "Het bestuur beslist binnen twee maanden over de toelating en laat de beslissing schriftelijk weten.",
                    "Weigert het bestuur iemand, dan kan die persoon binnen een maand in beroep gaan bij de algemene "
                    "ledenvergadering. De algemene ledenvergadering beslist in haar eerstvolgende vergadering."
                    if data["appeal"]
                    else "Het bestuur legt een weigering schriftelijk uit.",
                ]
            ),
        ),
        Section(
            "Artikel 5. Verplichtingen van de leden",
            numbered(
                [
                    f"Leden betalen een jaarlijkse bijdrage. Bij de oprichting is die bijdrage {euro(data['contribution'])} "
                    "per jaar; de algemene ledenvergadering kan het bedrag veranderen en kan een lager bedrag vaststellen "
                    "voor leden met een laag inkomen."
                    if data["contribution"] > 0
                    else "Leden betalen geen jaarlijkse bijdrage, tenzij de algemene ledenvergadering anders besluit.",
                    "Leden houden zich aan de statuten, het huishoudelijk reglement en de besluiten van de organen van de "
                    "coöperatie, en schaden de belangen van de coöperatie niet.",
                ]
            ),
        ),
        Section(
            "Artikel 6. Einde van het lidmaatschap",
            numbered(
                [
                    "Het lidmaatschap eindigt door overlijden of, bij een rechtspersoon, doordat die ophoudt te bestaan; door "
                    "opzegging door het lid; door opzegging door de coöperatie; of door ontzetting.",
                    "Een lid kan opzeggen tegen het einde van het boekjaar, met een opzegtermijn van vier weken.",
                    "Het bestuur kan het lidmaatschap opzeggen als een lid niet meer aan de eisen van artikel 3 voldoet of "
                    "zijn verplichtingen niet nakomt. Ontzetting kan alleen als een lid in strijd met de statuten of de "
                    "besluiten handelt of de coöperatie op onredelijke wijze benadeelt; het lid kan dan binnen een maand "
                    "in beroep gaan bij de algemene ledenvergadering.",
                ]
            ),
        ),
        Section(
            "Artikel 7. Uitgesloten aansprakelijkheid",
            numbered(
                [
                    "Leden en oud-leden zijn niet aansprakelijk voor een tekort van de coöperatie, ook niet bij ontbinding "
                    "of faillissement. Daarom eindigt de naam van de coöperatie op U.A. (uitgesloten aansprakelijkheid).",
                ]
            ),
        ),
        Section(
            "Artikel 8. Bestuur",
            numbered(
                [
                    f"Het bestuur bestaat uit ten minste {data['board_min']} en ten hoogste {data['board_max']} personen. "
                    "De algemene ledenvergadering benoemt de bestuurders, in de regel uit de leden of uit de "
                    "vertegenwoordigers van leden die rechtspersonen zijn.",
                    "Het bestuur kiest uit zijn midden een voorzitter, een secretaris en een penningmeester.",
                    f"Een bestuurder wordt benoemd voor {data['board_term']} jaar en treedt af volgens een rooster dat het "
                    "bestuur maakt, zodat niet alle bestuurders tegelijk aftreden. "
                    + (
                        f"Een aftredende bestuurder kan {data['board_reappoint']} keer direct opnieuw worden benoemd."
                        if data["board_reappoint"]
                        else "Een aftredende bestuurder kan niet direct opnieuw worden benoemd."
                    ),
                    "De algemene ledenvergadering kan een bestuurder op elk moment schorsen of ontslaan.",
                    "Is het aantal bestuurders lager dan het minimum, dan blijft het bestuur bevoegd, maar roept het zo snel "
                    "mogelijk een algemene ledenvergadering bijeen om nieuwe bestuurders te benoemen.",
                ]
            ),
        ),
        Section(
            "Artikel 9. Taken en vertegenwoordiging",
            numbered(
                [
                    "Het bestuur leidt de coöperatie. Voor het kopen, verkopen of bezwaren van gebouwen en grond, voor "
                    "leningen en voor borgstellingen heeft het bestuur vooraf goedkeuring nodig van de algemene "
                    "ledenvergadering.",
                    "Het bestuur vertegenwoordigt de coöperatie. Ook twee bestuurders samen kunnen de coöperatie "
                    "vertegenwoordigen.",
                ]
            ),
        ),
        Section(
            "Artikel 10. Algemene ledenvergadering",
            numbered(
                [
                    "De algemene ledenvergadering is het hoogste orgaan van de coöperatie. Zij heeft alle bevoegdheden die "
                    "de wet of de statuten niet aan het bestuur geven.",
                    f"Er is ten minste {data['alv_per_year']} keer per jaar een algemene ledenvergadering. In de eerste "
                    "vergadering na afloop van het boekjaar legt het bestuur verantwoording af over het gevoerde bestuur en "
                    "de jaarrekening.",
                    f"Het bestuur roept de leden ten minste {data['notice_days']} dagen van tevoren schriftelijk of per "
                    "e-mail op, met de agenda.",
                    "Ten minste een tiende deel van de leden kan het bestuur vragen een vergadering bijeen te roepen; doet "
                    "het bestuur dat niet binnen vier weken, dan kunnen die leden dat zelf doen.",
                    *(
                        [
                            "Leden kunnen de vergadering via een elektronisch middel volgen, eraan deelnemen en stemmen, als zij "
                            "daarbij te identificeren zijn en het bestuur dat in de oproeping zegt."
                        ]
                        if data["digital"]
                        else []
                    ),
                ]
            ),
        ),
        Section(
            "Artikel 11. Stemmen",
            numbered(
                [
                    "Ieder lid heeft één stem."
                    if same_votes
                    else "Het aantal stemmen per lid is: "
                    + "; ".join(
                        f"{word}: {votes[key]} {'stem' if votes[key] == 1 else 'stemmen'}"
                        for key, _l, word, _t in classes
                    )
                    + ".",
                    "Besluiten worden genomen met een gewone meerderheid van de uitgebrachte stemmen, tenzij de statuten "
                    "anders zeggen. Blanco stemmen tellen niet mee.",
                    (
                        f"Een besluit is alleen geldig als ten minste {data['quorum']} procent van de leden aanwezig of "
                        "vertegenwoordigd is. Is dat niet zo, dan roept het bestuur binnen vier weken een nieuwe vergadering "
                        "bijeen, die zonder quorum kan besluiten."
                    )
                    if data["quorum"]
                    else "Voor een geldig besluit is geen minimumaantal aanwezige leden nodig, behalve in de artikelen 13 en 14.",
                    (
                        f"Een lid kan een ander lid schriftelijk machtigen om voor hem te stemmen. Een lid kan voor ten hoogste "
                        f"{data['proxies']} {'ander lid' if data['proxies'] == 1 else 'andere leden'} stemmen."
                    )
                    if data["proxies"]
                    else "Stemmen bij volmacht is niet mogelijk.",
                ]
            ),
        ),
        Section(
            "Artikel 12. Geld en verantwoording",
            numbered(
                [
                    "Het boekjaar is gelijk aan het kalenderjaar.",
                    "Het bestuur houdt een administratie bij en maakt binnen zes maanden na afloop van het boekjaar een "
                    "balans en een staat van baten en lasten (de jaarrekening).",
                    "De algemene ledenvergadering benoemt elk jaar een kascommissie van ten minste twee leden die geen "
                    "bestuurder zijn. De kascommissie onderzoekt de jaarrekening en brengt verslag uit aan de vergadering.",
                    "Het bestuur bewaart de administratie zeven jaar.",
                ]
            ),
        ),
        Section(
            "Artikel 13. Wijziging van de statuten",
            numbered(
                [
                    "De statuten kunnen alleen worden gewijzigd door een besluit van de algemene ledenvergadering. De "
                    "oproeping vermeldt het voorstel; de letterlijke tekst ligt ten minste vijf dagen voor de vergadering "
                    "voor de leden klaar.",
                    f"Voor het besluit is een meerderheid van ten minste {majority} van de uitgebrachte stemmen nodig, in "
                    "een vergadering waarin ten minste de helft van de leden aanwezig of vertegenwoordigd is.",
                    "De wijziging gaat pas in als een notaris er een akte van heeft opgemaakt.",
                ]
            ),
        ),
        Section(
            "Artikel 14. Ontbinding",
            numbered(
                [
                    f"De algemene ledenvergadering kan de coöperatie ontbinden, met dezelfde meerderheid ({majority}) en "
                    "hetzelfde quorum als bij een statutenwijziging.",
                    "De bestuurders zorgen voor de vereffening, tenzij de vergadering anderen aanwijst.",
                    f"Wat overblijft na de vereffening gaat naar {data['dissolution_destination'].strip().rstrip('.')}.",
                ]
            ),
        ),
        Section(
            "Artikel 15. Overschot",
            numbered(
                [
                    {
                        "reserve": "Een positief resultaat wordt toegevoegd aan de reserves van de coöperatie.",
                        "buurt": "Een positief resultaat wordt opnieuw gebruikt voor het doel van de coöperatie in het "
                        "werkgebied, bijvoorbeeld voor nieuwe diensten of voorzieningen in de buurt.",
                        "leden": "De algemene ledenvergadering beslist over een positief resultaat. Zij kan een deel aan de "
                        "leden uitkeren naar verhouding van hun gebruik van de diensten van de coöperatie; het andere deel "
                        "gaat naar de reserves.",
                    }[data["surplus"]],
                ]
            ),
        ),
        Section(
            "Artikel 16. Huishoudelijk reglement",
            numbered(
                [
                    "De algemene ledenvergadering kan een huishoudelijk reglement vaststellen en wijzigen. Het reglement mag "
                    "niet in strijd zijn met de wet of de statuten.",
                ]
            ),
        ),
    ]
    return Draft(title=f"Concept-statuten {name}", name=name, sections=articles)


def house_rules(data: dict[str, Any]) -> Draft:
    name = cooperative_name(data)
    sections = [
        Section(
            "1. Over dit reglement",
            [
                f"Dit huishoudelijk reglement werkt de statuten van {name} uit. De algemene ledenvergadering stelt het "
                "vast en kan het wijzigen zonder notaris. Bij verschil gaan de statuten voor.",
            ],
        ),
        Section(
            "2. Lid worden",
            [
                "Aanmelden kan met een formulier op papier of online. Het bestuur bevestigt de ontvangst binnen twee "
                "weken en neemt binnen twee maanden een besluit.",
            ],
        ),
        Section(
            "3. Bijdrage",
            [
                f"De jaarlijkse bijdrage is {euro(data['contribution'])}. Wie weinig te besteden heeft, kan het bestuur "
                "vertrouwelijk om een lagere bijdrage vragen."
                if data["contribution"] > 0
                else "Er is geen jaarlijkse bijdrage.",
                "De bijdrage wordt in het eerste kwartaal van het jaar betaald.",
            ],
        ),
        Section(
            "4. Vergaderen",
            [
                "De oproeping gaat per e-mail; leden zonder e-mail krijgen haar op papier.",
                "Van elke algemene ledenvergadering maakt de secretaris een verslag, dat in de volgende vergadering "
                "wordt vastgesteld.",
                *(
                    [
                        "Bij een online vergadering zorgt het bestuur dat iedereen kan meepraten en dat een stem bij één lid "
                        "hoort."
                    ]
                    if data["digital"]
                    else []
                ),
            ],
        ),
        Section(
            "5. Bestuur",
            [
                "Het bestuur vergadert ten minste zes keer per jaar. Het rooster van aftreden staat op de website.",
                "Een bestuurder meldt een mogelijk tegenstrijdig belang en doet dan niet mee aan het besluit.",
            ],
        ),
        Section(
            "6. Werkgroepen en kascommissie",
            [
                "Het bestuur kan werkgroepen instellen voor een dienst of project. Een werkgroep doet elk jaar verslag.",
                "De kascommissie krijgt inzage in alle stukken die zij nodig heeft.",
            ],
        ),
        *(
            [
                Section(
                    "7. Donateurs",
                    [
                        "Donateurs worden uitgenodigd voor de algemene ledenvergadering en mogen daar het woord voeren, maar "
                        "stemmen niet.",
                    ],
                )
            ]
            if data["supporters"]
            else []
        ),
        Section(
            "Klachten",
            [
                "Een klacht over de coöperatie gaat naar het bestuur. Het bestuur antwoordt binnen vier weken. Wie het "
                "niet eens is met het antwoord, kan de klacht op de agenda van de algemene ledenvergadering zetten.",
            ],
        ),
    ]
    return Draft(title=f"Concept huishoudelijk reglement {name}", name=name, sections=sections)


# Rendering ---------------------------------------------------------------------------------------------------


def to_docx(drafts: list[Draft]) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = drafts[0].title
    document.core_properties.language = "nl-NL"
    for number, draft in enumerate(drafts):
        if number:
            document.add_page_break()  # type: ignore[no-untyped-call]
        document.add_heading(draft.title, level=1)
        document.add_paragraph(NOTARY_NOTICE).runs[0].bold = True
        for section in draft.sections:
            document.add_heading(section.heading, level=2)
            for paragraph in section.paragraphs:
                document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_pdf(drafts: list[Draft]) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    story: list[Any] = []
    for number, draft in enumerate(drafts):
        if number:
            story.append(PageBreak())
        story.append(Paragraph(escape(draft.title), styles["Title"]))
        story.append(Paragraph(f"<b>{escape(NOTARY_NOTICE)}</b>", styles["BodyText"]))
        story.append(Spacer(1, 0.4 * cm))
        for section in draft.sections:
            story.append(Paragraph(escape(section.heading), styles["Heading2"]))
            story.extend(Paragraph(escape(paragraph), styles["BodyText"]) for paragraph in section.paragraphs)
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=drafts[0].title,
        author="SAMEN030",
        lang="nl-NL",
        leftMargin=2.2 * cm,
        rightMargin=2.2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    pdf.build(story)
    return buffer.getvalue()


def as_markdown(drafts: list[Draft]) -> str:
    """The drafts as the body of a library item."""
    lines = [f"**{NOTARY_NOTICE}**", ""]
    for draft in drafts:
        lines += [f"### {draft.title}", ""]
        for section in draft.sections:
            lines += [f"#### {section.heading}", ""]
            lines += [f"{paragraph}\n" for paragraph in section.paragraphs]
    return "\n".join(lines)
