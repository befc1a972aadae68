"""The trainer dashboard: real answers, pseudonyms, escaped notes, refresh, demo, exports to
files; plain HTML whatever participants typed, bounded in size whatever the cohort's."""

from __future__ import annotations

import csv
import html
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests import odd_records
from workshop_lib import config
from workshop_lib.exercises import content
from workshop_lib.responses.cohort import CohortAnswers
from workshop_lib.responses.folder import FolderStore
from workshop_lib.responses.records import StoreUnavailableError
from workshop_lib.trainer import dashboard as dashboard_module
from workshop_lib.trainer.dashboard import NOTE_CHARS, NOTES_SHOWN, dashboard, pseudonyms
from workshop_lib.trainer.demo import DEMO_COHORT, demo_records, write_demo_cohort

MB = 1024 * 1024

HOSTILE = "<script>alert('x')</script>"


def test_pseudonyms_are_stable_and_sorted():
    assert pseudonyms(["zoe", "amira", "zoe"]) == {
        "amira": "Participant 01",
        "zoe": "Participant 02",
    }


def test_demo_cohort_when_there_are_no_answers(tmp_path):
    board = dashboard(str(tmp_path / "empty"), "c1")
    assert "No answers yet: showing a generated demo cohort" in board.summary_text
    assert "12 participant(s)" in board.summary_text
    assert all(button.disabled for button in board.export_buttons.values())  # nothing real yet
    assert len(demo_records(2)) == 2 * len(demo_records(1))


