"""Tables of the sourced facts for the notebooks: escaped HTML (addresses become links) and
plain text, both deterministic so nbval can compare them.

Built from the validated rows of `reader.py`, without pandas: these run in participants'
kernels. The HTML is the markup pandas' `DataFrame.to_html(index=False, escape=True,
render_links=True, border=0)` wrote before, so stored notebook outputs keep their shape.
Column headers, captions and dates are in the current language, and so are the rows of the
translated data files (`data/<code>/`).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlparse, uses_netloc, uses_params, uses_relative

from workshop_lib.dates import format_day, format_known
from workshop_lib.facts import reader
from workshop_lib.facts.rows import (
    DefinitionRow,
    DevelopmentRow,
    InstrumentRow,
    RegionalInstrumentRow,
    ResourceRow,
)
from workshop_lib.facts.status import totals
from workshop_lib.i18n.catalog import _

LINK_SCHEMES = set(uses_relative + uses_netloc + uses_params) - {""}


@dataclass(frozen=True)
class Link:
    """A cell that shows `text` and links to `url` (plain text when `url` is empty)."""

    text: str
    url: str = ""

    def __str__(self) -> str:
        return self.text


Cell = str | int | Link | None


def _is_link(text: str) -> bool:
    return urlparse(text).scheme in LINK_SCHEMES


def _cell(kind: str, value: Cell, links: bool) -> str:
    if isinstance(value, Link) and value.url:
        href = html.escape(value.url)
        shown = html.escape(value.text, quote=False)
        return f'      <{kind}><a href="{href}" target="_blank">{shown}</a></{kind}>'
    text = "" if value is None else str(value).strip()
    shown = html.escape(text, quote=False).replace("  ", "&nbsp;&nbsp;")
    if links and _is_link(shown):
        href = text.replace('"', "&quot;")
        shown = f'<a href="{href}" target="_blank">{shown}</a>'
    return f"      <{kind}>{shown}</{kind}>"


class Table:
    """A captioned table (column names and rows of cells) that displays as HTML and as text.

    An empty cell (None or "") is left blank; a cell holding an http(s) address becomes a link.
    """

    def __init__(self, columns: Sequence[str], rows: Sequence[Sequence[Cell]], caption: str):
        self.columns = list(columns)
        self.rows = [["" if v is None else v for v in row] for row in rows]
        self.caption = caption

    def records(self) -> list[dict[str, Cell]]:
        """The rows as dicts from column name to cell."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def html_table(self) -> str:
        """The table alone, as HTML."""
        lines = ['<table class="dataframe">', "  <thead>", '    <tr style="text-align: right;">']
        lines += [_cell("th", column, links=False) for column in self.columns]
        lines += ["    </tr>", "  </thead>", "  <tbody>"]
        for row in self.rows:
            lines += ["    <tr>", *(_cell("td", value, links=True) for value in row), "    </tr>"]
        lines += ["  </tbody>", "</table>"]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        caption = f"<figcaption>{html.escape(self.caption)}</figcaption>"
        return f"<figure>{caption}{self.html_table()}</figure>"

    def __repr__(self) -> str:
        rows = [
            "; ".join(
                _("{label}: {entries}").format(label=k, entries=v)
                for k, v in record.items()
                if v != ""
            )
            for record in self.records()
        ]
        return "\n".join([self.caption] + [f"- {r}" for r in rows])


def instruments_table() -> Table:
    """UNTOC and its Protocols: adoption, entry into force, UNTC chapter, source."""
    rows: list[InstrumentRow] = reader.rows("instruments")
    return Table(
        [
            _("Instrument"),
            _("Adopted by"),
            _("Adopted"),
            _("In force"),
            _("UN Treaty Collection"),
            _("Source"),
        ],
        [
            [
                r.title,
                r.adopting_resolution,
                format_day(r.adoption_date),
                format_day(r.entry_into_force),
                r.untc_chapter,
                r.source,
            ]
            for r in rows
        ],
        _("UNTOC and its three Protocols"),
    )


def totals_table() -> Table:
    """Parties per instrument in the project's table next to the UN Treaty Collection totals."""
    return Table(
        [
            _("Instrument"),
            _("Parties in this table"),
            _("Parties (UN Treaty Collection)"),
            _("As of"),
            _("Missing from this table"),
            _("Source"),
        ],
        [
            [
                t.instrument,
                t.parties_in_table,
                t.reference_parties,
                format_day(t.reference_date),
                t.parties_missing_from_table,
                Link(t.reference_citation.text, t.reference_citation.url),
            ]
            for t in totals()
        ],
        _("How many parties? This workshop's table and the UN Treaty Collection"),
    )


def regional_table() -> Table:
    """Regional instruments and processes."""
    rows: list[RegionalInstrumentRow] = reader.rows("regional_instruments")
    return Table(
        [
            _("Region"),
            _("Instrument or process"),
            _("Adopted"),
            _("In force"),
            _("Monitoring or follow-up"),
            _("Note"),
            _("Source"),
        ],
        [
            [r.region, r.instrument, r.adopted, r.in_force, r.monitoring, r.note, r.source]
            for r in rows
        ],
        _("Regional instruments and processes"),
    )


def developments_table() -> Table:
    """Recent international developments with their symbols and sources."""
    rows: list[DevelopmentRow] = reader.rows("developments")
    return Table(
        [_("Date"), _("Development"), _("Symbol"), _("Source")],
        [[format_known(r.date, r.precision), r.title, _symbol(r.symbol), r.source] for r in rows],
        _("Recent international developments"),
    )


def _symbol(symbol: str) -> str:
    """A document symbol as shown: 'none' (no symbol) in the current language."""
    return _("none") if symbol.lower() == "none" else symbol


def resources_table() -> Table:
    """The session description's key resource material, with years and addresses."""
    rows: list[ResourceRow] = reader.rows("resources")
    return Table(
        [
            _("Resource"),
            _("Publisher"),
            _("Year (session description)"),
            _("Address"),
            _("Note"),
            _("Source"),
        ],
        [
            [r.title, r.publisher, r.year_in_session_description, r.address, r.note, r.source]
            for r in rows
        ],
        _("Key resource material"),
    )


def definitions_table() -> Table:
    """The key treaty definitions, quoted word for word (in French from the authentic French
    texts), with their articles and sources."""
    rows: list[DefinitionRow] = reader.rows("definitions")
    names = {r.id: r.short_name for r in reader.rows("instruments")}
    return Table(
        [_("Instrument"), _("Article"), _("Term"), _("Definition"), _("Source")],
        [[names[r.instrument], r.article, r.term, r.text, r.source] for r in rows],
        _("Key definitions"),
    )
