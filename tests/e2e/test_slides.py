"""The slide decks as slides: generated from the notebooks (slide-only cells, slide metadata and
trainer notes), one idea per slide, and in the browser every slide of every deck fits the 16:9
frame with at most about 40 words outside its speaker notes. A screenshot of each slide goes to
test-artifacts/slides-<deck>-<nn>.png.

The structure tests need no browser; the deck tests open each deck from its file in Debian's
Chromium (reveal.js is local, so nothing is loaded from the network).
"""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from tests.e2e.conftest import ARTIFACTS
from workshop_lib.cli import main
from workshop_lib.facts.cards import CountryCard
from workshop_lib.facts.status import country_status
from workshop_lib.participant.pages import without_trainer_cells as page_without_trainer_cells
from workshop_lib.trainer.runner import without_trainer_cells
from workshop_lib.trainer.slides import (
    COUNTRY_CARD_TAG,
    HEIGHT,
    SLIDE_ONLY_TAG,
    WIDTH,
    deck_notebook,
    make_deck,
    presentation_notebooks,
)

MAX_WORDS = 40  # on a slide, outside its speaker notes
WORD = re.compile(r"[^\W_]", re.UNICODE)


def _words(text: str) -> int:
    return sum(1 for token in text.split() if WORD.search(token))


def _markdown_words(source: str) -> int:
    """The words a markdown cell shows: without markup, table rules and list marks."""
    text = re.sub(r"(?m)^\s*\|?[-:| ]+\|?\s*$", " ", source)  # table rules
    text = re.sub(r"(?m)^\s*(?:[-*+]|#{1,6}|>)\s+", " ", text)  # list marks, headings
    return _words(re.sub(r"[|*`_]", " ", text))


# Structure: no browser ------------------------------------------------------------------------


@pytest.mark.parametrize("path", presentation_notebooks(), ids=lambda p: p.stem)
def test_slide_only_cells_are_short_folded_and_for_trainers_only(path):
    nb = nbformat.read(path, as_version=4)
    slides = [c for c in nb.cells if SLIDE_ONLY_TAG in c.metadata.get("tags", [])]
    assert len(slides) >= 12
    for cell in slides:
        assert cell.cell_type == "markdown"
        assert "trainer" in cell.metadata["tags"], "participant copies and pages drop them"
        assert cell.metadata["jupyter"]["source_hidden"], "folded in JupyterLab"
        assert _markdown_words(cell.source) <= MAX_WORDS, cell.source
    sections = [c for c in slides if c.source.startswith("# ")]
    assert len(sections) >= 4, "section title slides"
    assert all(c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells)
    for copy in (without_trainer_cells(nbformat.read(path, as_version=4)),):
        assert not any(SLIDE_ONLY_TAG in c.metadata.get("tags", []) for c in copy.cells)
    page = page_without_trainer_cells(json.loads(path.read_text(encoding="utf-8")))
    assert not any(SLIDE_ONLY_TAG in c["metadata"].get("tags", []) for c in page["cells"])


def _slide_types(nb) -> list[str]:
    return [c.metadata.get("slideshow", {}).get("slide_type", "-") for c in nb.cells]


def test_the_deck_shows_slides_and_keeps_prose_and_trainer_cells_as_notes():
    path = presentation_notebooks()[0]
    nb = deck_notebook(nbformat.read(path, as_version=4))
    shown = [
        c for c, t in zip(nb.cells, _slide_types(nb), strict=True) if t not in ("notes", "skip")
    ]
    assert shown[0].source.startswith("# UNTOC and the Protocols")
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        kind = cell.metadata["slideshow"]["slide_type"]
        if "trainer" in tags and SLIDE_ONLY_TAG not in tags:
            assert kind == "notes"
        if cell.cell_type == "markdown" and not tags and cell.source.startswith("## The"):
            assert kind == "notes", "the prose participants read is the speaker's detail"
    assert _slide_types(nb)[1] == "notes", "the opening moves onto the title slide"
    assert not any(COUNTRY_CARD_TAG in c.metadata.get("tags", []) for c in nb.cells), (
        "no country given: no card slide"
    )


def test_a_country_gets_its_card_on_a_slide_of_its_own():
    path = presentation_notebooks()[0]
    nb = deck_notebook(nbformat.read(path, as_version=4), country="Kenya")
    index = next(
        i for i, c in enumerate(nb.cells) if COUNTRY_CARD_TAG in c.metadata.get("tags", [])
    )
    card, notes = nb.cells[index], nb.cells[index + 1]
    assert card.metadata["slideshow"]["slide_type"] == "slide"
    assert "Your country: Kenya" in card.outputs[0].data["text/html"]
    assert notes.metadata["slideshow"]["slide_type"] == "notes"
    assert "UN Treaty Collection, chapter XVIII-12" in notes.outputs[0].data["text/html"]
    after = nb.cells[index + 2].metadata["slideshow"]["slide_type"]
    assert after in ("notes", "slide", "skip"), "nothing else joins the card's slide"


