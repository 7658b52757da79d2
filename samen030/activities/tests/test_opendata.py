"""Open data: the public page and its downloads, the CSV and HSDS exports (validated with frictionless), and the
CSV import through the command, with its report, dry run, commit modes and round trip."""

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from frictionless import Package

from samen030.activities.management.commands.import_activities import Progress
from samen030.activities.models import Activity
from samen030.activities.schedule import AMSTERDAM
from samen030.places.models import Postcode
from tests.factories import ActivityFactory, EditorFactory, OrganisationFactory, UserFactory


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def postcode(lombok):
    return Postcode.objects.create(pc6="3531AB", buurt=lombok)


@pytest.fixture
def listing(stemlid_org, lombok, postcode, places):
    """A public weekly coffee morning with exceptions, contact details, a price and two themes; plus an online
    service of two organisations, a paused and a hidden activity that must stay out of the export."""
    stemlid_org.email, stemlid_org.phone = "info@buurthuislombok.nl", "030 123 4567"
    stemlid_org.street, stemlid_org.house_number, stemlid_org.postcode = "Kanaalstraat", "14", "3531AB"
    stemlid_org.save()
    EditorFactory(organisation=stemlid_org, user=UserFactory(name="Geheime Redacteur", email="redacteur@example.nl"))
    coffee = ActivityFactory(
        title="Koffieochtend Lombok",
        slug="koffieochtend-lombok",
        organisations=[stemlid_org],
        themes=["ontmoeting", "ouderen"],
        location_buurt=lombok,
        venue="Buurthuis De Speler",
        exdates=["2026-12-22", "2026-12-29"],
        languages=["nl", "ar"],
        cost="prijs",
        price=Decimal("2.50"),
        step_free=True,
        contact_name="Fatima",
        contact_phone="06 1234 5678",
        confirmed_at=dt.datetime(2026, 3, 1, 12, tzinfo=AMSTERDAM),
    )
    partner = OrganisationFactory(name="Taalhuis Utrecht", slug="taalhuis-utrecht")
    ActivityFactory(
        title="Online taalspreekuur",
        slug="online-taalspreekuur",
        kind="dienst",
        organisations=[stemlid_org, partner],
        themes=["taal"],
        location="online",
        online_url="https://meet.example.nl/taal",
        street="",
        house_number="",
        postcode="",
        citywide=True,
        rrule="",
        contact_email="taal@example.nl",
        starts_at=dt.datetime(2026, 4, 2, 19, tzinfo=AMSTERDAM),
        ends_at=dt.datetime(2026, 4, 2, 20, 30, tzinfo=AMSTERDAM),
    )
    ActivityFactory(title="Gepauzeerd", slug="gepauzeerd", organisations=[stemlid_org], is_paused=True)
    ActivityFactory(title="Verborgen", slug="verborgen", organisations=[stemlid_org], hidden_at=timezone.now())
    return coffee


def read_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


# The public page and the downloads ---------------------------------------------------------------------------------


def test_open_data_page_explains_the_downloads_and_the_footer_links_to_it(client, listing):
    page = client.get(reverse("open-data")).content.decode()
    assert "CC BY" in page or "Creative Commons" in page
    for name in ("activiteiten-csv.zip", "activiteiten-hsds.zip"):
        assert reverse("open-data-download", args=[name]) in page
    assert reverse("open-data-download", args=["activiteiten.csv"]) in page
    assert reverse("open-data") in client.get(reverse("home")).content.decode()


