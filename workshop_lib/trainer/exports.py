"""Tables of participants' answers written as CSV or XLSX files that are safe to open.

Participants' text reaches the trainer's spreadsheet, so every text cell is made harmless first:

- a cell that begins with `=`, `+`, `-` or `@`, or with a tab or carriage return, or with spaces
  before one of those, gets a single quote `'` in front, as OWASP recommends against CSV (formula)
  injection: no spreadsheet runs it as a formula, and the text stays readable;
- in XLSX only, characters that a workbook cannot hold (control characters such as \\x01 or
  \\x0b pasted from a word processor) are removed;
- in XLSX only, text longer than a cell holds (32,767 characters) is shortened in its cell, which
  says so, and kept in full in the sheet "long text";
- a file is written under a temporary name in the same folder and renamed when complete, so an
  export that fails leaves no partial file (and an older export of the same name untouched).

XLSX files are written as SpreadsheetML (the XML of the Office Open XML standard) by a small
streaming writer here, for speed and flat memory: a cohort's table is wide and sparse, and the
libraries spend most of their time per cell (for 1,000 participants, openpyxl's write-only mode
took 4.4 s and xlsxwriter's constant-memory mode 3.8 s of CPU time, this writer 1.5 s). Rows go
to a temporary file as they come and are zipped at the end; text is written as text, so no cell
of the workbook can be a formula, whatever it begins with.

What the trainer reads (the header row when `headers` are given, the sheets' names, the note in
a shortened cell, the long-text sheet's header, the notices) is in the current language; the
data (ids, stored values, participants' text) is written as it is.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import math
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workshop_lib.i18n.catalog import N_, _, language, ngettext
from workshop_lib.i18n.languages import DEFAULT

FORMULA_AT = re.compile(r"[=+\-@\t\r]|\s+[=+\-@]")
XLSX_CELL_LIMIT = 32_767  # characters in one cell of a workbook
XLSX_MAX_ROWS = 1_048_576  # rows of one sheet, the header included
XLSX_MAX_COLUMNS = 16_384  # columns of one sheet
LONG_TEXT_SHEET = N_("long text")  # a sheet's name; written as _(LONG_TEXT_SHEET)
ANSWERS_SHEET = N_("answers")  # the default name of the answers' sheet
# openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE, plus what XML 1.0 cannot hold at all: U+FFFE,
# U+FFFF and lone surrogate halves (which a JSON file can spell as \\ud800).
XLSX_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
SURROGATES = re.compile("[\ud800-\udfff]")
EXACT_INTEGERS = 2**53  # larger integers are written as text, which keeps every digit


def needs_quote(text: str) -> bool:
    """True when a spreadsheet could read `text` as a formula: it begins with = + - @, a tab or
    a carriage return, or with white space before = + - @."""
    return FORMULA_AT.match(text) is not None


def neutralise(text: str) -> str:
    """`text` with a single quote in front when a spreadsheet could read it as a formula."""
    return "'" + text if needs_quote(text) else text


def without_broken_characters(text: str) -> str:
    """`text` with lone surrogate halves (from a JSON `\\ud800`) replaced by U+FFFD, so that it
    can be written as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return SURROGATES.sub("\ufffd", text)
    return text


@dataclass(frozen=True)
class Shortened:
    """A cell whose text was longer than a workbook cell holds."""

    sheet: str
    row: int
    column: str
    length: int
    long_text_row: int


@dataclass
class ExportResult:
    """What was written, and what had to be changed on the way."""

    path: Path
    rows: int = 0
    quoted: int = 0  # text cells given a ' so that they cannot run as formulas
    cleaned: int = 0  # text cells that lost characters a workbook cannot hold
    shortened: list[Shortened] = field(default_factory=list)
    columns_left_out: int = 0  # answer fields beyond a sheet's 16,384 columns
    sheets: list[str] = field(default_factory=list)


