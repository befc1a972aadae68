"""The elements decision function: every scenario, and the edge cases the session teaches."""

from __future__ import annotations

import pytest

from workshop_lib.exercises.content import all_scenario_set_ids, load_scenario, load_scenarios
from workshop_lib.exercises.elements import SOM_ELEMENTS, CaseFacts, assess


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


STAY = dict(illegal_stay_enabled=True)
SOM_ARTICLE_6_1_C = "SOM Protocol, art. 6(1)(c)"


def test_enabling_illegal_stay_alone_is_a_smuggling_offence_not_the_definition():
    result = assess(CaseFacts(**STAY, not_national_or_resident=True, crossed_border=True))
    assert result.classification == "smuggling"
    assert result.illegal_stay and not result.smuggling and result.som_offence
    assert SOM_ARTICLE_6_1_C in sources(result)
    texts = " ".join(r.text for r in result.reasons)
    assert "smuggling definition is not met" in texts and "enabling illegal stay" in texts
    assert "does not depend on how the person entered" in texts


def test_enabling_illegal_stay_with_smuggling_cites_both_offences():
    result = assess(CaseFacts(**SMUGGLING, **STAY))
    assert result.classification == "smuggling" and result.smuggling and result.illegal_stay
    assert "SOM Protocol, art. 3(a)" in sources(result)
    assert SOM_ARTICLE_6_1_C in sources(result)
    assert not any("although the definition" in r.text for r in result.reasons)


def test_enabling_illegal_stay_and_trafficking_is_both():
    result = assess(CaseFacts(act=True, means=True, exploitation_purpose=True, **STAY))
    assert result.classification == "both"


def test_illegal_stay_is_aggravated_and_the_migrant_not_liable():
    result = assess(CaseFacts(**STAY, consented=True, endangered_or_degrading=True))
    assert "SOM Protocol, art. 6(3)" in sources(result)  # art. 6(3) names paragraph 1 (c)
    assert "SOM Protocol, art. 5" in sources(result)  # art. 5: conduct set forth in article 6


def test_the_stay_element_is_ticked_with_its_article():
    label, source = SOM_ELEMENTS["illegal_stay_enabled"]
    assert source == SOM_ARTICLE_6_1_C
    for words in (
        "not a national or permanent resident",
        "remain",
        "legally remaining",
        "illegal means",
        "financial or other material benefit",
    ):
        assert words in label, words


def test_without_a_procured_entry_the_benefit_and_nationality_are_not_argued():
    """Nobody procured an entry: 'no benefit (family help)' or 'entered their own State'
    would be beside the point."""
    result = assess(CaseFacts(not_national_or_resident=False, material_benefit=False))
    texts = " ".join(r.text for r in result.reasons)
    assert "Nobody procured an illegal entry" in texts
    assert "family or humanitarian" not in texts and "national or permanent resident" not in texts


def test_papers_to_stay_is_a_pure_overstay_graded_by_the_stay_element():
    scenario = load_scenario("tip-or-som", "papers-to-stay")
    assert scenario.elements["illegal_stay_enabled"]
    assert not scenario.elements["illegal_entry_procured"], "entered legally"
    result = assess(scenario.case_facts())
    assert result.classification == scenario.classification == "smuggling"
    assert result.illegal_stay and not result.smuggling
    assert "art. 6(1)(c)" in scenario.source and "legally" in scenario.facts
    stay_only = [
        s.id
        for _, s in SCENARIOS
        if assess(s.case_facts()).illegal_stay and not assess(s.case_facts()).smuggling
    ]
    assert stay_only == ["papers-to-stay"]
