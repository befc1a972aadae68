"""The package installs from a wheel with everything it needs, and `workshop init` copies its
notebooks.

The slow test builds the wheel from a copy of the checkout, installs it (without dependencies)
into a new virtual environment outside the checkout, lends it the project's installed
dependencies through a .pth file, and runs `workshop doctor`, `workshop init` and `workshop run`
from another folder: the data and notebooks must come from the installed package.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import nbformat
import pytest

from workshop_lib.cli import main
from workshop_lib.i18n.languages import DEFAULT, LANGUAGES
from workshop_lib.paths import PROJECT_ROOT, notebooks_dir
from workshop_lib.trainer.runner import TRAINER_TAG, agenda_notebooks, is_for_participants

KERNEL_NOISE = (
    "Kernel is running over TCP without encryption",
    "KeyboardInterrupt caught in kernel",
)
BUILD_WARNINGS = re.compile(
    r"SetuptoolsDeprecationWarning|as data is deprecated|would be ignored|BuildBackendWarning"
)
# Where each shipped folder of the checkout lands in the wheel.
SHIPPED = {
    "workshop_lib": "workshop_lib",
    "data": "workshop_lib/bundled_data",
    "notebooks": "workshop_lib/bundled_notebooks",
}


def _product_files(folder: str) -> list[Path]:
    """The files of a shipped folder, relative to the checkout, without what .gitignore keeps
    out (caches, checkpoints, a participant's answers in notebooks/responses)."""
    found = []
    for path in sorted((PROJECT_ROOT / folder).rglob("*")):
        parts = path.relative_to(PROJECT_ROOT).parts
        if not path.is_file() or any(p.startswith(".") or p == "__pycache__" for p in parts):
            continue
        if parts[:2] == ("notebooks", "responses") or path.suffix == ".pyc":
            continue
        found.append(path.relative_to(PROJECT_ROOT))
    return found


def _packages(folder: Path, prefix: str) -> list[str]:
    """`prefix` and every folder below `folder` that is a package name (as setuptools' namespace
    discovery sees them: an identifier, not __pycache__), dotted after `prefix`."""
    found = [prefix]
    for child in sorted(folder.iterdir()):
        if child.is_dir() and child.name.isidentifier() and child.name != "__pycache__":
            found += _packages(child, f"{prefix}.{child.name}")
    return found


TRANSLATED = [code for code in LANGUAGES if code != DEFAULT]


def _trainer_cells(nb: nbformat.NotebookNode) -> int:
    return sum(TRAINER_TAG in c.metadata.get("tags", []) for c in nb.cells)


def test_pyproject_lists_every_package_and_shipped_folder():
    configured = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    expected = (
        _packages(PROJECT_ROOT / "workshop_lib", "workshop_lib")
        + _packages(PROJECT_ROOT / "data", "workshop_lib.bundled_data")
        # the agenda and one folder per translation (notebooks/responses is a user's answers)
        + ["workshop_lib.bundled_notebooks"]
        + [f"workshop_lib.bundled_notebooks.{code}" for code in TRANSLATED]
    )
    missing = sorted(set(expected) - set(configured["packages"]))
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"
    assert sorted(configured["packages"]) == sorted(expected)
    assert configured["package-dir"] == {
        "workshop_lib.bundled_data": "data",
        "workshop_lib.bundled_notebooks": "notebooks",
    }


def test_init_writes_participant_copies_without_trainer_notes(tmp_path, capsys):
    target = tmp_path / "my-workshop"
    assert main(["init", str(target)]) == 0
    expected = [n for n in agenda_notebooks() if is_for_participants(n)]
    assert len(expected) < len(agenda_notebooks())  # the dashboard stays with the trainer
    assert sorted(p.name for p in target.iterdir()) == [n.name for n in expected]
    removed = 0
    for source in expected:
        original = nbformat.read(source, as_version=4)
        copy = nbformat.read(target / source.name, as_version=4)
        assert _trainer_cells(copy) == 0
        kept = [c.source for c in original.cells if TRAINER_TAG not in c.metadata.get("tags", [])]
        assert [c.source for c in copy.cells] == kept
        removed += _trainer_cells(original)
    assert removed > 0  # there were trainer notes to remove
    assert f"Wrote {len(expected)} notebook(s) to {target}" in capsys.readouterr().out


def test_init_trainer_copies_every_notebook_as_it_is(tmp_path):
    assert main(["init", str(tmp_path), "--trainer"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [n.name for n in agenda_notebooks()]
    for source in agenda_notebooks():
        assert (tmp_path / source.name).read_bytes() == source.read_bytes()


def test_init_refuses_to_overwrite_unless_forced(tmp_path, capsys):
    assert main(["init", str(tmp_path)]) == 0
    mine = tmp_path / "00_welcome.ipynb"
    mine.write_text("my own notes", encoding="utf-8")
    capsys.readouterr()
    assert main(["init", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    names = ", ".join(n.name for n in agenda_notebooks() if is_for_participants(n))
    assert err == f"{tmp_path} already has {names}: add --force to replace them.\n"
    assert mine.read_text(encoding="utf-8") == "my own notes"
    assert main(["init", str(tmp_path), "--force"]) == 0
    assert _trainer_cells(nbformat.read(mine, as_version=4)) == 0


def test_init_into_a_file_is_refused(tmp_path, capsys):
    existing = tmp_path / "notes.txt"
    existing.write_text("mine", encoding="utf-8")
    assert main(["init", str(existing)]) == 2
    assert capsys.readouterr().err == f"{existing} is a file, not a folder: choose a folder.\n"


def _run(command: list, cwd: Path, env: dict, timeout: int = 900) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.mark.notebooks
def test_wheel_installs_and_runs_outside_the_checkout(tmp_path):
    # Build the wheel from a copy of the product's files (never in the shared checkout).
    source = tmp_path / "source"
    files = {folder: _product_files(folder) for folder in SHIPPED}
    for relative in [Path("pyproject.toml"), Path("README.md"), *sum(files.values(), [])]:
        (source / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PROJECT_ROOT / relative, source / relative)
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip"]
    built = _run(
        [*pip, "wheel", "-v", "--no-deps", "-w", wheels, source], tmp_path, dict(os.environ)
    )
    assert not BUILD_WARNINGS.search(built.stdout + built.stderr), BUILD_WARNINGS.search(
        built.stdout + built.stderr
    )
    (wheel,) = wheels.glob("tipsom_workshop-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        f"{SHIPPED[p.parts[0]]}/{Path(*p.parts[1:]).as_posix()}"
        for folder in files.values()
        for p in folder
    }
    assert not sorted(expected - names), sorted(expected - names)
    for required in [
        "workshop_lib/facts/__init__.py",
        "workshop_lib/exercises/widgets/__init__.py",
        "workshop_lib/responses/__init__.py",
        "workshop_lib/trainer/templates/workshop_slides/index.html.j2",
        "workshop_lib/bundled_data/ratification.csv",
        "workshop_lib/bundled_data/exercises/checklist.yaml",
        "workshop_lib/bundled_notebooks/00_welcome.ipynb",
    ]:
        assert required in names, required
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]

    # A new environment outside the checkout; the dependencies come from the project's venv.
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path, dict(os.environ))
    python = venv / "bin" / "python"
    _run([*pip, "--python", python, "install", "--no-deps", wheel], tmp_path, dict(os.environ))
    site = Path(
        _run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            tmp_path,
            dict(os.environ),
        ).stdout.strip()
    )
    (site / "project_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "WORKSHOP_DATA_DIR")}
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")  # the widget extension
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    where = _run(
        [
            python,
            "-c",
            "import workshop_lib.paths as p; print(p.data_dir()); print(p.notebooks_dir())",
        ],
        elsewhere,
        env,
    ).stdout.split()
    assert where == [
        str(site / "workshop_lib" / "bundled_data"),
        str(site / "workshop_lib" / "bundled_notebooks"),
    ]

    doctor = _run([venv / "bin" / "workshop", "doctor"], elsewhere, env)
    assert "[ok  ] data files: valid" in doctor.stdout, doctor.stdout
    assert "[ok  ] exercise content: valid" in doctor.stdout, doctor.stdout

    _run([venv / "bin" / "workshop", "init", "copies"], elsewhere, env)
    participant = [n.name for n in agenda_notebooks() if is_for_participants(n)]
    assert sorted(p.name for p in (elsewhere / "copies").iterdir()) == participant

    out = tmp_path / "out"
    run = _run([venv / "bin" / "workshop", "run", "--out", out], elsewhere, env)
    for noise in KERNEL_NOISE:
        assert noise not in run.stdout + run.stderr, run.stdout + run.stderr
    installed = site / "workshop_lib" / "bundled_notebooks"
    for notebook in agenda_notebooks():
        executed = nbformat.read(out / "demo" / notebook.name, as_version=4)
        assert executed.metadata.papermill.input_path == str(installed / notebook.name)
        assert (out / "demo" / notebook.with_suffix(".html").name).exists()
    assert notebooks_dir() == PROJECT_ROOT / "notebooks"  # this test itself runs from a checkout
    assert list(elsewhere.iterdir()) == [elsewhere / "copies"]
