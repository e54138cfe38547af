"""``core.uploads``: a file is what its content is, whatever its name and declared type say;
stored files are named by a random id."""

from __future__ import annotations

import io
import re
import zipfile

import filetype
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from pledgebook.core import uploads
from tests import samples

NOT_EVIDENCE = (
    "“{}” is not a PDF, PNG, JPEG, CSV, Word (.docx) or Excel (.xlsx) file (judged by its "
    "content, whatever its name says): choose another file."
)


def upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "declared"),
    [
        ("setup.exe", samples.EXE, "application/x-msdownload"),
        ("invoice.pdf", samples.EXE, "application/pdf"),
        ("photo.png", samples.HTML, "image/png"),
        ("figures.csv", samples.HTML, "text/csv"),
        ("archive.docx", None, "application/vnd.openxmlformats-officedocument"),
        ("empty.pdf", b"", "application/pdf"),
    ],
)
def test_content_that_is_not_allowed_is_refused_whatever_its_name(name, content, declared):
    if content is None:  # a ZIP that is no Office document
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("setup.exe", samples.EXE)
        content = buffer.getvalue()
    file = upload(name, content, declared)
    with pytest.raises(ValidationError) as error:
        uploads.check(file, uploads.EVIDENCE)
    assert error.value.messages == [NOT_EVIDENCE.format(name)]
    assert file.content_type == declared


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("Minutes.PDF", samples.PDF, "application/pdf"),
        ("chart.png", samples.png(), "image/png"),
        ("photo.jpeg", samples.jpeg(), "image/jpeg"),
        ("photo.jpg", samples.jpeg(), "image/jpeg"),
        ("figures.csv", samples.CSV, "text/csv"),
        ("figures.csv", "name;pays\nÉcole;SN\n".encode("utf-16"), "text/csv"),
        ("figures.csv", "name,country\nÉcole,SN\n".encode("cp1252"), "text/csv"),
        (
            "minutes.docx",
            samples.word(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "budget.xlsx",
            samples.excel(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_allowed_content_is_accepted_with_the_type_found(name, content, mime):
    file = upload(name, content, "application/octet-stream")
    assert uploads.check(file, uploads.EVIDENCE).mime == mime
    assert file.content_type == mime
    assert file.read() == content  # the check read the head and put the file back


def test_an_office_file_whose_first_entries_say_nothing_is_recognised_by_its_parts():
    # Some writers put other parts first: the signature library sees only a ZIP.
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(samples.word())) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for n in range(5):
            target.writestr(f"customXml/extra{n}.xml", "<item/>")
        for name in source.namelist():
            target.writestr(name, source.read(name))
    content = buffer.getvalue()
    assert filetype.guess_mime(content) == "application/zip"
    file = upload("minutes.docx", content, "application/octet-stream")
    assert uploads.check(file, uploads.EVIDENCE) is uploads.DOCX


def test_a_name_that_lies_about_allowed_content_is_refused():
    file = upload("invoice.pdf", samples.png(), "application/pdf")
    with pytest.raises(ValidationError) as error:
        uploads.check(file, uploads.EVIDENCE)
    assert error.value.messages == [
        "“invoice.pdf” is a PNG file but its name does not end in .png: rename it, or "
        "choose the file you meant."
    ]


def test_tables_are_csv_or_xlsx_only():
    with pytest.raises(ValidationError) as error:
        uploads.check(upload("coalitions.xlsx", samples.PDF, "text/csv"), uploads.TABLES)
    assert error.value.messages == [
        "“coalitions.xlsx” is not a CSV or Excel (.xlsx) file (judged by its content, whatever "
        "its name says): choose another file."
    ]
    assert uploads.check(upload("c.xlsx", samples.excel(), "text/csv"), uploads.TABLES) == (
        uploads.XLSX
    )


def test_stored_names_are_random_ids_with_the_extension_only():
    name = uploads.StoredName("evidence")
    first = name(None, "../../etc/Annual report <final>.PDF")
    second = name(None, "Annual report <final>.PDF")
    assert re.fullmatch(r"evidence/\d{4}/[0-9a-f]{32}\.pdf", first)
    assert first != second
    assert re.fullmatch(r"evidence/\d{4}/[0-9a-f]{32}", name(None, "no extension"))
