"""What `deploy/jupyterhub_config.py` does for the participant view before a user's server
starts: participants land on the first page of the participant view, trainers on JupyterLab,
and a participant's home gets the published notebooks (see `handout`).

Language: a hub configured for another language than English (`WORKSHOP_HUB_LANG=fr` in
`deploy/jupyterhub_config.py`) publishes the agenda in that language (`notebooks/fr/`, the
`lang` parameter filled in) and starts every user's server with WORKSHOP_LANG set, so that
JupyterLab's menus and the participant view speak it (see `launch.language_environment` and
`singleuser`).

With system users (the hub runs as root), the hand-out runs as the participant in a separate
process (`python -m workshop_lib.participant.handout`), with the participant's own user and
group and no other groups: whatever is in their home, the hub never writes there as root.
With the demo spawner (every server runs as the hub's own user), it runs in the hub.
"""

from __future__ import annotations

import asyncio
import os
import pwd
from collections.abc import Mapping
from pathlib import Path

from workshop_lib.participant.handout import hand_out, published_notebooks
from workshop_lib.participant.launch import page_url
from workshop_lib.participant.pages import AGENDA_PAGE

LAB_URL = "/lab"
FIRST_PAGE = "00_welcome.ipynb"
HANDOUT_TIMEOUT_SECONDS = 120


class HandoutFailed(RuntimeError):
    """The hand-out process failed; the hub logs it and the server starts all the same."""


def publish_agenda(folder: Path, cohort: str, country: str, lang: str = "") -> list[Path]:
    """At the hub's start: publish this package's agenda for `cohort` and `country` (checked
    first: an unknown country stops the hub with the closest names), in the language `lang`
    (checked too; English when empty). Returns what changed."""
    from workshop_lib.facts.status import resolve_country
    from workshop_lib.i18n.languages import DEFAULT, check
    from workshop_lib.participant.handout import publish

    code = resolve_country(country) if country.strip() else ""
    language = check(lang).code if lang.strip() else DEFAULT
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o755)  # every participant reads it (as themselves) at each start
    return publish(folder, cohort, code, lang="" if language == DEFAULT else language)


def first_page(published: Path) -> str:
    """The first agenda notebook of the published folder (the welcome page by default)."""
    names = [p.name for p in published_notebooks(published) if AGENDA_PAGE.match(p.name)]
    return names[0] if names else FIRST_PAGE


def default_url(is_trainer: bool, published: Path) -> str:
    """Where a user lands: trainers in JupyterLab, participants on the first page."""
    return LAB_URL if is_trainer else page_url(first_page(published))


def notebooks_home(spawner) -> Path:
    """The folder a user's server opens: the spawner's notebook_dir (a `~` or a relative path
    is taken from the user's home), else the user's home."""
    home = Path(getattr(spawner, "home_dir", "") or pwd.getpwnam(spawner.user.name).pw_dir)
    folder = spawner.format_string(spawner.notebook_dir) if spawner.notebook_dir else ""
    if not folder:
        return home
    if folder.startswith("~"):
        folder = str(home) + folder[1:]
    return home / folder if not os.path.isabs(folder) else Path(folder)


async def hand_out_as(
    user: str, published: Path, folder: Path, python: str, environment: Mapping[str, str]
) -> str:
    """Run the hand-out as `user` (their uid and primary group, no other groups), in a new
    process with the Python and PYTHONPATH of their servers; return its one-line summary."""
    account = pwd.getpwnam(user)
    env = {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "HOME": account.pw_dir,
        "PYTHONDONTWRITEBYTECODE": "1",
        **({"PYTHONPATH": environment["PYTHONPATH"]} if environment.get("PYTHONPATH") else {}),
    }
    process = await asyncio.create_subprocess_exec(
        python,
        "-m",
        "workshop_lib.participant.handout",
        str(published),
        str(folder),
        user=account.pw_uid,
        group=account.pw_gid,
        extra_groups=[],
        env=env,
        cwd="/",  # not the home: nothing in it is imported
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), HANDOUT_TIMEOUT_SECONDS)
    if process.returncode != 0:
        lines = err.decode("utf-8", "replace").strip().splitlines()
        raise HandoutFailed(lines[-1] if lines else f"exit code {process.returncode}")
    return out.decode("utf-8", "replace").strip()


def runs_as_system_user(spawner) -> bool:
    """True when the user's server runs as their own Unix user, started by a root hub (the
    local process spawner); False for the demo spawner, whose servers run as the hub's user."""
    return os.geteuid() == 0 and not hasattr(spawner, "home_dir")


async def prepare_server(
    spawner,
    *,
    trainers: set[str],
    published: Path,
    python: str,
    environment: Mapping[str, str],
) -> None:
    """Before a user's server starts: set where they land, and hand out the published
    notebooks to a participant (never to a trainer). A failed hand-out is logged, not fatal:
    the participant still reaches their earlier notebooks and answers."""
    name = spawner.user.name
    is_trainer = name in trainers
    spawner.default_url = default_url(is_trainer, published)
    if is_trainer or not published_notebooks(published):
        return
    folder = notebooks_home(spawner)
    try:
        if runs_as_system_user(spawner):
            summary = await hand_out_as(name, published, folder, python, environment)
        else:
            summary = hand_out(published, folder).summary()
        spawner.log.info("Notebooks for %s: %s", name, summary)
    except Exception as exc:  # noqa: BLE001 - the server starts all the same
        spawner.log.error("Handing out notebooks to %s failed: %s", name, exc)
