"""Activity ids come from the content: each notebook starts its session under its own name,
and every activity a notebook shows is one the content files under that notebook."""

from __future__ import annotations

import ast
import json

import pytest

from tests.conftest import NOTEBOOKS
from workshop_lib.exercises import content
from workshop_lib.trainer.demo import demo_records

CALLS = {  # notebook API call -> how to find the content it shows
    "quiz": lambda args: [content.load_quiz(args[0])],
    "poll": lambda args: [content.load_poll(args[0])],
    "discussion": lambda args: [content.load_prompt(args[0])],
    "checklist": lambda args: [content.load_checklist()],
    "scenario": lambda args: [content.load_scenario(args[0], args[1])],
    "scenarios": lambda args: list(content.load_scenarios(args[0]).scenarios),
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
