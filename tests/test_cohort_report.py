"""Trainer side: the cohort DataFrame and the report (HTML escaped, CSV, XLSX, command line)."""

from __future__ import annotations

import pandas as pd
import pytest

from workshop_lib.cli import main
from workshop_lib.responses.cohort import load_cohort
from workshop_lib.responses.folder import FolderStore

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
    assert main(["report", str(responses), "--format", fmt, "--out", str(out)]) == 0
    frame = pd.read_csv(out) if fmt == "csv" else pd.read_excel(out)
    assert len(frame) == 5
    assert set(frame["participant"]) == {"alice", "bob", "carol"}


def test_missing_responses_folder_is_one_sentence(tmp_path, capsys):
    assert main(["report", str(tmp_path / "nowhere")]) == 2
    assert (
        capsys.readouterr().err.strip()
        == f"There is no responses folder at {tmp_path / 'nowhere'}."
    )
