"""Activity ids come from the content: each notebook starts its session under its own name,
and every activity a notebook shows is one the content files under that notebook."""

from __future__ import annotations

import ast
import json

import pytest

from tests.conftest import NOTEBOOKS
from workshop_lib.exercises import content
from workshop_lib.exercises.knowledge_check import load_knowledge_check
from workshop_lib.trainer.demo import demo_records

CALLS = {  # notebook API call -> how to find the content it shows
    "quiz": lambda args: [content.load_quiz(args[0])],
    "poll": lambda args: [content.load_poll(args[0])],
    "discussion": lambda args: [content.load_prompt(args[0])],
    "checklist": lambda args: [content.load_checklist()],
    "scenario": lambda args: [content.load_scenario(args[0], args[1])],
    "scenarios": lambda args: list(content.load_scenarios(args[0]).scenarios),
    "knowledge_check": lambda args: [load_knowledge_check().quiz(args[0])],
}


def calls_in(notebook) -> list[tuple[str, list]]:
    """(function name, literal arguments) of every call in the notebook's code cells."""
    found = []
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                args = [a.value if isinstance(a, ast.Constant) else a for a in node.args]
                found.append((node.func.id, args))
    return found


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_starts_its_session_under_its_own_name(notebook):
    starts = [args for name, args in calls_in(notebook) if name == "start"]
    if notebook.stem.startswith("9"):  # the trainer dashboard answers nothing
        assert starts == []
        return
    assert len(starts) == 1 and starts[0][0] == notebook.stem


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_activity_is_shown_by_the_notebook_it_is_filed_under(notebook):
    for name, args in calls_in(notebook):
        if name in CALLS:
            for activity in CALLS[name](args):
                assert activity.notebook == notebook.stem, (
                    f"{activity.activity_id} is filed under {activity.notebook} "
                    f"but shown by {notebook.stem}"
                )


def test_every_content_notebook_exists_and_ids_are_unique():
    stems = {p.stem for p in NOTEBOOKS}
    activities = content.all_activities()
    assert {a.notebook for a in activities} <= stems
    ids = [a.activity_id for a in activities]
    assert len(ids) == len(set(ids))


def test_the_demo_cohort_files_answers_where_the_content_does():
    where = {a.activity_id: a.notebook for a in content.all_activities()}
    for record in demo_records(1):
        assert where[record["activity"]] == record["notebook"]


def test_the_demo_checklist_answers_the_country_status_question_with_a_status():
    """The country-status question gets what the checklist widget saves for a country (its
    status in words, which the widget can restore), the others a point of the scale."""
    import re

    from workshop_lib.exercises.widgets.checklist import status_summary
    from workshop_lib.facts.status import country_status

    checklist = content.load_checklist()
    status_ids = [q.id for q in checklist.questions if q.answer == "country-status"]
    assert status_ids, "the checklist names its country-status question"
    records = [r for r in demo_records(6) if r["activity"] == checklist.activity_id]
    assert len(records) == 6
    for record in records:
        for key, given in record["answer"].items():
            if key in status_ids:
                code = re.match(r"^[^:]*\(([A-Z]{3})\):", given["answer"]).group(1)
                assert given["answer"] == status_summary(country_status(code))
                assert "Party" in given["answer"] and "as of" in given["answer"]
            else:
                assert given["answer"] in checklist.scale, key
