"""Notebooks handed out to participants: the trainer publishes participant copies into a
folder; each participant's home gets them, and later versions, without losing anything.

`publish` writes the participant copies of the agenda (trainer notes removed, parameters
filled for a cohort and a country) into the published folder; `workshop run` writes the same
copies into `<out>/<cohort>/participant/`, which can be published as it is.

`hand_out` brings a home up to date with the published folder. It keeps a manifest
(`.workshop-handout.json` in the home) of what it handed out: the published file's SHA-256 and
a fingerprint of its cells. For each published notebook:

- missing from the home: copied (a notebook the participant deleted comes back);
- in the home and unchanged by the participant (the same cells as handed out; outputs and
  metadata do not count, so a notebook that was only run is unchanged): replaced by a newer
  published version;
- changed by the participant (or there before the hand-out): never touched; a newer published
  version is added beside it as `<name> (updated YYYY-MM-DD).ipynb`, once.

Answers live in the response store, never in the notebooks, so replacing a notebook loses no
answer. On a hub, `hand_out` runs as the participant (see `hub.py`): every file it writes is
theirs, and a link planted in their home can only lead to what they may write anyway.
Only the standard library is imported (it runs before a participant's server starts), except
in `publish`, which uses the trainer's runner.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".workshop-handout.json"
MANIFEST_VERSION = 1
BESIDE_PATTERN = "{stem} (updated {day}){suffix}"
INJECTED_CELL_ID = "injected-parameters"
FILE_MODE = 0o644  # a participant's notebook: theirs to change, anyone's to read, like a copy


@dataclass
class HandoutReport:
    """What one hand-out did, by notebook file name."""

    copied: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    beside: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for a log: how many notebooks were copied, updated, added beside, kept."""
        return (
            f"{len(self.copied)} copied, {len(self.updated)} updated, "
            f"{len(self.beside)} added beside a changed notebook, {len(self.kept)} unchanged"
        )


def sha256(data: bytes) -> str:
    """The SHA-256 of `data`, in hex."""
    return hashlib.sha256(data).hexdigest()


def fingerprint(data: bytes) -> str:
    """What a participant can change in a notebook: the type and text of every cell, in order.
    Outputs, execution counts and metadata do not count. Not a notebook: the bytes' hash."""
    try:
        notebook = json.loads(data.decode("utf-8"))
        cells = [
            [
                cell.get("cell_type", ""),
                "".join(cell["source"]) if isinstance(cell.get("source"), list) else cell["source"],
            ]
            for cell in notebook["cells"]
        ]
    except (ValueError, KeyError, TypeError, AttributeError):
        return "bytes:" + sha256(data)
    return "cells:" + sha256(json.dumps(cells, ensure_ascii=False).encode("utf-8"))


