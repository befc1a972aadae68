"""The country status card: a country's participation in UNTOC, TIP and SOM, with sources.

A card is a plain display object: it renders as HTML in JupyterLab and in exported HTML, and as
deterministic text elsewhere (nbval compares that text). Bad input becomes a one-sentence card,
never a traceback.
"""

from __future__ import annotations

import datetime as dt
import html

from workshop_lib.dates import format_day
from workshop_lib.facts.countries import UnknownCountryError
from workshop_lib.facts.status import CountryStatus, InstrumentStatus, country_status
from workshop_lib.messages import Message

__all__ = ["STATUS_WORDS", "CountryCard", "Message", "country_card"]

STATUS_WORDS = {
    "party": "Party",
    "signatory": "Signatory (not yet a party in the source)",
    "not party": "Not a party in this table",
}


def _date(value: dt.date | None) -> str:
    return format_day(value) if value is not None else "date not recorded"


def _action(item: InstrumentStatus) -> str:
    if item.status == "signatory":
        return f"signed {_date(item.signature_date)}"
    if item.status != "party":
        return "no signature or party record"
    kind = item.action_type or "type not stated by the source"
    signed = f"; signed {_date(item.signature_date)}" if item.signature_date is not None else ""
    return f"{kind}, {_date(item.action_date)}{signed}"


class CountryCard:
    """The status card of one country (see `country_card`)."""

    def __init__(self, status: CountryStatus):
        self.status = status

    def _lines(self) -> list[tuple[InstrumentStatus, str, str]]:
        return [
            (item, STATUS_WORDS[item.status], _action(item)) for item in self.status.instruments
        ]

    def __repr__(self) -> str:
        out = [f"Country card: {self.status.name} ({self.status.code})"]
        for item, word, action in self._lines():
            out.append(f"- {item.instrument_name}: {word}; {action}")
            out.append(f"  as of {_date(item.as_of)}; source {item.source}")
            if item.caveat:
                out.append(f"  Note: {item.caveat}")
            out += [f"  Later evidence: {line}" for line in item.later_evidence]
        return "\n".join(out)

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = []
        for item, word, action in self._lines():
            notes = f"<p>{esc(item.caveat)}</p>" if item.caveat else ""
            notes += "".join(f"<p>Later evidence: {esc(e)}</p>" for e in item.later_evidence)
            rows.append(
                "<tr>"
                f"<th scope='row'>{esc(item.instrument_name)}</th>"
                f"<td><strong>{esc(word)}</strong><br>{esc(action)}</td>"
                f"<td>{esc(_date(item.as_of))}</td>"
                f"<td><abbr title='{esc(item.source_description)}'>{esc(item.source)}</abbr></td>"
                f"<td>{notes}</td>"
                "</tr>"
            )
        return (
            f"<section class='workshop-country-card' aria-label='Country card: "
            f"{esc(self.status.name)}'>"
            f"<h4>{esc(self.status.name)} ({esc(self.status.code)})</h4>"
            "<table><thead><tr><th scope='col'>Instrument</th><th scope='col'>Status</th>"
            "<th scope='col'>As of</th><th scope='col'>Source</th><th scope='col'>Notes</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
        )


def country_card(country: str) -> CountryCard | Message:
    """The status card for `country`; a one-sentence message when it is empty or unknown."""
    if not country or not country.strip():
        return Message(
            "No country chosen yet: your trainer sets it for the cohort, "
            "or choose one in the country card of the exercises."
        )
    try:
        return CountryCard(country_status(country))
    except UnknownCountryError as exc:
        return Message(str(exc))
