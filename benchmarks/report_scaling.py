"""Benchmark: time to build the cohort report for 10 to 5,000 simulated participants.

Every simulated participant has answered every activity of a full agenda (quizzes, scenarios,
polls, notes and the checklist). Files are written once per size (not timed); the timed part is
what `workshop report` does: read every file, then render and write the HTML report.

Run: `make bench` or `.venv/bin/python benchmarks/report_scaling.py [SIZES...]`.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

from workshop_lib.cohort import load_cohort
from workshop_lib.report import write_report
from workshop_lib.store import SCHEMA, SCHEMA_VERSION, ResponseStore

SIZES = [10, 100, 1_000, 5_000]
CHECKLIST_ITEMS = [f"item{n}" for n in range(12)]
ACTIVITIES = (
    [("01_untoc_and_protocols", "untoc-quiz", "quiz"), ("03_challenges", "challenges-quiz", "quiz")]
    + [("03_challenges", f"scenario-{n}", "scenario") for n in range(10)]
    + [("02_frameworks", f"poll-{n}", "poll") for n in range(2)]
    + [("04_responses", f"note-{n}", "note") for n in range(6)]
    + [("05_checklist", "checklist", "checklist")]
)


def _answer(kind: str, rng: random.Random) -> object:
    if kind == "quiz":
        return {f"q{n}": rng.choice("abcd") for n in range(10)} | {"score": rng.randint(0, 10)}
    if kind == "scenario":
        return {"classification": rng.choice(["trafficking", "smuggling", "both", "neither"])}
    if kind == "poll":
        return {"choice": rng.choice(["yes", "partly", "no", "don't know"])}
    if kind == "note":
        return " ".join(
            rng.choice(["law", "victims", "border", "police", "NGO"]) for _ in range(60)
        )
    return {
        item: {"answer": rng.choice(["yes", "partly", "no", "don't know"]), "note": "see law"}
        for item in CHECKLIST_ITEMS
    }


def simulate(root: Path, participants: int) -> int:
    """Write `participants` x every activity as response files; return the number of files."""
    rng = random.Random(participants)
    store = ResponseStore(root)
    count = 0
    for n in range(participants):
        who = f"participant{n:05d}"
        for notebook, activity, kind in ACTIVITIES:
            path = store.path_for(who, "bench", notebook, activity)
            path.parent.mkdir(parents=True, exist_ok=True)
            record = {
                "schema": SCHEMA, "schema_version": SCHEMA_VERSION, "participant": who,
                "display_name": "", "cohort": "bench", "notebook": notebook,
                "activity": activity, "kind": kind, "answer": _answer(kind, rng),
                "attempts": 1, "first_saved": "2026-01-01T00:00:00Z",
                "last_saved": "2026-01-01T00:00:00Z",
            }  # fmt: skip
            path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            count += 1
    return count


def main(sizes: list[int]) -> None:
    """Print, per size, the report build time and the time per participant."""
    print(f"{'participants':>12} {'files':>8} {'read s':>8} {'report s':>9} {'total s':>8} "
          f"{'ms/participant':>15}")  # fmt: skip
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "responses"
            files = simulate(root, size)
            start = time.perf_counter()
            answers = load_cohort(root, "bench")
            read = time.perf_counter() - start
            write_report(answers, Path(tmp) / "report.html", "html", "bench")
            total = time.perf_counter() - start
            assert len(answers.records) == files
        print(f"{size:>12} {files:>8} {read:>8.2f} {total - read:>9.2f} {total:>8.2f} "
              f"{1000 * total / size:>15.3f}")  # fmt: skip


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or SIZES)
