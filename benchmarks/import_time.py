"""Benchmark: the cost of `import workshop_lib` (and of the exercises a notebook imports) over
`import ipywidgets, pandas`, each in a fresh interpreter. Target: under 0.3 s.

Run: `make bench`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

ROUNDS = 7
BASE = "import ipywidgets, pandas"
CASES = {
    "import workshop_lib": "import ipywidgets, pandas, workshop_lib",
    "notebook set-up (exercises, charts, tables)": (
        "import ipywidgets, pandas; import workshop_lib.notebook, workshop_lib.facts.charts, "
        "workshop_lib.facts.tables"
    ),
}


def seconds(code: str) -> float:
    """Median wall time of `python -c code` over ROUNDS fresh processes."""
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Print the base time and each case's extra time over it."""
    seconds(BASE)  # warm-up
    base = seconds(BASE)
    print(f"{BASE}: {base:.3f} s (median of {ROUNDS})")
    for name, code in CASES.items():
        extra = seconds(code) - base
        print(f"{name}: +{extra:.3f} s over the base (target for import workshop_lib: < 0.3 s)")


if __name__ == "__main__":
    main()
