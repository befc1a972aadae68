"""The participant view in a real browser: every agenda notebook as a page with no code, no
settings cell and no trainer notes; answers saved in the same store under the same participant
id as in JupyterLab; previous, next and contents; the country chosen once and remembered; a
failing cell shown as one sentence; and not one request leaving the machine."""

from __future__ import annotations

import re

import nbformat
import pytest

from tests.conftest import PARTICIPANT_AGENDA
from tests.e2e.participant import (
    offline,
    open_page,
    page_address,
    record_timing,
    screenshot,
    start_participant_server,
    stop_participant_server,
    wait_until_ready,
)
from workshop_lib.config import participant_id
from workshop_lib.participant.launch import CELL_ERROR
from workshop_lib.participant.pages import agenda_pages
from workshop_lib.responses.folder import FolderStore

pytestmark = pytest.mark.e2e
AGENDA = PARTICIPANT_AGENDA
TIMEOUT = 120_000


@pytest.fixture(scope="module")
def view(tmp_path_factory):
    """The participant view (what `workshop lab --participant` starts) on the agenda."""
    process, log, info = start_participant_server(tmp_path_factory.mktemp("participant"))
    try:
        yield info
    finally:
        stop_participant_server(process, log)


def saved(view, notebook: str, activity: str) -> dict | None:
    """The record the participant view saved, read as JupyterLab's notebooks read it: the same
    store, the same participant id (this operating-system user, as in `workshop lab`)."""
    return FolderStore(view["responses"]).load(participant_id(""), "demo", notebook, activity)


@pytest.mark.parametrize("name", AGENDA)
def test_each_page_shows_no_code_no_settings_and_no_trainer_notes(page, view, name):
    outside = offline(page)
    seconds = open_page(page, view, name)
    record_timing(name, seconds)
    page.locator("footer.workshop-footer").wait_for(state="attached")
    text = page.locator("body").inner_text()
    source = nbformat.read(view["notebooks"] / name, as_version=4)
    for cell in source.cells:
        first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
        if cell.cell_type == "code" and first_line:
            assert first_line not in text, f"code shown: {first_line}"
        if "trainer" in cell.metadata.get("tags", []):
            assert first_line not in text, f"trainer note shown: {first_line}"
    for hidden in ("Settings for this session", "Trainer notes", "workshop_lib", "Traceback"):
        assert hidden not in text
    assert page.locator(".cm-editor >> visible=true").count() == 0
    stderr = page.locator('[data-mime-type="application/vnd.jupyter.stderr"] >> visible=true')
    assert stderr.count() == 0, stderr.all_inner_texts()
    contents = page.get_by_role("navigation", name="Agenda")
    assert contents.get_by_role("link").count() == len(AGENDA)
    current = contents.locator("[aria-current=page]")
    assert current.get_attribute("href") == name
    title = next(p.title for p in agenda_pages(view["notebooks"]) if p.name == name)
    assert page.title() == title
    screenshot(page, f"participant-{name.removesuffix('.ipynb')}")
    assert outside == [], "the participant view must load nothing from outside the machine"
    assert page.dialogs == []


def test_an_answer_is_saved_in_the_same_store_and_comes_back_on_reload(page, view):
    outside = offline(page)
    open_page(page, view, "02_legal_frameworks_discussion.ipynb")
    poll = (
        page.locator(".widget-vbox")
        .filter(has=page.get_by_text("Has your country criminalized all the elements"))
        .filter(has=page.locator(".widget-radio"))
        .last
    )
    poll.get_by_label("Partly", exact=True).check()
    poll.get_by_role("button", name="Submit").click()
    poll.get_by_text("Saved at").wait_for(timeout=TIMEOUT)
    record = saved(view, "02_legal_frameworks_discussion", "poll.criminalized-all-elements")
    assert record is not None and record["answer"] == {"choice": "Partly"}
    assert record["participant"] == participant_id("")

    page.reload()
    wait_until_ready(page)
    poll = (
        page.locator(".widget-vbox")
        .filter(has=page.get_by_text("Has your country criminalized all the elements"))
        .filter(has=page.locator(".widget-radio"))
        .last
    )
    assert poll.get_by_label("Partly", exact=True).is_checked()
    poll.get_by_text("Your earlier answer is shown").wait_for(timeout=TIMEOUT)
    assert outside == []


