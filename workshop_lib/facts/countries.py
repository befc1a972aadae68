"""Country names and codes: turn what a person types into one ISO 3166-1 alpha-3 code.

Names come from pycountry (ISO 3166-1 names, official and common names, alpha-2 and alpha-3
codes, in English and in every language of the workshop through pycountry's `iso3166-1`
gettext catalogs), from the participant names used in the ratification table, and from the
aliases in `data/country_aliases.csv`. Matching ignores case, accents and the kind of
apostrophe, so "Cote d'Ivoire", "côte d’ivoire" and "CIV" all give the same code, and so do
"Germany" and "Allemagne" in any language. `display_name()` writes a country's name in the
current language.
"""

from __future__ import annotations

import difflib
import functools
import gettext
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pycountry

from workshop_lib.errors import WorkshopError
from workshop_lib.i18n.catalog import N_, _, language, translations
from workshop_lib.i18n.languages import DEFAULT, LANGUAGES

# Participants in the instruments that have no ISO 3166-1 alpha-3 code of their own.
NON_ISO_PARTICIPANTS = {"EUU": N_("European Union")}


class UnknownCountryError(WorkshopError, LookupError):
    """Raised when a name or code matches no country; the message suggests the closest names."""

    def __init__(self, query: str, suggestions: list[str]):
        self.query = query
        self.suggestions = suggestions
        sentence = _("We could not find a country called {query}.").format(query=_quoted(query))
        if suggestions:
            hint = _("Did you mean {names}?").format(names=_join_or(suggestions))
        else:
            hint = _("Try the English name or the ISO code, for example {name} or {code}.")
            hint = hint.format(name=_quoted(display_name("KEN")), code=_quoted("KEN"))
        super().__init__(f"{sentence} {hint}")


def _quoted(text: str) -> str:
    """`text` in quotation marks, as the current language writes them."""
    return _("'{text}'").format(text=text)


def _join_or(names: list[str]) -> str:
    quoted = [_quoted(n) for n in names]
    if len(quoted) == 1:
        return quoted[0]
    return _("{names} or {last}").format(names=", ".join(quoted[:-1]), last=quoted[-1])


def normalise(text: str) -> str:
    """Fold case and accents and drop spaces and punctuation, so that spellings of one name
    compare equal: "Côte d'Ivoire", "cote d ivoire" and "COTE D’IVOIRE" all give "cotedivoire"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in stripped.casefold() if ch.isalnum())


def known_code(code: str) -> bool:
    """True when `code` is an ISO 3166-1 alpha-3 code (or a listed non-ISO participant)."""
    return code in NON_ISO_PARTICIPANTS or pycountry.countries.get(alpha_3=code) is not None


@functools.cache
def iso_names(code: str) -> gettext.NullTranslations:
    """pycountry's translations of the ISO 3166-1 names into the language `code` (none for
    English, whose names are the msgids)."""
    if code == DEFAULT:
        return gettext.NullTranslations()
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[code])


# A name the ISO list writes inverted in French ("Russie, Fédération de", "Salomon, Îles"):
# the part after the comma ends with a preposition, or names the islands.
_INVERTED = re.compile(
    r"(?P<head>.+?), (?P<kind>Îles?|Île de la|.* d[eu]|.* de la|.* d')(?P<tail> \(.*\))?"
)


def _uninverted(name: str) -> str:
    """'Russie, Fédération de' -> 'Fédération de Russie'; 'Malouines, Îles (Falkland)' ->
    'Îles Malouines (Falkland)'; a name that is not inverted stays as it is."""
    match = _INVERTED.fullmatch(name)
    if not match:
        return name
    kind = match["kind"]
    space = "" if kind.endswith("'") else " "
    return f"{kind}{space}{match['head']}{match['tail'] or ''}"


def display_name(code: str, lang: str | None = None) -> str:
    """The short name of a country code in the current language (or `lang`): the ISO name
    ('Viet Nam', 'Allemagne'), or the common name where the ISO name is inverted ('Bolivia'
    for 'Bolivia, Plurinational State of'; 'Bolivie', 'Iran', 'Syrie' in French, and
    'Fédération de Russie' where the French ISO name alone is inverted)."""
    lang = lang or language()
    if code in NON_ISO_PARTICIPANTS:
        return translations(lang).gettext(NON_ISO_PARTICIPANTS[code])
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise UnknownCountryError(code, [])
    common = getattr(country, "common_name", None)
    if lang == DEFAULT:
        return (common or country.name) if "," in country.name else country.name
    names = iso_names(lang)
    name = names.gettext(country.name)
    if "," in name or "," in country.name:
        name = names.gettext(common) if common else _uninverted(name)
    return name.replace("'", "’")  # the typographic apostrophe of the translated content


def _short_forms(name: str) -> Iterable[str]:
    """'Iran, Islamic Republic of' -> 'Iran'; 'Bolivia (Plurinational State of)' -> 'Bolivia'."""
    for pattern in (r"^(.*?),\s", r"^(.*?)\s\("):
        match = re.match(pattern, name)
        if match:
            yield match.group(1)


@dataclass
class CountryIndex:
    """Every known spelling of every country, mapped to its code."""

    names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, extra_names: Mapping[str, str] = ()) -> CountryIndex:
        """Index pycountry's names in English, then in the other languages of the workshop,
        plus `extra_names` (name -> code), most exact names first. The index is the same
        whatever the current language: a French name is understood in English and the other
        way round."""
        index = cls()
        short: dict[str, set[str]] = {}
        others = [iso_names(code) for code in LANGUAGES if code != DEFAULT]
        for names in (gettext.NullTranslations(), *others):
            for country in pycountry.countries:
                code = country.alpha_3
                spellings = [country.alpha_3, country.alpha_2, country.name]
                spellings += [getattr(country, a, None) for a in ("official_name", "common_name")]
                for spelling in filter(None, spellings):
                    spelling = names.gettext(spelling)
                    index.add(spelling, code)
                    index.add(_uninverted(spelling), code)
                    for form in _short_forms(spelling):
                        short.setdefault(normalise(form), set()).add(code)
        for code, name in NON_ISO_PARTICIPANTS.items():
            index.add(code, code)
            index.add(name, code)
            for other in LANGUAGES:
                index.add(display_name(code, other), code)
        for name, code in dict(extra_names).items():
            index.add(name, code)
            for form in _short_forms(name):
                short.setdefault(normalise(form), set()).add(code)
        for form, codes in short.items():
            if len(codes) == 1 and form not in index.names:
                index.names[form] = next(iter(codes))
        return index

    def add(self, name: str, code: str) -> None:
        """Add one spelling; an earlier spelling is never overwritten."""
        self.names.setdefault(normalise(name), code)

    def resolve(self, query: str) -> str:
        """Return the code for `query`, or raise UnknownCountryError with the closest names."""
        key = normalise(query)
        if key in self.names:
            return self.names[key]
        # Long names only, so that suggestions read as names and not as codes.
        candidates = [k for k in self.names if len(k) > 3]
        close = difflib.get_close_matches(key, candidates, n=6, cutoff=0.6)
        close += [k for k in candidates if key and len(key) > 3 and k.startswith(key)]
        suggestions: list[str] = []
        for match in close:
            label = display_name(self.names[match])
            if label not in suggestions:
                suggestions.append(label)
        raise UnknownCountryError(query, suggestions[:3])
