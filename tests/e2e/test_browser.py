"""A participant in a real browser: JupyterLab in headless Chromium, every exercise clicked,
the page reloaded, the saved files checked, and hostile text shown as text everywhere."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import ARTIFACTS
from workshop_lib.cli import main
from workshop_lib.exercises.content import load_quiz
from workshop_lib.responses.keys import record_file_name

pytestmark = pytest.mark.e2e
HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
WIDGET_TIMEOUT = 90_000


# JupyterLab's own words this test clicks (another language's pack gives others).
LAB_WORDS = {"select": "Select", "run_menu": "Run", "run_all": "Run All Cells"}


def open_and_run(page, lab, name: str, words: dict[str, str] = LAB_WORDS) -> None:
    """Open a notebook, run all its cells from JupyterLab's menu (in the words of its
    language), and wait until the kernel is idle again."""
    # A workspace of its own, reset, so that no other notebook is restored beside this one.
    workspace = name.split(".")[0].replace("_", "-").replace("/", "-")
    page.goto(f"{lab['base']}/lab/workspaces/{workspace}/tree/{name}?reset&token={lab['token']}")
    page.locator(".jp-NotebookPanel .jp-Cell >> visible=true").first.wait_for(
        timeout=WIDGET_TIMEOUT
    )
    select_kernel = page.locator(".jp-Dialog").get_by_role(
        "button", name=words["select"], exact=True
    )
    try:  # JupyterLab sometimes asks which kernel to start for a fresh workspace
        select_kernel.wait_for(timeout=5_000)
        select_kernel.click()
    except PlaywrightTimeout:
        pass
    idle = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle'] >> visible=true")
    idle.first.wait_for(timeout=WIDGET_TIMEOUT)
    page.locator(".lm-MenuBar-itemLabel", has_text=words["run_menu"]).click()
    page.locator(".lm-Menu-itemLabel").get_by_text(words["run_all"], exact=True).click()
    try:
        # Attached, not visible: JupyterLab may render cells away from the viewport lazily.
        page.locator(".jupyter-widgets").first.wait_for(state="attached", timeout=WIDGET_TIMEOUT)
        idle.first.wait_for(timeout=WIDGET_TIMEOUT)
        page.locator(".jp-Cell").last.wait_for(state="attached", timeout=WIDGET_TIMEOUT)
    except Exception:
        screenshot(page, f"failed-{name}")
        raise


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def alerts(page) -> list[str]:
    return [d for d in page.dialogs if d]


def choose(page, number: int, item, right: bool) -> None:
    labels = [label for label, option in item.choices() if (option in item.correct_ids()) == right]
    if item.type == "multiple":
        for label in labels:
            page.get_by_label(label, exact=True).check()
        return
    group = page.locator(".widget-radio").filter(
        has=page.locator(".widget-label", has_text=re.compile(rf"^Q{number}$"))
    )
    group.get_by_label(labels[0], exact=True).check()


def saved(lab, participant_folder: str, name: str) -> dict:
    return json.loads((lab["responses"] / participant_folder / name).read_text(encoding="utf-8"))


def participant_folder(lab) -> str:
    folders = [p.name for p in lab["responses"].iterdir() if p.is_dir()]
    assert len(folders) == 1, folders
    return folders[0]


def test_quiz_right_and_wrong_with_feedback(page, lab):
    open_and_run(page, lab, "01_untoc_and_protocols.ipynb")
    quiz = load_quiz("untoc-basics")
    for number, item in enumerate(quiz.items, start=1):
        choose(page, number, item, right=number != 1)
    total = len(quiz.items)
    page.get_by_role("button", name="Check my answers").click()
    page.get_by_text(f"Score: {total - 1} of {total}").wait_for(timeout=WIDGET_TIMEOUT)
    assert page.get_by_text("✗ Not quite.").count() == 1
    assert page.get_by_text("✓ Correct.").count() == total - 1
    choose(page, 1, quiz.items[0], right=True)
    page.get_by_role("button", name="Check my answers").click()
    page.get_by_text(f"Score: {total} of {total}").wait_for(timeout=WIDGET_TIMEOUT)
    screenshot(page, "01_untoc_and_protocols")
    record = saved(
        lab,
        participant_folder(lab),
        record_file_name("demo", "01_untoc_and_protocols", "untoc-basics"),
    )
    assert record["attempts"] == 2 and record["answer"]["score"] == total
    assert alerts(page) == []


def test_scenario_classified_and_explained(page, lab):
    open_and_run(page, lab, "03_implementation_challenges.ipynb")
    card = (
        page.locator(".widget-vbox")
        .filter(has=page.locator("h4", has_text="The restaurant job"))
        .filter(has=page.locator(".widget-radio"))
        .last
    )
    card.get_by_label("Trafficking in persons", exact=True).check()
    for element in ("Act:", "Means:", "Purpose of exploitation"):
        card.get_by_label(element).check()
    card.get_by_role("button", name="Check").click()
    card.get_by_text("✓ Correct.").wait_for(timeout=WIDGET_TIMEOUT)
    assert "TIP Protocol, art. 3(b)" in card.inner_text()
    screenshot(page, "03_implementation_challenges")
    record = saved(
        lab,
        participant_folder(lab),
        record_file_name("demo", "03_implementation_challenges", "tip-or-som.restaurant-job"),
    )
    assert record["answer"]["classification"] == "trafficking" and record["answer"]["correct"]


def test_note_and_checklist_saved_restored_after_reload_and_escaped(page, lab):
    open_and_run(page, lab, "04_responses_discussion.ipynb")
    note = page.locator("textarea").first
    note.fill("Referral by labour inspectors " + HOSTILE)
    page.get_by_text("Saved at").first.wait_for(timeout=WIDGET_TIMEOUT)
    screenshot(page, "04_responses_discussion")

    open_and_run(page, lab, "05_post_session_checklist.ipynb")
    page.locator(".widget-toggle-buttons").first.get_by_role("button", name="Yes").click()
    page.get_by_placeholder("Optional note", exact=True).first.fill(HOSTILE)
    page.get_by_text("1 of 9 answered").wait_for(timeout=WIDGET_TIMEOUT)
    page.get_by_text('<img src=x onerror="alert(1)">', exact=False).first.wait_for()
    screenshot(page, "05_post_session_checklist")
    with page.expect_download() as download:
        page.get_by_text("Export my answers (Markdown)").first.click()
    exported = download.value.path().read_text(encoding="utf-8")
    assert download.value.suggested_filename == "my-answers-demo.md"
    assert "**all-elements.answer**: Yes" in exported

    page.reload()
    open_and_run(page, lab, "05_post_session_checklist.ipynb")
    page.get_by_text("1 of 9 answered").first.wait_for(timeout=WIDGET_TIMEOUT)
    first_row = page.locator(".widget-toggle-buttons").first
    assert "mod-active" in first_row.get_by_role("button", name="Yes").get_attribute("class")
    assert page.get_by_placeholder("Optional note", exact=True).first.input_value() == HOSTILE

    open_and_run(page, lab, "04_responses_discussion.ipynb")
    assert page.locator("textarea").first.input_value().startswith("Referral by labour")

    folder = participant_folder(lab)
    checklist = saved(
        lab, folder, record_file_name("demo", "05_post_session_checklist", "post-session-checklist")
    )
    assert checklist["answer"]["all-elements"] == {"answer": "Yes", "note": HOSTILE}
    note_record = saved(
        lab, folder, record_file_name("demo", "04_responses_discussion", "note.level-local")
    )
    assert note_record["answer"] == "Referral by labour inspectors " + HOSTILE
    assert alerts(page) == [], "participant text must never run as code"
    assert not [e for e in page.console_errors if "alert" in e]


def test_trainer_report_shows_hostile_text_as_text(page, lab, tmp_path):
    out = tmp_path / "report.html"
    if not any(lab["responses"].rglob("*.json")):
        pytest.fail("the earlier browser tests saved nothing")
    assert main(["report", str(lab["responses"]), "--out", str(out)]) == 0
    page.goto(out.as_uri())
    page.get_by_text('<img src=x onerror="alert(1)">', exact=False).first.wait_for()
    screenshot(page, "trainer_report")
    assert alerts(page) == []
    assert page.locator("script").count() == 0 and page.locator("img").count() == 0


@pytest.mark.parametrize(
    "name", ["00_welcome", "02_legal_frameworks_discussion", "90_trainer_dashboard"]
)
def test_the_other_notebooks_run_in_the_browser_without_errors(page, lab, name):
    open_and_run(page, lab, f"{name}.ipynb")
    page.locator(".jp-Cell").last.scroll_into_view_if_needed()
    screenshot(page, name)
    errors = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    assert errors.count() == 0, errors.all_inner_texts()
    assert alerts(page) == []


def test_a_poll_answered_with_the_keyboard_alone(page, lab):
    open_and_run(page, lab, "02_legal_frameworks_discussion.ipynb")
    poll = (
        page.locator(".widget-vbox")
        .filter(has=page.get_by_text("Has your country criminalized all the elements"))
        .filter(has=page.locator(".widget-radio"))
        .last
    )
    poll.get_by_label("Partly", exact=True).focus()
    page.keyboard.press("Space")
    submit = poll.get_by_role("button", name="Submit")
    submit.focus()
    page.keyboard.press("Enter")
    poll.get_by_text("Saved at").wait_for()
    record = saved(
        lab,
        participant_folder(lab),
        record_file_name(
            "demo", "02_legal_frameworks_discussion", "poll.criminalized-all-elements"
        ),
    )
    assert record["answer"] == {"choice": "Partly"}
