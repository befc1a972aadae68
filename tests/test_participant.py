"""The participant view's pieces without a browser: pages and navigation, the Voilà settings,
the hand-out of published notebooks into a home, the hub's landing pages, the country
remembered across pages, and the stylesheet the exercise widgets carry."""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import types
from pathlib import Path

import nbformat
import pytest
from traitlets.config import Config

from tests.conftest import PARTICIPANT_AGENDA
from workshop_lib import notebook as exercises
from workshop_lib.exercises.widgets import style
from workshop_lib.participant import handout, hub, launch, pages, singleuser
from workshop_lib.paths import notebooks_dir
from workshop_lib.responses import session
from workshop_lib.trainer import runner

DAY = datetime.date(2026, 11, 28)
AGENDA = PARTICIPANT_AGENDA


@pytest.fixture
def folder(tmp_path):
    """A copy of the notebooks folder, with the trainer's dashboard in it."""
    target = tmp_path / "notebooks"
    shutil.copytree(notebooks_dir(), target)
    return target


# Pages and navigation -----------------------------------------------------------------------


def test_the_agenda_pages_are_00_to_05_in_order_with_their_headings(folder):
    (folder / "01_untoc_and_protocols (updated 2026-11-28).ipynb").write_text("{}")
    listed = pages.agenda_pages(folder)
    assert [p.name for p in listed] == AGENDA
    assert listed[0].label == "Welcome"
    assert listed[1].title == listed[1].label == "1. UNTOC and the Protocols"


def test_navigation_marks_the_current_page_and_links_previous_and_next(folder):
    nav = pages.navigation(folder, "01_untoc_and_protocols.ipynb")
    assert [p["current"] for p in nav["pages"]] == [False, True, False, False, False, False]
    assert nav["previous"]["href"] == "00_welcome.ipynb"
    assert nav["next"]["href"] == "02_legal_frameworks_discussion.ipynb"
    assert pages.navigation(folder, "00_welcome.ipynb")["previous"] is None
    assert pages.navigation(folder, "05_post_session_checklist.ipynb")["next"] is None
    spaced = pages.navigation(folder, "x")
    assert spaced["previous"] is None and spaced["next"] is None and len(spaced["pages"]) == 6


def test_the_hook_removes_trainer_notes_titles_the_page_and_attaches_navigation(folder):
    name = "01_untoc_and_protocols.ipynb"
    notebook = nbformat.read(folder / name, as_version=4)
    assert any("trainer" in c.metadata.get("tags", []) for c in notebook.cells)
    request = types.SimpleNamespace(
        request=types.SimpleNamespace(path=f"/user/ana/voila/render/{name}"),
        settings={"server_root_dir": str(folder.parent)},
    )
    page = pages.prelaunch_hook(request, notebook, folder.name)
    assert not any("trainer" in c.metadata.get("tags", []) for c in page.cells)
    assert any("parameters" in c.metadata.get("tags", []) for c in page.cells)
    assert page.metadata["title"] == "1. UNTOC and the Protocols"
    assert page.metadata[pages.NAVIGATION_KEY]["pages"][1]["current"] is True


def test_the_trainer_tag_is_the_runners():
    assert pages.TRAINER_TAG == runner.TRAINER_TAG


def test_a_page_name_is_read_from_an_escaped_request_path():
    assert pages.requested_name("/voila/render/sub/a%20b.ipynb") == "a b.ipynb"


# Voilà settings and the server environment --------------------------------------------------


def test_voila_is_configured_offline_without_code_or_tracebacks():
    c = Config()
    launch.configure_voila(c)
    voila = c.VoilaConfiguration
    assert voila.template == "workshop" and voila.strip_sources is True
    assert voila.show_tracebacks is False and voila.allow_template_override == "NO"
    assert voila.page_config_hook({"fullMathjaxUrl": "https://cdn"}) == {
        "fullMathjaxUrl": None,
        "mathjaxConfig": None,
    }
    template = launch.DATA_DIR / "voila" / "templates" / "workshop"
    for path in template.iterdir():
        text = path.read_text(encoding="utf-8")
        assert "https://" not in text and "http://" not in text, path.name


