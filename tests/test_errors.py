"""Errors a participant or trainer can cause are one sentence, in one place: a setting that
cannot work in a notebook's first cells shows its sentence, never a traceback."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from workshop_lib.errors import ConfigurationError, WorkshopError, sentence


def run_cells(*sources: str) -> list[list[dict]]:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    NotebookClient(nb, kernel_name="python3", allow_errors=True, timeout=120).execute()
    return [cell.outputs for cell in nb.cells]


@pytest.mark.notebooks
@pytest.mark.parametrize(
    ("call", "words"),
    [
        ('start("00_welcome", responses_dir_parameter="ftp://host/x")', "is not supported"),
        (
            'start("00_welcome", responses_dir_parameter="postgresql://u@h:port/d")',
            "cannot be read",
        ),
        ('start("00_welcome", "", 42)', "The setting 'cohort' must be text"),
        ('start("00_welcome", lang="xx")', "The language 'xx' is not available"),
    ],
)
def test_a_setting_that_cannot_work_is_one_sentence_in_the_notebook(call, words):
    outputs = run_cells(f"from workshop_lib.notebook import start\n{call}", "print('next')")
    assert [o["output_type"] for o in outputs[0]] == ["display_data"], outputs[0]
    text = outputs[0][0]["data"]["text/plain"]
    assert words in text and "Traceback" not in text and "\n" not in text
    assert outputs[1][0]["text"] == "next\n"


def test_sentence_is_one_line_ending_with_a_full_stop():
    assert sentence(ConfigurationError("Two\nlines  here")) == "Two lines here."
    assert sentence("Already ends?") == "Already ends?"
    assert issubclass(ConfigurationError, WorkshopError)


def test_every_error_a_user_can_cause_derives_from_the_one_root():
    from workshop_lib.facts.countries import UnknownCountryError
    from workshop_lib.facts.reader import DataValidationError

    assert issubclass(UnknownCountryError, WorkshopError)
    assert issubclass(DataValidationError, WorkshopError)


@pytest.mark.notebooks
def test_an_unknown_country_in_a_notebook_is_one_sentence():
    outputs = run_cells(
        "from workshop_lib.errors import show_in_notebooks\n"
        "from workshop_lib.facts.status import country_status\n"
        "show_in_notebooks()\n"
        "country_status('Atlantis')",
        "print('next')",
    )
    assert [o["output_type"] for o in outputs[0]] == ["display_data"], outputs[0]
    text = outputs[0][0]["data"]["text/plain"]
    assert "could not find a country called 'Atlantis'" in text and "Traceback" not in text
    assert outputs[1][0]["text"] == "next\n"
