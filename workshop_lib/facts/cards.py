"""The country status card: a country's participation in UNTOC, TIP and SOM, with sources.

A card is a plain display object: it renders as HTML in JupyterLab and in exported HTML (a
labelled region, a `div` rather than a `section`, so a slide deck does not take it for a
slide), and as deterministic text elsewhere (nbval compares that text). Each instrument's
status is a sentence that says what it means; sources are named by their authority, document
and date, and linked where an address is known; facts the table cannot hold follow as notes
with their own sources.
Bad input becomes a one-sentence card, never a traceback.

`CountryCard.slide_html()` is the short form for a slide of its own (one line per instrument),
whose details stay in the full card.
"""

from __future__ import annotations

import html

from workshop_lib.dates import MONTHS, format_day
from workshop_lib.facts.countries import UnknownCountryError
from workshop_lib.facts.status import (
    Citation,
    CountryStatus,
    InstrumentStatus,
    country_status,
)
from workshop_lib.messages import Message

__all__ = ["STATUS_WORDS", "CountryCard", "Message", "citation_html", "country_card"]

# The status in a word or two, where a sentence does not fit (the checklist's answer line).
STATUS_WORDS = {
    "party": "Party",
    "signatory": "Signatory, not a party",
    "not party": "Not a party",
}


def citation_html(citation: Citation) -> str:
    """A source as escaped HTML: its words, as a link when its address is known."""
    text = html.escape(citation.text)
    if not citation.url:
        return text
    return f'<a href="{html.escape(citation.url)}" target="_blank" rel="noopener">{text}</a>'


def _sources_html(citations: tuple[Citation, ...]) -> str:
    return "; ".join(citation_html(c) for c in citations)


def _month(item: InstrumentStatus) -> str:
    """The month and year of the status (as-of date), for the short form: 'January 2014'."""
    if item.as_of is None:
        return ""
    return f"{MONTHS[item.as_of.month - 1]} {item.as_of.year}"


def short_status(item: InstrumentStatus) -> str:
    """The status in a few words for a slide: 'Party, accession, 16 June 2004'."""
    if item.status == "signatory":
        return f"Signatory only ({_month(item)})"
    if item.status != "party":
        return f"Not a party ({_month(item)})"
    if not item.action_type and not item.action_date:
        return "Party, date and type not given"
    kind = item.action_type or "type not given"
    when = format_day(item.action_date) if item.action_date else "date not given"
    return f"Party, {kind}, {when}"


class CountryCard:
    """The status card of one country (see `country_card`)."""

    def __init__(self, status: CountryStatus):
        self.status = status

    def __repr__(self) -> str:
        out = [f"Country card: {self.status.name} ({self.status.code})"]
        for item in self.status.instruments:
            out.append(f"- {item.instrument_name}")
            out.append(f"  {item.summary}")
            out.append(f"  Source: {item.source}.")
            if item.caveat:
                out.append(f"  Note: {item.caveat}")
            out += [f"  Also: {note}." for note in item.later_evidence]
        return "\n".join(out)

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = []
        for item in self.status.instruments:
            notes = f"<p>{esc(item.caveat)}</p>" if item.caveat else ""
            notes += "".join(
                f"<p>{esc(note.text)} <span class='source'>(Source: "
                f"{_sources_html(note.sources)})</span></p>"
                for note in item.later_evidence
            )
            rows.append(
                "<tr>"
                f"<th scope='row'>{esc(item.instrument_name)}</th>"
                f"<td><p><strong>{esc(item.summary)}</strong></p>{notes}</td>"
                f"<td>{_sources_html(item.sources)}</td>"
                "</tr>"
            )
        return (
            f"<div class='workshop-country-card' role='region' "
            f"data-country='{esc(self.status.code)}' "
            f"aria-label='Country card: {esc(self.status.name)}'>"
            f"<h4>{esc(self.status.name)} ({esc(self.status.code)})</h4>"
            "<table><thead><tr><th scope='col'>Instrument</th><th scope='col'>Status</th>"
            "<th scope='col'>Source</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        )

    def slide_html(self) -> str:
        """The card for a slide of its own: a heading and one short line per instrument, a star
        where the full card has later facts, and the sources by authority (the sentences, dates
        of the sources and notes stay in the full card)."""
        esc = html.escape
        items = self.status.instruments
        lines = "".join(
            f"<li><strong>{esc(item.instrument)}</strong>: {esc(short_status(item))}"
            f"{' *' if item.later_evidence else ''}</li>"
            for item in items
        )
        authorities = {c.authority for item in items for c in item.sources}
        named = f"Source: {authorities.pop()}. " if len(authorities) == 1 else ""
        what = "Dates and sources"
        if any(item.later_evidence for item in items):
            what = "Dates, sources and later facts (*)"
        return (
            f"<div class='workshop-country-slide' role='region' "
            f"data-country='{esc(self.status.code)}' "
            f"aria-label='Country card: {esc(self.status.name)}'>"
            f"<h2>Your country: {esc(self.status.name)}</h2><ul>{lines}</ul>"
            f"<p class='source'>{esc(named)}{what}: the full card in your notebook.</p>"
            "</div>"
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
