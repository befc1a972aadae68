"""The folder store: one JSON file per participant per activity, written atomically.

Layout: `<root>/<participant key>/<cohort key>~<notebook key>~<activity key>.json`
(keys from `workshop_lib.responses.keys`).

Writing (a participant's own kernel):
- the participant's folder is used only when it is a real folder (never a link) owned by the
  writing account and writable by no one else; a folder that is missing is created on a
  machine of one's own, while on a shared folder prepared with `prepare_shared_folder` the hub
  creates it (`prepare_participant_folder`) and a participant cannot create anyone's;
- the folder is never `chmod`-ed after it is made, so a setgid bit set by the trainer keeps
  the trainers' group on everything inside;
- locks, answer files and temporary files are opened relative to the folder with O_NOFOLLOW,
  so a planted link is refused with one sentence, never followed;
- writes go to a temporary file that is flushed, then renamed over the old file, under a
  per-record `flock`, so a crash or full disk never leaves half an answer and `attempts` counts
  exactly; temporary files left by a killed writer are removed by the next save of that record;
- an unreadable earlier file of one's own is kept aside as `<name>.unreadable-<time>`.

Reading (the trainer's report and dashboard):
- only regular files of bounded size are read (no FIFO, device or link), each checked in full;
- who answered comes from where the file is and who owns it: a record whose content names
  another participant or another activity than its place, or a file owned by another account
  than its folder, is reported as suspect and never counted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

from workshop_lib.i18n.catalog import _
from workshop_lib.responses.keys import SUFFIX, record_file_name, safe_key
from workshop_lib.responses.records import (
    MAX_RECORD_BYTES,
    Skipped,
    StoreUnavailableError,
    UnsafeStoreError,
    check_answer,
    check_ids,
    checked_record,
    new_record,
    parse_record_text,
)

FILE_MODE = 0o640
DIR_MODE = 0o750
PARTICIPANT_DIR_MODE = 0o2750  # set by root when the hub prepares a participant's folder
SHARED_ROOT_MODE = 0o751  # trainers list it; participants may only pass through

try:  # POSIX only; elsewhere saves still work, without the cross-process lock
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
# Participants may pass through a shared folder without reading it: open it only as a path.
_PASS_THROUGH = getattr(os, "O_PATH", os.O_RDONLY)


def _open_dir(name: str | Path, dir_fd: int | None = None) -> int:
    return os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=dir_fd)


def _is_link_error(exc: OSError) -> bool:
    return exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK)


def _read_regular(name: str, dir_fd: int) -> tuple[str, os.stat_result]:
    """The text of a regular file in `dir_fd`, never following a link or blocking on a FIFO."""
    fd = os.open(name, os.O_RDONLY | _NOFOLLOW | os.O_NONBLOCK, dir_fd=dir_fd)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(_("not a regular file"))
        if info.st_size > MAX_RECORD_BYTES:
            raise ValueError(_too_large())
        chunks, size = [], 0
        while size <= MAX_RECORD_BYTES:
            chunk = os.read(fd, min(info.st_size + 1, MAX_RECORD_BYTES + 1 - size) or 1)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        raw = b"".join(chunks)
    finally:
        os.close(fd)
    if len(raw) > MAX_RECORD_BYTES:
        raise ValueError(_too_large())
    try:
        return raw.decode("utf-8"), info
    except UnicodeDecodeError:
        raise ValueError(_("not UTF-8 text")) from None


def _too_large() -> str:
    return _("larger than {size} MiB").format(size=MAX_RECORD_BYTES // (1024 * 1024))


@contextlib.contextmanager
def _locked(dir_fd: int, name: str) -> Iterator[None]:
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    try:
        fd = os.open(f".{name}.lock", os.O_RDWR | os.O_CREAT | _NOFOLLOW, FILE_MODE, dir_fd=dir_fd)
    except OSError as exc:
        if _is_link_error(exc):
            raise UnsafeStoreError(
                _(
                    "A lock file of your answers is a link; the workshop refuses to follow it. "
                    "Please tell your trainer."
                )
            ) from None
        raise
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _remove_stale_temporaries(dir_fd: int, name: str) -> None:
    """Remove temporary files of this record left by a killed writer (the caller holds the
    record's lock, so no live writer of this record has one open)."""
    prefix = f".{name}."
    with os.scandir(dir_fd) as entries:
        for entry in entries:
            if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    os.unlink(entry.name, dir_fd=dir_fd)


def _write_atomic(dir_fd: int, name: str, record: dict) -> None:
    temp = f".{name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, FILE_MODE, dir_fd=dir_fd)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            os.fchmod(fh.fileno(), FILE_MODE)
            json.dump(record, fh, ensure_ascii=False, indent=1, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp, dir_fd=dir_fd)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where supported
        os.fsync(dir_fd)


def _suspect_reason(record: dict, folder: str, name: str) -> str:
    """Why a record's content disagrees with its place, or '' when it agrees."""
    if safe_key(record["participant"]) != folder:
        return _("says it is from '{participant}' but sits in the folder '{folder}'").format(
            participant=record["participant"], folder=folder
        )
    if record_file_name(record["cohort"], record["notebook"], record["activity"]) != name:
        return _("its cohort, notebook or activity does not match its file name")
    return ""


# What a reader made of each file, by the file's identity and state: a file that has not
# changed since the last read is not opened again (a trainer's dashboard re-reads often).
Signature = tuple[int, int, int, int, int, int]
ReadCache = dict[tuple[str, str], tuple[Signature, dict | None, str]]


def _signature(info: os.stat_result, folder_owner: int) -> Signature:
    return (
        info.st_ino,
        info.st_size,
        info.st_mtime_ns,
        info.st_ctime_ns,
        info.st_uid,
        folder_owner,
    )


def _read_file(folder_fd: int, folder: str, name: str, owner: int) -> tuple[dict | None, str]:
    """(record, '') when the file is a valid record that agrees with its place and owner,
    else (None, why it was skipped)."""
    try:
        text, info = _read_regular(name, folder_fd)
        record = parse_record_text(text)
    except OSError as exc:
        reason = _("a link, not followed") if _is_link_error(exc) else exc.strerror
        return None, reason or str(exc)
    except ValueError as exc:
        return None, str(exc)
    reason = _suspect_reason(record, folder, name)
    if not reason and info.st_uid != owner:
        reason = _("the file belongs to another account than its folder")
    if reason:
        return None, _("suspect, not counted: {reason}").format(reason=reason)
    return record, ""


def _read_folder(
    root_fd: int, folder: str, cohort: str | None, cache: ReadCache | None = None
) -> tuple[list[dict], list[Skipped]]:
    """Every record in one participant folder that agrees with its place and owner; files
    unchanged since they went into `cache` are not read again."""
    records: list[dict] = []
    skipped: list[Skipped] = []
    try:
        folder_fd = _open_dir(folder, root_fd)
    except OSError as exc:
        reason = _("a link, not followed") if _is_link_error(exc) else (exc.strerror or str(exc))
        return records, [Skipped(f"{folder}/", reason)]
    try:
        owner = os.fstat(folder_fd).st_uid
        with os.scandir(folder_fd) as entries:
            names = sorted(e.name for e in entries)
        for name in names:
            if name.startswith(".") or not name.endswith(SUFFIX):
                continue
            signature = None
            if cache is not None:
                try:
                    info = os.stat(name, dir_fd=folder_fd, follow_symlinks=False)
                    signature = _signature(info, owner)
                except OSError:
                    signature = None
            known = cache.get((folder, name)) if cache is not None else None
            if signature is not None and known is not None and known[0] == signature:
                record, reason = known[1], known[2]
            else:
                record, reason = _read_file(folder_fd, folder, name, owner)
                if cache is not None and signature is not None:
                    cache[(folder, name)] = (signature, record, reason)
            if record is None:
                skipped.append(Skipped(f"{folder}/{name}", reason))
            elif cohort is None or record["cohort"] == cohort:
                records.append(record)
    finally:
        os.close(folder_fd)
    return records, skipped


_READ_CACHES: dict[str, ReadCache] = {}


class FolderStore:
    """Answers of every participant in one responses folder (see the module's docstring)."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.location = str(self.root)

    def path_for(self, participant: str, cohort: str, notebook: str, activity: str) -> Path:
        """The one file that holds this participant's answer to this activity."""
        return self.root / safe_key(participant) / record_file_name(cohort, notebook, activity)

    def _root_fd(self, create: bool, listing: bool = False) -> int:
        try:
            if create:
                self.root.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
            return os.open(self.root, (os.O_RDONLY if listing else _PASS_THROUGH) | _DIRECTORY)
        except FileNotFoundError:
            raise
        except OSError as exc:
            raise StoreUnavailableError(
                _("The responses folder {folder} cannot be used ({reason}).").format(
                    folder=self.root, reason=exc.strerror or exc
                )
            ) from None

    @contextlib.contextmanager
    def _own_folder(self, participant: str, create: bool) -> Iterator[int | None]:
        """The participant's folder, opened safely; None when it does not exist yet and
        `create` is False."""
        key = safe_key(participant)
        try:
            root_fd = self._root_fd(create)
        except FileNotFoundError:
            yield None
            return
        try:
            try:
                folder_fd = _open_dir(key, root_fd)
            except FileNotFoundError:
                if not create:
                    yield None
                    return
                try:
                    os.mkdir(key, DIR_MODE, dir_fd=root_fd)  # never chmod-ed: keeps setgid
                except FileExistsError:
                    pass
                except PermissionError:
                    raise StoreUnavailableError(
                        _(
                            "Your answers folder in {folder} has not been prepared for you, and "
                            "you may not create it; please ask your trainer to add you."
                        ).format(folder=self.root)
                    ) from None
                folder_fd = _open_dir(key, root_fd)
        except OSError as exc:
            if isinstance(exc, StoreUnavailableError):
                raise
            if _is_link_error(exc):
                raise UnsafeStoreError(
                    _(
                        "The answers folder '{key}' in {folder} is a link or not a folder; the "
                        "workshop refuses to use it. Please tell your trainer."
                    ).format(key=key, folder=self.root)
                ) from None
            raise StoreUnavailableError(
                _("Your answers folder in {folder} cannot be opened ({reason}).").format(
                    folder=self.root, reason=exc.strerror or exc
                )
            ) from None
        finally:
            os.close(root_fd)
        try:
            info = os.fstat(folder_fd)
            if info.st_uid != os.geteuid():
                raise UnsafeStoreError(
                    _(
                        "The answers folder '{key}' in {folder} belongs to another account; the "
                        "workshop refuses to save there. Please tell your trainer."
                    ).format(key=key, folder=self.root)
                )
            if info.st_mode & 0o022:
                raise UnsafeStoreError(
                    _(
                        "The answers folder '{key}' in {folder} can be written by other "
                        "accounts; the workshop refuses to save there. Please tell your trainer."
                    ).format(key=key, folder=self.root)
                )
            yield folder_fd
        finally:
            os.close(folder_fd)

    def _previous(self, folder_fd: int, name: str) -> dict | None:
        """The record saved before, or None; an unreadable one of one's own is kept aside."""
        try:
            text, _info = _read_regular(name, folder_fd)
            return parse_record_text(text)
        except FileNotFoundError:
            return None
        except OSError as exc:
            if _is_link_error(exc):
                raise UnsafeStoreError(
                    _(
                        "An answer file of yours is a link; the workshop refuses to follow it. "
                        "Please tell your trainer."
                    )
                ) from None
            raise
        except ValueError:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
            aside = f"{name}.unreadable-{stamp}"
            os.rename(name, aside, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
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
        """Save `answer` atomically and return the record written (see the module's
        docstring). Raises AnswerRefusedError before touching the disk, InvalidIdError for ids
        that cannot name a record, and StoreUnavailableError (an OSError) when the folder cannot
        be used; the session keeps the answer in memory."""
        check_ids(participant=participant, cohort=cohort, notebook=notebook, activity=activity)
        check_answer(answer)
        name = record_file_name(cohort, notebook, activity)
        with self._own_folder(participant, create=True) as folder_fd, _locked(folder_fd, name):
            _remove_stale_temporaries(folder_fd, name)
            previous = self._previous(folder_fd, name)
            if previous and _suspect_reason(previous, safe_key(participant), name):
                previous = None
            record = checked_record(
                new_record(
                    previous,
                    participant=participant,
                    cohort=cohort,
                    notebook=notebook,
                    activity=activity,
                    kind=kind,
                    answer=answer,
                    display_name=display_name,
                    new_attempt=new_attempt,
                )
            )
            _write_atomic(folder_fd, name, record)
        return record

    def load(self, participant: str, cohort: str, notebook: str, activity: str) -> dict | None:
        """The saved record, or None when there is none or it cannot be used."""
        name = record_file_name(cohort, notebook, activity)
        with self._own_folder(participant, create=False) as folder_fd:
            if folder_fd is None:
                return None
            try:
                text, info = _read_regular(name, folder_fd)
                record = parse_record_text(text)
            except (OSError, ValueError):
                return None
            if _suspect_reason(record, safe_key(participant), name):
                return None
            return record

    def records(self, cohort: str | None = None) -> tuple[list[dict], list[Skipped]]:
        """Every record (of one cohort, if given) that agrees with its place and owner, and
        everything that was skipped, named by its participant folder."""
        try:
            root_fd = self._root_fd(create=False, listing=True)
        except FileNotFoundError:
            return [], []
        records: list[dict] = []
        skipped: list[Skipped] = []
        cache = _READ_CACHES.setdefault(str(self.root.absolute()), {})
        try:
            with os.scandir(root_fd) as entries:
                found = sorted((e.name, e.is_dir(follow_symlinks=False)) for e in entries)
            for name, is_dir in found:
                if name.startswith((".", "_")):  # "_room": the room's controls, not answers
                    continue
                if not is_dir:
                    skipped.append(Skipped(name, _("not a participant folder (stray entry)")))
                    continue
                more, bad = _read_folder(root_fd, name, cohort, cache)
                records += more
                skipped += bad
            folders = {name for name, is_dir in found if is_dir}
            for gone in [key for key in cache if key[0] not in folders]:
                del cache[gone]
        finally:
            os.close(root_fd)
        return records, skipped

    def participant_records(
        self, participant: str, cohort: str | None = None
    ) -> tuple[list[dict], list[Skipped]]:
        """One participant's records, reading only their own folder."""
        try:
            root_fd = self._root_fd(create=False)
        except FileNotFoundError:
            return [], []
        try:
            return _read_folder(root_fd, safe_key(participant), cohort)
        finally:
            os.close(root_fd)


def prepare_shared_folder(root: Path | str, trainers_group: str) -> Path:
    """Make `root` the shared responses folder of a hub (run as root): owned by root and the
    trainers' group, listable by trainers, and only passable by participants, who therefore
    cannot create, rename or delete anyone's folder. Inside it, `_room` keeps the room's
    controls (`workshop_lib.responses.controls`): root and the trainers' group, mode 2775, so
    trainers write there and participants only read. Returns the folder."""
    import grp

    from workshop_lib.responses.controls import ROOM_FOLDER, ROOM_MODE

    path = Path(root)
    gid = grp.getgrnam(trainers_group).gr_gid
    path.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDONLY | _DIRECTORY)
    try:
        os.fchown(fd, 0, gid)
        os.fchmod(fd, SHARED_ROOT_MODE)
        with contextlib.suppress(FileExistsError):
            os.mkdir(ROOM_FOLDER, 0o700, dir_fd=fd)
        try:
            room = _open_dir(ROOM_FOLDER, fd)
        except OSError as exc:
            raise UnsafeStoreError(
                _(
                    "'{name}' in {folder} is a link or not a folder; remove it, then try again."
                ).format(name=ROOM_FOLDER, folder=root)
            ) from exc
    finally:
        os.close(fd)
    try:
        os.fchown(room, 0, gid)
        os.fchmod(room, ROOM_MODE)
    finally:
        os.close(room)
    return path


def prepare_participant_folder(root: Path | str, participant: str, user: str, group: str) -> Path:
    """Create (or check) one participant's folder in a shared responses folder (run as root,
    for example by the hub before it starts the participant's server): owned by `user`, in the
    trainers' `group`, mode 2750, so files the participant writes there belong to the trainers'
    group. A link or a folder of another account under that name is refused."""
    import grp
    import pwd

    uid = pwd.getpwnam(user).pw_uid
    gid = grp.getgrnam(group).gr_gid
    key = safe_key(participant)
    root_fd = os.open(root, os.O_RDONLY | _DIRECTORY)
    try:
        with contextlib.suppress(FileExistsError):
            os.mkdir(key, 0o700, dir_fd=root_fd)
        try:
            fd = _open_dir(key, root_fd)
        except OSError as exc:
            raise UnsafeStoreError(
                _(
                    "'{name}' in {folder} is a link or not a folder; remove it, then try again."
                ).format(name=key, folder=root)
            ) from exc
    finally:
        os.close(root_fd)
    try:
        info = os.fstat(fd)
        if info.st_uid not in (0, uid):
            raise UnsafeStoreError(
                _(
                    "The folder '{name}' in {folder} belongs to another account; remove it, then "
                    "try again."
                ).format(name=key, folder=root)
            )
        os.fchown(fd, uid, gid)
        os.fchmod(fd, PARTICIPANT_DIR_MODE)
    finally:
        os.close(fd)
    return Path(root) / key
