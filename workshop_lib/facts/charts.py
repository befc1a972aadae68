"""Charts made offline with matplotlib. Each chart displays as a PNG with a text description
(its title and what it shows), which is also what nbval compares and a screen reader reads."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from workshop_lib.facts import loader as data
from workshop_lib.facts.status import TABLE_INSTRUMENTS, instrument_totals

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def new_figure(width: float, height: float) -> Figure:
    """A matplotlib figure, imported on first use (matplotlib takes a third of a second)."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


@dataclass
class Chart:
    """A figure with the sentence that describes it."""

    figure: Figure
    description: str

    def png(self) -> bytes:
        """The chart as PNG bytes."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
        return buffer.getvalue()

    def _repr_mimebundle_(self, **kwargs):
        return {"image/png": self.png(), "text/plain": self.description}

    def __repr__(self) -> str:
        return self.description


def parties_over_time() -> Chart:
    """Cumulative number of parties per instrument by date of ratification or accession."""
    table = data.load_ratification()
    names = data.load_instruments().set_index("id")["short_name"]
    totals = instrument_totals().set_index("instrument")
    figure = new_figure(9, 4.8)
    axes = figure.subplots()
    undated = {}
    for instrument in TABLE_INSTRUMENTS:
        parties = table[(table["instrument"] == instrument) & (table["status"] == "party")]
        dated = parties["action_date"].dropna().sort_values()
        undated[instrument] = len(parties) - len(dated)
        counts = pd.Series(range(1, len(dated) + 1), index=dated.values)
        axes.step(counts.index, counts.values, where="post", label=names[instrument])
        ref = totals.loc[instrument]
        axes.scatter([ref["reference_date"]], [ref["reference_parties"]], marker="*", s=80)
    axes.set_title("Parties to UNTOC and its Protocols over time (dated rows of the table)")
    axes.set_xlabel("Date of ratification, accession, acceptance, approval or succession")
    axes.set_ylabel("Number of parties")
    axes.grid(alpha=0.3)
    axes.legend(loc="lower right")
    gaps = ", ".join(f"{i} {n}" for i, n in undated.items())
    figure.text(
        0.01,
        -0.06,
        f"Stars: UN Treaty Collection totals (2024). Parties without a recorded date: {gaps}. "
        "Sources: project ratification table (UNTC 2014 scrape plus later sources).",
        fontsize=8,
    )
    description = (
        "Chart: parties to UNTOC, the TIP Protocol and the SOM Protocol over time, "
        f"from the dated rows of the ratification table; undated parties: {gaps}."
    )
    return Chart(figure, description)


def developments_timeline() -> Chart:
    """The recent international developments, one row each, placed on a time axis."""
    developments = data.load_developments().sort_values("date", ascending=False)
    figure = new_figure(9, 0.8 + 0.42 * len(developments))
    axes = figure.subplots()
    labels = [
        f"{row.label} ({row.date:%b %Y})"
        if row.precision != "year"
        else f"{row.label} ({row.date:%Y})"
        for row in developments.itertuples()
    ]
    positions = range(len(developments))
    axes.hlines(positions, developments["date"].min(), developments["date"], color="#cccccc")
    axes.plot(developments["date"], positions, "o", color="#1f5f8b")
    axes.set_yticks(list(positions), labels)
    axes.set_title("Recent international developments against trafficking and smuggling")
    axes.set_xlabel("Year")
    axes.grid(axis="x", alpha=0.3)
    for side in ("right", "top"):
        axes.spines[side].set_visible(False)
    description = "Chart: time line of " + "; ".join(reversed(labels))
    return Chart(figure, description + ".")


def bar_chart(counts: pd.Series, title: str, xlabel: str) -> Chart:
    """A horizontal bar chart of `counts` (index: answer, value: how many)."""
    figure = new_figure(7, 0.5 + 0.45 * max(len(counts), 1))
    axes = figure.subplots()
    labels = [str(i) for i in counts.index]
    axes.barh(labels, counts.values, color="#1f5f8b")
    axes.invert_yaxis()
    axes.set_title(title)
    axes.set_xlabel(xlabel)
    for y, value in enumerate(counts.values):
        axes.text(value, y, f" {value}", va="center", fontsize=8)
    listing = ", ".join(
        f"{label}: {value}" for label, value in zip(labels, counts.values, strict=True)
    )
    return Chart(figure, f"Chart: {title}. {listing or 'no answers yet'}.")


def stacked_chart(table: pd.DataFrame, title: str, xlabel: str) -> Chart:
    """Horizontal stacked bars: one bar per row of `table`, one segment per column."""
    figure = new_figure(9, 0.8 + 0.45 * max(len(table), 1))
    axes = figure.subplots()
    left = pd.Series(0, index=table.index, dtype="int64")
    for column in table.columns:
        axes.barh([str(i) for i in table.index], table[column], left=left, label=str(column))
        left = left + table[column]
    axes.invert_yaxis()
    axes.set_title(title)
    axes.set_xlabel(xlabel)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    rows = "; ".join(
        f"{index}: " + ", ".join(f"{c} {int(v)}" for c, v in row.items())
        for index, row in table.iterrows()
    )
    return Chart(figure, f"Chart: {title}. {rows or 'no answers yet'}.")
