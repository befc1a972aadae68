"""The cohort's results in the trainer's words, on constructed cohorts whose answers are known:
question texts and option labels (never ids, never cut), the share right per question, the most
common wrong answer and its explanation, item statistics (difficulty, corrected item-total
correlation) checked against numpy, scenarios' misread elements with what to explain, polls per
round, the checklist by country with its status notes, notes with countries, and the knowledge
gained between the checks before and after the session."""

from __future__ import annotations

import csv
import html

import numpy
import pytest

from workshop_lib.exercises import content
from workshop_lib.exercises.knowledge_check import load_knowledge_check
from workshop_lib.exercises.widgets.checklist import status_summary
from workshop_lib.facts.status import country_status
from workshop_lib.responses.cohort import CohortAnswers
from workshop_lib.responses.records import SCHEMA, SCHEMA_VERSION
from workshop_lib.trainer import dashboard as dashboard_module
from workshop_lib.trainer.report import render_html, write_table
from workshop_lib.trainer.results import (
    MIN_FOR_ANALYSIS,
    CohortResults,
    trainer_activities,
    with_full_stop,
)

# right (1) or wrong (0) per participant and item of the knowledge check (6 items)
MATRIX = [
    [1, 1, 0, 1, 1, 1],
    [1, 1, 0, 1, 1, 0],
    [1, 1, 0, 1, 0, 1],
    [1, 1, 0, 0, 1, 1],
    [1, 1, 1, 0, 1, 0],
    [1, 0, 1, 1, 0, 0],
    [1, 0, 1, 0, 1, 0],
    [1, 0, 1, 0, 0, 1],
    [1, 0, 1, 0, 0, 0],
    [1, 0, 1, 1, 0, 0],
]
TIME = "2026-03-01T09:00:00Z"


def record(who, activity, answer, time=TIME):
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "participant": who,
        "display_name": "",
        "cohort": "c1",
        "notebook": activity.notebook,
        "activity": activity.activity_id,
        "kind": activity.kind,
        "answer": answer,
        "attempts": 1,
        "first_saved": time,
        "last_saved": time,
    }


def quiz_answer(quiz, rights, wrong_pick=0):
    """Choices that are right where `rights` says 1; a wrong answer is the `wrong_pick`-th
    wrong option."""
    choices = {}
    for item, right in zip(quiz.items, rights, strict=True):
        correct = sorted(item.correct_ids())
        if right:
            choices[item.id] = correct if item.type == "multiple" else correct[0]
        else:
            wrong = [i for _, i in item.choices() if i not in item.correct_ids()]
            choices[item.id] = wrong[min(wrong_pick, len(wrong) - 1)]
    return {"choices": choices, "score": 999, "total": len(quiz.items)}  # the score is ignored


def test_a_question_never_gets_a_doubled_full_stop():
    assert with_full_stop("Which is hardest?") == "Which is hardest?"
    assert with_full_stop("Scores") == "Scores."


def test_item_statistics_on_a_cohort_with_known_answers():
    quiz = load_knowledge_check().quiz("before")
    records = [
        record(f"p{n:02d}", quiz, quiz_answer(quiz, rights, wrong_pick=int(n == 0)))
        for n, rights in enumerate(MATRIX)
    ]
    result = CohortResults(CohortAnswers(records, []), {}).quiz(quiz)
    assert len(MATRIX) == MIN_FOR_ANALYSIS and result.analysed and result.complete == 10
    matrix = numpy.array(MATRIX, dtype=float)
    for index, item in enumerate(result.items):
        column = matrix[:, index]
        assert item.share_right == pytest.approx(column.mean())
        rest = matrix.sum(axis=1) - column
        if column.std() == 0:
            assert item.discrimination is None
        else:
            assert item.discrimination == pytest.approx(numpy.corrcoef(column, rest)[0, 1])
    first, third = result.items[0], result.items[2]
    assert "almost everybody right: it tells little" in first.flags
    assert third.discrimination < 0
    assert any("did worse here" in flag for flag in third.flags)
    assert result.items[1].discrimination > 0.3 and result.items[1].flags == []
    # the most common wrong answer of item 3 (right: "The means") and its label
    assert third.right_answer == "The means"
    assert third.common_wrong() == ("The act", 3)  # p00 chose "The purpose of exploitation"
    assert sorted(score for _, score, _ in result.scores) == sorted(sum(r) for r in MATRIX)
    fewer = CohortResults(CohortAnswers(records[:9], []), {}).quiz(quiz)
    assert not fewer.analysed and all(i.discrimination is None for i in fewer.items)