def test_real_answers_pseudonymised_escaped_refreshed_and_exported(tmp_path, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "responses"
    store = FolderStore(folder)
    store.save(
        "amira",
        "c1",
        "03_implementation_challenges",
        "poll.hardest-challenge",
        {"choice": "Legal concepts"},
        kind="poll",
    )
    store.save(
        "bola", "c1", "04_responses_discussion", "note.promising-practice", HOSTILE, kind="note"
    )
    board = dashboard(str(folder), "c1")
    assert "2 participant(s), 2 answer(s)." in board.summary_text
    assert (
        "Chart: Poll: Which implementation challenge is the hardest in your country? "
        "Legal concepts: 1." in board.summary_text
    )
    assert "?." not in board.summary_text, "no doubled punctuation after a question"
    assert "amira" not in board.body.value and "Participant 01" not in board.body.value
    assert "<em>Participant 02</em>: <bdi>&lt;script&gt;" in board.body.value
    assert "<script>" not in board.body.value

    store.save(
        "carol",
        "c1",
        "03_implementation_challenges",
        "poll.hardest-challenge",
        {"choice": "Legal concepts"},
        kind="poll",
    )
    board.refresh_button.click()
    assert "Legal concepts: 2." in board.summary_text

    assert "base64" not in board.body.value
    board.export_buttons["csv"].click()
    written = next((tmp_path / "exports").glob("c1-answers-*.csv"))
    exported = written.read_text(encoding="utf-8")
    assert "Participant 03" in exported and "carol" not in exported
    link = board.export_result.outputs[0]["data"]["text/html"]
    assert f"href='exports/{written.name}' download='{written.name}'" in link

    board.show_names.value = True
    assert "<em>bola</em>" in board.body.value


def test_dashboard_reads_the_session_default_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(config.ENV_RESPONSES_DIR, str(tmp_path / "env-folder"))
    FolderStore(tmp_path / "env-folder").save("amira", "c9", "05_nb", "checklist", {}, kind="x")
    assert "1 participant(s), 1 answer(s)." in dashboard("", "c9").summary_text


def test_odd_but_valid_records_never_break_the_dashboard(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "responses"
    participants = odd_records.odd_cohort(root, demo_participants=3)
    board = dashboard(str(root), odd_records.COHORT)
    page = board.body.value
    assert f"{participants} participant(s)" in board.summary_text
    assert "<img" not in page and "<script>" not in page and "base64" not in page
    for text in (odd_records.MATH, odd_records.RTL, odd_records.EMOJI):
        assert f"<bdi>{html.escape(text)}</bdi>" in page
    assert "shortened here: 10,000 characters" in page
    poll = next(a for a in content.all_activities() if isinstance(a, content.Poll))
    assert f"Chart: Poll: {poll.question} " in board.summary_text and poll.question[-1] == "?"
    # the odd choices, counted together; a sixth was replaced by an answer of another kind
    assert "another answer: 5." in board.summary_text
    assert "another score: 3" in board.summary_text  # NaN, 10**400 and -1.5
    page.encode("utf-8")  # the broken participant id is shown with a replacement character
    board.show_names.value = True
    assert "broken-\ufffd" in board.body.value
    for fmt in ("csv", "xlsx", "html"):
        board.export_buttons[fmt].click()
        assert "Written:" in board.export_result.outputs[0]["data"]["text/plain"]
    assert len(list((tmp_path / "exports").iterdir())) == 3


def test_the_dashboard_draws_no_matplotlib_chart():
    code = (
        "import sys\n"
        "from workshop_lib.trainer.dashboard import dashboard\n"
        "board = dashboard(sys.argv[1], 'c1')\n"
        "assert 'No answers yet' in board.summary_text\n"
        "print('matplotlib' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "/nonexistent/responses"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "False"


def test_notes_are_bounded_and_say_so(tmp_path):
    prompt = next(a for a in content.all_activities() if isinstance(a, content.Prompt))
    store = FolderStore(tmp_path / "responses")
    for n in range(NOTES_SHOWN + 5):
        note = f"note {n:02d} " + "x" * (NOTE_CHARS if n == 0 else 10)
        store.save(f"p{n:02d}", "c1", prompt.notebook, prompt.activity_id, note, kind="note")
    page = dashboard(str(tmp_path / "responses"), "c1").body.value
    assert f"The {NOTES_SHOWN} most recent of {NOTES_SHOWN + 5} notes" in page
    assert page.count("<bdi>note ") == NOTES_SHOWN


def test_a_1000_participant_cohort_sends_under_2_mb(monkeypatch):
    cohort = CohortAnswers(demo_records(1_000), [])
    monkeypatch.setattr(dashboard_module, "load_cohort", lambda *args: cohort)
    board = dashboard("/unused", DEMO_COHORT)
    assert "1000 participant(s)" in board.summary_text
    sent = sum(
        len(json.dumps(w.get_state(), default=str).encode("utf-8"))
        for w in [board.body, *board.root.children]
    )
    assert len(board.body.value.encode("utf-8")) < 2 * MB and sent < 2 * MB


def test_skipped_files_are_shown_with_their_participant_folder(tmp_path):
    root = tmp_path / "responses"
    FolderStore(root).save("amira", "c1", "05_nb", "checklist", {}, kind="x")
    for n in range(30):
        (root / f"zoe{n:02d}").mkdir()
        (root / f"zoe{n:02d}" / "broken.json").write_text("{")
    board = dashboard(str(root), "c1")
    assert "<tr><td>zoe00</td><td>broken.json</td><td>not valid JSON" in board.body.value
    assert "And 10 more; the report lists them all." in board.body.value
    assert "30 file(s) could not be read." in board.summary_text


def test_an_unavailable_database_is_one_sentence(tmp_path):
    url = f"sqlite:///{tmp_path}/no-such-folder/answers.db"
    board = dashboard(url, "c1")
    first = board.summary_text.splitlines()[0]
    assert "(None)" not in first
    assert first.startswith("The database refused or did not answer: ")
    assert first.endswith(". Showing a generated demo cohort instead.")
    assert "password" not in first


def test_a_failed_refresh_keeps_the_answers_last_read(tmp_path, monkeypatch):
    store = FolderStore(tmp_path / "responses")
    poll = next(a for a in content.all_activities() if isinstance(a, content.Poll))
    store.save("amira", "c1", poll.notebook, poll.activity_id, {"choice": poll.options[0]},
               kind="poll")  # fmt: skip
    board = dashboard(str(tmp_path / "responses"), "c1")

    def down(*args):
        raise StoreUnavailableError("The responses folder cannot be used (Input/output error).")

    monkeypatch.setattr(dashboard_module, "load_cohort", down)
    board.refresh_button.click()
    lines = board.summary_text.splitlines()
    assert lines[0].startswith("The responses folder cannot be used (Input/output error). ")
    assert "Showing the answers as read at" in lines[0]
    assert lines[1] == "1 participant(s), 1 answer(s)."


def test_activity_ids_come_from_the_content(tmp_path, monkeypatch):
    monkeypatch.setattr(content.Poll, "id_prefix", "survey.")
    monkeypatch.setattr(content.Prompt, "id_prefix", "discussion.")
    root = tmp_path / "responses"
    write_demo_cohort(root, 3)
    board = dashboard(str(root), DEMO_COHORT)
    polls = [a for a in content.all_activities() if isinstance(a, content.Poll)]
    bars = {b.title: b for b in board.bars}
    for poll in polls:
        assert sum(counts[0] for _, counts in bars[f"Poll: {poll.question}"].rows) == 3
    assert "No notes yet." not in board.body.value


def test_exports_read_back(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "responses"
    store = FolderStore(root)
    store.save("amira", "c1", "02_nb", "note.x", '=HYPERLINK("http://x")', kind="note")
    board = dashboard(str(root), "c1")
    paths = {fmt: board.export(fmt) for fmt in ("csv", "xlsx", "html")}
    cells = [c for row in csv.reader(paths["csv"].open(encoding="utf-8")) for c in row]
    assert '\'=HYPERLINK("http://x")' in cells and "Participant 01" in cells
    book = openpyxl.load_workbook(paths["xlsx"])
    assert all(c.data_type != "f" for row in book["answers"].iter_rows() for c in row)
    assert "amira" not in paths["html"].read_text(encoding="utf-8")


@pytest.mark.parametrize("where", ["file", "folder"])
def test_an_export_that_cannot_be_written_is_one_sentence(tmp_path, monkeypatch, where):
    monkeypatch.chdir(tmp_path)
    FolderStore(tmp_path / "responses").save("amira", "c1", "02_nb", "note.x", "hi", kind="note")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    board = dashboard_module.Dashboard(str(tmp_path / "responses"), "c1", export_dir=blocked)
    assert board.export("csv") is None
    text = board.export_result.outputs[0]["data"]["text/plain"]
    assert text.startswith(f"The file could not be written in {blocked} (")
    assert text.endswith(").") and "\n" not in text
    assert not list(Path(tmp_path).glob("**/*.csv"))
