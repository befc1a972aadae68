"""The trainer's session plan (`data/session_plan.yaml`): the agenda of the session description
in its order, minutes that add up in the full and the short version and match each notebook's
stated time, every exercise placed once (in the session, optional or homework) under the
notebook that shows it, and the plan shown in notebook 00 (the agenda to all, the detail to
trainers)."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from tests.conftest import NOTEBOOKS
from tests.test_activities import calls_in
from workshop_lib.exercises import content
from workshop_lib.facts import session_plan as plan_module
from workshop_lib.facts.session_plan import SessionPlanError, load_session_plan
from workshop_lib.messages import Message
from workshop_lib.paths import data_dir

PLAN = load_session_plan()
AGENDA = [p for p in NOTEBOOKS if not p.stem.startswith("9")]


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_agenda_items_are_the_description_s_in_its_order():
    assert [i.notebook for i in PLAN.items] == [p.stem for p in AGENDA]
    description = _normal((data_dir() / "session-description.txt").read_text(encoding="utf-8"))
    agenda = _normal(description.split("Agenda:")[1].split("Key resource material")[0])
    items = [i.agenda_item for i in PLAN.items if i.in_description]
    assert len(items) == 4
    positions = [agenda.find(item) for item in items]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), items


def test_minutes_add_up_and_the_length_is_explained():
    assert sum(i.minutes for i in PLAN.items) == PLAN.planned_minutes
    assert sum(i.short_minutes for i in PLAN.items) == PLAN.short_minutes < PLAN.planned_minutes
    for item in PLAN.items:
        assert sum(s.minutes for s in item.steps) == item.minutes
    assert "no length" in PLAN.length_note and PLAN.source


@pytest.mark.parametrize("path", AGENDA, ids=lambda p: p.stem)
def test_each_notebook_states_the_planned_time(path):
    first = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"])
    stated = re.search(r"time: (\d+) minutes", first, flags=re.IGNORECASE)
    item = next(i for i in PLAN.items if i.notebook == path.stem)
    assert stated and int(stated.group(1)) == item.minutes, path.stem


def test_every_exercise_is_placed_once_under_its_notebook():
    where = {a.activity_id: a.notebook for a in content.all_activities()}
    named = [(x, i.notebook) for i in PLAN.items for x in i.exercises()]
    assert sorted(x for x, _ in named) == sorted(where), "each exercise exactly once"
    for exercise, notebook in named:
        assert where[exercise] == notebook, exercise
    assert any(i.homework for i in PLAN.items) and any(i.in_session for i in PLAN.items)
    assert any(i.optional for i in PLAN.items), "what to drop when time runs short"


def test_notebook_00_shows_the_agenda_to_all_and_the_plan_to_trainers():
    welcome = next(p for p in AGENDA if p.stem == "00_welcome")
    cells = json.loads(welcome.read_text(encoding="utf-8"))["cells"]
    roles = {}
    for cell in cells:
        if cell["cell_type"] == "code":
            for name in ("session_agenda()", "session_plan()"):
                if name in "".join(cell["source"]):
                    roles[name] = "trainer" in cell["metadata"].get("tags", [])
    assert roles == {"session_agenda()": False, "session_plan()": True}
    assert ("session_agenda", []) in calls_in(welcome)


def test_the_views_show_minutes_and_exercises():
    agenda = plan_module.session_agenda()
    assert f"Total: {PLAN.planned_minutes} minutes" in repr(agenda)
    assert "UNODC presentation – UNTOC and the Protocols: 30 min" in repr(agenda)
    detail = repr(plan_module.session_plan())
    assert "After the session (homework)" in detail and "Optional (drop first)" in detail
    assert "tip-or-som.restaurant-job" in detail and "When short:" in detail
    assert "<tfoot>" in agenda._repr_html_()


@pytest.fixture
def broken(monkeypatch, data_copy):
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(data_copy))
    plan_module._read.cache_clear()
    yield data_copy / "session_plan.yaml"
    plan_module._read.cache_clear()


def test_a_plan_that_does_not_add_up_is_refused(broken):
    raw = yaml.safe_load(broken.read_text(encoding="utf-8"))
    raw["items"][1]["minutes"] = 45
    broken.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SessionPlanError, match="do not add up"):
        load_session_plan()
    shown = plan_module.session_agenda()
    assert isinstance(shown, Message) and "could not be loaded" in shown.text