def test_knowledge_gain_on_a_constructed_before_and_after_cohort():
    check = load_knowledge_check()
    before, after = check.quiz("before"), check.quiz("after")
    rows = {  # participant: (rights before, rights after)
        "ana": ([1, 1, 0, 0, 0, 0], [1, 1, 1, 1, 1, 0]),
        "ben": ([1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1]),
        "chi": ([1, 0, 0, 0, 0, 0], [1, 1, 1, 0, 1, 0]),
        "dev": ([1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 0, 0]),
    }
    records = []
    for who, (first, second) in rows.items():
        records.append(record(who, before, quiz_answer(before, first)))
        records.append(record(who, after, quiz_answer(after, second)))
    records.append(record("eve", before, quiz_answer(before, [0] * 6)))  # left early
    gain = CohortResults(CohortAnswers(records, []), {}).knowledge_gain()
    assert len(gain.matched) == 4 and gain.only_before == 1 and gain.only_after == 0
    assert gain.before_mean == pytest.approx(100 * 10 / 24)
    assert gain.after_mean == pytest.approx(100 * 19 / 24)
    assert gain.gain == pytest.approx(100 * 9 / 24)
    assert gain.normalised_gain == pytest.approx((19 / 24 - 10 / 24) / (1 - 10 / 24))
    shares = [(i.before, i.after) for i in gain.items]
    assert shares[0] == (1.0, 1.0) and shares[3] == (0.25, 0.75)
    assert gain.items[3].change == pytest.approx(50)
    page = render_html(CohortAnswers(records, []), "t")
    assert "42% right before the session, 79% after, a gain of <strong>+38 percentage" in page
    assert html.escape(check.items[3].question) in page and "+50 points" in page


def demo_cohort() -> list[dict]:
    """Five participants with known answers to a quiz, a scenario, a poll in two rounds, the
    checklist (countries from the checklist and from the country picker) and a note."""
    quiz = content.load_quiz("untoc-basics")
    scenario = content.load_scenario("tip-or-som", "forged-passports")
    poll = content.load_poll("hardest-challenge")
    checklist = content.load_checklist()
    prompt = content.load_prompt("national-framework")
    picker = content.Poll(
        id="x", notebook="00_welcome", question="x", options=("x",), source="x"
    )  # only to build the country record
    records = []
    status = next(q.id for q in checklist.questions if q.answer == "country-status")
    scale_keys = [
        f"{q.id}.{i.id}" if q.items else q.id
        for q in checklist.questions
        if q.answer == "scale"
        for i in (q.items or [None])
    ]
    for n, who in enumerate(["ana", "ben", "chi", "dev", "eve"]):
        rights = [1] * len(quiz.items)
        rights[0] = int(n < 2)  # 2 of 5 right on the first question
        records.append(record(who, quiz, quiz_answer(quiz, rights)))
        elements = [key for key, present in scenario.elements.items() if present and key != "means"]
        if n < 3:  # three leave the procured entry unticked
            elements = [e for e in elements if e != "illegal_entry_procured"]
        classification = scenario.classification if n != 4 else "trafficking"
        records.append(
            record(
                who,
                scenario,
                {"classification": classification, "elements": elements, "correct": True},
            )  # fmt: skip
        )
        records.append(record(who, poll, {"choice": poll.options[n % 2]}))
        round_two = dict(record(who, poll, {"choice": poll.options[2]}))
        round_two["activity"] = f"{poll.activity_id}.round-2"
        records.append(round_two)
        answers = {key: {"answer": checklist.scale[n % 2], "note": ""} for key in scale_keys}
        if n < 3:
            code = ("KEN", "KEN", "VNM")[n]
            answers[status] = {
                "answer": status_summary(country_status(code)),
                "note": "<b>checked</b> with the ministry" if n == 0 else "",
            }
        records.append(record(who, checklist, answers))
        records.append(record(who, prompt, f"Note by {who} <script>alert(1)</script>"))
    country = record("dev", picker, {"country": "MEX"})
    country.update(activity="country", kind="choice")
    records.append(country)
    return records


