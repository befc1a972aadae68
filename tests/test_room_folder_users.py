"""The room's controls in a hub's shared folder, with real Unix users: the prepared `_room`
belongs to root and the trainers' group (mode 2775); a trainer locks a poll and hides a note;
participants read the lock (their save is refused with its sentence) but can neither change,
replace, add nor block the controls, nor read the hidden notes."""

from __future__ import annotations

import grp
import stat
import textwrap

import pytest

from tests.unix_users import cannot_make_users, make_world
from workshop_lib.responses.controls import ROOM_FOLDER, ROOM_MODE, FolderControls
from workshop_lib.responses.folder import prepare_participant_folder, prepare_shared_folder

REASON = cannot_make_users()
pytestmark = pytest.mark.skipif(bool(REASON), reason=REASON or "")

TRAINER_LOCKS = textwrap.dedent(
    """
    import dataclasses, sys
    from workshop_lib.responses.controls import FolderControls
    FolderControls(sys.argv[1]).update(
        "c1", "poll.x",
        lambda c: dataclasses.replace(c, locked=True, hidden=frozenset({"someone"})))
    print("locked")
    """
)
PARTICIPANT = textwrap.dedent(
    """
    import dataclasses, fcntl, os, sys
    from workshop_lib.errors import WorkshopError
    from workshop_lib.responses.controls import FolderControls
    from workshop_lib.responses.folder import FolderStore
    from workshop_lib.responses.session import Session
    root, me, public, private = sys.argv[1:5]
    room = os.path.join(root, "_room")
    controls = FolderControls(root).read("c1", "poll.x", private=True)
    print("locked", controls.locked, "hidden", sorted(controls.hidden))
    print(Session(me, "c1", "02_nb", FolderStore(root)).save("poll.x", {"choice": "Yes"},
                                                              "poll").message)
    for name, attempt in [
        ("change", lambda: FolderControls(root).update(
            "c1", "poll.x", lambda c: dataclasses.replace(c, locked=False))),
        ("replace", lambda: open(os.path.join(room, public), "w")),
        ("create", lambda: open(os.path.join(room, "c1~poll.y~public.json"), "x")),
        ("read-private", lambda: open(os.path.join(room, private)).read()),
        ("block", lambda: fcntl.flock(os.open(os.path.join(room, "." + public + ".lock"),
                                              os.O_RDONLY), fcntl.LOCK_EX)),
    ]:
        try:
            attempt()
            print(name, "allowed")
        except (PermissionError, WorkshopError):
            print(name, "denied")
    """
)


@pytest.fixture(scope="module")
def world():
    world = make_world()
    try:
        world.trainers = world.group("wrtr")
        world.alice = world.user("wral")
        world.trainer = world.user("wrtn", groups=(world.trainers,))
        yield world
    finally:
        world.remove()


def test_trainers_keep_the_controls_and_participants_only_read_them(world):
    root = world.root / "shared"
    prepare_shared_folder(root, world.trainers)
    prepare_participant_folder(root, world.alice, world.alice, world.trainers)
    room = (root / ROOM_FOLDER).stat()
    assert (room.st_uid, room.st_gid) == (0, grp.getgrnam(world.trainers).gr_gid)
    assert stat.S_IMODE(room.st_mode) == ROOM_MODE & 0o7777
    result = world.python(world.trainer, TRAINER_LOCKS, str(root))
    assert result.stdout.strip() == "locked", result.stderr
    public = FolderControls.file_name("c1", "poll.x", False)
    private = FolderControls.file_name("c1", "poll.x", True)
    result = world.python(world.alice, PARTICIPANT, str(root), world.alice, public, private)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "locked True hidden []",
        "The trainer has closed this poll for now, so your answer was not saved.",
        "change denied",
        "replace denied",
        "create denied",
        "read-private denied",
        "block denied",
    ]
    assert list((root / world.alice).iterdir()) == []
    records = FolderControls(root).read("c1", "poll.x", private=True)
    assert records.locked and records.hidden == {"someone"}
