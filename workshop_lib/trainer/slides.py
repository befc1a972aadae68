"""Presentation notebooks as reveal.js slide decks that open offline from a file.

A deck is made from a notebook's own cells, never from a second copy of its content:

- each cell's `metadata.slideshow.slide_type` says how it shows (a new `slide`, `-` to continue
  the slide, `notes` for the speaker notes, `skip`);
- cells tagged `slide-only` are the slides themselves: at most about 40 words each, one idea per
  slide, with the detail in the notes. They are also tagged `trainer`, so participant copies and
  the participant view drop them with the trainer notes, and JupyterLab folds them;
- every other cell tagged `trainer` becomes a speaker note (press S in the deck), as do the long
  prose cells participants read in their notebooks;
- the cell tagged `country-card` becomes the participant's country card on a slide of its own
  (the short card, the full one in the notes) when a country is given, or was given to the
  notebook that was run; without a country it is left out.

reveal.js comes from the sphinx-revealjs package (a PyPI package that ships reveal.js 5); it is
copied beside the decks, so a deck needs no network. Widgets show their static HTML. The deck's
frame is 16:9 (1280 x 720); `tests/e2e/test_slides.py` checks that nothing overflows it.

A deck speaks the current language (`workshop slides --lang fr` makes the decks of the French
notebooks, `notebooks/fr/`): `<html lang dir>` and its title are in it, and so is the country
card.
"""

from __future__ import annotations

import html
import importlib.util
import re
import shutil
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

from workshop_lib.facts.cards import CountryCard
from workshop_lib.facts.status import country_status, resolve_country
from workshop_lib.i18n.catalog import _, language
from workshop_lib.paths import notebooks_dir
from workshop_lib.trainer.runner import (
    OFFLINE_URL_SETTINGS,
    TRAINER_TAG,
    with_language,
    without_widget_views,
)

ASSETS = "reveal.js"
TEMPLATES = Path(__file__).parent / "templates"
SLIDE_ONLY_TAG = "slide-only"
COUNTRY_CARD_TAG = "country-card"
WIDTH, HEIGHT = 1280, 720  # a 16:9 frame
CARD_CODE = re.compile(r"""data-country=['"]([A-Z]{3})['"]""")
# nbconvert's reveal template titles a deck "<notebook title> slides", in English.
DECK_TITLE = re.compile(r"<title>(.*?) slides</title>", re.DOTALL)

__all__ = [
    "ASSETS",
    "COUNTRY_CARD_TAG",
    "HEIGHT",
    "SLIDE_ONLY_TAG",
    "WIDTH",
    "deck_notebook",
    "make_deck",
    "presentation_notebooks",
    "reveal_source",
]


def reveal_source() -> Path:
    """The reveal.js files shipped by sphinx-revealjs (found without importing Sphinx)."""
    spec = importlib.util.find_spec("sphinx_revealjs")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("sphinx-revealjs is not installed: run `make run` to set up.")
    return Path(spec.submodule_search_locations[0]) / "_static" / "revealjs"


