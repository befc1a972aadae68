"""Benchmark: the cohort report for 1,000 participants on PostgreSQL, next to the directory store.

Starts a throw-away PostgreSQL server (Debian's postgresql, as the tests do), loads the generated
demo cohort (every activity answered) into it and into a folder, then times what `workshop
report` does on each: read every answer and render the HTML report. Median of 5 runs.

Run: `make bench` or `.venv/bin/python -m benchmarks.report_postgres [PARTICIPANTS]`.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from tests.e2e.conftest import free_port
from tests.postgres import start_postgres, stop_postgres
from workshop_lib.responses.cohort import load_cohort
from workshop_lib.responses.folder import open_store
from workshop_lib.responses.sql import responses
from workshop_lib.trainer.demo import DEMO_COHORT, demo_records, write_demo_cohort
from workshop_lib.trainer.report import render_html

ROUNDS = 5


def timed(location: str) -> tuple[float, int]:
    """Median seconds to read and render the report, and the number of answers read."""
    times, count = [], 0
    for _ in range(ROUNDS):
        start = time.perf_counter()
        answers = load_cohort(location, DEMO_COHORT)
        render_html(answers, "bench")
        times.append(time.perf_counter() - start)
        count = len(answers.records)
    return statistics.median(times), count


def main(participants: int) -> None:
    """Print the report time on each backend."""
    server = start_postgres(free_port())
    try:
        url = server.url()
        store = open_store(url)
        store.records()  # creates the table
        rows = [
            {
                k: r[k]
                for k in (
                    "participant",
                    "cohort",
                    "notebook",
                    "activity",
                    "kind",
                    "display_name",
                    "attempts",
                    "first_saved",
                    "last_saved",
                )
            }
            | {"answer": json.dumps(r["answer"], ensure_ascii=False, sort_keys=True)}
            for r in demo_records(participants)
        ]
        with store.engine.begin() as connection:
            connection.execute(insert(responses), rows)
        with tempfile.TemporaryDirectory() as folder:
            files = write_demo_cohort(Path(folder), participants)
            directory_seconds, directory_count = timed(folder)
        postgres_seconds, postgres_count = timed(url)
        assert directory_count == postgres_count == files
    finally:
        stop_postgres(server)
    print(f"{participants} participants, {files} answers, median of {ROUNDS}:")
    print(f"  directory store: {directory_seconds:.2f} s")
    print(f"  PostgreSQL:      {postgres_seconds:.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000)
