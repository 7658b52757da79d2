"""Applying for membership and the board's review, through HTTP as the people involved would."""

import csv
import io

import pytest
from django.core import mail

from samen030.memberships.models import Application, ApplicationEvent, Membership
from samen030.organisations.models import Editor, Organisation
from tests.factories import ApplicationFactory, EditorFactory, MembershipFactory, OrganisationFactory, UserFactory

CRITERIA = {
    "app-criterion_located": "Wij zitten aan de Kanaalstraat.",
    "app-criterion_residents": "Vijftien vrijwilligers uit Lombok.",
    "app-criterion_governance": "Bewoners beslissen samen.",
    "app-criterion_transparency": "Alles staat op onze website.",
    "app-criterion_commercial": "Wij verkopen niets.",
}


def application_post(**changes) -> dict:
    data = {
        "org-name": "Taalcafé Lombok",
        "org-kind": "bewoners",
        "org-description": "Elke dinsdag oefenen buren samen Nederlands.",
        "org-legal_form": "informeel",
        "org-buurten": ["BU03440121"],
        "org-place": "Utrecht",
        "app-requested_type": "stemlid",
        "app-confirm": "on",
        **CRITERIA,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_stranger_is_told_how_to_apply(client, places):
    response = client.get("/lid-worden/")
    assert response.status_code == 200
    assert "/account/login/?next=" in response.text
    assert "/account/signup/?next=" in response.text


def test_a_resident_applies_for_a_new_organisation(
    login, resident, board_member, places, django_capture_on_commit_callbacks
):
    client = login(resident)
    assert client.get("/lid-worden/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/lid-worden/", application_post())
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    organisation = application.organisation
    assert organisation.name == "Taalcafé Lombok"
    assert not organisation.is_published
    assert Editor.objects.filter(organisation=organisation, user=resident).exists()
    assert application.status == Application.Status.SUBMITTED
    assert application.criterion_residents == "Vijftien vrijwilligers uit Lombok."
    assert list(application.events.values_list("action", flat=True)) == ["submitted"]
    assert sorted(message.to[0] for message in mail.outbox) == [board_member.email, resident.email]
    assert client.get(application.get_absolute_url()).status_code == 200
    assert "Taalcafé Lombok" in client.get("/mijn/").text


def test_a_bad_application_saves_nothing_and_keeps_the_answers(login, resident, places):
    response = login(resident).post(
        "/lid-worden/",
        application_post(**{"org-kvk_number": "123", "app-criterion_governance": "", "app-confirm": None}),
    )
    assert response.status_code == 200
    assert "Vijftien vrijwilligers uit Lombok." in response.text
    assert 'value="Taalcafé Lombok"' in response.text
    assert response.text.count("utrecht-form-field--invalid") == 3
    assert 'id="form-errors"' in response.text
    assert not Organisation.objects.exists()
    assert not Application.objects.exists()


@pytest.mark.parametrize("requested", ["erelid", ""])
def test_an_unknown_membership_type_is_refused(login, resident, places, requested):
    response = login(resident).post("/lid-worden/", application_post(**{"app-requested_type": requested}))
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_an_editor_applies_again_for_an_existing_organisation(login, lombok):
    organisation = OrganisationFactory(is_published=False, buurten=[lombok])
    editor = EditorFactory(organisation=organisation).user
    ApplicationFactory(organisation=organisation, submitted_by=editor, status=Application.Status.REFUSED)
    client = login(editor)
    url = f"/organisaties/{organisation.slug}/lid-worden/"
    assert client.get(url).status_code == 200
    data = {key: value for key, value in application_post().items() if key.startswith("app-")}
    assert client.post(url, data).status_code == 302
    assert organisation.applications.filter(status=Application.Status.SUBMITTED).count() == 1
    # A second application while one is open is not possible.
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()


def test_only_editors_of_the_organisation_apply_for_it(login, stemlid_org, resident):
    assert login(resident).get(f"/organisaties/{stemlid_org.slug}/lid-worden/").status_code == 403


def test_the_board_admits_an_applicant_who_then_appears_in_the_overview(
    login, board_member, places, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(organisation__name="Moestuin Ondiep", organisation__slug="moestuin-ondiep")
    EditorFactory(organisation=application.organisation, user=application.submitted_by)
    board = login(board_member)
    assert "Moestuin Ondiep" in board.get("/bestuur/").text
    with django_capture_on_commit_callbacks(execute=True):
        response = board.post(
            f"/bestuur/aanmeldingen/{application.pk}/", {"decision": "admit_steunlid", "message": "Welkom!"}
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.ADMITTED
    assert application.decided_by == board_member
    membership = Membership.objects.get(organisation=application.organisation)
    assert membership.type == "steunlid"
    assert membership.end_date is None
    assert membership.application == application
    assert application.organisation.memberships.current().exists()
    assert [m.to for m in mail.outbox] == [[application.submitted_by.email]]
    assert "Welkom!" in mail.outbox[0].body
    overview = login(None).get("/leden/?q=moestuin")
    assert "Moestuin Ondiep" in overview.text
    assert login(None).get(application.organisation.get_absolute_url()).status_code == 200


def test_the_board_asks_for_information_and_the_applicant_answers(
    login, board_member, places, django_capture_on_commit_callbacks
):
    application = ApplicationFactory()
    applicant = application.submitted_by
    EditorFactory(organisation=application.organisation, user=applicant)
    with django_capture_on_commit_callbacks(execute=True):
        login(board_member).post(
            f"/bestuur/aanmeldingen/{application.pk}/", {"decision": "ask", "message": "Hoe beslissen bewoners mee?"}
        )
    application.refresh_from_db()
    assert application.status == Application.Status.INFO_REQUESTED
    assert "Hoe beslissen bewoners mee?" in mail.outbox[-1].body
    assert mail.outbox[-1].to == [applicant.email]
    page = login(applicant).get(application.get_absolute_url())
    assert "Hoe beslissen bewoners mee?" in page.text
    assert 'name="message"' in page.text
    answer = {
        "message": "Via een maandelijkse bewonersavond.",
        **{key.removeprefix("app-"): value for key, value in CRITERIA.items()},
        "criterion_governance": "Elke maand een open bewonersavond waar we samen beslissen.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = login(applicant).post(application.get_absolute_url(), answer)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.criterion_governance.startswith("Elke maand")
    assert list(application.events.values_list("action", flat=True)) == ["info_requested", "info_supplied"]
    assert mail.outbox[-1].to == [board_member.email]


def test_refusing_needs_a_reason_which_the_applicant_gets(
    login, board_member, places, django_capture_on_commit_callbacks
):
    application = ApplicationFactory()
    board = login(board_member)
    without = board.post(f"/bestuur/aanmeldingen/{application.pk}/", {"decision": "refuse", "message": " "})
    assert without.status_code == 200
    assert "utrecht-form-field--invalid" in without.text
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        board.post(
            f"/bestuur/aanmeldingen/{application.pk}/",
            {"decision": "refuse", "message": "U werkt niet in Utrecht."},
        )
    application.refresh_from_db()
    assert application.status == Application.Status.REFUSED
    assert application.decision_reason == "U werkt niet in Utrecht."
    assert "U werkt niet in Utrecht." in mail.outbox[-1].body
    assert not Membership.objects.exists()


def test_a_decided_application_cannot_be_decided_again(login, board_member, places):
    application = ApplicationFactory(status=Application.Status.REFUSED)
    board = login(board_member)
    page = board.get(f"/bestuur/aanmeldingen/{application.pk}/")
    assert 'name="decision"' not in page.text
    board.post(f"/bestuur/aanmeldingen/{application.pk}/", {"decision": "admit_stemlid"})
    assert not Membership.objects.exists()


def test_an_applicant_withdraws(login, places):
    application = ApplicationFactory()
    client = login(application.submitted_by)
    assert client.post(f"/aanmeldingen/{application.pk}/intrekken/").status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert client.post(f"/aanmeldingen/{application.pk}/intrekken/").status_code == 403


@pytest.mark.parametrize("url", ["/bestuur/", "/bestuur/ledenregister/", "/bestuur/aanmeldingen/{pk}/"])
def test_board_pages_are_for_the_board(login, resident, stemlid_editor, url):
    application = ApplicationFactory()
    url = url.format(pk=application.pk)
    assert login(None).get(url).status_code == 302
    assert login(resident).get(url).status_code in (403, 404)
    assert login(stemlid_editor).get(url).status_code in (403, 404)


def test_other_people_cannot_see_an_application(login, resident, places):
    application = ApplicationFactory()
    assert login(resident).get(application.get_absolute_url()).status_code == 404


def test_the_register_keeps_ended_memberships_and_exports_csv(
    login, board_member, stemlid_org, stemlid_editor, django_capture_on_commit_callbacks
):
    membership = stemlid_org.memberships.get()
    board = login(board_member)
    bad = board.post(f"/bestuur/lidmaatschappen/{membership.pk}/beeindigen/", {"end_date": "niet", "reason": ""})
    assert bad.status_code == 200
    assert bad.text.count("utrecht-form-field--invalid") == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = board.post(
            f"/bestuur/lidmaatschappen/{membership.pk}/beeindigen/",
            {"end_date": "2099-01-01", "reason": "Opgezegd door het lid."},
        )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert str(membership.end_date) == "2099-01-01"
    assert mail.outbox[-1].to == [stemlid_editor.email]
    register = board.get("/bestuur/ledenregister/")
    assert "Buurthuis Lombok" in register.text
    assert "01-01-2099" in register.text
    csv = board.get("/bestuur/ledenregister/?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert "Buurthuis Lombok,stemlid" in csv.content.decode()
    assert "Opgezegd door het lid." in csv.content.decode()


def test_the_register_csv_defuses_text_that_a_spreadsheet_would_run(login, board_member, stemlid_org):
    stemlid_org.name, stemlid_org.place = '=HYPERLINK("http://x.test")', "-Utrecht"
    stemlid_org.save()
    body = login(board_member).get("/bestuur/ledenregister/?format=csv").content.decode()
    header, row = list(csv.reader(io.StringIO(body)))
    assert (row[header.index("naam")], row[header.index("plaats")]) == ('\'=HYPERLINK("http://x.test")', "'-Utrecht")


def test_a_membership_cannot_end_before_it_started(login, board_member, stemlid_org):
    membership = stemlid_org.memberships.get()
    response = login(board_member).post(
        f"/bestuur/lidmaatschappen/{membership.pk}/beeindigen/", {"end_date": "1999-01-01", "reason": "Test"}
    )
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.end_date is None


def test_the_database_allows_one_open_membership_per_organisation(stemlid_org):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(organisation=stemlid_org)


def test_history_events_are_kept_in_order(login, board_member, places):
    application = ApplicationFactory()
    ApplicationEvent.objects.create(application=application, action="submitted", actor=application.submitted_by)
    login(board_member).post(f"/bestuur/aanmeldingen/{application.pk}/", {"decision": "admit_stemlid"})
    assert list(application.events.values_list("action", flat=True)) == ["submitted", "admitted"]


def test_a_board_member_who_is_also_an_editor_still_decides_as_board(login, places):
    board_editor = UserFactory(is_board=True)
    application = ApplicationFactory()
    EditorFactory(organisation=application.organisation, user=board_editor)
    response = login(board_editor).post(f"/bestuur/aanmeldingen/{application.pk}/", {"decision": "admit_stemlid"})
    assert response.status_code == 302
    assert Membership.objects.get().type == "stemlid"
