"""The room's controls: what the trainer decides about an activity during the session, kept in
the response store beside the answers, so that every participant's kernel sees it.

For each activity of a cohort there are two small documents:

- the **public** one, which every participant's kernel reads: whether the activity is
  `locked` (participants' widgets say it is closed and save nothing), the poll's `round` (a new
  round saves under a new activity id, `<activity>.round-<n>`, so earlier answers stay), and
  the poll's room result once the trainer has `revealed` it (counts per option, published by
  the trainer: participants never read each other's answers);
- the **private** one, which only trainers read: the participants whose note is hidden from
  the wall of the live view.

Where they are kept:

- **Folder store**: in `<root>/_room/` (`_` never begins a participant key, and the store's
  readers skip it), one file per document, `<cohort key>~<activity key>~public.json` (mode
  0644) and `~private.json` (0640). On a hub, `prepare_shared_folder` makes `_room` owned by
  root and the trainers' group, mode 2775: trainers write, participants only read. A reader
  trusts `_room` only when it is a real folder (never a link) owned by root or by the reader,
  that no other account may write; files are opened without following links and read only
  when regular and small. Writes are atomic (a temporary file renamed over the old one) under
  a lock file that only the trainers' group can open, so a participant cannot block them.
- **Database**: the table `workshop_controls_v1` (one row per cohort, activity and document,
  with a `locked` column), created on the first write. Under row-level security
  (`postgres_setup_sql`), participants read the public rows only and write none, trainers read
  and write them, and the database itself refuses a participant's answer to a locked activity.

Whatever is read is checked (types, bounds); a document that fails is taken as no control.
Reading never fails a participant's widget: a store that cannot be read means "open".
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationError

from workshop_lib.errors import WorkshopError
from workshop_lib.i18n.catalog import N_, _
from workshop_lib.responses.keys import safe_key
from workshop_lib.responses.records import (
    MAX_TEXT_LENGTH,
    StoreUnavailableError,
    UnsafeStoreError,
    utc_now,
)

ROOM_FOLDER = "_room"  # the controls area of a folder store (no participant key begins with _)
ROOM_MODE = 0o2775  # root and the trainers' group; trainers write, participants read
PUBLIC_MODE = 0o644
PRIVATE_MODE = 0o640
LOCK_MODE = 0o640  # only the trainers' group may open a lock file (and so hold the lock)
ROUND_MARK = ".round-"
MAX_ROUND = 999
MAX_OPTIONS = 100
MAX_HIDDEN = 10_000
MAX_CONTROL_BYTES = 1024 * 1024
ROUND_PATTERN = re.compile(rf"^(?P<base>.+){re.escape(ROUND_MARK)}(?P<round>[1-9][0-9]{{0,2}})$")

# What a closed activity is called, by kind of answer (English words; the sentences a
# participant reads are whole sentences per kind, CLOSED_SENTENCES, so that they translate).
KIND_WORDS = {
    "poll": "poll",
    "note": "discussion",
    "quiz": "quiz",
    "scenario": "case scenario",
    "checklist": "checklist",
}
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)

try:  # POSIX only
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None


class ControlsError(WorkshopError):
    """A control the trainer asked for that cannot be kept (an unprepared folder, a round out of
    range); the message is one sentence."""


CLOSED_SENTENCES = {
    "poll": N_("The trainer has closed this poll for now, so your answer was not saved."),
    "note": N_("The trainer has closed this discussion for now, so your answer was not saved."),
    "quiz": N_("The trainer has closed this quiz for now, so your answer was not saved."),
    "scenario": N_(
        "The trainer has closed this case scenario for now, so your answer was not saved."
    ),
    "checklist": N_("The trainer has closed this checklist for now, so your answer was not saved."),
}
CLOSED_SENTENCE = N_("The trainer has closed this activity for now, so your answer was not saved.")


def closed_sentence(kind: str) -> str:
    """The one sentence a participant reads when they answer an activity the trainer closed."""
    return _(CLOSED_SENTENCES.get(kind, CLOSED_SENTENCE))


def round_activity(activity: str, round_number: int) -> str:
    """The activity id answers of round `round_number` are saved under: the activity itself for
    the first round, `<activity>.round-<n>` after (so earlier rounds' answers stay)."""
    return activity if round_number <= 1 else f"{activity}{ROUND_MARK}{round_number}"


def split_round(activity: str) -> tuple[str, int]:
    """(the activity, the round) of an activity id saved by `round_activity`."""
    found = ROUND_PATTERN.match(activity)
    if found is None:
        return activity, 1
    return found.group("base"), int(found.group("round"))


class _Revealed(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)

    round: StrictInt = Field(ge=1, le=MAX_ROUND)
    options: list[StrictStr] = Field(max_length=MAX_OPTIONS)
    counts: list[StrictInt] = Field(max_length=MAX_OPTIONS)
    total: StrictInt = Field(ge=0)
    at: StrictStr = Field(max_length=40)


class _Public(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    locked: StrictBool = False
    round: StrictInt = Field(default=1, ge=1, le=MAX_ROUND)
    revealed: _Revealed | None = None
    updated: StrictStr = Field(default="", max_length=40)


class _Private(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    hidden: list[StrictStr] = Field(default=[], max_length=MAX_HIDDEN)
    updated: StrictStr = Field(default="", max_length=40)


@dataclass(frozen=True)
class RoomResult:
    """A poll's result as the trainer published it to the room: counts per option."""

    round: int
    options: tuple[str, ...]
    counts: tuple[int, ...]
    total: int
    at: str

    def as_dict(self) -> dict:
        """The result as it is stored."""
        return {
            "round": self.round,
            "options": list(self.options),
            "counts": list(self.counts),
            "total": self.total,
            "at": self.at,
        }


@dataclass(frozen=True)
class ActivityControls:
    """The controls of one activity. `hidden` is filled only for trainers (private)."""

    locked: bool = False
    round: int = 1
    revealed: RoomResult | None = None
    hidden: frozenset[str] = field(default_factory=frozenset)
    problem: str = ""  # why a stored document was not used, for the trainer

    def public_document(self) -> dict:
        """The public document as it is stored."""
        return {
            "locked": self.locked,
            "round": self.round,
            "revealed": self.revealed.as_dict() if self.revealed else None,
            "updated": utc_now(),
        }

    def private_document(self) -> dict:
        """The private document as it is stored."""
        return {"hidden": sorted(self.hidden), "updated": utc_now()}


def _parse(text: str | None, private: bool) -> tuple[dict, str]:
    """The fields of a stored document, checked, and '' or why it was not used."""
    if text is None:
        return {}, ""
    try:
        raw = json.loads(text)
        if private:
            model = _Private.model_validate(raw)
            hidden = [h for h in model.hidden if 0 < len(h) <= MAX_TEXT_LENGTH]
            return {"hidden": frozenset(hidden)}, ""
        model = _Public.model_validate(raw)
    except (ValueError, RecursionError) as exc:  # ValidationError is a ValueError
        reason = _("not valid JSON") if not isinstance(exc, ValidationError) else _("wrong fields")
        return {}, _("the room's controls could not be read ({reason}); taken as none").format(
            reason=reason
        )
    fields: dict[str, Any] = {"locked": model.locked, "round": model.round}
    shown = model.revealed
    if shown is not None and len(shown.options) == len(shown.counts):
        fields["revealed"] = RoomResult(
            shown.round,
            tuple(o[:MAX_TEXT_LENGTH] for o in shown.options),
            tuple(max(0, c) for c in shown.counts),
            shown.total,
            shown.at,
        )
    return fields, ""


def _public_fields(controls: ActivityControls) -> dict:
    document = controls.public_document()
    document.pop("updated")
    return document


def _merge(public: tuple[dict, str], private: tuple[dict, str]) -> ActivityControls:
    problem = public[1] or private[1]
    return ActivityControls(**public[0], **private[0], problem=problem)


class FolderControls:
    """The controls kept in a folder store's `_room` folder (see the module's docstring)."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.location = str(self.root / ROOM_FOLDER)

    @staticmethod
    def file_name(cohort: str, activity: str, private: bool) -> str:
        """The file of one document: `<cohort key>~<activity key>~public.json` (or private)."""
        part = "private" if private else "public"
        return f"{safe_key(cohort)}~{safe_key(activity)}~{part}.json"

    def _room_fd(self, create: bool = False) -> int | None:
        """The `_room` folder, opened safely and checked; None when there is none."""
        try:
            if create:  # on a machine of one's own; a hub's folder is prepared by root
                self.root.mkdir(mode=0o750, parents=True, exist_ok=True)
            root_fd = os.open(self.root, getattr(os, "O_PATH", os.O_RDONLY) | _DIRECTORY)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ControlsError(
                _(
                    "The responses folder {folder} cannot be used to keep the room's controls "
                    "({reason})."
                ).format(folder=self.root, reason=exc.strerror or exc)
            ) from None
        try:
            try:
                fd = os.open(ROOM_FOLDER, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=root_fd)
            except FileNotFoundError:
                if not create:
                    return None
                try:
                    os.mkdir(ROOM_FOLDER, 0o755, dir_fd=root_fd)
                except FileExistsError:
                    pass
                except PermissionError:
                    raise ControlsError(
                        _(
                            "The room's controls folder {folder} has not been prepared; run "
                            "`workshop prepare-shared-folder` again (as root)."
                        ).format(folder=self.location)
                    ) from None
                fd = os.open(ROOM_FOLDER, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=root_fd)
        except OSError as exc:
            if isinstance(exc, WorkshopError):
                raise
            raise UnsafeStoreError(
                _(
                    "The room's controls folder {folder} is a link or cannot be opened "
                    "({reason}); it is not used."
                ).format(folder=self.location, reason=exc.strerror or exc)
            ) from None
        finally:
            os.close(root_fd)
        info = os.fstat(fd)
        if info.st_uid not in (0, os.geteuid()) or info.st_mode & 0o002:
            os.close(fd)
            raise UnsafeStoreError(
                _(
                    "The room's controls folder {folder} was not made by the trainers (it "
                    "belongs to another account or anyone may write in it); it is not used."
                ).format(folder=self.location)
            )
        return fd

    @staticmethod
    def _read(room_fd: int, name: str) -> str | None:
        try:
            fd = os.open(name, os.O_RDONLY | _NOFOLLOW | os.O_NONBLOCK, dir_fd=room_fd)
        except FileNotFoundError:
            return None
        except PermissionError:
            return None  # a participant may not read the private document
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CONTROL_BYTES:
                return "not a control file"
            data = os.read(fd, MAX_CONTROL_BYTES + 1)
        finally:
            os.close(fd)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return "not UTF-8"

    def read(self, cohort: str, activity: str, private: bool = False) -> ActivityControls:
        """The controls of one activity (the hidden notes too when `private`); defaults when
        there are none. Raises StoreUnavailableError when `_room` is unsafe or unreadable."""
        try:
            room_fd = self._room_fd()
        except OSError as exc:
            if isinstance(exc, StoreUnavailableError):
                raise
            raise StoreUnavailableError(
                _("The room's controls in {folder} cannot be read ({reason}).").format(
                    folder=self.location, reason=exc.strerror or exc
                )
            ) from None
        if room_fd is None:
            return ActivityControls()
        try:
            public = self._read(room_fd, self.file_name(cohort, activity, False))
            secret = None
            if private:
                secret = self._read(room_fd, self.file_name(cohort, activity, True))
        finally:
            os.close(room_fd)
        return _merge(_parse(public, False), _parse(secret, True))

    @contextlib.contextmanager
    def _locked(self, room_fd: int, name: str):
        if fcntl is None:  # pragma: no cover - Windows
            yield
            return
        lock = f".{name}.lock"
        try:
            fd = os.open(lock, os.O_RDONLY | os.O_CREAT | _NOFOLLOW, LOCK_MODE, dir_fd=room_fd)
        except OSError as exc:
            raise ControlsError(
                _(
                    "The room's controls in {folder} cannot be changed ({reason}); is your "
                    "account in the trainers' group?"
                ).format(folder=self.location, reason=exc.strerror or exc)
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    @staticmethod
    def _write(room_fd: int, name: str, document: dict, mode: int) -> None:
        temp = f".{name}.{secrets.token_hex(6)}.tmp"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, mode, dir_fd=room_fd)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                os.fchmod(stream.fileno(), mode)
                json.dump(document, stream, ensure_ascii=False, sort_keys=True)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temp, name, src_dir_fd=room_fd, dst_dir_fd=room_fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp, dir_fd=room_fd)
            raise

    def update(self, cohort: str, activity: str, change) -> ActivityControls:
        """Apply `change` (ActivityControls -> ActivityControls) to one activity's controls,
        atomically under the activity's lock, and return the controls as now stored."""
        room_fd = self._room_fd(create=True)
        try:
            public_name = self.file_name(cohort, activity, False)
            private_name = self.file_name(cohort, activity, True)
            with self._locked(room_fd, public_name):
                public_text = self._read(room_fd, public_name)
                exists = public_text is not None
                before = _merge(
                    _parse(public_text, False),
                    _parse(self._read(room_fd, private_name), True),
                )
                after = change(before)
                try:
                    if _public_fields(after) != _public_fields(before) or not exists:
                        self._write(room_fd, public_name, after.public_document(), PUBLIC_MODE)
                    if after.hidden != before.hidden:
                        self._write(room_fd, private_name, after.private_document(), PRIVATE_MODE)
                except OSError as exc:
                    raise ControlsError(
                        _("The room's controls in {folder} cannot be changed ({reason}).").format(
                            folder=self.location, reason=exc.strerror or exc
                        )
                    ) from None
        finally:
            os.close(room_fd)
        return after


class SqlControls:
    """The controls kept in the database of an SqlStore (see the module's docstring)."""

    def __init__(self, store):
        self.store = store
        self.location = store.location

    def _select(self, cohort: str, activity: str, private: bool) -> dict[bool, str]:
        from sqlalchemy import select
        from sqlalchemy.exc import DBAPIError, SQLAlchemyError

        from workshop_lib.responses.sql import _table_missing, controls

        wanted = [True, False] if private else [True]
        query = select(controls.c.public, controls.c.state).where(
            controls.c.cohort == cohort,
            controls.c.activity == activity,
            controls.c.public.in_(wanted),
        )
        try:
            with self.store.engine.connect() as connection:
                rows = connection.execute(query).all()
        except DBAPIError as exc:
            if _table_missing(exc):
                return {}
            raise self.store._unavailable(exc) from exc
        except SQLAlchemyError as exc:
            raise self.store._unavailable(exc) from exc
        return {bool(public): state for public, state in rows if isinstance(state, str)}

    def read(self, cohort: str, activity: str, private: bool = False) -> ActivityControls:
        """The controls of one activity (the hidden notes too when `private`)."""
        found = self._select(cohort, activity, private)
        return _merge(
            _parse(found.get(True), False),
            _parse(found.get(False), True) if private else ({}, ""),
        )

    def update(self, cohort: str, activity: str, change) -> ActivityControls:
        """Apply `change` to one activity's controls in one transaction (rows locked) and return
        the controls as now stored."""
        from sqlalchemy import select, update

        from workshop_lib.responses.sql import controls, ensure_controls_table

        ensure_controls_table(self.store)
        who = self.store.location

        def work(connection):
            insert = self.store._insert(controls)
            for public in (True, False):
                connection.execute(
                    insert.values(
                        cohort=cohort,
                        activity=activity,
                        public=public,
                        locked=False,
                        state="{}",
                        updated_at=utc_now(),
                        updated_by="",
                    ).on_conflict_do_nothing()
                )
            query = select(controls.c.public, controls.c.state).where(
                controls.c.cohort == cohort, controls.c.activity == activity
            )
            if self.store.backend == "postgresql":
                query = query.with_for_update()
            found = {bool(p): s for p, s in connection.execute(query).all()}
            before = _merge(_parse(found.get(True), False), _parse(found.get(False), True))
            after = change(before)
            for public, document in ((True, after.public_document()),
                                     (False, after.private_document())):  # fmt: skip
                connection.execute(
                    update(controls)
                    .where(
                        controls.c.cohort == cohort,
                        controls.c.activity == activity,
                        controls.c.public == public,
                    )
                    .values(
                        state=json.dumps(document, ensure_ascii=False, sort_keys=True),
                        locked=after.locked if public else False,
                        updated_at=utc_now(),
                        updated_by=who[:200],
                    )
                )
            return after

        return self.store._run(work)


def controls_for(store) -> FolderControls | SqlControls:
    """The controls that go with a response store (a FolderStore or an SqlStore)."""
    if hasattr(store, "engine"):
        return SqlControls(store)
    return FolderControls(store.root)


def read_controls(store, cohort: str, activity: str) -> ActivityControls:
    """The public controls of one activity, for a participant's kernel: defaults (open) when
    there are none or they cannot be read, so a widget never fails because of them."""
    try:
        return controls_for(store).read(cohort, split_round(activity)[0])
    except (WorkshopError, OSError, ValueError):
        return ActivityControls()
