"""Real small files made on the spot: the demo command attaches them to demo items and the tests upload them."""

from __future__ import annotations

import io
import zipfile


def pdf(text: str = "Buurtcoöperatie plan", pages: int = 1) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=A4)
    for number in range(pages):
        drawing.drawString(72, 750, f"{text} {number + 1}" if pages > 1 else text)
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf("geheim"))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="geheim", owner_password="nog-geheimer")  # noqa: S106 (a test file)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx(text: str = "Projectplan voor de buurtkeuken") -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_heading("Plan", level=1)
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx(text: str = "Begroting buurtfeest") -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.append([text, 1250])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odt(text: str = "Evaluatie van de moestuin") -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:text><text:h>Titel</text:h><text:p>{text}</text:p></office:text></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def png(width: int = 64, height: int = 48, colour: tuple[int, int, int] = (0, 87, 92)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def zip_bomb_docx(unpacked_mb: int = 8) -> bytes:
    """A DOCX-shaped zip whose one entry unpacks to megabytes of zeros (a ratio of about 1000)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (unpacked_mb * 1024 * 1024))
    return buffer.getvalue()


def executable() -> bytes:
    """The start of a Windows program (MZ header), to be renamed to .pdf by a test."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\0" * 200
