"""Mistakes on the `workshop` command line get one sentence on stderr and exit code 2, never a
traceback, and nothing is run or written. Notebooks are not executed here: `run_tasks` is
replaced by a recorder where a test needs to see what would run."""

from __future__ import annotations

import grp
import os
import pwd
from pathlib import Path

import pytest

from workshop_lib import cli
from workshop_lib.cli import build_parser, main
from workshop_lib.paths import notebooks_dir
from workshop_lib.trainer.runner import NotebookResult, agenda_notebooks


def one_sentence(text: str) -> str:
    """The single line of `text`, checked to be one line with no traceback."""
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text, text
    return lines[0]


@pytest.fixture
def recorded(monkeypatch):
    """The tasks and worker count `workshop run` would use; no notebook is executed."""
    calls: list[tuple[list, int]] = []

    def fake_run_tasks(tasks, workers, done=lambda *a: None):
        calls.append((tasks, workers))
        results = [NotebookResult(t.source.stem, 0.0, True) for t in tasks]
        for count, (task, result) in enumerate(zip(tasks, results, strict=True), start=1):
            done(count, task, result)
        return results

    monkeypatch.setattr(cli, "run_tasks", fake_run_tasks)
    return calls


@pytest.mark.parametrize("value", ["-1", "-8", "two", "1.5"])
def test_jobs_below_zero_or_not_a_number_is_refused(value, capsys, recorded):
    with pytest.raises(SystemExit) as stop:
        main(["run", "--jobs", value])
    assert stop.value.code == 2
    line = one_sentence(capsys.readouterr().err)
    assert line.startswith("workshop run: argument --jobs:"), line
    assert value in line
    assert not recorded


def test_jobs_zero_means_one_per_cpu_and_a_number_is_kept(tmp_path, recorded, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    notebooks = len(agenda_notebooks())
    assert main(["run", "--jobs", "0", "--out", str(tmp_path)]) == 0
    assert main(["run", "--out", str(tmp_path)]) == 0
    assert main(["run", "--jobs", "2", "--out", str(tmp_path)]) == 0
    assert main(["run", "--jobs", "50", "--out", str(tmp_path)]) == 0
    assert [workers for _, workers in recorded] == [3, 3, 2, notebooks]


@pytest.mark.parametrize("port", ["99999", "0", "-1", "65536", "http"])
def test_port_outside_1_to_65535_is_refused(port, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["lab", "--port", port])
    assert stop.value.code == 2
    line = one_sentence(capsys.readouterr().err)
    assert line.startswith("workshop lab: argument --port:"), line


@pytest.mark.parametrize("port", ["1", "8888", "65535"])
def test_ports_in_range_are_accepted(port):
    assert build_parser().parse_args(["lab", "--port", port]).port == int(port)


def test_out_that_is_a_file_is_refused(tmp_path, capsys, recorded):
    existing = tmp_path / "notes.txt"
    existing.write_text("mine", encoding="utf-8")
    assert main(["run", "--out", str(existing)]) == 2
    line = one_sentence(capsys.readouterr().err)
    assert line == f"--out {existing} is a file, not a folder: choose a folder."
    assert existing.read_text(encoding="utf-8") == "mine"
    assert not recorded


@pytest.mark.parametrize("command", [["run"], ["slides"], ["handout", "--country", "KEN"]])
def test_out_that_cannot_be_created_is_refused(command, capsys, recorded):
    assert main([*command, "--out", "/proc/workshop-x/out"]) == 2
    line = one_sentence(capsys.readouterr().err)
    assert line.startswith("The folder /proc/workshop-x/out cannot be written ("), line
    assert line.endswith("): choose another --out."), line
    assert not recorded


def test_out_inside_a_file_is_refused(tmp_path, capsys, recorded):
    existing = tmp_path / "notes.txt"
    existing.write_text("mine", encoding="utf-8")
    assert main(["run", "--out", str(existing / "sub")]) == 2
    assert "cannot be written" in one_sentence(capsys.readouterr().err)
    assert not recorded


def test_report_out_that_is_a_folder_is_refused(tmp_path, capsys):
    (tmp_path / "answers").mkdir()
    folder = tmp_path / "reports"
    folder.mkdir()
    assert main(["report", str(tmp_path / "answers"), "--out", str(folder)]) == 2
    line = one_sentence(capsys.readouterr().err)
    assert line == (
        f"--out {folder} is a folder: give a file name, for example {folder / 'report.html'}."
    )
    assert list(folder.iterdir()) == []


def test_report_out_in_an_unwritable_place_is_refused(tmp_path, capsys):
    (tmp_path / "answers").mkdir()
    assert main(["report", str(tmp_path / "answers"), "--out", "/proc/workshop-x/r.html"]) == 2
    assert "cannot be written" in one_sentence(capsys.readouterr().err)


@pytest.mark.parametrize("url", ["ftp://host/answers", "mysql://user:secret@db/workshop"])
def test_report_with_an_unsupported_url_scheme_is_one_sentence(url, capsys, tmp_path):
    assert main(["report", url, "--out", str(tmp_path / "r.html")]) == 2
    line = one_sentence(capsys.readouterr().err)
    scheme = url.split("://")[0]
    assert line.startswith(f"The responses location '{scheme}://...' is not supported"), line
    assert "secret" not in line
    assert not (tmp_path / "r.html").exists()


def test_slides_of_a_file_that_is_not_a_notebook_is_refused(tmp_path, capsys):
    text = tmp_path / "notes.md"
    text.write_text("# notes\n", encoding="utf-8")
    assert main(["slides", str(text), "--out", str(tmp_path / "out")]) == 2
    assert one_sentence(capsys.readouterr().err) == f"{text} is not a notebook (an .ipynb file)."
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"cells": 3}'])
def test_slides_of_a_broken_notebook_is_refused(content, tmp_path, capsys):
    broken = tmp_path / "broken.ipynb"
    broken.write_text(content, encoding="utf-8")
    assert main(["slides", str(broken), "--out", str(tmp_path / "out")]) == 2
    line = one_sentence(capsys.readouterr().err)
    assert line == f"{broken} is not a notebook that can be read."


