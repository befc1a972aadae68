"""Presentation notebooks as reveal.js slide decks that open offline from a file.

reveal.js comes from the sphinx-revealjs package (a PyPI package that ships reveal.js 5); it is
copied beside the decks, so a deck needs no network. Widgets show their static HTML, and cells
tagged `trainer` become speaker notes (press S in the deck).
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

from workshop_lib.paths import notebooks_dir
from workshop_lib.trainer.runner import OFFLINE_URL_SETTINGS, without_widget_views

ASSETS = "reveal.js"
TEMPLATES = Path(__file__).parent / "templates"


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


def make_deck(notebook: Path, out_dir: Path) -> Path:
    """Write `<name>.slides.html` for one notebook into `out_dir`, with reveal.js beside it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    assets = out_dir / ASSETS
    if not assets.exists():
        source = reveal_source()
        shutil.copytree(source / "dist", assets / "dist")
        shutil.copytree(source / "plugin" / "notes", assets / "plugin" / "notes")
    nb = without_widget_views(nbformat.read(notebook, as_version=4))
    for cell in nb.cells:
        if "trainer" in cell.metadata.get("tags", []):
            cell.metadata.setdefault("slideshow", {})["slide_type"] = "notes"
    exporter = SlidesExporter(
        template_name="workshop_slides", extra_template_basedirs=[str(TEMPLATES)]
    )
    exporter.reveal_url_prefix = ASSETS
    exporter.reveal_theme = "simple"
    for url_setting in OFFLINE_URL_SETTINGS:
        setattr(exporter, url_setting, "")
    exporter.exclude_input = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb)
    target = out_dir / f"{notebook.stem}.slides.html"
    target.write_text(body, encoding="utf-8")
    return target
