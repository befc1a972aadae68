"""Exercise content: every item answerable, explained and sourced; broken files named."""

from __future__ import annotations

import re

import pytest
import yaml

from workshop_lib.exercises import content
from workshop_lib.exercises.content import ContentError
from workshop_lib.paths import data_dir


def test_quiz_sizes():
    assert len(content.load_quiz("untoc-basics").items) >= 10
    assert len(content.load_quiz("challenges-and-developments").items) >= 8


@pytest.mark.parametrize("quiz_id", content.all_quiz_ids())
def test_every_quiz_item_has_a_valid_answer_an_explanation_and_a_source(quiz_id):
    quiz = content.load_quiz(quiz_id)
    ids = [item.id for item in quiz.items]
    assert len(ids) == len(set(ids))
    for item in quiz.items:
        option_ids = {option_id for _, option_id in item.choices()}
        correct = item.correct_ids()
        assert correct and correct <= option_ids, item.id
        if item.type in ("single", "truefalse"):
            assert len(correct) == 1, item.id
        else:
            assert correct != option_ids, f"{item.id}: every option correct teaches nothing"
        assert len(item.explanation) > 40 and item.source.strip(), item.id
        assert re.search(r"arts?\.|A/RES|S/RES|resolution|UNODC|CEDAW|Agenda", item.source), item.id


def test_every_scenario_has_facts_a_teaching_point_and_a_source():
    for set_id in content.all_scenario_set_ids():
        for scenario in content.load_scenarios(set_id).scenarios:
            assert scenario.facts and scenario.teaching_point and "art." in scenario.source


def test_polls_and_prompts_have_sources():
    raw = yaml.safe_load((data_dir() / "exercises" / "polls.yaml").read_text(encoding="utf-8"))
    for poll in raw["polls"]:
        assert content.load_poll(poll["id"]).source
    raw = yaml.safe_load((data_dir() / "exercises" / "prompts.yaml").read_text(encoding="utf-8"))
    for prompt in raw["prompts"]:
        assert content.load_prompt(prompt["id"]).source


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().rstrip(";?:").strip()


def test_checklist_covers_every_question_of_the_session_description():
    description = (data_dir() / "session-description.txt").read_text(encoding="utf-8")
    section = _normal(description.split("Post-session checklist:")[1])
    checklist = content.load_checklist()
    texts = [q.text for q in checklist.questions] + [
        i.text for q in checklist.questions for i in q.items
    ]
    for text in texts:
        assert _normal(text) in section, text
    questions_in_description = section.count("?") + section.count(":")
    assert len(checklist.questions) == 4 and questions_in_description >= 4
    assert sum(len(q.items) for q in checklist.questions) == 7
    assert checklist.scale == ("Yes", "Partly", "No", "Don't know")


@pytest.fixture
def broken_exercises(tmp_path, monkeypatch, data_copy):
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(data_copy))
    content._read.cache_clear()
    yield data_copy / "exercises"
    content._read.cache_clear()


def _rewrite(path, change):
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda q: q["items"][0].update(correct="z"), "`correct` must be exactly one option id"),
        (lambda q: q["items"][4].update(correct=[]), "`correct` must be a list of option ids"),
        (lambda q: q["items"][0].update(source=""), "source: must not be empty"),
        (lambda q: q["items"][0].pop("explanation"), "explanation: Field required"),
        (lambda q: q["items"][5].update(correct="yes"), "a true/false item has no options"),
    ],
)
def test_broken_quiz_is_named_with_its_rule(broken_exercises, change, message):
    _rewrite(broken_exercises / "quizzes" / "untoc-basics.yaml", change)
    with pytest.raises(ContentError, match=re.escape(message)) as caught:
        content.load_quiz("untoc-basics")
    assert str(caught.value).startswith("untoc-basics.yaml: ")


def test_scenario_contradicting_the_law_is_refused(broken_exercises):
    _rewrite(
        broken_exercises / "scenarios" / "tip-or-som.yaml",
        lambda s: s["scenarios"][3].update(classification="trafficking"),
    )
    with pytest.raises(ContentError, match="its elements lead to 'smuggling', not 'trafficking'"):
        content.load_scenarios("tip-or-som")


def test_unknown_exercise_ids_are_one_sentence(broken_exercises):
    with pytest.raises(ContentError, match="There is no exercise file nope.yaml"):
        content.load_quiz("nope")
    with pytest.raises(ContentError, match="There is no poll called 'nope'. Known: "):
        content.load_poll("nope")
