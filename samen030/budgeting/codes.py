"""Personal vote codes: random, unambiguous, stored only as a hash; printed as PDF letters with a QR code."""

from __future__ import annotations

import hashlib
import io
import math
import secrets
from collections.abc import Iterable

# 31 symbols without look-alikes (no 0/O, 1/I/L): 15 symbols carry 15 × log2(31) ≈ 74 bits of randomness.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 15
GROUP = 5


def code_bits() -> float:
    return CODE_LENGTH * math.log2(len(ALPHABET))


def new_code() -> str:
    """A fresh code such as 'K7QXM-2HDRT-9WPAE' (about 74 bits of randomness from the secrets module)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def normalise_code(text: str) -> str | None:
    """What a voter typed -> the canonical code, or None when it cannot be a code (spaces, dashes and lower
    case are fine)."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t")
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return "-".join(cleaned[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def hash_code(burgerbegroting_id: int, code: str) -> str:
    return hashlib.sha256(f"samen030-stemcode:{burgerbegroting_id}:{code}".encode()).hexdigest()


def letters_pdf(*, title: str, area: str, voting_until: str, ballot_url: str, codes: Iterable[str]) -> bytes:
    """One A4 letter per code: the code in large type and a QR code that opens the ballot with the code filled in."""
    import segno
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"Stemcodes {title}")
    _width, height = A4
    for code in codes:
        link = f"{ballot_url}?code={code}"
        pdf.setFont("Helvetica-Bold", 18)
        pdf.drawString(25 * mm, height - 40 * mm, title)
        pdf.setFont("Helvetica", 12)
        lines = [
            f"U mag meebeslissen over het geld voor {area}.",
            f"Stemmen kan {voting_until}. Scan de QR-code of ga naar:",
            ballot_url,
            "en vul daar uw persoonlijke stemcode in:",
        ]
        y = height - 55 * mm
        for line in lines:
            pdf.drawString(25 * mm, y, line)
            y -= 7 * mm
        pdf.setFont("Courier-Bold", 24)
        pdf.drawString(25 * mm, y - 8 * mm, code)
        qr = segno.make(link, error="m")
        png = io.BytesIO()
        qr.save(png, kind="png", scale=8, border=2)
        png.seek(0)
        pdf.drawImage(ImageReader(png), 25 * mm, y - 85 * mm, 60 * mm, 60 * mm)
        pdf.setFont("Helvetica", 10)
        pdf.drawString(
            25 * mm,
            y - 95 * mm,
            "Met deze code kunt u één keer stemmen. U kunt uw keuze veranderen tot de stemming sluit.",
        )
        pdf.drawString(25 * mm, y - 101 * mm, "Geef de code niet aan iemand anders. / This is your personal vote code.")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
