"""Participants' answers: the records, the stores that keep them, and the sessions that save.

- `records`: the record model, limits and errors shared by every store;
- `keys`: the file-name keys of the folder store;
- `folder`: the folder store; `sql`: the database store (PostgreSQL, SQLite);
- `session`: a participant's session in one notebook (saves, memory fallback, exports);
- `cohort`: a cohort's answers as tables for the trainer; `answers`: the shape of an answer.

`AnswerStore` is the one interface both stores implement; `open_store` turns a location (a
folder, or a database URL) into the store for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

from workshop_lib.config import is_database_url
from workshop_lib.responses.records import Skipped


@runtime_checkable
class AnswerStore(Protocol):
    """Where answers are kept. `location` is printable (a database URL without its password)."""

    location: str

    def save(
        self,
        participant: str,
        cohort: str,
        notebook: str,
        activity: str,
        answer: object,
        *,
        kind: str = "answer",
        display_name: str = "",
        new_attempt: bool = True,
    ) -> dict:
        """Save one answer atomically (an attempt, unless `new_attempt` is False) and return the
        record as saved. Raises AnswerRefusedError, InvalidIdError or StoreUnavailableError."""
        ...

    def load(self, participant: str, cohort: str, notebook: str, activity: str) -> dict | None:
        """One participant's saved record for one activity, or None."""
        ...

    def records(self, cohort: str | None = None) -> tuple[list[dict], list[Skipped]]:
        """Every valid record (of one cohort, if given) and what was skipped, with why."""
        ...

    def participant_records(
        self, participant: str, cohort: str | None = None
    ) -> tuple[list[dict], list[Skipped]]:
        """One participant's valid records (of one cohort, if given)."""
        ...


def open_store(location: str | Path) -> AnswerStore:
    """The store at `location`: a database URL (postgresql://..., sqlite:///...) or a folder."""
    location = str(location)
    if is_database_url(location):
        from workshop_lib.responses.sql import SqlStore  # SQLAlchemy only when needed

        return SqlStore(location)
    from workshop_lib.responses.folder import FolderStore

    return FolderStore(location)