def test_the_environment_puts_the_participant_view_first_and_keeps_the_rest():
    env = launch.participant_environment(
        {"JUPYTER_PATH": "/a", "OTHER": "1"}, ("/venv/share/jupyter",), ("/venv/etc/jupyter",)
    )
    assert env["JUPYTER_PATH"].split(os.pathsep) == [
        str(launch.DATA_DIR),
        "/venv/share/jupyter",
        "/a",
    ]
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [
        str(launch.CONFIG_DIR),
        "/venv/etc/jupyter",
    ]
    assert env["OTHER"] == "1"


def test_the_participant_server_opens_the_first_page(folder):
    command, env, address = launch.participant_server(folder, "127.0.0.1", 8899, "t0k", {})
    assert address == "http://127.0.0.1:8899/voila/render/00_welcome.ipynb?token=t0k"
    assert f"--ServerApp.root_dir={folder}" in command
    assert str(launch.CONFIG_DIR) in env["JUPYTER_CONFIG_PATH"]


def test_a_folder_without_agenda_notebooks_is_one_sentence(tmp_path):
    with pytest.raises(launch.ParticipantViewError) as caught:
        launch.participant_server(tmp_path, "127.0.0.1", 8899, "t", {})
    message = str(caught.value)
    assert "workshop init" in message and message.count(".") <= 2 and "\n" not in message


def test_a_users_server_finds_the_packages_jupyter_folders_beside_site_packages(tmp_path):
    venv = tmp_path / "venv"
    site = venv / "lib" / "python3.11" / "site-packages"
    (venv / "share" / "jupyter").mkdir(parents=True)
    (venv / "etc" / "jupyter").mkdir(parents=True)
    site.mkdir(parents=True)
    bare = tmp_path / "copy" / "site-packages"
    bare.mkdir(parents=True)
    (tmp_path / "copy" / "share" / "jupyter").mkdir(parents=True)
    env = singleuser.server_environment({}, [str(site), str(bare), "/somewhere/else"])
    data = env["JUPYTER_PATH"].split(os.pathsep)
    assert data == [
        str(launch.DATA_DIR),
        str(venv / "share" / "jupyter"),
        str(tmp_path / "copy" / "share" / "jupyter"),
    ]
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[1] == str(venv / "etc" / "jupyter")


# Hand-out -----------------------------------------------------------------------------------


def notebook_bytes(text: str) -> bytes:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)])
    return nbformat.writes(nb).encode("utf-8")


def publish_version(published: Path, text: str, name: str = "01_page.ipynb") -> None:
    published.mkdir(exist_ok=True)
    (published / name).write_bytes(notebook_bytes(text))


def test_first_hand_out_copies_then_a_later_start_changes_nothing(tmp_path):
    published, home = tmp_path / "published", tmp_path / "home" / "workshop"  # made if missing
    publish_version(published, "# Version 1")
    assert handout.hand_out(published, home, DAY).copied == ["01_page.ipynb"]
    again = handout.hand_out(published, home, DAY)
    assert again.kept == ["01_page.ipynb"] and not (again.copied or again.updated or again.beside)
    assert oct((home / "01_page.ipynb").stat().st_mode & 0o777) == "0o644"


def test_an_unchanged_notebook_is_replaced_by_a_newer_version(tmp_path):
    published, home = tmp_path / "published", tmp_path / "home"
    home.mkdir()
    publish_version(published, "# Version 1")
    handout.hand_out(published, home, DAY)
    # Running it in JupyterLab changes outputs and metadata, not the cells: still unchanged.
    nb = nbformat.read(home / "01_page.ipynb", as_version=4)
    nb.metadata["widgets"] = {"state": {}}
    nbformat.write(nb, home / "01_page.ipynb")
    publish_version(published, "# Version 2")
    assert handout.hand_out(published, home, DAY).updated == ["01_page.ipynb"]
    assert "Version 2" in (home / "01_page.ipynb").read_text()


def test_a_changed_notebook_is_kept_and_the_newer_version_added_beside_once(tmp_path):
    published, home = tmp_path / "published", tmp_path / "home"
    home.mkdir()
    publish_version(published, "# Version 1")
    handout.hand_out(published, home, DAY)
    (home / "01_page.ipynb").write_bytes(notebook_bytes("# Version 1\n\nMy own notes"))
    publish_version(published, "# Version 2")
    report = handout.hand_out(published, home, DAY)
    assert report.beside == ["01_page (updated 2026-11-28).ipynb"]
    assert "My own notes" in (home / "01_page.ipynb").read_text()
    assert "Version 2" in (home / "01_page (updated 2026-11-28).ipynb").read_text()
    assert handout.hand_out(published, home, DAY).beside == []
    publish_version(published, "# Version 3")
    assert handout.hand_out(published, home, DAY).beside == [
        "01_page (updated 2026-11-28, 2).ipynb"
    ]
    assert "My own notes" in (home / "01_page.ipynb").read_text()