@contextlib.contextmanager
def atomic_path(out: Path) -> Iterator[Path]:
    """A temporary path next to `out`, renamed to `out` when the block ends without an error
    and removed when it fails, so that `out` is either complete or untouched."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        os.replace(temporary, out)
    finally:
        temporary.unlink(missing_ok=True)


def is_number_cell(value: object) -> bool:
    """True for a number a workbook holds exactly: finite, and for an integer, within 2**53
    (a longer one is written as text, which keeps every digit)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) < EXACT_INTEGERS
    return isinstance(value, float) and math.isfinite(value)


def _text_cell(value: object) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return str(value)


def _header(columns: Sequence[str], headers: Mapping[str, str] | None) -> list[str]:
    """The header row: each column's heading in `headers` when given, else its name."""
    return [str((headers or {}).get(c, c)) for c in columns]


def write_csv(
    out: Path,
    columns: Sequence[str],
    rows: Iterable[Mapping[str, object]],
    headers: Mapping[str, str] | None = None,
) -> ExportResult:
    """Write a header and rows (each a mapping from column to value; a missing column is an
    empty cell) as UTF-8 CSV, every text cell neutralised. The header row shows `headers[c]`
    for a column `c` that `headers` names (the columns in the reader's language)."""
    result = ExportResult(Path(out))
    columns = [str(c) for c in columns]
    with atomic_path(result.path) as temporary:
        with temporary.open("w", encoding="utf-8", errors="replace", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow([neutralise(c) for c in _header(columns, headers)])
            for row in rows:
                cells = [_csv_cell(row.get(c), result) for c in columns]
                writer.writerow(cells)
                result.rows += 1
    return result


def _csv_cell(value: object, result: ExportResult) -> object:
    if value is None:
        return ""
    if isinstance(value, bool | int) or (isinstance(value, float) and math.isfinite(value)):
        return value
    text = without_broken_characters(_text_cell(value))
    if needs_quote(text):
        result.quoted += 1
        return "'" + text
    return text


def split_for_cells(text: str, size: int = XLSX_CELL_LIMIT) -> list[str]:
    """`text` cut into parts of at most `size` characters that join back into `text`; a cut is
    moved back a little where the next part would begin like a formula, and only a part that
    cannot avoid it (a long run of = or -) gets a ' in front (there is room for it)."""
    parts, start, room = [], 0, size - 1
    while len(text) - start > room:
        end = start + room
        for cut in range(end, max(start + 1, end - 1_000), -1):
            if FORMULA_AT.match(text, cut) is None:
                end = cut
                break
        parts.append(text[start:end])
        start = end
    parts.append(text[start:])
    return [parts[0]] + [neutralise(p) for p in parts[1:]]


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
STYLES = (
    f'{XML_HEAD}<styleSheet xmlns="{MAIN_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
XML_SPECIAL = re.compile(r"[&<>]|_x[0-9A-Fa-f]{4}_")
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def _xml_text(text: str) -> str:
    """`text` escaped for an XML text node of a workbook: &, < and >, and a literal `_x0041_`,
    which Excel would otherwise read as the escape of a character."""
    if XML_SPECIAL.search(text) is None:
        return text
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"_(x[0-9A-Fa-f]{4}_)", r"_x005F_\1", text)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _XlsxWriter:
    """The streaming writer behind `write_xlsx`. It writes SpreadsheetML itself, which the
    Office Open XML standard defines and every spreadsheet reads: each sheet's rows go to a
    temporary file as they come (memory stays flat however large the cohort), text as inline
    strings (never a formula: a cell of this writer cannot hold one), numbers, true/false and
    dates with one date style; the package is zipped when the rows are done."""

    def __init__(self, path: Path, scratch: str, result: ExportResult, columns: list[str],
                 times: set[str], sheet: str, headers: list[str] | None = None):  # fmt: skip
        self.path = path
        self.scratch = Path(scratch)
        self.result = result
        self.columns = columns
        self.headers = headers or columns
        self.index = {c: i for i, c in enumerate(columns)}
        self.letters = [_column_letter(i) for i in range(len(columns))]
        self.times = times
        self.sheet_name = sheet
        self.long_texts: list[tuple[str, int, str, str]] = []
        self.sheet_files: list[tuple[str, Path]] = []
        self.stream = None
        self.row = 0  # the number of the last row written in the current sheet

    def _new_sheet(self, name: str) -> None:
        self._close_sheet()
        file = self.scratch / f"sheet{len(self.sheet_files) + 1}.xml"
        self.sheet_files.append((name, file))
        self.stream = file.open("w", encoding="utf-8", newline="")
        self.stream.write(f'{XML_HEAD}<worksheet xmlns="{MAIN_NS}"><sheetData>')
        self.row = 0

    def _close_sheet(self) -> None:
        if self.stream is not None:
            self.stream.write("</sheetData></worksheet>")
            self.stream.close()
            self.stream = None

    def _start_answers_sheet(self) -> None:
        number = len(self.result.sheets) + 1
        name = self.sheet_name if number == 1 else f"{self.sheet_name} {number}"
        self.result.sheets.append(name)
        self._new_sheet(name)
        self.row = 1
        header = "".join(
            self._string(i, self.text(column, i)) for i, column in enumerate(self.headers)
        )
        self.stream.write(f'<row r="1">{header}</row>')

    def text(self, value: str, index: int) -> str:
        """A text cell's text: illegal characters removed, neutralised, shortened if too
        long (its full text kept for the long-text sheet)."""
        cleaned = XLSX_ILLEGAL.sub("", value)
        if len(cleaned) != len(value):
            self.result.cleaned += 1
        if FORMULA_AT.match(cleaned):
            self.result.quoted += 1
            cleaned = "'" + cleaned
        if len(cleaned) <= XLSX_CELL_LIMIT:
            return cleaned
        long_row = len(self.long_texts) + 2
        column, sheet = self.headers[index], self.result.sheets[-1]
        self.long_texts.append((sheet, self.row, column, cleaned))
        self.result.shortened.append(Shortened(sheet, self.row, column, len(cleaned), long_row))
        note = _(
            " […] (shortened: {count} characters in all; the full text is in the sheet "
            "'{sheet}', row {row})"
        ).format(count=grouped(len(cleaned)), sheet=_(LONG_TEXT_SHEET), row=long_row)
        return cleaned[: XLSX_CELL_LIMIT - len(note)] + note

    def _string(self, index: int, text: str) -> str:
        space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
        return (
            f'<c r="{self.letters[index]}{self.row}" t="inlineStr"><is><t{space}>'
            f"{_xml_text(text)}</t></is></c>"
        )

    def cell(self, index: int, column: str, value: object) -> str:
        """One cell of the current row as SpreadsheetML, typed as the workbook should hold it."""
        if isinstance(value, str):
            if column in self.times:
                moment = _naive_utc(value)
                if moment is not None:
                    serial = (moment - EXCEL_EPOCH) / dt.timedelta(days=1)
                    return f'<c r="{self.letters[index]}{self.row}" s="1"><v>{serial!r}</v></c>'
            return self._string(index, self.text(value, index))
        if isinstance(value, bool):
            return f'<c r="{self.letters[index]}{self.row}" t="b"><v>{int(value)}</v></c>'
        if is_number_cell(value):
            return f'<c r="{self.letters[index]}{self.row}"><v>{value!r}</v></c>'
        # NaN, infinity, integers too long for a number cell: as text, every digit kept
        return self._string(index, self.text(_text_cell(value), index))

    def append(self, values: Mapping[str, object]) -> None:
        """Write one data row, starting another sheet when this one is full."""
        if self.stream is None or self.row >= XLSX_MAX_ROWS:
            self._start_answers_sheet()
        self.row += 1
        index = self.index
        cells = []
        for column, value in values.items():
            position = index.get(column)
            if position is not None and value is not None and value != "":
                cells.append((position, self.cell(position, column, value)))
        cells.sort()
        self.stream.write(f'<row r="{self.row}">{"".join(c for _, c in cells)}</row>')
        self.result.rows += 1

    def _write_long_texts(self) -> None:
        self._new_sheet(_(LONG_TEXT_SHEET))
        split = [split_for_cells(text) for *_, text in self.long_texts]
        self.letters = [_column_letter(i) for i in range(4 + max(len(p) for p in split))]
        header = [_("sheet"), _("row"), _("column"), _("characters"), _("text (join the parts)")]
        self.row = 1
        self.stream.write(
            '<row r="1">' + "".join(self._string(i, h) for i, h in enumerate(header)) + "</row>"
        )
        for (name, row, column, text), parts in zip(self.long_texts, split, strict=True):
            self.row += 1
            label = neutralise(XLSX_ILLEGAL.sub("", column))[:1_000]
            cells = [
                self._string(0, name),
                f'<c r="B{self.row}"><v>{row}</v></c>',
                self._string(2, label),
                f'<c r="D{self.row}"><v>{len(text)}</v></c>',
                *(self._string(4 + n, part) for n, part in enumerate(parts)),
            ]
            self.stream.write(f'<row r="{self.row}">{"".join(cells)}</row>')

    def save(self) -> None:
        """Finish the sheets (adding the long-text sheet if any cell needed it) and zip the
        workbook's parts into `path`."""
        import zipfile

        if not self.result.sheets:
            self._start_answers_sheet()
        if self.long_texts:
            self._write_long_texts()
        self._close_sheet()
        sheets = "".join(
            f'<sheet name="{_xml_text(name).replace(chr(34), "&quot;")}" sheetId="{n}" '
            f'r:id="rId{n}"/>'
            for n, (name, _) in enumerate(self.sheet_files, start=1)
        )
        count = len(self.sheet_files)
        sheet_rels = "".join(
            f'<Relationship Id="rId{n}" Type="{REL_NS}/worksheet" '
            f'Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, count + 1)
        )
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{SHEET_TYPE}"/>'
            for n in range(1, count + 1)
        )
        office = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        parts = {
            "[Content_Types].xml": (
                f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                'content-types"><Default Extension="rels" ContentType="application/'
                'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
                'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
                f'ContentType="{office}.sheet.main+xml"/><Override PartName="/xl/styles.xml" '
                f'ContentType="{office}.styles+xml"/>{overrides}</Types>'
            ),
            "_rels/.rels": (
                f'{XML_HEAD}<Relationships xmlns="{PACKAGE_REL_NS}"><Relationship Id="rId1" '
                f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
            ),
            "xl/workbook.xml": (
                f'{XML_HEAD}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
                f"<sheets>{sheets}</sheets></workbook>"
            ),
            "xl/_rels/workbook.xml.rels": (
                f'{XML_HEAD}<Relationships xmlns="{PACKAGE_REL_NS}">{sheet_rels}'
                f'<Relationship Id="rId{count + 1}" Type="{REL_NS}/styles" '
                'Target="styles.xml"/></Relationships>'
            ),
            "xl/styles.xml": STYLES,
        }
        with zipfile.ZipFile(self.path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as package:
            for name, text in parts.items():
                package.writestr(name, text)
            for n, (_, file) in enumerate(self.sheet_files, start=1):
                package.write(file, f"xl/worksheets/sheet{n}.xml")

    def discard(self) -> None:
        """Close the sheet being written (its folder is removed by `write_xlsx`)."""
        if self.stream is not None:
            self.stream.close()
            self.stream = None


def _naive_utc(value: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(value.removesuffix("Z") + "+00:00")
    except ValueError:
        return None
    if moment.year < 1900:  # before the first date a spreadsheet knows
        return None
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def write_xlsx(
    out: Path,
    columns: Sequence[str],
    rows: Iterable[Mapping[str, object]],
    *,
    sheet: str | None = None,
    times: Iterable[str] = (),
    headers: Mapping[str, str] | None = None,
) -> ExportResult:
    """Write a header and rows (each a mapping from column to value) as one XLSX workbook,
    streaming: text cleaned, neutralised and shortened as the module says; the columns named in
    `times` (ISO 8601 UTC text) as dates and times in UTC. Columns beyond a sheet's 16,384 are
    left out and counted; rows beyond a sheet's 1,048,576 continue on another sheet. The header
    row shows `headers[c]` for a column `c` that `headers` names; the sheet is called `sheet`
    (default: 'answers' in the current language)."""
    result = ExportResult(Path(out))
    columns = [str(c) for c in columns]
    result.columns_left_out = max(0, len(columns) - XLSX_MAX_COLUMNS)
    kept = columns[:XLSX_MAX_COLUMNS]
    wanted = set(times)
    with (
        atomic_path(result.path) as temporary,
        tempfile.TemporaryDirectory(prefix="workshop-xlsx-") as scratch,
    ):
        shown = _header(kept, headers)
        name = sheet or _(ANSWERS_SHEET)
        writer = _XlsxWriter(temporary, scratch, result, kept, wanted, name, shown)
        try:
            for row in rows:
                writer.append(row)
            writer.save()
        except BaseException:
            writer.discard()
            raise
    return result


SHOWN_SHORTENED = 10


def notices(result: ExportResult) -> list[str]:
    """One sentence per thing the trainer should know about an export: each shortened cell (the
    first ten, then a count), removed characters, quoted formulas, left-out columns; in the
    current language."""
    lines = []
    long_text = _(LONG_TEXT_SHEET)
    for cut in result.shortened[:SHOWN_SHORTENED]:
        lines.append(
            _(
                "Row {row} of the sheet '{sheet}', column {column}, holds {count} characters, "
                "more than a cell's {limit}: it is shortened there and says so, and the full "
                "text is in the sheet '{long_text}', row {long_row}."
            ).format(
                row=cut.row,
                sheet=cut.sheet,
                column=cut.column[:80],
                count=grouped(cut.length),
                limit=grouped(XLSX_CELL_LIMIT),
                long_text=long_text,
                long_row=cut.long_text_row,
            )
        )
    more = len(result.shortened) - SHOWN_SHORTENED
    if more > 0:
        lines.append(
            ngettext(
                "{count} more cell(s) were shortened the same way; each says so, and the full "
                "texts are in the sheet '{long_text}'.",
                "{count} more cell(s) were shortened the same way; each says so, and the full "
                "texts are in the sheet '{long_text}'.",
                more,
            ).format(count=grouped(more), long_text=long_text)
        )
    if result.cleaned:
        lines.append(
            ngettext(
                "{count} cell(s) held control characters that a workbook cannot hold (pasted "
                "from a word processor); they were removed.",
                "{count} cell(s) held control characters that a workbook cannot hold (pasted "
                "from a word processor); they were removed.",
                result.cleaned,
            ).format(count=grouped(result.cleaned))
        )
    if result.quoted:
        lines.append(
            ngettext(
                "{count} cell(s) began like a formula (=, +, - or @); each now begins with ' so "
                "that no spreadsheet runs it.",
                "{count} cell(s) began like a formula (=, +, - or @); each now begins with ' so "
                "that no spreadsheet runs it.",
                result.quoted,
            ).format(count=grouped(result.quoted))
        )
    if result.columns_left_out:
        lines.append(
            ngettext(
                "{count} answer field(s) did not fit in a sheet's {limit} columns; they are left "
                "out of their own columns but kept in the column '{answer}'.",
                "{count} answer field(s) did not fit in a sheet's {limit} columns; they are left "
                "out of their own columns but kept in the column '{answer}'.",
                result.columns_left_out,
            ).format(
                count=grouped(result.columns_left_out),
                limit=grouped(XLSX_MAX_COLUMNS),
                answer=_("answer"),
            )
        )
    if len(result.sheets) > 1:
        lines.append(
            _(
                "The answers fill more rows than one sheet holds; they continue in the sheets "
                "{sheets}."
            ).format(sheets=", ".join(result.sheets[1:]))
        )
    return lines


def number(value: float, spec: str = ",") -> str:
    """A number formatted by `spec` (Python's format: ',' groups thousands, '.2f', '+.0f')
    with the current language's group and decimal separators ('1,234.5' in English, '1 234,5'
    in French); used by every view of the results."""
    text = format(value, spec)
    code = language()
    if code == DEFAULT:
        return text
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return text.translate({ord(","): get_group_symbol(code), ord("."): get_decimal_symbol(code)})


def grouped(count: int) -> str:
    """A whole number with the thousands grouped as the current language writes them."""
    return number(count)
