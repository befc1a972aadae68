"""Shared fixtures: a private copy of data/ that a test may break."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from workshop_lib.paths import PROJECT_ROOT, data_dir


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the data folder in a temporary directory."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target


def edit_csv(path: Path, change) -> None:
    """Rewrite a CSV file, passing its list of row dicts through `change`."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    rows = change(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))
# The agenda notebooks participants open, written out: a test fails when one goes missing.
PARTICIPANT_AGENDA = [
    "00_welcome.ipynb",
    "01_untoc_and_protocols.ipynb",
    "02_legal_frameworks_discussion.ipynb",
    "03_implementation_challenges.ipynb",
    "04_responses_discussion.ipynb",
    "05_post_session_checklist.ipynb",
]
