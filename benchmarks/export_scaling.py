"""Benchmark: time and peak memory of `workshop report --format xlsx` (and csv) for 1,000 and
5,000 simulated participants.

Every simulated participant has answered every activity of the agenda (the generated demo cohort
of `workshop_lib.trainer.demo`). The files are written once per size (not timed). Each export
then runs in a fresh Python process, so its peak memory (the process's maximum resident set
size) is its own: the figures are the seconds to read the answers, the seconds to write the
file (wall clock, and the CPU time of the process, which other work on a shared machine does not
inflate), the peak memory after reading and after writing, and the file's size.

Run: `.venv/bin/python benchmarks/export_scaling.py [SIZES...]`.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = [1_000, 5_000]
FORMATS = ["xlsx", "csv"]


def measure(root: str, fmt: str, out: str) -> dict:
    """In this process: read the cohort, write it as `fmt`; return the figures."""
    from workshop_lib.responses.cohort import load_cohort
    from workshop_lib.trainer.demo import DEMO_COHORT
    from workshop_lib.trainer.report import write_report

    start = time.perf_counter()
    answers = load_cohort(root, DEMO_COHORT)
    read = time.perf_counter() - start
    after_read = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start, cpu = time.perf_counter(), time.process_time()
    write_report(answers, Path(out), fmt, "bench", say=lambda line: None)
    write = time.perf_counter() - start
    write_cpu = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "answers": len(answers.records),
        "read_s": read,
        "write_s": write,
        "write_cpu_s": write_cpu,
        "rss_after_read_mb": after_read,
        "peak_mb": peak,
        "file_mb": Path(out).stat().st_size / 1e6,
    }


def main(sizes: list[int]) -> None:
    """Print, per size and format, the export time and peak memory."""
    from workshop_lib.trainer.demo import write_demo_cohort

    header = ("participants", "format", "answers", "read s", "write s", "write CPU s")
    header += ("RSS read MB", "peak MB", "file MB")
    print("{:>12} {:>6} {:>8} {:>7} {:>8} {:>12} {:>12} {:>8} {:>8}".format(*header))
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "responses"
            write_demo_cohort(root, size)
            for fmt in FORMATS:
                out = Path(tmp) / f"answers.{fmt}"
                child = subprocess.run(
                    [sys.executable, __file__, "--one", str(root), fmt, str(out)],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                f = json.loads(child.stdout.strip().splitlines()[-1])
                row = (size, fmt, f["answers"], f["read_s"], f["write_s"], f["write_cpu_s"])
                row += (f["rss_after_read_mb"], f["peak_mb"], f["file_mb"])
                line = "{:>12} {:>6} {:>8} {:>7.2f} {:>8.2f} {:>12.2f} {:>12.0f} {:>8.0f} {:>8.1f}"
                print(line.format(*row), flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure(*sys.argv[2:5])))
    else:
        main([int(a) for a in sys.argv[1:]] or SIZES)
