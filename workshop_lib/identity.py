"""Who is answering, and the safe file-name key their answers are stored under.

The participant id comes from `JUPYTERHUB_USER` when the notebook runs on a JupyterHub, else from
the notebook's `participant` parameter, else from the operating-system user. The id becomes a
file-name key that cannot leave the responses directory and never collides with another id:

- an id that is already safe (lower-case letters, digits, `.`, `_`, `-`, `@`; at most 64
  characters; no `..`) is its own key;
- any other id becomes a readable slug plus `+` and a hash of the exact id. Safe ids cannot
  contain `+`, so the two kinds never meet, and different ids get different hashes.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import re
import unicodedata

MAX_ID_LENGTH = 64
_SAFE = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")
_SLUG_LENGTH = 40


class InvalidIdError(ValueError):
    """An id that cannot name a participant or an activity (for example an empty one)."""


def safe_key(identifier: str) -> str:
    """Map any id to a file-name key: injective, at most 64 characters, no path separators."""
    if not isinstance(identifier, str) or not identifier.strip():
        raise InvalidIdError("An id cannot be empty.")
    if _SAFE.match(identifier) and ".." not in identifier:
        return identifier
    ascii_text = unicodedata.normalize("NFKD", identifier).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:_SLUG_LENGTH] or "id"
    digest = hashlib.sha256(identifier.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return f"{slug}+{digest}"


def participant_id(parameter: str = "") -> str:
    """The participant's id: the hub user, else the notebook parameter, else the OS user."""
    hub_user = os.environ.get("JUPYTERHUB_USER", "").strip()
    if hub_user:
        return hub_user
    if parameter and parameter.strip():
        return parameter.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        return "participant"
