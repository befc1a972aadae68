"""The challenge areas of notebook 03 (`data/challenges.yaml`): every area states what the
instruments require article by article, with the right strength of duty, a sourced figure and a
real case for each crime; the non-punishment principle and national referral mechanisms have
sections of their own; notebook 03 shows every section, and the trainer's part only to trainers."""

from __future__ import annotations

import html
import json
import re

import pytest
import yaml

from tests.conftest import NOTEBOOKS
from tests.test_activities import calls_in
from workshop_lib import treaty_texts
from workshop_lib.exercises import content
from workshop_lib.facts import challenges
from workshop_lib.facts.challenges import AREA_IDS, ChallengesError, load_challenges
from workshop_lib.messages import Message
from workshop_lib.paths import data_dir

NOTEBOOK_03 = next(p for p in NOTEBOOKS if p.stem == "03_implementation_challenges")
SECTIONS = load_challenges().sections
AREAS = [s for s in SECTIONS if s.kind == "area"]
NEWS = (
    "News reports",
    "news reports",
    "BBC",
    "Guardian",
    "Reuters",
    "Irish Times",
    "InfoMigrants",
    "The Local",
)


def provisions() -> set[tuple[str, str]]:
    """(instrument, article number) of every obligation, e.g. ('TIP Protocol', '6')."""
    found = set()
    for section in SECTIONS:
        for o in section.obligations:
            for number in re.findall(r"art\. (\d+)", o.article):
                found.add((o.instrument, number))
    return found


def test_the_six_areas_of_the_session_description_in_order():
    assert [a.id for a in AREAS] == list(AREA_IDS)
    description = (data_dir() / "session-description.txt").read_text(encoding="utf-8")
    for area in AREAS:
        assert area.title.lower() in description.lower(), area.title


@pytest.mark.parametrize("area", AREAS, ids=lambda a: a.id)
def test_each_area_has_articles_figures_and_cases_for_both_crimes(area):
    for o in area.obligations:
        assert re.search(r"art\. \d", o.article) and o.source.strip(), o.article
    for crime in ("trafficking", "smuggling"):
        assert any(o.crime in (crime, "both") for o in area.obligations), crime
        assert any(f.crime in (crime, "both") for f in area.findings), crime
    assert any(c.crime == "smuggling" for c in area.cases), "smuggling gets equal weight"
    figures = [f for f in area.findings if f.figure]
    assert figures and all(f.source.strip() for f in figures)
    assert any(re.search(r"(19|20)\d\d", f.figure + f.source) for f in figures), "dated figure"
    for case in area.cases:
        assert case.country and case.court and 1990 <= case.year <= 2100
        assert case.source.strip() and case.point.strip() and case.facts.strip()
    assert area.question.strip() and len(area.model_answer) > 300
    assert re.search(r"art\. \d", area.model_answer), "the model answer cites articles"
    assert area.misconceptions and all(m.source.strip() for m in area.misconceptions)


def test_the_provisions_the_session_must_cover_are_there():
    found = provisions()
    required = (
        {("TIP Protocol", n) for n in ("5", "6", "7", "8", "9", "10")}
        | {("SOM Protocol", n) for n in ("5", "6", "7", "8", "14", "15", "16", "18")}
        | {("UNTOC", n) for n in ("12", "16", "18", "19", "20", "24", "25", "27", "34")}
    )
    assert required <= found, sorted(required - found)
    articles = {(o.instrument, o.article) for s in SECTIONS for o in s.obligations}
    assert ("TIP Protocol", "art. 6(6)") in articles
    assert ("TIP Protocol", "art. 10(2)") in articles
    assert ("SOM Protocol", "art. 6(3)") in articles


# The strength of each duty as the treaty text words it (TIP art. 6(3), 7 "shall consider";
# 9(2) "shall endeavour"; 6(6) "shall ensure"; SOM art. 15(1) "shall take measures"; UNTOC
# art. 19 "shall consider"): a wrong label is a legal error.
DUTIES = {
    ("TIP Protocol", "art. 6(3)"): "shall consider",
    ("TIP Protocol", "art. 7"): "shall consider",
    ("TIP Protocol", "art. 9(2)"): "shall endeavour",
    ("TIP Protocol", "art. 6(6)"): "shall",
    ("TIP Protocol", "art. 10(2)"): "shall",
    ("SOM Protocol", "art. 15(1)"): "shall",
    ("SOM Protocol", "art. 16(1)"): "shall",
    ("SOM Protocol", "art. 14(1)"): "shall",
    ("SOM Protocol", "art. 6(3)"): "shall",
    ("UNTOC", "art. 19"): "shall consider",
    ("UNTOC", "art. 31(5)"): "shall endeavour",
}


def test_duties_are_labelled_as_the_treaties_word_them():
    labelled = {(o.instrument, o.article): o.duty for s in SECTIONS for o in s.obligations}
    for key, duty in DUTIES.items():
        assert labelled.get(key) == duty, key
    used = set(labelled.values())
    assert {"shall", "shall consider", "shall endeavour", "non-binding"} <= used


def test_quoted_treaty_text_carries_its_duty_word():
    for section in SECTIONS:
        for o in section.obligations:
            if not o.quote or o.instrument not in ("UNTOC", "TIP Protocol", "SOM Protocol"):
                continue
            word = {"shall consider": "consider", "shall endeavour": "endeavour"}.get(o.duty)
            if word:
                assert word in o.quote, (o.instrument, o.article)
            assert '"' not in o.quote, "quotes are marked by the renderer, not in the data"


def test_news_and_commentary_are_marked_secondary():
    for section in SECTIONS:
        for item in (*section.findings, *section.cases):
            if any(word in item.source for word in NEWS):
                assert item.source_kind == "secondary", item.source


