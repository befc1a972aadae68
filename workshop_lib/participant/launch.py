"""How a Jupyter server shows the participant view, on one computer (`workshop lab
--participant`) and on a hub: the environment that makes the server load Voilà with the
`workshop` template, and the address of the first page.

Why Voilà: it shows a notebook's text, tables, charts and live widgets with no code, runs in
the participant's own kernel (so answers are saved in the same store under the same participant
id as in JupyterLab), works offline, and is also a Jupyter server extension: under JupyterLab or
JupyterHub the same server serves `/voila/render/<notebook>` beside `/lab`, so a participant's
page and a trainer's JupyterLab come from one installation.

Language: a server speaks the language in WORKSHOP_LANG (English when it is not set), which
`workshop lab --lang` and a hub configured with WORKSHOP_HUB_LANG set. JupyterLab's own menus
follow it through its language pack (the setting `@jupyterlab/translation-extension:plugin`
given as a default for this server only, in a `labconfig/default_setting_overrides.json` put on
JUPYTER_CONFIG_PATH: a user's own choice of language in JupyterLab still wins); Voilà's pages
(the error page, a cell that fails) speak it; each participant page speaks its notebook's
language (`metadata.language`, see `pages.py`).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import urllib.parse
from collections.abc import Mapping
from pathlib import Path

from workshop_lib.errors import WorkshopError
from workshop_lib.i18n.catalog import N_
from workshop_lib.i18n.languages import check

PACKAGE_DIR = Path(__file__).resolve().parent
# A Jupyter data folder holding voila/templates/workshop/ (added to JUPYTER_PATH).
DATA_DIR = PACKAGE_DIR / "jupyter"
# A Jupyter config folder: Voilà enabled, and jupyter_server_config.py calling configure_voila
# (added to JUPYTER_CONFIG_PATH).
CONFIG_DIR = PACKAGE_DIR / "jupyter_config"
TEMPLATE = "workshop"
VOILA_RENDER = "/voila/render/"
# Voilà stops at a cell that fails; its own sentence names settings a participant cannot change.
CELL_ERROR = N_("This part of the page could not be shown: please tell your trainer.")
# The language a server speaks (a code of workshop_lib.i18n.languages.LANGUAGES).
ENV_LANG = "WORKSHOP_LANG"
LAB_TRANSLATION_PLUGIN = "@jupyterlab/translation-extension:plugin"
LAB_OVERRIDES = Path("labconfig") / "default_setting_overrides.json"


class ParticipantViewError(WorkshopError):
    """The participant view cannot start (Voilà missing, no agenda notebook in the folder)."""


def configure_voila(c) -> None:
    """Voilà's settings for the participant view, on a traitlets config `c`: the `workshop`
    template, code hidden, no tracebacks, the page hook, and nothing a page address can
    override (a participant cannot ask for another template or theme)."""
    from workshop_lib.participant.pages import prelaunch_hook

    c.VoilaConfiguration.template = TEMPLATE
    c.VoilaConfiguration.theme = "light"
    c.VoilaConfiguration.strip_sources = True
    c.VoilaConfiguration.show_tracebacks = False
    c.VoilaConfiguration.allow_template_override = "NO"
    c.VoilaConfiguration.allow_theme_override = "NO"
    c.VoilaConfiguration.prelaunch_hook = prelaunch_hook
    c.VoilaConfiguration.page_config_hook = offline_page_config
    code = server_language()
    c.VoilaExecutor.cell_error_instruction = _in(code, CELL_ERROR)
    # Voilà's own pages (page.html, error.html) read `workshop` from the server's template
    # variables: the server's language and those pages' words in it.
    from workshop_lib.participant.pages import page_language

    variables = dict(c.ServerApp.get("jinja_template_vars", None) or {})
    variables["workshop"] = page_language(code)
    c.ServerApp.jinja_template_vars = variables


def _in(code: str, message: str) -> str:
    from workshop_lib.i18n.catalog import translations

    return translations(code).gettext(message)


def server_language(environ: Mapping[str, str] | None = None) -> str:
    """The language this server speaks: WORKSHOP_LANG when it names one, else English."""
    from workshop_lib.i18n.languages import DEFAULT, LANGUAGES

    code = (environ if environ is not None else os.environ).get(ENV_LANG, "").strip().lower()
    return code if code in LANGUAGES else DEFAULT


def write_lab_language(folder: Path, code: str) -> Path:
    """Write into the Jupyter config folder `folder` the JupyterLab default that makes its menus
    speak `code` (a default for the servers that have `folder` on JUPYTER_CONFIG_PATH, not a
    user setting). Returns the file."""
    target = folder / LAB_OVERRIDES
    target.parent.mkdir(parents=True, exist_ok=True)
    settings = {LAB_TRANSLATION_PLUGIN: {"locale": check(code).lab_locale}}
    target.write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8")
    return target


def language_environment(base: Mapping[str, str], code: str, folder: Path) -> dict[str, str]:
    """`base` for a server that speaks `code`: WORKSHOP_LANG set and, in another language than
    English, JupyterLab's language default written into `folder` (a Jupyter config folder kept
    as long as the server runs) and put first on JUPYTER_CONFIG_PATH."""
    from workshop_lib.i18n.languages import DEFAULT

    code = check(code).code
    env = dict(base)
    env[ENV_LANG] = code
    if code != DEFAULT:
        write_lab_language(folder, code)
        env["JUPYTER_CONFIG_PATH"] = _prepend(folder, env.get("JUPYTER_CONFIG_PATH", ""))
    return env


def offline_page_config(page_config: dict, *_args, **_kwargs) -> dict:
    """Voilà's `page_config_hook`: no MathJax from a CDN. With both settings null, Voilà's page
    uses the MathJax that JupyterLab bundles (served by the participant's own server)."""
    page_config["fullMathjaxUrl"] = None
    page_config["mathjaxConfig"] = None
    return page_config


def _prepend(path: Path, existing: str) -> str:
    parts = [str(path)] + [p for p in existing.split(os.pathsep) if p and p != str(path)]
    return os.pathsep.join(parts)


def participant_environment(
    base: Mapping[str, str],
    extra_data_dirs: tuple[str, ...] = (),
    extra_config_dirs: tuple[str, ...] = (),
) -> dict[str, str]:
    """`base` with the participant view's data and config folders first on JUPYTER_PATH and
    JUPYTER_CONFIG_PATH (what was there is kept after them). The extra folders come after ours:
    the packages' `share/jupyter` and `etc/jupyter` when the server's Python is not the one they
    are installed for (a hub that runs the system Python with a PYTHONPATH)."""
    env = dict(base)
    data = env.get("JUPYTER_PATH", "")
    for folder in reversed(extra_data_dirs):
        data = _prepend(Path(folder), data)
    env["JUPYTER_PATH"] = _prepend(DATA_DIR, data)
    config = env.get("JUPYTER_CONFIG_PATH", "")
    for folder in reversed(extra_config_dirs):
        config = _prepend(Path(folder), config)
    env["JUPYTER_CONFIG_PATH"] = _prepend(CONFIG_DIR, config)
    return env


def page_url(name: str) -> str:
    """The address of a notebook's participant page, below the server's base URL."""
    return VOILA_RENDER + urllib.parse.quote(name)


def first_page(folder: Path) -> str:
    """The first agenda notebook in `folder` (00_welcome.ipynb in a full agenda); one sentence
    when there is none."""
    from workshop_lib.i18n.catalog import _
    from workshop_lib.participant.pages import agenda_pages

    pages = agenda_pages(folder)
    if not pages:
        raise ParticipantViewError(
            _(
                "There is no agenda notebook (such as 00_welcome.ipynb) in {folder}: copy them "
                "there with `workshop init DIR` first."
            ).format(folder=folder)
        )
    return pages[0].name


def check_voila() -> None:
    """One sentence when Voilà is not installed."""
    from workshop_lib.i18n.catalog import _

    if importlib.util.find_spec("voila") is None:
        raise ParticipantViewError(
            _(
                "The participant view needs Voilà, which is not installed: run "
                "`pip install voila` (or reinstall this package) and try again."
            )
        )


def lab_command(folder: Path, ip: str, port: int, token: str, default_url: str = "") -> list[str]:
    """The command that starts JupyterLab's server on `folder` (as root too, where the machine
    runs everything as root), opening on `default_url` when one is given."""
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--ServerApp.root_dir={folder}",
        f"--ServerApp.ip={ip}",
        f"--ServerApp.port={port}",
        f"--IdentityProvider.token={token}",
    ]
    if default_url:
        command.append(f"--ServerApp.default_url={default_url}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command


def participant_server(
    folder: Path, ip: str, port: int, token: str, base_env: Mapping[str, str]
) -> tuple[list[str], dict[str, str], str]:
    """For `workshop lab --participant`: the command that starts a Jupyter server on `folder`
    with the participant view, its environment, and the address to open (the first page).
    JupyterLab stays available on the same server at /lab."""
    check_voila()
    start = first_page(folder)
    command = lab_command(folder, ip, port, token, default_url=page_url(start))
    address = f"http://{ip}:{port}{page_url(start)}?token={token}"
    return command, participant_environment(base_env), address
