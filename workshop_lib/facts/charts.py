"""The fact charts (parties over time, the developments time line), drawn with matplotlib at
build time and committed as SVG files in `data/charts/`; notebooks show those files (see
`figures.py`) and never import this module, so a participant's kernel holds no matplotlib.

Redraw them after changing the data: `python -m workshop_lib.facts.charts` (or `make charts`);
`--check` only lists the charts whose committed file is out of date (a test does the same). The
SVG is deterministic: matplotlib's default style, fixed `svg.hashsalt`, text kept as text, no
date or version in its metadata, and the chart's description as its title.

Every chart is drawn in every language of the workshop: English in `data/charts/<name>.svg`,
another language in `data/charts/<code>/<name>.svg`, with its labels, dates, data (the
translated files of `data/<code>/`) and description in that language.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import io
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workshop_lib.facts import reader
from workshop_lib.facts.figures import (
    chart_file,
    development_label,
    developments_newest_first,
    developments_timeline_description,
    parties_over_time_description,
    undated_text,
)
from workshop_lib.facts.rows import InstrumentRow, RatificationRow
from workshop_lib.facts.status import TABLE_INSTRUMENTS, totals
from workshop_lib.i18n.catalog import _, language, use
from workshop_lib.i18n.languages import DEFAULT, LANGUAGES

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Text stays text (smaller files, readable and searchable); ids are salted, not random.
SVG_SETTINGS = {"svg.hashsalt": "tipsom-workshop", "svg.fonttype": "none"}
SVG_METADATA = {"Date": None, "Creator": None}  # nothing that changes from run to run


def new_figure(width: float, height: float) -> Figure:
    """A matplotlib figure, imported on first use (matplotlib takes a third of a second)."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def svg_with_title(svg: str, description: str) -> str:
    """The SVG with `description` as its accessible title, right after the opening tag."""
    start = svg.index("<svg")
    end = svg.index(">", start) + 1
    return f"{svg[:end]}\n <title>{html.escape(description, quote=False)}</title>{svg[end:]}"


@dataclass
class Chart:
    """A figure with the sentence that describes it."""

    figure: Figure
    description: str

    def svg(self) -> str:
        """The chart as SVG text, the same on every run, with the description as its title."""
        from matplotlib import rc_context

        buffer = io.StringIO()
        with rc_context(SVG_SETTINGS):
            self.figure.savefig(buffer, format="svg", bbox_inches="tight", metadata=SVG_METADATA)
        return svg_with_title(buffer.getvalue(), self.description)

    def __repr__(self) -> str:
        return self.description


def draw_parties_over_time(folder: Path | None = None) -> Chart:
    """Cumulative number of parties per instrument by date of ratification or accession."""
    rows: list[RatificationRow] = reader.rows("ratification", folder)
    instruments: list[InstrumentRow] = reader.rows("instruments", folder)
    names = {row.id: row.short_name for row in instruments}
    reference = {total.instrument: total for total in totals(folder)}
    figure = new_figure(9, 4.8)
    axes = figure.subplots()
    for instrument in TABLE_INSTRUMENTS:
        dated = sorted(
            r.action_date
            for r in rows
            if r.instrument == instrument and r.status == "party" and r.action_date
        )
        axes.step(dated, range(1, len(dated) + 1), where="post", label=names[instrument])
        ref = reference[instrument]
        axes.scatter([ref.reference_date], [ref.reference_parties], marker="*", s=80)
    axes.set_title(_("Parties to UNTOC and its Protocols over time (States with a recorded date)"))
    axes.set_xlabel(_("Date of ratification, accession, acceptance, approval or succession"))
    axes.set_ylabel(_("Number of parties"))
    axes.grid(alpha=0.3)
    axes.legend(loc="lower right")
    figure.text(
        0.01,
        -0.06,
        _(
            "Stars: UN Treaty Collection totals (2024). Parties without a recorded date: "
            "{undated}. Sources: UN Treaty Collection status tables (2014, 2024) and later "
            "sources, named in each country card."
        ).format(undated=undated_text(folder)),
        fontsize=8,
    )
    return Chart(figure, parties_over_time_description(folder))


def draw_developments_timeline(folder: Path | None = None) -> Chart:
    """The recent international developments, one row each, placed on a time axis."""
    developments = developments_newest_first(folder)
    dates = [row.date for row in developments]
    figure = new_figure(9, 0.8 + 0.42 * len(developments))
    axes = figure.subplots()
    positions = range(len(developments))
    axes.hlines(positions, min(dates), dates, color="#cccccc")
    axes.plot(dates, positions, "o", color="#1f5f8b")
    axes.set_yticks(list(positions), [development_label(row) for row in developments])
    axes.set_title(_("Recent international developments against trafficking and smuggling"))
    axes.set_xlabel(_("Year"))
    axes.grid(axis="x", alpha=0.3)
    for side in ("right", "top"):
        axes.spines[side].set_visible(False)
    return Chart(figure, developments_timeline_description(folder))


# The committed charts: the name of each file in data/charts/ and how to draw it.
FACT_CHARTS: dict[str, Callable[[Path | None], Chart]] = {
    "parties_over_time": draw_parties_over_time,
    "developments_timeline": draw_developments_timeline,
}


@contextlib.contextmanager
def speaking(code: str) -> Iterator[None]:
    """Speak `code` inside the block, then the language spoken before."""
    before = language()
    use(code)
    try:
        yield
    finally:
        use(before)


def fact_chart_svg(name: str, folder: Path | None = None, lang: str | None = None) -> str:
    """The fact chart `name` (a key of FACT_CHARTS) drawn from the data as its committed SVG,
    in the current language (or `lang`), in matplotlib's default style whatever the local
    matplotlibrc says."""
    import matplotlib

    with speaking(lang or language()), matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(SVG_SETTINGS)
        return FACT_CHARTS[name](folder).svg()


def chart_id(name: str, code: str) -> str:
    """How a chart is named in messages: 'parties_over_time', 'fr/parties_over_time'."""
    return name if code == DEFAULT else f"{code}/{name}"


def out_of_date(folder: Path | None = None) -> list[str]:
    """The fact charts, in every language, whose committed SVG is missing or differs from a
    fresh drawing ('developments_timeline' for English, 'fr/developments_timeline' for
    French)."""
    stale = []
    for code in LANGUAGES:
        for name in FACT_CHARTS:
            path = chart_file(name, folder, code)
            fresh = fact_chart_svg(name, folder, code)
            if not path.exists() or path.read_text(encoding="utf-8") != fresh:
                stale.append(chart_id(name, code))
    return stale


def write_charts(folder: Path | None = None) -> list[Path]:
    """Draw every fact chart in every language from the data and write it as
    `data/charts/<name>.svg` (English) or `data/charts/<code>/<name>.svg`."""
    written = []
    for code in LANGUAGES:
        for name in FACT_CHARTS:
            path = chart_file(name, folder, code)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(fact_chart_svg(name, folder, code), encoding="utf-8")
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: redraw the committed fact charts, or with --check list the stale ones."""
    parser = argparse.ArgumentParser(description="Draw the fact charts into data/charts/.")
    parser.add_argument(
        "--check", action="store_true", help="only report charts that are out of date"
    )
    args = parser.parse_args(argv)
    if args.check:
        stale = out_of_date()
        for name in stale:
            code, _sep, chart = name.rpartition("/")
            print(f"out of date: {chart_file(chart, None, code or DEFAULT)}")
        return 1 if stale else 0
    for path in write_charts():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
