"""The facts in French: country names from the ISO data's French catalog, French dates, the
French data files (definitions, developments, challenges, session plan), the French charts; and
English exactly as before. Assertions on interface words need the merged French catalog."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.conftest import edit_csv
from workshop_lib import dates
from workshop_lib.facts import cards, challenges, charts, figures, reader, session_plan, tables
from workshop_lib.facts.countries import CountryIndex, UnknownCountryError, display_name
from workshop_lib.facts.status import country_status, resolve_country
from workshop_lib.i18n.catalog import use
from workshop_lib.messages import Message


@pytest.fixture(autouse=True)
def english_after():
    use("en")
    yield
    use("en")


# Countries ---------------------------------------------------------------------------------------


def test_french_country_names_come_from_the_iso_catalog():
    use("fr")
    assert display_name("DEU") == "Allemagne"
    assert display_name("CIV") == "Côte d’Ivoire"
    assert display_name("USA") == "États-Unis"
    # The common name where the ISO name is inverted, as in English.
    assert display_name("BOL") == "Bolivie"
    assert display_name("IRN") == "Iran"
    assert display_name("SYR") == "Syrie"
    # A name inverted in French only reads the right way round.
    assert display_name("RUS") == "Fédération de Russie"
    assert display_name("SLB") == "Îles Salomon"
    assert display_name("DEU", "en") == "Germany"


def test_english_country_names_are_unchanged():
    assert display_name("DEU") == "Germany"
    assert display_name("BOL") == "Bolivia"
    assert display_name("CIV") == "Côte d'Ivoire"
    assert display_name("VNM") == "Viet Nam"


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Allemagne", "DEU"),
        ("Côte d’Ivoire", "CIV"),
        ("cote d'ivoire", "CIV"),
        ("Etats-Unis", "USA"),
        ("ÉTATS-UNIS D'AMÉRIQUE", "USA"),
        ("Royaume-Uni", "GBR"),
        ("Fédération de Russie", "RUS"),
        ("Russie", "RUS"),
        ("Bolivie", "BOL"),
        ("Germany", "DEU"),
        ("Ivory Coast", "CIV"),
        ("KEN", "KEN"),
    ],
)
def test_french_and_english_names_resolve_in_both_languages(lang, typed, code):
    use(lang)
    assert resolve_country(typed) == code


def test_suggestions_are_in_the_current_language():
    index = CountryIndex.build()
    with pytest.raises(UnknownCountryError) as english:
        index.resolve("Allemange")
    assert english.value.suggestions[0] == "Germany"
    use("fr")
    with pytest.raises(UnknownCountryError) as french:
        index.resolve("Allemange")
    assert french.value.suggestions[0] == "Allemagne"


def test_unknown_country_sentence_in_french():
    use("fr")
    card = cards.country_card("Narnia")
    assert isinstance(card, Message)
    assert repr(card).startswith("Nous n’avons trouvé aucun pays nommé «\u00a0Narnia\u00a0».")
    assert "Vouliez-vous dire" in repr(card)
    with pytest.raises(UnknownCountryError) as caught:
        CountryIndex.build().resolve("Zz")
    assert "par exemple «\u00a0Kenya\u00a0» ou «\u00a0KEN\u00a0»" in str(caught.value)


def test_unknown_country_sentence_in_english_is_unchanged():
    with pytest.raises(UnknownCountryError) as caught:
        CountryIndex.build().resolve("Zz")
    assert str(caught.value) == (
        "We could not find a country called 'Zz'. "
        "Try the English name or the ISO code, for example 'Kenya' or 'KEN'."
    )
    with pytest.raises(UnknownCountryError) as caught:
        resolve_country("Kenia")
    assert str(caught.value).startswith("We could not find a country called 'Kenia'. Did you mean")


# Dates -------------------------------------------------------------------------------------------


def test_french_dates():
    use("fr")
    assert dates.format_day(dt.date(2024, 5, 4)) == "4 mai 2024"
    assert dates.format_day(dt.date(2024, 5, 1)) == "1er mai 2024"
    assert dates.format_month(dt.date(2024, 5, 4)) == "mai 2024"
    assert dates.format_month(dt.date(2010, 7, 30), abbreviated=True) == "juil. 2010"
    assert dates.format_month(dt.date(2010, 2, 1), abbreviated=True) == "févr. 2010"
    assert dates.format_known(dt.date(2016, 12, 1), "month") == "décembre 2016"
    assert dates.format_moment(dt.datetime(2024, 5, 4, 14, 5)) == "4 mai 2024, 14 h 05 UTC"


def test_english_dates_are_unchanged():
    assert dates.format_day(dt.date(2024, 5, 1)) == "1 May 2024"
    assert dates.format_day(dt.date(2024, 5, 4)) == "4 May 2024"
    assert dates.format_month(dt.date(2010, 7, 30), abbreviated=True) == "Jul 2010"
    assert dates.format_moment(dt.datetime(2024, 5, 4, 9, 5)) == "4 May 2024, 09:05 UTC"


# Country card ------------------------------------------------------------------------------------


def test_french_country_card_for_cote_d_ivoire():
    use("fr")
    card = cards.country_card("Côte d’Ivoire")
    text = repr(card)
    assert text.startswith("Fiche pays\u00a0: Côte d’Ivoire (CIV)")
    assert "Convention contre la criminalité organisée (UNTOC)" in text
    assert "Partie (ratification déposée le 25 octobre 2012)." in text
    assert "Le décret n° 2016-994 du 17 novembre 2016" in text  # the French evidence file
    page = card._repr_html_()
    assert "aria-label='Fiche pays\u00a0: Côte d’Ivoire'" in page
    assert "<th scope='col'>Statut</th>" in page


def test_french_country_card_for_germany():
    use("fr")
    text = repr(cards.country_card("Allemagne"))
    assert text.startswith("Fiche pays\u00a0: Allemagne (DEU)")
    assert "14 juin 2006" in text and "June" not in text
    assert "Collection des traités des Nations Unies" in text
    slide = cards.CountryCard(country_status("DEU")).slide_html()
    assert "<h2>Votre pays\u00a0: Allemagne</h2>" in slide


def test_french_caveat_and_status_words():
    use("fr")
    status = country_status("PRK")
    assert status.name == "Corée du Nord"
    assert status["UNTOC"].summary.startswith("Ni partie ni signataire")
    assert "parties le 4 mai 2024" in status["UNTOC"].caveat
    assert cards.status_word("party") == "Partie"
    assert cards.status_word("not party") == "Non partie"


def test_english_card_is_unchanged():
    text = repr(cards.country_card("Germany"))
    assert text.splitlines()[:3] == [
        "Country card: Germany (DEU)",
        "- Organized Crime Convention (UNTOC)",
        "  Party (ratification deposited on 14 June 2006).",
    ]
    assert cards.status_word("signatory") == "Signatory, not a party"


def test_languages_never_mix_in_the_caches():
    use("fr")
    french = repr(cards.country_card("DEU"))
    use("en")
    english = repr(cards.country_card("DEU"))
    use("fr")
    assert repr(cards.country_card("DEU")) == french != english
    assert "Convention contre" not in english


# Data files and tables ---------------------------------------------------------------------------


def test_french_data_files_validate_with_the_same_rules():
    report = reader.check_data(lang="fr")
    assert report.errors == [] and report.findings == []
    for name in reader.TRANSLATED:
        english, french = reader.rows(name, lang="en"), reader.rows(name, lang="fr")
        assert len(english) == len(french), name


def test_french_rows_come_from_data_fr_and_english_rows_from_data():
    use("fr")
    assert reader.rows("definitions")[0].term == "groupe criminel organisé"
    assert reader.rows("developments")[0].label == "Plan d’action mondial"
    # Files with nothing to translate are the English ones.
    assert reader.rows("ratification") == reader.rows("ratification", lang="en")
    use("en")
    assert reader.rows("definitions")[0].term == "Organized criminal group"


def test_a_broken_french_row_names_the_french_file(data_copy):
    def no_source(rows):
        rows[0]["source"] = ""
        return rows

    edit_csv(data_copy / "fr" / "definitions.csv", no_source)
    problems = reader.check_data(data_copy, "fr").errors
    assert [(p.file, p.line) for p in problems] == [("fr/definitions.csv", 2)]
    assert reader.check_data(data_copy, "en").errors == []


def test_french_definitions_table():
    use("fr")
    table = tables.definitions_table()
    first = table.records()[0]
    assert table.columns == ["Instrument", "Article", "Terme", "Définition", "Source"]
    assert first["Terme"] == "groupe criminel organisé"
    assert first["Définition"].startswith("l’expression «groupe criminel organisé» désigne")
    assert table.caption == "Définitions clés"


def test_french_developments_table():
    use("fr")
    table = tables.developments_table()
    assert table.columns == ["Date", "Évolution", "Cote", "Source"]
    first = table.rows[0]
    assert first[0] == "30 juillet 2010"
    assert first[1].startswith("L’Assemblée générale adopte le Plan d’action mondial")
    assert "Évolutions internationales récentes" in table._repr_html_()


def test_french_table_data_without_the_catalog():
    use("fr")
    assert tables.definitions_table().rows[0][2] == "groupe criminel organisé"
    assert tables.developments_table().rows[0][2] == "A/RES/64/293"
    names = [row[0] for row in tables.instruments_table().rows]
    assert names[0] == "Convention des Nations Unies contre la criminalité transnationale organisée"


def test_english_tables_are_unchanged():
    table = tables.developments_table()
    assert table.columns == ["Date", "Development", "Symbol", "Source"]
    assert table.rows[0][0] == "30 July 2010"
    assert repr(tables.definitions_table()).startswith("Key definitions\n- Instrument: ")


# Challenges and session plan ---------------------------------------------------------------------


def test_french_challenge_area_and_duty_words():
    use("fr")
    view = challenges.challenge_area("legal-concepts")
    text, page = repr(view), view._repr_html_()
    assert text.startswith("Notions juridiques\nCe que les instruments exigent\u00a0:")
    assert "Protocole relatif à la traite des personnes art. 5(1) (adopte)" in text
    assert "(peut)" in text
    assert "<strong>adopte</strong>" in page and "<strong>shall</strong>" not in page
    assert "«\u00a0Chaque État partie adopte les mesures législatives" in page
    notes = repr(challenges.challenge_trainer_notes("legal-concepts"))
    assert notes.startswith("Notes du formateur\u00a0: Notions juridiques.")


def test_french_challenges_data_without_the_catalog():
    use("fr")
    assert challenges.load_challenges().title == "Difficultés communes de mise en œuvre"
    use("en")
    assert challenges.load_challenges().title != "Difficultés communes de mise en œuvre"
    assert "(shall)" in repr(challenges.challenge_area("legal-concepts"))


def test_french_agenda_and_plan():
    use("fr")
    agenda = session_plan.session_agenda()
    assert "Accueil et mise en route" in repr(agenda)
    assert repr(agenda).startswith("Ordre du jour (120 minutes)")
    assert "<th>Point du programme</th>" in agenda._repr_html_()
    plan = repr(session_plan.session_plan())
    assert plan.startswith("Plan de la session\u00a0: 120 minutes (version courte 90)")
    assert "Si le temps manque\u00a0:" in plan


def test_english_agenda_is_unchanged():
    agenda = repr(session_plan.session_agenda())
    assert agenda.startswith("Agenda (120 minutes)\n- 00 Welcome and set-up: 5 min")


# Charts ------------------------------------------------------------------------------------------


def test_french_charts_are_committed_beside_the_english_ones():
    for name in charts.FACT_CHARTS:
        assert figures.chart_file(name, lang="fr").parent.name == "fr"
        assert figures.chart_file(name, lang="fr").exists(), name
        assert figures.chart_file(name, lang="en").parent.name == "charts"


def test_french_charts_are_up_to_date():
    stale = [name for name in charts.out_of_date() if name.startswith("fr/")]
    assert stale == [], "run `make charts` and commit data/charts/fr/"


def test_a_notebook_shows_the_chart_of_its_language():
    use("fr")
    chart = figures.parties_over_time()
    french_file = figures.chart_file("parties_over_time", lang="fr")
    assert chart.svg == french_file.read_text(encoding="utf-8")
    assert repr(chart).startswith("Graphique\u00a0: parties à la Convention contre la criminalité")
    timeline = repr(figures.developments_timeline())
    assert "Plan d’action mondial (juil. 2010)" in timeline
    svg = figures.chart_file("developments_timeline", lang="fr").read_text(encoding="utf-8")
    assert "Plan d’action mondial (juil. 2010)" in svg and "Année" in svg
    title = re.search(r"<title>(.*?)</title>", svg, re.DOTALL).group(1)
    assert title == timeline.replace("&", "&amp;")


def test_english_chart_is_shown_in_english():
    chart = figures.developments_timeline()
    english_file = figures.chart_file("developments_timeline", lang="en")
    assert chart.svg == english_file.read_text(encoding="utf-8")
    assert repr(chart).startswith("Chart: time line of Global Plan of Action (Jul 2010); ")


def test_a_french_data_change_makes_only_the_french_chart_stale(data_copy):
    def rename_first(rows):
        rows[0]["label"] = "Évolution renommée"
        return rows

    edit_csv(data_copy / "fr" / "developments.csv", rename_first)
    stale = charts.out_of_date(data_copy)
    assert "fr/developments_timeline" in stale and "developments_timeline" not in stale
    charts.write_charts(data_copy)
    assert charts.out_of_date(data_copy) == []
    svg = figures.chart_file("developments_timeline", data_copy, "fr").read_text(encoding="utf-8")
    assert "Évolution renommée" in svg
