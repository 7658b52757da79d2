"""Sharing, reading and changing library items through the site, with real files."""

from __future__ import annotations

import pytest

from samen030.knowledge import samples
from samen030.knowledge.models import DocumentVersion, Item

pytestmark = pytest.mark.django_db


def found(client, query):
    return [item.title for item in client.get("/kennis/", {"q": query}).context["page_obj"]]


def test_a_member_editor_shares_an_idea_with_a_pdf_and_its_text_is_extracted(
    login, stemlid_editor, stemlid_org, item_data, upload
):
    client = login(stemlid_editor)
    data = item_data(organisations=[stemlid_org.pk], upload=upload("plan.pdf", samples.pdf("Wormenhotel in Lombok")))
    response = client.post("/kennis/delen/", data)
    item = Item.objects.get()
    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()
    version = DocumentVersion.objects.get()
    assert version.format == "pdf"
    assert "Wormenhotel in Lombok" in version.extracted_text
    assert found(client, "wormenhotel") == [item.title]
    assert item.author == stemlid_editor
    page = client.get(item.get_absolute_url())
    assert "Buurtkeuken in het buurthuis" in page.content.decode()
    assert "<strong>samen</strong>" in page.content.decode()


def test_text_is_extracted_from_docx_odt_and_xlsx(login, stemlid_editor, item_data, upload):
    client = login(stemlid_editor)
    files = {
        "plan.docx": (samples.docx("Klussendienst voor ouderen"), "docx", "klussendienst"),
        "les.odt": (samples.odt("Geleerde les over de moestuin"), "odt", "moestuin"),
        "begroting.xlsx": (samples.xlsx("Begroting buurtfeest"), "xlsx", "buurtfeest"),
    }
    for number, (name, (data, kind, word)) in enumerate(files.items()):
        response = client.post("/kennis/delen/", item_data(title=f"Item {number}", upload=upload(name, data)))
        assert response.status_code == 302, response.content.decode()[:2000]
        version = DocumentVersion.objects.get(name=name)
        assert version.format == kind
        assert found(client, word) == [f"Item {number}"]


def test_an_executable_renamed_to_pdf_is_refused_and_nothing_is_saved(login, stemlid_editor, item_data, upload):
    response = login(stemlid_editor).post(
        "/kennis/delen/", item_data(upload=upload("rapport.pdf", samples.executable(), "application/pdf"))
    )
    assert response.status_code == 200
    assert (
        "We cannot use this file" in response.content.decode() or "kunnen dit bestand niet" in response.content.decode()
    )
    assert not Item.objects.exists()
    # The rest of the form is kept.
    assert 'value="Buurtkeuken in het buurthuis"' in response.content.decode()


@pytest.mark.parametrize(
    ("make", "phrase"),
    [
        (samples.encrypted_pdf, "wachtwoord"),
        (lambda: b"%PDF-1.7\n this is not really a pdf", "beschadigd"),
        (samples.zip_bomb_docx, "zipbom"),
    ],
    ids=["encrypted pdf", "corrupt pdf", "zip bomb"],
)
def test_dangerous_or_broken_files_get_a_clear_message(login, stemlid_editor, item_data, *, upload, make, phrase):
    name = "bestand.docx" if make is samples.zip_bomb_docx else "bestand.pdf"
    response = login(stemlid_editor).post("/kennis/delen/", item_data(upload=upload(name, make())))
    assert response.status_code == 200
    assert phrase in response.content.decode()
    assert not Item.objects.exists()
    assert not DocumentVersion.objects.exists()


def test_a_file_over_the_limit_is_refused(login, stemlid_editor, item_data, upload, settings):
    settings.KNOWLEDGE_MAX_FILE_SIZE = 1024 * 1024
    data = samples.pdf() + b"%" * (1024 * 1024)
    response = login(stemlid_editor).post("/kennis/delen/", item_data(upload=upload("groot.pdf", data)))
    assert response.status_code == 200
    assert "te groot" in response.content.decode()
    assert not Item.objects.exists()


