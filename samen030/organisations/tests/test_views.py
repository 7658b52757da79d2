import datetime
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from samen030.organisations.models import Editor, Invitation, Organisation
from samen030.places.models import Postcode
from tests.factories import EditorFactory, OrganisationFactory, UserFactory


def png_bytes(size=(1200, 800), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 87, 92)).save(buffer, format=fmt)
    return buffer.getvalue()


def form_data(organisation: Organisation, **changes) -> dict:
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "description": organisation.description,
        "legal_form": organisation.legal_form,
        "buurten": [b.code for b in organisation.buurten.all()],
        "place": "Utrecht",
    }
    data.update(changes)
    return data


def test_a_published_organisation_is_public(client, stemlid_org):
    response = client.get(stemlid_org.get_absolute_url())
    assert response.status_code == 200
    assert "Buurthuis Lombok" in response.text
    assert "stemlid" in response.text
    assert "Lombok-Oost" in response.text


def test_an_unpublished_organisation_is_hidden_from_others(client, login, lombok):
    organisation = OrganisationFactory(is_published=False, buurten=[lombok])
    editor = EditorFactory(organisation=organisation).user
    assert client.get(organisation.get_absolute_url()).status_code == 404
    assert login(UserFactory()).get(organisation.get_absolute_url()).status_code == 404
    assert login(editor).get(organisation.get_absolute_url()).status_code == 200
    assert login(UserFactory(is_board=True)).get(organisation.get_absolute_url()).status_code == 200


def test_an_editor_edits_the_page_and_the_postcode_gives_the_buurt(login, stemlid_org, stemlid_editor, lombok):
    Postcode.objects.create(pc6="3531AB", buurt=lombok)
    response = login(stemlid_editor).post(
        f"/organisaties/{stemlid_org.slug}/bewerken/",
        form_data(
            stemlid_org,
            description="Nieuw verhaal",
            postcode="3531 ab",
            kvk_number="1234 5678",
            iban="nl91 abna 0417 1643 00",
            rsin="001855013",
            website="buurthuislombok.nl",
        ),
    )
    assert response.status_code == 302
    stemlid_org.refresh_from_db()
    assert stemlid_org.description == "Nieuw verhaal"
    assert stemlid_org.postcode == "3531AB"
    assert stemlid_org.visiting_buurt == lombok
    assert stemlid_org.kvk_number == "12345678"
    assert stemlid_org.iban == "NL91ABNA0417164300"
    assert stemlid_org.website == "https://buurthuislombok.nl"


def test_bad_input_is_explained_next_to_the_field_and_kept(login, stemlid_org, stemlid_editor):
    response = login(stemlid_editor).post(
        f"/organisaties/{stemlid_org.slug}/bewerken/",
        form_data(stemlid_org, name="Nieuwe naam", kvk_number="123", rsin="123456789", iban="NL00XXXX", postcode="99"),
    )
    assert response.status_code == 200
    text = response.text
    assert "8 digits" in text or "8 cijfers" in text
    assert 'value="Nieuwe naam"' in text  # what was typed is kept
    assert 'value="123"' in text
    assert 'aria-invalid="true"' in text
    assert text.count("utrecht-form-field--invalid") == 4
    stemlid_org.refresh_from_db()
    assert stemlid_org.name == "Buurthuis Lombok"  # nothing saved


def test_an_unknown_postcode_is_refused_once_the_table_is_loaded(login, stemlid_org, stemlid_editor, lombok):
    Postcode.objects.create(pc6="3531AB", buurt=lombok)
    response = login(stemlid_editor).post(
        f"/organisaties/{stemlid_org.slug}/bewerken/", form_data(stemlid_org, postcode="1011AB")
    )
    assert response.status_code == 200
    assert "1011AB" in response.text
    assert "utrecht-form-field--invalid" in response.text


def test_an_organisation_must_say_where_it_works(login, stemlid_org, stemlid_editor):
    response = login(stemlid_editor).post(
        f"/organisaties/{stemlid_org.slug}/bewerken/", form_data(stemlid_org, buurten=[])
    )
    assert response.status_code == 200
    assert "utrecht-form-field--invalid" in response.text
    assert stemlid_org.buurten.exists()


def test_a_citywide_network_needs_no_buurten(login, stemlid_org, stemlid_editor):
    response = login(stemlid_editor).post(
        f"/organisaties/{stemlid_org.slug}/bewerken/", form_data(stemlid_org, buurten=[], citywide="on")
    )
    assert response.status_code == 302
    stemlid_org.refresh_from_db()
    assert stemlid_org.citywide
    assert not stemlid_org.buurten.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("stranger", 302), ("resident", 403), ("other_editor", 403), ("board", 200)]
)
def test_who_may_open_the_edit_page(login, stemlid_org, steunlid_editor, who, status):
    user = {
        "stranger": None,
        "resident": UserFactory(),
        "other_editor": steunlid_editor,
        "board": UserFactory(is_board=True),
    }[who]
    assert login(user).get(f"/organisaties/{stemlid_org.slug}/bewerken/").status_code == status


