"""Trainer tools: offline slide decks, the printable handout, and the doctor."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from workshop_lib.cli import main
from workshop_lib.exercises.content import load_checklist
from workshop_lib.facts.loader import load_definitions
from workshop_lib.facts.session_plan import load_session_plan
from workshop_lib.facts.status import country_status
from workshop_lib.paths import PROJECT_ROOT
from workshop_lib.trainer import doctor
from workshop_lib.trainer.handout import find_chromium

# Anything a page would load from the network: scripts, images and frames (src), style sheets
# (<link href>), imports and CSS urls. A hyperlink (<a href>) loads nothing until it is followed:
# sources are linked to where a reader can check them.
REMOTE = re.compile(
    r"""(\bsrc|<link\b[^>]*\bhref)\s*=\s*["']?(https?:)?//|import\s*\(\s*["']https?://"""
    r"""|url\(["']?https?://"""
)


class Structure(HTMLParser):
    """Collects tags and the text of headings and blockquotes."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.headings: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._stack.append(tag)

    def handle_endtag(self, tag):
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data):
        if self._stack and self._stack[-1] in ("h1", "h2"):
            self.headings.append(data.strip())


def test_slides_are_offline_with_reveal_beside_them(tmp_path, capsys):
    assert main(["slides", "--out", str(tmp_path)]) == 0
    decks = sorted(tmp_path.glob("*.slides.html"))
    assert [d.name for d in decks] == [
        "01_untoc_and_protocols.slides.html",
        "03_implementation_challenges.slides.html",
    ]
    for deck in decks:
        page = deck.read_text(encoding="utf-8")
        assert not REMOTE.search(page), REMOTE.search(page)
        assert 'src="reveal.js/dist/reveal.js"' in page
        assert page.count("<section") >= 8
        assert '<aside class="notes">' in page, "trainer notes become speaker notes"
        assert "application/vnd.jupyter.widget-view+json" not in page
    assert (tmp_path / "reveal.js" / "dist" / "reveal.js").exists()
    assert (tmp_path / "reveal.js" / "plugin" / "notes" / "notes.js").exists()
    assert "Press S for the speaker notes" in capsys.readouterr().out


def test_slides_for_a_missing_notebook_is_one_sentence(tmp_path, capsys):
    assert main(["slides", "nowhere.ipynb", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == "No such notebook: nowhere.ipynb."


def test_handout_structure_and_content(tmp_path, capsys):
    assert main(["handout", "--country", "Viet Nam", "--out", str(tmp_path)]) == 0
    page = (tmp_path / "handout-VNM.html").read_text(encoding="utf-8")
    parsed = Structure()
    parsed.feed(page)
    assert parsed.headings[:1] == [
        "The international framework against trafficking in persons and smuggling of "
        "migrants: Viet Nam"
    ]
    assert parsed.headings[1:] == [
        "1. Session agenda",
        "2. Participation in UNTOC and its Protocols",
        "3. Key definitions",
        "4. Post-session checklist",
        "5. Key resource material",
    ]
    assert "@page" in page and "break-inside: avoid" in page
    assert parsed.tags.count("blockquote") == len(load_definitions())
    for question in load_checklist().questions:
        assert question.text.replace("’", "&#x27;").split("&#x27;")[0] in page
    assert "Party (accession deposited on" in page
    assert "UN Treaty Collection, chapter XVIII-12, status of the Convention" in page
    assert "ZMJ2014" not in page  # sources by authority and date, never by their ids
    assert not REMOTE.search(page.split("<body>")[1].replace('href="https://', "HREF"))


def test_handout_agenda_definitions_and_country_status_question(tmp_path):
    assert main(["handout", "--country", "Kenya", "--out", str(tmp_path)]) == 0
    page = html.unescape((tmp_path / "handout-KEN.html").read_text(encoding="utf-8"))
    agenda = page.split("1. Session agenda")[1].split("2. Participation")[0]
    plan = load_session_plan()
    for item in plan.items:
        assert f'{item.agenda_item}</td><td class="minutes">{item.minutes} (' in agenda
    assert f">{plan.planned_minutes} ({plan.short_minutes})<" in agenda
    assert "no length" in plan.length_note and "not its length" in agenda
    definitions = page.split("3. Key definitions")[1].split("4. Post-session")[0]
    for reference in (
        "TIP art. 3(a)",
        "TIP art. 3(b)",
        "TIP art. 3(c)",
        "TIP art. 3(d)",
        "SOM art. 3(a)",
        "SOM art. 3(b)",
        "SOM art. 5",
        "SOM art. 6(3)",
    ):
        assert f"<strong>{reference} (" in definitions, reference
    assert "'Child' shall mean any person under eighteen years of age." in definitions
    assert "'Illegal entry' shall mean crossing borders" in definitions
    checklist = page.split("4. Post-session checklist")[1].split("5. Key resource")[0]
    first, rest = checklist.split("</li><li>Does your country", 1)
    assert 'class="box"' not in first, "the status question has no Yes/No boxes"
    status = country_status("Kenya")
    for item in status.instruments:
        assert f"{item.instrument_name}: Party (accession deposited on " in first
    assert "Notes" in first and first.count('class="write-line"') >= 1
    checklist_content = load_checklist()
    rows = sum(len(q.items) or 1 for q in checklist_content.questions if q.answer == "scale")
    assert rest.count('class="box"') == len(checklist_content.scale) * rows


@pytest.mark.e2e
def test_handout_pdf_with_chromium(tmp_path):
    assert find_chromium(), "Chromium is missing: run .ci/ensure-system-deps"
    assert main(["handout", "--country", "KEN", "--out", str(tmp_path)]) == 0
    pdf = (tmp_path / "handout-KEN.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_handout_unknown_country(tmp_path, capsys):
    assert main(["handout", "--country", "Atlantis", "--out", str(tmp_path)]) == 2
    assert "We could not find a country called 'Atlantis'" in capsys.readouterr().err


def test_doctor_passes_here_and_names_what_to_fix(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WORKSHOP_RESPONSES_DIR", str(tmp_path / "answers"))
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "[ok  ] ipywidgets: 8." in out and "[ok  ] JupyterLab widget extension" in out
    assert f"[ok  ] responses folder: {tmp_path / 'answers'} is writable" in out
    blocker = tmp_path / "file"
    blocker.write_text("x")
    check = doctor.check_responses(blocker / "answers")
    assert not check.ok and "set WORKSHOP_RESPONSES_DIR to a writable folder" in check.detail
    monkeypatch.setenv("WORKSHOP_RESPONSES_DIR", str(blocker / "answers"))
    assert main(["doctor"]) == 1
    assert "1 problem(s) to fix." in capsys.readouterr().out


def _forget_yaml() -> None:
    from workshop_lib.facts import challenges, session_plan

    challenges._read.cache_clear()
    session_plan._read.cache_clear()


@pytest.fixture
def broken_data(monkeypatch, data_copy):
    """A copy of the data the doctor reads; the yaml loaders forget what they read."""
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(data_copy))
    _forget_yaml()
    yield data_copy
    _forget_yaml()


def _one_sentence(detail: str) -> bool:
    return "\n" not in detail and detail.endswith(".") and detail.count(". ") == 0


def test_doctor_validates_the_challenge_areas_and_the_session_plan(broken_data):
    names = {c.name: c for c in doctor.check_data()}
    assert names["challenge areas"].ok and names["session plan"].ok
    plan = broken_data / "session_plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("minutes: 30\n", "minutes: 45\n", 1), encoding="utf-8")
    _forget_yaml()
    found = doctor.check_session_plan()
    assert not found.ok and found.required
    assert found.detail.startswith("data/session_plan.yaml is invalid: ")
    assert "do not add up" in found.detail and _one_sentence(found.detail)
    plan.write_text(text.replace("tip-or-som.kidney", "tip-or-som.no-such-case"), encoding="utf-8")
    _forget_yaml()
    found = doctor.check_session_plan()
    assert not found.ok and "tip-or-som.no-such-case" in found.detail
    assert _one_sentence(found.detail)
    areas = broken_data / "challenges.yaml"
    areas.write_text(
        areas.read_text(encoding="utf-8").replace("duty: shall consider", "duty: perhaps", 1),
        encoding="utf-8",
    )
    _forget_yaml()
    found = doctor.check_challenges()
    assert not found.ok and found.detail.startswith("data/challenges.yaml is invalid: ")
    assert _one_sentence(found.detail)
    assert "[FAIL] challenge areas" in "\n".join(c.line() for c in doctor.check_data())


LONG_HUB_USER = "maria.fernanda.rodriguez-gonzalez.de.la.torre@ministerio-justicia.example.org.ar"


def _closed_postgres(user: str) -> str:
    from urllib.parse import quote

    from tests.e2e.conftest import free_port

    return f"postgresql://{quote(user, safe='')}:pw@127.0.0.1:{free_port()}/workshop"


def test_doctor_names_the_database_role_a_long_hub_name_logs_in_as(monkeypatch):
    from workshop_lib.responses.sql import database_role

    role = database_role(LONG_HUB_USER)
    assert doctor.check_database_role("/srv/answers", LONG_HUB_USER) == []
    assert doctor.check_database_role("sqlite:///answers.db", LONG_HUB_USER) == []
    [right] = doctor.check_database_role(_closed_postgres(role), LONG_HUB_USER)
    assert right.ok and f"logs in as '{role}'" in right.detail
    assert "80 bytes, over PostgreSQL's 63-byte limit" in right.detail
    [wrong] = doctor.check_database_role(_closed_postgres(LONG_HUB_USER), LONG_HUB_USER)
    assert not wrong.ok and f"must log in as the role '{role}'" in wrong.detail
    assert not wrong.required  # the database did not answer: row-level security unknown
    monkeypatch.setenv("WORKSHOP_RESPONSES_URL", _closed_postgres("alice"))
    monkeypatch.setenv("JUPYTERHUB_USER", "alice")
    [short] = doctor.check_database_role()
    assert short.ok and "hub user 'alice' logs in as 'alice'" in short.line()
    monkeypatch.delenv("JUPYTERHUB_USER")
    [rule] = doctor.check_database_role()
    assert rule.ok and not rule.required and "fits in 63 bytes" in rule.detail
    assert "workshop_role('NAME')" in rule.detail


def test_slides_with_a_country_and_a_letter_handout(tmp_path, capsys):
    out = tmp_path / "slides"
    notebook = str(PROJECT_ROOT / "notebooks" / "01_untoc_and_protocols.ipynb")
    assert main(["slides", notebook, "--country", "Kenya", "--out", str(out)]) == 0
    deck = (out / "01_untoc_and_protocols.slides.html").read_text(encoding="utf-8")
    assert "Kenya" in deck
    assert main(["slides", notebook, "--country", "Atlantis", "--out", str(out)]) == 2
    assert "Atlantis" in capsys.readouterr().err
    assert main(["handout", "--country", "KEN", "--paper", "letter", "--out", str(tmp_path)]) == 0
    assert "size: Letter" in (tmp_path / "handout-KEN-letter.html").read_text(encoding="utf-8")
