"""The country status card: a country's participation in UNTOC, TIP and SOM, with sources.

A card is a plain display object: it renders as HTML in JupyterLab and in exported HTML (a
labelled region, a `div` rather than a `section`, so a slide deck does not take it for a
slide), and as deterministic text elsewhere (nbval compares that text). Each instrument's
status is a sentence that says what it means; sources are named by their authority, document
and date, and linked where an address is known; facts the table cannot hold follow as notes
with their own sources.
Bad input becomes a one-sentence card, never a traceback.

`CountryCard.slide_html()` is the short form for a slide of its own (one line per instrument),
whose details stay in the full card. Everything is written in the current language when the
card is shown (country name, sentences, dates, labels).
"""

from __future__ import annotations

import html

from workshop_lib.dates import format_day, format_month
from workshop_lib.facts.countries import UnknownCountryError, display_name
from workshop_lib.facts.status import (
    Citation,
    CountryStatus,
    InstrumentStatus,
    action_type_words,
    country_status,
)
from workshop_lib.i18n.catalog import N_, _
from workshop_lib.messages import Message

__all__ = [
    "STATUS_WORDS",
    "CountryCard",
    "Message",
    "citation_html",
    "country_card",
    "status_word",
]

# The status in a word or two, where a sentence does not fit (the checklist's answer line).
# English msgids: show them with `status_word()` (or `_()`).
STATUS_WORDS = {
    "party": N_("Party"),
    "signatory": N_("Signatory, not a party"),
    "not party": N_("Not a party"),
}


def status_word(status: str) -> str:
    """A status ('party', 'signatory', 'not party') in a word or two, in the current language."""
    return _(STATUS_WORDS[status])


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
    return format_month(item.as_of)


def short_status(item: InstrumentStatus) -> str:
    """The status in a few words for a slide: 'Party, accession, 16 June 2004'."""
    if item.status == "signatory":
        return _("Signatory only ({month})").format(month=_month(item))
    if item.status != "party":
        return _("Not a party ({month})").format(month=_month(item))
    if not item.action_type and not item.action_date:
        return _("Party, date and type not given")
    kind = action_type_words(item.action_type) if item.action_type else _("type not given")
    when = format_day(item.action_date) if item.action_date else _("date not given")
    return _("Party, {kind}, {date}").format(kind=kind, date=when)


def _source_label(citations: tuple[Citation, ...]) -> str:
    """'Source: <the sources, linked>' as HTML, in the current language."""
    label = html.escape(_("Source: {sources}"))
    return label.replace("{sources}", _sources_html(citations))


def _name(status: CountryStatus) -> str:
    """The country's name in the current language (the status keeps the one it was made in)."""
    try:
        return display_name(status.code)
    except UnknownCountryError:
        return status.name


class CountryCard:
    """The status card of one country (see `country_card`)."""

    def __init__(self, status: CountryStatus):
        self.status = status

    def __repr__(self) -> str:
        out = [
            _("Country card: {country} ({code})").format(
                country=_name(self.status), code=self.status.code
            )
        ]
        for item in self.status.instruments:
            out.append(f"- {item.instrument_name}")
            out.append(f"  {item.summary}")
            out.append("  " + _("Source: {source}.").format(source=item.source))
            if item.caveat:
                out.append("  " + _("Note: {note}").format(note=item.caveat))
            out += ["  " + _("Also: {note}.").format(note=note) for note in item.later_evidence]
        return "\n".join(out)

    def _repr_html_(self) -> str:
        esc = html.escape
        name = _name(self.status)
        rows = []
        for item in self.status.instruments:
            notes = f"<p>{esc(item.caveat)}</p>" if item.caveat else ""
            notes += "".join(
                f"<p>{esc(note.text)} <span class='source'>({_source_label(note.sources)})"
                "</span></p>"
                for note in item.later_evidence
            )
            rows.append(
                "<tr>"
                f"<th scope='row'>{esc(item.instrument_name)}</th>"
                f"<td><p><strong>{esc(item.summary)}</strong></p>{notes}</td>"
                f"<td>{_sources_html(item.sources)}</td>"
                "</tr>"
            )
        label = _("Country card: {country}").format(country=name)
        headers = "".join(
            f"<th scope='col'>{esc(header)}</th>"
            for header in (_("Instrument"), _("Status"), _("Source"))
        )
        return (
            f"<div class='workshop-country-card' role='region' "
            f"data-country='{esc(self.status.code)}' "
            f"aria-label='{esc(label)}'>"
            f"<h4>{esc(name)} ({esc(self.status.code)})</h4>"
            f"<table><thead><tr>{headers}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
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
        named = ""
        if len(authorities) == 1:
            named = _("Source: {source}.").format(source=authorities.pop()) + " "
        if any(item.later_evidence for item in items):
            where = _("Dates, sources and later facts (*): the full card in your notebook.")
        else:
            where = _("Dates and sources: the full card in your notebook.")
        name = _name(self.status)
        label = _("Country card: {country}").format(country=name)
        heading = _("Your country: {country}").format(country=name)
        return (
            f"<div class='workshop-country-slide' role='region' "
            f"data-country='{esc(self.status.code)}' "
            f"aria-label='{esc(label)}'>"
            f"<h2>{esc(heading)}</h2><ul>{lines}</ul>"
            f"<p class='source'>{esc(named)}{esc(where)}</p>"
            "</div>"
        )


def country_card(country: str) -> CountryCard | Message:
    """The status card for `country`; a one-sentence message when it is empty or unknown."""
    if not country or not country.strip():
        return Message(
            _(
                "No country chosen yet: your trainer sets it for the cohort, "
                "or choose one in the country card of the exercises."
            )
        )
    try:
        return CountryCard(country_status(country))
    except UnknownCountryError as exc:
        return Message(str(exc))
