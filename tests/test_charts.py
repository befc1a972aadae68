"""The fact charts: committed SVG files that match the data, drawn the same on every run, shown
with their description; in every language (English in data/charts/, French in data/charts/fr/)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import edit_csv
from workshop_lib.facts import charts, figures, reader
from workshop_lib.i18n.catalog import use
from workshop_lib.i18n.languages import LANGUAGES
from workshop_lib.messages import Message


@pytest.fixture(autouse=True)
def english_after():
    yield
    use("en")


def test_committed_charts_are_up_to_date_with_the_data():
    stale = charts.out_of_date()
    assert stale == [], (
        f"data/charts/ is out of date for {', '.join(stale)}: "
        "run `python -m workshop_lib.facts.charts` (make charts) and commit the SVG files"
    )


def test_every_committed_chart_has_a_description_and_a_drawing():
    assert charts.FACT_CHARTS.keys() == figures.DESCRIPTIONS.keys()
    for code in LANGUAGES:
        committed = sorted(p.stem for p in figures.charts_dir(lang=code).glob("*.svg"))
        assert committed == sorted(charts.FACT_CHARTS), code


def test_svg_is_deterministic_and_carries_no_date_or_version():
    first = charts.fact_chart_svg("developments_timeline")
    assert first == charts.fact_chart_svg("developments_timeline")
    assert "<dc:date>" not in first and "Matplotlib v" not in first
    assert not re.search(r"20\d\d-\d\d-\d\dT", first), "no timestamp"


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_svg_title_is_the_description(code):
    use(code)
    for name in charts.FACT_CHARTS:
        svg = figures.chart_file(name).read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", svg, re.DOTALL).group(1)
        assert title == figures.DESCRIPTIONS[name]().replace("&", "&amp;")


def test_a_data_change_makes_the_chart_stale_until_redrawn(data_copy):
    def rename_first(rows):
        rows[0]["label"] = "Renamed development"
        return rows

    edit_csv(data_copy / "developments.csv", rename_first)
    english = [name for name in charts.out_of_date(data_copy) if "/" not in name]
    assert english == ["developments_timeline"], "only the English chart of the English data"
    assert "Renamed development (" in figures.developments_timeline_description(data_copy)
    charts.write_charts(data_copy)
    assert charts.out_of_date(data_copy) == []
    assert "Renamed development" in figures.chart_file(
        "developments_timeline", data_copy
    ).read_text(encoding="utf-8")


def test_chart_shows_as_svg_with_its_description():
    chart = figures.parties_over_time()
    bundle = chart._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "text/plain"}
    assert bundle["image/svg+xml"].startswith("<?xml") and "<svg" in bundle["image/svg+xml"]
    expected = (
        "Chart: parties to UNTOC, the TIP Protocol and the SOM Protocol over time, counting each "
        "State from the date of its ratification, acceptance, approval or accession; parties "
        "whose date is not recorded here: UNTOC 1, TIP 14, SOM 2."
    )
    assert bundle["text/plain"] == repr(chart) == expected
    assert f"<title>{expected}</title>" in bundle["image/svg+xml"].replace("\n", " ")
    timeline = repr(figures.developments_timeline())
    assert timeline.startswith("Chart: time line of Global Plan of Action (Jul 2010); ")
    oldest_first = sorted(reader.rows("developments"), key=lambda r: r.date)
    positions = [timeline.index(f"{row.label} (") for row in oldest_first]
    assert positions == sorted(positions), "every development, oldest first"


def test_a_missing_chart_file_is_one_sentence(data_copy):
    figures.chart_file("parties_over_time", data_copy).unlink()
    shown = figures.committed_chart("parties_over_time", data_copy)
    assert isinstance(shown, Message)
    assert "charts/parties_over_time.svg is missing" in repr(shown)
    assert "\n" not in repr(shown)
