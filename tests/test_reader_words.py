"""Every page a person reads is finished: no maintainer words in anything a reader sees.

Scanned: the stored outputs of every notebook in notebooks/ (re-execute the notebooks after
changing what they show), the prose of every notebook (what participants read and the
trainer's notes), the slide decks `workshop slides` writes (one with a country card too), the
printable handout, the HTML report of a demo cohort, and the country card of every State in the
ratification table. Maintainer words are: "CSV" (except where a reader is offered an export in
that format), "scrape", "row" (as in a data file's rows), file names under data/ and data file
names, "NOT read", and the ids of the ratification sources (such as ZMJ2014-UNTOC), which
readers see by authority, document and date instead.
"""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path

import pytest

from tests.conftest import NOTEBOOKS
from workshop_lib.cli import main
from workshop_lib.facts import reader
from workshop_lib.facts.cards import CountryCard
from workshop_lib.facts.status import country_status
from workshop_lib.trainer.demo import DEMO_COHORT, write_demo_cohort
from workshop_lib.trainer.handout import render_handout
from workshop_lib.trainer.slides import make_deck, presentation_notebooks

# Phrases where a maintainer word is the right word for a reader: the export formats a
# participant or trainer is offered, and a table read "row by row" aloud.
ALLOWED = re.compile(r"Export my answers \(CSV\)|--format csv|row by row")
SOURCE_IDS = sorted((row.id for row in reader.rows("sources")), key=len, reverse=True)
MAINTAINER = re.compile(
    r"(?i:\bcsv\b|\bscrap(?:e|ed|es|ing)\b|\brows?\b|\bdata/[\w./-]*|\b[\w-]+\.(?:csv|ya?ml)\b)"
    r"|\bNOT read\b|" + "|".join(rf"\b{re.escape(sid)}\b" for sid in SOURCE_IDS),
)
SVG_IMAGE = re.compile(r'src="data:image/svg\+xml;base64,([^"]+)"')


def svg_text(svg: str) -> str:
    """The words a chart shows: its text elements and its title."""
    return html.unescape(" ".join(re.findall(r"(?s)<(?:text|title|tspan)\b[^>]*>(.*?)</", svg)))


def visible_text(page: str) -> str:
    """The words of an HTML page or fragment a reader can see or hear: no tags, scripts, styles
    or embedded data, entities decoded (attribute values such as alt text and titles kept)."""
    charts = [svg_text(base64.b64decode(data).decode("utf-8")) for data in SVG_IMAGE.findall(page)]
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r'(?i)\b(?:src|href)="[^"]*"', " ", page)
    attributes = " ".join(re.findall(r'(?i)\b(?:alt|title|aria-label)=["\']([^"\']*)', page))
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + attributes) + " ".join(charts)


def maintainer_words(text: str) -> list[str]:
    """Each maintainer word in `text`, with a little context."""
    cleaned = ALLOWED.sub(" ", text)
    return [
        cleaned[max(m.start() - 50, 0) : m.end() + 30].replace("\n", " ")
        for m in MAINTAINER.finditer(cleaned)
    ]


def test_the_scanner_finds_what_it_should():
    assert maintainer_words("Source: ZMJ2014-UNTOC (UNTC 2014 scrape), see data/ratification.csv")
    assert maintainer_words("one row per participant") and maintainer_words("NOT read")
    assert not maintainer_words("Read the table row by row. Export my answers (CSV).")
    assert not maintainer_words("UN Treaty Collection, chapter XVIII-12, status as at 4 May 2024")
    assert maintainer_words(visible_text("<abbr title='GitHub zmjones, ZMJ2014-TIP'>x</abbr>"))
    chart = base64.b64encode(b"<svg><text>UNTC 2014 scrape</text></svg>").decode()
    assert maintainer_words(visible_text(f'<img src="data:image/svg+xml;base64,{chart}">'))


