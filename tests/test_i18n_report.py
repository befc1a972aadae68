"""The trainer's results in the language chosen, for a cohort that answered in two languages:
half the participants answered in English and half in French (through the real widgets and the
real store), and the report, the exports, the dashboard and the live room count them together,
since answers are stored the same way in every language. The French report shows the French
content (questions, options, scenario titles) and the English report of the same cohort the
English content; pages carry `lang` and `dir` (right to left for a right-to-left language).

The tests marked "needs the catalog" check interface strings in French; they pass once the
French catalog holds this group's strings (`/work/briefs/fr-trainer-results.json`)."""

from __future__ import annotations

import csv
import gettext
import html

import pytest

from workshop_lib.exercises import content
from workshop_lib.exercises.widgets.poll import PollWidget
from workshop_lib.exercises.widgets.quiz import QuizWidget
from workshop_lib.exercises.widgets.scenarios import ScenarioCard
from workshop_lib.i18n import catalog
from workshop_lib.i18n.catalog import use
from workshop_lib.i18n.languages import LANGUAGES, Language
from workshop_lib.responses.cohort import load_cohort
from workshop_lib.responses.folder import FolderStore
from workshop_lib.responses.session import Session
from workshop_lib.trainer.dashboard import Dashboard
from workshop_lib.trainer.live import LiveRoom
from workshop_lib.trainer.report import render_html, write_report, write_table

COHORT = "mixed"
POLL_ID = "criminalized-all-elements"
QUIZ_ID = "challenges-and-developments"
SET_ID = "tip-or-som"
PEOPLE = {"en-ana": "en", "en-ben": "en", "fr-chloe": "fr", "fr-david": "fr"}
RIGHT_ON_FIRST = {"en-ana", "fr-chloe"}  # the others choose a wrong answer to question 1


@pytest.fixture(autouse=True)
def english_afterwards():
    use("en")
    yield
    use("en")


def answer_everything(store, participant: str, lang: str) -> None:
    """One participant answers the poll, the quiz and a scenario in `lang`, through the
    widgets, choosing by what they read (the labels of their language)."""
    use(lang)
    poll = content.load_poll(POLL_ID)
    widget = PollWidget(poll, Session(participant, COHORT, poll.notebook, store))
    yes = {"en": "Yes", "fr": "Oui"}[lang]
    widget.choice.value = dict(widget.choice.options)[yes]
    assert widget.submit().ok

    quiz = content.load_quiz(QUIZ_ID)
    widget = QuizWidget(quiz, Session(participant, COHORT, quiz.notebook, store))
    for question in widget.questions:
        item = question.item
        right = sorted(item.correct_ids())
        if question.number == 1 and participant not in RIGHT_ON_FIRST:
            right = [next(i for _label, i in item.choices() if i not in item.correct_ids())]
        if item.type == "multiple":
            for option_id in right:
                question.boxes[option_id].value = True
        else:
            question.radio.value = right[0]
    assert widget.check().ok

    scenario = content.load_scenarios(SET_ID).scenarios[0]
    card = ScenarioCard(scenario, Session(participant, COHORT, scenario.notebook, store))
    card.classification.value = scenario.classification
    assert card.check().ok
    use("en")


@pytest.fixture
def mixed(tmp_path):
    """A responses folder where two participants answered in English and two in French."""
    root = tmp_path / "responses"
    store = FolderStore(root)
    for participant, lang in PEOPLE.items():
        answer_everything(store, participant, lang)
    return root


def english_and_french(key):
    """An activity as the English and as the French content give it."""
    found = {}
    for lang in ("en", "fr"):
        use(lang)
        found[lang] = key()
    use("en")
    return found["en"], found["fr"]


def poll_pair():
    return english_and_french(lambda: content.load_poll(POLL_ID))


def quiz_pair():
    return english_and_french(lambda: content.load_quiz(QUIZ_ID))


def scenario_pair():
    return english_and_french(lambda: content.load_scenarios(SET_ID).scenarios[0])


def test_french_and_english_answers_are_stored_the_same_way(mixed):
    answers = load_cohort(mixed, COHORT)
    by_activity: dict[str, dict[str, object]] = {}
    for record in answers.records:
        by_activity.setdefault(record["activity"], {})[record["participant"]] = record["answer"]
    poll, _fr = poll_pair()
    assert {p: a["choice"] for p, a in by_activity[poll.activity_id].items()} == dict.fromkeys(
        PEOPLE, "Yes"
    )
    quiz, _fr = quiz_pair()
    first = quiz.items[0].id
    choices = {p: a["choices"][first] for p, a in by_activity[quiz.activity_id].items()}
    assert choices["en-ana"] == choices["fr-chloe"] and choices["en-ben"] == choices["fr-david"]


