"""Participant kernels stay lean: nothing a participant notebook imports or calls brings in
pandas or matplotlib (they are for the trainer's tools and the build). The memory figures
themselves are measured by benchmarks/kernel_memory.py, not here."""

from __future__ import annotations

import subprocess
import sys

import pytest

from benchmarks.kernel_memory import HEAVY_MODULES, is_participant_notebook, run_notebook_file
from tests.conftest import NOTEBOOKS

PARTICIPANT_NOTEBOOKS = [p for p in NOTEBOOKS if is_participant_notebook(p)]

# Every call participant notebooks make into the facts, in a fresh interpreter.
FACT_CALLS = """
import sys
from workshop_lib.notebook import country_picker, start
start("00_welcome", "", "lean", "tester", "")  # answers go where the tests' conftest says
from workshop_lib.facts import tables
from workshop_lib.facts.cards import country_card
from workshop_lib.facts.figures import developments_timeline, parties_over_time
for name in ("instruments_table", "totals_table", "regional_table", "developments_table",
             "resources_table"):
    table = getattr(tables, name)()
    repr(table), table._repr_html_()
country_card("Kenya")._repr_html_(); country_card("Narnia")
parties_over_time()._repr_mimebundle_(); developments_timeline()._repr_mimebundle_()
country_picker("Kenya").plain_text()
print(sorted(m for m in {heavy!r} if m in sys.modules))
"""


def test_the_facts_participants_see_need_neither_pandas_nor_matplotlib():
    result = subprocess.run(
        [sys.executable, "-c", FACT_CALLS.format(heavy=HEAVY_MODULES)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.notebooks
@pytest.mark.parametrize("path", PARTICIPANT_NOTEBOOKS, ids=lambda p: p.stem)
def test_participant_kernel_holds_neither_pandas_nor_matplotlib_after_running(path, tmp_path):
    run = run_notebook_file(path, tmp_path / "responses", country="Kenya")
    assert run.heavy_modules == (), f"{path.name} loaded {', '.join(run.heavy_modules)}"