def test_a_run_notebook_shows_the_country_it_was_run_for():
    path = presentation_notebooks()[0]
    nb = nbformat.read(path, as_version=4)
    picker = next(c for c in nb.cells if COUNTRY_CARD_TAG in c.metadata.get("tags", []))
    picker.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/html": CountryCard(country_status("CIV"))._repr_html_()}
        )
    ]
    deck = deck_notebook(nb)
    cards = [c for c in deck.cells if COUNTRY_CARD_TAG in c.metadata.get("tags", [])]
    assert len(cards) == 1 and "Your country: Côte" in cards[0].outputs[0].data["text/html"]


# In the browser -------------------------------------------------------------------------------

MEASURE = """() => {
  const slide = Reveal.getCurrentSlide();
  const frame = document.querySelector('.reveal .slides').getBoundingClientRect();
  const words = [];
  const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    if (element.closest('aside.notes, svg, style, script') || !element.checkVisibility()) continue;
    words.push(...walker.currentNode.textContent.split(/\\s+/)
      .filter((w) => /[\\p{L}\\p{N}]/u.test(w)));
  }
  const outside = [], cut = [];
  for (const el of slide.querySelectorAll('*')) {
    if (el.closest('aside.notes, svg') || !el.checkVisibility()) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.left < frame.left - 1 || box.right > frame.right + 1 ||
        box.top < frame.top - 1 || box.bottom > frame.bottom + 1) {
      outside.push(`${el.tagName}.${el.className}`);
    }
    const style = getComputedStyle(el);
    if ((el.scrollWidth > el.clientWidth + 1 && style.overflowX !== 'visible') ||
        (el.scrollHeight > el.clientHeight + 1 && style.overflowY !== 'visible')) {
      cut.push(`${el.tagName}.${el.className}`);
    }
  }
  return {words: words.length, text: words.join(' '), outside, cut,
          notes: slide.querySelectorAll('aside.notes').length};
}"""


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    """The decks `workshop slides` writes, and notebook 01's deck with a country card."""
    out = tmp_path_factory.mktemp("slides")
    assert main(["slides", "--out", str(out)]) == 0
    found = sorted(out.glob("*.slides.html"))
    found.append(make_deck(presentation_notebooks()[0], out / "kenya", country="KEN"))
    return found


@pytest.mark.e2e
def test_every_slide_fits_the_frame_with_few_words(browser, decks):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    remote = []
    page.on("request", lambda r: r.url.startswith(("file:", "data:")) or remote.append(r.url))
    try:
        for deck in decks:
            name = deck.stem.removesuffix(".slides") + (
                "-KEN" if deck.parent.name == "kenya" else ""
            )
            page.goto(deck.as_uri())
            page.wait_for_function("window.Reveal && Reveal.isReady()")
            config = page.evaluate("[Reveal.getConfig().width, Reveal.getConfig().height]")
            assert config == [WIDTH, HEIGHT] and WIDTH * 9 == HEIGHT * 16, "a 16:9 frame"
            page.evaluate("Reveal.configure({transition: 'none'})")
            count = page.evaluate("Reveal.getTotalSlides()")
            assert count >= 15, name
            noted = 0
            for number in range(count):
                page.evaluate(
                    f"(() => {{ const s = Reveal.getSlides()[{number}];"
                    " const i = Reveal.getIndices(s); Reveal.slide(i.h, i.v); })()"
                )
                found = page.evaluate(MEASURE)
                page.screenshot(path=ARTIFACTS / f"slides-{name}-{number:02d}.png")
                where = f"{name}, slide {number + 1}: {found['text'][:80]}"
                assert found["words"] <= MAX_WORDS, f"{where} ({found['words']} words)"
                assert found["outside"] == [], f"{where} overflows: {found['outside'][:3]}"
                assert found["cut"] == [], f"{where} cuts: {found['cut'][:3]}"
                noted += found["notes"] > 0
            assert noted >= count // 2, f"{name}: speaker notes on most slides"
            assert remote == [], f"{name} loads {remote[:3]}"
            if name.endswith("-KEN"):
                texts = page.evaluate(
                    "Reveal.getSlides().map((s) => s.querySelector('.workshop-country-slide') ?"
                    " s.querySelector('.workshop-country-slide').textContent : '')"
                )
                card = [t for t in texts if t]
                assert len(card) == 1 and card[0].startswith("Your country: Kenya")
    finally:
        page.close()
