"""A hub user's Jupyter server with the participant view: `python -m
workshop_lib.participant.singleuser [ARGS]` sets JUPYTER_PATH and JUPYTER_CONFIG_PATH as this
Python sees the package, then becomes `python -m jupyterhub.singleuser [ARGS]`.

The folders are found from where the packages are imported, not from where the hub runs: on a
hub whose users' servers run another Python (the system one, with a PYTHONPATH to the packages),
the packages' `share/jupyter` (Voilà's and JupyterLab's pages, the widget extension) and
`etc/jupyter` (which server extensions are on) are not under that Python's prefix, so they are
looked for beside each `site-packages` folder on the path as well.

When the hub sets WORKSHOP_LANG to another language than English, the server speaks it:
JupyterLab's language default is written into a folder of the user's own Jupyter runtime
folder (theirs alone; never /tmp, where another user could plant a config) and put on
JUPYTER_CONFIG_PATH (see `launch.language_environment`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from workshop_lib.participant.launch import (
    ENV_LANG,
    language_environment,
    participant_environment,
    server_language,
)

LANGUAGE_FOLDER = "workshop-language"  # in the user's Jupyter runtime folder


def package_prefixes(path: Iterable[str] | None = None) -> list[Path]:
    """Installation prefixes other than this Python's own that hold packages on `path`
    (sys.path by default): `P` for `P/lib/pythonX.Y/site-packages`, and the folder that holds
    a bare `site-packages` folder."""
    prefixes: list[Path] = []
    for entry in sys.path if path is None else path:
        folder = Path(entry)
        if folder.name != "site-packages":
            continue
        for prefix in (folder.parents[2] if len(folder.parents) > 2 else None, folder.parent):
            if prefix is not None and prefix != Path(sys.prefix) and prefix not in prefixes:
                prefixes.append(prefix)
    return prefixes


def server_environment(base: Mapping[str, str], path: Iterable[str] | None = None) -> dict:
    """`base` with the participant view and the packages' Jupyter folders (see above)."""
    prefixes = package_prefixes(path)
    data = tuple(str(p / "share" / "jupyter") for p in prefixes if (p / "share/jupyter").is_dir())
    config = tuple(str(p / "etc" / "jupyter") for p in prefixes if (p / "etc/jupyter").is_dir())
    env = dict(base)
    if ENV_LANG in env:
        code = server_language(env)
        env = language_environment(env, code, language_folder(env, code))
    return participant_environment(env, data, config)


def language_folder(env: Mapping[str, str], code: str) -> Path:
    """The Jupyter config folder holding JupyterLab's language default for `code`, in the
    user's own runtime folder (JUPYTER_RUNTIME_DIR when set)."""
    from jupyter_core.paths import jupyter_runtime_dir

    runtime = env.get("JUPYTER_RUNTIME_DIR") or jupyter_runtime_dir()
    return Path(runtime) / LANGUAGE_FOLDER / code


def main() -> None:
    """Replace this process with jupyterhub.singleuser, in the environment above."""
    command = [sys.executable, "-m", "jupyterhub.singleuser", *sys.argv[1:]]
    os.execve(sys.executable, command, server_environment(os.environ))


if __name__ == "__main__":
    main()