def test_non_punishment_and_referral_mechanisms_have_their_own_primary_sources():
    by_id = {s.id: s for s in SECTIONS}
    punishment = by_id["non-punishment"]
    text = json.dumps(punishment.model_dump())
    assert "Guideline 4, para. 5" in text and "E/2002/68/Add.1" in text
    assert "Directive 2011/36/EU" in text and "art. 14(7)" in text
    assert any(
        "E4J TIP/SOM Module 8" in f.source and f.source_kind == "primary"
        for f in punishment.findings
    ), "UNODC on the TIP Protocol's silence"
    referral = by_id["referral-mechanisms"]
    assert any("OSCE/ODIHR" in f.source and f.source_kind == "primary" for f in referral.findings)
    assert any(o.article == "art. 14(1)" for o in referral.obligations)


def test_smuggling_specifics_are_covered():
    text = json.dumps([s.model_dump() for s in SECTIONS])
    assert "IOM" in text and "63,285" in text and "2014-2023" in text  # deaths, with dates
    assert "Financial or Other Material Benefit" in text and "2017" in text  # the issue paper
    assert "humanitarian" in text
    assert "Global Study on Smuggling of Migrants 2018" in text
    assert "E4J TIP/SOM Module 11" in text  # smuggling that turns into trafficking


def test_every_section_is_shown_in_notebook_03_with_trainer_notes_for_trainers_only():
    cells = json.loads(NOTEBOOK_03.read_text(encoding="utf-8"))["cells"]
    shown, notes = [], []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        trainer = "trainer" in cell["metadata"].get("tags", [])
        for name, args in calls_in_cell(cell):
            if name == "challenge_area":
                assert not trainer
                shown.append(args[0])
            if name == "challenge_trainer_notes":
                assert trainer, "model answers are for trainers only"
                notes.append(args[0])
    ids = [s.id for s in SECTIONS]
    assert shown == ids and notes == ids


def test_each_section_is_followed_by_its_scenarios_in_notebook_03():
    order = [(name, args) for name, args in calls_in(NOTEBOOK_03)]
    for section in SECTIONS:
        start = order.index(("challenge_area", [section.id]))
        later = [i for i, (n, _) in enumerate(order) if n == "challenge_area" and i > start]
        end = later[0] if later else len(order)
        shown = [args[1] for name, args in order[start:end] if name == "scenario"]
        assert shown == list(section.scenarios), section.id
        for scenario_id in section.scenarios:
            assert content.load_scenario("tip-or-som", scenario_id).notebook == NOTEBOOK_03.stem


def calls_in_cell(cell):
    import ast

    for node in ast.walk(ast.parse("".join(cell["source"]))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            yield node.func.id, [a.value for a in node.args if isinstance(a, ast.Constant)]


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.id)
def test_rendering_shows_every_provision_figure_case_and_source(section):
    view = challenges.challenge_area(section.id)
    page, text = view._repr_html_(), repr(view)
    for o in section.obligations:
        assert html.escape(o.article) in page and o.article in text
        assert o.duty in page and html.escape(o.summary)[:40] in page
    for f in section.findings:
        if f.figure:
            assert f.figure in text
    for c in section.cases:
        assert str(c.year) in page and c.name in text
    assert "Model answer" not in page, "the participants' view has no model answer"
    notes = challenges.challenge_trainer_notes(section.id)
    assert "Model answer" in notes._repr_html_()


@pytest.fixture
def broken(monkeypatch, data_copy):
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(data_copy))
    challenges._read.cache_clear()
    content._read.cache_clear()
    yield data_copy / "challenges.yaml"
    challenges._read.cache_clear()
    content._read.cache_clear()


def _rewrite(path, change):
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["sections"][0]["cases"].clear(), "needs at least one case"),
        (lambda r: r["sections"][0]["obligations"][0].update(source=""), "must not be empty"),
        (lambda r: r["sections"][0]["obligations"][0].update(article="5(1)"), "must name"),
        (lambda r: r["sections"][1]["findings"].clear(), "needs obligations, findings"),
        (lambda r: r["sections"].pop(2), "the areas must be exactly"),
        (lambda r: r["sections"][0]["scenarios"].append("nope"), "unknown scenarios"),
        (
            lambda r: [f.pop("figure", None) for f in r["sections"][0]["findings"]],
            "needs a finding with a figure",
        ),
    ],
)
def test_a_broken_challenges_file_is_named_with_its_rule(broken, change, message):
    _rewrite(broken, change)
    with pytest.raises(ChallengesError, match=re.escape(message)):
        load_challenges()
    shown = challenges.challenge_area("legal-concepts")
    assert isinstance(shown, Message) and message in shown.text


def test_an_unknown_section_is_one_sentence():
    shown = challenges.challenge_area("nope")
    assert isinstance(shown, Message) and "Known: legal-concepts" in shown.text


INSTRUMENTS = {"UNTOC": "UNTOC", "TIP Protocol": "TIP", "SOM Protocol": "SOM"}


def test_quoted_treaty_text_is_word_for_word_in_the_cited_provision():
    quoted = 0
    for section in SECTIONS:
        for o in section.obligations:
            if o.quote and o.instrument in INSTRUMENTS:
                reference = re.match(r"art\. \d+(?:\([0-9a-z]+\))*", o.article).group(0)
                assert treaty_texts.is_quoted_from(INSTRUMENTS[o.instrument], reference, o.quote), (
                    o.instrument,
                    o.article,
                )
                quoted += 1
    assert quoted >= 15
    assert not treaty_texts.is_quoted_from("TIP", "art. 6(6)", "shall guarantee compensation")
