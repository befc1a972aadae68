"""Where settings come from, in one place: the responses location, the cohort, the participant
id, and the names of the environment variables that set them.

Used alike by the notebooks' sessions, the command line, the dashboard and `workshop doctor`.
A notebook parameter wins over the environment, which wins over the default.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from workshop_lib.errors import ConfigurationError

ENV_RESPONSES_DIR = "WORKSHOP_RESPONSES_DIR"  # a folder of answers
ENV_RESPONSES_URL = "WORKSHOP_RESPONSES_URL"  # a database of answers (wins over the folder)
ENV_HUB_USER = "JUPYTERHUB_USER"  # set by JupyterHub in every participant's server
ENV_DATA_DIR = "WORKSHOP_DATA_DIR"  # another copy of data/ (tests)
ENV_HUB_PUBLIC_URL = "WORKSHOP_HUB_PUBLIC_URL"  # the hub's address as participants reach it
DEFAULT_COHORT = "demo"
DEFAULT_RESPONSES_FOLDER = "workshop-responses"  # in the user's home, when nothing is set
DATABASE_SCHEMES = ("postgresql", "postgresql+psycopg", "sqlite")


def text_setting(name: str, value: object) -> str:
    """A setting that must be text (a notebook parameter or an option), stripped; a number or
    anything else is refused with one sentence."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ConfigurationError(
            f"The setting '{name}' must be text in quotes, not {type(value).__name__} "
            f'({value!r}); for example {name} = "{value}".'
        )
    return value.strip()


def is_database_url(location: str) -> bool:
    """True when `location` names a database (scheme://...) rather than a folder."""
    return "://" in location


def check_database_url(url: str) -> str:
    """The URL, when its scheme is one the workshop can use; else one sentence."""
    scheme = url.split("://", 1)[0].lower()
    if scheme not in DATABASE_SCHEMES:
        raise ConfigurationError(
            f"The responses location '{scheme}://...' is not supported: use a folder, "
            "postgresql://user@host/database or sqlite:///path/to/file.db"
        )
    return url


def responses_location(value: object = "") -> str:
    """Where answers are kept: `value` (a notebook parameter or option), else
    $WORKSHOP_RESPONSES_URL, else $WORKSHOP_RESPONSES_DIR, else ~/workshop-responses.

    A database URL comes back as given (its scheme checked); a folder as an absolute path.
    """
    chosen = text_setting("responses_dir", value)
    if not chosen:
        chosen = os.environ.get(ENV_RESPONSES_URL, "").strip()
    if not chosen:
        chosen = os.environ.get(ENV_RESPONSES_DIR, "").strip()
    if not chosen:
        return str(Path.home() / DEFAULT_RESPONSES_FOLDER)
    if is_database_url(chosen):
        return check_database_url(chosen)
    return str(Path(chosen).expanduser().absolute())


def cohort_name(value: object = "") -> str:
    """The cohort: the parameter or option, else the default cohort."""
    return text_setting("cohort", value) or DEFAULT_COHORT


def participant_id(value: object = "") -> str:
    """Who is answering: the hub user (JupyterHub sets it, so a participant cannot claim
    another name), else the `participant` parameter, else the operating-system user."""
    hub_user = os.environ.get(ENV_HUB_USER, "").strip()
    if hub_user:
        return hub_user
    parameter = text_setting("participant", value)
    if parameter:
        return parameter
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        return "participant"
