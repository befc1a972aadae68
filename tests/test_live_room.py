"""The live room: a watcher reads only what changed (folder and database), the projected view
counts answers by their labels, never names anyone and shows hostile notes as text; the
trainer hides and shows notes, closes and opens answers, starts rounds and shares a poll's
result, all kept in the response store; the join address and its QR code; the kernel's timer
refreshes without a click."""

from __future__ import annotations

import asyncio
import html
import io
import os

import pytest

from workshop_lib.errors import ConfigurationError
from workshop_lib.exercises import content
from workshop_lib.exercises.widgets.poll import PollWidget
from workshop_lib.responses import open_store
from workshop_lib.responses.controls import controls_for
from workshop_lib.responses.folder import FolderStore
from workshop_lib.responses.session import Session
from workshop_lib.responses.watch import watch
from workshop_lib.trainer.live import LiveRoom, join_address, qr_svg, showable

POLL = content.load_poll("criminalized-all-elements")
PROMPT = content.load_prompt("national-framework")
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


@pytest.fixture(params=["directory", "sqlite"])
def location(request, tmp_path):
    if request.param == "directory":
        return str(tmp_path / "responses")
    return f"sqlite:///{tmp_path / 'responses.db'}"


def answer_poll(store, who, choice, cohort="c1"):
    store.save(who, cohort, POLL.notebook, POLL.activity_id, {"choice": choice}, kind="poll")


def index_of(room, activity_id, key=""):
    return next(
        n
        for n, s in enumerate(room.items)
        if s.activity.activity_id == activity_id and s.key == key
    )


def test_a_watcher_reads_only_what_changed(location):
    store = open_store(location)
    for n in range(20):
        answer_poll(store, f"p{n:02d}", "Yes")
        store.save(f"p{n:02d}", "c1", "02", "note.other", "x", kind="note")
    watcher = watch(store, "c1", POLL.notebook, POLL.activity_id)
    first = watcher.changes()
    assert len(first.records) == 20 and first.read == 20
    assert watcher.changes().read == 0
    answer_poll(store, "p03", "No")
    answer_poll(store, "new", "Partly")
    later = watcher.changes()
    assert later.read == 2
    assert {w: r["answer"]["choice"] for w, r in later.records.items()} == {
        "p03": "No",
        "new": "Partly",
    }
    assert watcher.changes().read == 0


def test_a_folder_watcher_skips_what_the_report_skips(tmp_path):
    root = tmp_path / "responses"
    store = FolderStore(root)
    answer_poll(store, "alice", "Yes")
    watcher = watch(store, "c1", POLL.notebook, POLL.activity_id)
    assert set(watcher.changes().records) == {"alice"}
    path = store.path_for("alice", "c1", POLL.notebook, POLL.activity_id)
    path.write_text(path.read_text().replace('"alice"', '"bob"'))  # a forged record
    found = watcher.changes()
    assert found.records == {"alice": None}
    assert found.skipped[0].reason.startswith("suspect, not counted")
    path.unlink()
    (root / "alice" / path.name).symlink_to(tmp_path / "x.json")
    assert watcher.changes().records == {}
    os.makedirs(root / "_room", exist_ok=True)
    assert watcher.changes().records == {}


def test_the_screen_counts_by_label_and_names_nobody(location):
    store = open_store(location)
    for n, choice in enumerate(["Yes", "Yes", "Partly", HOSTILE]):
        answer_poll(store, f"person-{n}", choice)
    room = LiveRoom(location, "c1", start=False, hub_url="")
    room.select(index_of(room, POLL.activity_id))
    screen = room.title.value + room.body.value + room.footer.value
    assert html.escape(POLL.question) in screen
    assert "<bdi>Yes</bdi></td><td class='live-count'>2 (50%)" in screen
    assert "<bdi>another answer</bdi></td><td class='live-count'>1 (25%)" in screen
    assert "4 answers" in screen
    assert "person-" not in screen and "<script>" not in screen and "<img" not in screen
    answer_poll(store, "person-9", "No")
    assert room.refresh() and "<bdi>No</bdi></td><td class='live-count'>1 (20%)" in (
        room.body.value
    )
    assert not room.refresh(), "nothing new: the screen is not sent again"


