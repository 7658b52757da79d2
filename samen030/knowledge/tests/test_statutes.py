"""The statutes generator: the DOCX opened with python-docx and the PDF read back with pypdf."""

from __future__ import annotations

import io

import docx
import pytest
from pypdf import PdfReader

from samen030.knowledge.models import Item

pytestmark = pytest.mark.django_db


def answers(**changes):
    data = {
        "scale": "buurt",
        "place": "Lombok",
        "seat": "Utrecht",
        "area": "de buurt Lombok in Utrecht",
        "purposes": ["diensten", "gebouw"],
        "other_purpose": "",
        "non_members": "on",
        "member_classes": ["bewoners", "organisaties"],
        "votes_bewoners": "1",
        "votes_ondernemers": "1",
        "votes_organisaties": "3",
        "supporters": "on",
        "appeal": "on",
        "contribution": "12",
        "board_min": "3",
        "board_max": "7",
        "board_term": "3",
        "board_reappoint": "1",
        "alv_per_year": "2",
        "notice_days": "14",
        "digital": "on",
        "quorum": "10",
        "proxies": "2",
        "surplus": "buurt",
        "amendment_majority": "2/3",
        "dissolution_destination": "een buurtdoel in Lombok",
        "action": "docx",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_generator_makes_draft_statutes_as_docx(client):
    response = client.post("/kennis/statutengenerator/", answers())
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="concept-statuten-lombok.docx"'
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Concept-statuten Buurtcoöperatie Lombok U.A." in text
    assert "notaris" in text
    assert "artikel 2:54 Burgerlijk Wetboek" in text
    assert "Leden en oud-leden zijn niet aansprakelijk voor een tekort" in text
    assert "hoogste orgaan" in text
    assert "ten minste 3 en ten hoogste 7 personen" in text
    assert "organisaties: 3 stemmen" in text
    assert "bewoners: 1 stem" in text
    assert "in beroep gaan bij de algemene ledenvergadering" in text
    assert "ten minste 10 procent van de leden" in text
    assert "ten hoogste 2 andere leden" in text
    assert "een buurtdoel in Lombok" in text
    assert "ondernemers" not in text.split("Artikel 3. Leden")[1].split("Artikel 4")[0]
    assert "Concept huishoudelijk reglement Buurtcoöperatie Lombok U.A." in text
    assert "€ 12,00" in text


def test_the_generator_makes_a_pdf_that_reads_back(client):
    response = client.post(
        "/kennis/statutengenerator/", answers(action="pdf", scale="wijk", place="Zuidwest", proxies="0", quorum="0")
    )
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert "Wijkcoöperatie Zuidwest U.A." in flat
    assert "notaris" in flat
    assert "Stemmen bij volmacht is niet mogelijk." in flat
    assert len(reader.pages) >= 3


def test_wrong_answers_give_messages_and_no_download(client):
    response = client.post("/kennis/statutengenerator/", answers(place="", board_min="5", board_max="3"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors.keys() >= {"place", "board_max"}


def test_a_member_editor_saves_the_draft_in_the_library(login, stemlid_editor):
    response = login(stemlid_editor).post("/kennis/statutengenerator/", answers(action="save"))
    item = Item.objects.get()
    assert response["Location"] == item.get_absolute_url()
    assert item.kind == Item.Kind.STATUTES
    assert item.audience == Item.Audience.MEMBERS
    assert item.author == stemlid_editor
    assert sorted(item.documents.values_list("versions__format", flat=True)) == ["docx", "pdf"]
    results = login(stemlid_editor).get("/kennis/", {"q": "uitgesloten aansprakelijkheid"}).context["page_obj"]
    assert [result.pk for result in results] == [item.pk]


def test_a_resident_cannot_save_a_draft(login, resident):
    response = login(resident).post("/kennis/statutengenerator/", answers(action="save"))
    assert response.status_code == 403
    assert not Item.objects.exists()
