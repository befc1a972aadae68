"""Benchmark: how much memory each agenda notebook's kernel holds after running all its cells.

A hub pays for every open notebook, so the figure that matters is the kernel's resident memory
(RSS) once the participant has run everything. Each notebook is executed with nbclient, its
parameters injected as papermill does (answers go to a throw-away folder), and the kernel
process is measured with psutil before the kernel is shut down. Beside them, two floors measured
the same way: a bare kernel (one `pass` cell) and a kernel that only imports ipywidgets.
Target: every participant notebook (00-05) at most 1.4 x the ipywidgets floor.

Run: `.venv/bin/python -m benchmarks.kernel_memory [ROUNDS]`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient
from papermill.parameterize import parameterize_notebook

from workshop_lib.trainer.runner import KERNEL_NAME, TRAINER_ONLY_PREFIX, agenda_notebooks

ROUNDS = 3
TARGET = 1.4  # times the RSS of a kernel that only imports ipywidgets
HEAVY_MODULES = ("pandas", "matplotlib")
MIB = 2**20
# The last cell run in every kernel: which of the heavy modules it holds.
PROBE = f"import sys; print(sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules))"


@dataclass(frozen=True)
class KernelRun:
    """One notebook run: the kernel's RSS after its cells, and the heavy modules it held."""

    name: str
    rss_mib: float
    heavy_modules: tuple[str, ...]


def one_cell_notebook(code: str) -> nbformat.NotebookNode:
    """A notebook with one code cell, for the floors."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {
        "name": KERNEL_NAME,
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def run_in_kernel(
    nb: nbformat.NotebookNode, name: str, cwd: Path, parameters: dict[str, str] | None = None
) -> KernelRun:
    """Execute `nb` (with `parameters` injected as papermill does) in a fresh kernel; measure the
    kernel's RSS after the last cell, then ask it which heavy modules it imported."""
    if parameters is not None:
        nb.metadata.setdefault("papermill", {})
        for cell in nb.cells:
            cell.metadata.setdefault("tags", [])
        nb = parameterize_notebook(nb, parameters, kernel_name=KERNEL_NAME)
    client = NotebookClient(
        nb, kernel_name=KERNEL_NAME, timeout=600, resources={"metadata": {"path": str(cwd)}}
    )
    with client.setup_kernel(stderr=subprocess.DEVNULL):
        client.wait_for_reply(client.kc.kernel_info())
        for index, cell in enumerate(client.nb.cells):
            client.execute_cell(cell, index)
        rss = psutil.Process(client.km.provisioner.process.pid).memory_info().rss
        probe = nbformat.v4.new_code_cell(PROBE)
        client.nb.cells.append(probe)
        client.execute_cell(probe, len(client.nb.cells) - 1)
    printed = "".join(o.get("text", "") for o in probe.outputs).strip()
    heavy = tuple(m for m in HEAVY_MODULES if f"'{m}'" in printed)
    return KernelRun(name, rss / MIB, heavy)


def run_notebook_file(path: Path, responses_dir: Path, country: str = "") -> KernelRun:
    """Run one agenda notebook as a trainer's run would (cohort 'bench', answers elsewhere)."""
    parameters = {"country": country, "cohort": "bench", "responses_dir": str(responses_dir)}
    nb = nbformat.read(path, as_version=4)
    return run_in_kernel(nb, path.stem, path.parent, parameters)


def is_participant_notebook(path: Path) -> bool:
    """True for the notebooks participants open (not the trainer's 9x notebooks)."""
    return not path.name.startswith(TRAINER_ONLY_PREFIX)


def median_run(runs: list[KernelRun]) -> KernelRun:
    """The median RSS of several runs of one notebook, with the modules any of them held."""
    heavy = tuple(m for m in HEAVY_MODULES if any(m in r.heavy_modules for r in runs))
    return KernelRun(runs[0].name, statistics.median(r.rss_mib for r in runs), heavy)


def main(rounds: int) -> None:
    """Print the floors, then each notebook's kernel RSS against the target."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        floors = {
            "bare kernel (`pass`)": "pass",
            "kernel after `import ipywidgets`": "import ipywidgets",
        }
        floor = {
            label: median_run(
                [run_in_kernel(one_cell_notebook(code), label, tmp) for _ in range(rounds)]
            )
            for label, code in floors.items()
        }
        widgets_floor = list(floor.values())[-1].rss_mib
        limit = TARGET * widgets_floor
        print(f"kernel RSS after running all cells, MiB (median of {rounds})")
        for label, run in floor.items():
            print(f"  {label:<44} {run.rss_mib:6.1f}")
        print(f"  target for participant notebooks: {TARGET} x {widgets_floor:.1f} = {limit:.1f}")
        for path in agenda_notebooks():
            run = median_run([run_notebook_file(path, tmp / "responses") for _ in range(rounds)])
            verdict = (
                ("met" if run.rss_mib <= limit else "NOT MET")
                if is_participant_notebook(path)
                else "trainer notebook, no target"
            )
            held = ", ".join(run.heavy_modules) or "neither"
            print(
                f"  {run.name:<44} {run.rss_mib:6.1f}  x{run.rss_mib / widgets_floor:.2f}  "
                f"{verdict}; pandas/matplotlib loaded: {held}"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS)
