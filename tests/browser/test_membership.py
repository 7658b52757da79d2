"""Membership end to end: a resident applies through the form, the board admits, the public finds the member."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from samen030.memberships.forms import ApplicationForm, DecisionForm, MemberFilterForm
from samen030.memberships.models import Application, Membership
from samen030.organisations.forms import OrganisationForm
from samen030.organisations.models import Organisation
from samen030.places.models import Buurt
from tests.browser.conftest import nl
from tests.factories import PASSWORD, ApplicationFactory, OrganisationFactory

pytestmark = pytest.mark.browser


def label(form_class, name: str) -> re.Pattern[str]:
    """The accessible name of a form field as the site shows it in Dutch; optional fields add "(optional)"."""
    with nl_override():
        text = str(form_class.base_fields[name].label)
    return re.compile(rf"^{re.escape(text)}( \(.+\))?$")


def nl_override():
    return translation.override("nl")


def choice(form_class, name: str, value: str) -> str:
    with nl_override():
        return str(dict(form_class.base_fields[name].choices)[value])


def test_resident_applies_for_membership(browse, log_in, resident, places):
    page = browse.page
    browse.goto("/")
    browse.follow(page.get_by_role("navigation", name=nl("Main menu")).get_by_role("link", name=nl("Become a member")))
    assert browse.path == "/lid-worden/"
    # A stranger reads what we ask and is sent to log in first; after logging in they come back to the form.
    browse.follow(page.get_by_role("main").get_by_role("link", name=nl("Log in"), exact=True))
    assert browse.path.startswith("/account/login/")
    form = page.locator("main form")
    form.get_by_label(nl("Email")).fill(resident.email)
    form.get_by_label(nl("Password"), exact=True).fill(PASSWORD)
    browse.submit(form.get_by_role("button", name=nl("Sign In")))
    assert browse.path == "/lid-worden/"

    form = page.locator("main form")
    organisation_part = form.get_by_role("group", name=re.compile(re.escape(nl("1. About your organisation"))))
    application_part = form.get_by_role("group", name=re.compile(re.escape(nl("2. Your application"))))
    organisation_part.get_by_label(label(OrganisationForm, "name")).fill("Repair Café Lombok")
    organisation_part.get_by_label(label(OrganisationForm, "kind")).select_option(
        label=choice(OrganisationForm, "kind", Organisation.Kind.RESIDENTS)
    )
    description = "Elke zaterdag repareren buurtbewoners samen kapotte spullen in de Kanaalstraat."
    organisation_part.get_by_label(label(OrganisationForm, "description")).fill(description)
    organisation_part.get_by_label(label(OrganisationForm, "legal_form")).select_option(
        label=choice(OrganisationForm, "legal_form", Organisation.LegalForm.VERENIGING)
    )
    kvk = organisation_part.get_by_label(label(OrganisationForm, "kvk_number"))
    kvk.fill("123")
    # The buurten are checkboxes, grouped per wijk: Lombok-Oost is found under West.
    buurten = organisation_part.get_by_role("group", name=label(OrganisationForm, "buurten"))
    west = buurten.get_by_role("group", name="West", exact=True)
    west.get_by_role("checkbox", name="Lombok-Oost", exact=True).check()
    expect(buurten.get_by_role("checkbox", name="Lombok-Oost", exact=True)).to_have_count(1)

    answers = {
        "criterion_located": "Wij zitten in het buurthuis aan de Kanaalstraat, in Lombok.",
        "criterion_residents": "Vijftien vrijwilligers uit Lombok repareren samen met bezoekers.",
        "criterion_governance": "De vrijwilligers beslissen samen in een maandelijks overleg.",
        "criterion_transparency": "Iedereen is welkom; ons verslag hangt in het buurthuis.",
        "criterion_commercial": "Wij verkopen niets; reparaties zijn gratis.",
    }
    for field, answer in answers.items():
        application_part.get_by_label(label(ApplicationForm, field)).fill(answer)
    application_part.get_by_role("radio", name=choice(ApplicationForm, "requested_type", "stemlid")).check()
    application_part.get_by_role("checkbox", name=label(ApplicationForm, "confirm")).check()

    browse.submit(form.get_by_role("button", name=nl("Send application")))
    # Not saved; the error sits with the KvK field, is announced by it, and is listed in the summary at the top.
    assert browse.path == "/lid-worden/"
    assert not Organisation.objects.filter(name="Repair Café Lombok").exists()
    error = nl("A KvK number has exactly 8 digits.")
    summary = page.get_by_role("alert").filter(has_text=nl("Something is not right yet. Please check:"))
    expect(summary).to_contain_text(error)
    kvk = page.get_by_label(label(OrganisationForm, "kvk_number"))
    expect(kvk).to_have_attribute("aria-invalid", "true")
    expect(kvk).to_have_accessible_description(re.compile(re.escape(error)))
    field = page.locator(".utrecht-form-field").filter(has=kvk)
    expect(field.locator(".utrecht-form-field-error-message")).to_have_text(error)
    expect(field.locator(".utrecht-form-field-error-message")).to_be_visible()
    # Following the summary's link brings you to the field.
    summary.get_by_role("link", name=str(nl("KvK number"))).click()
    expect(kvk).to_be_in_viewport()
    browse.check_accessibility()  # the link moved to #id_org-kvk_number: a same-document navigation
    # Everything typed is kept.
    expect(kvk).to_have_value("123")
    expect(page.get_by_label(label(OrganisationForm, "name"))).to_have_value("Repair Café Lombok")
    expect(page.get_by_label(label(OrganisationForm, "description"))).to_have_value(description)
    expect(page.get_by_label(label(OrganisationForm, "kind"))).to_have_value(Organisation.Kind.RESIDENTS)
    expect(page.get_by_role("checkbox", name="Lombok-Oost", exact=True)).to_be_checked()
    expect(page.get_by_role("checkbox", name="Lombok-West", exact=True)).not_to_be_checked()
    for field_name, answer in answers.items():
        expect(page.get_by_label(label(ApplicationForm, field_name))).to_have_value(answer)
    expect(page.get_by_role("radio", name=choice(ApplicationForm, "requested_type", "stemlid"))).to_be_checked()

    kvk.fill("12345678")
    page.get_by_role("checkbox", name=label(ApplicationForm, "confirm")).check()
    browse.submit(page.locator("main form").get_by_role("button", name=nl("Send application")))

    application = Application.objects.get(organisation__name="Repair Café Lombok")
    assert browse.path == f"/aanmeldingen/{application.pk}/"
    assert application.requested_type == "stemlid"
    assert application.organisation.kvk_number == "12345678"
    assert list(application.organisation.buurten.values_list("code", flat=True)) == ["BU03440121"]
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_contain_text("Repair Café Lombok")
    expect(main.get_by_role("status")).to_contain_text(
        nl("Thank you! We received your application. You will get an email when there is news.")
    )
    with nl_override():
        submitted = str(Application.Status.SUBMITTED.label)
    expect(main.locator(".utrecht-status-badge")).to_have_text(submitted)


@pytest.fixture
def open_application(places):
    organisation = OrganisationFactory(
        name="Repair Café Lombok",
        slug="repair-cafe-lombok",
        is_published=False,
        buurten=[Buurt.objects.get(code="BU03440121")],
    )
    return ApplicationFactory(organisation=organisation, requested_type="stemlid")


def card_names(browse) -> list[str]:
    return browse.page.locator("main .samen030-card h3").all_inner_texts()


@pytest.mark.usefixtures("member_elsewhere", "stemlid_org")
def test_board_admits_and_the_public_finds_the_member(browse, open_page, log_in, board_member, open_application):
    page = browse.page
    log_in(browse, board_member)
    browse.follow(page.get_by_role("navigation", name=nl("Main menu")).get_by_role("link", name=nl("Board")))
    assert browse.path == "/bestuur/"
    table = page.get_by_role("table", name=nl("Open membership applications, oldest first"))
    browse.follow(table.get_by_role("link", name="Repair Café Lombok"))
    assert browse.path == f"/bestuur/aanmeldingen/{open_application.pk}/"

    decision = page.get_by_role("group", name=re.compile(rf"^{re.escape(nl('Decision'))}"))
    decision.get_by_role("radio", name=choice(DecisionForm, "decision", DecisionForm.Decision.ADMIT_STEMLID)).check()
    browse.submit(page.get_by_role("button", name=nl("Save decision")))
    expect(page.get_by_role("status")).to_contain_text(nl("The organisation is admitted. The applicant gets an email."))
    with nl_override():
        admitted = str(Application.Status.ADMITTED.label)
    expect(page.get_by_role("main").locator(".utrecht-status-badge")).to_have_text(admitted)
    membership = Membership.objects.get(organisation=open_application.organisation)
    assert membership.type == "stemlid"

    # The public overview lists the new member; the name search finds it.
    browse.follow(page.get_by_role("navigation", name=nl("Main menu")).get_by_role("link", name=nl("Our members")))
    assert browse.path == "/leden/"
    assert sorted(card_names(browse)) == ["Buurthuis Lombok", "Repair Café Lombok", "Repair Café Overvecht"]
    filters = page.get_by_role("search", name=nl("Filter members"))
    filters.get_by_label(label(MemberFilterForm, "q")).fill("Repair Café L")
    browse.submit(filters.get_by_role("button", name=nl("Show members")))
    assert card_names(browse) == ["Repair Café Lombok"]
    expect(page.get_by_role("heading", name=re.compile(r"^1 "))).to_be_visible()

    # The wijk filter: only members active in West. The filters live in the URL.
    filters.get_by_label(label(MemberFilterForm, "q")).fill("")
    filters.get_by_label(label(MemberFilterForm, "wijk")).select_option(label="West")
    browse.submit(filters.get_by_role("button", name=nl("Show members")))
    assert "wijk=WK034401" in browse.path
    west = card_names(browse)
    assert sorted(west) == ["Buurthuis Lombok", "Repair Café Lombok"]
    expect(filters.get_by_label(label(MemberFilterForm, "wijk"))).to_have_value("WK034401")

    # Shared with someone else: the same address shows the same members to a stranger.
    shared = open_page()
    shared.goto(browse.path)
    assert card_names(shared) == west
    expect(shared.page.get_by_label(label(MemberFilterForm, "wijk"))).to_have_value("WK034401")

    browse.follow(page.get_by_role("main").get_by_role("link", name="Repair Café Lombok", exact=True))
    assert browse.path == "/organisaties/repair-cafe-lombok/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Repair Café Lombok")
