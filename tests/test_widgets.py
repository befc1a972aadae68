"""Every widget driven as a participant would: set values, click, read feedback and records."""

from __future__ import annotations

import asyncio
import base64
import re

import pytest

from workshop_lib import notebook as exercises
from workshop_lib.exercises import content
from workshop_lib.exercises.widgets import notes
from workshop_lib.exercises.widgets.export import export_links_html
from workshop_lib.facts.cards import Message
from workshop_lib.responses import session
from workshop_lib.responses.folder import FolderStore

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


@pytest.fixture
def responses(tmp_path, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    folder = tmp_path / "responses"
    session.start("01_nb", cohort="c1", participant="amira", responses_dir_parameter=str(folder))
    return folder


def reopen(folder):
    """A new notebook session for the same participant, as after a kernel restart."""
    session.start("01_nb", cohort="c1", participant="amira", responses_dir_parameter=str(folder))


def record(folder, activity):
    return FolderStore(folder).load("amira", "c1", "01_nb", activity)


def text_of(html_value: str) -> str:
    return re.sub(r"<[^>]+>", "", html_value)


def answer_quiz(widget, right: bool):
    for question in widget.questions:
        correct = sorted(question.item.correct_ids())
        if right:
            question.value = correct if question.item.type == "multiple" else correct[0]
        else:
            wrong = [i for _, i in question.item.choices() if i not in correct]
            question.value = [wrong[0]] if question.item.type == "multiple" else wrong[0]


# Quiz ---------------------------------------------------------------------------------------


def test_quiz_needs_every_answer_before_checking(responses):
    quiz = exercises.quiz("untoc-basics")
    quiz.questions[0].radio.value = "c"
    quiz.check_button.click()
    assert "question(s) 2, 3" in text_of(quiz.status.value)
    assert record(responses, "untoc-basics") is None


def test_quiz_feedback_score_attempts_and_restore(responses):
    quiz = exercises.quiz("untoc-basics")
    answer_quiz(quiz, right=False)
    quiz.check_button.click()
    first = quiz.questions[0].feedback.value
    assert "✗ Not quite." in first and "Source: UNTOC, art. 38" in first
    assert "The answer: 29 September 2003." in first
    assert "Score: 0 of 16" in quiz.score.value
    assert "Saved at" in quiz.status.value
    quiz.retry_button.click()
    assert quiz.questions[0].feedback.value == "" and quiz.score.value == ""
    answer_quiz(quiz, right=True)
    quiz.check_button.click()
    assert "✓ Correct." in quiz.questions[4].feedback.value
    assert "Score: 16 of 16" in quiz.score.value
    saved = record(responses, "untoc-basics")
    assert saved["attempts"] == 2 and saved["answer"]["score"] == 16
    assert saved["answer"]["choices"]["tip-means"] == ["a", "b", "d"]
    assert saved["answer"]["choices"]["child-no-means"] == "true"

    reopen(responses)
    again = exercises.quiz("untoc-basics")
    assert again.questions[4].value == ["a", "b", "d"]
    assert "Score: 16 of 16" in again.score.value
    assert "2 attempt(s)" in text_of(again.status.value)


def test_quiz_text_rendering_is_deterministic_and_answer_free(responses):
    quiz = exercises.quiz("untoc-basics")
    bundle = quiz._repr_mimebundle_()
    assert bundle["text/plain"].startswith("Quiz: UNTOC and its Protocols\n1. When did")
    assert "   ( ) 29 September 2003" in bundle["text/plain"]
    assert "(choose all that apply)" in bundle["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" in bundle
    answer_quiz(quiz, right=True)
    assert exercises.quiz("untoc-basics")._repr_mimebundle_()["text/plain"] == bundle["text/plain"]
    assert "<li>○ 29 September 2003</li>" in bundle["text/html"]


def test_quiz_labels_and_marks_for_screen_readers(responses):
    quiz = exercises.quiz("challenges-and-developments")
    assert quiz.questions[1].radio.description == "Q2"
    assert quiz.check_button.tooltip
    answer_quiz(quiz, right=True)
    quiz.check()
    assert 'role="status"' in quiz.questions[0].feedback.value


# Scenarios ----------------------------------------------------------------------------------


def test_scenario_feedback_element_by_element(responses):
    card = exercises.scenario("tip-or-som", "fishing-boat")
    card.check_button.click()
    assert "Please choose" in text_of(card.status.value)
    card.classification.value = "smuggling"
    card.elements["act"].value = True
    card.elements["illegal_entry_procured"].value = True
    card.check_button.click()
    feedback = card.feedback.value
    assert "✗ Not quite." in feedback and "The facts show: trafficking in persons." in feedback
    assert "✗ Procurement of illegal entry" in feedback
    assert "<strong>absent</strong>; you ticked it" in feedback
    # the means element can be read both ways here: both answers count, and the note says why
    assert "✓ Means: threat" in feedback and "either answer can be defended" in feedback
    assert "Keeping him on board is coercion" in feedback
    assert "TIP Protocol, art. 3(c) and (d)" in feedback
    assert "UNTOC, art. 34(2)" in feedback
    saved = record(responses, "tip-or-som.fishing-boat")
    assert saved["answer"] == {
        "classification": "smuggling",
        "elements": ["act", "illegal_entry_procured"],
        "correct": False,
    }
    reopen(responses)
    again = exercises.scenario("tip-or-som", "fishing-boat")
    assert again.classification.value == "smuggling"
    assert again.elements["illegal_entry_procured"].value


def test_scenario_set_shows_every_scenario(responses):
    widget = exercises.scenarios("tip-or-som")
    bank = len(content.load_scenarios("tip-or-som").scenarios)
    assert bank >= 14 and len(widget.cards) == bank
    text = widget._repr_mimebundle_()["text/plain"]
    assert text.count("Scenario: ") == bank and "   ( ) Both" in text


# Elements check -----------------------------------------------------------------------------


def test_elements_check_updates_saves_and_restores(responses):
    aid = exercises.elements_check()
    assert "meet neither definition" in aid.result.value
    aid.boxes["act"].value = True
    aid.boxes["exploitation_purpose"].value = True
    assert "neither" in aid.result.value
    aid.boxes["child"].value = True
    assert "trafficking in persons only" in aid.result.value
    assert "TIP Protocol, art. 3(c) and (d)" in aid.result.value
    saved = record(responses, "elements-check")
    assert saved["answer"]["classification"] == "trafficking"
    reopen(responses)
    again = exercises.elements_check()
    assert again.boxes["child"].value and "trafficking in persons only" in again.result.value


def test_elements_check_names_enabling_stay_as_an_offence_not_the_definition(responses):
    aid = exercises.elements_check()
    aid.boxes["illegal_stay_enabled"].value = True
    assert "meet no definition of smuggling of migrants" in aid.result.value
    assert "enabling illegal stay (art. 6(1)(c))" in aid.result.value
    assert "smuggling of migrants only" not in aid.result.value
    for key in ("act", "exploitation_purpose", "child"):
        aid.boxes[key].value = True
    assert "meet the definition of trafficking in persons and an offence" in aid.result.value


# Discussion notes ---------------------------------------------------------------------------


def test_note_saves_counts_words_restores_and_escapes(responses):
    note = exercises.discussion("local-setting")
    assert "Not saved yet" in note.status.value
    note.text.value = "Наши законы " + HOSTILE
    assert "5 words" in note.words.value
    assert "Saved at" in note.status.value
    assert record(responses, "note.local-setting")["answer"] == "Наши законы " + HOSTILE
    reopen(responses)
    again = exercises.discussion("local-setting")
    assert again.text.value == "Наши законы " + HOSTILE
    assert "earlier note is loaded back" in again.status.value
    assert "<script>" not in again.root.children[0].value


def test_note_autosave_is_debounced(responses, monkeypatch):
    monkeypatch.setattr(notes, "AUTOSAVE_DELAY_SECONDS", 0.05)
    saves = []

    async def typing():
        note = exercises.discussion("national-framework")
        original = note.save
        note.save = lambda answer, new_attempt=True: (
            saves.append(answer) or original(answer, new_attempt)
        )
        for word in ["Our", "Our law", "Our law of 2010"]:
            note.text.value = word
        assert saves == [], "nothing is saved while the participant is still typing"
        await asyncio.sleep(0.2)
        return note

    note = asyncio.run(typing())
    assert saves == ["Our law of 2010"]
    assert record(responses, "note.national-framework")["answer"] == "Our law of 2010"
    assert "Saved at" in note.status.value


def test_note_too_long_is_refused_and_kept(responses):
    note = exercises.discussion("local-setting")
    note.text.value = "word " * 2500
    assert "the limit is 10,000" in text_of(note.status.value)
    assert record(responses, "note.local-setting") is None
    assert "word word" in session.current().export_markdown()


def test_note_in_unwritable_folder_says_where_and_exports(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    session.start("01_nb", participant="amira", responses_dir_parameter=str(blocker / "r"))
    note = exercises.discussion("local-setting")
    note.text.value = "keep me"
    message = text_of(note.status.value)
    assert "could not be saved" in message and str(blocker / "r") in message
    links = export_links_html(session.current())
    csv_payload = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', links).group(1)
    assert "keep me" in base64.b64decode(csv_payload).decode("utf-8")


# Checklist ----------------------------------------------------------------------------------


def test_checklist_progress_summary_save_restore_and_export(responses):
    widget = exercises.checklist()
    assert len(widget.rows) == 9
    assert widget.progress.max == 9 and widget.progress.value == 0
    widget.rows["ratification-status"].country.value = "KEN"
    widget.rows["framework-areas.cooperation"].choice.value = "Partly"
    widget.rows["framework-areas.cooperation"].note.value = "MLA treaties with neighbours"
    assert widget.progress.value == 2 and "2 of 9 answered" in widget.progress_text.value
    assert "<strong>Partly</strong> (MLA treaties with neighbours)" in widget.summary.value
    saved = record(responses, "post-session-checklist")["answer"]
    assert saved["framework-areas.cooperation"] == {
        "answer": "Partly",
        "note": "MLA treaties with neighbours",
    }
    assert saved["ratification-status"]["answer"].startswith("Kenya (KEN): UNTOC: Party")
    markdown = re.search(r'data:text/markdown;charset=utf-8;base64,([^"]+)"', widget.exports.value)
    exported = base64.b64decode(markdown.group(1)).decode("utf-8")
    assert "framework-areas.cooperation.answer**: Partly" in exported
    reopen(responses)
    again = exercises.checklist()
    assert again.rows["framework-areas.cooperation"].choice.value == "Partly"
    assert again.rows["ratification-status"].country.value == "KEN"
    assert again.progress.value == 2


def test_checklist_text_lists_every_question_and_item(responses):
    text = exercises.checklist()._repr_mimebundle_()["text/plain"]
    for question in content.load_checklist().questions:
        assert question.text in text
        for item in question.items:
            assert f"   - {item.text}" in text


# Poll and country card ----------------------------------------------------------------------


def test_poll_requires_a_choice_then_saves_and_restores(responses):
    poll = exercises.poll("hardest-challenge")
    poll.submit_button.click()
    assert "Please choose" in text_of(poll.status.value)
    poll.choice.value = "Identification and referral"
    poll.submit_button.click()
    assert record(responses, "poll.hardest-challenge")["answer"] == {
        "choice": "Identification and referral"
    }
    reopen(responses)
    assert exercises.poll("hardest-challenge").choice.value == "Identification and referral"


def test_country_picker_shows_card_and_remembers_choice(responses):
    picker = exercises.country_picker("Ivory Coast")
    assert picker.dropdown.value == "CIV"
    assert "Côte d&#x27;Ivoire (CIV)" in picker.card.value
    assert picker._repr_mimebundle_()["text/plain"].startswith("Country card: Côte d'Ivoire")
    picker.dropdown.value = "KEN"
    assert "Kenya (KEN)" in picker.card.value
    reopen(responses)
    assert exercises.country_picker("").dropdown.value == "KEN"


def test_country_picker_unknown_country_is_one_sentence(responses):
    picker = exercises.country_picker("Narnia")
    assert picker.dropdown.value == ""
    assert "We could not find a country called &#x27;Narnia&#x27;" in picker.status.value
    assert picker._repr_mimebundle_()["text/plain"].startswith("We could not find")


def test_unknown_exercise_is_a_message_not_a_traceback(responses):
    assert isinstance(exercises.quiz("no-such-quiz"), Message)
    assert "could not be loaded" in repr(exercises.poll("no-such-poll"))
