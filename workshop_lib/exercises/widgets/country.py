"""The country card widget: choose a country, see its participation in UNTOC, TIP and SOM with
dates, type, as-of date and source."""

from __future__ import annotations

import functools

import pycountry

from workshop_lib.exercises.widgets import lean
from workshop_lib.exercises.widgets.base import Exercise
from workshop_lib.facts.cards import CountryCard, country_card
from workshop_lib.facts.countries import (
    NON_ISO_PARTICIPANTS,
    UnknownCountryError,
    display_name,
    normalise,
)
from workshop_lib.facts.status import country_status, resolve_country
from workshop_lib.i18n.catalog import _
from workshop_lib.responses.session import Session


@functools.cache
def country_options() -> tuple[tuple[str, str], ...]:
    """(name, code) for every ISO 3166-1 country and the EU, sorted by name."""
    codes = [c.alpha_3 for c in pycountry.countries] + list(NON_ISO_PARTICIPANTS)
    return tuple(sorted(((display_name(c), c) for c in codes), key=lambda o: normalise(o[0])))


class CountryPicker(Exercise):
    """A dropdown of countries and the chosen country's card; the choice is saved."""

    kind = "choice"

    def __init__(self, country: str = "", session: Session | None = None):
        super().__init__("country", session)
        self.dropdown = lean.Dropdown(
            options=[(_("Choose a country…"), "")] + list(country_options()),
            value="",
            description=_("Country"),
        )
        self.card = lean.HTML()
        self.root = lean.VBox([self.dropdown, self.card, self.status])
        self.initial_message = ""
        code = ""
        if country.strip():
            try:
                code = resolve_country(country)
            except UnknownCountryError as exc:
                self.initial_message = str(exc)
                self.show_status(self.initial_message, ok=False)
        else:
            saved = self.saved_answer()
            code = saved.get("country", "") if isinstance(saved, dict) else ""
        if code in dict((c, n) for n, c in country_options()):
            self.dropdown.value = code
        self._render()
        self.dropdown.observe(self._changed, names="value")

    def _render(self) -> None:
        code = self.dropdown.value
        self.card.value = CountryCard(country_status(code))._repr_html_() if code else ""

    def _changed(self, _change=None) -> None:
        self._render()
        if self.dropdown.value:
            self.save({"country": self.dropdown.value}, new_attempt=False)

    def plain_text(self) -> str:
        if self.dropdown.value:
            return repr(country_card(self.dropdown.value))
        return self.initial_message or _("Country card: choose a country from the list.")

    def static_html(self) -> str:
        if self.dropdown.value:
            return country_card(self.dropdown.value)._repr_html_()
        return super().static_html()
