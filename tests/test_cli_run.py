"""`workshop run`: executes the agenda with papermill, writes .ipynb and offline .html."""

from __future__ import annotations

import re
import shutil

import nbformat
import pytest

from workshop_lib.cli import main
from workshop_lib.paths import notebooks_dir
from workshop_lib.trainer.runner import agenda_notebooks

pytestmark = pytest.mark.notebooks
REMOTE = re.compile(r"""(src|href)=["']https?://|import\(["']https?://""")


def test_run_writes_executed_notebook_and_offline_html(tmp_path, capsys):
    code = main(["run", "--country", "Kenya", "--cohort", "c1", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0, out
    folder = tmp_path / "c1" / "KEN"
    executed = nbformat.read(folder / "00_welcome.ipynb", as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert 'country = "KEN"' in injected[0].source
    assert 'cohort = "c1"' in injected[0].source
    html = (folder / "00_welcome.html").read_text(encoding="utf-8")
    assert "Country card: Kenya" in html or "Kenya (KEN)" in html
    assert not REMOTE.search(html), REMOTE.search(html)
    total = len(agenda_notebooks())
    for notebook in agenda_notebooks():
        assert re.search(rf"\[\d+/{total}\] KEN {notebook.stem}: ok \(\d+\.\d s\)", out), out
    assert f"[{total}/{total}]" in out
    assert re.search(r"Summary:\n  country  notebook +seconds  result\n  KEN +00_welcome", out), out


def test_default_run_goes_to_the_cohort_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["run"]) == 0
    assert (tmp_path / "build" / "demo" / "00_welcome.ipynb").exists()
    assert (tmp_path / "build" / "demo" / "00_welcome.html").exists()


def test_broken_notebook_is_named_with_its_error_and_exits_non_zero(tmp_path, capsys):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copy(notebooks_dir() / "00_welcome.ipynb", folder)
    nb = nbformat.read(folder / "00_welcome.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("1 / 0"))
    nbformat.write(nb, folder / "01_broken.ipynb")
    code = main(["run", "--notebooks", str(folder), "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert code == 1
    assert re.search(r"\[\d/2\] 00_welcome: ok", out), out
    assert re.search(r"\[\d/2\] 01_broken: FAILED: cell \d+ \(In \[\d+\]\): ZeroDivisionError", out)
    assert "01_broken failed at cell" in out
    assert (tmp_path / "out" / "demo" / "01_broken.html").exists()


def test_unknown_country_stops_before_running(tmp_path, capsys):
    assert main(["run", "--country", "Narnia", "--out", str(tmp_path)]) == 2
    assert "We could not find a country called 'Narnia'" in capsys.readouterr().err
    assert not (tmp_path / "demo").exists()
