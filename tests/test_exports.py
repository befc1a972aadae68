"""CSV and XLSX files of participants' answers: no live formulas, no characters a workbook cannot
hold, nothing cut silently, never a partial file."""

from __future__ import annotations

import csv
import datetime as dt
import math
import tempfile
import zipfile
from xml.etree import ElementTree

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils.escape import unescape

from workshop_lib.trainer import exports

FORMULAS = [
    "=1+1",
    "+41 22 917 1234",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    '  =HYPERLINK("http://x")',
    "\n-1",
    "=cmd|' /C calc'!A0",
]
CONTROL = "before\x01middle\x0bafter\x1f\x00"


def dangerous(text: str) -> bool:
    """True for a cell a spreadsheet could run as a formula (a plain number is not one)."""
    if not exports.needs_quote(text):
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False


def csv_cells(path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as stream:
        return [cell for row in csv.reader(stream) for cell in row]


def workbook_cells(path) -> list:
    book = openpyxl.load_workbook(path)
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_text_is_quoted(text):
    assert exports.needs_quote(text)
    assert exports.neutralise(text) == "'" + text
    assert not exports.needs_quote("plain text") and exports.neutralise(" a") == " a"
    assert not exports.needs_quote("")


def test_csv_has_no_formula_cells(tmp_path):
    out = tmp_path / "answers.csv"
    rows = [{"participant": f"=p{i}", "note": text, "score": -3} for i, text in enumerate(FORMULAS)]
    result = exports.write_csv(out, ["participant", "note", "score"], rows)
    cells = csv_cells(out)
    assert not [c for c in cells if dangerous(c)]
    assert "'=1+1" in cells and "'\t=1+1" in cells and "-3" in cells
    assert result.rows == len(FORMULAS) and result.quoted == 2 * len(FORMULAS)
    assert any("no spreadsheet runs it" in line for line in exports.notices(result))


def test_xlsx_has_no_formula_cells_nor_control_characters(tmp_path):
    out = tmp_path / "answers.xlsx"
    rows = [{"note": text, "who": "=me"} for text in [*FORMULAS, CONTROL, "#N/A", "#REF!"]]
    rows.append({"note": math.nan, "who": 10**400})
    result = exports.write_xlsx(out, ["who", "note"], rows)
    cells = workbook_cells(out)
    assert [c for c in cells if c.data_type == "f"] == []
    assert [c for c in cells if c.data_type == "e"] == []
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if dangerous(t)]
    assert "beforemiddleafter" in texts and "'=1+1" in texts and "#N/A" in texts
    assert not [t for t in texts if exports.XLSX_ILLEGAL.search(t)]
    assert "NaN" in texts and str(10**400) in texts
    assert result.cleaned == 1
    assert any("control characters" in line for line in exports.notices(result))


def test_a_40000_character_note_is_shortened_said_and_kept_in_full(tmp_path):
    out = tmp_path / "answers.xlsx"
    note = ("word " * 8_000)[:39_999] + "!"
    result = exports.write_xlsx(out, ["participant", "note"], [{"participant": "a", "note": note}])
    assert [(s.row, s.column, s.length) for s in result.shortened] == [(2, "note", 40_000)]
    lines = exports.notices(result)
    assert "Row 2 of the sheet 'answers', column note, holds 40,000 characters" in lines[0]
    book = openpyxl.load_workbook(out)
    cell = book["answers"]["B2"].value
    assert len(cell) <= exports.XLSX_CELL_LIMIT
    assert cell.startswith("word word") and "shortened: 40,000 characters" in cell
    long_text = [list(r) for r in book[exports.LONG_TEXT_SHEET].iter_rows(values_only=True)]
    assert long_text[1][:4] == ["answers", 2, "note", 40_000]
    assert "".join(p for p in long_text[1][4:] if p) == note


def test_long_text_parts_never_begin_like_a_formula():
    text = "a" * 32_766 + "=SUM(A1)" + "b" * 10
    parts = exports.split_for_cells(text)
    assert "".join(parts) == text and not exports.needs_quote(parts[1])
    assert all(len(p) <= exports.XLSX_CELL_LIMIT for p in parts)


def test_failed_export_leaves_no_partial_file_and_keeps_the_old_one(tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    out = tmp_path / "answers.xlsx"
    out.write_bytes(b"the previous export")

    def rows():
        yield {"note": "first"}
        raise OSError(28, "No space left on device")

    for write in (exports.write_xlsx, exports.write_csv):
        with pytest.raises(OSError):
            write(out, ["note"], rows())
        assert out.read_bytes() == b"the previous export"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.xlsx", "tmp"]
        assert list(scratch.iterdir()) == []


def test_rows_and_columns_beyond_a_sheet_continue_or_are_counted(tmp_path, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 3)
    monkeypatch.setattr(exports, "XLSX_MAX_COLUMNS", 2)
    out = tmp_path / "answers.xlsx"
    rows = [{"a": n, "b": "x", "c": "dropped"} for n in range(5)]
    result = exports.write_xlsx(out, ["a", "b", "c"], rows)
    assert result.sheets == ["answers", "answers 2", "answers 3"]
    assert result.columns_left_out == 1
    book = openpyxl.load_workbook(out)
    values = [r[0] for s in book.worksheets for r in s.iter_rows(min_row=2, values_only=True)]
    assert values == [0, 1, 2, 3, 4]
    lines = exports.notices(result)
    assert any("continue in the sheets answers 2, answers 3" in line for line in lines)
    assert any("1 answer field(s) did not fit" in line for line in lines)


def test_xlsx_round_trip_keeps_every_value_and_type(tmp_path):
    out = tmp_path / "answers.xlsx"
    texts = ["a & b < c > d", "_x0041_ stays", "  spaces around  ", "two\nlines", "tab\tin", "ü€😀"]
    rows = [
        {"text": t, "number": n, "flag": n % 2 == 0, "when": "2026-01-01T09:30:00Z"}
        for n, t in enumerate(texts)
    ]
    rows.append({"text": "old", "number": 2.5, "when": "0001-01-01T00:00:00Z"})
    exports.write_xlsx(out, ["text", "number", "flag", "when"], rows, times=["when"])
    with zipfile.ZipFile(out) as package:
        assert package.namelist()[0] == "[Content_Types].xml"
        for name in package.namelist():
            ElementTree.fromstring(package.read(name))  # every part is well-formed XML
    for read_only in (False, True):
        sheet = openpyxl.load_workbook(out, read_only=read_only)["answers"]
        values = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert values[0] == ["text", "number", "flag", "when"]
        # a literal _x0041_ is escaped as Excel reads it (Excel would show "A" otherwise)
        assert [unescape(r[0]) for r in values[1:]] == [*texts, "old"]
        assert values[1][1:] == [0, True, dt.datetime(2026, 1, 1, 9, 30)]
        assert values[-1][1:] == [2.5, None, "0001-01-01T00:00:00Z"]
    frame = pd.read_excel(out)
    assert list(frame["text"].map(unescape)) == [*texts, "old"]
