"""``exports.SheetRows`` writes the rows of the open data's long sheets as openpyxl does: the
same workbook bytes as appending the rows to openpyxl's write-only sheet."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.exceptions import IllegalCharacterError

from pledgebook.reporting.exports import SheetRows

TRICKY: list[list[Any]] = [
    [1, "", None, " leading", "trailing ", "x\r\ny&<>\"'\t", "#N/A", "#DIV/0!", "#n/a"],
    [Decimal("1000.00"), Decimal("30.5"), Decimal("0E-10"), Decimal("1.5E+3"), 2**60, -7],
    ["é", "😀 a\u00a0", "\u2028x", "ab\x85", "A\u0300", "\ufeff", "=1+1", "=", "plain"],
    [None, None, "last column far"] + [None] * 20 + [Decimal("0.01")],
    ["é" * 40000, " " + "x" * 32766 + " "],  # longer than a cell holds: cut as openpyxl cuts
]


def _sheet_xml(blob: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(blob)).read("xl/worksheets/sheet1.xml")


def _with_openpyxl(rows: list[list[Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Reports")
    sheet.freeze_panes = "A2"
    sheet.append(["header"])
    for values in rows:
        cells = []
        for v in values:  # text that begins with "=" is typed as text, as the exporter does
            if isinstance(v, str) and v.startswith("="):
                cell = WriteOnlyCell(sheet, value=v)
                cell.data_type = "s"
                cells.append(cell)
            else:
                cells.append(v)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return _sheet_xml(out.getvalue())


def _with_sheetrows(rows: list[list[Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Reports")
    sheet.freeze_panes = "A2"
    sheet.append(["header"])
    writer = SheetRows(sheet, io.BytesIO())
    for values in rows:
        writer.append(values)
    out = io.BytesIO()
    book.save(out)
    head, marker, tail = _sheet_xml(out.getvalue()).partition(b"</sheetData>")
    assert writer.part == "xl/worksheets/sheet1.xml"
    return head + writer.done().read() + marker + tail


def test_rows_are_written_as_openpyxl_writes_them() -> None:
    rows = TRICKY * 2  # the second time, text comes from the cache of repeated values
    assert _with_sheetrows(rows) == _with_openpyxl(rows)


@pytest.mark.parametrize("value", ["bell\x07", "nul\x00", "x" * 32760 + "\x1f"])
def test_text_openpyxl_refuses_is_refused(value: str) -> None:
    with pytest.raises(IllegalCharacterError):
        _with_openpyxl([[value]])
    with pytest.raises(IllegalCharacterError):
        _with_sheetrows([[value]])


def test_other_types_are_refused() -> None:
    with pytest.raises(TypeError):
        _with_sheetrows([[True]])
