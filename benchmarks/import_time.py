"""Benchmark: the cost of `import workshop_lib`, of a notebook's set-up and of showing the facts,
over `import ipywidgets` (what every widget notebook needs), each in a fresh interpreter.
Target: `import workshop_lib` under 0.3 s.

Participant notebooks import neither pandas nor matplotlib (see kernel_memory.py); the last case
shows what the pandas loader of the trainer's tools would add.

Run: `make bench`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

ROUNDS = 7
BASE = "import ipywidgets"
SET_UP = (
    "import ipywidgets; import workshop_lib.notebook, workshop_lib.facts.figures, "
    "workshop_lib.facts.tables"
)
CASES = {
    "import workshop_lib": "import ipywidgets, workshop_lib",
    "notebook set-up (exercises, figures, tables)": SET_UP,
    "set-up + facts shown (data read and validated, tables, card, charts)": (
        SET_UP + "; from workshop_lib.facts import tables, figures, cards; "
        "tables.totals_table()._repr_html_(); cards.country_card('Kenya')._repr_html_(); "
        "figures.parties_over_time()._repr_mimebundle_()"
    ),
    "for comparison: + the pandas loader (trainer tools)": (
        SET_UP + "; import workshop_lib.facts.loader"
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
        target = " (target < 0.3 s)" if name == "import workshop_lib" else ""
        print(f"{name}: {extra:+.3f} s over the base{target}")


if __name__ == "__main__":
    main()