def test_csv_download_has_one_row_per_public_activity_and_no_editors(client, listing):
    body = download(client, reverse("open-data-download", args=["activiteiten.csv"])).decode("utf-8")
    rows = read_csv(body)
    assert [row["slug"] for row in rows] == ["koffieochtend-lombok", "online-taalspreekuur"]
    coffee = rows[0]
    assert coffee["themes"] == "ontmoeting;ouderen"
    assert coffee["languages"] == "nl;ar"
    assert coffee["buurten"] == ""
    assert coffee["buurt"] == "BU03440121"
    assert coffee["postcode"] == "3531 AB"
    assert (coffee["dtstart"], coffee["dtend"]) == ("2026-03-17T10:00", "2026-03-17T12:00")
    assert coffee["rrule"] == "FREQ=WEEKLY"
    assert coffee["exdates"] == "2026-12-22;2026-12-29"
    assert (coffee["cost"], coffee["price"], coffee["step_free"]) == ("prijs", "2.50", "true")
    assert coffee["contact_phone"] == "06 1234 5678"
    assert coffee["url"].endswith("/activiteiten/koffieochtend-lombok/")
    online = rows[1]
    assert online["organisations"] == "buurthuis-lombok;taalhuis-utrecht"
    assert (online["location"], online["citywide"], online["rrule"]) == ("online", "true", "")
    assert "redacteur@example.nl" not in body
    assert "Geheime Redacteur" not in body


def test_csv_zip_has_activities_organisations_and_buurten(client, listing):
    archive = zipfile.ZipFile(
        io.BytesIO(download(client, reverse("open-data-download", args=["activiteiten-csv.zip"])))
    )
    assert {"activiteiten.csv", "organisaties.csv", "buurten.csv"} <= set(archive.namelist())
    organisations = read_csv(archive.read("organisaties.csv").decode())
    assert {row["slug"] for row in organisations} == {"buurthuis-lombok", "taalhuis-utrecht"}
    assert "redacteur@example.nl" not in archive.read("organisaties.csv").decode()
    buurten = read_csv(archive.read("buurten.csv").decode())
    assert len(buurten) == 111
    assert {"code": "BU03440121", "wijk_code": "WK034401"}.items() <= buurten[
        [b["code"] for b in buurten].index("BU03440121")
    ].items()


def test_unknown_download_is_a_404(client, db):
    assert client.get(reverse("open-data-download", args=["geheim.zip"])).status_code == 404


# HSDS ---------------------------------------------------------------------------------------------------------------


def validate_package(directory):
    return Package(str(directory / "datapackage.json")).validate()


def test_hsds_package_validates_against_its_schema(client, listing, tmp_path):
    archive = zipfile.ZipFile(
        io.BytesIO(download(client, reverse("open-data-download", args=["activiteiten-hsds.zip"])))
    )
    directory = tmp_path / "hsds"
    archive.extractall(directory)
    report = validate_package(directory)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    services = read_csv((directory / "services.csv").read_text())
    assert [service["name"] for service in services] == ["Koffieochtend Lombok", "Online taalspreekuur"]
    schedules = {row["service_id"]: row for row in read_csv((directory / "schedules.csv").read_text())}
    weekly = schedules[services[0]["id"]]
    assert (weekly["freq"], weekly["interval"], weekly["opens_at"], weekly["closes_at"]) == (
        "WEEKLY",
        "1",
        "10:00:00",
        "12:00:00",
    )
    assert "EXDATE;TZID=Europe/Amsterdam:20261222T100000,20261229T100000" in weekly["notes"]
    locations = read_csv((directory / "locations.csv").read_text())
    assert {location["location_type"] for location in locations} == {"physical", "virtual"}
    addresses = read_csv((directory / "addresses.csv").read_text())
    assert {address["postal_code"] for address in addresses} == {"3531 AB"}
    assert len(read_csv((directory / "languages.csv").read_text())) == 3
    terms = {row["code"] for row in read_csv((directory / "taxonomy_terms.csv").read_text())}
    assert {"ontmoeting", "taal", "step_free", "dienst"} <= terms
    everything = "".join(path.read_text() for path in directory.glob("*.csv"))
    assert "redacteur@example.nl" not in everything


def test_an_address_that_is_not_a_valid_email_is_left_out_of_hsds(listing, tmp_path):
    """A domain label may have at most 63 characters; an old import or the demo data may still hold a longer one."""
    organisation = listing.organisations.first()
    organisation.email = f"info@{'x' * 64}.example.nl"
    organisation.save()
    directory = tmp_path / "hsds"
    call_command("export_activities", "--format", "hsds", str(directory), stdout=io.StringIO())
    assert validate_package(directory).valid
    emails = {row["email"] for row in read_csv((directory / "organizations.csv").read_text())}
    assert organisation.email not in emails


