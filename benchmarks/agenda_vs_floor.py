"""Benchmark: the whole agenda executed with papermill, against the floor.

The floor is the same number of one-cell notebooks (`print(1 + 1)`) run the same way: what any
notebook costs (kernel start, reading and writing the file) before it does anything. The ratio
shows what the workshop's own work adds. Target: at most 1.3.

Each notebook runs in its own `papermill` process with the options `workshop run` uses (no save
after every cell), one at a time so that the two sides are measured alike. Run: `make bench`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from workshop_lib.trainer.runner import agenda_notebooks

ROUNDS = 3


def run_all(notebooks: list[Path], out_dir: Path) -> float:
    """Seconds to run every notebook with papermill, one process each."""
    start = time.perf_counter()
    for notebook in notebooks:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "papermill",
                "-k",
                "python3",
                "--no-progress-bar",
                "--cwd",
                str(notebook.parent),
                str(notebook),
                str(out_dir / notebook.name),
            ],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - start


def main() -> None:
    """Print the agenda time, the floor time and their ratio (medians of ROUNDS runs)."""
    agenda = agenda_notebooks()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        floor = []
        for number in range(len(agenda)):
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1 + 1)")])
            nb.metadata["kernelspec"] = {
                "name": "python3",
                "display_name": "Python 3",
                "language": "python",
            }
            path = tmp / f"floor_{number}.ipynb"
            nbformat.write(nb, path)
            floor.append(path)
        out = tmp / "out"
        out.mkdir()
        run_all(floor[:1], out)  # warm-up: file caches, byte-code
        agenda_times = [run_all(agenda, out) for _ in range(ROUNDS)]
        floor_times = [run_all(floor, out) for _ in range(ROUNDS)]
    a, f = statistics.median(agenda_times), statistics.median(floor_times)
    print(f"notebooks: {len(agenda)} (agenda) vs {len(floor)} one-cell notebooks; {ROUNDS} rounds")
    print(f"agenda: {a:.2f} s (median; runs {', '.join(f'{t:.2f}' for t in agenda_times)})")
    print(f"floor:  {f:.2f} s (median; runs {', '.join(f'{t:.2f}' for t in floor_times)})")
    print(f"ratio:  {a / f:.2f} (target at most 1.3)")


if __name__ == "__main__":
    main()