def test_slides_of_a_missing_notebook_is_refused(tmp_path, capsys):
    assert main(["slides", str(tmp_path / "gone.ipynb")]) == 2
    assert one_sentence(capsys.readouterr().err) == f"No such notebook: {tmp_path / 'gone.ipynb'}."


@pytest.mark.parametrize("cohort", ["../escape", "../../escape", "/tmp/workshop-absolute", "a/b"])
def test_cohort_never_writes_outside_out(cohort, tmp_path, recorded):
    out = tmp_path / "out"
    assert main(["run", "--cohort", cohort, "--country", "KEN", "--out", str(out)]) == 0
    ((tasks, _),) = recorded
    assert tasks
    for task in tasks:
        assert task.out_dir.resolve().is_relative_to(out.resolve()), task.out_dir
        assert task.out_dir.parent.parent == out
        assert task.parameters["cohort"] == cohort  # the name itself still reaches the notebooks
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert not Path("/tmp/workshop-absolute").exists()


def test_plain_cohort_name_is_its_own_folder(tmp_path, recorded):
    assert main(["run", "--cohort", "nairobi-2025", "--out", str(tmp_path)]) == 0
    ((tasks, _),) = recorded
    assert {t.out_dir for t in tasks} == {tmp_path / "nairobi-2025"}


def test_report_cohort_never_writes_outside_the_default_folder(tmp_path, monkeypatch, capsys):
    (tmp_path / "answers").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["report", "answers", "--cohort", "../../escape"]) == 0
    written = [p for p in tmp_path.rglob("report.html")]
    assert len(written) == 1
    assert written[0].parent.parent == tmp_path / "build", written


def test_run_responses_dir_url_is_passed_as_given(tmp_path, monkeypatch, recorded):
    monkeypatch.chdir(tmp_path)
    url = "postgresql://trainer:s3cret@db.example.org/workshop"
    assert main(["run", "--responses-dir", url, "--out", str(tmp_path / "out")]) == 0
    ((tasks, _),) = recorded
    assert {t.parameters["responses_dir"] for t in tasks} == {url}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_run_responses_dir_folder_becomes_absolute(tmp_path, monkeypatch, recorded):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "--responses-dir", "answers", "--out", "out"]) == 0
    ((tasks, _),) = recorded
    assert {t.parameters["responses_dir"] for t in tasks} == {str(tmp_path / "answers")}


def test_run_responses_dir_with_an_unsupported_scheme_is_refused(tmp_path, capsys, recorded):
    assert main(["run", "--responses-dir", "ftp://x/y", "--out", str(tmp_path)]) == 2
    assert "is not supported" in one_sentence(capsys.readouterr().err)
    assert not recorded


