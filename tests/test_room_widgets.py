"""What the room's controls change in participants' widgets: a closed activity says so and
saves nothing, a new round of a poll keeps the earlier answers, and the room's result of a poll
shows only once the trainer has revealed it (escaped, with the participant's own answer)."""

from __future__ import annotations

import dataclasses
import html

import pytest

from workshop_lib.exercises import content
from workshop_lib.exercises.widgets.checklist import ChecklistWidget
from workshop_lib.exercises.widgets.notes import DiscussionNote
from workshop_lib.exercises.widgets.poll import PollWidget
from workshop_lib.exercises.widgets.quiz import QuizWidget
from workshop_lib.exercises.widgets.scenarios import ScenarioCard
from workshop_lib.responses import open_store
from workshop_lib.responses.controls import RoomResult, closed_sentence, controls_for
from workshop_lib.responses.session import Session

POLL = content.load_poll("criminalized-all-elements")


@pytest.fixture
def store(tmp_path):
    return open_store(str(tmp_path / "responses"))


def session(store, who="alice", notebook=POLL.notebook):
    return Session(who, "c1", notebook, store)


def change(store, activity, **fields):
    controls_for(store).update("c1", activity, lambda c: dataclasses.replace(c, **fields))


def test_a_locked_poll_says_so_refuses_and_saves_nothing(store):
    widget = PollWidget(POLL, session(store))
    widget.choice.value = "Yes"
    assert widget.submit().ok
    change(store, POLL.activity_id, locked=True)
    again = PollWidget(POLL, session(store))
    assert "closed this poll for now" in again.status.value
    again.choice.value = "No"
    result = again.submit()
    assert not result.ok and result.message == closed_sentence("poll")
    assert "your answer was not saved" in again.status.value
    saved = store.load("alice", "c1", POLL.notebook, POLL.activity_id)
    assert saved["answer"] == {"choice": "Yes"} and saved["attempts"] == 1


@pytest.mark.parametrize("kind", ["note", "quiz", "scenario", "checklist"])
def test_every_kind_of_exercise_says_when_it_is_closed(store, kind):
    activity = {
        "note": content.load_prompt("national-framework"),
        "quiz": content.load_quiz("untoc-basics"),
        "scenario": content.load_scenario("tip-or-som", "restaurant-job"),
        "checklist": content.load_checklist(),
    }[kind]
    change(store, activity.activity_id, locked=True)
    build = {"note": DiscussionNote, "quiz": QuizWidget, "scenario": ScenarioCard,
             "checklist": ChecklistWidget}[kind]  # fmt: skip
    widget = build(activity, session(store, notebook=activity.notebook))
    assert "The trainer has closed this" in widget.status.value
    result = widget.save({"x": "y"} if kind != "note" else "text", new_attempt=False)
    assert not result.ok and "was not saved" in result.message
    assert store.records()[0] == []


def test_a_new_round_keeps_earlier_answers_and_says_which_round(store):
    first = PollWidget(POLL, session(store))
    first.choice.value = "Partly"
    first.submit()
    change(store, POLL.activity_id, round=2)
    shown = PollWidget(POLL, session(store))
    assert shown.choice.value is None and shown.activity == f"{POLL.activity_id}.round-2"
    assert (
        "Round 2 of this poll: please answer again. In round 1 you answered "
        in (shown.status.value)
        and html.escape("'Partly'.") in shown.status.value
    )
    shown.choice.value = "Yes"
    assert shown.submit().ok
    # a poll shown before the trainer started round 3 answers in round 3
    change(store, POLL.activity_id, round=3)
    shown.choice.value = "No"
    assert "It counts for round 3 of this poll." in shown.submit().message + shown.status.value
    answers = {r["activity"]: r["answer"]["choice"] for r in store.records("c1")[0]}
    assert answers == {
        POLL.activity_id: "Partly",
        f"{POLL.activity_id}.round-2": "Yes",
        f"{POLL.activity_id}.round-3": "No",
    }


def test_the_room_result_shows_once_revealed_escaped_with_the_own_answer(store):
    widget = PollWidget(POLL, session(store))
    assert not widget.show_result()
    assert "has not shared the room's result" in widget.result.value
    widget.choice.value = "Partly"
    widget.submit()
    hostile = "<img src=x onerror=alert(1)>"
    result = RoomResult(1, ("Yes", "Partly", hostile), (3, 1, 0), 4, "2026-01-01T09:00:00Z")
    change(store, POLL.activity_id, revealed=result)
    assert widget.show_result()
    page = widget.result.value
    assert "round 1, 4 answers" in page and "3 (75%)" in page and "1 (25%)" in page
    assert "<bdi>Partly</bdi> (your answer)" in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    change(store, POLL.activity_id, round=2)
    assert not widget.show_result(), "a result of round 1 is not shown as round 2's"


def test_the_knowledge_check_before_saves_without_answers_and_after_explains(store):
    from workshop_lib.exercises.knowledge_check import load_knowledge_check
    from workshop_lib.exercises.widgets.quiz import knowledge_check

    check = load_knowledge_check()
    before = knowledge_check("before", session(store, notebook=check.before))
    for question in before.questions:
        question.value = sorted(question.item.correct_ids())[0]
    assert before.check().ok
    assert "Correct" not in "".join(q.feedback.value for q in before.questions)
    assert "come back at the end of the session" in before.score.value
    saved = store.load("alice", "c1", check.before, "knowledge-check.before")
    assert saved["answer"]["score"] == len(check.items)
    after = knowledge_check("after", session(store, notebook=check.after))
    for question in after.questions:
        question.value = sorted(question.item.correct_ids())[0]
    after.check()
    assert "Correct" in "".join(q.feedback.value for q in after.questions)
    assert "Score: 6 of 6" in after.score.value
    assert "could not be loaded" in knowledge_check("during").text
