"""The fact charts as notebooks show them: SVG files drawn at build time and committed in
`data/charts/` (see `charts.py`), each with the sentence that describes it.

A chart displays as its SVG with its description as the text alternative (the text that nbval
compares, a screen reader reads and a text-only reader sees); the SVG carries the same sentence
as its title. Showing a chart reads a file and a few data rows: no matplotlib and no pandas in a
participant's kernel. A missing chart file becomes a one-sentence message, never a traceback.

Each language has its own drawing: the English charts are `data/charts/<name>.svg`, the French
ones `data/charts/fr/<name>.svg` (labels, dates and description in French); a notebook shows
the chart of its language.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workshop_lib.dates import format_month, format_year
from workshop_lib.facts import reader
from workshop_lib.facts.rows import DevelopmentRow, RatificationRow
from workshop_lib.facts.status import TABLE_INSTRUMENTS
from workshop_lib.i18n.catalog import _, language
from workshop_lib.i18n.languages import DEFAULT
from workshop_lib.messages import Message

CHARTS_FOLDER = "charts"  # inside the data folder


@dataclass(frozen=True)
class SvgChart:
    """A committed chart: its name, its SVG text and the sentence that describes it."""

    name: str
    svg: str
    description: str

    def _repr_mimebundle_(self, **kwargs) -> dict[str, str]:
        return {"image/svg+xml": self.svg, "text/plain": self.description}

    def __repr__(self) -> str:
        return self.description


def charts_dir(folder: Path | None = None, lang: str | None = None) -> Path:
    """The folder of the committed chart files in the current language (or `lang`):
    `data/charts/` for English, `data/charts/<code>/` for another language."""
    base = reader.resolved(folder) / CHARTS_FOLDER
    code = lang or language()
    return base if code == DEFAULT else base / code


def undated_parties(folder: Path | None = None) -> dict[str, int]:
    """Per instrument, the parties whose row has no date of ratification or accession."""
    rows: list[RatificationRow] = reader.rows("ratification", folder)
    return {
        instrument: sum(
            r.instrument == instrument and r.status == "party" and r.action_date is None
            for r in rows
        )
        for instrument in TABLE_INSTRUMENTS
    }


def undated_text(folder: Path | None = None) -> str:
    """The undated parties as the chart and its description list them: 'UNTOC 1, TIP 14, ...'."""
    return ", ".join(f"{i} {n}" for i, n in undated_parties(folder).items())


def parties_over_time_description(folder: Path | None = None) -> str:
    """The sentence that describes the parties-over-time chart."""
    return _(
        "Chart: parties to UNTOC, the TIP Protocol and the SOM Protocol over time, "
        "counting each State from the date of its ratification, acceptance, approval or "
        "accession; parties whose date is not recorded here: {undated}."
    ).format(undated=undated_text(folder))


def development_label(row: DevelopmentRow) -> str:
    """A development as the time line labels it: 'SC res. 2331 (Dec 2016)'."""
    when = format_year(row.date) if row.precision == "year" else format_month(row.date, True)
    return f"{row.label} ({when})"


def developments_newest_first(folder: Path | None = None) -> list[DevelopmentRow]:
    """The developments from the newest to the oldest (the time line's rows, top to bottom)."""
    rows: list[DevelopmentRow] = reader.rows("developments", folder)
    return sorted(rows, key=lambda r: r.date, reverse=True)


def developments_timeline_description(folder: Path | None = None) -> str:
    """The sentence that describes the developments time line (oldest first)."""
    labels = [development_label(r) for r in reversed(developments_newest_first(folder))]
    return _("Chart: time line of {developments}.").format(developments="; ".join(labels))


DESCRIPTIONS = {
    "parties_over_time": parties_over_time_description,
    "developments_timeline": developments_timeline_description,
}


def chart_file(name: str, folder: Path | None = None, lang: str | None = None) -> Path:
    """Where the chart `name` (a key of DESCRIPTIONS) in the current language (or `lang`) is
    committed."""
    return charts_dir(folder, lang) / f"{name}.svg"


def committed_chart(name: str, folder: Path | None = None) -> SvgChart | Message:
    """The committed chart `name` with its description; a one-sentence message if its file is
    missing."""
    path = chart_file(name, folder)
    try:
        svg = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        relative = path.relative_to(reader.resolved(folder)).as_posix()
        return Message(
            _(
                "This chart could not be shown: the file {file} is missing from the data folder "
                "(python -m workshop_lib.facts.charts draws it)."
            ).format(file=relative)
        )
    return SvgChart(name, svg, DESCRIPTIONS[name](folder))


def parties_over_time() -> SvgChart | Message:
    """Cumulative number of parties per instrument by date of ratification or accession."""
    return committed_chart("parties_over_time")


def developments_timeline() -> SvgChart | Message:
    """The recent international developments, one row each, placed on a time axis."""
    return committed_chart("developments_timeline")
