"""Small files of every kind an upload may be or pretend to be, made here (no binary in the
repository): the start of a Windows program, an HTML page, a PDF, a PNG, a JPEG, a Word
document and an Excel workbook."""

from __future__ import annotations

import io

import docx
import openpyxl
from matplotlib.figure import Figure

# A DOS/Windows executable starts with "MZ"; the rest is what a real one's header holds.
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + (b"This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 200)
)
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CSV = "name,country\nSolar clinics,KE\nÉcoles solaires,SN\n".encode()


def png() -> bytes:
    buffer = io.BytesIO()
    Figure(figsize=(0.2, 0.2)).savefig(buffer, format="png")
    return buffer.getvalue()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Figure(figsize=(0.2, 0.2)).savefig(buffer, format="jpeg")
    return buffer.getvalue()


def word() -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Minutes of the meeting")
    document.save(buffer)
    return buffer.getvalue()


def excel() -> bytes:
    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(["name", "country"])
    book.save(buffer)
    return buffer.getvalue()