def presentation_notebooks(folder: Path | None = None) -> list[Path]:
    """Notebooks whose cells carry slide metadata (the UNODC presentations)."""
    found = []
    for path in sorted((folder or notebooks_dir()).glob("[0-9]*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        if any(c.metadata.get("slideshow", {}).get("slide_type") == "slide" for c in nb.cells):
            found.append(path)
    return found


def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return cell.metadata.get("tags", [])


def _set_type(cell: nbformat.NotebookNode, slide_type: str) -> None:
    cell.metadata.setdefault("slideshow", {})["slide_type"] = slide_type


def _type(cell: nbformat.NotebookNode) -> str:
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


def _shown_country(cell: nbformat.NotebookNode) -> str:
    """The country whose card a run notebook's output shows ('' when none was chosen)."""
    for output in cell.get("outputs", []):
        found = CARD_CODE.search(str(output.get("data", {}).get("text/html", "")))
        if found:
            return found.group(1)
    return ""


def _card_cells(cell: nbformat.NotebookNode, code: str) -> list[nbformat.NotebookNode]:
    """The country card on a slide of its own (short), and the full card as a speaker note."""
    card = CountryCard(country_status(code))
    short = nbformat.v4.new_code_cell(
        outputs=[
            nbformat.v4.new_output(
                "display_data", data={"text/html": card.slide_html(), "text/plain": repr(card)}
            )
        ],
        metadata={"slideshow": {"slide_type": "slide"}, "tags": [COUNTRY_CARD_TAG]},
    )
    full = nbformat.v4.new_code_cell(
        outputs=[
            nbformat.v4.new_output(
                "display_data", data={"text/html": card._repr_html_(), "text/plain": repr(card)}
            )
        ],
        metadata={"slideshow": {"slide_type": "notes"}},
    )
    short.id, full.id = f"{cell.get('id', 'card')}-slide", f"{cell.get('id', 'card')}-notes"
    return [short, full]


def deck_notebook(nb: nbformat.NotebookNode, country: str | None = None) -> nbformat.NotebookNode:
    """The notebook as its deck shows it (changed in place and returned): trainer notes and
    prose as speaker notes, slide-only cells as slides, the country card on a slide of its own
    for `country` (or the country the run notebook shows) or left out, and notes that come
    before the first slide moved onto it."""
    code = resolve_country(country) if country else ""
    cells = []
    for cell in nb.cells:
        tags = _tags(cell)
        if TRAINER_TAG in tags and SLIDE_ONLY_TAG not in tags:
            _set_type(cell, "notes")
        if COUNTRY_CARD_TAG in tags:
            chosen = code or _shown_country(cell)
            if chosen:
                cells += _card_cells(cell, chosen)
            continue
        cells.append(cell)
    first = next(i for i, c in enumerate(cells) if _type(c) not in {"notes", "skip"})
    leading = [c for c in cells[:first] if _type(c) == "notes"]
    rest = [c for c in cells[:first] if _type(c) != "notes"]
    nb.cells = rest + [cells[first]] + leading + cells[first + 1 :]
    return nb


def make_deck(notebook: Path, out_dir: Path, country: str | None = None) -> Path:
    """Write `<name>.slides.html` for one notebook into `out_dir`, with reveal.js beside it, in
    the current language; with `country` (a name or code), its card gets a slide of its own
    (raises UnknownCountryError for an unknown country)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    assets = out_dir / ASSETS
    if not assets.exists():
        source = reveal_source()
        shutil.copytree(source / "dist", assets / "dist")
        shutil.copytree(source / "plugin" / "notes", assets / "plugin" / "notes")
    nb = deck_notebook(without_widget_views(nbformat.read(notebook, as_version=4)), country)
    exporter = SlidesExporter(
        template_name="workshop_slides", extra_template_basedirs=[str(TEMPLATES)]
    )
    exporter.reveal_url_prefix = ASSETS
    exporter.reveal_theme = "white"  # its fonts are local ("simple" loads them remotely)
    exporter.reveal_width = str(WIDTH)
    exporter.reveal_height = str(HEIGHT)
    for url_setting in OFFLINE_URL_SETTINGS:
        setattr(exporter, url_setting, "")
    exporter.exclude_input = True
    exporter.exclude_output_prompt = True
    body, _resources = exporter.from_notebook_node(nb)
    target = out_dir / f"{notebook.stem}.slides.html"
    target.write_text(_deck_language(body), encoding="utf-8")
    return target


def _deck_language(body: str) -> str:
    """The deck with `<html lang dir>` and its title in the current language."""
    words = html.escape(_("{title} slides"))
    body = DECK_TITLE.sub(
        lambda found: f"<title>{words.replace('{title}', found.group(1))}</title>", body, count=1
    )
    return with_language(body, language())
