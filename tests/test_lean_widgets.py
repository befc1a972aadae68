"""Exercise widgets share their layout and style models: a page of exercises opens a third of
the comms it would with ipywidgets' defaults, and sharing changes nothing a participant sees."""

from __future__ import annotations

import ipywidgets as widgets

from workshop_lib.exercises import content
from workshop_lib.exercises.widgets import lean
from workshop_lib.exercises.widgets.scenarios import ScenarioCard
from workshop_lib.responses import session


def _models() -> int:
    return len(widgets.widgets.widget._instances)


def test_a_scenario_card_builds_its_controls_without_a_layout_or_style_each(tmp_path, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    session.start("03_nb", cohort="c1", participant="amira", responses_dir_parameter=str(tmp_path))
    scenario_set = content.load_scenarios("tip-or-som")
    ScenarioCard(scenario_set.scenarios[0])  # the shared models exist from here on
    before = _models()
    card = ScenarioCard(scenario_set.scenarios[1])
    added = _models() - before
    controls = [card.classification, card.check_button, card.feedback, *card.elements.values()]
    # every control and box is one model; no layout or style was added beside them
    assert added <= len(controls) + 8, added
    boxes = list(card.elements.values())
    assert len({id(box.layout) for box in boxes}) == 1
    assert len({id(box.style) for box in boxes}) == 1


def test_sharing_keeps_each_widgets_own_settings():
    wide = lean.HTML("a", layout=lean.layout(width="100%"))
    plain = lean.HTML("b")
    assert wide.layout.width == "100%" and plain.layout.width is None
    assert lean.layout(width="100%") is wide.layout
    assert isinstance(plain, widgets.HTML) and plain._model_name == "HTMLModel"