def test_a_file_already_there_is_never_overwritten_and_a_deleted_one_comes_back(tmp_path):
    published, home = tmp_path / "published", tmp_path / "home"
    home.mkdir()
    (home / "01_page.ipynb").write_text("not a notebook of ours")
    publish_version(published, "# Version 1")
    publish_version(published, "# Other", "02_other.ipynb")
    report = handout.hand_out(published, home, DAY)
    assert report.copied == ["02_other.ipynb"]
    assert report.beside == ["01_page (updated 2026-11-28).ipynb"]
    assert (home / "01_page.ipynb").read_text() == "not a notebook of ours"
    (home / "02_other.ipynb").unlink()
    assert handout.hand_out(published, home, DAY).copied == ["02_other.ipynb"]


def test_a_link_in_the_home_is_replaced_never_followed_or_written_through(tmp_path):
    published, home = tmp_path / "published", tmp_path / "home"
    home.mkdir()
    secret = tmp_path / "elsewhere.txt"
    secret.write_text("untouched")
    (home / "01_page.ipynb").symlink_to(secret)
    publish_version(published, "# Version 1")
    report = handout.hand_out(published, home, DAY)
    assert report.beside == ["01_page (updated 2026-11-28).ipynb"]
    assert secret.read_text() == "untouched"
    assert (home / "01_page.ipynb").is_symlink()


def test_publishing_writes_participant_copies_once(tmp_path):
    published = tmp_path / "published"
    changed = handout.publish(published, "nairobi", "KEN")
    assert [p.name for p in changed] == AGENDA
    assert handout.publish(published, "nairobi", "KEN") == []
    nb = nbformat.read(published / "01_untoc_and_protocols.ipynb", as_version=4)
    assert not any("trainer" in c.metadata.get("tags", []) for c in nb.cells)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert 'country = "KEN"' in injected[0].source and 'cohort = "nairobi"' in injected[0].source


# The hub ------------------------------------------------------------------------------------


def test_trainers_land_in_jupyterlab_and_participants_on_the_first_page(tmp_path):
    publish_version(tmp_path, "# Welcome", "00_welcome.ipynb")
    assert hub.default_url(True, tmp_path) == "/lab"
    assert hub.default_url(False, tmp_path) == "/voila/render/00_welcome.ipynb"


def test_an_unknown_hub_country_stops_with_the_closest_names(tmp_path):
    with pytest.raises(Exception) as caught:
        hub.publish_agenda(tmp_path / "published", "c1", "Kenia")
    assert "Kenya" in str(caught.value)


def test_the_demo_spawner_hands_out_in_the_hub(tmp_path):
    import asyncio
    import logging

    published = tmp_path / "published"
    publish_version(published, "# Welcome", "00_welcome.ipynb")
    spawner = types.SimpleNamespace(
        user=types.SimpleNamespace(name="ana"),
        home_dir=str(tmp_path / "homes" / "ana"),
        notebook_dir="",
        format_string=lambda s: s,
        log=logging.getLogger("test"),
        default_url="/lab",
    )
    asyncio.run(
        hub.prepare_server(
            spawner, trainers={"tess"}, published=published, python="", environment={}
        )
    )
    assert spawner.default_url == "/voila/render/00_welcome.ipynb"
    assert (tmp_path / "homes" / "ana" / "00_welcome.ipynb").exists()


# The country remembered across pages --------------------------------------------------------


