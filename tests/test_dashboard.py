"""The trainer dashboard: real answers, pseudonyms, escaped notes, refresh, demo, export."""

from __future__ import annotations

import base64
import re

from workshop_lib import config
from workshop_lib.responses.folder import FolderStore
from workshop_lib.trainer.dashboard import dashboard, pseudonyms
from workshop_lib.trainer.demo import demo_records

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
    assert len(demo_records(2)) == 2 * len(demo_records(1))


def test_real_answers_pseudonymised_escaped_refreshed_and_exported(tmp_path, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
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
        "Poll: Which implementation challenge is the hardest in your country?. "
        "Legal concepts: 1." in board.summary_text
    )
    assert "amira" not in board.body.value and "Participant 01" not in board.body.value
    assert "<em>Participant 02</em>: &lt;script&gt;" in board.body.value
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

    csv_payload = re.search(r"data:text/csv;charset=utf-8;base64,([^\"]+)\"", board.body.value)
    exported = base64.b64decode(csv_payload.group(1)).decode("utf-8")
    assert "Participant 03" in exported and "carol" not in exported

    board.show_names.value = True
    assert "<em>bola</em>" in board.body.value


def test_dashboard_reads_the_session_default_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(config.ENV_RESPONSES_DIR, str(tmp_path / "env-folder"))
    FolderStore(tmp_path / "env-folder").save("amira", "c9", "05_nb", "checklist", {}, kind="x")
    assert "1 participant(s), 1 answer(s)." in dashboard("", "c9").summary_text
