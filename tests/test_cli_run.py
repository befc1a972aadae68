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
# What a page would load from the network (a hyperlink, <a href>, loads nothing until followed).
REMOTE = re.compile(r"""(\bsrc|<link\b[^>]*\bhref)=["']https?://|import\(["']https?://""")
# What the kernels papermill starts would print on their own (see runner.KERNEL_ARGUMENTS).
KERNEL_NOISE = (
    "Kernel is running over TCP without encryption",
    "KeyboardInterrupt caught in kernel",
)
PARAMETERS = 'country = ""\ncohort = "demo"\nparticipant = ""\nresponses_dir = ""'
START_SESSION = """from workshop_lib.responses import session
s = session.start("tiny", country=country, cohort=cohort, participant=participant,
                  responses_dir_parameter=responses_dir)
print(type(s.store).__name__, s.store.location)"""


def tiny_notebook(folder, *after_parameters: str):
    """A small agenda notebook: the parameters cell, `after_parameters`, then a cell that starts
    the session the way every agenda notebook does."""
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]})]
    nb.cells += [nbformat.v4.new_code_cell(source) for source in after_parameters]
    nb.cells.append(nbformat.v4.new_code_cell(START_SESSION))
    nbformat.write(nb, folder / "00_tiny.ipynb")
    return folder


def test_run_writes_executed_notebook_and_offline_html(tmp_path, capfd):
    code = main(["run", "--country", "Kenya", "--cohort", "c1", "--out", str(tmp_path)])
    out, err = capfd.readouterr()  # file descriptors: the kernels write to them directly
    assert code == 0, out + err
    for noise in KERNEL_NOISE:
        assert noise not in out + err, out + err
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


def test_responses_url_reaches_the_notebook_as_a_url(tmp_path, monkeypatch, capfd):
    monkeypatch.chdir(tmp_path)
    folder = tiny_notebook(tmp_path / "notebooks")
    url = f"sqlite:///{tmp_path}/r.db"
    argv = ["run", "--notebooks", str(folder), "--out", "out", "--responses-dir", url]
    code = main(argv)
    out, err = capfd.readouterr()
    assert code == 0, out + err
    executed = nbformat.read(tmp_path / "out" / "demo" / "00_tiny.ipynb", as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert f'responses_dir = "{url}"' in injected[0].source
    printed = executed.cells[-1].outputs[0]["text"]
    assert "FolderStore" not in printed
    assert url in printed
    assert not [p for p in tmp_path.rglob("*") if "sqlite" in p.name], list(tmp_path.rglob("*"))
    for noise in KERNEL_NOISE:
        assert noise not in out + err, out + err


def test_a_parameter_of_the_wrong_type_is_one_sentence_in_the_summary(tmp_path, capfd):
    folder = tiny_notebook(tmp_path / "notebooks", "country = 42  # as `papermill -p country 42`")
    code = main(["run", "--notebooks", str(folder), "--out", str(tmp_path / "out")])
    out, err = capfd.readouterr()
    assert code == 1
    sentence = (
        "The setting 'country' must be text in quotes, not int (42); for example country = \"42\"."
    )
    assert re.search(rf"00_tiny: FAILED: cell \d+ \(In \[\d+\]\): {re.escape(sentence)} \(", out)
    assert re.search(rf"  00_tiny failed at cell \d+ \(In \[\d+\]\): {re.escape(sentence)}\n", out)
    assert "Traceback" not in out + err
    assert "CellExecutionError" not in out + err
    for noise in KERNEL_NOISE:
        assert noise not in out + err, out + err
