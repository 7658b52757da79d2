"""Sign-up with email verification, log-in, lock-out and password reset, through allauth's real pages."""

import os
import re
import subprocess
import sys

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from samen030.accounts.models import User
from tests.factories import PASSWORD, UserFactory


def verification_link(message) -> str:
    found = re.search(r"https?://[^/\s]+(/account/confirm-email/\S+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_sign_up_needs_email_verification_before_log_in(client, db):
    response = client.post(
        "/account/signup/",
        {
            "name": "Nadia",
            "email": "Nadia@Example.nl",
            "password1": "een-lang-wachtwoord-9",
            "password2": "een-lang-wachtwoord-9",
        },
    )
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "nadia@example.nl"
    assert user.name == "Nadia"
    assert not user.has_verified_email
    assert len(mail.outbox) == 1
    link = verification_link(mail.outbox[0])
    # Not verified yet: logging in sends another verification mail instead of logging in.
    client.post("/account/login/", {"login": "nadia@example.nl", "password": "een-lang-wachtwoord-9"})
    assert "_auth_user_id" not in client.session
    client.post(link)
    assert EmailAddress.objects.get(user=user).verified
    response = client.post("/account/login/", {"login": "nadia@example.nl", "password": "een-lang-wachtwoord-9"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_up_with_bad_input_explains_and_keeps_what_was_typed(client, db):
    UserFactory(email="bestaat@example.nl")
    response = client.post(
        "/account/signup/", {"name": "Nadia", "email": "bestaat@example.nl", "password1": "kort", "password2": "anders"}
    )
    assert response.status_code == 200
    assert 'value="Nadia"' in response.text
    assert 'value="bestaat@example.nl"' in response.text
    assert "utrecht-form-field--invalid" in response.text
    assert User.objects.count() == 1


def test_the_account_is_locked_after_five_failed_log_ins(client, resident):
    for _attempt in range(5):
        response = client.post("/account/login/", {"login": resident.email, "password": "fout"})
        assert response.status_code == 200
    # Now even the right password is refused for a while.
    response = client.post("/account/login/", {"login": resident.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)


def test_a_correct_log_in_works_before_the_lock_out(client, resident):
    for _attempt in range(3):
        client.post("/account/login/", {"login": resident.email, "password": "fout"})
    client.post("/account/login/", {"login": resident.email, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(resident.pk)


def test_behind_the_proxy_failed_log_ins_are_counted_per_visitor(resident, settings):
    """nginx connects from 127.0.0.1 for everyone: counted by that address, one attacker would lock out all."""
    settings.TRUSTED_PROXIES = {"127.0.0.1"}
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/15m/ip,50/15m/key"}
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    for attempt in range(3):
        attacker.post("/account/login/", {"login": f"gok{attempt}@example.nl", "password": "fout"})
    attacker.post("/account/login/", {"login": resident.email, "password": PASSWORD})
    assert "_auth_user_id" not in attacker.session  # the attacker's address is locked out
    neighbour = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    neighbour.post("/account/login/", {"login": resident.email, "password": PASSWORD})
    assert neighbour.session["_auth_user_id"] == str(resident.pk)


def test_password_reset_by_email(client, resident):
    response = client.post("/account/password/reset/", {"email": resident.email})
    assert response.status_code == 302
    link = re.search(r"https?://[^/\s]+(/account/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": "nieuw-wachtwoord-2026", "password2": "nieuw-wachtwoord-2026"},
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.check_password("nieuw-wachtwoord-2026")


def test_a_reset_for_an_unknown_address_does_not_reveal_anything(client, db):
    response = client.post("/account/password/reset/", {"email": "niemand@example.nl"})
    assert response.status_code == 302


def test_production_hashes_passwords_with_argon2():
    code = "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])"
    env = {k: v for k, v in os.environ.items() if k != "SAMEN030_TESTING"} | {
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "samen030.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_my_account_needs_log_in(client, login, resident):
    assert client.get("/mijn/").status_code == 302
    assert resident.name in login(resident).get("/mijn/").text


@pytest.mark.parametrize("url", ["/account/login/", "/account/signup/", "/account/password/reset/"])
def test_account_pages_use_the_platform_layout(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "utrecht-page-layout" in response.text
    assert "utrecht-textbox" in response.text


def test_the_board_and_admins_reach_the_management_pages(login, board_member, platform_admin, resident):
    assert login(board_member).get("/beheer/").status_code == 200
    assert login(platform_admin).get("/beheer/").status_code == 200
    assert login(resident).get("/beheer/").status_code == 302
    assert login(board_member).get("/beheer/memberships/application/").status_code == 200
    assert login(board_member).get("/beheer/accounts/user/").status_code == 200
