"""Where the package's own folders are: data, notebooks, and the project root.

In a checkout (or an editable install) the data and the agenda notebooks are the top-level
`data/` and `notebooks/` folders. An installed wheel carries them inside the package, as
`workshop_lib/bundled_data/` and `workshop_lib/bundled_notebooks/` (see pyproject.toml); the
functions below return whichever copy this package has.
"""

from __future__ import annotations

import os
from pathlib import Path

from workshop_lib.config import ENV_DATA_DIR

PACKAGE_DIR = Path(__file__).resolve().parent
# The checkout (holding pyproject.toml, data/ and notebooks/) when running from one; in an
# installed wheel this is site-packages, and nothing of the project's is there but the package.
PROJECT_ROOT = PACKAGE_DIR.parent
BUNDLED_DATA = "bundled_data"
BUNDLED_NOTEBOOKS = "bundled_notebooks"


def _shipped(bundled: str, checkout_folder: str) -> Path:
    inside = PACKAGE_DIR / bundled
    return inside if inside.is_dir() else PROJECT_ROOT / checkout_folder


def data_dir() -> Path:
    """Folder holding the sourced facts; `WORKSHOP_DATA_DIR` overrides it (used by tests)."""
    override = os.environ.get(ENV_DATA_DIR)
    return Path(override) if override else _shipped(BUNDLED_DATA, "data")


def notebooks_dir() -> Path:
    """Folder holding the agenda notebooks."""
    return _shipped(BUNDLED_NOTEBOOKS, "notebooks")