def test_the_report_counts_both_languages_together_in_either_language(mixed):
    answers = load_cohort(mixed, COHORT)
    (poll_en, poll_fr), (quiz_en, quiz_fr) = poll_pair(), quiz_pair()
    scenario_en, scenario_fr = scenario_pair()
    for lang, poll, quiz, scenario in (
        ("en", poll_en, quiz_en, scenario_en),
        ("fr", poll_fr, quiz_fr, scenario_fr),
    ):
        use(lang)
        page = render_html(answers, "Mixed cohort")
        yes = poll.label_of("Yes")
        assert f"<bdi>{html.escape(yes)}</bdi></td><td>4</td>" in page, lang
        # question 1: two right (one English, one French), two wrong (likewise)
        first = quiz.items[0]
        wrong = [label for label, i in first.choices() if i not in first.correct_ids()][0]
        assert f"{html.escape(wrong)} (2)" in page, lang
        assert "(2 " in page.split(html.escape(first.question), 1)[1][:400], lang
        # everyone else right on every other question: 4 of 4
        assert "(4 " in page.split(html.escape(quiz.items[1].question), 1)[1][:400], lang
        # the scores: two with every item right, two with one wrong, all four counted
        full = len(quiz.items)
        assert f"<bdi>{full}</bdi></td><td>2</td>" in page, lang
        assert f"<bdi>{full - 1}</bdi></td><td>2</td>" in page, lang
        assert html.escape(scenario.title) in page, lang


def test_the_french_report_shows_the_french_content_and_the_english_one_english(mixed):
    answers = load_cohort(mixed, COHORT)
    (poll_en, poll_fr), (quiz_en, quiz_fr) = poll_pair(), quiz_pair()
    scenario_en, scenario_fr = scenario_pair()
    assert poll_en.question != poll_fr.question and scenario_en.title != scenario_fr.title

    use("fr")
    french = render_html(answers, "Groupe mixte")
    use("en")
    english = render_html(answers, "Mixed cohort")
    use("fr")
    again = render_html(answers, "Groupe mixte")  # nothing English is kept from before

    for page in (french, again):
        assert page.startswith("<!DOCTYPE html><html lang='fr' dir='ltr'>")
        assert html.escape(poll_fr.question) in page and "<bdi>Oui</bdi>" in page
        assert html.escape(poll_en.question) not in page and "<bdi>Yes</bdi>" not in page
        assert html.escape(quiz_fr.items[0].question) in page
        right_fr = "; ".join(
            label for label, i in quiz_fr.items[1].choices() if i in quiz_fr.items[1].correct_ids()
        )
        assert html.escape(right_fr) in page
        assert html.escape(scenario_fr.title) in page
        assert html.escape(scenario_en.title) not in page
    assert english.startswith("<!DOCTYPE html><html lang='en' dir='ltr'>")
    assert html.escape(poll_en.question) in english and "<bdi>Yes</bdi>" in english
    assert html.escape(poll_fr.question) not in english and "<bdi>Oui</bdi>" not in english
    assert html.escape(quiz_en.items[0].question) in english
    assert html.escape(scenario_en.title) in english


def test_a_right_to_left_language_sets_the_page_direction(mixed, monkeypatch):
    monkeypatch.setitem(LANGUAGES, "ar", Language("ar", "العربية", "ar_SA", "rtl"))
    monkeypatch.setattr(catalog, "translations", lambda code: gettext.NullTranslations())
    use("ar")
    page = render_html(load_cohort(mixed, COHORT), "Cohort")
    assert page.startswith("<!DOCTYPE html><html lang='ar' dir='rtl'>")
    assert "<bdi>" in page  # answers and names stay isolated inside right-to-left text


