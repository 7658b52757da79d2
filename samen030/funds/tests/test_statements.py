"""Bank statements: CAMT.053 and CSV are read, matched to booked payments, and bad files book nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from samen030.funds import services
from samen030.funds.models import AuditEvent, BankImport, BankLine, Transaction
from samen030.funds.statements import parse_camt053, parse_csv, parse_statement
from tests.factories import OrganisationFactory

URL = "/fondsen/wijkbudget-west/bankafschriften/"


def camt(entries: str, version: str = "02") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}">
  <BkToCstmrStmt><GrpHdr><MsgId>1</MsgId><CreDtTm>2026-03-31T10:00:00</CreDtTm></GrpHdr>
    <Stmt><Id>1</Id><Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></Acct>{entries}</Stmt>
  </BkToCstmrStmt>
</Document>""".encode()


def entry(amount: str, direction: str, party: str, iban: str, text: str, *, day: str = "2026-03-02") -> str:
    role = "Cdtr" if direction == "DBIT" else "Dbtr"
    return f"""<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{direction}</CdtDbtInd><Sts>BOOK</Sts>
      <BookgDt><Dt>{day}</Dt></BookgDt><AcctSvcrRef>{text[:8]}-{amount}</AcctSvcrRef>
      <NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
        <RltdPties><{role}><Nm>{party}</Nm></{role}><{role}Acct><Id><IBAN>{iban}</IBAN></Id></{role}Acct></RltdPties>
        <RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"""


@pytest.fixture
def payments(funded, treasurer, second_treasurer):
    boog = OrganisationFactory(name="Buurthuis De Boog", iban="NL02RABO0123456789")
    by_reference = services.request_payment(
        fund=funded, requester=treasurer, amount=25_000, description="Zaalhuur", project="Feest", payee_name="Jan"
    )
    by_iban = services.request_payment(
        fund=funded, requester=treasurer, amount=40_050, description="Koffie", project="Feest", organisation=boog
    )
    services.approve_payment(payment=by_reference, approver=second_treasurer)
    services.approve_payment(payment=by_iban, approver=second_treasurer)
    by_reference.refresh_from_db()
    by_iban.refresh_from_db()
    return by_reference, by_iban


def test_a_camt053_statement_matches_payments_and_lists_what_did_not(login, funded, treasurer, payments):
    by_reference, by_iban = payments
    statement = camt(
        entry("250.00", "DBIT", "J. Jansen", "NL20INGB0001234567", f"Betaling {by_reference.bank_reference}")
        + entry("400.50", "DBIT", "Buurthuis De Boog", "NL02 RABO 0123 4567 89", "Koffie maart")
        + entry("1500.00", "CRDT", "Gemeente Utrecht", "NL86INGB0002445588", "Wijkbudget Q2", day="2026-03-05")
        + entry("12.00", "DBIT", "Bank", "", "Kosten")
    )
    tessa = login(treasurer)
    assert tessa.get(URL).status_code == 200
    response = tessa.post(
        URL, {"action": "import", "statement": SimpleUploadedFile("maart.xml", statement, "application/xml")}
    )
    assert response.status_code == 302
    by_reference.refresh_from_db()
    by_iban.refresh_from_db()
    assert by_reference.bank_line.booked_on == date(2026, 3, 2)
    assert by_iban.bank_line.amount == -40_050
    page = tessa.get(response["Location"])
    assert "Gemeente Utrecht" in page.text
    assert "Kosten" in page.text
    assert BankLine.objects.filter(payment__isnull=True).count() == 2

    # The incoming line is booked as income from the list of what did not match.
    incoming = BankLine.objects.get(amount=150_000)
    bank_before = services.bank_account(funded).balance
    assert tessa.post(URL, {"action": "income", "line": incoming.pk, "source": "gemeente"}).status_code == 302
    assert services.bank_account(funded).balance == bank_before + 150_000
    incoming.refresh_from_db()
    assert incoming.income.booked_on == date(2026, 3, 5)
    assert tessa.post(URL, {"action": "income", "line": incoming.pk, "source": "gemeente"}).status_code == 400

    # The same file again: every line was imported before; nothing is matched or booked twice.
    transactions = Transaction.objects.count()
    tessa.post(URL, {"action": "import", "statement": SimpleUploadedFile("maart.xml", statement, "application/xml")})
    assert BankLine.objects.count() == 4
    assert BankImport.objects.first().duplicates == 4  # the newest import
    assert Transaction.objects.count() == transactions
    assert AuditEvent.objects.filter(action="statement_imported").count() == 2