def test_notes_wall_hides_and_shows_and_keeps_it_in_the_store(location):
    store = open_store(location)
    store.save("alice", "c1", PROMPT.notebook, PROMPT.activity_id, HOSTILE, kind="note")
    store.save("bob", "c1", PROMPT.notebook, PROMPT.activity_id, "Labour inspectors", kind="note")
    room = LiveRoom(location, "c1", start=False, hub_url="")
    room.select(index_of(room, PROMPT.activity_id))
    wall = room.body.value
    assert html.escape(HOSTILE) in wall and "<script>" not in wall and "<img" not in wall
    assert "alice" not in wall and "Participant" not in wall
    panel = "".join(row.children[1].value for row in room.notes_panel.children)
    assert "Participant 01" in panel and "alice" not in panel
    room.names_toggle.value = True
    panel = "".join(row.children[1].value for row in room.notes_panel.children)
    assert "<em>alice</em>" in panel
    assert "alice" not in room.body.value + room.title.value + room.footer.value
    room.toggle_note("alice")
    assert "onerror" not in room.body.value and "Labour inspectors" in room.body.value
    other = LiveRoom(location, "c1", start=False, hub_url="")
    other.select(index_of(other, PROMPT.activity_id))
    assert "onerror" not in other.body.value, "hidden for every trainer: kept in the store"
    assert controls_for(store).read("c1", PROMPT.activity_id, private=True).hidden == {"alice"}
    room.toggle_note("alice")
    assert "onerror" in room.body.value


def test_lock_round_and_reveal_reach_the_participants(location):
    store = open_store(location)
    answer_poll(store, "bob", "No")
    room = LiveRoom(location, "c1", start=False, hub_url="")
    room.select(index_of(room, POLL.activity_id))
    room.toggle_lock()
    assert "Answers are closed." in room.body.value
    widget = PollWidget(POLL, Session("alice", "c1", POLL.notebook, store))
    widget.choice.value = "Yes"
    assert not widget.submit().ok and "closed this poll" in widget.status.value
    assert "1 answer " in room.footer.value
    room.toggle_lock()
    assert widget.submit().ok
    room.refresh()
    assert "2 answers" in room.footer.value
    room.toggle_reveal()
    assert widget.show_result() and "round 1, 2 answers" in widget.result.value
    room.new_round()
    assert "(round 2)" in room.title.value and "0 answers" in room.footer.value
    widget.choice.value = "Partly"
    assert widget.submit().ok and widget.activity.endswith(".round-2")
    room.refresh()
    assert "<bdi>Partly</bdi></td><td class='live-count'>1 (100%)" in room.body.value
    assert not widget.show_result(), "the new round's result is not shared yet"
    records = {(r["participant"], r["activity"]) for r in store.records("c1")[0]}
    assert ("bob", POLL.activity_id) in records and ("alice", POLL.activity_id) in records


def test_a_quiz_question_and_a_checklist_question_are_shown_by_their_labels(location):
    quiz = content.load_quiz("untoc-basics")
    item = quiz.items[0]
    store = open_store(location)
    store.save("a", "c1", quiz.notebook, quiz.activity_id,
               {"choices": {item.id: "c"}, "score": 1, "total": 13}, kind="quiz")  # fmt: skip
    room = LiveRoom(location, "c1", start=False, hub_url="")
    room.select(index_of(room, quiz.activity_id, item.id))
    assert html.escape(item.question) in room.title.value
    assert "<bdi>29 September 2003</bdi></td><td class='live-count'>1" in room.body.value
    assert "✓" not in room.body.value
    room.answers_toggle.value = True
    assert "<bdi>29 September 2003</bdi> ✓" in room.body.value
    keys = [s.key for s in showable() if isinstance(s.activity, content.Checklist)]
    assert keys and "ratification-status" not in keys, "the status question is not a scale"


def test_the_join_address_and_its_qr_code():
    import zxingcpp
    from PIL import Image

    address = join_address("02_legal_frameworks_discussion", "https://hub.example.org/")
    assert address == (
        "https://hub.example.org/hub/user-redirect/voila/render/"
        "02_legal_frameworks_discussion.ipynb"
    )
    assert join_address("x", "") == ""
    for bad in ("ftp://x", "javascript:alert(1)", "https://x/<script>", "hub.example.org"):
        with pytest.raises(ConfigurationError, match="must be an http or https address"):
            join_address("x", bad)
    svg = qr_svg(address)
    assert svg.startswith("<svg") and "http" not in svg.split(">", 1)[0]
    import segno

    png = io.BytesIO()
    segno.make(address, error="m").save(png, kind="png", scale=6)
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.getvalue())))
    assert [d.text for d in decoded] == [address]


def test_the_kernel_timer_refreshes_without_a_click(tmp_path):
    location = str(tmp_path / "responses")
    store = open_store(location)

    async def scenario():
        room = LiveRoom(location, "c1", interval=0.05, hub_url="")
        room.select(index_of(room, POLL.activity_id))
        assert room.task is not None
        answer_poll(store, "late", "Yes")
        for _ in range(100):
            await asyncio.sleep(0.02)
            if "1 answer " in room.footer.value:
                break
        room.stop()
        return room.footer.value

    assert "1 answer " in asyncio.run(scenario())
