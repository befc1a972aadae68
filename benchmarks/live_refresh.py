"""Benchmark: one refresh of the live room (`workshop_lib.trainer.live`) while participants
answer, with 200 and 2,000 participants, in a folder store and in PostgreSQL.

Every simulated participant has answered every activity of the agenda (the demo cohort), so the
store holds everything a real session would. The live room shows a poll; before each timed
refresh, `k` participants answer it again (not timed), then one refresh reads what changed and
redraws. Figures: median seconds of 5 refreshes per `k` (0, 20 and 200 changed answers, and
all), beside a full read of the cohort (what the dashboard's Refresh reads) for comparison.
Target: under 0.2 s for 200 participants, growing with what changed, not with what is stored.

PostgreSQL is a throw-away server on loopback (tests/postgres.py), the rows inserted in bulk,
the live room logged in as the table's owner (which makes the index on first use).

Run: `.venv/bin/python -m benchmarks.live_refresh [SIZES...]`.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

SIZES = [200, 2_000]
CHANGED = [0, 20, 200]
ROUNDS = 5


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def measure(room, store, poll, size: int) -> dict[str, float]:
    """Median seconds of one refresh after `k` new answers, for each k; and a full read."""
    from workshop_lib.trainer.demo import DEMO_COHORT

    figures = {}
    counter = 0
    for k in [*CHANGED, size]:
        if k > size:
            continue
        times = []
        for _ in range(ROUNDS):
            for n in range(k):
                counter += 1
                choice = poll.options[counter % len(poll.options)]
                store.save(f"demo-participant-{n + 1:04d}", DEMO_COHORT, poll.notebook,
                           poll.activity_id, {"choice": choice}, kind="poll")  # fmt: skip
            times.append(timed(room.refresh))
        figures[f"k={k}"] = statistics.median(times)
    figures["full read"] = statistics.median(
        timed(lambda: store.records(DEMO_COHORT)) for _ in range(3)
    )
    return figures


def folder_case(size: int) -> dict[str, float]:
    from workshop_lib.exercises import content
    from workshop_lib.responses.folder import FolderStore
    from workshop_lib.trainer.demo import DEMO_COHORT, write_demo_cohort
    from workshop_lib.trainer.live import LiveRoom

    poll = content.load_poll("criminalized-all-elements")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "responses"
        write_demo_cohort(root, size)
        room = LiveRoom(str(root), DEMO_COHORT, hub_url="", start=False)
        first = timed(lambda: room.select(next(
            n for n, s in enumerate(room.items) if s.activity.activity_id == poll.activity_id
        )))  # fmt: skip
        figures = {"first read": first, **measure(room, FolderStore(root), poll, size)}
    return figures


def postgres_case(size: int, server) -> dict[str, float]:
    import psycopg
    from sqlalchemy import insert

    from workshop_lib.exercises import content
    from workshop_lib.responses import open_store
    from workshop_lib.responses.sql import responses
    from workshop_lib.trainer.demo import DEMO_COHORT, demo_records
    from workshop_lib.trainer.live import LiveRoom

    poll = content.load_poll("criminalized-all-elements")
    name = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server.url(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    url = server.url().rsplit("/", 1)[0] + f"/{name}"
    store = open_store(url)
    store.save("warm-up", DEMO_COHORT, "x", "x", "x", kind="note")  # creates the table
    rows = [
        {**{k: r[k] for k in ("participant", "cohort", "notebook", "activity", "kind",
                              "display_name", "attempts", "first_saved", "last_saved")},
         "answer": json.dumps(r["answer"], ensure_ascii=False, sort_keys=True)}
        for r in demo_records(size)
    ]  # fmt: skip
    with store.engine.begin() as connection:
        connection.execute(insert(responses), rows)
        connection.exec_driver_sql("ANALYZE")
    room = LiveRoom(url, DEMO_COHORT, hub_url="", start=False)
    first = timed(lambda: room.select(next(
        n for n, s in enumerate(room.items) if s.activity.activity_id == poll.activity_id
    )))  # fmt: skip
    figures = {"first read": first, **measure(room, store, poll, size)}
    store.engine.dispose()
    return figures


def main(sizes: list[int]) -> None:
    """Print the figures per store and size."""
    from tests.e2e.conftest import free_port
    from tests.postgres import start_postgres, stop_postgres

    columns = ["first read", *(f"k={k}" for k in CHANGED), "k=all", "full read"]
    print(f"{'store':>10} {'participants':>12} " + " ".join(f"{c:>10}" for c in columns))
    server = start_postgres(free_port())
    try:
        for size in sizes:
            for label, case in (("folder", folder_case),
                                ("postgres", lambda s: postgres_case(s, server))):  # fmt: skip
                figures = case(size)
                figures["k=all"] = figures.pop(f"k={size}")
                cells = " ".join(f"{figures.get(c, float('nan')):>10.3f}" for c in columns)
                print(f"{label:>10} {size:>12,} {cells}", flush=True)
    finally:
        stop_postgres(server)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or SIZES)
