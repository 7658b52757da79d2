"""The contact form: a visitor writes to an organisation's editors without learning their addresses; spam robots
and floods are stopped with a clear message, without JavaScript."""

import re
import time

import pytest
from django.urls import reverse

from samen030.core.ratelimit import client_ip
from samen030.organisations import views
from samen030.organisations.forms import ContactForm
from tests.factories import ActivityFactory, EditorFactory, OrganisationFactory, UserFactory


@pytest.fixture
def second_editor(stemlid_org):
    return EditorFactory(
        organisation=stemlid_org, user=UserFactory(name="Ed", email="ed@example.nl", language="en")
    ).user


def url(organisation, **query):
    base = reverse("organisation-contact", args=[organisation.slug])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def message(**changes):
    data = {
        "name": "Fatima de Vries",
        "email": "fatima@example.org",
        "message": "Hoi, mag ik een keer meedoen met jullie taalcafé?",
        "website": "",
        "started": ContactForm.sign_start(time.time() - 60),
    }
    data.update(changes)
    return data


def test_the_form_is_linked_from_the_organisation_page_and_hides_the_editors_addresses(
    client, stemlid_org, stemlid_editor
):
    page = client.get(stemlid_org.get_absolute_url())
    assert url(stemlid_org) in page.text
    form = client.get(url(stemlid_org), HTTP_ACCEPT_LANGUAGE="en")
    assert form.status_code == 200
    assert 'name="message"' in form.text
    assert "We keep nothing of it on the website" in form.text
    assert stemlid_editor.email not in form.text
    assert stemlid_editor.email not in page.text


def test_a_message_reaches_every_editor_with_the_sender_as_reply_to_and_the_sender_gets_a_copy(
    client, stemlid_org, stemlid_editor, second_editor, mailoutbox
):
    response = client.post(url(stemlid_org), message(), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert response["Location"] == stemlid_org.get_absolute_url()
    to_editors = [mail for mail in mailoutbox if mail.to != ["fatima@example.org"]]
    assert sorted(mail.to[0] for mail in to_editors) == ["ed@example.nl", "sanne@example.nl"]
    for mail in to_editors:
        assert len(mail.to) == 1
        assert not mail.cc
        assert not mail.bcc
        assert mail.reply_to == ["Fatima de Vries <fatima@example.org>"]
        assert "mag ik een keer meedoen" in mail.body
    assert "Message from Fatima de Vries" in next(m for m in to_editors if m.to == ["ed@example.nl"]).subject
    (copy,) = [mail for mail in mailoutbox if mail.to == ["fatima@example.org"]]
    assert "mag ik een keer meedoen" in copy.body
    assert "sanne@example.nl" not in copy.body + copy.subject
    assert "ed@example.nl" not in copy.body
    assert not copy.reply_to
    followed = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert "Your message has been sent to Buurthuis Lombok" in followed.text


def test_from_an_activity_page_the_message_says_which_activity_it_is_about(
    client, stemlid_org, stemlid_editor, mailoutbox
):
    activity = ActivityFactory(title="Taalcafé Lombok", slug="taalcafe-lombok", organisations=[stemlid_org])
    page = client.get(activity.get_absolute_url())
    link = url(stemlid_org, over=activity.slug)
    assert link.replace("&", "&amp;") in page.text or link in page.text

    response = client.post(link, message())

    assert response["Location"] == activity.get_absolute_url()
    assert "Taalcafé Lombok" in mailoutbox[0].body
    assert "/activiteiten/taalcafe-lombok/" in mailoutbox[0].body


def test_without_editors_the_public_address_of_the_organisation_receives_it(client, lombok, mailoutbox):
    organisation = OrganisationFactory(email="info@buurtclub.nl")
    client.post(url(organisation), message())
    assert [mail.to for mail in mailoutbox] == [["info@buurtclub.nl"], ["fatima@example.org"]]


def test_an_organisation_nobody_reads_mail_for_gets_no_form(client, places, mailoutbox):
    organisation = OrganisationFactory(email="")
    page = client.get(url(organisation), HTTP_ACCEPT_LANGUAGE="en")
    assert "cannot receive messages" in page.text
    assert 'name="message"' not in page.text
    client.post(url(organisation), message())
    assert mailoutbox == []


def test_an_unpublished_organisation_has_no_contact_page(client, places):
    organisation = OrganisationFactory(is_published=False, email="x@example.nl")
    assert client.get(url(organisation)).status_code == 404


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"website": "http://spam.example"}, "looks like spam"),
        ({"started": lambda: ContactForm.sign_start(time.time())}, "That was very fast"),
        ({"started": lambda: ContactForm.sign_start(time.time() - 2 * 86400)}, "The form has expired"),
        ({"started": "12345:forged"}, "The form was damaged"),
        ({"email": "geen-adres"}, "Enter a valid email address"),
        ({"message": "hoi"}, "at least 10 characters"),
        ({"name": "   "}, "This field is required"),
    ],
)
@pytest.mark.usefixtures("stemlid_editor")
def test_spam_and_bad_input_get_a_clear_message_and_send_nothing(client, stemlid_org, mailoutbox, changes, error):
    changes = {key: value() if callable(value) else value for key, value in changes.items()}
    response = client.post(url(stemlid_org), message(**changes), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert error in response.text
    assert mailoutbox == []
    assert "mag ik een keer meedoen" in response.text or "message" in changes  # what was typed is kept


def test_an_expired_form_comes_back_with_a_fresh_start_so_sending_again_works(client, stemlid_org, stemlid_editor):
    response = client.post(url(stemlid_org), message(started=ContactForm.sign_start(time.time() - 2 * 86400)))
    fresh = re.search(r'name="started" value="([^"]+)"', response.text).group(1)
    assert ContactForm(message(started=fresh), now=time.time() + 10).is_valid()


def test_a_sender_is_stopped_after_five_messages_an_hour(client, stemlid_org, stemlid_editor, mailoutbox):
    for _n in range(views.CONTACT_MESSAGES_PER_SENDER):
        assert client.post(url(stemlid_org), message()).status_code == 302
    sent = len(mailoutbox)

    response = client.post(url(stemlid_org), message(), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 429
    assert "You have sent many messages" in response.text
    assert len(mailoutbox) == sent
    other = client.post(url(stemlid_org), message(email="iemand-anders@example.org"))
    assert other.status_code == 302


def test_one_internet_connection_is_stopped_after_too_many_attempts(client, stemlid_org, stemlid_editor, mailoutbox):
    for n in range(views.CONTACT_ATTEMPTS_PER_IP):
        client.post(url(stemlid_org), message(email=f"bot{n}@example.org", website="spam"))
    response = client.post(url(stemlid_org), message(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "Too many messages were sent from your internet connection" in response.text
    assert mailoutbox == []
    elsewhere = client.post(url(stemlid_org), message(), REMOTE_ADDR="192.0.2.7")
    assert elsewhere.status_code == 302


def test_behind_the_proxy_the_address_it_appended_counts(rf, settings):
    settings.TRUSTED_PROXIES = {"127.0.0.1"}
    proxied = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    assert client_ip(proxied) == "198.51.100.4"
    direct = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert client_ip(direct) == "203.0.113.9"
    garbage = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_ip(garbage) == "127.0.0.1"
