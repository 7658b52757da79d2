"""Learning together: questions and answers, "we used this", related items and following."""

from __future__ import annotations

import pytest

from samen030.knowledge.models import Follow, Item, Usage

pytestmark = pytest.mark.django_db


def test_residents_ask_and_answer_questions(login, make_item, resident, stemlid_editor):
    item = make_item(author=stemlid_editor)
    login(resident).post(f"/kennis/{item.slug}/vragen/", {"text": "Hoeveel vrijwilligers heb je nodig?"})
    question = item.questions.get()
    response = login(stemlid_editor).post(
        f"/kennis/{item.slug}/vragen/{question.pk}/antwoorden/", {"text": "Een stuk of vijf."}
    )
    assert response.status_code == 302
    page = login(None).get(item.get_absolute_url()).content.decode()
    assert "Hoeveel vrijwilligers heb je nodig?" in page
    assert "Een stuk of vijf." in page
    assert "rasida@example.nl" not in page


def test_an_empty_question_is_not_saved(login, make_item, resident):
    item = make_item()
    login(resident).post(f"/kennis/{item.slug}/vragen/", {"text": "   "})
    assert not item.questions.exists()


def test_we_used_this_with_a_story_once_per_person(login, make_item, stemlid_editor, stemlid_org):
    item = make_item()
    client = login(stemlid_editor)
    client.post(f"/kennis/{item.slug}/gebruikt/", {"organisation": stemlid_org.pk, "story": "Het werkte goed."})
    client.post(f"/kennis/{item.slug}/gebruikt/", {"organisation": stemlid_org.pk, "story": "Het werkte heel goed."})
    usage = Usage.objects.get()
    assert usage.story == "Het werkte heel goed."
    page = login(None).get(item.get_absolute_url()).content.decode()
    assert "Buurthuis Lombok" in page
    assert "Het werkte heel goed." in page


def test_someone_cannot_speak_for_an_organisation_they_do_not_edit(login, make_item, resident, stemlid_org):
    item = make_item()
    response = login(resident).post(f"/kennis/{item.slug}/gebruikt/", {"organisation": stemlid_org.pk, "story": ""})
    assert response.status_code == 200
    assert not Usage.objects.exists()


def test_related_items_share_themes_and_prefer_the_same_kind(login, make_item):
    item = make_item(title="Buurtkeuken", themes=("eten", "ontmoeting"))
    same_kind = make_item(title="Kookclub", themes=("eten", "ontmoeting"))
    other_kind = make_item(title="Subsidie eten", kind=Item.Kind.FUNDING, themes=("eten", "ontmoeting"))
    one_theme = make_item(title="Buurtmaaltijd", themes=("eten",))
    unrelated = make_item(title="Fietsles", themes=("sport-en-bewegen",))
    response = login(None).get(item.get_absolute_url())
    related = [other.title for other in response.context["related"]]
    assert related == [same_kind.title, other_kind.title, one_theme.title]
    assert unrelated.title not in related


def test_follow_and_stop_following_an_item_and_themes(login, make_item, resident):
    item = make_item()
    client = login(resident)
    client.post(f"/kennis/{item.slug}/volgen/")
    assert Follow.objects.filter(user=resident, item=item).exists()
    client.post(f"/kennis/{item.slug}/volgen/", {"stop": "1"})
    assert not Follow.objects.filter(user=resident, item=item).exists()
    client.post("/kennis/volgen/", {"themes": ["eten", "taal"]})
    assert set(Follow.objects.filter(user=resident).values_list("theme__slug", flat=True)) == {"eten", "taal"}
    client.post("/kennis/volgen/", {"themes": ["taal"]})
    assert set(Follow.objects.filter(user=resident).values_list("theme__slug", flat=True)) == {"taal"}
    assert login(None).get("/kennis/volgen/").status_code == 302
