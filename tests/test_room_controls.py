"""The room's controls in the response store: lock, rounds, a revealed poll result and hidden
notes, kept alike in a folder and a database; a locked activity saves nothing and says so in
one sentence; participants read the public controls and can write none (row-level security on
PostgreSQL; the folder's permissions are tested with real Unix users in test_shared_folder)."""

from __future__ import annotations

import dataclasses
import json
import os
import stat

import psycopg
import pytest

from tests.test_backends import new_database, postgres  # noqa: F401 - the server fixture
from workshop_lib.responses import open_store
from workshop_lib.responses.controls import (
    ROOM_FOLDER,
    ActivityControls,
    FolderControls,
    RoomResult,
    closed_sentence,
    controls_for,
    read_controls,
    round_activity,
    split_round,
)
from workshop_lib.responses.records import StoreUnavailableError
from workshop_lib.responses.session import Session
from workshop_lib.responses.sql import postgres_setup_sql


@pytest.fixture(params=["directory", "sqlite"])
def location(request, tmp_path):
    if request.param == "directory":
        return str(tmp_path / "responses")
    return f"sqlite:///{tmp_path / 'responses.db'}"


def lock(store, cohort, activity, locked=True):
    return controls_for(store).update(
        cohort, activity, lambda c: dataclasses.replace(c, locked=locked)
    )


def test_rounds_have_their_own_activity_ids():
    assert round_activity("poll.x", 1) == "poll.x"
    assert round_activity("poll.x", 3) == "poll.x.round-3"
    assert split_round("poll.x.round-3") == ("poll.x", 3)
    assert split_round("poll.x") == ("poll.x", 1)
    assert split_round("poll.x.round-0") == ("poll.x.round-0", 1)
    assert split_round("poll.round-") == ("poll.round-", 1)


def test_controls_start_open_and_are_kept(location):
    store = open_store(location)
    assert read_controls(store, "c1", "poll.x") == ActivityControls()
    result = RoomResult(2, ("Yes", "No"), (3, 1), 4, "2026-01-01T09:00:00Z")
    controls = controls_for(store)
    controls.update(
        "c1",
        "poll.x",
        lambda c: dataclasses.replace(c, round=2, revealed=result, hidden=frozenset({"bob"})),
    )
    public = read_controls(open_store(location), "c1", "poll.x.round-2")
    assert public.round == 2 and public.revealed == result and not public.locked
    assert public.hidden == frozenset(), "participants' kernels never get the hidden notes"
    assert controls_for(open_store(location)).read("c1", "poll.x", private=True).hidden == {"bob"}
    assert read_controls(store, "c2", "poll.x") == ActivityControls(), "per cohort"


def test_a_locked_activity_saves_nothing_and_says_so(location):
    store = open_store(location)
    session = Session("alice", "c1", "02_nb", store)
    assert session.save("poll.x", {"choice": "Yes"}, "poll").ok
    lock(store, "c1", "poll.x")
    refused = session.save("poll.x", {"choice": "No"}, "poll")
    assert not refused.ok and refused.message == closed_sentence("poll")
    assert refused.message == (
        "The trainer has closed this poll for now, so your answer was not saved."
    )
    assert refused.message.count(".") == 1
    assert store.load("alice", "c1", "02_nb", "poll.x")["answer"] == {"choice": "Yes"}
    assert session.unsaved == {}, "a closed activity's answer is not kept to be saved later"
    later = session.save("poll.x.round-2", {"choice": "No"}, "poll")
    assert not later.ok, "a later round of a locked poll is closed too"
    assert session.save("note.other", "still open", "note").ok
    lock(store, "c1", "poll.x", locked=False)
    assert session.save("poll.x", {"choice": "No"}, "poll").ok


