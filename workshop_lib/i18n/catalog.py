"""The language this kernel or command speaks, and `_()` for interface strings.

Interface strings are written in English in the code and looked up in the gettext catalog of
the current language (`workshop_lib/locale/<code>/LC_MESSAGES/workshop.mo`, compiled from the
`.po` file with Babel: `make translations`). A string needed before a language is chosen (a
module-level label) is marked with `N_()` and translated where it is shown, with `_()`.
The language is set once per notebook (`start(..., lang=...)`) or per command (`--lang`).
"""

from __future__ import annotations

import functools
import gettext
from pathlib import Path

from workshop_lib.i18n.languages import DEFAULT, check

DOMAIN = "workshop"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

_language = DEFAULT


@functools.cache
def translations(code: str) -> gettext.NullTranslations:
    """The compiled catalog of `code` (English needs none: its strings are the msgids)."""
    if code == DEFAULT:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[code])


def use(code: str) -> str:
    """Speak `code` from now on in this process; returns the normalised code."""
    global _language
    _language = check(code).code
    return _language


def language() -> str:
    """The code of the language spoken now ('en' unless `use()` chose another)."""
    return _language


def _(message: str) -> str:
    """`message` (English) in the current language."""
    return translations(_language).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, in the current language."""
    return translations(_language).ngettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark `message` for translation without translating it now (it is shown later with
    `_()`)."""
    return message