def test_missing_notebooks_folder_is_one_sentence(tmp_path, capsys, recorded):
    gone = tmp_path / "gone"
    assert main(["run", "--notebooks", str(gone), "--out", str(tmp_path)]) == 2
    assert one_sentence(capsys.readouterr().err) == f"There is no notebooks folder at {gone}."


def test_unknown_country_in_handout_is_one_sentence(tmp_path, capsys):
    assert main(["handout", "--country", "Narnia", "--out", str(tmp_path / "h")]) == 2
    assert "We could not find a country called 'Narnia'" in one_sentence(capsys.readouterr().err)
    assert not (tmp_path / "h").exists()


def test_a_workshop_error_from_any_command_is_its_sentence(monkeypatch, capsys):
    from workshop_lib.errors import ConfigurationError

    def broken():
        raise ConfigurationError("The setting 'x' cannot\nwork here")

    monkeypatch.setattr(cli, "run_doctor", broken)
    assert main(["doctor"]) == 2
    assert capsys.readouterr().err == "The setting 'x' cannot work here.\n"


# prepare-shared-folder: argument handling, and refusals before anything changes.


@pytest.fixture
def shared_calls(monkeypatch):
    """Calls the command makes to the folder functions (recorded, not made), as root."""
    calls: list[tuple] = []
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setattr(
        cli, "prepare_shared_folder", lambda *a: calls.append(("shared", *a)) or Path(a[0])
    )
    monkeypatch.setattr(
        cli,
        "prepare_participant_folder",
        lambda *a: calls.append(("participant", *a)) or Path(a[0]) / a[1],
    )
    return calls


def _existing_group() -> str:
    return grp.getgrgid(os.getgid()).gr_name


def _existing_user() -> str:
    return pwd.getpwuid(os.getuid()).pw_name


def test_prepare_shared_folder_prepares_the_folder_then_each_participant(
    tmp_path, shared_calls, capsys
):
    group, user = _existing_group(), _existing_user()
    folder = tmp_path / "responses"
    argv = ["prepare-shared-folder", str(folder), "--trainers-group", group]
    assert main([*argv, "--participant", user, "--participant", user]) == 0
    assert shared_calls == [
        ("shared", folder, group),
        ("participant", folder, user, user, group),
    ]
    out = capsys.readouterr().out
    assert f"Prepared {folder} for the group '{group}'." in out
    assert f"Prepared {folder / user} for {user}." in out


def test_prepare_shared_folder_without_participants_prepares_only_the_folder(
    tmp_path, shared_calls
):
    group = _existing_group()
    assert main(["prepare-shared-folder", str(tmp_path), "--trainers-group", group]) == 0
    assert shared_calls == [("shared", tmp_path, group)]


def test_prepare_shared_folder_needs_root(tmp_path, shared_calls, monkeypatch, capsys):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    argv = ["prepare-shared-folder", str(tmp_path / "r"), "--trainers-group", _existing_group()]
    assert main(argv) == 2
    line = one_sentence(capsys.readouterr().err)
    assert "must run as root" in line
    assert shared_calls == []
    assert not (tmp_path / "r").exists()


def test_prepare_shared_folder_refuses_unknown_group_and_users_before_any_change(
    tmp_path, shared_calls, capsys
):
    argv = ["prepare-shared-folder", str(tmp_path / "r"), "--trainers-group"]
    assert main([*argv, "no-such-group-workshop"]) == 2
    assert one_sentence(capsys.readouterr().err) == (
        "There is no group named 'no-such-group-workshop': create it with "
        "`groupadd no-such-group-workshop` first."
    )
    group = _existing_group()
    assert main([*argv, group, "--participant", _existing_user(), "--participant", "nobody-x"]) == 2
    assert "There is no user named 'nobody-x'" in one_sentence(capsys.readouterr().err)
    assert shared_calls == []


def test_prepare_shared_folder_needs_the_trainers_group(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["prepare-shared-folder", str(tmp_path)])
    assert stop.value.code == 2
    assert "--trainers-group" in one_sentence(capsys.readouterr().err)


def test_the_default_notebooks_are_the_packages_own(recorded, tmp_path):
    assert main(["run", "--out", str(tmp_path)]) == 0
    ((tasks, _),) = recorded
    assert {t.source.parent for t in tasks} == {notebooks_dir()}
