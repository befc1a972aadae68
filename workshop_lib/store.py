"""The response store: one JSON file per participant per activity, written atomically.

Layout: `<responses_dir>/<participant key>/<cohort key>__<notebook key>__<activity key>.json`.

- Writes go to a temporary file in the same folder, are flushed to disk, then replace the old
  file, so a crash or a full disk never leaves half an answer. A per-record lock (POSIX `flock`)
  makes the read-count-write of `attempts` exact when one participant saves from several kernels.
- Files are created readable by their writer and the folder's group only (0640, folders 0750,
  keeping a setgid bit the trainer set on the shared folder), so on a shared JupyterHub folder
  participants cannot read each other's answers while the trainer's group can.
- A file that cannot be read (empty, corrupt, foreign, or written by a newer schema) is skipped
  and reported by name. When a participant saves over such a file of their own, it is first
  kept aside as `<name>.unreadable-<time>`, so nothing is lost.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from workshop_lib.identity import safe_key

SCHEMA = "tipsom-workshop/response"
SCHEMA_VERSION = 1
FILE_MODE = 0o640
DIR_MODE = 0o750
MAX_TEXT_LENGTH = 10_000  # characters in any one free-text field of an answer
SEPARATOR = "__"

try:  # POSIX only; elsewhere saves still work, without the cross-process lock
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None


class AnswerTooLongError(ValueError):
    """A free-text answer over MAX_TEXT_LENGTH characters; it is refused, never cut."""


@dataclass(frozen=True)
class Skipped:
    """A file (or database row) the store could not read, and why."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


def utc_now() -> str:
    """The current UTC time as an ISO 8601 string ending in Z."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def check_text_lengths(answer: object) -> None:
    """Raise AnswerTooLongError when any text in `answer` is longer than MAX_TEXT_LENGTH."""
    if isinstance(answer, str) and len(answer) > MAX_TEXT_LENGTH:
        raise AnswerTooLongError(
            f"This answer is {len(answer):,} characters long; the limit is "
            f"{MAX_TEXT_LENGTH:,}. Please shorten it and save again."
        )
    if isinstance(answer, dict):
        for value in answer.values():
            check_text_lengths(value)
    elif isinstance(answer, list | tuple):
        for value in answer:
            check_text_lengths(value)


def parse_record(path: Path) -> dict:
    """Read one response file; raise ValueError with a plain reason when it is not usable."""
    text = path.read_text(encoding="utf-8")
    if not text.strip():
        raise ValueError("the file is empty")
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(record, dict) or record.get("schema") != SCHEMA:
        raise ValueError("not a workshop response file")
    version = record.get("schema_version")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise ValueError(
            f"written by a newer version of the workshop (schema {version}); update the package"
        )
    missing = [k for k in ("participant", "notebook", "activity", "answer") if k not in record]
    if missing:
        raise ValueError(f"missing field(s) {', '.join(missing)}")
    return record


def _mkdir(path: Path) -> None:
    """Create `path` (and parents) as 0750, keeping an inherited setgid bit."""
    if path.is_dir():
        return
    _mkdir(path.parent)
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=DIR_MODE)
        inherited = path.stat().st_mode & stat.S_ISGID
        os.chmod(path, DIR_MODE | inherited)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    if fcntl is None:
        yield
        return
    lock_path = path.with_name(f".{path.name}.lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _write_atomic(path: Path, record: dict) -> None:
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            os.fchmod(fh.fileno(), FILE_MODE)
            json.dump(record, fh, ensure_ascii=False, indent=1, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


class ResponseStore:
    """Answers of every participant in one responses directory."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.location = str(self.root)

    def path_for(self, participant: str, cohort: str, notebook: str, activity: str) -> Path:
        """The one file that holds this participant's answer to this activity."""
        name = SEPARATOR.join(safe_key(part) for part in (cohort, notebook, activity))
        return self.root / safe_key(participant) / f"{name}.json"

    def load(self, participant: str, cohort: str, notebook: str, activity: str) -> dict | None:
        """The saved record, or None when there is none (or it cannot be read)."""
        path = self.path_for(participant, cohort, notebook, activity)
        try:
            return parse_record(path)
        except (OSError, ValueError):
            return None

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
        """Save `answer` atomically and return the record written.

        `new_attempt` counts this save as an attempt (a quiz check); autosaves of a note pass
        False. Raises AnswerTooLongError before touching the disk, and OSError when the
        directory cannot be written (the caller keeps the answer in memory).
        """
        check_text_lengths(answer)
        path = self.path_for(participant, cohort, notebook, activity)
        _mkdir(path.parent)
        with _locked(path):
            previous = None
            if path.exists():
                try:
                    previous = parse_record(path)
                except ValueError:
                    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
                    path.rename(path.with_name(f"{path.name}.unreadable-{stamp}"))
            now = utc_now()
            attempts = (previous or {}).get("attempts", 0) + (1 if new_attempt else 0)
            record = {
                "schema": SCHEMA,
                "schema_version": SCHEMA_VERSION,
                "participant": participant,
                "display_name": display_name or (previous or {}).get("display_name", ""),
                "cohort": cohort,
                "notebook": notebook,
                "activity": activity,
                "kind": kind,
                "answer": answer,
                "attempts": max(attempts, 1),
                "first_saved": (previous or {}).get("first_saved", now),
                "last_saved": now,
            }
            _write_atomic(path, record)
        return record

    def records(self, cohort: str | None = None) -> tuple[list[dict], list[Skipped]]:
        """Every readable record (of one cohort, if given) and every file that was skipped."""
        records, skipped = [], []
        if not self.root.is_dir():
            return records, skipped
        for folder in sorted(os.scandir(self.root), key=lambda e: e.name):
            if folder.is_dir() and not folder.name.startswith("."):
                found, bad = _read_folder(Path(folder.path), cohort)
                records += found
                skipped += bad
        return records, skipped

    def participant_records(
        self, participant: str, cohort: str | None = None
    ) -> tuple[list[dict], list[Skipped]]:
        """One participant's readable records, reading only their own folder."""
        folder = self.root / safe_key(participant)
        return _read_folder(folder, cohort) if folder.is_dir() else ([], [])


def _read_folder(folder: Path, cohort: str | None) -> tuple[list[dict], list[Skipped]]:
    records, skipped = [], []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if not entry.name.endswith(".json") or entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            record = parse_record(path)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            skipped.append(Skipped(path.name, str(exc)))
            continue
        if cohort is None or record.get("cohort") == cohort:
            records.append(record)
    return records, skipped


def open_store(location: str | Path):
    """The store at `location`: a database URL (postgresql://..., sqlite:///...) or a folder."""
    if "://" in str(location):
        from workshop_lib.sql_store import SqlResponseStore  # SQLAlchemy only when needed

        return SqlResponseStore(str(location))
    return ResponseStore(Path(location))