def test_the_validator_notices_a_broken_foreign_key(listing, tmp_path):
    """Guards the test above: the validator would fail on a service of an organisation that is not there."""
    directory = tmp_path / "hsds"
    call_command("export_activities", "--format", "hsds", str(directory), stdout=io.StringIO())
    assert validate_package(directory).valid
    path = directory / "services.csv"
    rows = list(csv.reader(io.StringIO(path.read_text())))
    rows[1][1] = "00000000-0000-4000-8000-000000000000"
    with path.open("w", newline="") as stream:
        csv.writer(stream).writerows(rows)
    report = validate_package(directory)
    assert not report.valid
    assert "foreign-key" in {error_type for (error_type,) in report.flatten(["type"])}


def test_export_command_writes_csv_and_zip_files(listing, tmp_path):
    out = io.StringIO()
    call_command("export_activities", "--format", "csv", str(tmp_path / "a.csv"), stdout=out)
    assert "activiteiten.csv: 2" in out.getvalue()
    assert len(read_csv((tmp_path / "a.csv").read_text())) == 2
    call_command("export_activities", "--format", "hsds", str(tmp_path / "h.zip"), stdout=out)
    assert "datapackage.json" in zipfile.ZipFile(tmp_path / "h.zip").namelist()
    with pytest.raises(CommandError):
        call_command("export_activities", "--format", "csv", str(tmp_path / "missing" / "a.csv"), stdout=out)


# Import -------------------------------------------------------------------------------------------------------------


def run_import(path, *args):
    """(exit code, output) of the import command."""
    out = io.StringIO()
    try:
        call_command("import_activities", str(path), "--language", "en", *args, stdout=out, stderr=io.StringIO())
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def test_round_trip_csv_export_then_import_reproduces_the_activities(listing, tmp_path):
    first = tmp_path / "first.csv"
    call_command("export_activities", "--format", "csv", str(first), stdout=io.StringIO())
    Activity.objects.all().delete()
    code, output = run_import(first)
    assert code == 0, output
    assert "2 new" in output
    second = tmp_path / "second.csv"
    call_command("export_activities", "--format", "csv", str(second), stdout=io.StringIO())
    assert second.read_text() == first.read_text()
    coffee = Activity.objects.get(slug="koffieochtend-lombok")
    assert coffee.starts_at == dt.datetime(2026, 3, 17, 10, tzinfo=AMSTERDAM)
    assert coffee.exdates == ["2026-12-22", "2026-12-29"]


FORMULA_LIKE = {
    "title": "=1+1 koffie",
    "description": "- koffie\n- thee",
    "venue": "@Buurthuis",
    "contact_name": "'=Fatima",
    "contact_phone": "+31 6 1234 5678",
}


def test_text_that_a_spreadsheet_would_run_is_defused_and_the_round_trip_still_holds(listing, tmp_path):
    Activity.objects.filter(pk=listing.pk).update(**FORMULA_LIKE)
    first = tmp_path / "first.csv"
    call_command("export_activities", "--format", "csv", str(first), stdout=io.StringIO())
    coffee = read_csv(first.read_text())[0]
    assert {key: coffee[key] for key in FORMULA_LIKE} == {key: f"'{value}" for key, value in FORMULA_LIKE.items()}
    assert coffee["price"] == "2.50"
    hsds = tmp_path / "hsds"
    call_command("export_activities", "--format", "hsds", str(hsds), stdout=io.StringIO())
    report = validate_package(hsds)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert read_csv((hsds / "services.csv").read_text())[0]["name"] == "'=1+1 koffie"
    assert "'+31 6 1234 5678" in {row["number"] for row in read_csv((hsds / "phones.csv").read_text())}
    Activity.objects.all().delete()
    code, output = run_import(first)
    assert code == 0, output
    imported = Activity.objects.get(slug="koffieochtend-lombok")
    assert {key: getattr(imported, key) for key in FORMULA_LIKE} == FORMULA_LIKE
    second = tmp_path / "second.csv"
    call_command("export_activities", "--format", "csv", str(second), stdout=io.StringIO())
    assert second.read_text() == first.read_text()


