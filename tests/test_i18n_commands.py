"""The commands in French: `--lang fr` on `workshop run`, `lab` (and the participant view),
`handout`, `slides`, `report` and `init`; an unknown language refused in one sentence; the
participant view's words and `<html lang dir>`; the hub handing out the French agenda.

Tests that read French words need the merged French catalog (workshop_lib/locale/fr)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from traitlets.config import Config

from tests.e2e.conftest import free_port
from workshop_lib import cli
from workshop_lib.cli import main
from workshop_lib.i18n.catalog import language, use
from workshop_lib.i18n.notebooks import notebook_folder
from workshop_lib.participant import launch, pages, singleuser
from workshop_lib.participant.handout import publish
from workshop_lib.trainer.runner import NotebookResult, agenda_notebooks, export_html
from workshop_lib.trainer.slides import make_deck

CHROMIUM = "/usr/bin/chromium"
FRENCH_NOTEBOOKS = notebook_folder("fr")


@pytest.fixture(autouse=True)
def english_afterwards():
    """Every test leaves the process speaking English, whatever it chose."""
    yield
    use("en")


@pytest.fixture
def recorded(monkeypatch):
    """The tasks `workshop run` would execute (nothing is executed)."""
    calls: list[list] = []

    def fake_run_tasks(tasks, workers, done=lambda *a: None):
        calls.append(tasks)
        return [NotebookResult(t.source.stem, 0.0, True) for t in tasks]

    monkeypatch.setattr(cli, "run_tasks", fake_run_tasks)
    return calls


@pytest.fixture
def started(monkeypatch):
    """What `workshop lab` would start: the command, its environment, and the JupyterLab
    settings it passes (read while the server would run), without starting anything."""
    calls: list[dict] = []

    def fake_call(command, env):
        overrides = [
            Path(folder) / launch.LAB_OVERRIDES
            for folder in env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep)
            if folder and (Path(folder) / launch.LAB_OVERRIDES).is_file()
        ]
        settings = [json.loads(path.read_text(encoding="utf-8")) for path in overrides]
        calls.append({"command": command, "env": env, "settings": settings})
        return 0

    monkeypatch.setattr(cli.subprocess, "call", fake_call)
    return calls


def one_sentence(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in text, text
    return lines[0]


# One switch, English the default ---------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["run"],
        ["lab"],
        ["lab", "--participant"],
        ["handout", "--country", "KEN"],
        ["slides"],
        ["report"],
        ["init", "somewhere"],
    ],
)
def test_an_unknown_language_is_refused_in_one_sentence(
    command, tmp_path, monkeypatch, capsys, started
):
    monkeypatch.chdir(tmp_path)
    assert main([*command, "--lang", "xx"]) == 2
    line = one_sentence(capsys.readouterr().err)
    assert "'xx'" in line and "'fr'" in line and "'en'" in line
    assert started == [] and list(tmp_path.iterdir()) == []
    assert language() == "en"


def test_run_in_french_runs_the_french_notebooks_into_their_own_folder(tmp_path, recorded):
    assert main(["run", "--lang", "fr", "--out", str(tmp_path), "--cohort", "c1"]) == 0
    assert main(["run", "--out", str(tmp_path), "--cohort", "c1"]) == 0
    french, english = recorded
    assert [t.source for t in french] == agenda_notebooks(FRENCH_NOTEBOOKS)
    assert {t.source.parent for t in french} == {FRENCH_NOTEBOOKS}
    assert {t.out_dir for t in french} == {tmp_path / "c1" / "fr"}
    assert {t.parameters["lang"] for t in french} == {"fr"}
    assert {t.out_dir for t in english} == {tmp_path / "c1"}
    assert {t.parameters["lang"] for t in english} == {"en"}
    assert {t.source.parent for t in english} == {FRENCH_NOTEBOOKS.parent}


def test_run_in_french_per_country_keeps_countries_inside_the_language(tmp_path, recorded):
    assert main(["run", "--lang", "fr", "--out", str(tmp_path), "--country", "KEN"]) == 0
    ((task, *_),) = recorded
    assert task.out_dir == tmp_path / "demo" / "fr" / "KEN"
    assert task.parameters == {**task.parameters, "lang": "fr", "country": "KEN"}


def test_the_help_says_where_each_language_goes(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "OUT/COHORT/LANG/" in text and "--lang CODE" in text and "fr (Français)" in text


def test_init_in_french_copies_the_french_notebooks(tmp_path):
    assert main(["init", str(tmp_path / "ici"), "--lang", "fr"]) == 0
    copied = sorted(p.name for p in (tmp_path / "ici").iterdir())
    assert copied == [p.name for p in agenda_notebooks(FRENCH_NOTEBOOKS) if p.name[0] != "9"]
    nb = nbformat.read(tmp_path / "ici" / "00_welcome.ipynb", as_version=4)
    assert nb.metadata["language"] == "fr"
    assert 'lang = "fr"' in nb.cells[0].source or any(
        'lang = "fr"' in c.source for c in nb.cells if c.cell_type == "code"
    )


# JupyterLab and the participant view ------------------------------------------------------


def test_lab_in_french_gives_jupyterlab_the_french_language_pack_for_this_server(
    tmp_path, monkeypatch, started
):
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", "/etc/elsewhere")
    assert main(["lab", "--lang", "fr", "--notebooks", str(FRENCH_NOTEBOOKS)]) == 0
    ((launched,),) = [started]
    assert launched["settings"] == [
        {"@jupyterlab/translation-extension:plugin": {"locale": "fr_FR"}}
    ]
    env = launched["env"]
    assert env["WORKSHOP_LANG"] == "fr"
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[-1] == "/etc/elsewhere"
    assert f"--ServerApp.root_dir={FRENCH_NOTEBOOKS}" in launched["command"]
    # for this launch only: the folder is gone once JupyterLab stops
    assert not Path(env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0]).exists()


def test_lab_opens_the_french_notebooks_by_default(monkeypatch, started):
    assert main(["lab", "--lang", "fr"]) == 0
    ((launched,),) = [started]
    assert f"--ServerApp.root_dir={FRENCH_NOTEBOOKS.resolve()}" in launched["command"]


def test_lab_in_english_changes_no_jupyterlab_setting(monkeypatch, started):
    monkeypatch.delenv("JUPYTER_CONFIG_PATH", raising=False)
    assert main(["lab"]) == 0
    ((launched,),) = [started]
    assert launched["settings"] == [] and launched["env"]["WORKSHOP_LANG"] == "en"
    assert "JUPYTER_CONFIG_PATH" not in launched["env"]


def test_the_participant_view_in_french_keeps_both_config_folders(started):
    assert main(["lab", "--participant", "--lang", "fr"]) == 0
    ((launched,),) = [started]
    folders = launched["env"]["JUPYTER_CONFIG_PATH"].split(os.pathsep)
    assert folders[0] == str(launch.CONFIG_DIR)
    assert launched["settings"][0]["@jupyterlab/translation-extension:plugin"] == {
        "locale": "fr_FR"
    }
    assert launched["env"]["WORKSHOP_LANG"] == "fr"


@pytest.mark.notebooks
def test_lab_in_french_serves_the_french_locale_setting(tmp_path):
    port = free_port()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path), HOME=str(tmp_path))
    process = subprocess.Popen(
        [sys.executable, "-m", "workshop_lib.cli", "lab", "--lang", "fr", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        line = process.stdout.readline()
        token = re.search(r"token=(\w+)", line).group(1)
        url = (
            f"http://127.0.0.1:{port}/lab/api/settings/"
            f"@jupyterlab/translation-extension:plugin?token={token}"
        )
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    setting = json.loads(response.read())
                break
            except OSError:
                assert time.time() < deadline, "JupyterLab did not answer within 60 s"
                time.sleep(0.5)
        # the language is JupyterLab's default here (the user's own choice would still win)
        assert setting["schema"]["properties"]["locale"]["default"] == "fr_FR"
        assert setting["raw"] in ("{}", {}, "")
        contents = f"http://127.0.0.1:{port}/api/contents/00_welcome.ipynb?token={token}"
        with urllib.request.urlopen(contents, timeout=10) as response:
            assert json.loads(response.read())["content"]["metadata"]["language"] == "fr"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_a_french_notebook_page_has_lang_dir_and_its_words(monkeypatch):
    monkeypatch.delenv(launch.ENV_LANG, raising=False)
    nb = json.loads((FRENCH_NOTEBOOKS / "01_untoc_and_protocols.ipynb").read_text("utf-8"))
    page = pages.prepare_page(nb, FRENCH_NOTEBOOKS, "01_untoc_and_protocols.ipynb")
    meta = page["metadata"][pages.NAVIGATION_KEY]
    assert (meta["lang"], meta["dir"]) == ("fr", "ltr")
    assert set(meta["text"]) == set(pages.PAGE_TEXT)
    assert meta["previous"]["name"] == "00_welcome.ipynb"


def test_an_english_page_stays_english_and_the_server_language_is_the_fallback(monkeypatch):
    folder = FRENCH_NOTEBOOKS.parent
    nb = json.loads((folder / "00_welcome.ipynb").read_text("utf-8"))
    monkeypatch.delenv(launch.ENV_LANG, raising=False)
    meta = pages.prepare_page(nb, folder, "00_welcome.ipynb")["metadata"]["workshop_page"]
    assert meta["lang"] == "en" and meta["text"]["skip"] == "Skip to the page"
    monkeypatch.setenv(launch.ENV_LANG, "fr")
    nb = json.loads((folder / "00_welcome.ipynb").read_text("utf-8"))
    assert pages.prepare_page(nb, folder, "00_welcome.ipynb")["metadata"]["workshop_page"][
        "lang"
    ] == ("fr")


def test_the_participant_view_words_in_french():
    words = pages.page_language("fr")["text"]
    assert words["skip"] == "Aller au contenu de la page"
    assert words["contents"] == "Sommaire"
    assert words["next"] == "Suivant\u00a0: {page}"


def test_the_template_draws_the_page_words_and_lang_dir():
    template = launch.DATA_DIR / "voila" / "templates" / "workshop"
    index = (template / "index.html.j2").read_text(encoding="utf-8")
    assert "<html lang=\"{{ nav.get('lang', 'en') | e }}\" dir=" in index
    for key in ("agenda", "contents", "pager", "skip", "loading", "cell_error"):
        assert f"say('{key}'" in index, key
    for key in ("previous", "next", "progress"):
        assert f"words.get('{key}'" in index, key
    page = (template / "page.html").read_text(encoding="utf-8")
    assert "<html lang=\"{{ site.get('lang', 'en') }}\" dir=" in page
    error = (template / "error.html").read_text(encoding="utf-8")
    assert "words.get('not_found'" in error and "words.get('unavailable'" in error


def test_voila_pages_speak_the_servers_language(monkeypatch):
    monkeypatch.setenv(launch.ENV_LANG, "fr")
    c = Config()
    launch.configure_voila(c)
    site = c.ServerApp.jinja_template_vars["workshop"]
    assert (site["lang"], site["dir"]) == ("fr", "ltr")
    assert site["text"]["unavailable"] == "Page indisponible"
    assert c.VoilaExecutor.cell_error_instruction.startswith("Cette partie de la page")


def test_voila_pages_in_english_by_default(monkeypatch):
    monkeypatch.delenv(launch.ENV_LANG, raising=False)
    c = Config()
    launch.configure_voila(c)
    assert c.ServerApp.jinja_template_vars["workshop"]["lang"] == "en"
    assert c.VoilaExecutor.cell_error_instruction == launch.CELL_ERROR


# The hub -------------------------------------------------------------------------------


def test_the_hub_publishes_the_french_agenda(tmp_path):
    changed = publish(tmp_path / "published", "c1", "KEN", lang="fr")
    assert [p.name for p in changed] == [
        p.name for p in agenda_notebooks(FRENCH_NOTEBOOKS) if p.name[0] != "9"
    ]
    nb = nbformat.read(changed[0], as_version=4)
    assert nb.metadata["language"] == "fr"
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'lang = "fr"' in injected.source and 'country = "KEN"' in injected.source


def test_the_hub_configuration_names_the_language_setting():
    text = (Path(cli.__file__).parent.parent / "deploy" / "jupyterhub_config.py").read_text()
    assert "WORKSHOP_HUB_LANG" in text and '"WORKSHOP_LANG": language' in text


def test_a_hub_users_server_in_french_gets_jupyterlabs_french_default(tmp_path):
    env = singleuser.server_environment(
        {"WORKSHOP_LANG": "fr", "JUPYTER_RUNTIME_DIR": str(tmp_path)}, path=[]
    )
    folders = env["JUPYTER_CONFIG_PATH"].split(os.pathsep)
    assert folders[0] == str(launch.CONFIG_DIR)
    written = Path(folders[1]) / launch.LAB_OVERRIDES
    assert written.is_relative_to(tmp_path)
    assert json.loads(written.read_text())["@jupyterlab/translation-extension:plugin"] == {
        "locale": "fr_FR"
    }
    english = singleuser.server_environment({"WORKSHOP_LANG": "en"}, path=[])
    assert english["JUPYTER_CONFIG_PATH"] == str(launch.CONFIG_DIR)


# The handout, the slides, the report -------------------------------------------------------


def test_the_french_handout_html(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("workshop_lib.trainer.handout.find_chromium", lambda: None)
    assert main(["handout", "--lang", "fr", "--country", "KEN", "--out", str(tmp_path)]) == 0
    page = (tmp_path / "handout-KEN-fr.html").read_text(encoding="utf-8")
    assert "<html lang='fr' dir='ltr'>" in page
    for words in (
        "Programme de la séance",
        "Définitions clés",
        "Liste de contrôle après la session",
        "Protocole relatif à la traite des personnes",
        '"Page " counter(page) " sur " counter(pages)',
    ):
        assert words in page, words
    assert "Fichier écrit" in capsys.readouterr().out


def test_the_english_handout_keeps_its_name_and_language(tmp_path, monkeypatch):
    monkeypatch.setattr("workshop_lib.trainer.handout.find_chromium", lambda: None)
    assert main(["handout", "--country", "KEN", "--out", str(tmp_path)]) == 0
    page = (tmp_path / "handout-KEN.html").read_text(encoding="utf-8")
    assert "<html lang='en' dir='ltr'>" in page and "1. Session agenda" in page
    assert '"Page " counter(page) " of " counter(pages)' in page


def test_the_french_handout_pdf_embeds_its_fonts_and_keeps_the_accents(tmp_path, monkeypatch):
    monkeypatch.setattr("workshop_lib.trainer.handout.find_chromium", lambda: CHROMIUM)
    assert main(["handout", "--lang", "fr", "--country", "KEN", "--out", str(tmp_path)]) == 0
    pdf = tmp_path / "handout-KEN-fr.pdf"
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True)
    rows = fonts.stdout.strip().splitlines()[2:]
    assert rows, fonts.stdout
    for row in rows:  # name type [encoding] emb sub uni object-id generation
        assert row.split()[-5] == "yes", f"font not embedded: {row}"
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    for words in (
        "Protocole relatif à la traite des personnes",
        "État",
        "définitions",
        "Programme de la séance",
        "Liste de contrôle après la session",
    ):
        assert words in flat or words.lower() in flat.lower(), words
    assert "\ufffd" not in text


def test_french_slides_from_the_french_notebooks(tmp_path, capsys):
    out = tmp_path / "decks"
    assert main(["slides", "--lang", "fr", "--out", str(out)]) == 0
    decks = sorted(out.glob("*.slides.html"))
    assert decks, capsys.readouterr()
    deck = decks[0].read_text(encoding="utf-8")
    assert '<html lang="fr" dir="ltr">' in deck
    assert "(diapositives)</title>" in deck
    assert "Programme" in deck or "Convention" in deck


def test_a_deck_in_english_keeps_its_title_and_language(tmp_path):
    deck = make_deck(FRENCH_NOTEBOOKS.parent / "01_untoc_and_protocols.ipynb", tmp_path)
    text = deck.read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in text and " slides</title>" in text


def test_the_french_slides_go_to_their_own_default_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    made = []
    monkeypatch.setattr(cli, "make_deck", lambda nb, out, country: made.append(out) or out)
    assert main(["slides", "--lang", "fr"]) == 0
    assert set(made) == {Path("build") / "slides" / "fr"}


def test_the_html_copy_of_a_run_notebook_says_its_language(tmp_path):
    target = tmp_path / "00_welcome.ipynb"
    shutil.copyfile(FRENCH_NOTEBOOKS / "00_welcome.ipynb", target)
    page = export_html(target).read_text(encoding="utf-8")
    assert '<html lang="fr" dir="ltr">' in page
    english = tmp_path / "en.ipynb"
    shutil.copyfile(FRENCH_NOTEBOOKS.parent / "00_welcome.ipynb", english)
    assert '<html lang="en" dir="ltr">' in export_html(english).read_text(encoding="utf-8")


def test_the_report_in_french(tmp_path, capsys):
    answers = tmp_path / "answers"
    answers.mkdir()
    out = tmp_path / "report.html"
    assert main(["report", str(answers), "--lang", "fr", "--out", str(out)]) == 0
    assert "Réponses de l’atelier\u00a0: tous les groupes" in out.read_text(encoding="utf-8")
    assert capsys.readouterr().out.startswith(f"{out} écrit")


# The whole French agenda, executed once ----------------------------------------------------


@pytest.mark.notebooks
def test_run_in_french_executes_every_notebook(tmp_path, capfd):
    answers = tmp_path / "answers"
    out = tmp_path / "build"
    assert main(["run", "--lang", "fr", "--out", str(out), "--responses-dir", str(answers)]) == 0
    printed = capfd.readouterr().out
    folder = out / "demo" / "fr"
    for source in agenda_notebooks(FRENCH_NOTEBOOKS):
        executed = nbformat.read(folder / source.name, as_version=4)
        code = [c for c in executed.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code if c.source.strip()), source.name
        page = (folder / source.name).with_suffix(".html").read_text(encoding="utf-8")
        assert '<html lang="fr" dir="ltr">' in page, source.name
    welcome = (folder / "00_welcome.html").read_text(encoding="utf-8")
    assert "Bienvenue" in welcome
    assert "Résumé\u00a0:" in printed and "Les fichiers se trouvent dans" in printed
