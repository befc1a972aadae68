"""The file-name keys answers are stored under: one key per participant folder, and one file
name per (cohort, notebook, activity).

A key cannot leave the responses folder and never collides with another id's key:

- an id that is already safe (lower-case letters, digits, `.`, `_`, `-`, `@`; at most 64
  characters; starting and ending with a letter or digit, or `_`, `-` or `@` at the end; no
  `..`; not a name Windows reserves such as `con` or `nul`) is its own key;
- any other id becomes a readable slug plus `+` and a hash of the exact id. Safe ids cannot
  contain `+`, so the two kinds never meet, and different ids get different hashes.

File names join the three keys with `~`, which no key contains, so two different triples can
never share a file.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

from workshop_lib.i18n.catalog import _
from workshop_lib.responses.records import InvalidIdError

_SAFE = re.compile(r"[a-z0-9](?:[a-z0-9._@-]{0,62}[a-z0-9_@-])?")
_SLUG_LENGTH = 40
_WINDOWS_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?")
JOIN = "~"
SUFFIX = ".json"


def safe_key(identifier: str) -> str:
    """Map any id to a file-name key: injective, at most 64 characters, no path separators."""
    if not isinstance(identifier, str) or not identifier.strip():
        raise InvalidIdError(_("An id cannot be empty."))
    return _key(identifier)


@functools.lru_cache(maxsize=65_536)
def _key(identifier: str) -> str:
    if (
        _SAFE.fullmatch(identifier)
        and ".." not in identifier
        and not _WINDOWS_RESERVED.fullmatch(identifier)
    ):
        return identifier
    ascii_text = unicodedata.normalize("NFKD", identifier).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:_SLUG_LENGTH] or "id"
    digest = hashlib.sha256(identifier.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return f"{slug}+{digest}"


def record_file_name(cohort: str, notebook: str, activity: str) -> str:
    """The one file name that holds an answer to `activity` of `notebook` in `cohort`."""
    return JOIN.join(safe_key(part) for part in (cohort, notebook, activity)) + SUFFIX