def test_previous_next_and_contents_lead_through_the_agenda(page, view):
    outside = offline(page)
    open_page(page, view, "00_welcome.ipynb")
    assert page.get_by_role("link", name=re.compile("^Previous")).count() == 0
    page.get_by_role("link", name="Next: 1. UNTOC and the Protocols").click()
    wait_until_ready(page)
    assert page.url.split("?")[0].endswith("/voila/render/01_untoc_and_protocols.ipynb")
    page.get_by_role("link", name="Previous: Welcome").click()
    wait_until_ready(page)
    assert page.url.split("?")[0].endswith("/voila/render/00_welcome.ipynb")
    page.get_by_role("navigation", name="Agenda").get_by_role(
        "link", name="5. Post-session checklist"
    ).click()
    wait_until_ready(page)
    assert page.title() == "5. Post-session checklist"
    assert page.get_by_role("link", name=re.compile("^Next")).count() == 0
    assert outside == []


def test_the_country_chosen_once_is_where_later_pages_start(page, view):
    outside = offline(page)
    open_page(page, view, "00_welcome.ipynb")
    page.get_by_label("Country", exact=True).select_option(label="Kenya")
    page.get_by_text("Saved at").first.wait_for(timeout=TIMEOUT)
    for later in ("01_untoc_and_protocols.ipynb", "05_post_session_checklist.ipynb"):
        page.goto(page_address(view, later))
        wait_until_ready(page)
        pickers = page.get_by_label("Country", exact=True)
        pickers.first.wait_for(timeout=TIMEOUT)
        assert [p.input_value() for p in pickers.all()] == ["Kenya"] * pickers.count(), later
        assert page.get_by_role("region", name="Country card: Kenya").first.is_visible()
    record = saved(view, "00_welcome", "country")
    assert record["answer"] == {"country": "KEN"}
    assert outside == []


BROKEN_SETTING = "00_broken_setting.ipynb"
BROKEN_CELL = "01_broken_cell.ipynb"


def write_broken_notebooks(view) -> None:
    """Two notebooks that fail: a setting that cannot work (a number as the country), and a
    cell with a bug (a division by zero after the session started)."""
    folder = view["notebooks"] / "broken"
    folder.mkdir(exist_ok=True)
    welcome = nbformat.read(view["notebooks"] / "00_welcome.ipynb", as_version=4)
    setting = nbformat.from_dict(welcome)
    parameters = next(c for c in setting.cells if "parameters" in c.metadata.get("tags", []))
    parameters.source = parameters.source.replace('country = ""', "country = 42")
    nbformat.write(setting, folder / BROKEN_SETTING)
    bug = nbformat.read(view["notebooks"] / "00_welcome.ipynb", as_version=4)
    start = next(i for i, c in enumerate(bug.cells) if "start(" in c.source)
    bug.cells.insert(start + 1, nbformat.v4.new_code_cell("ratio = 1 / 0"))
    nbformat.write(bug, folder / BROKEN_CELL)


def test_a_failing_cell_shows_one_sentence_not_a_traceback(page, view):
    outside = offline(page)
    write_broken_notebooks(view)
    page.goto(page_address(view, f"broken/{BROKEN_SETTING}"))
    page.locator("#rendered_cells").wait_for(state="visible", timeout=TIMEOUT)
    message = page.locator(".workshop-message").first
    message.wait_for(timeout=TIMEOUT)
    sentence = message.inner_text()
    assert "country" in sentence and "must be text" in sentence
    assert sentence.count("\n") == 0 and sentence.endswith(".")
    text = page.locator("body").inner_text()
    assert "Traceback" not in text and "ConfigurationError" not in text
    screenshot(page, "participant-failing-setting")

    page.goto(page_address(view, f"broken/{BROKEN_CELL}"))
    page.locator("#rendered_cells").wait_for(state="visible", timeout=TIMEOUT)
    alert = page.get_by_role("alert")
    alert.wait_for(timeout=TIMEOUT)
    assert alert.inner_text() == CELL_ERROR
    text = page.locator("body").inner_text()
    assert "ZeroDivisionError" not in text and "Traceback" not in text and "1 / 0" not in text
    assert page.get_by_role("link", name=re.compile("^Previous")).is_visible()
    screenshot(page, "participant-failing-cell")
    assert outside == []


def test_a_page_that_does_not_exist_is_one_sentence_and_a_way_back(page, view):
    outside = offline(page)
    response = page.goto(page_address(view, "99_no_such_page.ipynb"))
    assert response.status == 404
    text = page.locator("main").inner_text()
    assert "This page does not exist here" in text and "Traceback" not in text
    page.get_by_role("link", name="the welcome page").click()
    wait_until_ready(page)
    assert page.title().startswith("Welcome")
    assert outside == []
