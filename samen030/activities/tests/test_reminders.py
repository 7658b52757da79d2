"""Reminders for listings nobody confirmed for a year: the daily command emails the editors once per stage, and the
one-click link confirms without logging in, but only by a POST and only while it is valid."""

import base64
import datetime as dt
import json
import re

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from samen030.activities.models import Activity
from samen030.activities.schedule import AMSTERDAM
from samen030.activities.tokens import confirm_token
from tests.factories import ActivityFactory, EditorFactory, UserFactory

NOW = dt.datetime(2026, 11, 23, 7, tzinfo=AMSTERDAM)


@pytest.fixture
def stale(stemlid_org, stemlid_editor):
    return ActivityFactory(
        title="Koffieochtend Lombok",
        slug="koffieochtend-lombok",
        organisations=[stemlid_org],
        confirmed_at=NOW - dt.timedelta(days=400),
    )


def run(at=NOW):
    with time_machine.travel(at, tick=False):
        call_command("remind_unconfirmed", stdout=open("/dev/null", "w"))  # noqa: SIM115


def links(mail):
    return re.findall(r"https?://\S+/activiteit-bevestigen/\S+/", mail.body)


def path_of(link):
    return link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_the_daily_command_reminds_the_editors_once(stale, stemlid_editor, mailoutbox):
    fresh = ActivityFactory(organisations=[stale.organisations.first()], confirmed_at=NOW - dt.timedelta(days=30))
    run()
    (mail,) = mailoutbox
    assert mail.to == [stemlid_editor.email]
    assert "Koffieochtend Lombok" in mail.body
    assert fresh.title not in mail.body
    assert len(links(mail)) == 1
    stale.refresh_from_db()
    assert stale.reminded_at == NOW

    run(NOW + dt.timedelta(days=1))
    run(NOW + dt.timedelta(days=30))
    assert len(mailoutbox) == 1


def test_a_second_reminder_comes_when_the_listing_drops_out_of_search(stale, mailoutbox):
    run()
    run(NOW + dt.timedelta(days=100))
    assert len(mailoutbox) == 1
    run(NOW + dt.timedelta(days=150))  # 550 days since the last confirmation
    assert len(mailoutbox) == 2
    assert "niet meer te vinden via zoeken en op de kaart tot je hem bevestigt" in mailoutbox[1].body
    run(NOW + dt.timedelta(days=151))
    assert len(mailoutbox) == 2


def test_one_email_per_editor_lists_all_their_listings(stale, stemlid_org, stemlid_editor, mailoutbox):
    ActivityFactory(title="Taalcafé", organisations=[stemlid_org], confirmed_at=NOW - dt.timedelta(days=700))
    other = EditorFactory(organisation=stemlid_org, user=UserFactory(email="ed@example.nl")).user
    run()
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([stemlid_editor.email, other.email])
    for mail in mailoutbox:
        assert len(links(mail)) == 2
        assert "Kloppen je 2 vermeldingen nog" in mail.subject


def test_paused_and_hidden_listings_and_past_one_off_events_are_not_reminded(stemlid_org, stemlid_editor, mailoutbox):
    old = NOW - dt.timedelta(days=400)
    ActivityFactory(organisations=[stemlid_org], confirmed_at=old, is_paused=True)
    ActivityFactory(organisations=[stemlid_org], confirmed_at=old, hidden_at=old)
    ActivityFactory(organisations=[stemlid_org], confirmed_at=old, rrule="", starts_at=old, ends_at=old)
    run()
    assert mailoutbox == []


def test_the_link_shows_a_button_and_only_a_post_confirms(client, stale, mailoutbox):
    run()
    path = path_of(links(mailoutbox[0])[0])
    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        page = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 200
        assert "Yes, it is still right" in page.text
        stale.refresh_from_db()
        assert stale.is_stale

        response = client.post(path)
        assert response.status_code == 302
        assert response["Location"] == stale.get_absolute_url()
        stale.refresh_from_db()
        assert stale.confirmed_at == NOW + dt.timedelta(days=2)
        assert not stale.is_stale

        again = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        assert "was already confirmed" in again.text
        client.post(path)
        stale.refresh_from_db()
        assert stale.confirmed_at == NOW + dt.timedelta(days=2)


def test_an_expired_link_is_refused(client, stale):
    with time_machine.travel(NOW, tick=False):
        path = reverse("activity-confirm-link", args=[confirm_token(stale)])
    with time_machine.travel(NOW + dt.timedelta(days=61), tick=False):
        response = client.post(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "This link has expired" in response.text
    stale.refresh_from_db()
    assert stale.confirmed_at == NOW - dt.timedelta(days=400)


@pytest.mark.parametrize("token", ["nonsense", "WzEsMl0:1vABCD:forgedsignature"])
def test_a_bad_link_is_refused(client, stale, token):
    response = client.post(reverse("activity-confirm-link", args=[token]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "This link is not valid" in response.text
    assert Activity.objects.get().confirmed_at == stale.confirmed_at


def test_a_token_for_one_listing_cannot_confirm_another(client, stale, stemlid_org):
    other = ActivityFactory(organisations=[stemlid_org], confirmed_at=NOW - dt.timedelta(days=500))
    payload, rest = confirm_token(stale).split(":", 1)
    value = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert value[0] == stale.pk
    forged = base64.urlsafe_b64encode(json.dumps([other.pk, value[1]], separators=(",", ":")).encode()).decode()
    tampered = forged.rstrip("=") + ":" + rest
    response = client.post(reverse("activity-confirm-link", args=[tampered]))
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.confirmed_at == NOW - dt.timedelta(days=500)


def test_searchable_leaves_out_listings_older_than_18_months(stale, stemlid_org):
    old = ActivityFactory(organisations=[stemlid_org], confirmed_at=NOW - dt.timedelta(days=600))
    found = set(Activity.objects.searchable(now=NOW))
    assert stale in found
    assert old not in found