def _read_manifest(home: Path) -> dict:
    try:
        data = json.loads((home / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return files if isinstance(files, dict) else {}


def _write_atomically(path: Path, data: bytes) -> None:
    """Write `path` through a temporary file in the same folder and a rename: a reader never
    sees half a notebook. A link at `path` is replaced by the file, never followed."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".handout-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            os.fchmod(out.fileno(), FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _read_own_file(path: Path) -> bytes | None:
    """The bytes of the regular file at `path`, or None when it is missing or not a plain file
    (a link or a folder is the participant's own business)."""
    try:
        if path.is_symlink() or not path.is_file():
            return None
        return path.read_bytes()
    except OSError:
        return None


def beside_name(name: str, day: datetime.date, taken: set[str]) -> str:
    """The name for a newer version added beside a changed notebook, not yet `taken`."""
    stem, suffix = os.path.splitext(name)
    candidate = BESIDE_PATTERN.format(stem=stem, day=day.isoformat(), suffix=suffix)
    number = 2
    while candidate in taken:
        candidate = BESIDE_PATTERN.format(
            stem=stem, day=f"{day.isoformat()}, {number}", suffix=suffix
        )
        number += 1
    return candidate


def published_notebooks(published: Path) -> list[Path]:
    """The notebooks in the published folder, by name."""
    return sorted(p for p in published.glob("*.ipynb") if p.is_file() and not p.is_symlink())


def hand_out(published: Path, home: Path, today: datetime.date | None = None) -> HandoutReport:
    """Bring `home` up to date with the `published` folder (see the module's description)."""
    today = today or datetime.date.today()
    report = HandoutReport()
    home.mkdir(parents=True, exist_ok=True)  # a notebook folder below the home, the first time
    manifest = _read_manifest(home)
    existing = {p.name for p in home.iterdir()} if home.is_dir() else set()
    for source in published_notebooks(published):
        name = source.name
        data = source.read_bytes()
        version = sha256(data)
        entry = manifest.get(name) if isinstance(manifest.get(name), dict) else None
        target = home / name
        present = target.exists() or target.is_symlink()
        current = _read_own_file(target)
        if not present:
            _write_atomically(target, data)
            report.copied.append(name)
        elif entry and current is not None and fingerprint(current) == entry.get("fingerprint"):
            if entry.get("sha256") == version:
                report.kept.append(name)
                continue
            _write_atomically(target, data)
            report.updated.append(name)
        else:
            offered = entry.get("offered", []) if entry else []
            if version == (entry or {}).get("sha256") or version in offered:
                report.kept.append(name)
                continue
            extra = beside_name(name, today, existing)
            _write_atomically(home / extra, data)
            existing.add(extra)
            report.beside.append(extra)
            manifest[name] = {**(entry or {}), "offered": [*offered, version]}
            continue
        manifest[name] = {"sha256": version, "fingerprint": fingerprint(data), "offered": []}
    _write_atomically(
        home / MANIFEST,
        json.dumps({"version": MANIFEST_VERSION, "files": manifest}, indent=1).encode("utf-8"),
    )
    return report


def publish(
    folder: Path, cohort: str, country: str, notebooks: Path | None = None, lang: str = ""
) -> list[Path]:
    """Write the participant copies of the agenda into `folder` for `cohort` and `country`
    (trainer notes removed, parameters filled, not executed, no trainer notebooks). With `lang`
    (a language code), the agenda in that language (`notebooks/<lang>/`, unless `notebooks`
    says where) with its `lang` parameter filled in. A copy whose content has not changed is
    left as it is, so publishing again hands out nothing new. Returns the notebooks whose
    published version changed."""
    from workshop_lib.trainer.runner import (
        agenda_notebooks,
        is_for_participants,
        write_participant_copy,
    )

    parameters = {"country": country, "cohort": cohort}
    if lang:
        from workshop_lib.i18n.notebooks import notebook_folder

        notebooks = notebooks or notebook_folder(lang)
        parameters["lang"] = lang
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    with tempfile.TemporaryDirectory(prefix="workshop-publish-") as scratch:
        for source in filter(is_for_participants, agenda_notebooks(notebooks)):
            copy = write_participant_copy(source, Path(scratch), parameters)
            data = _stable_ids(copy.read_bytes())
            target = folder / source.name
            if _read_own_file(target) != data:
                _write_atomically(target, data)
                changed.append(target)
    return changed


def _stable_ids(data: bytes) -> bytes:
    """The notebook with papermill's injected-parameters cell under a fixed id (papermill gives
    it a random one), so that publishing the same agenda twice writes the same bytes."""
    notebook = json.loads(data.decode("utf-8"))
    for cell in notebook.get("cells", []):
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = INJECTED_CELL_ID
    return (json.dumps(notebook, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode(
        "utf-8"
    )


def main(argv: list[str] | None = None) -> int:
    """`python -m workshop_lib.participant.handout PUBLISHED HOME`: hand out, print a summary.
    The hub runs this as the participant, before their server starts."""
    published, home = (Path(a) for a in (argv if argv is not None else sys.argv[1:]))
    print(hand_out(published, home).summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
