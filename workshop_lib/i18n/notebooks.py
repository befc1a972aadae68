"""The agenda notebooks in another language, built from the English notebooks.

A translated notebook is the English notebook with every markdown cell replaced by its text in
`data/<code>/notebooks/<notebook>.yaml` (keyed by cell id) and `lang = "<code>"` in its
parameters cell; its code cells stay the English ones, so the logic exists once. The built
notebooks live in `notebooks/<code>/` with the English names and are executed like the English
ones (`make notebooks`); a test checks that they are up to date. Run
`python -m workshop_lib.i18n.notebooks fr` after changing an English notebook or a translation.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

from workshop_lib.errors import WorkshopError
from workshop_lib.i18n.catalog import N_, translations
from workshop_lib.i18n.languages import DEFAULT, check
from workshop_lib.i18n.localized import content_dir
from workshop_lib.paths import notebooks_dir
from workshop_lib.yaml_files import StrictModel, read_yaml_model

PARAMETERS_TAG = "parameters"
LANG_LINE = re.compile(r'^lang = "[a-z]{2}"$', re.MULTILINE)
# The parameters cell's comment, the one English line of a translated notebook's code.
PARAMETERS_COMMENT = N_("Settings for this session (your trainer may fill these in for you)")
# Links out of notebooks/ need one more "../" from notebooks/<code>/.
RELATIVE_LINK = re.compile(r"\]\(\.\./")


class TranslationMissingError(WorkshopError):
    """A notebook cell with no text in the language, or a translation for no cell."""


class NotebookText(StrictModel):
    """`data/<code>/notebooks/<notebook>.yaml`: the markdown cells' text, by cell id."""

    notebook: str
    cells: dict[str, str]


def notebook_folder(code: str) -> Path:
    """Where the agenda notebooks in `code` are (`notebooks/` for English)."""
    base = notebooks_dir()
    return base if check(code).code == DEFAULT else base / code


def text_file(notebook: str, code: str) -> Path:
    """The file holding the markdown cells of `notebook` in `code`."""
    return content_dir(code) / "notebooks" / f"{notebook}.yaml"


def _parameters_source(source: str, code: str) -> str:
    """The parameters cell in `code`: its comment translated, `lang` set."""
    comment = translations(code).gettext(PARAMETERS_COMMENT)
    source = source.replace(f"# {PARAMETERS_COMMENT}", f"# {comment}")
    return LANG_LINE.sub(f'lang = "{code}"', source)


def translate_notebook(english: Path, code: str) -> nbformat.NotebookNode:
    """The notebook `english` in `code`; raises TranslationMissingError naming the cell ids
    without text, or the ids the translation has and the notebook does not."""
    nb = nbformat.read(english, as_version=4)
    text = read_yaml_model(
        text_file(english.stem, code), NotebookText, TranslationMissingError, "notebook text"
    ).cells
    markdown_ids = [c.id for c in nb.cells if c.cell_type == "markdown"]
    missing = [i for i in markdown_ids if i not in text]
    extra = [i for i in text if i not in markdown_ids]
    if missing or extra:
        raise TranslationMissingError(
            f"{text_file(english.stem, code).name} ({code}): "
            + (f"no text for the cell(s) {', '.join(missing)}" if missing else "")
            + ("; " if missing and extra else "")
            + (f"text for cells the notebook lacks: {', '.join(extra)}" if extra else "")
        )
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = RELATIVE_LINK.sub("](../../", text[cell.id])
        else:
            cell.outputs, cell.execution_count = [], None
            if PARAMETERS_TAG in cell.metadata.get("tags", []):
                cell.source = _parameters_source(cell.source, code)
    nb.metadata["language"] = code
    return nb


def build(code: str) -> list[Path]:
    """Write every agenda notebook in `code` to `notebooks/<code>/`, without outputs (they come
    from executing the notebooks: `make notebooks`)."""
    target_folder = notebook_folder(code)
    target_folder.mkdir(parents=True, exist_ok=True)
    written = []
    for english in sorted(notebooks_dir().glob("[0-9]*.ipynb")):
        target = target_folder / english.name
        nbformat.write(translate_notebook(english, code), target)
        written.append(target)
    return written


def main(argv: list[str]) -> int:
    """`python -m workshop_lib.i18n.notebooks <code> ...`: build the notebooks in each code."""
    for code in argv or ["fr"]:
        for path in build(code):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
