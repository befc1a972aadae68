"""Country names and codes: turn what a person types into one ISO 3166-1 alpha-3 code.

Names come from pycountry (ISO 3166-1 names, official and common names, alpha-2 and alpha-3
codes), from the participant names used in the ratification table, and from the aliases in
`data/country_aliases.csv`. Matching ignores case, accents and the kind of apostrophe, so
"Cote d'Ivoire", "côte d’ivoire" and "CIV" all give the same code.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pycountry

from workshop_lib.errors import WorkshopError

# Participants in the instruments that have no ISO 3166-1 alpha-3 code of their own.
NON_ISO_PARTICIPANTS = {"EUU": "European Union"}


class UnknownCountryError(WorkshopError, LookupError):
    """Raised when a name or code matches no country; the message suggests the closest names."""

    def __init__(self, query: str, suggestions: list[str]):
        self.query = query
        self.suggestions = suggestions
        if suggestions:
            hint = " Did you mean " + _join_or(suggestions) + "?"
        else:
            hint = " Try the English name or the ISO code, for example 'Kenya' or 'KEN'."
        super().__init__(f"We could not find a country called '{query}'.{hint}")


def _join_or(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def normalise(text: str) -> str:
    """Fold case and accents and drop spaces and punctuation, so that spellings of one name
    compare equal: "Côte d'Ivoire", "cote d ivoire" and "COTE D’IVOIRE" all give "cotedivoire"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in stripped.casefold() if ch.isalnum())


def known_code(code: str) -> bool:
    """True when `code` is an ISO 3166-1 alpha-3 code (or a listed non-ISO participant)."""
    return code in NON_ISO_PARTICIPANTS or pycountry.countries.get(alpha_3=code) is not None


def display_name(code: str) -> str:
    """The English short name of a country code: the ISO name ('Viet Nam'), or the common name
    where the ISO name is inverted ('Bolivia' for 'Bolivia, Plurinational State of')."""
    if code in NON_ISO_PARTICIPANTS:
        return NON_ISO_PARTICIPANTS[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise UnknownCountryError(code, [])
    if "," in country.name:
        return getattr(country, "common_name", None) or country.name
    return country.name


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
        """Index pycountry's names plus `extra_names` (name -> code), most exact names first."""
        index = cls()
        short: dict[str, set[str]] = {}
        for country in pycountry.countries:
            code = country.alpha_3
            spellings = [country.alpha_3, country.alpha_2, country.name]
            spellings += [getattr(country, a, None) for a in ("official_name", "common_name")]
            for spelling in filter(None, spellings):
                index.add(spelling, code)
                for form in _short_forms(spelling):
                    short.setdefault(normalise(form), set()).add(code)
        for code, name in NON_ISO_PARTICIPANTS.items():
            index.add(code, code)
            index.add(name, code)
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