SOCIAL_MAP = (
    "Titel;Omschrijving;Organisatie;Thema's;Doelgroep;Talen;Locatie;Adres;Postcode;Datum;Begintijd;Eindtijd;"
    "Herhaling;Kosten;Rolstoeltoegankelijk;Aanmelden;Telefoon\n"
    "Taalcafé;Oefen Nederlands.;Buurthuis Lombok;Taal, Ontmoeting;;Nederlands, Arabisch;De Speler;"
    "Kanaalstraat 12a;3531 ab;17-03-2026;10.00;12:00;tweewekelijks;€ 1,50;ja;aanmelden;030 111 2222\n"
)


def test_import_reads_a_social_map_export_with_dutch_columns(stemlid_org, postcode, tmp_path):
    path = tmp_path / "sociale-kaart.csv"
    path.write_text(SOCIAL_MAP, encoding="utf-8")
    code, output = run_import(path)
    assert code == 0, output
    activity = Activity.objects.get(title="Taalcafé")
    assert list(activity.organisations.all()) == [stemlid_org]
    assert sorted(activity.themes.values_list("slug", flat=True)) == ["ontmoeting", "taal"]
    assert activity.languages == ["nl", "ar"]
    assert (activity.street, activity.house_number, activity.postcode) == ("Kanaalstraat", "12a", "3531AB")
    assert activity.location_buurt == postcode.buurt
    assert activity.rrule == "FREQ=WEEKLY;INTERVAL=2"
    assert activity.starts_at == dt.datetime(2026, 3, 17, 10, tzinfo=AMSTERDAM)
    assert (activity.cost, activity.price, activity.step_free) == ("prijs", Decimal("1.50"), True)
    assert activity.joining == "aanmelden"
    assert "not used" not in output
    assert client_page_shows(activity)


@pytest.mark.usefixtures("stemlid_org", "postcode")
def test_imported_activities_are_found_by_search(tmp_path, client):
    path = tmp_path / "sociale-kaart.csv"
    path.write_text(SOCIAL_MAP, encoding="utf-8")
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=AMSTERDAM)):
        assert run_import(path)[0] == 0
        page = client.get(reverse("activity-search"), {"q": "taalcafe"}).content.decode()
    assert "Taalcafé" in page


def client_page_shows(activity):
    from django.test import Client

    return activity.title in Client().get(activity.get_absolute_url()).content.decode()


BAD_ROWS = (
    "title,description,organisations,themes,postcode,street,dtstart,dtend,rrule\n"
    "Goed,Prima.,buurthuis-lombok,ontmoeting,3531AB,Kanaalstraat,2026-03-17T10:00,2026-03-17T12:00,FREQ=WEEKLY\n"
    "Onbekende postcode,x,buurthuis-lombok,ontmoeting,9999ZZ,Kanaalstraat,2026-03-17T10:00,,\n"
    "Nooit,x,buurthuis-lombok,ontmoeting,3531AB,Kanaalstraat,2026-03-17T10:00,,FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\n"
    "Thema,x,buurthuis-lombok,breien,3531AB,Kanaalstraat,2026-03-17T10:00,,\n"
    "Achterstevoren,x,buurthuis-lombok,ontmoeting,3531AB,Kanaalstraat,2026-03-17T10:00,2026-03-17T09:00,\n"
    "Datum,x,buurthuis-lombok,ontmoeting,3531AB,Kanaalstraat,gisteren,,\n"
)


@pytest.fixture
def bad_file(stemlid_org, postcode, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD_ROWS, encoding="utf-8")
    return path


