"""Exercises in French: French content from data/fr, French interface words (once the catalog
has them), and answers stored exactly as an English participant's same choices store them."""

from __future__ import annotations

import re

import pytest
import yaml

from workshop_lib import notebook as exercises
from workshop_lib.exercises import content
from workshop_lib.exercises.content import ContentError
from workshop_lib.exercises.elements import assess
from workshop_lib.exercises.widgets.room import result_html
from workshop_lib.i18n.catalog import language, use
from workshop_lib.responses.controls import RoomResult, closed_sentence
from workshop_lib.responses.folder import FolderStore

COHORT = "c1"
NOTEBOOK = "05_nb"


@pytest.fixture(autouse=True)
def english_after():
    """Every test starts and ends in English."""
    use("en")
    yield
    use("en")


@pytest.fixture
def responses(tmp_path, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    return tmp_path / "responses"


def start(folder, participant: str, lang: str, country: str = "Kenya"):
    """The notebook's first cell, as a participant of `lang` runs it."""
    return exercises.start(NOTEBOOK, country, COHORT, participant, str(folder), lang=lang)


def text_of(html_value: str) -> str:
    return re.sub(r"<[^>]+>", "", html_value)


# French content, read from data/fr (no catalog needed) ----------------------------------------


def test_a_quiz_shows_its_french_questions_options_and_explanations(responses):
    start(responses, "benoit", "fr")
    quiz = exercises.quiz("untoc-basics")
    assert quiz.quiz.title.startswith("Quiz\u00a0: la Convention contre la criminalité organisée")
    question = quiz.questions[0].box.children[0].value
    assert "Convention" in question and "entrée en vigueur" in question
    assert ("29 septembre 2003", "c") in quiz.questions[0].item.choices()
    for question in quiz.questions:
        correct = sorted(question.item.correct_ids())
        question.value = correct if question.item.type == "multiple" else correct[0]
    quiz.check()
    first = text_of(quiz.questions[0].feedback.value)
    assert "29 septembre 2003" in first and "art. 38" in first
    assert "la Convention contre la criminalité organisée" in quiz.plain_text()


def test_a_scenario_card_shows_its_french_facts_and_teaching_point(responses):
    start(responses, "benoit", "fr")
    scenario = content.load_scenarios("tip-or-som").scenarios[0]
    card = exercises.scenario("tip-or-som", scenario.id)
    heading = card.root.children[0].value
    assert text_of(heading).startswith("L’emploi au restaurant")
    assert "répond à l’annonce d’une agence" in text_of(heading)
    card.classification.value = scenario.classification
    card.check()
    assert scenario.teaching_point[:40] in text_of(card.feedback.value).replace("&#x27;", "'")
    assert "Protocole" in scenario.source


def test_a_poll_shows_french_options_and_the_checklist_french_questions(responses):
    start(responses, "benoit", "fr")
    poll = exercises.poll("hardest-challenge")
    assert "Quel défi de mise en œuvre" in poll.root.children[0].value
    assert [label for label, _value in poll.choice.options][:2] == [
        "Notions juridiques",
        "Capacités de la justice pénale",
    ]
    checklist = exercises.checklist()
    assert checklist.checklist.title == "Liste de contrôle après la session"
    row = checklist.rows["all-elements"]
    assert [label for label, _value in row.choice.options] == [
        "Oui",
        "En partie",
        "Non",
        "Je ne sais pas",
    ]
    assert "cadre juridique de votre pays" in row.label
    assert "Oui / En partie / Non / Je ne sais pas" in checklist.plain_text()


def test_a_discussion_note_shows_its_french_prompt(responses):
    start(responses, "benoit", "fr")
    note = exercises.discussion("local-setting")
    assert "Décrivez la traite des personnes" in note.root.children[0].value
    assert "Décrivez la traite des personnes" in note.plain_text()


def test_english_and_french_content_never_mix_in_the_cache(responses):
    use("fr")
    french = content.load_poll("criminalized-all-elements")
    use("en")
    english = content.load_poll("criminalized-all-elements")
    use("fr")
    assert content.load_poll("criminalized-all-elements") is french
    assert french.options == ("Oui", "En partie", "Non", "Je ne sais pas")
    assert english.options == ("Yes", "Partly", "No", "Don't know")
    assert french.values == english.values == english.options
    french_title = content.load_quiz("untoc-basics").title
    use("en")
    assert content.load_quiz("untoc-basics").title != french_title


# Stored values: canonical English, whatever the language ------------------------------------


def test_labels_and_values_of_polls_and_the_checklist(responses):
    english_poll = content.load_poll("non-punishment-law")
    assert english_poll.choices() == [(o, o) for o in english_poll.options]
    assert english_poll.label_of("No") == "No"
    use("fr")
    poll = content.load_poll("non-punishment-law")
    assert poll.values == english_poll.options
    assert poll.choices()[0] == ("Oui, la loi le prévoit", "Yes, the law says so")
    assert poll.label_of("Don't know") == "Je ne sais pas"
    assert poll.label_of("an answer from elsewhere") == "an answer from elsewhere"
    checklist = content.load_checklist()
    assert checklist.scale_values == ("Yes", "Partly", "No", "Don't know")
    assert checklist.scale_choices()[1] == ("En partie", "Partly")
    assert checklist.label_of("Partly") == "En partie"


def _choose(exercise_set, poll_index=1, scale_index=1):
    """The same choices, made as a participant clicks them (by position, not by value)."""
    quiz, scenario, poll, checklist, note, aid, check = exercise_set
    for question in quiz.questions:
        if question.item.type == "multiple":
            first = question.item.choices()[0][1]
            question.boxes[first].value = True
        else:
            question.radio.index = len(question.item.choices()) - 1
    quiz.check_button.click()
    scenario.classification.index = 1
    scenario.elements["act"].value = True
    scenario.elements["material_benefit"].value = True
    scenario.check_button.click()
    poll.choice.index = poll_index
    poll.submit_button.click()
    for number, row in enumerate(checklist.rows.values()):
        if hasattr(row, "choice"):
            row.choice.index = (scale_index + number) % len(row.choice.options)
        row.note.value = f"note {number}"
    note.text.value = "Une note, la même dans les deux langues."
    note.save_now()
    aid.boxes["act"].value = True
    aid.boxes["means"].value = True
    for question in check.questions:
        if question.item.type == "multiple":
            question.boxes[question.item.choices()[-1][1]].value = True
        else:
            question.radio.index = 0
    check.check_button.click()


def _exercises():
    return (
        exercises.quiz("untoc-basics"),
        exercises.scenario("tip-or-som", content.load_scenarios("tip-or-som").scenarios[2].id),
        exercises.poll("non-punishment-law"),
        exercises.checklist(),
        exercises.discussion("local-setting"),
        exercises.elements_check(),
        exercises.knowledge_check("after"),
    )


def _comparable(record: dict) -> dict:
    """A record without who saved it and when."""
    ignored = {"participant", "display_name", "first_saved", "last_saved"}
    return {k: v for k, v in record.items() if k not in ignored}


def test_a_french_participant_stores_what_an_english_one_stores(responses):
    start(responses, "amira", "en")
    english = _exercises()
    _choose(english)
    start(responses, "benoit", "fr")
    french = _exercises()
    assert french[2].choice.options[0][0] == "Oui, la loi le prévoit"
    _choose(french)
    assert language() == "fr"
    store = FolderStore(responses)
    amira, _skipped = store.participant_records("amira", COHORT)
    benoit, _skipped = store.participant_records("benoit", COHORT)
    assert {r["activity"] for r in amira} == {r["activity"] for r in benoit}
    assert len(amira) == 7
    by_activity = {r["activity"]: r for r in benoit}
    for record in amira:
        assert _comparable(by_activity[record["activity"]]) == _comparable(record), record[
            "activity"
        ]
    poll = by_activity["poll.non-punishment-law"]["answer"]
    assert poll == {"choice": "Yes, in guidelines or in practice"}
    checklist = by_activity["post-session-checklist"]["answer"]
    assert checklist["all-elements"]["answer"] in ("Yes", "Partly", "No", "Don't know")
    status = checklist["ratification-status"]["answer"]
    assert status.startswith("Kenya (KEN): UNTOC: Party (accession, 16 June 2004"), status


def test_a_french_participant_sees_french_labels_of_stored_answers(responses):
    start(responses, "benoit", "fr")
    poll = exercises.poll("non-punishment-law")
    poll.choice.index = 2
    poll.submit()
    assert poll.saved_answer() == {"choice": "No"}
    checklist = exercises.checklist()
    checklist.rows["all-elements"].choice.index = 1
    assert checklist.answers()["all-elements"]["answer"] == "Partly"
    assert "<strong>En partie</strong>" in checklist.summary.value
    start(responses, "benoit", "fr")
    again = exercises.poll("non-punishment-law")
    assert again.choice.value == "No" and again.choice.label == "Non"
    restored = exercises.checklist().rows["all-elements"].choice
    assert restored.value == "Partly" and restored.label == "En partie"


def test_the_room_result_shows_the_options_in_the_participants_language(responses):
    use("fr")
    poll = content.load_poll("criminalized-all-elements")
    result = RoomResult(1, ("Yes", "Partly", "No", "Don't know"), (3, 1, 0, 0), 4, "")
    page = result_html(result, "Partly", poll.label_of)
    assert "<bdi>En partie</bdi>" in page and "<bdi>Partly</bdi>" not in page
    assert "<bdi>Je ne sais pas</bdi>" in page


def test_a_translation_that_loses_an_option_is_named(tmp_path, monkeypatch, data_copy):
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(data_copy))
    content._read.cache_clear()
    try:
        path = data_copy / "fr" / "exercises" / "polls.yaml"
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        raw["polls"][0]["options"].pop()
        path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        checklist = data_copy / "fr" / "exercises" / "checklist.yaml"
        raw = yaml.safe_load(checklist.read_text(encoding="utf-8"))
        raw["scale"].append("Peut-être")
        checklist.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        use("fr")
        with pytest.raises(ContentError, match=r"polls\.yaml.*criminalized-all-elements"):
            content.load_poll("criminalized-all-elements")
        with pytest.raises(ContentError, match=r"checklist\.yaml"):
            content.load_checklist()
        use("en")
        assert content.load_poll("criminalized-all-elements").options[0] == "Yes"
    finally:
        content._read.cache_clear()


