"""Benchmark: time to build the cohort report for 10 to 5,000 simulated participants.

Every simulated participant has answered every activity of the agenda (the generated demo
cohort of `workshop_lib.trainer.demo`, made from the real exercise content). Files are written once
per size (not timed); the timed part is what `workshop report` does: read every file, then
render and write the HTML report.

Run: `make bench` or `.venv/bin/python benchmarks/report_scaling.py [SIZES...]`.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from workshop_lib.responses.cohort import load_cohort
from workshop_lib.trainer.demo import DEMO_COHORT, write_demo_cohort
from workshop_lib.trainer.report import write_report

SIZES = [10, 100, 1_000, 5_000]


def main(sizes: list[int]) -> None:
    """Print, per size, the report build time and the time per participant."""
    header = ("participants", "files", "read s", "report s", "total s", "ms/participant")
    print("{:>12} {:>8} {:>8} {:>9} {:>8} {:>15}".format(*header))
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "responses"
            files = write_demo_cohort(root, size)
            start = time.perf_counter()
            answers = load_cohort(root, DEMO_COHORT)
            read = time.perf_counter() - start
            write_report(answers, Path(tmp) / "report.html", "html", "bench")
            total = time.perf_counter() - start
            assert len(answers.records) == files
        row = (size, files, read, total - read, total, 1000 * total / size)
        print("{:>12} {:>8} {:>8.2f} {:>9.2f} {:>8.2f} {:>15.3f}".format(*row))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or SIZES)
