"""A French-speaking participant in a real browser: JupyterLab started the way `workshop lab
--lang fr` starts it (its own menus in French through the language pack), the French notebooks
run, each kind of exercise answered in French, the French feedback read, and the saved records
checked: they are the records an English-speaking participant's same choices make."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import running_lab, server_environment
from tests.e2e.test_browser import WIDGET_TIMEOUT, alerts, choose, open_and_run, screenshot
from workshop_lib.exercises.content import load_quiz
from workshop_lib.i18n.catalog import use
from workshop_lib.i18n.notebooks import notebook_folder
from workshop_lib.participant.launch import language_environment
from workshop_lib.responses.keys import record_file_name

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def lab_fr(tmp_path_factory):
    """JupyterLab in French (as `workshop lab --lang fr` starts it) serving the French notebooks."""
    root = tmp_path_factory.mktemp("lab-fr")
    home = root / "home"
    home.mkdir()
    env = language_environment(server_environment(home, root / "responses"), "fr", root / "conf")
    with running_lab(root, notebook_folder("fr"), env, "e2e-token-fr-0123456789") as served:
        yield served


FRENCH_LAB_WORDS = {
    "select": "Sélectionner",
    "run_menu": "Exécution",
    "run_all": "Exécuter toutes les cellules",
}


def run_in_french(page, lab, name: str) -> None:
    """Open a French notebook and run it from JupyterLab's French menu."""
    open_and_run(page, lab, name, FRENCH_LAB_WORDS)


def record(lab, notebook: str, activity: str) -> dict:
    folders = [p for p in lab["responses"].iterdir() if p.is_dir()]
    assert len(folders) == 1, folders
    path = folders[0] / record_file_name("demo", notebook, activity)
    return json.loads(path.read_text(encoding="utf-8"))


def test_jupyterlab_itself_speaks_french(page, lab_fr):
    run_in_french(page, lab_fr, "00_welcome.ipynb")
    menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
    assert "Fichier" in menus and "Édition" in menus, menus
    assert page.locator("html").get_attribute("lang") in ("fr", "fr-FR", "fr_FR")
    assert alerts(page) == []


def test_the_quiz_in_french(page, lab_fr):
    run_in_french(page, lab_fr, "01_untoc_and_protocols.ipynb")
    use("fr")
    try:  # the labels as a French participant sees them (True/False are interface words)
        quiz = load_quiz("untoc-basics")
        for number, item in enumerate(quiz.items, start=1):
            choose(page, number, item, right=number != 1)
    finally:
        use("en")
    total = len(quiz.items)
    page.get_by_role("button", name="Vérifier mes réponses").click()
    page.get_by_text(f"Score\u00a0: {total - 1} sur {total}").wait_for(timeout=WIDGET_TIMEOUT)
    assert page.get_by_text("✗ Pas tout à fait.").count() == 1
    assert page.get_by_text("✓ Exact.").count() == total - 1
    assert page.get_by_text("Source\u00a0: ").count() >= total
    screenshot(page, "fr-01_untoc_and_protocols")
    saved = record(lab_fr, "01_untoc_and_protocols", "untoc-basics")
    assert saved["answer"]["score"] == total - 1 and saved["attempts"] == 1
    first = quiz.items[0]
    assert saved["answer"]["choices"][first.id] not in first.correct_ids()


def test_a_scenario_in_french(page, lab_fr):
    run_in_french(page, lab_fr, "03_implementation_challenges.ipynb")
    card = (
        page.locator(".widget-vbox")
        .filter(has=page.locator("h4", has_text="L’emploi au restaurant"))
        .filter(has=page.locator(".widget-radio"))
        .last
    )
    card.get_by_label("Traite des personnes", exact=True).check()
    for element in ("L’acte\u00a0:", "Le moyen\u00a0:", "Le but d’exploitation"):
        card.get_by_label(element).check()
    card.get_by_role("button", name="Vérifier").click()
    card.get_by_text("✓ Exact.").wait_for(timeout=WIDGET_TIMEOUT)
    assert "Protocole relatif à la traite des personnes" in card.inner_text()
    screenshot(page, "fr-03_implementation_challenges")
    saved = record(lab_fr, "03_implementation_challenges", "tip-or-som.restaurant-job")
    assert saved["answer"]["classification"] == "trafficking" and saved["answer"]["correct"]


def test_a_poll_and_the_elements_check_in_french(page, lab_fr):
    run_in_french(page, lab_fr, "02_legal_frameworks_discussion.ipynb")
    poll = (
        page.locator(".widget-vbox")
        .filter(has=page.get_by_text("Votre pays a-t-il érigé en infraction pénale"))
        .filter(has=page.locator(".widget-radio"))
        .last
    )
    poll.get_by_label("En partie", exact=True).check()
    poll.get_by_role("button", name="Envoyer").click()
    poll.get_by_text("Enregistré à").wait_for(timeout=WIDGET_TIMEOUT)
    saved = record(lab_fr, "02_legal_frameworks_discussion", "poll.criminalized-all-elements")
    assert saved["answer"] == {"choice": "Partly"}  # the English value, as any participant's
    for element in ("L’acte\u00a0:", "Le moyen\u00a0:", "Le but d’exploitation"):
        page.locator(".widget-checkbox").get_by_label(element).first.check()
    page.get_by_text(
        "Ces faits répondent uniquement à la définition de la traite des personnes."
    ).first.wait_for(timeout=WIDGET_TIMEOUT)
    check = record(lab_fr, "02_legal_frameworks_discussion", "elements-check")
    assert sorted(check["answer"]["facts"]) == ["act", "exploitation_purpose", "means"]
    screenshot(page, "fr-02_legal_frameworks_discussion")


def test_a_note_and_the_checklist_in_french(page, lab_fr):
    run_in_french(page, lab_fr, "04_responses_discussion.ipynb")
    page.locator("textarea").first.fill("Orientation par l’inspection du travail, « à suivre »")
    page.get_by_text("Enregistré à").first.wait_for(timeout=WIDGET_TIMEOUT)
    note = record(lab_fr, "04_responses_discussion", "note.level-local")
    assert note["answer"] == "Orientation par l’inspection du travail, « à suivre »"

    run_in_french(page, lab_fr, "05_post_session_checklist.ipynb")
    page.locator(".widget-toggle-buttons").first.get_by_role("button", name="Oui").click()
    page.get_by_placeholder("Note facultative", exact=True).first.fill("Loi de 2016")
    page.get_by_text("1 sur 9 avec une réponse").wait_for(timeout=WIDGET_TIMEOUT)
    screenshot(page, "fr-05_post_session_checklist")
    checklist = record(lab_fr, "05_post_session_checklist", "post-session-checklist")
    assert checklist["answer"]["all-elements"] == {"answer": "Yes", "note": "Loi de 2016"}
    assert alerts(page) == []
