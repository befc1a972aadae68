"""Keep committed notebooks clean: execute them in place and strip what changes run to run.

Usage (from the Makefile): `python -m workshop_lib.trainer.notebook_hygiene [--execute] NOTEBOOK...`
"""

from __future__ import annotations

import argparse
from pathlib import Path

import nbformat
from nbclient import NotebookClient

VOLATILE_NOTEBOOK_KEYS = ("papermill", "widgets", "execution")
VOLATILE_CELL_KEYS = ("papermill", "execution", "ExecuteTime", "collapsed", "scrolled")
IGNORE_OUTPUT_TAG = "nbval-ignore-output"
# A stored widget view points at widget state that is not kept, so it would show as an error
# before the notebook runs; the text and HTML fallbacks show instead.
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove run-specific metadata (timings, papermill records, widget state and views) in place,
    and the outputs of cells nbval ignores: outputs are stored only where nbval compares them."""
    for key in VOLATILE_NOTEBOOK_KEYS:
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        for key in VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code" and IGNORE_OUTPUT_TAG in cell.metadata.get("tags", []):
            cell.outputs = []
            cell.execution_count = None
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
    return nb


def volatile_keys(nb: nbformat.NotebookNode) -> list[str]:
    """Names of run-specific metadata left in `nb` (empty when it is clean)."""
    found = [f"notebook:{k}" for k in VOLATILE_NOTEBOOK_KEYS if k in nb.metadata]
    for index, cell in enumerate(nb.cells):
        found += [f"cell {index}:{k}" for k in VOLATILE_CELL_KEYS if k in cell.metadata]
        if IGNORE_OUTPUT_TAG in cell.metadata.get("tags", []) and cell.get("outputs"):
            found.append(f"cell {index}:outputs of an nbval-ignore-output cell")
    return found


def refresh(path: Path, execute: bool) -> None:
    """Optionally execute `path` in its own folder, then clean it and write it back."""
    nb = nbformat.read(path, as_version=4)
    if execute:
        resources = {"metadata": {"path": str(path.parent)}}
        NotebookClient(nb, kernel_name="python3", resources=resources).execute()
    nbformat.write(clean(nb), path)


def main() -> None:
    """Command line: clean (and with --execute, re-run) the given notebooks."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--execute", action="store_true", help="re-run before cleaning")
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args()
    for path in args.notebooks:
        refresh(path, args.execute)
        print(f"refreshed {path}")


if __name__ == "__main__":
    main()