def test_the_exports_keep_stored_values_and_describe_them_in_the_language(mixed, tmp_path):
    answers = load_cohort(mixed, COHORT)
    poll_en, poll_fr = poll_pair()
    tables = {}
    for lang in ("en", "fr"):
        use(lang)
        out = tmp_path / f"answers-{lang}.csv"
        write_table(answers, out, "csv")
        with out.open(encoding="utf-8", newline="") as stream:
            tables[lang] = list(csv.reader(stream))
    english, french = tables["en"], tables["fr"]
    assert len(english) == len(french) == 1 + len(answers.records)
    header = english[0]
    assert header[:3] == ["participant", "display_name", "cohort"]
    words = header.index("answer_in_words")
    for row_en, row_fr in zip(english[1:], french[1:], strict=True):
        # every data value (ids, stored answers, the answer as JSON) is the same
        for column, (value_en, value_fr) in enumerate(zip(row_en, row_fr, strict=True)):
            if header[column] not in ("activity_title", "answer_in_words"):
                assert value_en == value_fr, header[column]
    poll_rows = [(e, f) for e, f in zip(english[1:], french[1:], strict=True) if "poll." in e[4]]
    assert len(poll_rows) == 4
    for row_en, row_fr in poll_rows:
        assert row_en[words] == "Yes" and row_fr[words] == "Oui"
        assert row_en[header.index("activity_title")] == poll_en.question
        assert row_fr[header.index("activity_title")] == poll_fr.question
        assert '"Yes"' in row_fr[header.index("answer")]


def test_the_dashboard_speaks_the_language_and_counts_everyone(mixed, tmp_path):
    use("fr")
    board = Dashboard(str(mixed), COHORT, export_dir=tmp_path / "exports")
    assert board.body.value.startswith("<div lang='fr' dir='ltr'>")
    assert "<bdi>Oui</bdi></td><td>4</td>" in board.body.value
    written = board.export("html")
    assert written is not None
    assert "<html lang='fr' dir='ltr'>" in written.read_text(encoding="utf-8")


def test_the_live_room_counts_both_languages_and_shares_stored_values(mixed):
    poll_en, poll_fr = poll_pair()
    use("fr")
    room = LiveRoom(str(mixed), COHORT, start=False)
    index = next(
        n for n, s in enumerate(room.items) if s.activity.activity_id == poll_fr.activity_id
    )
    room.select(index)
    screen = room.title.value + room.body.value + room.footer.value
    assert html.escape(poll_fr.question) in screen and "lang='fr' dir='ltr'" in screen
    assert "<bdi>Oui</bdi></td><td class='live-count'>4 (100" in screen
    room.toggle_reveal()
    shared = room.controls_state.revealed
    assert shared is not None and shared.options == tuple(poll_en.options)
    assert shared.counts[0] == 4


# Interface strings in French: these need the French catalog (merged by the coordinator) ----


def test_the_french_report_headings_and_labels_need_the_catalog(mixed):
    answers = load_cohort(mixed, COHORT)
    poll_fr = poll_pair()[1]
    scenario_fr = scenario_pair()[1]
    use("fr")
    page = render_html(answers, "Groupe mixte")
    assert "4 participants, 12 réponses." in page
    assert "<h2>Résultats</h2>" in page
    assert html.escape(f"Sondage\u00a0: {poll_fr.question}") in page
    assert "<th scope='col'>Réponse</th>" in page and "<th scope='col'>Part</th>" in page
    assert "<h3>Études de cas</h3>" in page
    assert html.escape(scenario_fr.title) in page
    expected = {
        "trafficking": "Traite des personnes",
        "smuggling": "Trafic illicite de migrants",
        "both": "Les deux",
        "neither": "Ni l’un ni l’autre",
    }[scenario_fr.classification]
    assert f"{html.escape(expected)}: 4" in page  # the answers given, counted together
    assert "<h2>Results</h2>" not in page and "<h3>Discussion notes</h3>" not in page


def test_the_french_exports_and_live_room_need_the_catalog(mixed, tmp_path):
    use("fr")
    out = tmp_path / "reponses.csv"
    write_report(load_cohort(mixed, COHORT), out, "csv", "x", say=lambda line: None)
    with out.open(encoding="utf-8", newline="") as stream:
        header = next(csv.reader(stream))
    assert header[:3] == ["participant", "nom_affiché", "groupe"]
    assert "réponse_en_clair" in header
    room = LiveRoom(str(mixed), COHORT, start=False)
    poll = content.load_poll(POLL_ID)
    room.select(next(n for n, s in enumerate(room.items) if s.activity == poll))
    assert "4 réponses" in room.footer.value
    assert room.lock_button.description == "Fermer les réponses"