def test_a_logo_is_checked_and_scaled_down(login, stemlid_org, stemlid_editor):
    upload = SimpleUploadedFile("logo.jpg", png_bytes(fmt="JPEG"), content_type="image/jpeg")
    response = login(stemlid_editor).post(
        f"/organisaties/{stemlid_org.slug}/bewerken/", {**form_data(stemlid_org), "logo_upload": upload}
    )
    assert response.status_code == 302
    stemlid_org.refresh_from_db()
    with Image.open(stemlid_org.logo.path) as image:
        assert image.format == "PNG"
        assert max(image.size) == 512
    assert stemlid_org.logo.url in login(None).get(stemlid_org.get_absolute_url()).text


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00" + b"\x00" * 200, "logo.png"),  # a Windows program renamed to .png
        (b"%PDF-1.7\n%\xe2\xe3", "logo.gif"),
        (png_bytes()[:60], "logo.png"),  # a truncated image
    ],
)
def test_a_file_that_is_not_an_image_is_refused(login, stemlid_org, stemlid_editor, content, name):
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    response = login(stemlid_editor).post(
        f"/organisaties/{stemlid_org.slug}/bewerken/",
        {**form_data(stemlid_org, description="Bewaard?"), "logo_upload": upload},
    )
    assert response.status_code == 200
    assert "PNG, JPEG, WebP" in response.text
    assert "Bewaard?" in response.text
    stemlid_org.refresh_from_db()
    assert not stemlid_org.logo
    assert stemlid_org.description != "Bewaard?"


def test_a_logo_over_5_mb_is_refused(login, stemlid_org, stemlid_editor, settings):
    settings.MAX_UPLOAD_SIZE = 1024  # the same check, with a small limit so the test stays light
    upload = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    response = login(stemlid_editor).post(
        f"/organisaties/{stemlid_org.slug}/bewerken/", {**form_data(stemlid_org), "logo_upload": upload}
    )
    assert response.status_code == 200
    assert "5 MB" in response.text


def test_an_editor_invites_another_editor_who_accepts(
    login, stemlid_org, stemlid_editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(stemlid_editor).post(
            f"/organisaties/{stemlid_org.slug}/redacteuren/", {"email": "Nieuw@Example.nl"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "nieuw@example.nl"
    assert len(mail.outbox) == 1
    assert invitation.get_absolute_url() in mail.outbox[0].body
    newcomer = UserFactory(email="nieuw@example.nl")
    assert 'href="/account/login/?next=' in login(None).get(invitation.get_absolute_url()).text
    accepted = login(newcomer).post(invitation.get_absolute_url())
    assert accepted.status_code == 302
    assert Editor.objects.filter(organisation=stemlid_org, user=newcomer).exists()
    again = login(UserFactory()).post(invitation.get_absolute_url())
    assert again.status_code == 200  # used: a clear message, no second editor
    assert Editor.objects.filter(organisation=stemlid_org).count() == 2


def test_an_invitation_expires_after_14_days(login, stemlid_org, stemlid_editor, time_machine):
    login(stemlid_editor).post(f"/organisaties/{stemlid_org.slug}/redacteuren/", {"email": "laat@example.nl"})
    invitation = Invitation.objects.get()
    time_machine.move_to(invitation.created_at + Invitation.VALID_FOR + datetime.timedelta(minutes=1))
    response = login(UserFactory()).post(invitation.get_absolute_url())
    assert response.status_code == 200
    assert Editor.objects.filter(organisation=stemlid_org).count() == 1


def test_inviting_a_bad_address_or_an_existing_editor_is_explained(login, stemlid_org, stemlid_editor):
    client = login(stemlid_editor)
    bad = client.post(f"/organisaties/{stemlid_org.slug}/redacteuren/", {"email": "geen-adres"})
    assert bad.status_code == 200
    assert "utrecht-form-field--invalid" in bad.text
    twice = client.post(f"/organisaties/{stemlid_org.slug}/redacteuren/", {"email": stemlid_editor.email})
    assert twice.status_code == 200
    assert not Invitation.objects.exists()


def test_only_the_board_removes_editors(login, stemlid_org, stemlid_editor):
    editor = Editor.objects.get(user=stemlid_editor)
    url = f"/organisaties/{stemlid_org.slug}/redacteuren/{editor.pk}/verwijderen/"
    assert login(stemlid_editor).post(url).status_code == 403
    assert login(UserFactory(is_board=True)).post(url).status_code == 302
    assert not Editor.objects.filter(pk=editor.pk).exists()


def test_unknown_invitation_is_a_404(client, db):
    assert client.get("/uitnodiging/niet-bestaand/").status_code == 404
