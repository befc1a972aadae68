"""The response store: atomic, private, Unicode-safe, hostile-id-proof, concurrent, forgiving."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
from pathlib import Path

import pytest

from workshop_lib.responses import folder as store_module
from workshop_lib.responses.folder import FolderStore
from workshop_lib.responses.keys import safe_key
from workshop_lib.responses.records import (
    MAX_RECORD_BYTES,
    MAX_TEXT_LENGTH,
    AnswerTooLongError,
    UnsafeStoreError,
)

UN_LANGUAGES = {
    "ar": "الاتجار بالأشخاص جريمة خطيرة",
    "zh": "贩运人口是一种严重犯罪",
    "ru": "Торговля людьми — тяжкое преступление",
    "fr": "La traite des êtres humains est un crime grave, « sans exception »",
    "es": "La trata de personas es un delito grave: ¿cómo responder?",
    "en": "Trafficking in persons is a serious crime",
}


def save(store, participant="alice", activity="a1", answer="yes", **kw):
    return store.save(participant, "demo", "01_nb", activity, answer, **kw)


def test_record_holds_every_field(tmp_path):
    store = FolderStore(tmp_path)
    record = save(store, answer={"q1": "b"}, kind="choices", display_name="Alice A.")
    path = store.path_for("alice", "demo", "01_nb", "a1")
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    assert on_disk == record
    assert on_disk["schema"] == "tipsom-workshop/response" and on_disk["schema_version"] == 1
    assert (on_disk["participant"], on_disk["notebook"], on_disk["activity"]) == (
        "alice", "01_nb", "a1",
    )  # fmt: skip
    assert on_disk["answer"] == {"q1": "b"} and on_disk["attempts"] == 1
    assert on_disk["first_saved"].endswith("Z") and on_disk["last_saved"].endswith("Z")


def test_attempts_count_checks_not_autosaves(tmp_path):
    store = FolderStore(tmp_path)
    first = save(store)
    save(store, new_attempt=True)
    third = save(store, new_attempt=False, answer="changed")
    assert third["attempts"] == 2
    assert third["first_saved"] == first["first_saved"]
    assert store.load("alice", "demo", "01_nb", "a1")["answer"] == "changed"


def test_modes_are_private_to_writer_and_group(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o2750)  # a trainer's folder with the setgid bit
    store = FolderStore(shared)
    save(store)
    path = store.path_for("alice", "demo", "01_nb", "a1")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    folder_mode = path.parent.stat().st_mode
    assert stat.S_IMODE(folder_mode) & 0o777 == 0o750
    assert folder_mode & stat.S_ISGID, "the shared folder's setgid bit must be kept"


def test_a_failed_write_leaves_the_old_answer_and_no_temp_file(tmp_path, monkeypatch):
    store = FolderStore(tmp_path)
    save(store, answer="first answer")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module.os, "fsync", disk_full)
    with pytest.raises(OSError):
        save(store, answer="second answer")
    path = store.path_for("alice", "demo", "01_nb", "a1")
    assert json.loads(path.read_text(encoding="utf-8"))["answer"] == "first answer"
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("language", sorted(UN_LANGUAGES))
def test_unicode_text_round_trips_as_written(tmp_path, language):
    store = FolderStore(tmp_path)
    text = UN_LANGUAGES[language]
    save(store, participant=f"участник-{language}", answer={"note": text}, kind="answer")
    record = store.load(f"участник-{language}", "demo", "01_nb", "a1")
    assert record["answer"]["note"] == text
    raw = store.path_for(f"участник-{language}", "demo", "01_nb", "a1").read_bytes()
    assert text.encode("utf-8") in raw


def test_overlong_text_is_refused_not_cut(tmp_path):
    store = FolderStore(tmp_path)
    save(store, answer={"note": "x" * MAX_TEXT_LENGTH})
    with pytest.raises(AnswerTooLongError, match="the limit is 10,000"):
        save(store, answer={"note": "x" * (MAX_TEXT_LENGTH + 1)})
    kept = store.load("alice", "demo", "01_nb", "a1")["answer"]["note"]
    assert len(kept) == MAX_TEXT_LENGTH


HOSTILE_IDS = [
    "../../etc/passwd", "..", ".", "a/b", "a\\b", "C:\\x", "\x00", "nul\x00byte",
    "line\nbreak", "tab\there", "\x1b[31mred", "x" * 10_000, "é" * 5_000, "😀", "😀😀",
    "Alice", "alice", "ALICE", "/absolute", "~root", "-rf", "a" * 64, "a" * 65,
    "con", "aux.txt", " spaced ", "alice+0000", "name.json", ".hidden", "a..b",
]  # fmt: skip


def test_hostile_ids_stay_inside_and_never_collide(tmp_path):
    root = tmp_path / "responses"
    store = FolderStore(root)
    keys = {safe_key(i) for i in HOSTILE_IDS}
    assert len(keys) == len(HOSTILE_IDS), "two ids share a key"
    for number, identifier in enumerate(HOSTILE_IDS):
        save(store, participant=identifier, answer=str(number))
        path = store.path_for(identifier, "demo", "01_nb", "a1")
        assert path.resolve().is_relative_to(root.resolve())
        assert len(path.parent.name) <= 64
    for number, identifier in enumerate(HOSTILE_IDS):
        assert store.load(identifier, "demo", "01_nb", "a1")["answer"] == str(number)
    every_file = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix == ".json"]
    assert len(every_file) == len(HOSTILE_IDS)
    assert all(p.resolve().is_relative_to(root.resolve()) for p in every_file)


def test_hostile_activity_ids_stay_inside(tmp_path):
    store = FolderStore(tmp_path / "r")
    store.save("bob", "../cohort", "../../nb", "/etc/passwd", "x")
    files = list((tmp_path / "r").rglob("*.json"))
    assert len(files) == 1 and files[0].resolve().is_relative_to((tmp_path / "r").resolve())


def test_unreadable_files_are_skipped_and_named(tmp_path):
    store = FolderStore(tmp_path)
    save(store, participant="alice")
    folder = tmp_path / "bob"
    folder.mkdir()
    (folder / "empty.json").write_text("")
    (folder / "corrupt.json").write_text('{"schema": "tipsom-workshop/response", ')
    (folder / "foreign.json").write_text('{"hello": "world"}')
    future = {"schema": "tipsom-workshop/response", "schema_version": 99}
    (folder / "future.json").write_text(json.dumps(future))
    (folder / "binary.json").write_bytes(b"\xff\xfe\x00bad")
    records, skipped = store.records()
    assert [r["participant"] for r in records] == ["alice"]
    reasons = {s.where: s.reason for s in skipped}
    assert reasons["bob/empty.json"] == "the file is empty"
    assert reasons["bob/corrupt.json"].startswith("not valid JSON")
    assert reasons["bob/foreign.json"] == "not a workshop response record"
    assert "newer version" in reasons["bob/future.json"]
    assert reasons["bob/binary.json"] == "not UTF-8 text"


def test_saving_over_an_own_corrupt_file_keeps_it_aside(tmp_path):
    store = FolderStore(tmp_path)
    path = store.path_for("alice", "demo", "01_nb", "a1")
    path.parent.mkdir(parents=True)
    path.write_text("{broken")
    record = save(store, answer="new")
    assert record["attempts"] == 1
    aside = list(path.parent.glob("*.unreadable-*"))
    assert len(aside) == 1 and aside[0].read_text() == "{broken"


def _worker(args):
    root, participant, activity, rounds = args
    store = FolderStore(root)
    for number in range(rounds):
        store.save(participant, "demo", "01_nb", activity, {"n": number, "who": participant})
    return participant


def test_fifty_processes_saving_at_once_lose_nothing(tmp_path):
    root = str(tmp_path / "responses")
    jobs = [(root, f"p{n:02d}", "a1", 3) for n in range(40)]
    jobs += [(root, "same", "shared-activity", 5) for _ in range(10)]
    with multiprocessing.get_context("fork").Pool(50) as pool:
        pool.map(_worker, jobs, chunksize=1)
    records, skipped = FolderStore(root).records()
    assert skipped == []
    by_participant = {r["participant"]: r for r in records}
    assert len(by_participant) == 41
    for n in range(40):
        record = by_participant[f"p{n:02d}"]
        assert record["answer"] == {"n": 2, "who": f"p{n:02d}"} and record["attempts"] == 3
    assert by_participant["same"]["attempts"] == 50
    leftovers = [p for p in Path(root).rglob("*.tmp")]
    assert leftovers == []


# The hostile review (issue 12): links, odd files, odd records, key collisions, leftovers.


def test_a_linked_folder_lock_or_answer_file_is_refused_never_followed(tmp_path):
    root, elsewhere = tmp_path / "r", tmp_path / "elsewhere"
    elsewhere.mkdir()
    store = FolderStore(root)
    save(store, participant="alice")
    (root / "mallory").symlink_to(elsewhere)
    with pytest.raises(UnsafeStoreError, match="is a link or not a folder"):
        save(store, participant="mallory")
    path = store.path_for("alice", "demo", "01_nb", "a2")
    (path.parent / f".{path.name}.lock").symlink_to(elsewhere / "lock")
    with pytest.raises(UnsafeStoreError, match="lock file of your answers is a link"):
        save(store, activity="a2")
    path = store.path_for("alice", "demo", "01_nb", "a3")
    path.symlink_to(elsewhere / "target.json")
    with pytest.raises(UnsafeStoreError, match="answer file of yours is a link"):
        save(store, activity="a3")
    assert list(elsewhere.iterdir()) == []


def test_fifos_devices_links_and_huge_files_are_skipped_without_hanging(tmp_path):
    store = FolderStore(tmp_path)
    save(store, participant="alice")
    folder = tmp_path / "bob"
    folder.mkdir()
    os.mkfifo(folder / "fifo.json")
    (folder / "zero.json").symlink_to("/dev/zero")
    (folder / "huge.json").write_bytes(b" " * (MAX_RECORD_BYTES + 1))
    (tmp_path / "stray.json").write_text("{}")
    (tmp_path / "stray-link").symlink_to("/dev/zero")
    records, skipped = store.records()
    assert [r["participant"] for r in records] == ["alice"]
    reasons = {s.where: s.reason for s in skipped}
    assert reasons["bob/fifo.json"] == "not a regular file"
    assert reasons["bob/zero.json"] == "a link, not followed"
    assert reasons["bob/huge.json"] == "larger than 4 MiB"
    assert (
        reasons["stray.json"] == reasons["stray-link"] == "not a participant folder (stray entry)"
    )


ODD_FIELDS = {
    "attempts as text": {"attempts": "3"},
    "attempts null": {"attempts": None},
    "notebook null": {"notebook": None},
    "participant a list": {"participant": ["alice"]},
    "first_saved not a date": {"first_saved": "yesterday"},
    "quiz answer not an object": {"kind": "quiz", "answer": ["a"]},
    "quiz score not a number": {"kind": "quiz",
                                "answer": {"choices": {}, "score": "x", "total": 1}},
    "deep nesting": {"answer": json.loads("[" * 50 + "]" * 50)},
}  # fmt: skip


@pytest.mark.parametrize("odd", sorted(ODD_FIELDS))
def test_records_with_odd_types_are_skipped_and_named(tmp_path, odd):
    store = FolderStore(tmp_path)
    record = save(store, participant="bob")
    path = store.path_for("bob", "demo", "01_nb", "a1")
    path.write_text(json.dumps({**record, **ODD_FIELDS[odd]}), encoding="utf-8")
    records, skipped = store.records()
    assert records == [] and [s.where for s in skipped] == [f"bob/{path.name}"]


def test_nesting_too_deep_for_the_json_reader_is_one_reason(tmp_path):
    store = FolderStore(tmp_path)
    record = save(store, participant="bob")
    path = store.path_for("bob", "demo", "01_nb", "a1")
    path.write_text(json.dumps(record)[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert [s.reason for s in store.records()[1]] == ["nested too deeply to read"]


def test_keys_that_contain_the_joining_characters_never_share_a_file(tmp_path):
    store = FolderStore(tmp_path)
    store.save("alice", "a__b", "c", "d", "first")
    store.save("alice", "a", "b__c", "d", "second")
    store.save("alice", "a~b", "c", "d", "third")
    store.save("alice", "a", "b~c", "d", "fourth")
    answers = sorted(r["answer"] for r in store.records()[0])
    assert answers == ["first", "fourth", "second", "third"]


@pytest.mark.parametrize("identifier", ["alice\n", "con", "nul", "com1", "lpt9.txt", "alice."])
def test_newlines_reserved_names_and_trailing_dots_are_never_keys(identifier):
    key = safe_key(identifier)
    assert key != identifier and "+" in key and "\n" not in key and not key.endswith(".")


def test_temporary_files_of_killed_writers_are_removed_by_the_next_save(tmp_path):
    store = FolderStore(tmp_path)
    save(store)
    path = store.path_for("alice", "demo", "01_nb", "a1")
    leftover = path.with_name(f".{path.name}.abc123.tmp")
    leftover.write_text("half an answer")
    save(store, answer="again")
    assert not leftover.exists()
    assert store.load("alice", "demo", "01_nb", "a1")["answer"] == "again"


def test_a_reader_sees_every_change_though_it_reads_unchanged_files_once(tmp_path, monkeypatch):
    store = FolderStore(tmp_path)
    save(store, answer="first")
    save(store, participant="bob", answer="bob's")
    assert sorted(r["answer"] for r in store.records()[0]) == ["bob's", "first"]
    opened = []
    real = store_module._read_regular
    monkeypatch.setattr(store_module, "_read_regular", lambda *a: opened.append(a[0]) or real(*a))
    assert sorted(r["answer"] for r in FolderStore(tmp_path).records()[0]) == ["bob's", "first"]
    assert opened == []
    save(store, answer="second")
    path = store.path_for("bob", "demo", "01_nb", "a1")
    forged = path.read_text(encoding="utf-8").replace(
        '"participant": "bob"', '"participant": "eve"'
    )
    stamp = path.stat()
    path.write_text(forged, encoding="utf-8")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # same time, new content
    opened.clear()
    records, skipped = store.records()
    assert [r["answer"] for r in records] == ["second"] and len(opened) == 2
    assert [s.where for s in skipped] == [f"bob/{path.name}"]