def _outputs(nb: dict) -> str:
    parts = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            for kind, value in output.get("data", {}).items():
                text = "".join(value) if isinstance(value, list) else str(value)
                if kind == "text/html":
                    parts.append(visible_text(text))
                elif kind == "image/svg+xml":
                    parts.append(svg_text(text))
                elif kind == "text/plain" or kind == "text/markdown":
                    parts.append(text)
            if "text" in output:
                parts.append("".join(output["text"]))
    return "\n".join(parts)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_notebook_outputs(path):
    found = maintainer_words(_outputs(json.loads(path.read_text(encoding="utf-8"))))
    assert found == [], f"{path.name}: {found[:10]}"


def _prose_cases():
    for path in NOTEBOOKS:
        yield pytest.param(path, id=path.stem)


@pytest.mark.parametrize("path", list(_prose_cases()))
def test_notebook_prose(path):
    """The markdown of every notebook: what participants read and the trainer's notes."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    found = maintainer_words(text)
    assert found == [], f"{path.name}: {found[:10]}"


def test_slide_decks(tmp_path):
    assert main(["slides", "--out", str(tmp_path)]) == 0
    decks = sorted(tmp_path.glob("*.slides.html"))
    decks.append(make_deck(presentation_notebooks()[0], tmp_path / "country", country="Japan"))
    for deck in decks:
        found = maintainer_words(visible_text(deck.read_text(encoding="utf-8")))
        assert found == [], f"{deck.name}: {found[:10]}"


@pytest.mark.parametrize("country", ["KEN", "CIV", "JPN", "SOM", "PRK", "GAB"])
def test_handout(country):
    found = maintainer_words(visible_text(render_handout(country)))
    assert found == [], found[:10]


def test_report_of_a_demo_cohort(tmp_path):
    write_demo_cohort(tmp_path / "answers", participants=8)
    out = tmp_path / "report.html"
    assert (
        main(["report", str(tmp_path / "answers"), "--cohort", DEMO_COHORT, "--out", str(out)]) == 0
    )
    found = maintainer_words(visible_text(Path(out).read_text(encoding="utf-8")))
    assert found == [], found[:10]


def test_country_cards_of_every_state_in_the_table():
    codes = sorted({row.iso3 for row in reader.rows("ratification")} | {"PRK", "WSM", "TUV"})
    for code in codes:
        card = CountryCard(country_status(code))
        for text in (repr(card), visible_text(card._repr_html_()), card.slide_html()):
            found = maintainer_words(visible_text(text))
            assert found == [], (code, found[:5])


# Doubled punctuation: a question or exclamation mark followed by another mark ("?."), a comma,
# semicolon or colon followed by a full stop, two full stops that are not an ellipsis, or two
# commas, semicolons or colons. An abbreviation's full stop before a comma ("Sb. m. s.,") is not
# doubled.
DOUBLED = re.compile(r"[?!]\s*[.,;:?!]|[,;:]\s*[.,;:]|(?<!\.)\.\.(?!\.)")


def test_no_doubled_punctuation_in_cards_handouts_and_slides(tmp_path):
    assert DOUBLED.search("Is it trafficking?.") and DOUBLED.search("deposited.. ")
    assert not DOUBLED.search("Sb. m. s., published ... later")
    texts = []
    codes = sorted({row.iso3 for row in reader.rows("ratification")} | {"PRK", "WSM", "TUV"})
    for code in codes:
        card = CountryCard(country_status(code))
        texts += [repr(card), visible_text(card._repr_html_()), visible_text(card.slide_html())]
    texts += [visible_text(render_handout(code)) for code in ("KEN", "JPN", "SOM", "GAB")]
    assert main(["slides", "--out", str(tmp_path)]) == 0
    texts += [visible_text(deck.read_text(encoding="utf-8")) for deck in tmp_path.glob("*.html")]
    found = [
        text[max(m.start() - 40, 0) : m.end() + 10]
        for text in texts
        for m in DOUBLED.finditer(text)
    ]
    assert found == [], found[:10]
