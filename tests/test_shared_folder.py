"""The shared responses folder of a hub, with real Unix users: two participants, a trainer in
the trainers' group, the folder prepared as the README says, and each attack of the hostile
review (issue 12, items 1-3). Participants run their own Python as themselves (`runuser`)."""

from __future__ import annotations

import grp
import json
import os
import stat
import textwrap

import pytest

from tests.unix_users import cannot_make_users, make_world
from workshop_lib.responses.folder import prepare_participant_folder, prepare_shared_folder
from workshop_lib.responses.keys import record_file_name

REASON = cannot_make_users()
pytestmark = pytest.mark.skipif(bool(REASON), reason=REASON or "")

SAVE = textwrap.dedent(
    """
    import sys
    from workshop_lib.errors import WorkshopError
    from workshop_lib.responses.folder import FolderStore
    root, who, text = sys.argv[1:4]
    try:
        FolderStore(root).save(who, "c1", "05_nb", "note.x", text, kind="note")
        print("saved")
    except WorkshopError as exc:
        print("refused:", exc)
    """
)
READ_ALL = textwrap.dedent(
    """
    import json, sys
    from workshop_lib.responses.folder import FolderStore
    records, skipped = FolderStore(sys.argv[1]).records()
    print(json.dumps({"records": [[r["participant"], r["answer"]] for r in records],
                      "skipped": [[s.where, s.reason] for s in skipped]}))
    """
)


@pytest.fixture(scope="module")
def world():
    world = make_world()
    try:
        world.trainers = world.group("wstr")
        world.alice = world.user("wsal")
        world.bob = world.user("wsbo")
        world.trainer = world.user("wstn", groups=(world.trainers,))
        yield world
    finally:
        world.remove()


def prepared(world, name: str):
    """A shared folder set up as the README says: prepared by root, with a folder per
    participant made by root (as the hub's pre-spawn hook does)."""
    root = world.root / name
    prepare_shared_folder(root, world.trainers)
    for user in (world.alice, world.bob):
        prepare_participant_folder(root, user, user, world.trainers)
    return root


def save(world, user: str, root, who: str, text: str) -> str:
    result = world.python(user, SAVE, str(root), who, text)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def read_all(world, user: str, root) -> dict:
    result = world.python(user, READ_ALL, str(root))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_trainer_reads_every_participants_answer(world):
    root = prepared(world, "prepared")
    assert save(world, world.alice, root, world.alice, "alice's answer") == "saved"
    assert save(world, world.bob, root, world.bob, "bob's answer") == "saved"
    seen = read_all(world, world.trainer, root)
    assert seen["skipped"] == []
    assert sorted(seen["records"]) == [[world.alice, "alice's answer"], [world.bob, "bob's answer"]]
    gid = grp.getgrnam(world.trainers).gr_gid
    for user in (world.alice, world.bob):
        folder = root / user
        assert folder.stat().st_gid == gid and folder.stat().st_mode & stat.S_ISGID
        for path in folder.glob("*.json"):
            assert path.stat().st_gid == gid, "answer files keep the trainers' group"
            assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_setgid_folder_participants_create_themselves_keeps_the_trainers_group(world):
    """The earlier README's set-up (chmod 3773, setgid, trainers' group): the store's own chmod
    of a new folder cleared the setgid bit, and the trainer could read no answer."""
    root = world.root / "open"
    root.mkdir()
    os.chown(root, 0, grp.getgrnam(world.trainers).gr_gid)
    os.chmod(root, 0o3773)
    assert save(world, world.alice, root, world.alice, "mine") == "saved"
    assert (root / world.alice).stat().st_mode & stat.S_ISGID
    seen = read_all(world, world.trainer, root)
    assert seen == {"records": [[world.alice, "mine"]], "skipped": []}