def test_an_image_needs_alt_text_and_gets_a_thumbnail(login, stemlid_editor, item_data, upload):
    client = login(stemlid_editor)
    picture = samples.png(1200, 800)
    response = client.post(
        "/kennis/delen/", item_data(kind=Item.Kind.IMAGES, upload=upload("foto.png", picture), alt_text="")
    )
    assert response.status_code == 200
    assert "Beschrijf de afbeelding" in response.content.decode()
    assert not Item.objects.exists()
    response = client.post(
        "/kennis/delen/",
        item_data(kind=Item.Kind.IMAGES, upload=upload("foto.png", picture), alt_text="Buren planten bomen"),
    )
    assert response.status_code == 302
    version = DocumentVersion.objects.get()
    page = client.get(version.document.item.get_absolute_url()).content.decode()
    assert 'alt="Buren planten bomen"' in page
    thumbnail = client.get(f"/kennis/bestanden/{version.pk}/miniatuur.jpg")
    assert thumbnail.status_code == 200
    from io import BytesIO

    from PIL import Image

    with Image.open(BytesIO(b"".join(thumbnail.streaming_content))) as image:
        assert max(image.size) == 480


def test_a_new_version_keeps_the_older_one_reachable(login, stemlid_editor, item_data, upload):
    client = login(stemlid_editor)
    client.post("/kennis/delen/", item_data(upload=upload("plan.docx", samples.docx("eerste versie"))))
    item = Item.objects.get()
    document = item.documents.get()
    response = client.post(
        f"/kennis/{item.slug}/bestanden/{document.pk}/nieuwe-versie/",
        {"upload": upload("plan-v2.docx", samples.docx("tweede versie")), "alt_text": ""},
    )
    assert response.status_code == 302
    first, second = document.versions.order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert second.is_current
    assert not first.is_current
    item.refresh_from_db()
    assert found(client, "tweede versie") == [item.title]
    assert found(client, "eerste versie") == []
    page = client.get(item.get_absolute_url()).content.decode()
    assert first.get_absolute_url() in page
    old = client.get(first.get_absolute_url())
    assert old.status_code == 200
    import io

    import docx

    paragraphs = docx.Document(io.BytesIO(b"".join(old.streaming_content))).paragraphs
    first_text = "\n".join(paragraph.text for paragraph in paragraphs)
    assert "eerste versie" in first_text


def test_markdown_in_the_body_is_sanitised(login, stemlid_editor, item_data):
    client = login(stemlid_editor)
    client.post(
        "/kennis/delen/", item_data(body="<script>alert(1)</script> [klik](javascript:alert(2)) <b onclick=x>vet</b>")
    )
    page = client.get(Item.objects.get().get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert "javascript:alert" not in page
    assert "onclick" not in page


def test_a_funding_opportunity_needs_a_funder_and_status(login, stemlid_editor, item_data):
    client = login(stemlid_editor)
    response = client.post("/kennis/delen/", item_data(kind=Item.Kind.FUNDING, deadlines_text="31-02-2027 eerste"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Zeg wie het geld geeft" in body
    assert "geen datum" in body
    response = client.post(
        "/kennis/delen/",
        item_data(
            kind=Item.Kind.FUNDING,
            funder="Gemeente Utrecht",
            funding_status="open",
            amount_min="500",
            amount_max="5000",
            eligibility="Bewonersgroepen",
            link="https://www.utrecht.nl/initiatievenfonds",
            deadlines_text="1-3-2027 eerste ronde\n1-9-2027",
        ),
    )
    assert response.status_code == 302
    item = Item.objects.get()
    assert [(d.date.isoformat(), d.label) for d in item.deadlines.all()] == [
        ("2027-03-01", "eerste ronde"),
        ("2027-09-01", ""),
    ]
    assert "€ 500 – € 5.000" in client.get(item.get_absolute_url()).content.decode()


def test_a_resident_cannot_share_but_can_read(login, resident, make_item):
    item = make_item()
    client = login(resident)
    assert client.get("/kennis/delen/").status_code == 403
    assert client.get(item.get_absolute_url()).status_code == 200


def test_only_the_author_edits(login, stemlid_editor, steunlid_editor, make_item, item_data):
    item = make_item(author=stemlid_editor)
    assert login(steunlid_editor).get(f"/kennis/{item.slug}/bewerken/").status_code == 403
    response = login(stemlid_editor).post(f"/kennis/{item.slug}/bewerken/", item_data(title="Nieuwe titel"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Nieuwe titel"