def test_a_later_page_starts_from_the_country_chosen_on_an_earlier_one(tmp_path, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    answers = str(tmp_path / "responses")
    session.start("00_welcome", "", "c1", "amira", answers)
    assert exercises.saved_country() == ""
    exercises.country_picker("").dropdown.value = "KEN"
    session.start("01_untoc_and_protocols", "", "c1", "amira", answers)
    assert exercises.country_picker("").dropdown.value == "KEN"
    assert exercises.country_picker("Ghana").dropdown.value == "GHA"
    session.start("05_post_session_checklist", "", "c1", "amira", answers)
    exercises.country_picker("").dropdown.value = "NGA"
    session.start("02_legal_frameworks_discussion", "", "c1", "amira", answers)
    assert exercises.country_picker("").dropdown.value == "NGA"
    session.start("05_post_session_checklist", "", "c1", "amira", answers)
    status_row = exercises.checklist().rows["ratification-status"]
    assert status_row.country.value == "NGA"
    session.start("02_legal_frameworks_discussion", "", "other-cohort", "amira", answers)
    assert exercises.country_picker("").dropdown.value == ""


# The widgets' stylesheet --------------------------------------------------------------------


def test_every_exercise_carries_the_stylesheet_last_and_marks_its_feedback(tmp_path, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    session.start("01_nb", "", "c1", "amira", str(tmp_path / "responses"))
    quiz = exercises.quiz("untoc-basics")
    sheet = quiz.root.children[-1]
    assert style.STYLESHEET_CLASS in sheet._dom_classes and sheet.layout.display == "none"
    assert "width: 24px" in sheet.value and ":focus-visible" in sheet.value
    assert style.WIDGET_CLASS in quiz.root._dom_classes
    for live in [quiz.status, quiz.score] + [q.feedback for q in quiz.questions]:
        assert style.LIVE_CLASS in live._dom_classes
    for build in (
        exercises.elements_check,
        exercises.checklist,
        lambda: exercises.poll("hardest-challenge"),
        lambda: exercises.discussion("local-setting"),
        lambda: exercises.scenario("tip-or-som", "restaurant-job"),
        exercises.country_picker,
    ):
        widget = build()
        assert style.carries_stylesheet(widget.root), build
        assert style.LIVE_CLASS in widget.status._dom_classes
    answers = exercises.my_answers()
    answers._repr_mimebundle_()
    assert style.carries_stylesheet(answers.root)
    answers._repr_mimebundle_()
    assert sum(style.STYLESHEET_CLASS in c._dom_classes for c in answers.root.children) == 1


def test_the_template_marks_live_regions_and_pressed_buttons():
    text = (launch.DATA_DIR / "voila" / "templates" / "workshop" / "index.html.j2").read_text()
    assert f".{style.LIVE_CLASS} > .widget-html-content" in text
    assert f".{style.WIDGET_CLASS} .widget-toggle-button" in text
    assert (
        json.loads((launch.DATA_DIR / "voila/templates/workshop/conf.json").read_text())[
            "base_template"
        ]
        == "lab"
    )


# workshop lab --participant -----------------------------------------------------------------


def test_workshop_lab_participant_starts_the_same_view_with_the_answers_option(
    folder, tmp_path, monkeypatch, capsys
):
    from workshop_lib import cli

    calls = []
    monkeypatch.setattr(cli.subprocess, "call", lambda command, env: calls.append((command, env)))
    answers = tmp_path / "answers"
    cli.main(["lab", "--participant", "--notebooks", str(folder), "--responses-dir", str(answers)])
    printed = capsys.readouterr().out
    address = r"http://127\.0\.0\.1:8888/voila/render/00_welcome\.ipynb\?token=\w+"
    assert re.search(rf"Open {address} in your browser", printed)
    command, env = calls[0]
    assert f"--ServerApp.root_dir={folder.resolve()}" in command
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0] == str(launch.CONFIG_DIR)
    assert env["WORKSHOP_RESPONSES_DIR"] == str(answers)


@pytest.mark.notebooks
def test_workshop_lab_participant_prints_a_working_address(folder, tmp_path):
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    from tests.e2e.conftest import free_port

    port = free_port()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path), HOME=str(tmp_path))
    env.pop("JUPYTERHUB_USER", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "workshop_lib.cli", "lab", "--participant", "--port", str(port),
         "--notebooks", str(folder), "--responses-dir", str(tmp_path / "answers")],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        start_new_session=True,
    )  # fmt: skip
    try:
        match = re.match(r"Open (\S+) in your browser\.", process.stdout.readline())
        assert match and "/voila/render/00_welcome.ipynb?token=" in match.group(1)
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(match.group(1), timeout=60) as response:
                    page = response.read().decode("utf-8")
                break
            except OSError:
                assert time.time() < deadline, "the participant view did not answer in 90 s"
                time.sleep(0.5)
        assert "workshop-page" in page and 'aria-label="Agenda"' in page
        assert "Trainer notes" not in page and "session = start(" not in page
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