def test_a_participant_can_neither_read_nor_list_nor_create_for_others(world):
    root = prepared(world, "private")
    assert save(world, world.alice, root, world.alice, "secret") == "saved"
    probe = textwrap.dedent(
        """
        import os, sys
        root, alice = sys.argv[1:3]
        answer = os.path.join(root, alice, "c1~05_nb~note.x.json")
        for name, attempt in [
            ("list", lambda: os.listdir(root)),
            ("read", lambda: open(answer).read()),
            ("mkdir", lambda: os.mkdir(os.path.join(root, "carol"))),
            ("symlink", lambda: os.symlink("/tmp", os.path.join(root, "carol"))),
            ("write", lambda: open(os.path.join(root, alice, "x.json"), "w")),
        ]:
            try:
                attempt()
                print(name, "allowed")
            except PermissionError:
                print(name, "denied")
        """
    )
    assert (root / world.alice / "c1~05_nb~note.x.json").exists()
    result = world.python(world.bob, probe, str(root), world.alice)
    assert result.stdout.split("\n")[:5] == [
        "list denied", "read denied", "mkdir denied", "symlink denied", "write denied",
    ]  # fmt: skip
    refused = save(world, world.bob, root, "carol", "bob as carol")
    assert refused.startswith("refused: Your answers folder") and "ask your trainer" in refused
    assert not (root / "carol").exists()


def test_a_folder_or_link_planted_under_anothers_name_is_refused(world):
    """Where participants may create entries (the earlier set-up), bob plants alice's folder
    (his own, mode 2777) and a link for a second name: alice's saves refuse both."""
    root = world.root / "planted"
    root.mkdir()
    os.chmod(root, 0o3777)
    plant = textwrap.dedent(
        """
        import os, sys
        root, alice = sys.argv[1:3]
        os.mkdir(os.path.join(root, alice)); os.chmod(os.path.join(root, alice), 0o2777)
        os.mkdir(os.path.join(root, "bobs-trap"))
        os.symlink(os.path.join(root, "bobs-trap"), os.path.join(root, alice + "-link"))
        """
    )
    assert world.python(world.bob, plant, str(root), world.alice).returncode == 0
    refused = save(world, world.alice, root, world.alice, "should not land")
    assert refused.startswith("refused: The answers folder") and "another account" in refused
    refused = save(world, world.alice, root, world.alice + "-link", "should not land")
    assert refused.startswith("refused: The answers folder") and "is a link" in refused
    assert list((root / world.alice).iterdir()) == []
    assert list((root / "bobs-trap").iterdir()) == []
    assert prepare_refuses(root, world.alice, world.trainers)


def prepare_refuses(root, user, group) -> bool:
    """The hub's preparation refuses a folder that another account made under a name."""
    try:
        prepare_participant_folder(root, user, user, group)
    except OSError as exc:
        return "belongs to another account" in str(exc)
    return False


def test_a_record_claiming_to_be_someone_else_is_suspect_never_counted(world):
    root = prepared(world, "forgery")
    assert save(world, world.alice, root, world.alice, "alice's real answer") == "saved"
    forge = textwrap.dedent(
        """
        import json, os, sys
        root, alice, bob, name = sys.argv[1:5]
        mine = os.path.join(root, bob)
        record = json.load(open(os.path.join(mine, name)))
        record["participant"] = alice
        record["answer"] = "forged by bob"
        with open(os.path.join(mine, name), "w") as fh:
            json.dump(record, fh)
        os.symlink(os.path.join(root, alice, name), os.path.join(mine, "link.json"))
        """
    )
    assert save(world, world.bob, root, world.bob, "bob's answer") == "saved"
    name = record_file_name("c1", "05_nb", "note.x")
    result = world.python(world.bob, forge, str(root), world.alice, world.bob, name)
    assert result.returncode == 0, result.stderr
    seen = read_all(world, world.trainer, root)
    assert seen["records"] == [[world.alice, "alice's real answer"]]
    reasons = dict(seen["skipped"])
    assert reasons[f"{world.bob}/{name}"].startswith("suspect, not counted: says it is from")
    assert reasons[f"{world.bob}/link.json"] == "a link, not followed"
