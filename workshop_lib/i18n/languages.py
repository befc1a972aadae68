"""The languages the workshop speaks, listed in `languages.csv` beside this module (code, name
in itself, JupyterLab's locale, writing direction). English is the base: every other language has a
gettext catalog (`workshop_lib/locale/<code>/LC_MESSAGES/workshop.po`) and its content in
`data/<code>/`. Adding a language is a row there plus those files, no code (README, "Adding a
language")."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from workshop_lib.errors import ConfigurationError

LIST = Path(__file__).resolve().parent / "languages.csv"  # travels with the code, not data/


@dataclass(frozen=True)
class Language:
    """One language: its code (ISO 639-1), its name in itself, JupyterLab's locale for it (the
    language pack `jupyterlab-language-pack-<locale>` must be installed for JupyterLab's menus
    to speak it), and its writing direction."""

    code: str
    name: str
    lab_locale: str
    direction: str = "ltr"  # "rtl" for Arabic: content right to left, code and numbers not


def _read() -> dict[str, Language]:
    with LIST.open(encoding="utf-8", newline="") as fh:
        return {row["code"]: Language(**row) for row in csv.DictReader(fh)}


LANGUAGES = _read()
DEFAULT = "en"  # the base: its strings are the catalogs' msgids, its content data/ itself


def check(code: str) -> Language:
    """The language for `code`, or a ConfigurationError in one sentence naming the choices."""
    if not isinstance(code, str) or code.strip().lower() not in LANGUAGES:
        choices = ", ".join(f"'{c}' ({language.name})" for c, language in LANGUAGES.items())
        raise ConfigurationError(f"The language '{code}' is not available; choose {choices}.")
    return LANGUAGES[code.strip().lower()]
