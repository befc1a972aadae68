"""Committed notebooks: one plain `parameters` cell, hidden plumbing, no volatile metadata."""

from __future__ import annotations

import ast

import nbformat
import pytest

from tests.conftest import NOTEBOOKS
from workshop_lib.i18n.languages import DEFAULT, LANGUAGES
from workshop_lib.i18n.notebooks import notebook_folder
from workshop_lib.trainer.notebook_hygiene import volatile_keys

PARAMETERS = ["country", "cohort", "participant", "responses_dir", "lang"]
TRANSLATED = sorted(
    path for code in LANGUAGES if code != DEFAULT for path in notebook_folder(code).glob("*.ipynb")
)


@pytest.fixture(params=NOTEBOOKS + TRANSLATED, ids=lambda p: f"{p.parent.name}/{p.name}")
def notebook(request):
    return nbformat.read(request.param, as_version=4)


def test_there_is_a_welcome_notebook():
    assert "00_welcome.ipynb" in [p.name for p in NOTEBOOKS]


def test_one_parameters_cell_of_plain_literals(notebook):
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    tree = ast.parse(tagged[0].source)
    names = []
    for node in tree.body:
        assert isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        names.append(node.targets[0].id)
    assert names == PARAMETERS


def test_no_volatile_metadata(notebook):
    assert volatile_keys(notebook) == []
    for cell in notebook.cells:
        assert "injected-parameters" not in cell.metadata.get("tags", [])


def test_plumbing_cells_are_collapsed(notebook):
    for cell in notebook.cells:
        if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
            assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, cell.source
