"""Reading bank statements: CAMT.053 XML (ISO 20022, camt.053.001.02 and later) and the CSV exports of Rabobank and
ING (docs/funds.md, "Bank statements"). Pure functions: bytes in, statement lines out, or a ValidationError that says
what is wrong. Nothing here touches the database."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree.ElementTree import Element  # only the type; parsing goes through defusedxml

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from defusedxml.ElementTree import fromstring as parse_xml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .money import MAX_CENTS

CAMT053 = re.compile(r"^\{urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(\d\d)\}Document$")
MAX_STATEMENT_BYTES = 5 * 1024 * 1024
MAX_LINES = 10_000


@dataclass(frozen=True)
class StatementLine:
    booked_on: date
    amount: int  # cents: positive is money in (credit), negative is money out (debit)
    counterparty: str
    iban: str
    reference: str
    bank_reference: str = ""

    @property
    def fingerprint(self) -> str:
        """The same line in a file imported twice has the same fingerprint, so it is not matched twice."""
        parts = [self.booked_on.isoformat(), str(self.amount), self.iban, self.reference, self.bank_reference]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _error(message: str, code: str = "statement") -> ValidationError:
    return ValidationError(message, code=code)


def _cents(text: str, where: str) -> int:
    """'1234.56' or '1.234,56' → cents; refuses fractions of a cent."""
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise _error(_("%(where)s: %(value)s is not an amount.") % {"where": where, "value": text}) from None
    if not value.is_finite():
        raise _error(_("%(where)s: %(value)s is not an amount.") % {"where": where, "value": text})
    cents = value * 100
    if cents != cents.to_integral_value():
        raise _error(
            _("%(where)s: %(value)s has fractions of a cent.") % {"where": where, "value": text}, code="fraction"
        )
    if abs(cents) > MAX_CENTS:
        raise _error(_("%(where)s: the amount is too large.") % {"where": where})
    return int(cents)


def _date(text: str, where: str, formats: tuple[str, ...] = ("%Y-%m-%d",)) -> date:
    for fmt in formats:
        try:
            return datetime.strptime(text.strip()[:10] if fmt == "%Y-%m-%d" else text.strip(), fmt).date()
        except ValueError:
            continue
    raise _error(_("%(where)s: %(value)s is not a date.") % {"where": where, "value": text})


def _clean_iban(text: str) -> str:
    return re.sub(r"\s+", "", text or "").upper()


# CAMT.053 ----------------------------------------------------------------------------------------------------------


def _text(element: Element | None, path: str, ns: dict[str, str]) -> str:
    if element is None:
        return ""
    found = element.find(path, ns)
    return (found.text or "").strip() if found is not None else ""


def _party(details: Element | None, role: str, ns: dict[str, str]) -> tuple[str, str]:
    """Name and IBAN of the debtor or creditor; later versions wrap the party in <Pty>."""
    name = _text(details, f"c:RltdPties/c:{role}/c:Nm", ns) or _text(details, f"c:RltdPties/c:{role}/c:Pty/c:Nm", ns)
    iban = _text(details, f"c:RltdPties/c:{role}Acct/c:Id/c:IBAN", ns)
    return name, _clean_iban(iban)


def parse_camt053(data: bytes) -> list[StatementLine]:
    try:
        root = parse_xml(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise _error(_("This is not a readable XML file: %(error)s") % {"error": error}) from None
    match = CAMT053.match(root.tag)
    if match is None:
        raise _error(_("This XML file is not a CAMT.053 bank statement (camt.053.001.02 or later)."))
    ns = {"c": root.tag[1 : root.tag.index("}")]}
    statements = root.findall("c:BkToCstmrStmt/c:Stmt", ns)
    if not statements:
        raise _error(_("The bank statement has no statements in it."))
    lines = []
    for statement in statements:
        for number, entry in enumerate(statement.findall("c:Ntry", ns), start=1):
            where = _("Entry %(number)s") % {"number": number}
            amount_element = entry.find("c:Amt", ns)
            if amount_element is None or amount_element.text is None:
                raise _error(_("%(where)s has no amount.") % {"where": where})
            if amount_element.get("Ccy", "EUR") != "EUR":
                raise _error(_("%(where)s is not in euros.") % {"where": where})
            cents = _cents(amount_element.text, where)
            if cents <= 0:
                raise _error(_("%(where)s: the amount must be more than zero.") % {"where": where})
            direction = _text(entry, "c:CdtDbtInd", ns)
            if direction not in ("CRDT", "DBIT"):
                raise _error(_("%(where)s does not say whether money came in or went out.") % {"where": where})
            status = _text(entry, "c:Sts", ns) or _text(entry, "c:Sts/c:Cd", ns)
            if status and status != "BOOK":
                continue  # pending or informational entries are not bookings yet
            day = _text(entry, "c:BookgDt/c:Dt", ns) or _text(entry, "c:BookgDt/c:DtTm", ns)
            details = entry.find("c:NtryDtls/c:TxDtls", ns)
            name, iban = _party(details, "Dbtr" if direction == "CRDT" else "Cdtr", ns)
            remittance = " ".join(
                (element.text or "").strip()
                for element in (details.findall("c:RmtInf/c:Ustrd", ns) if details is not None else [])
            )
            end_to_end = _text(details, "c:Refs/c:EndToEndId", ns)
            if end_to_end == "NOTPROVIDED":
                end_to_end = ""
            lines.append(
                StatementLine(
                    booked_on=_date(day, where),
                    amount=cents if direction == "CRDT" else -cents,
                    counterparty=name[:150],
                    iban=iban[:34],
                    reference=" ".join(part for part in (remittance, end_to_end) if part)[:300],
                    bank_reference=_text(entry, "c:AcctSvcrRef", ns)[:100],
                )
            )
    return lines


# CSV ---------------------------------------------------------------------------------------------------------------

# Rabobank's CSV export ("CSV (komma gescheiden)") and ING's ("Kommagescheiden CSV", comma or semicolon).
RABOBANK = {"date": "Datum", "amount": "Bedrag", "iban": "Tegenrekening IBAN/BBAN", "name": "Naam tegenpartij"}
ING = {"date": "Datum", "amount": "Bedrag (EUR)", "iban": "Tegenrekening", "name": "Naam / Omschrijving"}


def _csv_rows(text: str) -> tuple[list[str], list[list[str]]]:
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    if not rows:
        raise _error(_("The file is empty."))
    return [cell.strip().lstrip("\ufeff") for cell in rows[0]], rows[1:]


def parse_csv(data: bytes) -> list[StatementLine]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    header, rows = _csv_rows(text)
    if all(column in header for column in RABOBANK.values()):
        layout = "rabobank"
    elif all(column in header for column in ING.values()) and "Af Bij" in header:
        layout = "ing"
    else:
        raise _error(
            _(
                "The CSV file does not have the columns of a Rabobank or ING export. Needed: %(rabo)s (Rabobank) "
                "or %(ing)s (ING)."
            )
            % {"rabo": ", ".join(RABOBANK.values()), "ing": ", ".join([*ING.values(), "Af Bij"])}
        )
    index = {name: position for position, name in enumerate(header)}
    lines = []
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = _("Line %(number)s") % {"number": number}
        if len(row) < len(header):
            raise _error(_("%(where)s has fewer columns than the header.") % {"where": where})

        def cell(name: str, row: list[str] = row) -> str:
            return row[index[name]].strip() if name in index else ""

        if layout == "rabobank":
            if cell("Munt") not in ("", "EUR"):
                raise _error(_("%(where)s is not in euros.") % {"where": where})
            amount_text = cell("Bedrag")
            sign = -1 if amount_text.startswith("-") else 1
            cents = _cents(amount_text.lstrip("+-"), where)
            booked_on = _date(cell("Datum"), where)
            reference = " ".join(filter(None, (cell(f"Omschrijving-{n}") for n in (1, 2, 3))))
            names = RABOBANK
        else:
            direction = cell("Af Bij").casefold()
            if direction not in ("af", "bij"):
                raise _error(_("%(where)s: Af Bij must be Af or Bij.") % {"where": where})
            sign = -1 if direction == "af" else 1
            cents = _cents(cell("Bedrag (EUR)"), where)
            booked_on = _date(cell("Datum"), where, ("%Y%m%d", "%Y-%m-%d", "%d-%m-%Y"))
            reference = cell("Mededelingen")
            names = ING
        if cents <= 0:
            raise _error(_("%(where)s: the amount must be more than zero.") % {"where": where})
        lines.append(
            StatementLine(
                booked_on=booked_on,
                amount=sign * cents,
                counterparty=cell(names["name"])[:150],
                iban=_clean_iban(cell(names["iban"]))[:34],
                reference=reference[:300],
                bank_reference=cell("Volgnr")[:100],
            )
        )
    return lines


def parse_statement(data: bytes, file_name: str = "") -> list[StatementLine]:
    """Read a CAMT.053 or CSV bank statement; the content decides, the name only breaks a tie."""
    if not data.strip():
        raise _error(_("The file is empty."))
    if len(data) > MAX_STATEMENT_BYTES:
        raise _error(_("The file is larger than 5 MB."))
    looks_like_xml = data.lstrip()[:1] == b"<" or file_name.lower().endswith(".xml")
    lines = parse_camt053(data) if looks_like_xml else parse_csv(data)
    if not lines:
        raise _error(_("There are no booked entries in the file."))
    if len(lines) > MAX_LINES:
        raise _error(_("The file has more than 10,000 entries; split it."))
    return lines
