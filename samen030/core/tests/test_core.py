import subprocess
import sys

from django.db import DatabaseError

from samen030.cli import main


def test_healthz_says_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_says_503_when_the_database_fails(client, db, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise DatabaseError("connection lost")

    with monkeypatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", broken)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_the_language_switch_shows_english(client, places):
    response = client.get("/taal/?taal=en&next=/wijken/", follow=True)
    assert response.status_code == 200
    assert '<html lang="en"' in response.text
    assert "Wijken and buurten of Utrecht" in response.text
    dutch = client.get("/taal/?taal=nl&next=/wijken/", follow=True)
    assert '<html lang="nl"' in dutch.text
    assert "Wijken en buurten van Utrecht" in dutch.text


def test_dutch_is_the_default_language(client, places):
    response = client.get("/")
    assert '<html lang="nl"' in response.text
    assert "Utrechters aan zet in eigen buurt en wijk" in response.text


def test_the_command_line_runs_management_commands(capsys, db):
    assert main(["samen030", "check"]) == 0
    assert "no issues" in capsys.readouterr().out


def test_the_console_script_is_installed():
    result = subprocess.run(
        [sys.executable, "-m", "samen030.cli", "help", "load_places"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "111 buurten" in result.stdout


def test_every_page_has_a_skip_link_and_landmarks(client, places):
    response = client.get("/wijken/")
    assert 'href="#main"' in response.text
    assert '<main class="utrecht-page-content" id="main"' in response.text
    assert "<nav" in response.text
    assert "<footer" in response.text


def test_load_demo_is_idempotent_and_refuses_without_debug(db, settings):
    import pytest
    from django.core.management import CommandError, call_command

    from samen030.memberships.models import Application, Membership
    from samen030.organisations.models import Organisation
    from samen030.places.models import Wijk

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")
    call_command("load_demo", "--force", organisations=150)
    count = Organisation.objects.count()
    assert count >= 150
    assert Membership.objects.current().filter(type="stemlid").exists()
    assert Membership.objects.current().filter(type="steunlid").exists()
    assert Application.objects.filter(status__in=Application.OPEN_STATUSES).exists()
    for wijk in Wijk.objects.all():
        assert Organisation.objects.active_in_wijk(wijk).exists(), wijk
    call_command("load_demo", "--force", organisations=150)
    assert Organisation.objects.count() == count


def test_demo_addresses_stay_valid_for_long_organisation_names():
    from django.core.validators import validate_email

    from samen030.core.management.commands.load_demo import demo_domain

    long_slug = "stichting-bewonersondersteuning-en-buurtontwikkeling-transwijk-kanaleneiland-zuid"
    assert len(long_slug) > 63
    validate_email(f"info@{demo_domain(long_slug)}")  # activities copy it; the import and the forms check it
    assert demo_domain("buurthuis-lombok") == "buurthuis-lombok.example.nl"


def test_an_unknown_page_gets_a_helpful_404_in_the_site_layout(client, db, settings):
    settings.DEBUG = False
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "utrecht-page-layout" in response.text
    assert 'href="/"' in response.text


def test_a_form_without_csrf_token_gets_a_plain_explanation(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/account/login/", {"login": "a@b.nl", "password": "x"})
    assert response.status_code == 403
    assert "utrecht-page-layout" in response.text


def test_the_language_switch_only_returns_to_this_site(client, db):
    response = client.get("/taal/?taal=en&next=https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.cookies["django_language"].value == "en"
    unknown = client.get("/taal/?taal=xx&next=/wijken/")
    assert unknown["Location"] == "/wijken/"
    assert client.cookies["django_language"].value == "en"


def test_public_pages_are_cached_for_visitors_and_refreshed_after_a_change(
    client, login, settings, stemlid_org, board_member
):
    from samen030.organisations.models import Organisation

    settings.PAGE_CACHE_SECONDS = 60
    url = stemlid_org.get_absolute_url()
    first = client.get(url)
    assert "csrfmiddlewaretoken" not in first.text
    Organisation.objects.filter(pk=stemlid_org.pk).update(description="Veranderd buiten de site om")
    assert "Veranderd buiten de site om" not in client.get(url).text  # served from the cache
    assert "Veranderd buiten de site om" in login(board_member).get(url).text  # logged in: always fresh
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en", headers={"Cookie": "django_language=en"})
    assert english.status_code == 200
    # A change made through the site (any successful POST) makes every visitor see fresh pages.
    login(board_member).post(f"/organisaties/{stemlid_org.slug}/redacteuren/", {"email": "nieuw@example.nl"})
    assert "Veranderd buiten de site om" in client.get(url).text


def test_the_command_line_runs_the_pb_engine(capsys):
    import json
    from pathlib import Path

    election = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "pabulib"
    code = main(["samen030", "pb", "outcome", str(election / "Poland_Warszawa_2018_Pole_Mokotowskie.pb"), "--json"])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["selected"] == ["658"]
    assert result["total_cost"] == 21064


def test_the_home_page_links_to_the_funds_and_the_participatory_budgets(client, places):
    page = client.get("/").content.decode()
    assert 'href="/fondsen/"' in page
    assert 'href="/burgerbegroting/"' in page
    assert "Buurtgeld" in page
