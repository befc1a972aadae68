"""Tables of the sourced facts for the notebooks: escaped HTML (addresses become links) and
plain text, both deterministic so nbval can compare them."""

from __future__ import annotations

import html

import pandas as pd

from workshop_lib.facts import loader as data
from workshop_lib.facts.status import format_day, instrument_totals


class Table:
    """A captioned table that displays as HTML and as text."""

    def __init__(self, frame: pd.DataFrame, caption: str):
        self.frame = frame.fillna("")
        self.caption = caption

    def _repr_html_(self) -> str:
        body = self.frame.to_html(index=False, escape=True, render_links=True, border=0)
        return f"<figure><figcaption>{html.escape(self.caption)}</figcaption>{body}</figure>"

    def __repr__(self) -> str:
        rows = [
            "; ".join(f"{k}: {v}" for k, v in row.items() if v != "")
            for row in self.frame.to_dict("records")
        ]
        return "\n".join([self.caption] + [f"- {r}" for r in rows])


def instruments_table() -> Table:
    """UNTOC and its Protocols: adoption, entry into force, UNTC chapter, source."""
    frame = data.load_instruments()
    shown = pd.DataFrame(
        {
            "Instrument": frame["title"],
            "Adopted by": frame["adopting_resolution"],
            "Adopted": frame["adoption_date"].map(format_day),
            "In force": frame["entry_into_force"].map(format_day),
            "UN Treaty Collection": frame["untc_chapter"],
            "Source": frame["source"],
        }
    )
    return Table(shown, "UNTOC and its three Protocols")


def totals_table() -> Table:
    """Parties per instrument in the project's table next to the UN Treaty Collection totals."""
    totals = instrument_totals()
    shown = pd.DataFrame(
        {
            "Instrument": totals["instrument"],
            "Parties in this table": totals["parties_in_table"],
            "Parties (UN Treaty Collection)": totals["reference_parties"],
            "As of": totals["reference_date"].map(format_day),
            "Missing from this table": totals["parties_missing_from_table"],
            "Source": totals["reference_source"],
        }
    )
    return Table(shown, "How many parties? The project's table and the UN Treaty Collection")


def regional_table() -> Table:
    """Regional instruments and processes."""
    frame = data.load_regional_instruments()
    shown = frame.rename(
        columns={
            "region": "Region",
            "instrument": "Instrument or process",
            "adopted": "Adopted",
            "in_force": "In force",
            "monitoring": "Monitoring or follow-up",
            "note": "Note",
            "source": "Source",
        }
    )
    return Table(shown, "Regional instruments and processes")


def developments_table() -> Table:
    """Recent international developments with their symbols and sources."""
    frame = data.load_developments()
    shown = pd.DataFrame(
        {
            "Date": [
                f"{d:%B %Y}" if p == "month" else format_day(d)
                for d, p in zip(frame["date"], frame["precision"], strict=True)
            ],
            "Development": frame["title"],
            "Symbol": frame["instrument"],
            "Source": frame["source"],
        }
    )
    return Table(shown, "Recent international developments")


def resources_table() -> Table:
    """The session description's key resource material, with years and addresses."""
    frame = data.load_resources()
    shown = frame.rename(
        columns={
            "title": "Resource",
            "publisher": "Publisher",
            "year_in_session_description": "Year (session description)",
            "address": "Address",
            "note": "Note",
            "source": "Source",
        }
    )
    return Table(shown, "Key resource material")