def test_the_report_speaks_the_trainers_words():
    records = demo_cohort()
    page = render_html(CohortAnswers(records, []), "Report")
    quiz = content.load_quiz("untoc-basics")
    first = quiz.items[0]
    assert html.escape(first.question) in page
    assert "40% (2 of 5)" in page, "the share right of the first question"
    assert "29 September 2003" in page and html.escape(first.explanation) in page
    wrong = next(t for t, i in first.choices() if i not in first.correct_ids())
    assert f"{html.escape(wrong)} (3)" in page, "the most common wrong answer, by its label"
    assert f"Item statistics appear once {MIN_FOR_ANALYSIS} participants" in page
    # scenario: the share right and the most often misread element with its note
    scenario = content.load_scenario("tip-or-som", "forged-passports")
    assert html.escape(scenario.title) in page and "80% (4 of 5)" in page
    assert "<strong>Procurement of illegal entry</strong> (present in the facts; misread by 3" in (
        page
    )
    assert html.escape(scenario.element_notes["illegal_entry_procured"]) in page
    # poll rounds by their question and labels
    poll = content.load_poll("hardest-challenge")
    assert html.escape(f"Poll: {poll.question} (round 2)") in page
    assert f"<bdi>{html.escape(poll.options[2])}</bdi></td><td>5</td>" in page
    # the checklist by country; status notes as notes, never as "another answer"
    assert "Participants by country: Kenya (KEN): 2, Mexico (MEX): 1, Viet Nam (VNM): 1." in page
    assert "another answer" not in page
    assert "&lt;b&gt;checked&lt;/b&gt; with the ministry" in page and "<b>checked" not in page
    # notes with the participant's country, escaped
    assert "<em>ana</em> (Kenya): <bdi>Note by ana &lt;script&gt;" in page
    assert "<em>eve</em>: <bdi>Note by eve" in page
    assert "<script>" not in page and "…" not in page and "?." not in page


def test_the_dashboard_shows_the_same_words_pseudonymised(monkeypatch):
    records = demo_cohort()
    monkeypatch.setattr(dashboard_module, "load_cohort", lambda *a: CohortAnswers(records, []))
    board = dashboard_module.dashboard("/unused", "c1")
    page = board.body.value
    quiz = content.load_quiz("untoc-basics")
    assert html.escape(quiz.items[0].question) in page and "40% (2 of 5)" in page
    assert "<em>Participant 01</em> (Kenya): <bdi>Note by ana" in page
    assert "<em>ana</em>" not in page and "<bdi>ana</bdi>" not in page
    assert "?." not in board.summary_text


def test_exports_carry_titles_and_answers_in_words_beside_the_ids(tmp_path):
    records = demo_cohort()
    out = tmp_path / "answers.csv"
    write_table(CohortAnswers(records, []), out, "csv")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    quiz = content.load_quiz("untoc-basics")
    row = next(r for r in rows if r["activity"] == quiz.activity_id and r["participant"] == "ana")
    assert row["activity_title"] == quiz.title
    assert row["answer_in_words"].startswith("1. 29 September 2003 (right); 2. ")
    assert row[f"answer.choices.{quiz.items[0].id}"] == "c", "the ids stay in their columns"
    poll = next(r for r in rows if r["activity"].endswith(".round-2"))
    assert poll["activity_title"].endswith("(round 2)")


def test_every_trainer_activity_has_a_title_and_the_knowledge_checks_are_known():
    ids = {a.activity_id: a for a in trainer_activities()}
    assert {"knowledge-check.before", "knowledge-check.after"} <= set(ids)
    assert ids["knowledge-check.before"].notebook == "00_welcome"
    assert ids["knowledge-check.after"].notebook == "05_post_session_checklist"


def test_notes_on_every_checklist_row_reach_the_report():
    checklist = content.load_checklist()
    answer = {
        "all-elements": {"answer": "Partly", "note": "Our law lacks <i>means</i> for adults"},
        "framework-areas.cooperation": {"answer": "Yes", "note": "Bilateral MLA treaty, 2019"},
    }
    page = render_html(CohortAnswers([record("ana", checklist, answer)], []), "Report")
    assert "Our law lacks &lt;i&gt;means&lt;/i&gt; for adults" in page
    assert "<em>ana</em>: <bdi>Bilateral MLA treaty, 2019</bdi>" in page
    assert html.escape(checklist.questions[1].text) in page
