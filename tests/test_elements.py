"""The elements decision function: every scenario, and the edge cases the session teaches."""

from __future__ import annotations

import pytest

from workshop_lib.exercises.content import all_scenario_set_ids, load_scenarios
from workshop_lib.exercises.elements import CaseFacts, assess


def sources(assessment):
    return [r.source for r in assessment.reasons]


SCENARIOS = [
    (set_id, s) for set_id in all_scenario_set_ids() for s in load_scenarios(set_id).scenarios
]


@pytest.mark.parametrize(("set_id", "scenario"), SCENARIOS, ids=lambda x: getattr(x, "id", x))
def test_every_scenario_reaches_its_classification(set_id, scenario):
    assert assess(scenario.case_facts()).classification == scenario.classification


def test_there_are_ten_scenarios_covering_every_outcome():
    assert len(SCENARIOS) >= 10
    assert {s.classification for _, s in SCENARIOS} == {
        "trafficking",
        "smuggling",
        "both",
        "neither",
    }


def test_child_without_means_is_trafficking():
    result = assess(CaseFacts(act=True, exploitation_purpose=True, child=True))
    assert result.classification == "trafficking"
    assert "TIP Protocol, art. 3(c) and (d)" in sources(result)


def test_adult_without_means_is_not_trafficking():
    result = assess(CaseFacts(act=True, exploitation_purpose=True, consented=True))
    assert result.classification == "neither"
    assert any("adult and no means" in r.text for r in result.reasons)


def test_consent_with_means_is_irrelevant():
    result = assess(CaseFacts(act=True, means=True, exploitation_purpose=True, consented=True))
    assert result.trafficking
    assert "TIP Protocol, art. 3(b)" in sources(result)


def test_child_consent_cites_3c():
    result = assess(CaseFacts(act=True, exploitation_purpose=True, child=True, consented=True))
    assert result.trafficking and "TIP Protocol, art. 3(c)" in sources(result)


def test_no_purpose_no_trafficking_even_with_means():
    assert not assess(CaseFacts(act=True, means=True)).trafficking


def test_trafficking_without_border_cites_34_2():
    result = assess(CaseFacts(act=True, means=True, exploitation_purpose=True))
    assert "UNTOC, art. 34(2)" in sources(result)
    crossed = assess(
        CaseFacts(act=True, means=True, exploitation_purpose=True, crossed_border=True)
    )
    assert "UNTOC, art. 34(2)" not in sources(crossed)


SMUGGLING = dict(illegal_entry_procured=True, not_national_or_resident=True, material_benefit=True)


def test_smuggling_needs_all_three_elements():
    assert assess(CaseFacts(**SMUGGLING)).classification == "smuggling"
    for missing in SMUGGLING:
        facts = CaseFacts(**(SMUGGLING | {missing: False}))
        assert not assess(facts).smuggling, missing


def test_no_benefit_is_outside_the_protocol():
    result = assess(CaseFacts(**(SMUGGLING | {"material_benefit": False})))
    assert any("family or humanitarian" in r.text for r in result.reasons)


def test_national_of_destination_is_not_smuggled():
    result = assess(CaseFacts(**(SMUGGLING | {"not_national_or_resident": False})))
    assert result.classification == "neither"
    assert any("national or permanent resident" in r.text for r in result.reasons)


def test_aggravating_circumstances_only_when_smuggling():
    aggravated = assess(CaseFacts(**SMUGGLING, endangered_or_degrading=True))
    assert "SOM Protocol, art. 6(3)" in sources(aggravated)
    assert "SOM Protocol, art. 6(3)" not in sources(assess(CaseFacts(endangered_or_degrading=True)))


def test_both_definitions_together():
    facts = CaseFacts(
        act=True, means=True, exploitation_purpose=True, crossed_border=True, **SMUGGLING
    )
    result = assess(facts)
    assert result.classification == "both" and result.trafficking and result.smuggling
    assert "- " in result.explain()


def test_nothing_ticked_is_neither():
    assert assess(CaseFacts()).classification == "neither"
