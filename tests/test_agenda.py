"""The agenda notebooks: structure, sources, slides, trainer notes, and real runs per country."""

from __future__ import annotations

import json
import re

import nbformat
import papermill
import pytest

from tests.conftest import NOTEBOOKS, PARTICIPANT_AGENDA
from workshop_lib.cli import main
from workshop_lib.exercises import content
from workshop_lib.facts.loader import load_definitions
from workshop_lib.facts.status import resolve_country

AGENDA = [p for p in NOTEBOOKS if not p.name.startswith("9")]
PRESENTATIONS = ["01_untoc_and_protocols.ipynb", "03_implementation_challenges.ipynb"]
EXPECTED = [*PARTICIPANT_AGENDA, "90_trainer_dashboard.ipynb", "91_live_room.ipynb"]


def read(path):
    return nbformat.read(path, as_version=4)


def markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_the_agenda_is_complete_and_in_order():
    assert [p.name for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", AGENDA, ids=lambda p: p.stem)
def test_each_notebook_opens_with_questions_and_time_and_ends_with_key_points(path):
    nb = read(path)
    first = nb.cells[0].source
    assert "Questions this part answers" in first and "time" in first.lower()
    participant_cells = [c for c in nb.cells if "trainer" not in c.metadata.get("tags", [])]
    assert participant_cells[-1].source.startswith("## Key points") or any(
        c.source.startswith("## Key points") for c in participant_cells[-2:]
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_small_files_with_trainer_notes_hidden_and_sources_cited(path):
    assert path.stat().st_size < 300_000
    nb = read(path)
    trainer = [c for c in nb.cells if "trainer" in c.metadata.get("tags", [])]
    assert trainer, "every notebook carries trainer notes"
    assert all(c.metadata.get("jupyter", {}).get("source_hidden") for c in trainer)
    if path in AGENDA:
        assert "Source" in markdown(nb)


@pytest.mark.parametrize("name", PRESENTATIONS)
def test_presentations_carry_slide_metadata(name):
    nb = read(next(p for p in NOTEBOOKS if p.name == name))
    types = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    assert all(types), "every cell says how it shows in a slide deck"
    assert types.count("slide") >= 5


def test_definitions_are_quoted_exactly_and_marked_as_quotations():
    text = markdown(read(NOTEBOOKS[1]))
    tip = (
        "> Art. 3(a): \"'Trafficking in persons' shall mean the recruitment, transportation, "
        "transfer,\n> harbouring or receipt of persons"
    )
    assert tip in text
    som = "> Art. 3(a): \"'Smuggling of migrants' shall mean the procurement, in order to obtain"
    assert som in text
    assert "> Art. 2(a): \"'Organized criminal group' shall mean a structured group" in text


def _outputs(nb) -> str:
    return json.dumps([c.get("outputs", []) for c in nb.cells], ensure_ascii=False)


COUNTRIES = {
    "Kenya": ("Kenya (KEN)", "Party (accession deposited on 16 June 2004)."),
    "Holy See": ("(VAT)", "Neither a party nor a signatory according to the UN Treaty Collection"),
    "Congo": ("Congo (COG)", "Signed on 14 December 2000; not a party according to"),
    "European Union": ("European Union (EUU)", "approval deposited on"),
    "Côte d'Ivoire": ("(CIV)", "Party (ratification deposited on 25 October 2012)."),
    "Cote d'Ivoire": ("(CIV)", "Party (ratification deposited on 25 October 2012)."),
}


@pytest.fixture(scope="module")
def country_runs(tmp_path_factory):
    """One `workshop run` for every test country at once (in parallel), as a trainer would."""
    out = tmp_path_factory.mktemp("runs")
    argv = ["run", "--cohort", "t", "--out", str(out), "--responses-dir", str(out / "responses")]
    for country in COUNTRIES:
        argv += ["--country", country]
    return out, main(argv)


@pytest.mark.notebooks
@pytest.mark.parametrize("country", COUNTRIES)
def test_every_notebook_runs_for_the_country(country, country_runs):
    out, code = country_runs
    assert code == 0
    folder = out / "t" / resolve_country(country)
    for source in NOTEBOOKS:
        assert (folder / source.name).exists() and (
            folder / source.with_suffix(".html").name
        ).exists()
    welcome = _outputs(read(folder / "00_welcome.ipynb"))
    for expected in COUNTRIES[country]:
        assert expected in welcome, expected
    assert not list((out / "responses").rglob("*.json")), "a run must not answer for anyone"


@pytest.mark.notebooks
def test_participant_copies_drop_trainer_notes_and_trainer_copies_keep_them(country_runs):
    folder = country_runs[0] / "t" / "KEN"
    trainer_copy = read(folder / "03_implementation_challenges.ipynb")
    participant = read(folder / "participant" / "03_implementation_challenges.ipynb")
    assert any("trainer" in c.metadata.get("tags", []) for c in trainer_copy.cells)
    assert not any("trainer" in c.metadata.get("tags", []) for c in participant.cells)
    injected = [c for c in participant.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert 'country = "KEN"' in injected[0].source
    assert not (folder / "participant" / "90_trainer_dashboard.ipynb").exists()


@pytest.mark.notebooks
def test_an_invalid_country_gives_one_sentence(tmp_path):
    out = tmp_path / "01.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS[1]),
        str(out),
        parameters={"country": "Narnia"},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(NOTEBOOKS[1].parent),
    )
    text = _outputs(read(out))
    assert "We could not find a country called 'Narnia'" in text
    assert "Traceback" not in text and '"output_type": "error"' not in text


def test_checklist_notebook_shows_every_checklist_question():
    nb = read(next(p for p in NOTEBOOKS if p.name.startswith("05")))
    stored = _outputs(nb)
    for question in content.load_checklist().questions:
        assert json.dumps(question.text, ensure_ascii=False)[1:-1] in stored
        for item in question.items:
            assert json.dumps(item.text, ensure_ascii=False)[1:-1] in stored


@pytest.mark.notebooks
def test_html_copies_show_exercises_as_text_not_loading_widgets(country_runs):
    folder = country_runs[0] / "t" / "KEN"
    quiz_page = (folder / "01_untoc_and_protocols.html").read_text(encoding="utf-8")
    assert "1. When did the United Nations Convention against Transnational" in quiz_page
    assert "○ 29 September 2003" in quiz_page
    checklist_page = (folder / "05_post_session_checklist.html").read_text(encoding="utf-8")
    assert "Security Council resolutions 2331 and 2388" in checklist_page
    for page in (quiz_page, checklist_page):
        assert "Loading widget" not in page and "widget-view+json" not in page


def test_quoted_definitions_match_the_definitions_table_word_for_word():
    def flat(text: str) -> str:
        return re.sub(r"\s+", " ", re.sub(r"(?m)^\s*>\s?", "", text))

    prose = flat(markdown(read(NOTEBOOKS[1])))
    for row in load_definitions().itertuples():
        assert flat(row.text) in prose, f"{row.instrument} {row.article}"
