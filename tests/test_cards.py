"""The country card: readable text for nbval, escaped HTML, one sentence for bad input."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from workshop_lib.dates import format_day, format_known, format_moment, format_month
from workshop_lib.facts.cards import CountryCard, Message, country_card


def test_card_text_lists_each_instrument_with_status_date_and_source():
    text = repr(country_card("Kenya"))
    assert text.startswith("Country card: Kenya (KEN)")
    assert (
        "- Organized Crime Convention (UNTOC)\n  Party (accession deposited on 16 June 2004)."
        in text
    )
    assert (
        "  Source: UN Treaty Collection, chapter XVIII-12, status of the Convention, "
        "copy saved on 27 January 2014." in text
    )


def test_card_html_is_a_labelled_table():
    html = country_card("Côte d'Ivoire")._repr_html_()
    assert "aria-label='Country card: Côte d&#x27;Ivoire'" in html
    assert "<th scope='col'>Source</th>" in html
    assert "data-country='CIV'" in html
    assert "Neither a party nor a signatory according to the UN Treaty Collection" in html
    assert '<a href="https://treaties.un.org/' in html  # sources are linked
    assert "abbr" not in html and "ZMJ2014" not in html


def test_empty_and_unknown_countries_give_one_sentence():
    empty = country_card("")
    assert isinstance(empty, Message) and "No country chosen yet" in repr(empty)
    unknown = country_card("<script>alert(1)</script>")
    assert isinstance(unknown, Message)
    assert "<script>" not in unknown._repr_html_()
    assert "&lt;script&gt;" in unknown._repr_html_()


def test_card_is_deterministic():
    assert repr(country_card("Bolivia")) == repr(country_card("BOL"))
    assert isinstance(country_card("BOL"), CountryCard)


def test_one_date_formatter_without_leading_zeros():
    assert format_day(dt.date(2024, 5, 4)) == "4 May 2024"
    assert format_day(pd.Timestamp("2003-09-29")) == "29 September 2003"
    assert format_month(dt.date(2010, 7, 30)) == "July 2010"
    assert format_month(dt.date(2010, 7, 30), abbreviated=True) == "Jul 2010"
    assert format_known(dt.date(2018, 10, 1), "month") == "October 2018"
    assert format_known(dt.date(2018, 10, 1), "year") == "2018"
    moment = dt.datetime(2024, 5, 4, 16, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert format_moment(moment) == "4 May 2024, 14:05 UTC"


def test_card_dates_are_written_one_way():
    text = repr(country_card("Tuvalu"))  # not a party: the caveats carry the UN totals' dates
    assert "192 parties on 4 May 2024" in text and "copy saved on 27 January 2014" in text
    assert " 04 May" not in text


def test_slide_card_is_short_for_every_state_in_the_table():
    """The card on a slide of its own: one line per instrument, at most 40 words."""
    import html as html_module
    import re

    from workshop_lib.facts import reader
    from workshop_lib.facts.status import country_status

    for code in sorted({row.iso3 for row in reader.rows("ratification")} | {"TUV", "WSM"}):
        card = CountryCard(country_status(code))
        text = html_module.unescape(re.sub("<[^>]+>", " ", card.slide_html()))
        words = [w for w in text.split() if re.search(r"\w", w)]
        assert len(words) <= 40, (code, len(words), text)
        assert text.count("UNTOC") == 1 and "SOM" in text