def test_answers_kept_in_memory_are_not_saved_into_a_closed_activity(tmp_path):
    store = open_store(str(tmp_path / "responses"))
    session = Session("alice", "c1", "02_nb", store)
    session._keep("poll.x", {"choice": "Yes"}, "poll")
    lock(store, "c1", "poll.x")
    assert session.save("note.y", "hello", "note").ok
    assert store.load("alice", "c1", "02_nb", "poll.x") is None
    assert "poll.x" in session.unsaved


def test_broken_or_hostile_control_files_are_taken_as_none(tmp_path):
    root = tmp_path / "responses"
    store = open_store(str(root))
    lock(store, "c1", "poll.x")
    path = root / ROOM_FOLDER / FolderControls.file_name("c1", "poll.x", False)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    for text in ("{", json.dumps({"locked": "yes"}), json.dumps({"round": 10**9}), "\xff"):
        path.write_bytes(text.encode("latin-1"))
        found = controls_for(store).read("c1", "poll.x")
        assert not found.locked and found.round == 1 and found.problem
    path.unlink()
    path.symlink_to(tmp_path / "elsewhere.json")
    (tmp_path / "elsewhere.json").write_text(json.dumps({"locked": True}))
    assert read_controls(store, "c1", "poll.x") == ActivityControls(), "links are not followed"


def test_a_room_folder_anyone_may_write_is_not_trusted(tmp_path):
    root = tmp_path / "responses"
    store = open_store(str(root))
    lock(store, "c1", "poll.x")
    os.chmod(root / ROOM_FOLDER, 0o777)
    with pytest.raises(StoreUnavailableError, match="not made by the trainers"):
        controls_for(store).read("c1", "poll.x")
    assert read_controls(store, "c1", "poll.x") == ActivityControls()
    records, skipped = store.records()
    assert records == [] and skipped == [], "the room folder is not a participant's folder"


@pytest.mark.postgres
def test_participants_read_public_controls_write_none_and_cannot_answer_a_locked_poll(
    postgres,  # noqa: F811 - the fixture
):
    admin_url = new_database(postgres)
    database = admin_url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(postgres_setup_sql())
        for role, group in (("rc_alice", "workshop_participants"),
                            ("rc_trainer", "workshop_trainers")):  # fmt: skip
            admin.execute(f"DROP ROLE IF EXISTS {role}")
            admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'pw-{role}' IN ROLE {group}")
    url = lambda role: postgres.url(role, f"pw-{role}").rsplit("/", 1)[0] + f"/{database}"  # noqa: E731
    alice, trainer = open_store(url("rc_alice")), open_store(url("rc_trainer"))
    alice.save("rc_alice", "c1", "02", "poll.x", {"choice": "Yes"}, kind="poll")
    controls_for(trainer).update(
        "c1", "poll.x", lambda c: dataclasses.replace(c, locked=True, hidden=frozenset({"x"}))
    )
    seen = controls_for(alice).read("c1", "poll.x", private=True)
    assert seen.locked and seen.hidden == frozenset(), "the private row is the trainers' only"
    with pytest.raises(StoreUnavailableError):
        controls_for(alice).update("c1", "poll.x", lambda c: dataclasses.replace(c, locked=False))
    assert controls_for(trainer).read("c1", "poll.x").locked
    # the widget's check bypassed (code run by hand): the database itself refuses
    for activity in ("poll.x", "poll.x.round-2"):
        with pytest.raises(StoreUnavailableError, match="row-level security"):
            alice.save("rc_alice", "c1", "02", activity, {"choice": "No"}, kind="poll")
    session = Session("rc_alice", "c1", "02", alice)
    assert session.save("poll.x", {"choice": "No"}, "poll").message == closed_sentence("poll")
    assert alice.load("rc_alice", "c1", "02", "poll.x")["answer"] == {"choice": "Yes"}
    controls_for(trainer).update("c1", "poll.x", lambda c: dataclasses.replace(c, locked=False))
    assert session.save("poll.x", {"choice": "No"}, "poll").ok
