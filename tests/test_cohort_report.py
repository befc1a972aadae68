"""Trainer side: the cohort DataFrame and the report (HTML escaped, CSV, XLSX, command line),
safe whatever participants typed: no live formulas, nothing cut silently, no partial file."""

from __future__ import annotations

import csv
import html
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tests import odd_records
from workshop_lib.cli import main
from workshop_lib.responses.cohort import load_cohort
from workshop_lib.responses.folder import FolderStore
from workshop_lib.trainer import exports
from workshop_lib.trainer.report import write_report

HOSTILE_NOTE = "<script>alert('x')</script><img src=x onerror=alert(1)>"


@pytest.fixture
def responses(tmp_path):
    root = tmp_path / "responses"
    store = FolderStore(root)
    store.save("alice", "c1", "01_nb", "quiz", {"q1": "b", "q2": "a"}, kind="choices")
    store.save("bob", "c1", "01_nb", "quiz", {"q1": "b", "q2": "c"}, kind="choices")
    store.save("bob", "c1", "01_nb", "quiz", {"q1": "a", "q2": "c"}, kind="choices")
    store.save("alice", "c1", "02_nb", "discussion", HOSTILE_NOTE, kind="note")
    store.save("carol", "c2", "01_nb", "quiz", {"q1": "d"}, kind="choices")
    store.save("alice", "c1", "05_nb", "checklist", {"ratified": {"answer": "yes", "note": "2004"}},
               kind="checklist")  # fmt: skip
    (root / "zoe").mkdir()
    (root / "zoe" / "broken.json").write_text("{")
    return root


def test_frame_has_one_row_per_participant_per_activity(responses):
    answers = load_cohort(responses, "c1")
    frame = answers.frame()
    assert len(frame) == 4
    quiz = frame[frame["activity"] == "quiz"].set_index("participant")
    assert quiz.loc["bob", "answer.q1"] == "a" and quiz.loc["bob", "attempts"] == 2
    assert quiz.loc["alice", "answer.q2"] == "a"
    checklist = frame[frame["activity"] == "checklist"].iloc[0]
    assert checklist["answer.ratified.answer"] == "yes"
    assert pd.api.types.is_datetime64_any_dtype(frame["last_saved"])
    assert [str(s) for s in answers.skipped] == [
        "zoe/broken.json: not valid JSON "
        "(Expecting property name enclosed in double quotes at line 1)"
    ]


def test_items_tell_choices_from_free_text(responses):
    items = load_cohort(responses, "c1").items()
    note = items[items["activity"] == "discussion"].iloc[0]
    assert bool(note["text"]) and note["value"] == HOSTILE_NOTE
    checklist = items[items["activity"] == "checklist"].set_index("field")
    assert not checklist.loc["ratified.answer", "text"]
    assert checklist.loc["ratified.note", "text"]


