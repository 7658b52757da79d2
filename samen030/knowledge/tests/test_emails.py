"""The weekly digest and the deadline reminders: opt-in, nothing when nothing is new, one-click unsubscribe."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from samen030.knowledge import services
from samen030.knowledge.digest import (
    send_deadline_reminders,
    send_weekly_digests,
    unsubscribe_token,
    unsubscribe_user,
)
from samen030.knowledge.models import Deadline, Follow, Item

pytestmark = pytest.mark.django_db


def test_the_digest_tells_followers_of_a_theme_about_new_items(make_item, resident, mailoutbox):
    from samen030.activities.models import Theme

    services.follow(user=resident, theme=Theme.objects.get(slug="eten"))
    make_item(title="Buurtmaaltijd organiseren", themes=("eten",))
    make_item(title="Fietsles", themes=("sport-en-bewegen",))
    assert send_weekly_digests() == 1
    message = mailoutbox[0]
    assert message.to == ["rasida@example.nl"]
    assert "Buurtmaaltijd organiseren" in message.body
    assert "Fietsles" not in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = message.extra_headers["List-Unsubscribe"].rstrip("/>").rsplit("/", 1)[1]
    assert unsubscribe_user(token) == resident
    assert f"/kennis/afmelden/{token}/" in message.body
    # Nothing new since: no second email.
    assert send_weekly_digests() == 0
    assert len(mailoutbox) == 1


def test_no_follows_no_email(make_item, resident, mailoutbox):
    make_item()
    assert send_weekly_digests() == 0
    assert mailoutbox == []


def test_the_digest_tells_about_questions_on_a_followed_item(make_item, resident, stemlid_editor, mailoutbox):
    item = make_item(title="Repair Café")
    services.follow(user=resident, item=item)
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        services.ask_question(item=item, author=stemlid_editor, text="Welk gereedschap heb je nodig?")
    with time_machine.travel(timezone.now() + dt.timedelta(days=7)):
        call_command("send_knowledge_digest", stdout=__import__("io").StringIO())
    assert "Welk gereedschap heb je nodig?" in mailoutbox[0].body


def test_members_only_items_stay_out_of_a_residents_digest(make_item, resident, mailoutbox):
    from samen030.activities.models import Theme

    services.follow(user=resident, theme=Theme.objects.get(slug="eten"))
    make_item(title="Geheim ledenplan", audience=Item.Audience.MEMBERS)
    assert send_weekly_digests() == 0


def test_one_click_unsubscribe_stops_every_follow(client, make_item, resident):
    from samen030.activities.models import Theme

    services.follow(user=resident, theme=Theme.objects.get(slug="eten"))
    services.follow(user=resident, item=make_item())
    url = f"/kennis/afmelden/{unsubscribe_token(resident)}/"
    assert client.get(url).status_code == 200
    assert Follow.objects.filter(user=resident).count() == 2  # a GET (a link scanner) changes nothing
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Follow.objects.filter(user=resident).exists()
    assert client.get(url[:-5] + "XXXX/").status_code == 404


def test_a_reminder_goes_once_two_weeks_before_a_deadline_to_theme_followers(make_item, resident, mailoutbox):
    from samen030.activities.models import Theme

    services.follow(user=resident, theme=Theme.objects.get(slug="eten"))
    item = make_item(title="Buurtfonds Eten", kind=Item.Kind.FUNDING, funder="Gemeente Utrecht", themes=("eten",))
    today = timezone.localdate()
    Deadline.objects.create(item=item, date=today + dt.timedelta(days=30), label="later")
    Deadline.objects.create(item=item, date=today + dt.timedelta(days=10), label="eerste ronde")
    assert send_deadline_reminders(today=today) == 1
    assert "Buurtfonds Eten" in mailoutbox[0].subject
    assert "eerste ronde" in mailoutbox[0].body
    assert send_deadline_reminders(today=today) == 0
    assert send_deadline_reminders(today=today + dt.timedelta(days=17)) == 1
