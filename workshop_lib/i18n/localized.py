"""Where a data file's version in the current language is.

English content is the base, in `data/`; another language's content mirrors it in
`data/<code>/` (same relative path, same ids). Files with nothing to translate (ratification
tables, source lists, the treaty texts of every language) exist only in `data/`.
"""

from __future__ import annotations

from pathlib import Path

from workshop_lib.i18n.catalog import language
from workshop_lib.i18n.languages import DEFAULT
from workshop_lib.paths import data_dir


def content_dir(code: str | None = None, folder: Path | None = None) -> Path:
    """The folder holding the translated content of `code` (default: the current language)."""
    code = code or language()
    base = folder or data_dir()
    return base if code == DEFAULT else base / code


def localized(relative: str | Path, code: str | None = None, folder: Path | None = None) -> Path:
    """`data/<code>/<relative>` when that translation exists, else the English `data/<relative>`
    (the completeness test makes sure every translatable file has its version)."""
    base = folder or data_dir()
    translated = content_dir(code, base) / relative
    return translated if translated.exists() else base / relative