# English unchanged ---------------------------------------------------------------------------


def test_english_widgets_are_unchanged(responses):
    start(responses, "amira", "en")
    quiz = exercises.quiz("untoc-basics")
    assert quiz.check_button.description == "Check my answers"
    assert quiz.retry_button.description == "Try again"
    true_false = next(q for q in quiz.questions if q.item.type == "truefalse")
    assert [label for label, _value in true_false.radio.options] == ["True", "False"]
    poll = exercises.poll("criminalized-all-elements")
    assert poll.choice.options == (
        ("Yes", "Yes"),
        ("Partly", "Partly"),
        ("No", "No"),
        ("Don't know", "Don't know"),
    )
    assert poll.submit_button.description == "Submit"
    card = exercises.scenario("tip-or-som", content.load_scenarios("tip-or-som").scenarios[0].id)
    assert card.check_button.description == "Check"
    assert [label for label, _key in card.classification.options] == [
        "Trafficking in persons",
        "Smuggling of migrants",
        "Both",
        "Neither",
    ]
    note = exercises.discussion("local-setting")
    assert note.text.description == "Your notes" and "Describe" in note.root.children[0].value
    assert exercises.checklist().progress.description == "Answered"
    assert closed_sentence("poll") == (
        "The trainer has closed this poll for now, so your answer was not saved."
    )