def test_html_report_counts_and_escapes(responses, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["report", str(responses), "--cohort", "c1", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<td>b</td><td>1</td>" in page and "<td>a</td><td>1</td>" in page
    assert "2 participant(s) answered; 1.5 attempt(s) on average." in page
    assert "carol" not in page
    assert "broken.json" in page
    assert "http://" not in page and "https://" not in page
    printed = capsys.readouterr()
    assert printed.out.strip() == f"Wrote {out}: 4 answer(s) from 2 participant(s)."
    assert "Skipped zoe/broken.json" in printed.err


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_raw_table_exports(responses, tmp_path, fmt):
    out = tmp_path / f"answers.{fmt}"
    assert main(["report", str(responses), "--format", fmt, "--out", str(out), "--names"]) == 0
    frame = pd.read_csv(out) if fmt == "csv" else pd.read_excel(out)
    assert len(frame) == 5
    assert set(frame["participant"]) == {"alice", "bob", "carol"}


def test_missing_responses_folder_is_one_sentence(tmp_path, capsys):
    assert main(["report", str(tmp_path / "nowhere")]) == 2
    assert (
        capsys.readouterr().err.strip()
        == f"There is no responses folder at {tmp_path / 'nowhere'}."
    )


def test_report_shows_each_skipped_file_with_its_participant_folder(responses, tmp_path):
    out = tmp_path / "report.html"
    assert main(["report", str(responses), "--cohort", "c1", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<th scope='col'>Participant folder</th>" in page
    assert "<tr><td>zoe</td><td>broken.json</td><td>not valid JSON" in page


@pytest.fixture(scope="module")
def odd(tmp_path_factory):
    root = tmp_path_factory.mktemp("odd") / "responses"
    participants = odd_records.odd_cohort(root, demo_participants=371)
    return root, participants


@pytest.mark.parametrize("fmt", ["html", "csv", "xlsx"])
def test_report_and_exports_never_break_on_odd_records(odd, tmp_path, fmt, capsys):
    root, participants = odd
    out = tmp_path / f"report.{fmt}"
    assert main(["report", str(root), "--format", fmt, "--out", str(out), "--names"]) == 0
    answers = load_cohort(root, odd_records.COHORT)
    assert len(answers.records) > 10_000 and not answers.skipped
    assert f"from {participants} participant(s)." in capsys.readouterr().out
    if fmt == "html":
        page = out.read_text(encoding="utf-8")
        for text in (odd_records.MATH, odd_records.RTL, odd_records.EMOJI):
            assert html.escape(text) in page
        assert "<script>" not in page and "broken-\ufffd" in page
    elif fmt == "csv":
        cells = [c for row in csv.reader(out.open(encoding="utf-8", newline="")) for c in row]
        assert odd_records.RTL in cells and "broken-\ufffd" in cells
    else:
        sheet = openpyxl.load_workbook(out, read_only=True)["answers"]
        values = {v for row in sheet.iter_rows(values_only=True) for v in row}
        assert odd_records.RTL in values and "broken-" in values
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []


@pytest.fixture
def formulas(tmp_path):
    root = tmp_path / "responses"
    store = FolderStore(root)
    for n, text in enumerate(FORMULA_TEXTS):
        store.save(f"p{n}", "c1", "02_nb", "note.one", text, kind="note")
    store.save("=mallory", "c1", "02_nb", "note.two", "-", kind="note")
    store.save("ctrl", "c1", "02_nb", "note.three", CONTROL_TEXT, kind="note")
    long_notes = {f"q{i}": {"answer": "Yes", "note": "n" * 10_000} for i in range(4)}
    store.save("long", "c1", "05_nb", "checklist", long_notes, kind="checklist")
    return root


FORMULA_TEXTS = ['=HYPERLINK("http://x","click")', "+1-2", "@SUM(1)", "\t=1+1", " -1+1", "\r@x"]
CONTROL_TEXT = "word\x01processor\x0bpaste"


def formula_like(text: str) -> bool:
    """A cell that a spreadsheet could run (a plain number is not one)."""
    stripped = text.lstrip()
    if not text.startswith(("=", "+", "-", "@", "\t", "\r")) and not (
        stripped != text and stripped.startswith(("=", "+", "-", "@"))
    ):
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False


def test_csv_export_neutralises_formulas(formulas, tmp_path):
    out = tmp_path / "answers.csv"
    assert main(["report", str(formulas), "--format", "csv", "--out", str(out), "--names"]) == 0
    cells = [c for row in csv.reader(out.open(encoding="utf-8", newline="")) for c in row]
    assert [c for c in cells if formula_like(c)] == []
    assert '\'=HYPERLINK("http://x","click")' in cells and "'=mallory" in cells
    assert CONTROL_TEXT in cells  # CSV can hold them; only XLSX cannot


def test_xlsx_export_has_no_formulas_no_control_characters_and_says_what_it_shortened(
    formulas, tmp_path, capsys
):
    out = tmp_path / "answers.xlsx"
    assert main(["report", str(formulas), "--format", "xlsx", "--out", str(out), "--names"]) == 0
    book = openpyxl.load_workbook(out)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert [t for t in texts if formula_like(t)] == []
    assert [t for t in texts if ILLEGAL_CHARACTERS_RE.search(t)] == []
    assert "wordprocessorpaste" in texts
    answers = load_cohort(formulas, "c1")
    long = next(r for r in answers.records if r["participant"] == "long")
    full = json.dumps(long["answer"], ensure_ascii=False, sort_keys=True)
    assert len(full) > 40_000
    errors = capsys.readouterr().err
    assert f"column answer, holds {len(full):,} characters" in errors
    assert "1 cell(s) held control characters" in errors
    rows = list(book["long text"].iter_rows(values_only=True))
    assert "".join(p for p in rows[1][4:] if p) == full
    row = rows[1][1]
    assert "shortened" in book["answers"].cell(row=row, column=10).value


@pytest.mark.parametrize("fmt", ["html", "csv", "xlsx"])
def test_a_report_that_fails_leaves_no_partial_file(formulas, tmp_path, monkeypatch, fmt):
    out = tmp_path / f"answers.{fmt}"
    out.write_text("the previous report")
    calls: list[int] = []

    def fail_after(real):
        def failing(*args, **kwargs):
            calls.append(1)
            if len(calls) > 20:
                raise OSError(28, "No space left on device")
            return real(*args, **kwargs)

        return failing

    def half_then_fail(path, data, *args, **kwargs):
        with open(path, "w", encoding="utf-8") as stream:
            stream.write(data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    if fmt == "xlsx":
        monkeypatch.setattr(exports._XlsxWriter, "cell", fail_after(exports._XlsxWriter.cell))
    elif fmt == "csv":
        monkeypatch.setattr(exports, "_csv_cell", fail_after(exports._csv_cell))
    else:
        monkeypatch.setattr(Path, "write_text", half_then_fail)
    with pytest.raises(OSError):
        write_report(load_cohort(formulas, "c1"), out, fmt, "t")
    assert out.read_text(encoding="utf-8") == "the previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name, "responses"]


def test_the_report_names_participants_only_when_asked(responses, tmp_path):
    hidden, named = tmp_path / "hidden.html", tmp_path / "named.html"
    assert main(["report", str(responses), "--cohort", "c1", "--out", str(hidden)]) == 0
    assert main(["report", str(responses), "--cohort", "c1", "--out", str(named), "--names"]) == 0
    hidden_page, named_page = (p.read_text(encoding="utf-8") for p in (hidden, named))
    assert "alice" not in hidden_page and "bob" not in hidden_page
    assert "<p class='who'>Participant 01</p>" in hidden_page
    assert "<p class='who'>alice</p>" in named_page
