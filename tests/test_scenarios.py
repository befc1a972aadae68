"""The scenario bank: large enough, with smuggling given equal weight and the hard "neither"
cases; every scenario names its articles and is shown by a notebook; every element verdict a
careful prosecutor could dispute is explained, and a debatable element never decides the case."""

from __future__ import annotations

import re

import pytest

from tests.conftest import NOTEBOOKS
from tests.test_activities import CALLS, calls_in
from workshop_lib.exercises import content
from workshop_lib.exercises.elements import CaseFacts, assess

BANK = content.load_scenarios("tip-or-som").scenarios
AGENDA = [p for p in NOTEBOOKS if not p.stem.startswith("9")]


def shown_activities() -> dict[str, set[str]]:
    """Activity id -> the notebooks whose code cells show it."""
    shown: dict[str, set[str]] = {}
    for notebook in AGENDA:
        for name, args in calls_in(notebook):
            if name in CALLS:
                for activity in CALLS[name](args):
                    shown.setdefault(activity.activity_id, set()).add(notebook.stem)
    return shown


def test_the_bank_is_large_and_smuggling_has_equal_weight():
    assert len(BANK) >= 14
    with_smuggling = [s for s in BANK if s.classification in ("smuggling", "both")]
    assert len(with_smuggling) >= 5
    smuggling_texts = " ".join(s.facts + s.source for s in with_smuggling)
    assert any(
        s.elements["endangered_or_degrading"] and re.search(r"\b(sea|boat)\b", s.facts)
        for s in with_smuggling
    ), "smuggling by sea with danger to life"
    assert "art. 6(1)(a) and (b)" in smuggling_texts, "a smuggler who also forges documents"
    assert re.search(r"art\. 6\(1\)\(a\), \(b\) and \(c\)|art\. 6\(1\)\(c\)", smuggling_texts), (
        "enabling illegal stay"
    )
    assert any(
        s.elements["child"] and s.elements["endangered_or_degrading"] for s in with_smuggling
    ), "aggravated smuggling of children"
    assert any(s.classification == "both" and "transit" in s.facts for s in BANK), (
        "smuggling that becomes trafficking in transit"
    )


def test_the_hard_neither_cases_are_in_the_bank():
    neither = [s.elements for s in BANK if s.classification == "neither"]
    relative_without_benefit = any(
        e["illegal_entry_procured"] and e["not_national_or_resident"] and not e["material_benefit"]
        for e in neither
    )
    crossed_alone = any(
        e["crossed_border"]
        and e["not_national_or_resident"]
        and not e["illegal_entry_procured"]
        and not e["act"]
        for e in neither
    )
    assert relative_without_benefit and crossed_alone


@pytest.mark.parametrize("scenario", BANK, ids=lambda s: s.id)
def test_every_scenario_names_its_articles(scenario):
    assert re.search(r"(TIP|SOM) Protocol, art\. \d", scenario.source), scenario.source
    assert re.search(r"art\. \d", scenario.teaching_point + scenario.source)


def test_every_scenario_and_every_activity_is_shown_by_a_notebook():
    shown = shown_activities()
    never = [a.activity_id for a in content.all_activities() if a.activity_id not in shown]
    assert never == [], f"never shown: {never}"
    for scenario in BANK:
        assert shown[scenario.activity_id] == {scenario.notebook}, scenario.id


def _disputable(elements: dict[str, bool]) -> set[str]:
    """Elements whose verdict depends on how one reads the facts:
    - a benefit marked while no illegal entry was procured: a benefit, but not one sought for
      procuring an entry;
    - an act marked without any purpose of exploitation: the act is then ordinary hiring or
      travel, which some readers would not call an act at all;
    - no means marked for an exploited child: the facts of child exploitation often show
      coercion, and for a child no means is needed anyway."""
    found = set()
    if elements["material_benefit"] and not elements["illegal_entry_procured"]:
        found.add("material_benefit")
    if elements["act"] and not elements["exploitation_purpose"]:
        found.add("act")
    if elements["child"] and elements["exploitation_purpose"] and not elements["means"]:
        found.add("means")
    return found


@pytest.mark.parametrize("scenario", BANK, ids=lambda s: s.id)
def test_disputable_element_verdicts_are_explained(scenario):
    missing = _disputable(scenario.elements) - set(scenario.element_notes)
    assert not missing, f"{scenario.id}: explain {sorted(missing)} in element_notes"
    for note in scenario.element_notes.values():
        assert len(note) > 60


@pytest.mark.parametrize("scenario", BANK, ids=lambda s: s.id)
def test_an_either_way_element_never_changes_the_answer(scenario):
    for key in scenario.either_way:
        flipped = CaseFacts(**{**scenario.elements, key: not scenario.elements[key]})
        assert assess(flipped).classification == scenario.classification, key
        assert key in scenario.element_notes


def test_no_benefit_is_marked_on_a_legal_entry_without_explanation():
    for scenario in BANK:
        e = scenario.elements
        if e["material_benefit"] and not e["illegal_entry_procured"]:
            assert "material_benefit" in scenario.either_way, scenario.id
