"""Benchmark: the whole agenda executed with papermill, against the floor.

The floor is the same number of one-cell notebooks (`print(1 + 1)`) run the same way: what any
notebook costs (kernel start, reading and writing the file) before it does anything. The ratio
shows what the workshop's own work adds. Target: at most 1.3.

Each notebook runs in its own `papermill` process with the options `workshop run` uses (no
progress bar; the output written once at the end, not after every cell), one at a time so that
the two sides are measured alike. The rounds alternate (agenda, floor, agenda, floor, ...) so
that other work on the machine weighs on both sides alike; the CPU time of the papermill
processes and their kernels is printed beside the wall time, as it barely depends on that other
work. Run: `make bench`.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from workshop_lib.trainer.runner import agenda_notebooks

ROUNDS = 5


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_all(notebooks: list[Path], out_dir: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (papermill and kernels) to run every notebook with
    papermill, one process each."""
    start, cpu = time.perf_counter(), _children_cpu()
    for notebook in notebooks:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "papermill",
                "-k",
                "python3",
                "--no-progress-bar",
                "--no-request-save-on-cell-execute",
                "--cwd",
                str(notebook.parent),
                str(notebook),
                str(out_dir / notebook.name),
            ],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - start, _children_cpu() - cpu


def floor_notebooks(folder: Path, count: int) -> list[Path]:
    """`count` one-cell notebooks (`print(1 + 1)`) written into `folder`."""
    paths = []
    for number in range(count):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1 + 1)")])
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        path = folder / f"floor_{number}.ipynb"
        nbformat.write(nb, path)
        paths.append(path)
    return paths


def _line(runs: list[float]) -> str:
    return f"{statistics.median(runs):.2f} s (median; runs {', '.join(f'{t:.2f}' for t in runs)})"


def main(rounds: int) -> None:
    """Print the agenda time, the floor time and their ratio (medians of `rounds` runs)."""
    agenda = agenda_notebooks()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        floor = floor_notebooks(tmp, len(agenda))
        out = tmp / "out"
        out.mkdir()
        run_all(floor[:1], out)  # warm-up: file caches, byte-code
        run_all(agenda[:1], out)
        agenda_runs, floor_runs = [], []
        for _ in range(rounds):
            agenda_runs.append(run_all(agenda, out))
            floor_runs.append(run_all(floor, out))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"notebooks: {len(agenda)} (agenda) vs {len(floor)} one-cell notebooks; {rounds} rounds")
    print(f"load average at the end: {load} (on {os.cpu_count()} CPUs)")
    for what, index in (("wall", 0), ("cpu", 1)):
        a = [run[index] for run in agenda_runs]
        f = [run[index] for run in floor_runs]
        print(f"{what} agenda: {_line(a)}")
        print(f"{what} floor:  {_line(f)}")
        ratio = statistics.median(a) / statistics.median(f)
        target = " (target at most 1.3)" if what == "wall" else ""
        print(f"{what} ratio:  {ratio:.2f}{target}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS)