# Interface words in French: these need the French catalog (merged from fr-exercises.json) ---
# French typography: a no-break space (\u00a0) before ":", ";", "?" and "!".


def test_french_interface_words_of_the_quiz_and_the_scenarios(responses):
    start(responses, "benoit", "fr")
    quiz = exercises.quiz("untoc-basics")
    assert quiz.check_button.description == "Vérifier mes réponses"
    assert quiz.retry_button.description == "Réessayer"
    true_false = next(q for q in quiz.questions if q.item.type == "truefalse")
    assert [label for label, _value in true_false.radio.options] == ["Vrai", "Faux"]
    quiz.check()
    assert "question(s) 1, 2" in text_of(quiz.status.value)
    for question in quiz.questions:
        correct = sorted(question.item.correct_ids())
        question.value = correct if question.item.type == "multiple" else correct[0]
    quiz.check()
    assert "✓ Exact." in quiz.questions[0].feedback.value
    assert "Source\u00a0: " in quiz.questions[0].feedback.value
    assert "Score\u00a0: 16 sur 16" in quiz.score.value
    assert "Enregistré à " in quiz.status.value
    card = exercises.scenario("tip-or-som", content.load_scenarios("tip-or-som").scenarios[0].id)
    assert card.check_button.description == "Vérifier"
    assert [label for label, _key in card.classification.options] == [
        "Traite des personnes",
        "Trafic illicite de migrants",
        "Les deux",
        "Ni l’un ni l’autre",
    ]
    card.classification.index = 3
    card.check()
    feedback = text_of(card.feedback.value)
    assert "Pas tout à fait." in feedback and "Le raisonnement\u00a0:" in feedback
    assert "Protocole relatif à la traite des personnes, art. 3(a)" in feedback


def test_french_interface_words_of_the_poll_note_checklist_and_elements_check(responses):
    start(responses, "benoit", "fr")
    poll = exercises.poll("criminalized-all-elements")
    assert poll.submit_button.description == "Envoyer"
    assert poll.result_button.description == "Voir le résultat de la salle"
    poll.submit()
    assert "Veuillez d’abord choisir une réponse." in poll.status.value
    note = exercises.discussion("local-setting")
    assert note.text.description == "Vos notes"
    assert note.save_button.description == "Enregistrer"
    checklist = exercises.checklist()
    assert checklist.progress.description == "Répondu"
    assert any("Vos réponses" in getattr(c, "value", "") for c in checklist.root.children)
    assert "Exporter mes réponses (CSV)" in checklist.exports.value
    aid = exercises.elements_check()
    assert aid.boxes["act"].description.startswith("L’acte\u00a0: ")
    aid.boxes["act"].value = True
    assert "Ces faits ne répondent à aucune des deux définitions." in aid.result.value
    assert closed_sentence("poll") == (
        "Le formateur a fermé ce sondage pour le moment\u00a0: "
        "votre réponse n’a pas été enregistrée."
    )
    assert assess(aid.facts()).explain().startswith("- Aucun but d’exploitation")
