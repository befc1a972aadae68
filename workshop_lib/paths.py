"""Where the package's own folders are: data, notebooks, and the project root."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Folder holding the sourced facts; `WORKSHOP_DATA_DIR` overrides it (used by tests)."""
    return Path(os.environ.get("WORKSHOP_DATA_DIR") or PROJECT_ROOT / "data")


def notebooks_dir() -> Path:
    """Folder holding the agenda notebooks."""
    return PROJECT_ROOT / "notebooks"
