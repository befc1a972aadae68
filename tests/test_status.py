"""country_status: names, codes, alternative names, unknown countries, and honest gaps."""

from __future__ import annotations

import datetime as dt

import pytest

from workshop_lib.facts.countries import UnknownCountryError
from workshop_lib.facts.status import country_status, instrument_totals, resolve_country


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Kenya", "KEN"), ("KE", "KEN"), ("ken", "KEN"),
        ("Turkey", "TUR"), ("Türkiye", "TUR"),
        ("Ivory Coast", "CIV"), ("Côte d'Ivoire", "CIV"), ("Cote d'Ivoire", "CIV"),
        ("cote d’ivoire", "CIV"), ("Viet Nam", "VNM"), ("Vietnam", "VNM"),
        ("Bolivia", "BOL"), ("Bolivia (Plurinational State of)", "BOL"),
        ("Iran", "IRN"), ("Swaziland", "SWZ"), ("Eswatini", "SWZ"),
        ("European Union", "EUU"), ("EU", "EUU"), ("State of Palestine", "PSE"),
    ],
)  # fmt: skip
def test_names_codes_and_alternatives_resolve(query, code):
    assert resolve_country(query) == code


def test_unknown_country_suggests_the_closest_names():
    with pytest.raises(UnknownCountryError) as caught:
        country_status("Kenia")
    assert "We could not find a country called 'Kenia'" in str(caught.value)
    assert "Kenya" in caught.value.suggestions


def test_ambiguous_name_is_not_guessed():
    with pytest.raises(UnknownCountryError):
        resolve_country("Korea")


def test_party_to_all_three_with_dates_types_and_sources():
    status = country_status("Kenya")
    assert [s.instrument for s in status.instruments] == ["UNTOC", "TIP", "SOM"]
    untoc = status["UNTOC"]
    assert untoc.status == "party"
    assert untoc.action_type == "accession"
    assert untoc.action_date == dt.date(2004, 6, 16)
    assert untoc.as_of == dt.date(2014, 1, 27)
    assert untoc.summary == "Party (accession deposited on 16 June 2004)."
    assert untoc.source == (
        "UN Treaty Collection, chapter XVIII-12, status of the Convention, "
        "copy saved on 27 January 2014"
    )
    assert untoc.sources[0].url.startswith("https://treaties.un.org/")
    assert untoc.source_ids == "ZMJ2014-UNTOC"  # for maintainers
    assert "zmjones/untreaties" in untoc.source_description  # for maintainers
    assert untoc.caveat == ""


def test_signatory_only_carries_its_as_of_and_a_caveat():
    congo = country_status("Congo")["UNTOC"]
    assert congo.status == "signatory"
    assert congo.action_date is None
    assert congo.as_of == dt.date(2014, 1, 27)
    assert congo.summary == (
        "Signed on 14 December 2000; not a party according to the UN Treaty Collection "
        "(copy saved on 27 January 2014)."
    )
    assert "192 parties on 4 May 2024" in congo.caveat and "holds 190 of them" in congo.caveat


def test_not_party_is_dated_by_the_complete_list_it_is_missing_from_and_caveated():
    som = country_status("Samoa")["SOM"]
    assert som.status == "not party"
    assert som.as_of == dt.date(2014, 7, 10)  # the last complete list of participants
    assert som.summary == (
        "Neither a party nor a signatory according to the UN Treaty Collection "
        "(copy saved on 10 July 2014)."
    )
    assert "152 parties on 26 April 2024" in som.caveat and "holds 146 of them" in som.caveat


def test_a_state_the_counts_show_as_missing_says_so_in_plain_words():
    untoc = country_status("Samoa")["UNTOC"]
    assert untoc.status == "not party"
    assert any(
        note.text.startswith("Probably a party") and "were not found" in note.text
        for note in untoc.later_evidence
    )


def test_partial_row_keeps_its_gap_visible():
    tonga = country_status("Tonga")["UNTOC"]
    assert tonga.status == "party"
    assert tonga.action_type is None
    assert tonga.action_date == dt.date(2014, 10, 3)
    assert tonga.summary.startswith("Party (instrument deposited on 3 October 2014;")
    assert "do not give its type" in tonga.summary
    barbados = country_status("Barbados")["TIP"]
    assert barbados.summary == (
        "Party (ratification; the sources consulted do not give the date of the instrument)."
    )


def test_later_evidence_travels_with_the_status():
    som = country_status("South Sudan")["SOM"]
    assert any(
        "9 April 2025" in note.text
        and note.sources[0].text.startswith("Austria, Federal Law Gazette, BGBl. III No. 57/2025")
        for note in som.later_evidence
    )


def test_the_research_additions_carry_their_un_source():
    angola = country_status("Angola")["SOM"]
    assert (angola.status, angola.action_type) == ("party", "accession")
    assert angola.action_date == dt.date(2014, 9, 19)
    assert angola.source_ids == "UNTC-SOM-VD"
    assert angola.source.startswith("UN Treaty Collection, chapter XVIII-12-b")
    barbados = country_status("Barbados")["SOM"]
    assert barbados.action_date == dt.date(2014, 11, 11)
    assert barbados.source_ids.split(";")[0] == "UNTC-SOM-VD"


def test_european_union_is_a_participant():
    eu = country_status("European Union")
    assert eu.code == "EUU"
    assert eu["UNTOC"].action_type == "approval"


def test_totals_compare_the_table_with_the_treaty_collection():
    totals = instrument_totals().set_index("instrument")
    assert totals.loc["UNTOC", "reference_parties"] == 192
    assert totals.loc["TIP", "reference_parties"] == 182
    assert totals.loc["SOM", "reference_parties"] == 152
    assert totals.loc["UNTOC", "parties_in_table"] == 190
    assert totals.loc["SOM", "parties_missing_from_table"] == 6