def test_bad_rows_get_a_report_per_row_and_nothing_is_saved(bad_file):
    code, output = run_import(bad_file)
    assert code == 1
    assert "row 3, column postcode: error: We do not know this postcode in Utrecht" in output
    assert "row 4, column rrule: error: This repeat rule gives no date" in output
    assert "row 5, column themes: error: breien is not one of our themes" in output
    assert "row 6, column dtend: error: The end time must be after the start time" in output
    assert "row 7, column dtstart: error: Write the start like" in output
    assert "row 2," not in output
    assert "6 rows read: 1 valid, 5 failed" in output
    assert "Nothing was saved" in output
    assert not Activity.objects.exists()


def test_the_report_speaks_dutch_by_default(bad_file):
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import_activities", str(bad_file), stdout=out)
    assert "rij 3, kolom postcode" in out.getvalue()
    assert "Er is niets opgeslagen" in out.getvalue()


def test_dry_run_checks_everything_and_saves_nothing(stemlid_org, postcode, tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text(BAD_ROWS.splitlines()[0] + "\n" + BAD_ROWS.splitlines()[1] + "\n", encoding="utf-8")
    code, output = run_import(path, "--dry-run")
    assert code == 0
    assert "1 rows read: 1 valid, 0 failed" in output
    assert "Dry run: nothing was saved." in output
    assert not Activity.objects.exists()


def test_skip_invalid_saves_the_valid_rows_and_still_fails(bad_file):
    code, output = run_import(bad_file, "--skip-invalid")
    assert code == 1
    assert list(Activity.objects.values_list("title", flat=True)) == ["Goed"]
    assert "Saved: 1 new, 0 changed." in output


def test_existing_web_address_needs_update(listing, tmp_path):
    path = tmp_path / "again.csv"
    call_command("export_activities", "--format", "csv", str(path), stdout=io.StringIO())
    path.write_text(path.read_text().replace("Koffieochtend Lombok", "Koffie-uurtje Lombok"))
    code, output = run_import(path)
    assert code == 1
    assert "exists already" in output
    code, output = run_import(path, "--update")
    assert code == 0, output
    assert Activity.objects.get(slug="koffieochtend-lombok").title == "Koffie-uurtje Lombok"
    assert "0 new, 2 changed" in output


def test_unsafe_markdown_is_neutralised_with_a_warning(stemlid_org, postcode, tmp_path, client):
    path = tmp_path / "unsafe.csv"
    rows = [
        ["title", "description", "organisations", "themes", "postcode", "street", "dtstart"],
        [
            "Veilig",
            'Hallo <script>alert(1)</script> <img src=x onerror="alert(2)"> [klik](javascript:alert(3))',
            "buurthuis-lombok",
            "ontmoeting",
            "3531AB",
            "Kanaalstraat",
            "2026-03-17T10:00",
        ],
    ]
    with path.open("w", newline="") as stream:
        csv.writer(stream).writerows(rows)
    code, output = run_import(path)
    assert code == 0, output
    assert "row 2, column description: warning: The description contained HTML or an unsafe link" in output
    activity = Activity.objects.get(title="Veilig")
    assert "javascript:" not in activity.description
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert "<img" not in page
    assert "&lt;script&gt;" in page


def test_default_organisation_and_unknown_columns(stemlid_org, postcode, tmp_path):
    path = tmp_path / "org.csv"
    path.write_text(
        "titel\tomschrijving\tthema\tpostcode\tstraat\tdatum\tbegintijd\tfavoriete kleur\n"
        "Buurtlunch\tSamen eten.\teten\t3531AB\tKanaalstraat\t2026-05-01\t12:30\tblauw\n",
        encoding="utf-8",
    )
    code, output = run_import(path, "--organisation", "buurthuis-lombok")
    assert code == 0, output
    assert "file, column favoriete kleur: warning: This column is not used." in output
    assert "file: warning: The file has no column with languages: we assume Dutch." in output
    assert "row 2" not in output
    activity = Activity.objects.get(title="Buurtlunch")
    assert list(activity.organisations.all()) == [stemlid_org]
    assert activity.starts_at == dt.datetime(2026, 5, 1, 12, 30, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("content", "encoding", "message"),
    [
        ("", "utf-8", "The file is empty"),
        ("naam van iets,datum\nx,2026-01-01\n", "utf-8", "no column with the title"),
        ("title,dtstart\nCafé,2026-01-01T10:00\n", "cp1252", "not UTF-8"),
    ],
)
def test_unreadable_files_give_a_message_not_a_traceback(stemlid_org, tmp_path, content, encoding, message):
    path = tmp_path / "file.csv"
    path.write_bytes(content.encode(encoding))
    with pytest.raises(CommandError, match=message) as raised:
        call_command("import_activities", str(path), "--language", "en", "--organisation", "buurthuis-lombok")
    assert raised.value.returncode == 2
    assert not Activity.objects.exists()


def test_missing_file_and_unknown_organisation_are_refused(stemlid_org, tmp_path):
    with pytest.raises(CommandError, match="File not found"):
        call_command("import_activities", str(tmp_path / "nope.csv"), "--language", "en")
    with pytest.raises(CommandError, match="We do not know the organisation"):
        call_command("import_activities", str(tmp_path / "nope.csv"), "--language", "en", "--organisation", "x")


def test_progress_bar_draws_on_a_terminal():
    from samen030.activities.importing import ImportReport

    stream = io.StringIO()
    bar = Progress(4, stream)
    report = ImportReport(rows=4, failed=1)
    bar(report)
    bar.close()
    assert "[##############################] 100% 4/4" in stream.getvalue()


def test_refresh_downloads_builds_the_files_that_the_page_serves(listing, settings, client):
    settings.OPEN_DATA_MAX_AGE = 3600
    out = io.StringIO()
    call_command("export_activities", "--refresh-downloads", stdout=out)
    assert "Built activiteiten-hsds.zip (organization: 2, service: 2" in out.getvalue()
    built = settings.VAR_DIR / "opendata" / "activiteiten.csv"
    assert built.exists()
    # A fresh file is served as it is: an activity added since shows up only after the next refresh.
    ActivityFactory(title="Nieuw", slug="nieuw", organisations=[listing.organisations.first()])
    body = download(client, reverse("open-data-download", args=["activiteiten.csv"])).decode()
    assert "nieuw" not in [row["slug"] for row in read_csv(body)]
    call_command("export_activities", "--refresh-downloads", stdout=out)
    body = download(client, reverse("open-data-download", args=["activiteiten.csv"])).decode()
    assert "nieuw" in [row["slug"] for row in read_csv(body)]


def test_export_queries_do_not_grow_with_the_number_of_activities(listing, django_assert_max_num_queries):
    """Related rows are fetched per chunk of activities, not per activity."""
    from samen030.activities import hsds, opendata

    organisation = listing.organisations.first()
    for number in range(30):
        ActivityFactory(title=f"Extra {number}", slug=f"extra-{number}", organisations=[organisation])
    with django_assert_max_num_queries(8):
        assert sum(1 for _row in opendata.activity_rows()) == 33
    for name, rows in hsds.ROWS.items():
        with django_assert_max_num_queries(8, info=name):
            list(rows())


def test_the_command_line_answers_a_missing_file_with_a_message_and_exit_code_2(tmp_path):
    """Through the real command line: Django prints the CommandError, no traceback, and exits with its code."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, str(root / "manage.py"), "import_activities", str(tmp_path / "nope.csv"), "--language", "en"],
        capture_output=True,
        text=True,
        env={**os.environ, "SAMEN030_TESTING": "1", "SAMEN030_VAR_DIR": str(tmp_path)},
        cwd=root,
        check=False,
        timeout=120,
    )
    assert result.returncode == 2
    assert "File not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_import_understands_places_repeats_and_other_encodings(stemlid_org, lombok, tmp_path):
    """At-home and online rows name the buurten they serve by name, by wijk or as the whole city."""
    path = tmp_path / "windows.csv"
    path.write_bytes(
        (
            "Titel;Omschrijving;Organisatie;Thema;Werkgebied;Online link;Datum;Begintijd;Herhaling;Tot en met;"
            "Uitzonderingen;Kosten\n"
            "Thuishulp;Wij komen bij u.;Buurthuis Lombok;zorg-en-welzijn;lombok-oost;;"
            "02-03-2026;14:00;maandelijks;31-12-2026;06-04-2026;vrijwillige bijdrage\n"
            "Café online;Praat mee.;buurthuis-lombok;ontmoeting;hele stad;https://meet.example.nl/cafe;"
            "2026-03-05;20u;eenmalig;;;gratis\n"
            "Wijkwandeling;Loop mee.;buurthuis-lombok;sport-en-bewegen;West;;2026-03-07;10:00;;;;\n"
        ).encode("cp1252")
    )
    code, output = run_import(path, "--encoding", "cp1252")
    assert code == 0, output
    home = Activity.objects.get(title="Thuishulp")
    assert (home.location, list(home.buurten.values_list("code", flat=True))) == ("thuis", [lombok.code])
    assert home.rrule == "FREQ=MONTHLY;BYDAY=+1MO;UNTIL=20261231T225959Z"
    assert (home.exdates, home.cost) == (["2026-04-06"], "bijdrage")
    online = Activity.objects.get(title="Café online")
    assert (online.location, online.citywide, online.rrule) == ("online", True, "")
    assert online.starts_at == dt.datetime(2026, 3, 5, 20, tzinfo=AMSTERDAM)
    walk = Activity.objects.get(title="Wijkwandeling")
    assert walk.buurten.count() == lombok.wijk.buurten.count() > 1


def test_a_time_range_column_and_errors_reported_in_the_files_own_columns(stemlid_org, postcode, tmp_path):
    path = tmp_path / "tijden.csv"
    path.write_text(
        "titel;omschrijving;thema;postcode;straat;datum;tijd\n"
        "Goed;x;eten;3531AB;Kanaalstraat;2026-03-17;10.00 - 12.00 uur\n"
        "Verkeerd om;x;eten;3531AB;Kanaalstraat;2026-03-17;12:00 tot 10:00\n"
        "Geen tijd;x;eten;3531AB;Kanaalstraat;2026-03-17;'s ochtends\n",
        encoding="utf-8",
    )
    code, output = run_import(path, "--organisation", "buurthuis-lombok", "--skip-invalid")
    assert code == 1
    assert "row 3, column tijd: error: The end time must be after the start time." in output
    assert "row 4, column tijd: error: Write the times like 10:00-12:00." in output
    activity = Activity.objects.get(title="Goed")
    assert (activity.starts_at, activity.ends_at) == (
        dt.datetime(2026, 3, 17, 10, tzinfo=AMSTERDAM),
        dt.datetime(2026, 3, 17, 12, tzinfo=AMSTERDAM),
    )


def test_hsds_schedule_columns_for_rules_that_hsds_cannot_express(stemlid_org, postcode):
    """HSDS has columns for weekly and monthly rules only; others keep the exact rule in notes."""
    from samen030.activities import hsds

    columns = hsds.RESOURCE_BY_NAME["schedule"].columns
    last_friday = ActivityFactory(
        organisations=[stemlid_org],
        starts_at=dt.datetime(2026, 3, 27, 15, tzinfo=AMSTERDAM),
        ends_at=None,
        rrule="FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1;UNTIL=20261231T225959Z",
    )
    row = dict(zip(columns, hsds.schedule_row(last_friday), strict=True))
    assert (row["freq"], row["byday"], row["until"], row["valid_to"]) == ("", "", "2026-12-31", "2026-12-31")
    assert "RRULE:FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1;UNTIL=20261231T225959Z" in row["notes"]
    assert (row["opens_at"], row["closes_at"]) == ("15:00:00", "")
    once = ActivityFactory(
        organisations=[stemlid_org],
        rrule="",
        starts_at=dt.datetime(2026, 7, 4, 20, tzinfo=AMSTERDAM),
        ends_at=dt.datetime(2026, 7, 4, 23, tzinfo=AMSTERDAM),
    )
    row = dict(zip(columns, hsds.schedule_row(once), strict=True))
    assert (row["valid_from"], row["valid_to"], row["freq"], row["opens_at"]) == (
        "2026-07-04",
        "2026-07-04",
        "",
        "20:00:00",
    )
