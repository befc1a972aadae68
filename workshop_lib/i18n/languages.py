"""The languages the workshop speaks. English is the base: every other language has a gettext
catalog (`workshop_lib/locale/<code>/LC_MESSAGES/workshop.po`) and its content in
`data/<code>/`. Adding a language is adding it here plus those files (README, "Adding a
language")."""

from __future__ import annotations

from dataclasses import dataclass

from workshop_lib.errors import ConfigurationError


@dataclass(frozen=True)
class Language:
    """One language: its code (ISO 639-1), its name in itself, JupyterLab's locale for it (the
    language pack `jupyterlab-language-pack-<locale>` must be installed for JupyterLab's menus
    to speak it), and its writing direction."""

    code: str
    name: str
    lab_locale: str
    direction: str = "ltr"  # "rtl" for Arabic: content right to left, code and numbers not


ENGLISH = Language("en", "English", "en")
LANGUAGES = {language.code: language for language in (ENGLISH, Language("fr", "Français", "fr_FR"))}
DEFAULT = ENGLISH.code


def check(code: str) -> Language:
    """The language for `code`, or a ConfigurationError in one sentence naming the choices."""
    if not isinstance(code, str) or code.strip().lower() not in LANGUAGES:
        choices = ", ".join(f"'{c}' ({language.name})" for c, language in LANGUAGES.items())
        raise ConfigurationError(f"The language '{code}' is not available; choose {choices}.")
    return LANGUAGES[code.strip().lower()]
