"""Public items for everyone; members-only items for editors of member organisations and the board; hidden items
for their author and the board. Files follow their item."""

from __future__ import annotations

import pytest

from samen030.knowledge import samples, services
from samen030.knowledge.files import check_bytes
from samen030.knowledge.models import Item

pytestmark = pytest.mark.django_db


@pytest.fixture
def members_item(make_item, stemlid_editor):
    item = make_item(title="Ledenlijst-aanpak", audience=Item.Audience.MEMBERS, author=stemlid_editor)
    services.add_file(
        item=item, checked=check_bytes(samples.pdf("vertrouwelijk"), name="aanpak.pdf"), alt_text="", by=None
    )
    return item


def test_a_members_only_item_is_read_by_member_editors_and_the_board(
    login, members_item, resident, *, stemlid_editor, steunlid_editor, board_member
):
    url = members_item.get_absolute_url()
    version = members_item.documents.get().current
    assert login(None).get(url).status_code == 404
    assert login(resident).get(url).status_code == 404
    assert login(resident).get(version.get_absolute_url()).status_code == 404
    for reader in (stemlid_editor, steunlid_editor, board_member):
        assert login(reader).get(url).status_code == 200
        response = login(reader).get(version.get_absolute_url())
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"


def test_the_list_and_search_leave_out_what_someone_may_not_read(login, members_item, make_item, resident):
    make_item(title="Openbaar idee")
    page = login(resident).get("/kennis/").content.decode()
    assert "Openbaar idee" in page
    assert "Ledenlijst-aanpak" not in page
    assert "Ledenlijst-aanpak" not in login(resident).get("/kennis/?q=vertrouwelijk").content.decode()
    assert "Ledenlijst-aanpak" in login(members_item.author).get("/kennis/?q=vertrouwelijk").content.decode()


def test_an_editor_of_an_organisation_without_membership_does_not_read_members_only_items(login, members_item, lombok):
    from tests.factories import EditorFactory, OrganisationFactory

    outsider = EditorFactory(organisation=OrganisationFactory()).user
    assert login(outsider).get(members_item.get_absolute_url()).status_code == 404


def test_the_board_hides_an_item_with_a_reason_and_the_author_sees_it(
    login, make_item, stemlid_editor, board_member, resident
):
    item = make_item(title="Twijfelachtig plan", author=stemlid_editor)
    board = login(board_member)
    response = board.post(f"/kennis/{item.slug}/verbergen/", {"reason": ""})
    assert response.status_code == 200
    item.refresh_from_db()
    assert not item.is_hidden
    response = board.post(f"/kennis/{item.slug}/verbergen/", {"reason": "Bevat persoonsgegevens"})
    assert response.status_code == 302
    assert login(resident).get(item.get_absolute_url()).status_code == 404
    page = login(stemlid_editor).get(item.get_absolute_url()).content.decode()
    assert "Bevat persoonsgegevens" in page
    assert login(stemlid_editor).post(f"/kennis/{item.slug}/tonen/").status_code == 403
    board.post(f"/kennis/{item.slug}/tonen/")
    assert login(resident).get(item.get_absolute_url()).status_code == 200


def test_the_author_cannot_hide_and_a_stranger_cannot_post(login, make_item, stemlid_editor):
    item = make_item(author=stemlid_editor)
    assert login(stemlid_editor).get(f"/kennis/{item.slug}/verbergen/").status_code == 403
    response = login(None).post(f"/kennis/{item.slug}/vragen/", {"text": "Hoi?"})
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    assert not item.questions.exists()