def test_later_camt_versions_are_read():
    xml = camt(
        """<Ntry><Amt Ccy="EUR">10.5</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-04-01</Dt></BookgDt><NtryDtls><TxDtls><RltdPties><Dbtr><Pty><Nm>Lid</Nm></Pty></Dbtr>
        </RltdPties><RmtInf><Ustrd>Contributie</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
        <Ntry><Amt Ccy="EUR">99</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>PDNG</Cd></Sts>
        <BookgDt><Dt>2026-04-02</Dt></BookgDt></Ntry>""",
        version="08",
    )
    (line,) = parse_camt053(xml)  # the pending entry is left out
    assert (line.amount, line.counterparty, line.reference) == (1_050, "Lid", "Contributie")


def test_rabobank_and_ing_csv_exports_are_read():
    rabobank = (
        b'"IBAN/BBAN","Munt","BIC","Volgnr","Datum","Rentedatum","Bedrag","Saldo na trn",'
        b'"Tegenrekening IBAN/BBAN","Naam tegenpartij","Omschrijving-1","Omschrijving-2","Omschrijving-3"\n'
        b'"NL91RABO0315273637","EUR","RABONL2U","000000000000000001","2026-03-02","2026-03-02","-250,00",'
        b'"+1000,00","NL20INGB0001234567","J. Jansen","Betaling S030-7","",""\n'
        b'"NL91RABO0315273637","EUR","RABONL2U","000000000000000002","2026-03-03","2026-03-03","+1.500,00",'
        b'"+2500,00","NL86INGB0002445588","Gemeente Utrecht","Wijkbudget","Q2",""\n'
    )
    first, second = parse_csv(rabobank)
    assert (first.amount, first.reference, first.iban) == (-25_000, "Betaling S030-7", "NL20INGB0001234567")
    assert (second.amount, second.reference) == (150_000, "Wijkbudget Q2")
    ing = (
        b'"Datum";"Naam / Omschrijving";"Rekening";"Tegenrekening";"Code";"Af Bij";"Bedrag (EUR)";"Mutatiesoort";'
        b'"Mededelingen"\n"20260304";"Bakkerij Kanaalstraat";"NL69INGB0123456789";"NL02RABO0123456789";"GT";"Af";'
        b'"45,10";"Online bankieren";"Brood buurtontbijt S030-9"\n'
    )
    (line,) = parse_csv(ing)
    assert (line.amount, line.booked_on, line.counterparty) == (-4_510, date(2026, 3, 4), "Bakkerij Kanaalstraat")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&lol2;</Document>"""


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("leeg.xml", b"   ", "empty"),
        ("kapot.xml", b"<Document><BkToCstmrStmt>", "not a readable XML"),
        ("dtd.xml", BILLION_LAUGHS, "not a readable XML"),
        ("pain.xml", b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>', "not a CAMT.053"),
        ("cent.xml", camt(entry("12.345", "DBIT", "X", "", "x")), "fractions of a cent"),
        ("dollar.xml", camt(entry("12", "DBIT", "X", "", "x").replace('Ccy="EUR"', 'Ccy="USD"')), "not in euros"),
        ("datum.xml", camt(entry("12", "DBIT", "X", "", "x", day="maart")), "not a date"),
        ("kolommen.csv", b"datum,bedrag\n2026-01-01,12\n", "columns of a Rabobank or ING"),
        ("half.xml", camt(entry("12", "DBIT", "X", "", "x") + "<Ntry><Amt>5</Amt></Ntry>"), "Entry 2"),
    ],
)
@pytest.mark.usefixtures("funded")
def test_malformed_statements_get_a_clear_message_and_book_nothing(login, treasurer, name, content, message):
    client = login(treasurer)
    client.cookies["django_language"] = "en"
    response = client.post(URL, {"action": "import", "statement": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.text
    assert not BankImport.objects.exists()
    assert not BankLine.objects.exists()
    assert not AuditEvent.objects.filter(action="statement_imported").exists()


def test_parse_statement_refuses_an_empty_statement():
    with pytest.raises(ValidationError):
        parse_statement(camt(""))


def test_only_treasurers_import_statements(login, funded, resident, board_member):
    assert login(resident).get(URL).status_code == 403
    assert login(board_member).get(URL).status_code == 403
