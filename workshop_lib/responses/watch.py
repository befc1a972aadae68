"""Following one activity's answers as they arrive, reading only what changed since the last
look: what the trainer's live room (`workshop_lib.trainer.live`) refreshes from.

- **Folder store**: each participant's answer to the activity is one file,
  `<participant key>/<cohort>~<notebook>~<activity>.json`. A look lists the responses folder
  (one entry per participant), takes one `lstat` of that file in each participant's folder, and
  opens only the files whose identity or state (inode, size, modification and change times,
  owner) differ from the last look. Every file it opens is checked exactly as the report
  checks it (a regular file of bounded size, opened without following links, its content
  agreeing with its place and owner); a file that fails is skipped and named.
- **Database**: the first look reads the activity's rows; each later look reads only the rows
  whose `last_saved` is no older than the start of the previous look less `SKEW_SECONDS` (a
  participant's kernel stamps its own save, so a clock a little behind is still seen). An index
  on (cohort, activity, last_saved) keeps the look proportional to what changed.

A look returns the changed records by participant (None: the answer is gone or no longer
valid), so the caller keeps the whole picture and redraws only what changed.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from workshop_lib.i18n.catalog import _
from workshop_lib.responses.folder import (
    _DIRECTORY,
    FolderStore,
    Signature,
    _is_link_error,
    _open_dir,
    _read_file,
    _signature,
)
from workshop_lib.responses.keys import record_file_name
from workshop_lib.responses.records import Skipped, StoreUnavailableError

SKEW_SECONDS = 10  # how far behind the trainer's clock a participant's kernel may be


@dataclass
class Changes:
    """What one look found: records by participant (None when an answer is gone or became
    unusable), what was skipped, and how many answers were read."""

    records: dict[str, dict | None] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    read: int = 0


class FolderWatcher:
    """Follows one activity of one cohort in a folder store."""

    def __init__(self, store: FolderStore, cohort: str, notebook: str, activity: str):
        self.store = store
        self.name = record_file_name(cohort, notebook, activity)
        self.known: dict[str, Signature] = {}  # participant folder -> the file's signature
        self.owners: dict[str, str] = {}  # participant folder -> participant id in the file

    def changes(self) -> Changes:
        """The answers that changed since the last look (all of them at the first)."""
        found = Changes()
        try:
            root_fd = os.open(self.store.root, os.O_RDONLY | _DIRECTORY)
        except FileNotFoundError:
            return self._gone(found, set())
        except OSError as exc:
            raise StoreUnavailableError(
                _("The responses folder {folder} cannot be read ({reason}).").format(
                    folder=self.store.root, reason=exc.strerror or exc
                )
            ) from None
        try:
            with os.scandir(root_fd) as entries:
                folders = [
                    e.name
                    for e in entries
                    if not e.name.startswith((".", "_")) and e.is_dir(follow_symlinks=False)
                ]
            present = set()
            for folder in folders:
                try:
                    info = os.stat(f"{folder}/{self.name}", dir_fd=root_fd, follow_symlinks=False)
                    folder_info = os.stat(folder, dir_fd=root_fd, follow_symlinks=False)
                except OSError:
                    continue
                present.add(folder)
                signature = _signature(info, folder_info.st_uid)
                if self.known.get(folder) == signature:
                    continue
                self.known[folder] = signature
                found.read += 1
                record, reason = self._read(root_fd, folder)
                if record is None:
                    found.skipped.append(Skipped(f"{folder}/{self.name}", reason))
                    if folder in self.owners:
                        found.records[self.owners.pop(folder)] = None
                    continue
                self.owners[folder] = record["participant"]
                found.records[record["participant"]] = record
        finally:
            os.close(root_fd)
        return self._gone(found, present)

    def _read(self, root_fd: int, folder: str) -> tuple[dict | None, str]:
        try:
            folder_fd = _open_dir(folder, root_fd)
        except OSError as exc:
            return None, _("a link, not followed") if _is_link_error(exc) else str(exc.strerror)
        try:
            return _read_file(folder_fd, folder, self.name, os.fstat(folder_fd).st_uid)
        finally:
            os.close(folder_fd)

    def _gone(self, found: Changes, present: set[str]) -> Changes:
        for folder in [f for f in self.known if f not in present]:
            del self.known[folder]
            if folder in self.owners:
                found.records[self.owners.pop(folder)] = None
        return found


class SqlWatcher:
    """Follows one activity of one cohort in a database store."""

    def __init__(self, store, cohort: str, notebook: str, activity: str):
        self.store = store
        self.cohort, self.notebook, self.activity = cohort, notebook, activity
        self.since: str | None = None
        self.seen: dict[str, tuple] = {}  # participant -> (last_saved, attempts, answer text)
        self._indexed = False

    def _index(self) -> None:
        """Create the index the looks use, where this role may (the owner); else rely on the
        one `workshop db-sql` made."""
        from sqlalchemy.exc import SQLAlchemyError

        from workshop_lib.responses.sql import changes_index

        if self._indexed:
            return
        self._indexed = True
        try:
            with self.store.engine.begin() as connection:
                changes_index.create(connection, checkfirst=True)
        except SQLAlchemyError:
            pass  # not the owner (a trainer's role): the set-up SQL made it

    def changes(self) -> Changes:
        """The answers saved since shortly before the last look (all of them at the first)."""
        from sqlalchemy import select

        from workshop_lib.responses.sql import responses

        self._index()
        started = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=SKEW_SECONDS)
        query = select(responses).where(
            responses.c.cohort == self.cohort,
            responses.c.activity == self.activity,
            responses.c.notebook == self.notebook,
        )
        if self.since is not None:
            query = query.where(responses.c.last_saved >= self.since)
        rows = self.store._run(lambda connection: connection.execute(query).all())
        self.since = started.isoformat(timespec="seconds").replace("+00:00", "Z")
        found = Changes()
        for row in rows:
            state = (row.last_saved, row.attempts, row.answer, row.kind, row.display_name)
            if self.seen.get(row.participant) == state:
                continue
            self.seen[row.participant] = state
            found.read += 1
            try:
                found.records[row.participant] = self.store._record(row)
            except ValueError as exc:
                found.skipped.append(Skipped(f"{row.participant}/{self.activity}", str(exc)))
                found.records[row.participant] = None
        return found


def watch(store, cohort: str, notebook: str, activity: str) -> FolderWatcher | SqlWatcher:
    """A watcher of one activity of one cohort in `store` (a folder or a database)."""
    if hasattr(store, "engine"):
        return SqlWatcher(store, cohort, notebook, activity)
    return FolderWatcher(store, cohort, notebook, activity)
